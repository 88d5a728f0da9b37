"""Expert assignment as a min-cost flow (pure Python: NumPy, SciPy, OR-Tools).

Contract
--------
Every work gets exactly ``k`` distinct experts, every expert's load stays in
``[min_load, max_load]``, a conflicted or forbidden pair is never assigned and
pinned pairs (reviews already done, committee decisions) are always kept.
Among such assignments the solver maximises::

    sum(affinity of assigned pairs) - sum over experts of load_cost(load)

``load_cost`` is convex (HotCRP style): the (j+1)-th work given to an expert
costs ``load_weight * j / target`` affinity units, where ``target`` is the
average load ``k * n_works / n_experts``. An extra work for a busy expert
therefore costs more than for an idle one, which balances loads without a
hard equality. The default ``load_weight`` 0.5 (an expert at the average load
pays half an affinity unit for one more work) was measured on the synthetic
benchmark (100,000 works, 3,000 experts, cap 120): loads 86-120, 10th-90th
percentile 93-108 around an average of 100, for a mean affinity 0.3 % below
the unbalanced optimum; 0.1 gave 54-120 (76-120).

Integer costs: OR-Tools needs integer arc costs, so affinities and load costs
are multiplied by ``SCALE`` (1000) and rounded. ``AssignmentResult.objective``
is the optimum in those integer units; ``objective_float`` is it divided by
``SCALE``. Optimality holds over the candidate pairs given to the solver (for
``candidates_from_vectors`` that is each work's top-K non-conflicted experts).

Network: source -> work (capacity k - pinned) -> expert (capacity 1, cost
``SCALE - affinity``) -> sink through one unit arc per load slot (cost = the
slot's marginal load cost). Minimum loads are node demands on the experts.
Infeasibility never raises: if the exact problem is infeasible, it is solved
again with a "shortage" arc from each work straight to the sink whose unit
cost exceeds any path through experts, so the solver first maximises coverage
and the works that still lack experts are reported in ``uncovered_works``.
If the minimum loads themselves cannot be met, it is solved once more without
them and ``min_load_met`` is False.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from ortools.graph.python import min_cost_flow
from scipy.sparse.csgraph import connected_components

# Candidate generation lives in ``candidates``; callers have long imported it from here.
from .candidates import candidates_from_vectors, conflict_matrix, incidence  # noqa: F401

SCALE = 1000
"""Integer units per affinity unit (affinity 0.734 -> 734)."""

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class AssignmentProblem:
    """One jury's assignment problem; all pair data are parallel arrays.

    ``work_idx``/``expert_idx``/``affinity`` list the candidate pairs (affinity
    in [0, 1]; duplicates keep the first). ``min_load``/``max_load`` are ints or
    per-expert arrays. ``forbidden_*`` pairs are dropped from the candidates;
    ``pinned_*`` pairs are always assigned (with affinity ``pinned_affinity``,
    0 if not given) and count towards k and the loads.
    """

    n_works: int
    n_experts: int
    k: int
    work_idx: IntArray
    expert_idx: IntArray
    affinity: FloatArray
    min_load: int | IntArray = 0
    max_load: int | IntArray | None = None
    forbidden_work: IntArray = field(default_factory=lambda: np.empty(0, np.int64))
    forbidden_expert: IntArray = field(default_factory=lambda: np.empty(0, np.int64))
    pinned_work: IntArray = field(default_factory=lambda: np.empty(0, np.int64))
    pinned_expert: IntArray = field(default_factory=lambda: np.empty(0, np.int64))
    pinned_affinity: FloatArray | None = None
    load_weight: float = 0.5


@dataclass(frozen=True)
class AssignmentResult:
    """Solver output: the assigned pairs ``(work_idx[i], expert_idx[i])``, pins included.

    ``objective`` = sum of rounded affinities x SCALE minus the integer load
    costs (see ``SCALE``); ``optimal`` is True when OR-Tools proved optimality
    of the model solved (possibly the coverage relaxation). ``loads`` counts
    works per expert.
    ``uncovered_works`` lists works with fewer than k experts and
    ``shortfall`` how many each lacks.
    """

    work_idx: IntArray
    expert_idx: IntArray
    objective: int
    objective_float: float
    optimal: bool
    loads: IntArray
    uncovered_works: IntArray
    shortfall: IntArray
    min_load_met: bool
    build_s: float
    solve_s: float

    @property
    def min_reviews_per_expert(self) -> int:
        """Smallest expert load; calibration wants >= 10."""
        return int(self.loads.min()) if self.loads.size else 0


def _per_expert(value: int | IntArray, n_experts: int) -> IntArray:
    arr = np.broadcast_to(np.asarray(value, dtype=np.int64), (n_experts,))
    return arr.copy()


def pair_keys(work_idx: npt.ArrayLike, expert_idx: npt.ArrayLike, n_experts: int) -> IntArray:
    """Encode pairs as one int64 key each (``work * n_experts + expert``)."""
    return np.asarray(work_idx, np.int64) * n_experts + np.asarray(expert_idx, np.int64)


def load_marginal_costs(max_load: int, target: float, load_weight: float) -> IntArray:
    """Integer cost of the (j+1)-th work of one expert, j = 0..max_load-1."""
    j = np.arange(max_load, dtype=np.float64)
    return np.rint(SCALE * load_weight * j / max(target, 1e-9)).astype(np.int64)


@dataclass(frozen=True)
class _Flow:
    """A checked problem in the flow's integer form (see the module docstring)."""

    n_works: int
    n_experts: int
    need: IntArray  # units each work still needs: k minus its pins
    max_load: IntArray
    pinned_per_expert: IntArray
    cand_work: IntArray  # candidates: deduplicated, without forbidden and pinned pairs
    cand_expert: IntArray
    cand_affinity: IntArray  # in SCALE units
    marginal_cost: IntArray  # integer cost of an expert's (j+1)-th work


