"""Reads of the expert review: queues, jury overviews, calibrated rankings, finalists."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from gongchuang.accounts.models import User
from gongchuang.editions.models import Edition

from . import assignment as solver
from . import calibration
from .enums import MIN_WORKS_FOR_CALIBRATION, PLEDGE_VERSION, ReviewStatus
from .matching import JUDGED_STATES, RANKED_STATES, jury_works
from .models import Assignment, ConfidentialityPledge, FinalistList, Jury, Review

DEFAULT_DISAGREEMENT = 20.0
RIDGE = 1.0
N_BOOT = 200


def has_pledged(user: User, edition: Edition) -> bool:
    return ConfidentialityPledge.objects.filter(
        expert=user, edition=edition, text_version=PLEDGE_VERSION
    ).exists()


def assignments_for_expert(user: User, edition: Edition) -> QuerySet[Assignment]:
    """The expert's assignments in published juries (the only way an expert reaches a work)."""
    return (
        Assignment.objects.filter(
            expert=user, forbidden=False, jury__edition=edition, jury__published_at__isnull=False
        )
        .select_related("work__category", "jury__category")
        .prefetch_related(Prefetch("review", queryset=Review.objects.all()))
        .order_by("jury__category__order", "pk")
    )


def assignment_for_expert_work(user: User, edition: Edition, work_id: int) -> Assignment:
    """The expert's assignment for ``work_id``, else 404 (unassigned and conflicted alike)."""
    found = (
        assignments_for_expert(user, edition)
        .filter(work_id=work_id)
        .select_related("work__category", "jury__edition")
        .first()
    )
    if found is None:
        raise Http404
    return found


def expert_progress(user: User, edition: Edition) -> dict:
    qs = assignments_for_expert(user, edition)
    counts = qs.aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=Q(review__status=ReviewStatus.SUBMITTED)),
        drafts=Count("pk", filter=Q(review__status=ReviewStatus.DRAFT)),
    )
    counts["percent"] = round(100 * counts["submitted"] / counts["total"]) if counts["total"] else 0
    return counts


def juries_for_edition(edition: Edition) -> QuerySet[Jury]:
    return (
        Jury.objects.filter(edition=edition)
        .select_related("category")
        .annotate(
            n_members=Count("members", distinct=True),
            n_assigned=Count("assignments", filter=Q(assignments__forbidden=False), distinct=True),
            n_submitted=Count(
                "assignments",
                filter=Q(assignments__review__status=ReviewStatus.SUBMITTED),
                distinct=True,
            ),
        )
    )


@dataclass
class ExpertLoad:
    expert: User
    load: int
    max_load: int
    submitted: int
    mean_affinity: float


@dataclass
class WorkLine:
    work: object
    assignments: list[Assignment]
    forbidden: list[Assignment]

    @property
    def n(self) -> int:
        return len(self.assignments)


@dataclass
class JuryOverview:
    jury: Jury
    experts: list[ExpertLoad]
    works: list[WorkLine]
    coverage: float
    covered: int
    mean_affinity: float
    connected: bool
    calibration_feasible: bool = False
    warnings: list[str] = field(default_factory=list)


