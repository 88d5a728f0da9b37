"""Reads for the committee: the edition's juries and one jury's assignment at a glance."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q, QuerySet
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
    n_works: int
    coverage: float
    covered: int
    mean_affinity: float
    connected: bool
    calibration_feasible: bool = False
    warnings: list[str] = field(default_factory=list)


def jury_overview(jury: Jury) -> JuryOverview:
    """Loads, affinity, coverage and connectivity of the jury's current assignment.

    Counted and averaged in SQL (5 queries); no work or assignment is loaded as an object.
    Connectivity needs the whole expert–work graph: it reads the active pairs as two integer
    columns (the one read that grows with the jury). The page's works come from
    ``jury_work_lines``.
    """
    works = jury_works(jury)
    active = Assignment.objects.filter(jury=jury, forbidden=False)
    n_works = works.count()
    covered = (
        active.filter(work__in=works.order_by().values("pk"))
        .order_by()
        .values("work_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=jury.k)
        .count()
    )
    members = list(jury.members.select_related("expert_profile").order_by("real_name", "pk"))
    loads = {
        row["expert_id"]: row
        for row in active.order_by()
        .values("expert_id")
        .annotate(
            load=Count("pk"),
            submitted=Count("pk", filter=Q(review__status=ReviewStatus.SUBMITTED)),
            mean_affinity=Avg("affinity"),
        )
    }
    mean = active.aggregate(mean=Avg("affinity"))["mean"]
    overview = JuryOverview(
        jury=jury,
        experts=_expert_loads(members, loads),
        n_works=n_works,
        coverage=covered / n_works if n_works else 0.0,
        covered=covered,
        mean_affinity=float(mean or 0.0),
        connected=_is_connected(works, members, active),
    )
    if loads:
        _add_warnings(overview)
    return overview


def jury_work_lines(jury: Jury, works) -> list[WorkLine]:
    """One line per work shown (a page of ``jury_works``): its experts and, apart, the pairs
    the committee forbade (one query for the page's assignments)."""
    works = list(works)
    by_work: dict[int, list[Assignment]] = {}
    forbidden: dict[int, list[Assignment]] = {}
    rows = (
        Assignment.objects.filter(jury=jury, work_id__in=[w.pk for w in works])
        .select_related("expert", "review")
        .order_by("work_id", "expert__real_name", "pk")
    )
    for a in rows:
        (forbidden if a.forbidden else by_work).setdefault(a.work_id, []).append(a)
    return [WorkLine(w, by_work.get(w.pk, []), forbidden.get(w.pk, [])) for w in works]


def _expert_loads(members: list[User], loads: dict[int, dict]) -> list[ExpertLoad]:
    experts = []
    for m in members:
        mine = loads.get(m.pk, {})
        profile = getattr(m, "expert_profile", None)
        experts.append(
            ExpertLoad(
                expert=m,
                load=mine.get("load", 0),
                max_load=profile.max_load if profile else 30,
                submitted=mine.get("submitted", 0),
                mean_affinity=float(mine.get("mean_affinity") or 0.0),
            )
        )
    return experts


def _is_connected(works, members: list[User], active) -> bool:
    """Whether the expert–work graph of the active pairs is connected (calibration needs it)."""
    w_index = {pk: i for i, pk in enumerate(works.values_list("pk", flat=True))}
    e_index = {m.pk: i for i, m in enumerate(members)}
    pairs = [
        (w_index[w], e_index[e])
        for w, e in active.order_by().values_list("work_id", "expert_id")
        if w in w_index and e in e_index
    ]
    return bool(w_index and members and pairs) and solver.is_connected(
        [p[0] for p in pairs], [p[1] for p in pairs], len(w_index), len(members)
    )


def _add_warnings(overview: JuryOverview) -> None:
    """Warn about uncovered works, a split graph and experts with too few works to calibrate."""
    jury, n_works, n_members = overview.jury, overview.n_works, len(overview.experts)
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
