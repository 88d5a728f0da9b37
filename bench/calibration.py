"""Benchmark severity calibration on assignments produced by the solver.

Usage: ``.venv/bin/python bench/calibration.py [--reps R] [--seed S] [--method M]``.
Each scenario draws a jury (bench/assignment.py's generator), assigns k=3
experts per work with the min-cost-flow solver, then simulates review totals

    score = true_quality + severity(expert) + noise

and compares the raw mean with ``calibrate`` (``--method``, default ridge;
"auto" picks z-scores in the dense scenarios, 45 works per expert, and ridge
in the sparse one; "zscore" is refused there). Prints one JSON line per
scenario with Spearman correlation against the true quality and the recall of
the true top 10 % of works (the finalist share) in the estimated top 10 %,
each averaged over ``--reps`` seeded replicates.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import assignment as bench_assignment  # bench/assignment.py

from gongchuang.judging.calibration import calibrate


@dataclass(frozen=True)
class Scenario:
    """Jury size and score model (points on a 100-point rubric total)."""

    name: str
    works: int
    experts: int
    severity_sd: float
    noise_sd: float
    quality_sd: float = 8.0


SCENARIOS = [
    Scenario("dense_strong_bias", works=600, experts=40, severity_sd=8.0, noise_sd=4.0),
    Scenario("dense_mild_bias", works=600, experts=40, severity_sd=2.0, noise_sd=4.0),
    Scenario("sparse_4_per_expert", works=400, experts=300, severity_sd=6.0, noise_sd=4.0),
]


def top_recall(truth: np.ndarray, estimate: np.ndarray, share: float = 0.1) -> float:
    """Share of the true top ``share`` of works found in the estimated top ``share``."""
    n = max(1, round(share * truth.size))
    true_top = set(np.argsort(-truth)[:n].tolist())
    est_top = set(np.argsort(-estimate)[:n].tolist())
    return len(true_top & est_top) / n


def run(
    scenario: Scenario,
    *,
    reps: int,
    seed: int,
    method: Literal["ridge", "auto", "zscore"] = "ridge",
) -> dict[str, object]:
    """Average metrics over ``reps`` seeded replicates of one scenario."""
    metrics: dict[str, list[float]] = {key: [] for key in ("sr", "sc", "rr", "rc")}
    for rep in range(reps):
        rng = np.random.default_rng([seed, rep])
        jury = bench_assignment.make_jury(scenario.works, scenario.experts, seed + rep)
        result, _, _ = bench_assignment.assign(jury, 3)
        quality = rng.normal(70, scenario.quality_sd, scenario.works)
        severity = rng.normal(0, scenario.severity_sd, scenario.experts)
        w, e = result.work_idx, result.expert_idx
        scores = quality[w] + severity[e] + rng.normal(0, scenario.noise_sd, w.size)
        cal = calibrate(
            w,
            e,
            scores,
            n_works=scenario.works,
            n_experts=scenario.experts,
            method=method,
            n_boot=0,
        )
        metrics["sr"].append(float(spearmanr(quality, cal.raw_mean).statistic))
        metrics["sc"].append(float(spearmanr(quality, cal.calibrated).statistic))
        metrics["rr"].append(top_recall(quality, cal.raw_mean))
        metrics["rc"].append(top_recall(quality, cal.calibrated))
    return {
        "scenario": scenario.name,
        "spearman_raw": round(float(np.mean(metrics["sr"])), 4),
        "spearman_calibrated": round(float(np.mean(metrics["sc"])), 4),
        "top10_recall_raw": round(float(np.mean(metrics["rr"])), 4),
        "top10_recall_calibrated": round(float(np.mean(metrics["rc"])), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--method", choices=["ridge", "auto", "zscore"], default="ridge")
    args = parser.parse_args()
    for scenario in SCENARIOS:
        print(
            json.dumps(run(scenario, reps=args.reps, seed=args.seed, method=args.method)),
            flush=True,
        )


if __name__ == "__main__":
    main()
