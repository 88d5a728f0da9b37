"""Reads for the committee: the edition's juries and one jury's assignment at a glance."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from gongchuang.accounts.models import User
from gongchuang.editions.models import Edition

from .. import assignment as solver
from ..enums import MIN_WORKS_FOR_CALIBRATION, ReviewStatus
from ..matching import jury_works
from ..models import Assignment, Jury


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
    works = list(jury_works(jury).select_related("category"))
    members = list(jury.members.select_related("expert_profile").order_by("real_name", "pk"))
    rows = list(
        Assignment.objects.filter(jury=jury)
        .select_related("expert", "review")
        .order_by("work_id", "expert__real_name")
    )
    active = [a for a in rows if not a.forbidden]
    lines = _work_lines(works, rows)
    covered = sum(1 for line in lines if line.n >= jury.k)
    overview = JuryOverview(
        jury=jury,
        experts=_expert_loads(members, active),
        works=lines,
        coverage=covered / len(works) if works else 0.0,
        covered=covered,
        mean_affinity=float(np.mean([a.affinity for a in active])) if active else 0.0,
        connected=_is_connected(works, members, active),
    )
    if active:
        _add_warnings(overview)
    return overview


def _work_lines(works: list, rows: list[Assignment]) -> list[WorkLine]:
    """One line per work: its experts and, apart, the pairs the committee forbade."""
    by_work: dict[int, list[Assignment]] = {}
    forbidden: dict[int, list[Assignment]] = {}
    for a in rows:
        (forbidden if a.forbidden else by_work).setdefault(a.work_id, []).append(a)
    return [WorkLine(w, by_work.get(w.pk, []), forbidden.get(w.pk, [])) for w in works]


def _expert_loads(members: list[User], active: list[Assignment]) -> list[ExpertLoad]:
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
    return experts


def _is_connected(works: list, members: list[User], active: list[Assignment]) -> bool:
    """Whether the expert–work graph of the active pairs is connected (calibration needs it)."""
    w_index = {w.pk: i for i, w in enumerate(works)}
    e_index = {m.pk: i for i, m in enumerate(members)}
    pairs = [
        (w_index[a.work_id], e_index[a.expert_id])
        for a in active
        if a.work_id in w_index and a.expert_id in e_index
    ]
    return bool(works and members and pairs) and solver.is_connected(
        [p[0] for p in pairs], [p[1] for p in pairs], len(works), len(members)
    )


def _add_warnings(overview: JuryOverview) -> None:
    """Warn about uncovered works, a split graph and experts with too few works to calibrate."""
    jury, n_works, n_members = overview.jury, len(overview.works), len(overview.experts)
    if overview.covered < n_works:
        overview.warnings.append(
            _("%(n)s works have fewer than %(k)s experts.")
            % {"n": n_works - overview.covered, "k": jury.k}
        )
    if not overview.connected:
        overview.warnings.append(
            _(
                "The expert–work graph is not connected: severities of separated groups of "
                "experts cannot be compared, so calibration is weaker."
            )
        )
    # Ten works per expert is possible only when the jury has enough reviews to share.
    feasible = n_works * jury.k >= MIN_WORKS_FOR_CALIBRATION * n_members
    overview.calibration_feasible = feasible
    few = [e for e in overview.experts if e.load < MIN_WORKS_FOR_CALIBRATION]
    if feasible and few:
        overview.warnings.append(
            _("%(n)s experts have fewer than %(min)s works; calibration needs about %(min)s each.")
            % {"n": len(few), "min": MIN_WORKS_FOR_CALIBRATION}
        )