def solve(problem: AssignmentProblem) -> AssignmentResult:
    """Solve ``problem`` (see module docstring). Raises ValueError on bad input.

    Bad input = pinned pair that is forbidden or repeated, more than k pins on a work, more
    than max_load pins on an expert, min_load > max_load, affinity outside
    [0, 1]. ``build_s`` times the first network build; ``solve_s`` the solve,
    including rebuilds and re-solves after an infeasible attempt.
    """
    t0 = time.perf_counter()
    p = problem
    min_load = _per_expert(p.min_load, p.n_experts)
    max_load = _per_expert(p.n_works if p.max_load is None else p.max_load, p.n_experts)
    aff = np.asarray(p.affinity, np.float64)
    if aff.size and (aff.min() < 0 or aff.max() > 1):
        raise ValueError("affinity must lie in [0, 1]")
    flow = _flow_of(p, aff, min_load, max_load)

    # First without shortage arcs (capacity 0): their huge cost adds cost-scaling
    # phases and made the usual, feasible case about 1.5-2x slower to solve.
    smcf, arcs = _build_network(flow, min_load, np.zeros(p.n_works, np.int64))
    build_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    status = smcf.solve()
    min_load_met = True
    if status == smcf.INFEASIBLE:
        smcf, arcs = _build_network(flow, min_load, flow.need)
        status = smcf.solve()
    if status == smcf.INFEASIBLE:
        # Shortage arcs make coverage always feasible: only the minimum-load
        # demands can still make the model infeasible.
        min_load_met = False
        smcf, arcs = _build_network(flow, np.zeros(p.n_experts, np.int64), flow.need)
        status = smcf.solve()
    solve_s = time.perf_counter() - t1
    return _result(
        p,
        flow,
        smcf.flows(arcs),
        min_load=min_load,
        min_load_met=min_load_met,
        optimal=bool(status == smcf.OPTIMAL),
        timings=(build_s, solve_s),
    )


def _flow_of(
    p: AssignmentProblem, aff: FloatArray, min_load: IntArray, max_load: IntArray
) -> _Flow:
    """Check the pins and bounds (ValueError) and keep the candidates the flow may choose."""
    W, E, k = p.n_works, p.n_experts, p.k
    pw = np.asarray(p.pinned_work, np.int64)
    pe = np.asarray(p.pinned_expert, np.int64)
    pin_keys = pair_keys(pw, pe, E)
    forb_keys = pair_keys(p.forbidden_work, p.forbidden_expert, E)
    if np.unique(pin_keys).size != pin_keys.size:
        raise ValueError("a pinned pair is listed twice")
    if np.isin(pin_keys, forb_keys).any():
        raise ValueError("a pinned pair is forbidden")
    pinned_per_work = np.bincount(pw, minlength=W)
    pinned_per_expert = np.bincount(pe, minlength=E)
    if (pinned_per_work > k).any() or (pinned_per_expert > max_load).any():
        raise ValueError("pins exceed k or an expert's max_load")
    if k < 0 or (min_load > max_load).any():
        raise ValueError("need k >= 0 and min_load <= max_load")

    # Candidates: dedupe, drop forbidden and pinned (pinned are fixed outside the flow).
    keys = pair_keys(p.work_idx, p.expert_idx, E)
    _, first = np.unique(keys, return_index=True)
    first.sort()
    keep = first[~np.isin(keys[first], forb_keys) & ~np.isin(keys[first], pin_keys)]
    target = k * W / max(E, 1)
    return _Flow(
        n_works=W,
        n_experts=E,
        need=k - pinned_per_work,
        max_load=max_load,
        pinned_per_expert=pinned_per_expert,
        cand_work=np.asarray(p.work_idx, np.int64)[keep],
        cand_expert=np.asarray(p.expert_idx, np.int64)[keep],
        cand_affinity=np.rint(aff[keep] * SCALE).astype(np.int64),
        marginal_cost=load_marginal_costs(int(max_load.max(initial=0)), target, p.load_weight),
    )


