"""Reads for the committee's decision: the calibrated ranking, the finalist preview, approved lists.

The arithmetic (ranks with ties, the cut line) is ``scoring.py``; the calibration
itself is ``calibration.py``. Here the database is read and the two are fed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.core.cache import cache
from django.db.models import Prefetch, QuerySet

from gongchuang.accounts.models import User
from gongchuang.editions.models import Edition
from gongchuang.submissions.models import Work

from .. import calibration
from ..matching import JUDGED_STATES, RANKED_STATES, jury_works
from ..models import Assignment, ExpertProfile, FinalistEntry, FinalistList, Jury
from ..scoring import RankRow, mark_cut, rank_group, selection_count
from .juries import figures_key

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


# The computed ranking is kept a day at most; any write of the jury's assignments or
# reviews, and any work entering or leaving it, changes its key (``figures_key``).
RANKING_CACHE_SECONDS = 24 * 3600
_ROW_COLUMNS = (
    "work_id", "level", "n_assigned", "n_submitted", "raw_mean", "calibrated",
    "band_low", "band_high", "spread", "disagreement", "rank",
)  # fmt: skip


@dataclass
class RankingSummary:
    """The jury's ranking as columns (level by level, best first within a level) and the
    experts' fitted offsets (most severe first): what the ranking page pages through.
    Computed once per version of the jury's reviews (``ranking_summary``), then cached."""

    method: str
    ridge: float
    n_boot: int
    threshold: float
    n_reviews: int
    levels: list[str]
    rows: dict[str, np.ndarray]
    offsets: dict[str, np.ndarray]

    def positions(self, level: str | None = None) -> np.ndarray:
        """Indexes of the rows of ``level`` (every row when None), in ranking order."""
        if level is None:
            return np.arange(len(self.rows["work_id"]))
        return np.flatnonzero(self.rows["level"] == self.levels.index(level))

    def offset_positions(self) -> np.ndarray:
        return np.arange(len(self.offsets["expert_id"]))


def ranking_summary(jury: Jury) -> RankingSummary:
    """``jury_ranking`` of ``jury`` as a ``RankingSummary``, from the cache when the jury's
    reviews, assignments, works and calibration settings are as when it was computed."""
    threshold = float(jury.edition.settings.get("disagreement_threshold", DEFAULT_DISAGREEMENT))
    kind = f"ranking:{RIDGE}:{N_BOOT}:{threshold}"
    key = figures_key(jury, kind=kind, states=RANKED_STATES)
    summary = cache.get(key)
    if summary is None:
        summary = _summarise(jury_ranking(jury))
        cache.set(key, summary, RANKING_CACHE_SECONDS)
    return summary


def _summarise(ranking: Ranking) -> RankingSummary:
    levels = list(ranking.groups)
    flat = [row for rows in ranking.groups.values() for row in rows]
    columns = {name: [getattr(r, name) for r in flat] for name in _ROW_COLUMNS}
    columns["level"] = [levels.index(r.level) for r in flat]
    offsets = ranking.expert_offsets
    return RankingSummary(
        method=ranking.method,
        ridge=ranking.ridge,
        n_boot=ranking.n_boot,
        threshold=ranking.threshold,
        n_reviews=ranking.n_reviews,
        levels=levels,
        rows={name: np.asarray(values) for name, values in columns.items()},
        offsets={
            "expert_id": np.asarray([e.pk for e, _o, _n in offsets], dtype=np.int64),
            "offset": np.asarray([o for _e, o, _n in offsets], dtype=float),
            "n": np.asarray([n for _e, _o, n in offsets], dtype=np.int64),
        },
    )


def ranking_rows(summary: RankingSummary, positions) -> list[RankRow]:
    """The rows at ``positions`` (a page) with their works (one query)."""
    positions = [int(i) for i in positions]
    cols = summary.rows
    ids = [int(cols["work_id"][i]) for i in positions]
    works = Work.objects.in_bulk(ids)
    rows = []
    for i, pk in zip(positions, ids, strict=True):
        row = RankRow(
            work=works.get(pk),
            work_id=pk,
            level=summary.levels[int(cols["level"][i])],
            n_assigned=int(cols["n_assigned"][i]),
            n_submitted=int(cols["n_submitted"][i]),
            raw_mean=float(cols["raw_mean"][i]),
            calibrated=float(cols["calibrated"][i]),
            band_low=float(cols["band_low"][i]),
            band_high=float(cols["band_high"][i]),
            spread=float(cols["spread"][i]),
            disagreement=bool(cols["disagreement"][i]),
            rank=int(cols["rank"][i]),
        )
        if row.work is not None:  # a work deleted since the ranking was computed
            rows.append(row)
    return rows


def offset_rows(summary: RankingSummary, positions) -> list[tuple[User, float, int]]:
    """(expert, offset, submitted reviews) at ``positions`` (a page), with each expert's
    practice bias (one query)."""
    positions = [int(i) for i in positions]
    ids = [int(summary.offsets["expert_id"][i]) for i in positions]
    people = User.objects.select_related("expert_profile").in_bulk(ids)
    rows = []
    for i, pk in zip(positions, ids, strict=True):
        person = people.get(pk)
        if person is None:
            continue
        profile = getattr(person, "expert_profile", None)
        person.practice_bias = profile.practice_bias if profile else None
        rows.append((person, float(summary.offsets["offset"][i]), int(summary.offsets["n"][i])))
    return rows


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
