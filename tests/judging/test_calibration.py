"""Tests for severity calibration (no Django, no database)."""

from __future__ import annotations

import numpy as np
import pytest

from gongchuang.judging.calibration import calibrate, choose_method


def _round_robin(n_works: int, n_experts: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each work reviewed by k consecutive experts (a connected design)."""
    works = np.repeat(np.arange(n_works), k)
    experts = (works + np.tile(np.arange(k), n_works)) % n_experts
    return works, experts


def test_calibrate_recovers_expert_offsets() -> None:
    rng = np.random.default_rng(1)
    n_works, n_experts = 300, 90  # 10 works per expert: "auto" picks ridge
    works = np.repeat(np.arange(n_works), 3)
    experts = np.concatenate([rng.choice(n_experts, 3, replace=False) for _ in range(n_works)])
    quality = rng.normal(70, 8, n_works)
    offsets = rng.normal(0, 6, n_experts)
    scores = quality[works] + offsets[experts] + rng.normal(0, 1, works.size)

    result = calibrate(
        works, experts, scores, n_works=n_works, n_experts=n_experts, ridge=0.1, n_boot=0
    )

    assert result.method == "ridge"
    centred = result.expert_offset - result.expert_offset.mean()
    error = np.abs(centred - (offsets - offsets.mean()))
    assert error.mean() < 0.5  # offsets have sd 6, review noise sd 1
    assert error.max() < 1.5
    assert (
        np.corrcoef(result.calibrated, quality)[0, 1] > np.corrcoef(result.raw_mean, quality)[0, 1]
    )


def test_calibrate_with_scale_recovers_ranking() -> None:
    rng = np.random.default_rng(2)
    n_works, n_experts = 200, 10
    works, experts = _round_robin(n_works, n_experts, 3)
    quality = rng.normal(70, 8, n_works)
    scale = rng.uniform(0.7, 1.3, n_experts)
    scores = scale[experts] * (quality[works] - 70) + 70 + rng.normal(0, 5, n_experts)[experts]

    result = calibrate(
        works, experts, scores, n_works=n_works, n_experts=n_experts, fit_scale=True, n_boot=0
    )

    assert np.corrcoef(result.calibrated, quality)[0, 1] > 0.99
    assert np.corrcoef(result.expert_scale, scale)[0, 1] > 0.95


def test_choose_method_zscore_only_when_every_expert_has_15() -> None:
    experts_15 = np.repeat(np.arange(4), 15)
    experts_14 = np.concatenate([experts_15, [4] * 14])

    assert choose_method(experts_15, 4) == "zscore"
    assert choose_method(experts_15, 5) == "zscore"  # expert 4 has no reviews at all
    assert choose_method(experts_14, 5) == "ridge"


def test_calibrate_auto_reports_method_used() -> None:
    works, experts = _round_robin(60, 4, 1)  # 15 works per expert
    scores = np.linspace(50, 90, works.size)
    kwargs = {"n_works": 60, "n_experts": 4, "n_boot": 5}

    default = calibrate(works, experts, scores, **kwargs)
    auto = calibrate(works, experts, scores, method="auto", **kwargs)
    auto_14 = calibrate(works[:-1], experts[:-1], scores[:-1], method="auto", **kwargs)

    assert default.method == "ridge"
    assert auto.method == "zscore"
    assert auto_14.method == "ridge"


def test_calibrate_refuses_zscore_below_15_works() -> None:
    works, experts = _round_robin(56, 4, 1)  # 14 works per expert

    with pytest.raises(ValueError, match="15"):
        calibrate(works, experts, np.ones(56), n_works=56, n_experts=4, method="zscore")


def test_calibrate_band_contains_calibrated_score() -> None:
    rng = np.random.default_rng(3)
    works, experts = _round_robin(40, 8, 3)
    scores = rng.normal(70, 10, works.size)

    result = calibrate(works, experts, scores, n_works=41, n_experts=8, n_boot=200, seed=4)

    reviewed = slice(0, 40)
    assert (result.band_low[reviewed] <= result.calibrated[reviewed]).all()
    assert (result.calibrated[reviewed] <= result.band_high[reviewed]).all()
    assert (result.band_high[reviewed] > result.band_low[reviewed]).any()
    assert np.isnan(result.calibrated[40]) and result.rank[40] == -1
    again = calibrate(works, experts, scores, n_works=41, n_experts=8, n_boot=200, seed=4)
    assert np.array_equal(result.band_low, again.band_low, equal_nan=True)


def test_calibrate_flags_disagreement_above_threshold() -> None:
    works = np.array([0, 0, 0, 1, 1, 1])
    experts = np.array([0, 1, 2, 0, 1, 2])
    scores = np.array([60.0, 85.0, 70.0, 70.0, 75.0, 72.0])

    result = calibrate(
        works, experts, scores, n_works=2, n_experts=3, disagreement_threshold=20.0, n_boot=0
    )

    assert result.spread.tolist() == [25.0, 5.0]
    assert result.disagreement.tolist() == [True, False]
    assert result.raw_mean.tolist() == [215 / 3, 217 / 3]
    assert result.rank.tolist() == [2, 1]


def test_calibrate_ridge_equals_dense_least_squares() -> None:
    rng = np.random.default_rng(5)
    n_works, n_experts, ridge = 30, 7, 2.0
    works = np.repeat(np.arange(n_works), 3)
    experts = np.concatenate([rng.choice(n_experts, 3, replace=False) for _ in range(n_works)])
    scores = rng.normal(70, 10, works.size)

    result = calibrate(
        works, experts, scores, n_works=n_works, n_experts=n_experts, ridge=ridge, n_boot=0
    )

    # min |y - q[w] - b[e]|^2 + ridge |b|^2 as one dense augmented least-squares problem.
    design = np.zeros((works.size + n_experts, n_works + n_experts))
    design[np.arange(works.size), works] = 1.0
    design[np.arange(works.size), n_works + experts] = 1.0
    design[works.size + np.arange(n_experts), n_works + np.arange(n_experts)] = np.sqrt(ridge)
    target = np.concatenate([scores, np.zeros(n_experts)])
    solution = np.linalg.lstsq(design, target, rcond=None)[0]
    assert np.allclose(result.calibrated, solution[:n_works], atol=1e-6)
    assert np.allclose(result.expert_offset, solution[n_works:], atol=1e-6)
