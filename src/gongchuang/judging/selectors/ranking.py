"""Reads for the committee's decision: the calibrated ranking, the finalist preview, approved lists.

The arithmetic (ranks with ties, the cut line) is ``scoring.py``; the calibration
itself is ``calibration.py``. Here the database is read and the two are fed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db.models import Prefetch, QuerySet

from gongchuang.accounts.models import User
from gongchuang.editions.models import Edition

from .. import calibration
from ..matching import JUDGED_STATES, RANKED_STATES, jury_works
from ..models import Assignment, ExpertProfile, FinalistEntry, FinalistList, Jury
from ..scoring import RankRow, mark_cut, rank_group, selection_count

DEFAULT_DISAGREEMENT = 20.0
RIDGE = 1.0
N_BOOT = 200


@dataclass
class Ranking:
    jury: Jury
    method: str
    ridge: float
    n_boot: int
    threshold: float
    groups: dict[str, list[RankRow]]
    n_reviews: int
    expert_offsets: list[tuple[User, float, int]]


def jury_ranking(jury: Jury, *, n_boot: int = N_BOOT) -> Ranking:
    """Calibrated ranking of the jury's works, ranked per group (level). See calibration.py.

    ``n_boot=0`` skips the bootstrap bands (then equal to the point estimate).
    """
    works = list(
        jury_works(jury, states=RANKED_STATES).select_related("category").order_by("level", "pk")
    )
    w_index = {w.pk: i for i, w in enumerate(works)}
    active = list(
        Assignment.objects.filter(jury=jury, forbidden=False, work_id__in=w_index).select_related(
            "review", "expert"
        )
    )
    reviews = [a for a in active if hasattr(a, "review") and a.review.is_submitted]
    e_index = {e: i for i, e in enumerate(sorted({a.expert_id for a in reviews}))}
    threshold = float(jury.edition.settings.get("disagreement_threshold", DEFAULT_DISAGREEMENT))
    result = (
        calibration.calibrate(
            [w_index[a.work_id] for a in reviews],
            [e_index[a.expert_id] for a in reviews],
            [a.review.total for a in reviews],
            n_works=len(works),
            n_experts=len(e_index),
            method="ridge",
            ridge=RIDGE,
            n_boot=n_boot,
            disagreement_threshold=threshold,
        )
        if reviews
        else None
    )
    return Ranking(
        jury=jury,
        method=result.method if result else "ridge",
        ridge=RIDGE,
        n_boot=n_boot,
        threshold=threshold,
        groups=_ranked_groups(works, w_index, active, reviews, result),
        n_reviews=len(reviews),
        expert_offsets=_expert_offsets(reviews, e_index, result),
    )


def _ranked_groups(
    works: list,
    w_index: dict[int, int],
    active: list[Assignment],
    reviews: list[Assignment],
    result: calibration.CalibrationResult | None,
) -> dict[str, list[RankRow]]:
    """One ranked list of rows per level; works without submitted reviews have NaN scores."""
    assigned = np.bincount([w_index[a.work_id] for a in active], minlength=len(works))
    submitted = np.bincount([w_index[a.work_id] for a in reviews], minlength=len(works))
    nan = float("nan")
    groups: dict[str, list[RankRow]] = {}
    for i, w in enumerate(works):
        groups.setdefault(w.level, []).append(
            RankRow(
                work=w,
                work_id=w.pk,
                level=w.level,
                n_assigned=int(assigned[i]),
                n_submitted=int(submitted[i]),
                raw_mean=float(result.raw_mean[i]) if result else nan,
                calibrated=float(result.calibrated[i]) if result else nan,
                band_low=float(result.band_low[i]) if result else nan,
                band_high=float(result.band_high[i]) if result else nan,
                spread=float(result.spread[i]) if result else nan,
                disagreement=bool(result.disagreement[i]) if result else False,
            )
        )
    for rows in groups.values():
        rank_group(rows)
    return dict(sorted(groups.items()))


def _expert_offsets(
    reviews: list[Assignment],
    e_index: dict[int, int],
    result: calibration.CalibrationResult | None,
) -> list[tuple[User, float, int]]:
    """(expert, severity offset, submitted reviews), most severe first."""
    if result is None:
        return []
    people = {a.expert_id: a.expert for a in reviews}
    # The practice round's recorded bias (shown next to the fitted offset), one query.
    biases = dict(
        ExpertProfile.objects.filter(user__in=people).values_list("user_id", "practice_bias")
    )
    for pk, person in people.items():
        person.practice_bias = biases.get(pk)
    per_expert = np.bincount([e_index[a.expert_id] for a in reviews], minlength=len(e_index))
    offsets = [
        (people[e], float(result.expert_offset[i]), int(per_expert[i])) for e, i in e_index.items()
    ]
    return sorted(offsets, key=lambda t: t[1])


@dataclass
class FinalistPreview:
    rows: list[RankRow]
    incomplete: list[RankRow]
    count: int
    selected: int
    cut_score: float | None
    ties: list[RankRow]
    method: str


def finalist_preview(*, jury: Jury, level: str, rule: str, value: float) -> FinalistPreview:
    """Who would be selected in group (jury category × ``level``): the cut line, ties included."""
    ranking = jury_ranking(jury)
    # Works already decided (an approved list) are not selected again.
    group = [r for r in ranking.groups.get(level, []) if r.work.state in JUDGED_STATES]
    scored = [r for r in group if r.has_score]
    n = selection_count(rule, value, len(scored))
    cut, ties = mark_cut(scored, n)
    return FinalistPreview(
        rows=scored,
        incomplete=[r for r in group if not r.complete],
        count=n,
        selected=sum(r.selected for r in scored),
        cut_score=cut,
        ties=ties,
        method=ranking.method,
    )


def finalists_for_edition(edition: Edition) -> QuerySet[FinalistList]:
    """Approved finalist lists of ``edition`` with their works in rank order (for publicity)."""
    return (
        FinalistList.objects.filter(edition=edition)
        .select_related("category")
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=FinalistEntry.objects.select_related(
                    "work__unit", "work__school"
                ).order_by("rank"),
            )
        )
    )