def jury_overview(jury: Jury) -> JuryOverview:
    """Loads, affinity, coverage and connectivity of the jury's current assignment (5 queries)."""
    from django.utils.translation import gettext as _

    works = list(jury_works(jury).select_related("category"))
    members = list(jury.members.select_related("expert_profile").order_by("real_name", "pk"))
    rows = list(
        Assignment.objects.filter(jury=jury)
        .select_related("expert", "review")
        .order_by("work_id", "expert__real_name")
    )
    by_work: dict[int, list[Assignment]] = {}
    forbidden: dict[int, list[Assignment]] = {}
    for a in rows:
        (forbidden if a.forbidden else by_work).setdefault(a.work_id, []).append(a)
    active = [a for a in rows if not a.forbidden]
    loads: dict[int, list[Assignment]] = {}
    for a in active:
        loads.setdefault(a.expert_id, []).append(a)
    experts = []
    for m in members:
        mine = loads.get(m.pk, [])
        profile = getattr(m, "expert_profile", None)
        experts.append(
            ExpertLoad(
                expert=m,
                load=len(mine),
                max_load=profile.max_load if profile else 30,
                submitted=sum(1 for a in mine if hasattr(a, "review") and a.review.is_submitted),
                mean_affinity=float(np.mean([a.affinity for a in mine])) if mine else 0.0,
            )
        )
    lines = [WorkLine(w, by_work.get(w.pk, []), forbidden.get(w.pk, [])) for w in works]
    covered = sum(1 for line in lines if line.n >= jury.k)
    w_index = {w.pk: i for i, w in enumerate(works)}
    e_index = {m.pk: i for i, m in enumerate(members)}
    pairs = [
        (w_index[a.work_id], e_index[a.expert_id])
        for a in active
        if a.work_id in w_index and a.expert_id in e_index
    ]
    connected = bool(works and members and pairs) and solver.is_connected(
        [p[0] for p in pairs], [p[1] for p in pairs], len(works), len(members)
    )
    overview = JuryOverview(
        jury=jury,
        experts=experts,
        works=lines,
        coverage=covered / len(works) if works else 0.0,
        covered=covered,
        mean_affinity=float(np.mean([a.affinity for a in active])) if active else 0.0,
        connected=connected,
    )
    if active:
        if covered < len(works):
            overview.warnings.append(
                _("%(n)s works have fewer than %(k)s experts.")
                % {"n": len(works) - covered, "k": jury.k}
            )
        if not connected:
            overview.warnings.append(
                _(
                    "The expert–work graph is not connected: severities of separated groups of "
                    "experts cannot be compared, so calibration is weaker."
                )
            )
        # Ten works per expert is possible only when the jury has enough reviews to share.
        feasible = len(works) * jury.k >= MIN_WORKS_FOR_CALIBRATION * len(members)
        overview.calibration_feasible = feasible
        few = [e for e in experts if e.load < MIN_WORKS_FOR_CALIBRATION]
        if feasible and few:
            overview.warnings.append(
                _(
                    "%(n)s experts have fewer than %(min)s works; "
                    "calibration needs about %(min)s each."
                )
                % {"n": len(few), "min": MIN_WORKS_FOR_CALIBRATION}
            )
    return overview


# ---------------------------------------------------------------- ranking


