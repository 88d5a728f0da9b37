"""Arithmetic of the judge practice round (pure Python).

A practice score is compared with the committee's reference per rubric dimension:
deviation = expert's score − reference (signed; positive = more lenient). Over an
expert's practice works, per dimension: mean absolute deviation (MAD) and mean signed
deviation (bias). The expert's overall bias is the mean of (weighted total of their
scores − weighted total of the reference), on the 0–100 scale of the calibration.
"""

from __future__ import annotations

import dataclasses

from .scoring import weighted_total


@dataclasses.dataclass
class DimensionDeviation:
    dimension: object
    score: int | None
    reference: int | None
    deviation: int | None  # score − reference


@dataclasses.dataclass
class DimensionSummary:
    dimension: object
    mad: float | None
    bias: float | None


def deviations(rubric, scores: dict, reference: dict) -> list[DimensionDeviation]:
    """One row per dimension of ``rubric`` (deviation None when either side is missing)."""
    rows = []
    for d in rubric:
        s, r = scores.get(str(d.pk)), reference.get(str(d.pk))
        rows.append(DimensionDeviation(d, s, r, None if s is None or r is None else s - r))
    return rows


def summarise(
    rubric, pairs: list[tuple[dict, dict]]
) -> tuple[list[DimensionSummary], float | None]:
    """Per dimension MAD and bias over ``pairs`` of (scores, reference), and the mean signed
    deviation of the weighted totals (None when no pair has both totals)."""
    per_dim = []
    for d in rubric:
        diffs = [
            dev.deviation
            for scores, reference in pairs
            for dev in deviations([d], scores, reference)
            if dev.deviation is not None
        ]
        per_dim.append(
            DimensionSummary(
                d,
                round(sum(abs(x) for x in diffs) / len(diffs), 2) if diffs else None,
                round(sum(diffs) / len(diffs), 2) if diffs else None,
            )
        )
    totals = [(weighted_total(rubric, s), weighted_total(rubric, r)) for s, r in pairs]
    totals = [a - b for a, b in totals if a is not None and b is not None]
    return per_dim, (round(sum(totals) / len(totals), 2) if totals else None)
