"""Tests for the min-cost-flow expert assignment (no Django, no database)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import event, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from gongchuang.judging.assignment import (
    SCALE,
    AssignmentProblem,
    candidates_from_vectors,
    conflict_matrix,
    is_connected,
    min_reviews_per_expert,
    solve,
)


def _milp_optimum(
    *,
    n_works: int,
    n_experts: int,
    k: int,
    pairs: list[tuple[int, int]],
    aff_int: np.ndarray,
    min_load: np.ndarray,
    max_load: np.ndarray,
    pinned: set[tuple[int, int]],
    load_weight: float,
) -> tuple[int, float] | None:
    """(fewest missing reviews, best objective with that coverage) by scipy MILP.

    Written from the documented contract, not from the solver's network: x_p
    binary per allowed pair, s_w integer shortage of work w, y_ej in [0, 1] per
    load slot j of expert e costing round(SCALE * load_weight * j / target).
    Stage 1 minimises total shortage, stage 2 fixes it and maximises
    affinity - load cost. None when the minimum loads cannot be met.
    """
    target = k * n_works / n_experts
    slots = [(e, j) for e in range(n_experts) for j in range(int(max_load[e]))]
    n_x, n_y, n_s = len(pairs), len(slots), n_works
    n_var = n_x + n_y + n_s
    slot_cost = [round(SCALE * load_weight * j / target) for _, j in slots]
    rows, lo, hi = [], [], []
    for w in range(n_works):
        shortage = [1.0 if v == w else 0.0 for v in range(n_s)]
        rows.append([1.0 if pw == w else 0.0 for pw, _ in pairs] + [0.0] * n_y + shortage)
        lo.append(k)
        hi.append(k)
    for e in range(n_experts):
        x_part = [1.0 if pe == e else 0.0 for _, pe in pairs]
        rows.append(x_part + [-1.0 if se == e else 0.0 for se, _ in slots] + [0.0] * n_s)
        lo.append(0)
        hi.append(0)
        rows.append(x_part + [0.0] * (n_y + n_s))
        lo.append(min_load[e])
        hi.append(max_load[e])
    lb = np.array([1.0 if p in pinned else 0.0 for p in pairs] + [0.0] * (n_y + n_s))
    ub = np.concatenate([np.ones(n_x + n_y), np.full(n_s, k)])
    integrality = np.concatenate([np.ones(n_x), np.zeros(n_y), np.ones(n_s)])
    coverage_cost = np.concatenate([np.zeros(n_x + n_y), np.ones(n_s)])
    stage1 = milp(
        coverage_cost,
        constraints=LinearConstraint(np.array(rows), lo, hi),
        integrality=integrality,
        bounds=Bounds(lb, ub),
    )
    if stage1.status != 0:
        return None
    missing = round(stage1.fun)
    rows.append(coverage_cost.tolist())
    lo.append(missing)
    hi.append(missing)
    c = np.concatenate([-aff_int.astype(float), np.array(slot_cost, float), np.zeros(n_s)])
    stage2 = milp(
        c,
        constraints=LinearConstraint(np.array(rows), lo, hi),
        integrality=integrality,
        bounds=Bounds(lb, ub),
    )
    assert stage2.status == 0 and n_var == c.size
    return missing, -stage2.fun


@settings(max_examples=200, deadline=None)
@given(
    n_works=st.integers(1, 12),
    n_experts=st.integers(1, 6),
    k_raw=st.integers(1, 3),
    seed=st.integers(0, 2**32 - 1),
    load_weight=st.sampled_from([0.0, 0.1, 0.5]),
)
def test_solve_matches_milp_and_respects_constraints(
    n_works: int, n_experts: int, k_raw: int, seed: int, load_weight: float
) -> None:
    rng = np.random.default_rng(seed)
    k = min(k_raw, n_experts)
    avg = n_works * k / n_experts
    max_load = rng.integers(int(np.ceil(avg)), n_works + 1, n_experts)
    min_load = rng.integers(0, int(avg) + 1, n_experts)
    # Set-wise conflicts (schools) plus explicit forbidden pairs, computed here by hand.
    work_orgs = [
        set(rng.choice(5, rng.integers(0, 3), replace=False).tolist()) for _ in range(n_works)
    ]
    exp_orgs = [
        set(rng.choice(5, rng.integers(0, 2), replace=False).tolist()) for _ in range(n_experts)
    ]
    forbidden = {
        (w, e)
        for w in range(n_works)
        for e in range(n_experts)
        if work_orgs[w] & exp_orgs[e] or rng.random() < 0.1
    }
    allowed = [(w, e) for w in range(n_works) for e in range(n_experts) if (w, e) not in forbidden]
    aff = rng.random(len(allowed))
    pinned: set[tuple[int, int]] = set()
    if allowed and rng.random() < 0.5:
        w, e = allowed[rng.integers(len(allowed))]
        pinned.add((w, e))
    fw = np.array([w for w, _ in forbidden], np.int64)
    fe = np.array([e for _, e in forbidden], np.int64)
    pin_list = sorted(pinned)
    pin_aff = np.array([aff[allowed.index(p)] for p in pin_list])
    # Candidates = every pair (forbidden ones too: the solver must drop them).
    all_w = np.repeat(np.arange(n_works), n_experts)
    all_e = np.tile(np.arange(n_experts), n_works)
    all_a = np.zeros(n_works * n_experts)
    for (w, e), a in zip(allowed, aff, strict=True):
        all_a[w * n_experts + e] = a
    problem = AssignmentProblem(
        n_works=n_works,
        n_experts=n_experts,
        k=k,
        work_idx=all_w,
        expert_idx=all_e,
        affinity=all_a,
        min_load=min_load,
        max_load=max_load,
        forbidden_work=fw,
        forbidden_expert=fe,
        pinned_work=np.array([w for w, _ in pin_list], np.int64),
        pinned_expert=np.array([e for _, e in pin_list], np.int64),
        pinned_affinity=pin_aff,
        load_weight=load_weight,
    )

    result = solve(problem)

    assigned = list(zip(result.work_idx.tolist(), result.expert_idx.tolist(), strict=True))
    assert len(set(assigned)) == len(assigned)
    assert not set(assigned) & forbidden
    assert pinned <= set(assigned)
    per_work = np.bincount(result.work_idx, minlength=n_works)
    short = np.zeros(n_works, np.int64)
    short[result.uncovered_works] = result.shortfall
    assert (per_work + short == k).all()
    assert (result.loads <= max_load).all()
    assert result.optimal
    expected = _milp_optimum(
        n_works=n_works,
        n_experts=n_experts,
        k=k,
        pairs=allowed,
        aff_int=np.rint(aff * SCALE),
        min_load=min_load,
        max_load=max_load,
        pinned=pinned,
        load_weight=load_weight,
    )
    if expected is None:
        # Minimum loads unmeetable: the solver drops them, and so does the oracle.
        assert not result.min_load_met
        expected = _milp_optimum(
            n_works=n_works,
            n_experts=n_experts,
            k=k,
            pairs=allowed,
            aff_int=np.rint(aff * SCALE),
            min_load=np.zeros(n_experts, np.int64),
            max_load=max_load,
            pinned=pinned,
            load_weight=load_weight,
        )
        assert expected is not None
    else:
        assert result.min_load_met
        assert (result.loads >= min_load).all()
    missing, objective = expected
    event("fully covered" if missing == 0 else "short of experts")
    event("min loads met" if result.min_load_met else "min loads dropped")
    assert int(result.shortfall.sum()) == missing
    assert abs(result.objective - objective) < 1e-6
    assert result.objective_float == result.objective / SCALE


def test_solve_infeasible_reports_uncovered_works() -> None:
    # Work 0 conflicts with expert 1, so with k=2 it can get only expert 0,
    # who takes at most 2 works: two units stay short whatever we do. The best
    # affinity gives expert 0 to works 0 and 1, leaving works 0 and 2 short.
    problem = AssignmentProblem(
        n_works=3,
        n_experts=2,
        k=2,
        work_idx=np.array([0, 0, 1, 1, 2, 2]),
        expert_idx=np.array([0, 1, 0, 1, 0, 1]),
        affinity=np.array([0.9, 0.9, 0.5, 0.5, 0.4, 0.4]),
        max_load=np.array([2, 3]),
        forbidden_work=np.array([0]),
        forbidden_expert=np.array([1]),
    )

    result = solve(problem)

    assert result.uncovered_works.tolist() == [0, 2]
    assert result.shortfall.tolist() == [1, 1]
    assert result.loads.tolist() == [2, 2]
    assert result.optimal


def test_solve_unmeetable_min_load_is_dropped_and_reported() -> None:
    problem = AssignmentProblem(
        n_works=2,
        n_experts=2,
        k=1,
        work_idx=np.array([0, 1]),
        expert_idx=np.array([0, 0]),
        affinity=np.array([0.5, 0.5]),
        min_load=1,
    )

    result = solve(problem)

    assert result.min_load_met is False
    assert result.loads.tolist() == [2, 0]
    assert result.uncovered_works.size == 0


def test_solve_rejects_forbidden_pin() -> None:
    problem = AssignmentProblem(
        n_works=1,
        n_experts=1,
        k=1,
        work_idx=np.array([0]),
        expert_idx=np.array([0]),
        affinity=np.array([0.5]),
        forbidden_work=np.array([0]),
        forbidden_expert=np.array([0]),
        pinned_work=np.array([0]),
        pinned_expert=np.array([0]),
    )

    with pytest.raises(ValueError, match="forbidden"):
        solve(problem)


def test_candidates_chunked_equal_dense() -> None:
    rng = np.random.default_rng(7)
    n_works, n_experts, top_k = 23, 11, 4
    work_vecs = rng.random((n_works, 5))
    expert_vecs = rng.random((n_experts, 5))
    work_groups = [[int(rng.integers(6))] for _ in range(n_works)]
    expert_groups = [[int(rng.integers(6)), int(rng.integers(6))] for _ in range(n_experts)]
    forbidden = (np.array([0, 3, 5]), np.array([1, 2, 10]))

    cw, ce, ca = candidates_from_vectors(
        work_vecs,
        expert_vecs,
        top_k=top_k,
        work_groups=work_groups,
        expert_groups=expert_groups,
        forbidden=forbidden,
        chunk_elems=30,  # about 2 works per chunk
    )

    wn = work_vecs / np.linalg.norm(work_vecs, axis=1, keepdims=True)
    en = expert_vecs / np.linalg.norm(expert_vecs, axis=1, keepdims=True)
    dense = wn @ en.T
    for w, e in zip(*forbidden, strict=True):
        dense[w, e] = -np.inf
    for w in range(n_works):
        for e in range(n_experts):
            if set(work_groups[w]) & set(expert_groups[e]):
                dense[w, e] = -np.inf
    expected = {}
    for w in range(n_works):
        order = [e for e in np.argsort(-dense[w]) if np.isfinite(dense[w, e])][:top_k]
        expected.update({(w, int(e)): dense[w, e] for e in order})
    got = {(int(w), int(e)): a for w, e, a in zip(cw, ce, ca, strict=True)}
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert abs(got[key] - value) < 1e-5


def test_conflict_matrix_sets_intersect() -> None:
    conflicts = conflict_matrix([{1, 2}, {3}, set()], [{2}, {4}], forbidden=([1], [1]))

    assert sp.issparse(conflicts)
    assert (conflicts.toarray() > 0).tolist() == [[True, False], [False, True], [False, False]]


def test_is_connected_and_min_reviews() -> None:
    works = np.array([0, 0, 1, 1, 2])
    experts = np.array([0, 1, 1, 2, 2])

    assert is_connected(works, experts, 3, 3) is True
    assert is_connected(works, experts, 4, 3) is False  # work 3 has no expert
    assert is_connected(works[:2], experts[:2], 1, 2) is True
    assert is_connected(np.array([0, 1]), np.array([0, 1]), 2, 2) is False  # two islands
    assert min_reviews_per_expert(experts, 3) == 1
    assert min_reviews_per_expert(experts, 4) == 0