@dataclass
class RankRow:
    work: object
    work_id: int
    level: str
    n_assigned: int
    n_submitted: int
    raw_mean: float
    calibrated: float
    band_low: float
    band_high: float
    spread: float
    disagreement: bool
    rank: int = 0  # within the group (level); 0 = no reviews yet
    selected: bool = False
    tied: bool = False
    grey: bool = False  # the uncertainty band crosses the cut line

    @property
    def complete(self) -> bool:
        return self.n_submitted > 0 and self.n_submitted >= self.n_assigned

    @property
    def has_score(self) -> bool:
        return not math.isnan(self.calibrated)


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
    assigned = np.bincount([w_index[a.work_id] for a in active], minlength=len(works))
    reviews = [a for a in active if hasattr(a, "review") and a.review.is_submitted]
    experts = sorted({a.expert_id for a in reviews})
    e_index = {e: i for i, e in enumerate(experts)}
    threshold = float(jury.edition.settings.get("disagreement_threshold", DEFAULT_DISAGREEMENT))
    if reviews:
        result = calibration.calibrate(
            [w_index[a.work_id] for a in reviews],
            [e_index[a.expert_id] for a in reviews],
            [a.review.total for a in reviews],
            n_works=len(works),
            n_experts=len(experts),
            method="ridge",
            ridge=RIDGE,
            n_boot=n_boot,
            disagreement_threshold=threshold,
        )
        method = result.method
    else:
        result, method = None, "ridge"
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
        rows.sort(key=lambda r: (not r.has_score, -r.calibrated if r.has_score else 0, r.work_id))
        previous, rank = None, 0
        for position, row in enumerate(rows, start=1):
            if not row.has_score:
                continue
            if previous is None or round(row.calibrated, 6) != previous:
                rank = position
            row.rank, previous = rank, round(row.calibrated, 6)
    people = {a.expert_id: a.expert for a in reviews}
    per_expert = np.bincount([e_index[a.expert_id] for a in reviews], minlength=len(experts))
    offsets = (
        [
            (people[e], float(result.expert_offset[i]), int(per_expert[i]))
            for e, i in e_index.items()
        ]
        if result
        else []
    )
    return Ranking(
        jury=jury,
        method=method,
        ridge=RIDGE,
        n_boot=n_boot,
        threshold=threshold,
        groups=dict(sorted(groups.items())),
        n_reviews=len(reviews),
        expert_offsets=sorted(offsets, key=lambda t: t[1]),
    )


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
    from .services import selection_count

    ranking = jury_ranking(jury)
    # Works already decided (an approved list) are not selected again.
    group = [r for r in ranking.groups.get(level, []) if r.work.state in JUDGED_STATES]
    scored = [r for r in group if r.has_score]
    incomplete = [r for r in group if not r.complete]
    n = selection_count(rule, value, len(scored))
    cut = round(scored[n - 1].calibrated, 6) if n else None
    ties: list[RankRow] = []
    for row in scored:
        row.selected = cut is not None and round(row.calibrated, 6) >= cut
    if cut is not None:
        for row in scored:
            row.grey = row.band_low <= cut <= row.band_high and round(row.calibrated, 6) != cut
        ties = [r for r in scored if round(r.calibrated, 6) == cut]
        if len(ties) > 1:
            for r in ties:
                r.tied = True
        else:
            ties = []
    return FinalistPreview(
        rows=scored,
        incomplete=incomplete,
        count=n,
        selected=sum(r.selected for r in scored),
        cut_score=cut,
        ties=ties,
        method=ranking.method,
    )


def finalists_for_edition(edition: Edition) -> QuerySet[FinalistList]:
    """Approved finalist lists of ``edition`` with their works in rank order (for publicity)."""
    from .models import FinalistEntry

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


def jury_for_work(work) -> Jury | None:
    """The jury judging ``work``: its category and level, else the category's all-levels jury."""
    juries = Jury.objects.filter(
        edition_id=work.edition_id, category_id=work.category_id, level__in=[work.level, ""]
    )
    return min(juries, key=lambda j: j.level == "", default=None)


def final_online_scores(works) -> dict[int, float]:
    """Calibrated online-review score (0–100) per work, for the final's combined score.

    Used by ``finals.services.online_scores``; works without submitted reviews are left out.
    """
    wanted = {w.pk for w in works}
    scores: dict[int, float] = {}
    seen: set[int] = set()
    groups: dict[tuple, Jury | None] = {}
    for work in works:
        key = (work.edition_id, work.category_id, work.level)
        if key not in groups:
            groups[key] = jury_for_work(work)
        jury = groups[key]
        if jury is None or jury.pk in seen:
            continue
        seen.add(jury.pk)
        for rows in jury_ranking(jury, n_boot=0).groups.values():
            for row in rows:
                if row.work_id in wanted and row.has_score:
                    scores[row.work_id] = round(min(max(row.calibrated, 0.0), 100.0), 2)
    return scores


def comments_to_authors(work_ids: list[int]) -> dict[int, list[str]]:
    """Experts' submitted comments to the authors, without the experts' names (one query)."""
    out: dict[int, list[str]] = {}
    for work_id, text in (
        Review.objects.filter(
            assignment__work_id__in=work_ids,
            assignment__forbidden=False,
            status=ReviewStatus.SUBMITTED,
        )
        .exclude(comment_to_authors="")
        .order_by("pk")
        .values_list("assignment__work_id", "comment_to_authors")
    ):
        out.setdefault(work_id, []).append(text)
    return out