def _build_network(
    f: _Flow, min_l: IntArray, shortage_cap: IntArray
) -> tuple[min_cost_flow.SimpleMinCostFlow, IntArray]:
    """The min-cost-flow network (module docstring) with minimum loads ``min_l`` and
    ``shortage_cap`` units of shortage allowed per work; returns it and its arcs."""
    W, E, cw, ce, marg = f.n_works, f.n_experts, f.cand_work, f.cand_expert, f.marginal_cost
    smcf = min_cost_flow.SimpleMinCostFlow()
    src, sink = 0, W + E + 1
    work_node = 1 + np.arange(W, dtype=np.int64)
    exp_node = 1 + W + np.arange(E, dtype=np.int64)
    # Load slots j in [floor_e, max_e): slots below floor_e are pinned or
    # forced by the minimum load, so they carry no arc (their cost is constant).
    floor_e = np.maximum(min_l, f.pinned_per_expert)
    n_slots = f.max_load - floor_e
    slot_e = np.repeat(np.arange(E, dtype=np.int64), n_slots)
    slot_j = np.arange(slot_e.size) - np.repeat(np.cumsum(n_slots) - n_slots, n_slots)
    slot_j += floor_e[slot_e]
    slot_cost = marg[slot_j]
    biggest = max(SCALE, int(marg.max(initial=0)))
    # Shortage cost beats any alternating path through experts, so coverage
    # is maximised first (a simple path has at most n_nodes arcs).
    shortage = (W + E + 3) * biggest + 1
    tails = np.concatenate([np.full(W, src), work_node[cw], exp_node[slot_e], work_node])
    heads = np.concatenate([work_node, exp_node[ce], np.full(slot_e.size, sink), np.full(W, sink)])
    caps = np.concatenate([f.need, np.ones(cw.size + slot_e.size, np.int64), shortage_cap])
    costs = np.concatenate(
        [np.zeros(W, np.int64), SCALE - f.cand_affinity, slot_cost, np.full(W, shortage)]
    )
    arcs = smcf.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int64), heads.astype(np.int64), caps, costs
    )
    forced = np.maximum(min_l - f.pinned_per_expert, 0)
    supplies = np.zeros(W + E + 2, np.int64)
    supplies[src] = f.need.sum()
    supplies[exp_node] = -forced
    supplies[sink] = -(f.need.sum() - forced.sum())
    smcf.set_nodes_supplies(np.arange(W + E + 2, dtype=np.int64), supplies)
    return smcf, arcs


def _result(
    p: AssignmentProblem,
    f: _Flow,
    flows: IntArray,
    *,
    min_load: IntArray,
    min_load_met: bool,
    optimal: bool,
    timings: tuple[float, float],
) -> AssignmentResult:
    """The pins plus the candidate pairs the flow chose, the loads and the objective."""
    W = f.n_works
    pw = np.asarray(p.pinned_work, np.int64)
    pe = np.asarray(p.pinned_expert, np.int64)
    pa = np.zeros(pw.size) if p.pinned_affinity is None else np.asarray(p.pinned_affinity)
    pair_flow = flows[W : W + f.cand_work.size]
    short = flows[-W:]
    chosen = pair_flow > 0
    work_out = np.concatenate([pw, f.cand_work[chosen]])
    exp_out = np.concatenate([pe, f.cand_expert[chosen]])
    aff_int = np.concatenate([np.rint(pa * SCALE).astype(np.int64), f.cand_affinity[chosen]])
    loads = np.bincount(exp_out, minlength=f.n_experts).astype(np.int64)
    cum = np.concatenate([[0], np.cumsum(f.marginal_cost)])
    objective = int(aff_int.sum() - cum[loads].sum())
    return AssignmentResult(
        work_idx=work_out,
        expert_idx=exp_out,
        objective=objective,
        objective_float=objective / SCALE,
        optimal=optimal,
        loads=loads,
        uncovered_works=np.flatnonzero(short > 0),
        shortfall=short[short > 0].astype(np.int64),
        min_load_met=min_load_met and bool((loads >= min_load).all()),
        build_s=timings[0],
        solve_s=timings[1],
    )


def is_connected(
    work_idx: npt.ArrayLike, expert_idx: npt.ArrayLike, n_works: int, n_experts: int
) -> bool:
    """True when the work-expert review graph of the pairs
    ``(work_idx[i], expert_idx[i])`` is one connected component.

    Calibration can only compare experts linked through shared works; an
    isolated work or expert makes the graph disconnected.
    """
    w = np.asarray(work_idx, np.int64)
    e = np.asarray(expert_idx, np.int64) + n_works
    n = n_works + n_experts
    adj = sp.csr_matrix((np.ones(w.size), (w, e)), shape=(n, n))
    n_comp, _ = connected_components(adj, directed=False)
    return bool(n_comp == 1)


def min_reviews_per_expert(expert_idx: npt.ArrayLike, n_experts: int) -> int:
    """Fewest works any expert reviews (0 if an expert has none)."""
    counts = np.bincount(np.asarray(expert_idx, np.int64), minlength=n_experts)
    return int(counts.min()) if counts.size else 0
