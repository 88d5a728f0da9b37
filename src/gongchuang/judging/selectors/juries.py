"""Reads for the committee: the edition's juries and one jury's assignment at a glance."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from gongchuang.accounts.models import User
from gongchuang.editions.models import Edition
from gongchuang.submissions.models import WorkCount

from .. import assignment as solver
from ..counts import jury_version
from ..enums import MIN_WORKS_FOR_CALIBRATION, ReviewStatus
from ..matching import JUDGED_STATES, jury_works
from ..models import Assignment, Jury, JuryCount


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
    n_members: int = 0
    n_few: int = 0  # members with fewer than MIN_WORKS_FOR_CALIBRATION works


# The whole-jury figures are kept a day at most; every write of the jury's assignments or
# reviews makes them stale at once (``counts.jury_version``).
FIGURES_CACHE_SECONDS = 24 * 3600


def jury_overview(jury: Jury, *, members=None) -> JuryOverview:
    """Loads, affinity, coverage and connectivity of the jury's current assignment.

    The whole-jury figures (coverage, mean affinity, connectivity, experts with few works)
    need every assignment of the jury: they are computed once per version of the jury's
    assignments (``jury_figures``) and cached. ``experts`` holds the loads of ``members``
    (a page of them, read for those experts only; every member when None).
    """
    figures = jury_figures(jury)
    if members is None:
        members = list(jury.members.select_related("expert_profile").order_by("pk"))
    n_works = figures["n_works"]
    overview = JuryOverview(
        jury=jury,
        experts=expert_loads(jury, members),
        n_works=n_works,
        coverage=figures["covered"] / n_works if n_works else 0.0,
        covered=figures["covered"],
        mean_affinity=figures["mean_affinity"],
        connected=figures["connected"],
        n_members=figures["n_members"],
        n_few=figures["n_few"],
    )
    if figures["any_loads"]:
        _add_warnings(overview)
    return overview


def figures_key(jury: Jury, *, kind: str, states) -> str:
    """A cache key that changes with the jury's assignments and reviews: the version token
    (``counts.jury_version``), the kept summary rows of its progress (``JuryCount``) and of
    its works (``WorkCount``: works entering or leaving the jury), its k, level and
    number of members. Three small reads, however large the jury."""
    progress = JuryCount.objects.filter(jury=jury).aggregate(
        a=Sum("assigned"), d=Sum("done"), w=Sum("works")
    )
    works = WorkCount.objects.filter(
        edition_id=jury.edition_id, category_id=jury.category_id, state__in=list(states)
    )
    if jury.level:
        works = works.filter(level=jury.level)
    by_state = sorted(works.order_by().values_list("state").annotate(n=Sum("n")))
    n_members = Jury.members.through.objects.filter(jury=jury).count()  # the index alone
    raw = repr(
        (jury_version(jury.pk), sorted(progress.items()), by_state, jury.k, jury.level, n_members)
    )
    return f"judging:{kind}:{jury.pk}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def jury_figures(jury: Jury) -> dict:
    """The whole-jury figures of the overview, cached under ``figures_key``."""
    key = figures_key(jury, kind="figures", states=JUDGED_STATES)
    figures = cache.get(key)
    if figures is None:
        figures = _compute_figures(jury)
        cache.set(key, figures, FIGURES_CACHE_SECONDS)
    return figures


def _compute_figures(jury: Jury) -> dict:
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
    member_ids = list(jury.members.order_by("pk").values_list("pk", flat=True))
    loads = dict(
        active.order_by().values("expert_id").annotate(n=Count("pk")).values_list("expert_id", "n")
    )
    mean = active.aggregate(mean=Avg("affinity"))["mean"]
    return {
        "n_works": n_works,
        "covered": covered,
        "mean_affinity": float(mean or 0.0),
        "connected": _is_connected(works, member_ids, active),
        "n_members": len(member_ids),
        "n_few": sum(1 for m in member_ids if loads.get(m, 0) < MIN_WORKS_FOR_CALIBRATION),
        "any_loads": bool(loads),
    }


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


def jury_members_page(jury: Jury):
    """The ids of the jury's experts in the order of the membership index (jury, expert): a
    page of them is read from the index alone (then ``experts_by_id``)."""
    return (
        Jury.members.through.objects.filter(jury=jury)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def experts_by_id(ids) -> list[User]:
    """The users of ``ids`` (a page), in that order, with their expert profiles."""
    ids = list(ids)
    people = User.objects.select_related("expert_profile").in_bulk(ids)
    return [people[pk] for pk in ids if pk in people]


def expert_loads(jury: Jury, members) -> list[ExpertLoad]:
    """Each of ``members``' load, submitted reviews and mean affinity in the jury (one
    query over those experts' assignments only)."""
    members = list(members)
    loads = {
        row["expert_id"]: row
        for row in Assignment.objects.filter(
            jury=jury, forbidden=False, expert_id__in=[m.pk for m in members]
        )
        .order_by()
        .values("expert_id")
        .annotate(
            load=Count("pk"),
            submitted=Count("pk", filter=Q(review__status=ReviewStatus.SUBMITTED)),
            mean_affinity=Avg("affinity"),
        )
    }
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


def _is_connected(works, members: list[int], active) -> bool:
    """Whether the expert–work graph of the active pairs is connected (calibration needs it)."""
    w_index = {pk: i for i, pk in enumerate(works.values_list("pk", flat=True))}
    e_index = {pk: i for i, pk in enumerate(members)}
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
    jury, n_works, n_members = overview.jury, overview.n_works, overview.n_members
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
    if feasible and overview.n_few:
        overview.warnings.append(
            _("%(n)s experts have fewer than %(min)s works; calibration needs about %(min)s each.")
            % {"n": overview.n_few, "min": MIN_WORKS_FOR_CALIBRATION}
        )
