"""Benchmark the expert-assignment solver on a seeded synthetic jury.

Usage: ``.venv/bin/python bench/assignment.py [--works W --experts E --k K --seed S]``.
Without ``--works`` it runs 2,000x300, 20,000x2,000 and 100,000x3,000 (k=3).
Prints one JSON object per run. ``conflicts_violated`` is recomputed from the
generated school ids and random conflict pairs, independently of the solver's
conflict matrix.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from gongchuang.judging.assignment import (
    AssignmentProblem,
    AssignmentResult,
    candidates_from_vectors,
    conflict_matrix,
    pair_keys,
    solve,
)

N_TOPICS = 20
TOP_K = 24


@dataclass(frozen=True)
class Jury:
    """Synthetic jury: topic vectors, one school per work/expert, random conflicts."""

    work_vecs: np.ndarray
    expert_vecs: np.ndarray
    work_school: np.ndarray
    expert_school: np.ndarray
    forbidden_work: np.ndarray
    forbidden_expert: np.ndarray


def make_jury(works: int, experts: int, seed: int) -> Jury:
    """Dirichlet topic vectors; ~0.2% random conflicts plus same-school ones."""
    rng = np.random.default_rng(seed)
    n_schools = max(20, works // 150)
    n_forbidden = round(0.002 * works * experts)
    return Jury(
        work_vecs=rng.dirichlet(np.full(N_TOPICS, 0.3), size=works),
        expert_vecs=rng.dirichlet(np.full(N_TOPICS, 0.5), size=experts),
        work_school=rng.integers(0, n_schools, works),
        expert_school=rng.integers(0, n_schools, experts),
        forbidden_work=rng.integers(0, works, n_forbidden),
        forbidden_expert=rng.integers(0, experts, n_forbidden),
    )


def assign(jury: Jury, k: int) -> tuple[AssignmentResult, float, int]:
    """Build candidates and solve; returns (result, candidate build seconds, max_load)."""
    works, experts = len(jury.work_vecs), len(jury.expert_vecs)
    t0 = time.perf_counter()
    conflicts = conflict_matrix(
        [[s] for s in jury.work_school.tolist()],
        [[s] for s in jury.expert_school.tolist()],
        forbidden=(jury.forbidden_work, jury.forbidden_expert),
    )
    cw, ce, ca = candidates_from_vectors(
        jury.work_vecs, jury.expert_vecs, top_k=TOP_K, conflicts=conflicts
    )
    cand_s = time.perf_counter() - t0
    max_load = math.ceil(1.2 * works * k / experts)
    problem = AssignmentProblem(
        n_works=works,
        n_experts=experts,
        k=k,
        work_idx=cw,
        expert_idx=ce,
        affinity=ca,
        max_load=max_load,
        forbidden_work=jury.forbidden_work,
        forbidden_expert=jury.forbidden_expert,
    )
    return solve(problem), cand_s, max_load


def run(works: int, experts: int, k: int, seed: int) -> dict[str, object]:
    """One benchmark run as the JSON-ready dict."""
    jury = make_jury(works, experts, seed)
    result, cand_s, _ = assign(jury, k)
    same_school = jury.work_school[result.work_idx] == jury.expert_school[result.expert_idx]
    forbidden = np.isin(
        pair_keys(result.work_idx, result.expert_idx, experts),
        pair_keys(jury.forbidden_work, jury.forbidden_expert, experts),
    )
    return {
        "works": works,
        "experts": experts,
        "k": k,
        "build_s": round(cand_s + result.build_s, 3),
        "solve_s": round(result.solve_s, 3),
        "objective": result.objective,
        "optimal": result.optimal,
        "max_load": int(result.loads.max()),
        "min_load": int(result.loads.min()),
        "conflicts_violated": int((same_school | forbidden).sum()),
        "uncovered_works": int(result.uncovered_works.size),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--works", type=int)
    parser.add_argument("--experts", type=int, default=300)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sizes = (
        [(args.works, args.experts)]
        if args.works
        else [(2_000, 300), (20_000, 2_000), (100_000, 3_000)]
    )
    for works, experts in sizes:
        print(json.dumps(run(works, experts, args.k, args.seed)), flush=True)


if __name__ == "__main__":
    main()
