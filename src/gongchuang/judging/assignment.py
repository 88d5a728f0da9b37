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

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from ortools.graph.python import min_cost_flow
from scipy.sparse.csgraph import connected_components

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


def incidence(groups: list[set[int]] | list[list[int]], n_orgs: int) -> sp.csr_matrix:
    """Rows = items, columns = organisation ids, 1 where the item belongs."""
    lengths = np.fromiter((len(g) for g in groups), dtype=np.int64, count=len(groups))
    cols = np.fromiter((o for g in groups for o in g), dtype=np.int64, count=int(lengths.sum()))
    rows = np.repeat(np.arange(len(groups), dtype=np.int64), lengths)
    data = np.ones(cols.size, dtype=np.int32)
    return sp.csr_matrix((data, (rows, cols)), shape=(len(groups), n_orgs))


def conflict_matrix(
    work_groups: list[set[int]] | list[list[int]],
    expert_groups: list[set[int]] | list[list[int]],
    *,
    forbidden: tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
) -> sp.csr_matrix:
    """Sparse works x experts matrix, nonzero where the pair is conflicted.

    A pair conflicts when the work's organisation set (schools/units of its
    authors and advisors) meets the expert's (own unit plus declared ones), or
    when it is listed in ``forbidden`` (declared works, own advised works).
    Computed as one sparse product of incidence matrices, not pair by pair.
    """
    n_orgs = 1 + max(
        [max(g) for g in work_groups if len(g)] + [max(g) for g in expert_groups if len(g)] + [0]
    )
    conflicts = incidence(work_groups, n_orgs) @ incidence(expert_groups, n_orgs).T
    if forbidden is not None:
        fw = np.asarray(forbidden[0], np.int64)
        fe = np.asarray(forbidden[1], np.int64)
        conflicts = conflicts + sp.csr_matrix(
            (np.ones(fw.size, np.int32), (fw, fe)), shape=conflicts.shape
        )
    conflicts = sp.csr_matrix(conflicts)
    conflicts.sum_duplicates()
    return conflicts


def candidates_from_vectors(
    work_vecs: npt.ArrayLike,
    expert_vecs: npt.ArrayLike,
    *,
    top_k: int = 30,
    work_groups: list[set[int]] | list[list[int]] | None = None,
    expert_groups: list[set[int]] | list[list[int]] | None = None,
    forbidden: tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
    conflicts: sp.csr_matrix | None = None,
    chunk_elems: int = 1 << 22,
    workers: int | None = None,
) -> tuple[IntArray, IntArray, FloatArray]:
    """Each work's ``top_k`` non-conflicted experts by cosine affinity.

    Returns parallel arrays (work_idx, expert_idx, affinity), affinity clipped
    to [0, 1]. Works are processed in row chunks of about ``chunk_elems``
    matrix entries (float32), ``workers`` threads at a time (default: up to 4
    cores), so memory stays bounded for 100k x 3k juries.
    Conflicts come from ``conflicts`` (a precomputed ``conflict_matrix``, the
    groups are then ignored) or from the groups, plus ``forbidden`` pairs. A
    work with fewer than ``top_k`` allowed experts gets all of them.
    """
    wv = np.asarray(work_vecs, dtype=np.float32)
    ev = np.asarray(expert_vecs, dtype=np.float32)
    n_works, n_experts = wv.shape[0], ev.shape[0]
    wv = wv / np.maximum(np.linalg.norm(wv, axis=1, keepdims=True), 1e-12)
    ev = ev / np.maximum(np.linalg.norm(ev, axis=1, keepdims=True), 1e-12)
    if conflicts is None and (work_groups is not None or forbidden is not None):
        wg = work_groups if work_groups is not None else [[] for _ in range(n_works)]
        eg = expert_groups if expert_groups is not None else [[] for _ in range(n_experts)]
        conflicts = conflict_matrix(wg, eg, forbidden=forbidden)
    elif conflicts is not None and forbidden is not None:
        fw = np.asarray(forbidden[0], np.int64)
        fe = np.asarray(forbidden[1], np.int64)
        extra = sp.csr_matrix((np.ones(fw.size, np.int32), (fw, fe)), shape=conflicts.shape)
        conflicts = sp.csr_matrix(conflicts + extra)
    kk = min(top_k, n_experts)
    chunk = max(1, chunk_elems // max(n_experts, 1))

    def top_of_chunk(start: int) -> tuple[IntArray, IntArray, FloatArray]:
        stop = min(start + chunk, n_works)
        sim = wv[start:stop] @ ev.T
        if conflicts is not None:
            block = conflicts[start:stop].tocoo()
            sim[block.row, block.col] = -np.inf
        if kk < n_experts:
            # Partition for the largest kk in place (no negated copy of the block).
            top = np.argpartition(sim, n_experts - kk, axis=1)[:, n_experts - kk :]
        else:
            top = np.broadcast_to(np.arange(n_experts), sim.shape)
        rows = np.broadcast_to(np.arange(stop - start)[:, None], top.shape)
        vals = sim[rows, top]
        keep = np.isfinite(vals)
        return (
            (rows[keep] + start).astype(np.int64),
            top[keep].astype(np.int64),
            np.clip(vals[keep], 0.0, 1.0).astype(np.float64),
        )

    # argpartition dominates and releases the GIL, so threads scale with cores;
    # memory stays bounded at about `workers` chunks in flight.
    with ThreadPoolExecutor(max_workers=workers or min(4, os.cpu_count() or 1)) as pool:
        parts = list(pool.map(top_of_chunk, range(0, n_works, chunk)))
    if not parts:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float64)
    out_w, out_e, out_a = zip(*parts, strict=True)
    return np.concatenate(out_w), np.concatenate(out_e), np.concatenate(out_a)


def solve(problem: AssignmentProblem) -> AssignmentResult:
    """Solve ``problem`` (see module docstring). Raises ValueError on bad input.

    Bad input = pinned pair that is forbidden or repeated, more than k pins on a work, more
    than max_load pins on an expert, min_load > max_load, affinity outside
    [0, 1]. ``build_s`` times the first network build; ``solve_s`` the solve,
    including rebuilds and re-solves after an infeasible attempt.
    """
    t0 = time.perf_counter()
    p = problem
    W, E, k = p.n_works, p.n_experts, p.k
    min_load = _per_expert(p.min_load, E)
    max_load = _per_expert(W if p.max_load is None else p.max_load, E)
    aff = np.asarray(p.affinity, np.float64)
    if aff.size and (aff.min() < 0 or aff.max() > 1):
        raise ValueError("affinity must lie in [0, 1]")

    pw = np.asarray(p.pinned_work, np.int64)
    pe = np.asarray(p.pinned_expert, np.int64)
    pa = np.zeros(pw.size) if p.pinned_affinity is None else np.asarray(p.pinned_affinity)
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
    cw = np.asarray(p.work_idx, np.int64)[keep]
    ce = np.asarray(p.expert_idx, np.int64)[keep]
    ca = np.rint(aff[keep] * SCALE).astype(np.int64)

    target = k * W / max(E, 1)
    marg = load_marginal_costs(int(max_load.max(initial=0)), target, p.load_weight)
    need = k - pinned_per_work  # units each work still needs

    def build(
        min_l: IntArray, shortage_cap: IntArray
    ) -> tuple[min_cost_flow.SimpleMinCostFlow, IntArray]:
        smcf = min_cost_flow.SimpleMinCostFlow()
        src, sink = 0, W + E + 1
        work_node = 1 + np.arange(W, dtype=np.int64)
        exp_node = 1 + W + np.arange(E, dtype=np.int64)
        # Load slots j in [floor_e, max_e): slots below floor_e are pinned or
        # forced by the minimum load, so they carry no arc (their cost is constant).
        floor_e = np.maximum(min_l, pinned_per_expert)
        n_slots = max_load - floor_e
        slot_e = np.repeat(np.arange(E, dtype=np.int64), n_slots)
        slot_j = np.arange(slot_e.size) - np.repeat(np.cumsum(n_slots) - n_slots, n_slots)
        slot_j += floor_e[slot_e]
        slot_cost = marg[slot_j]
        biggest = max(SCALE, int(marg.max(initial=0)))
        # Shortage cost beats any alternating path through experts, so coverage
        # is maximised first (a simple path has at most n_nodes arcs).
        shortage = (W + E + 3) * biggest + 1
        tails = np.concatenate(
            [np.full(W, src), work_node[cw], exp_node[slot_e], work_node]
        ).astype(np.int64)
        heads = np.concatenate(
            [work_node, exp_node[ce], np.full(slot_e.size, sink), np.full(W, sink)]
        ).astype(np.int64)
        caps = np.concatenate([need, np.ones(cw.size + slot_e.size, np.int64), shortage_cap])
        costs = np.concatenate([np.zeros(W, np.int64), SCALE - ca, slot_cost, np.full(W, shortage)])
        arcs = smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
        forced = np.maximum(min_l - pinned_per_expert, 0)
        supplies = np.zeros(W + E + 2, np.int64)
        supplies[src] = need.sum()
        supplies[exp_node] = -forced
        supplies[sink] = -(need.sum() - forced.sum())
        smcf.set_nodes_supplies(np.arange(W + E + 2, dtype=np.int64), supplies)
        return smcf, arcs

    # First without shortage arcs (capacity 0): their huge cost adds cost-scaling
    # phases and made the usual, feasible case about 1.5-2x slower to solve.
    smcf, arcs = build(min_load, np.zeros(W, np.int64))
    build_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    status = smcf.solve()
    min_load_met = True
    if status == smcf.INFEASIBLE:
        smcf, arcs = build(min_load, need)
        status = smcf.solve()
    if status == smcf.INFEASIBLE:
        # Shortage arcs make coverage always feasible: only the minimum-load
        # demands can still make the model infeasible.
        min_load_met = False
        smcf, arcs = build(np.zeros(E, np.int64), need)
        status = smcf.solve()
    solve_s = time.perf_counter() - t1

    flows = smcf.flows(arcs)
    pair_flow = flows[W : W + cw.size]
    short = flows[-W:]
    chosen = pair_flow > 0
    work_out = np.concatenate([pw, cw[chosen]])
    exp_out = np.concatenate([pe, ce[chosen]])
    aff_int = np.concatenate([np.rint(pa * SCALE).astype(np.int64), ca[chosen]])
    loads = np.bincount(exp_out, minlength=E).astype(np.int64)
    cum = np.concatenate([[0], np.cumsum(marg)])
    objective = int(aff_int.sum() - cum[loads].sum())
    return AssignmentResult(
        work_idx=work_out,
        expert_idx=exp_out,
        objective=objective,
        objective_float=objective / SCALE,
        optimal=bool(status == smcf.OPTIMAL),
        loads=loads,
        uncovered_works=np.flatnonzero(short > 0),
        shortfall=short[short > 0].astype(np.int64),
        min_load_met=min_load_met and bool((loads >= min_load).all()),
        build_s=build_s,
        solve_s=solve_s,
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
