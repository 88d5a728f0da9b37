"""Dashboard tables read from the judging and finals apps, and the list of results.

Which works reached the final is the finals app's own definition (``FINAL_STATES``).
"""

import hashlib
from collections import defaultdict

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongchuang.accounts.models import School
from gongchuang.editions.models import Edition
from gongchuang.finals.enums import StarLevel
from gongchuang.finals.models import FinalEvent, FinalResult, SpecialAward
from gongchuang.finals.selectors import FINAL_STATES
from gongchuang.judging.enums import ReviewStatus
from gongchuang.judging.models import Assignment, ExpertCount, Jury, JuryCount, Review
from gongchuang.submissions.models import WorkCount, WorkSchoolCount

from . import charts
from .scope import INLINE_ROWS, Filters, Scope, Table, longer_than, report_works, work_condition

SCORE_BUCKETS = [(0, 60), (60, 70), (70, 80), (80, 90), (90, 101)]


SCORE_CACHE_SECONDS = 60


def review_tables(
    scope: Scope, edition: Edition, filters: Filters, *, refresh: bool = False, brief: bool = False
) -> list[Table]:
    """Review progress per group (and per expert for the committee), score distribution.

    The progress comes from the rows ``judging.counts`` keeps per jury × unit × category
    and per jury × expert × category, read live; a filter those rows cannot answer (a
    state; a unit, for the per-expert table) counts the assignments of the works it
    selects. The score distribution is up to a minute old (``refresh``: now). ``brief`` (the
    page): the per-expert table only as its size when longer than ``INLINE_ROWS``."""
    juries = {j.pk: str(j) for j in Jury.objects.filter(edition=edition).select_related("category")}
    base = Assignment.objects.filter(
        work_condition(scope, filters, "work__"), jury__edition=edition, forbidden=False
    )
    group_rows = _kept_group_rows(scope, edition, filters)
    if group_rows is None:
        group_rows = [
            (r["jury_id"], r["works"], r["n"], r["done"])
            for r in base.values("jury_id")
            .annotate(n=Count("id"), done=_done_count(), works=Count("work_id", distinct=True))
            .order_by("jury_id")
        ]
    tables = [_review_group_table(group_rows, juries)]
    if scope.is_committee:
        # Experts' names are the committee's business only.
        tables.append(_review_expert_table(base, edition, filters, brief=brief))
    tables.append(_score_table(scope, edition, filters, juries, refresh=refresh))
    return tables


def _kept_group_rows(scope: Scope, edition: Edition, filters: Filters) -> list[tuple] | None:
    """(jury, works, assigned, done) per jury from the kept rows; None for a state filter.
    A unit organizer's scope leaves drafts out: a draft never has assignments."""
    if filters.state:
        return None
    kept = JuryCount.objects.filter(jury__edition=edition)
    if scope.unit_ids is not None:
        kept = kept.filter(unit_id__in=scope.unit_ids)
    if filters.unit_id:
        kept = kept.filter(unit_id=filters.unit_id)
    if filters.category_id:
        kept = kept.filter(category_id=filters.category_id)
    return [
        (r["jury_id"], r["works_n"], r["n"], r["done_n"])
        for r in kept.values("jury_id")
        .annotate(works_n=Sum("works"), n=Sum("assigned"), done_n=Sum("done"))
        .filter(n__gt=0)
        .order_by("jury_id")
    ]


def _many_experts(base: QuerySet, edition: Edition, filters: Filters) -> bool:
    """Whether :func:`_expert_rows` has more than ``INLINE_ROWS`` rows (read no further)."""
    if filters.unit_id or filters.state:
        return longer_than(base.values("expert_id").distinct(), INLINE_ROWS)
    kept = ExpertCount.objects.filter(jury__edition=edition, assigned__gt=0)
    if filters.category_id:
        kept = kept.filter(category_id=filters.category_id)
    return longer_than(kept.values("expert_id").distinct(), INLINE_ROWS)


def _expert_rows(base: QuerySet, edition: Edition, filters: Filters) -> list[dict]:
    """Per expert: name fields, assigned and done; the kept rows unless a unit or a state
    is chosen (the committee's view: every unit)."""
    names = ("expert_id", "expert__real_name", "expert__username")
    if filters.unit_id or filters.state:
        return list(
            base.values(*names)
            .annotate(n=Count("id"), done=_done_count())
            .order_by("expert__real_name", "expert_id")
        )
    kept = ExpertCount.objects.filter(jury__edition=edition)
    if filters.category_id:
        kept = kept.filter(category_id=filters.category_id)
    return [
        {**r, "done": r["done_n"]}
        for r in kept.values(*names)
        .annotate(n=Sum("assigned"), done_n=Sum("done"))
        .filter(n__gt=0)
        .order_by("expert__real_name", "expert_id")
    ]


def _done_count() -> Count:
    return Count("id", filter=Q(review__status=ReviewStatus.SUBMITTED))


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _review_group_table(group_rows: list[tuple], juries: dict[int, str]) -> Table:
    rows = [
        [juries.get(jury_id, ""), works, n, done, _percent(done, n)]
        for jury_id, works, n, done in group_rows
    ]
    return Table(
        "review_groups",
        _("Review progress per group"),
        [
            pgettext("report", "Group"),
            pgettext("report", "Works"),
            _("Assigned reviews"),
            _("Submitted reviews"),
            _("Done (%)"),
        ],
        rows,
        charts.bar_chart(
            [r[0] for r in rows],
            [r[4] for r in rows],
            title=_("Review progress per group (%)"),
            color=charts.PALETTE[2],
        )
        if rows
        else "",
    )


def _review_expert_table(base: QuerySet, edition: Edition, filters: Filters, *, brief: bool):
    elsewhere = brief and _many_experts(base, edition, filters)
    expert_rows = [] if elsewhere else _expert_rows(base, edition, filters)
    rows = [
        [
            r["expert__real_name"] or r["expert__username"],
            r["n"],
            r["done"],
            _percent(r["done"], r["n"]),
        ]
        for r in expert_rows
    ]
    return Table(
        "review_experts",
        _("Review progress per expert"),
        [
            pgettext("report", "Expert"),
            _("Assigned reviews"),
            _("Submitted reviews"),
            _("Done (%)"),
        ],
        rows,
        rows_elsewhere=elsewhere,
    )


def _score_histogram(scope: Scope, edition: Edition, filters: Filters) -> dict[int, list[int]]:
    """Submitted review totals counted into ``SCORE_BUCKETS``, per jury."""
    histogram: dict[int, list[int]] = defaultdict(lambda: [0] * len(SCORE_BUCKETS))
    for jury_id, total in (
        Review.objects.filter(
            work_condition(scope, filters, "assignment__work__"),
            assignment__jury__edition=edition,
            status=ReviewStatus.SUBMITTED,
            total__isnull=False,
        )
        .values_list("assignment__jury_id", "total")
        .iterator(chunk_size=2000)
    ):
        for i, (low, high) in enumerate(SCORE_BUCKETS):
            if low <= total < high:
                histogram[jury_id][i] += 1
    return histogram


def _score_histogram_cached(
    scope: Scope, edition: Edition, filters: Filters, *, refresh: bool
) -> dict[int, list[int]]:
    """:func:`_score_histogram`, computed at most once a minute per scope and filters (it
    reads every submitted review)."""
    parts = [edition.pk, sorted(scope.unit_ids or []), scope.is_committee,
             sorted(filters.as_dict().items())]  # fmt: skip
    key = "reports:scores:v1:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    histogram = None if refresh else cache.get(key)
    if histogram is None:
        histogram = dict(_score_histogram(scope, edition, filters))
        cache.set(key, histogram, SCORE_CACHE_SECONDS)
    return histogram


def _score_table(
    scope: Scope, edition: Edition, filters: Filters, juries: dict[int, str], *, refresh: bool
) -> Table:
    histogram = _score_histogram_cached(scope, edition, filters, refresh=refresh)
    bucket_labels = [f"{lo}–{min(hi, 100)}" for lo, hi in SCORE_BUCKETS]
    rows = [[juries.get(j, ""), *counts] for j, counts in sorted(histogram.items())]
    overall = [sum(r[i + 1] for r in rows) for i in range(len(SCORE_BUCKETS))]
    return Table(
        "scores",
        _("Score distribution per group"),
        [pgettext("report", "Group"), *bucket_labels],
        rows,
        charts.column_chart(bucket_labels, overall, title=_("Expert scores (all groups)"))
        if rows
        else "",
    )


def _final_works(scope: Scope, edition: Edition, filters: Filters):
    """The works of ``scope`` that reached the final: the state ``finalists_approve`` sets,
    which publishing the results turns into awarded or participated. Not the finalist
    lists' entries: an objection upheld during publicity (finalist → not selected) leaves
    its entry behind, and works reach the final without one too (the demo data)."""
    return report_works(scope, edition=edition, filters=filters).filter(state__in=FINAL_STATES)


def _finalists_per_school(scope: Scope, edition: Edition, filters: Filters) -> list[dict]:
    """Works in the final states per unit and school name: the kept rows (``WorkSchoolCount``,
    read in the final states' range of its key), not a pass over the finalists."""
    rows = list(
        WorkSchoolCount.objects.filter(
            work_condition(scope, filters), edition=edition, state__in=FINAL_STATES, n__gt=0
        ).values_list("unit_id", "school_id", "n")
    )
    names = dict(
        School.objects.filter(pk__in={school for _u, school, _n in rows}).values_list("pk", "name")
    )
    return [{"unit_id": u, "school__name": names.get(school, ""), "n": n} for u, school, n in rows]


def _many_finalist_schools(scope: Scope, edition: Edition, filters: Filters) -> bool:
    """Whether more than ``INLINE_ROWS`` schools have works in the final states (the
    per-school table's rows)."""
    rows = WorkSchoolCount.objects.filter(
        work_condition(scope, filters), edition=edition, state__in=FINAL_STATES, n__gt=0
    )
    return longer_than(rows.values("school_id").distinct(), INLINE_ROWS)


def _finalists_per_unit(scope: Scope, edition: Edition, filters: Filters) -> list[dict]:
    """Works in the final states per unit: the kept rows (``WorkCount``)."""
    return list(
        WorkCount.objects.filter(
            work_condition(scope, filters), edition=edition, state__in=FINAL_STATES, n__gt=0
        )
        .values("unit_id")
        .annotate(total=Sum("n"))
        .values("unit_id", "total")
        .order_by()
    )


def _award_counts(scope, edition, filters, *, schools: bool = True) -> tuple[dict, dict]:
    """Counts per unit and per (unit, school name): finalists, each star level, special
    awards and awarded works (a star level or a special award; a work with both is one).
    Without ``schools``, the per-school counts are left empty and the finalists per unit
    read from the smaller per-unit rows."""
    per_unit: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    per_school: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))

    def add(unit: int, school: str, key: str, n: int = 1) -> None:
        per_unit[unit][key] += n
        if schools:
            per_school[unit, school][key] += n

    finalists = _final_works(scope, edition, filters)
    if schools:
        for r in _finalists_per_school(scope, edition, filters):
            add(r["unit_id"], r["school__name"], "finalists", r["n"])
    else:
        for r in _finalists_per_unit(scope, edition, filters):
            add(r["unit_id"], "", "finalists", r["total"])
    for (unit, school), key in _awards(scope, edition, finalists):
        add(unit, school, key)
    return per_unit, per_school


def _awards(scope: Scope, edition: Edition, finalists: QuerySet) -> list[tuple[tuple, str]]:
    """``((unit id, school name), key)`` per star level, special award and awarded work
    (a work with both is one awarded work) of the works in ``finalists``; a unit sees them
    only once the results are published. A few hundred rows read by key: the edition's
    event, its results and awards, then their works; joining the results to the works let
    PostgreSQL walk every work of the edition (65–100 ms at 100,000 works)."""
    events = FinalEvent.objects.filter(edition=edition)
    if not scope.is_committee:
        events = events.filter(results_published_at__isnull=False)
    event = events.values_list("pk", flat=True).first()
    if event is None:
        return []
    stars = list(
        FinalResult.objects.filter(event_id=event)
        .exclude(star_level="")
        .values_list("work_id", "star_level")
    )
    specials = list(SpecialAward.objects.filter(event_id=event).values_list("work_id", flat=True))
    awarded = {work for work, _level in stars} | set(specials)
    if not awarded:
        return []
    # A disqualified work's star no longer counts: its work has left the final states.
    rows = finalists.filter(pk__in=awarded).values_list("pk", "unit_id", "school__name")
    where = {pk: (unit, school) for pk, unit, school in rows}
    found = [(where[w], level) for w, level in stars if w in where]
    found += [(where[w], "special") for w in specials if w in where]
    found += [(where[w], "awarded") for w in awarded if w in where]
    return found


def award_tables(scope, edition, filters, unit_names, *, brief: bool = False) -> list[Table]:
    """Finalists and awards by unit and by school; ``brief`` (the page): the per-school
    table only as its size when longer than ``INLINE_ROWS``."""
    elsewhere = brief and _many_finalist_schools(scope, edition, filters)
    per_unit, per_school = _award_counts(scope, edition, filters, schools=not elsewhere)
    keys = ["finalists", StarLevel.FIVE, StarLevel.FOUR, StarLevel.THREE, "special", "awarded"]
    headers = [
        pgettext("report", "Finalists"),
        _("Five-star"),
        _("Four-star"),
        _("Three-star"),
        _("Special awards"),
        _("Awarded works"),
    ]
    unit_rows = [
        [unit_names.get(u, ""), *[c[k] for k in keys]]
        for u, c in sorted(per_unit.items(), key=lambda kv: unit_names.get(kv[0], ""))
    ]
    school_rows = [
        [unit_names.get(u, ""), school, *[c[k] for k in keys]]
        for (u, school), c in sorted(
            per_school.items(), key=lambda kv: (unit_names.get(kv[0][0], ""), kv[0][1])
        )
    ]
    return [
        Table(
            "awards_units",
            _("Finalists and awards by unit"),
            [pgettext("report", "Unit"), *headers],
            unit_rows,
            charts.bar_chart(
                [r[0] for r in unit_rows],
                [r[1] for r in unit_rows],
                title=_("Finalists by unit"),
                color=charts.PALETTE[3],
            )
            if unit_rows
            else "",
        ),
        Table(
            "awards_schools",
            _("Finalists and awards by school"),
            [pgettext("report", "Unit"), pgettext("report", "School"), *headers],
            school_rows,
            rows_elsewhere=elsewhere,
        ),
    ]


def results_list(scope: Scope, *, edition: Edition) -> list[dict]:
    """One row per work of ``scope`` that reached the final: star level, rank and special
    awards. Units see star levels and awards once results are published."""
    works = _final_works(scope, edition, Filters()).select_related("category", "unit", "school")
    out = {
        work.pk: {
            "work_id": work.pk,
            "work_code": work.code,
            "title": work.title,
            "category": work.category.code,
            "category_name": work.category.name,
            "unit": work.unit.code,
            "unit_name": work.unit.name,
            "school_name": work.school.name,
            "finalist": True,
            "star_level": "",
            "rank": None,
            "special_awards": [],
        }
        for work in works
    }
    published = {"event__edition": edition, "work_id__in": list(out)}
    if not scope.is_committee:
        published["event__results_published_at__isnull"] = False
    for work_id, star, rank in FinalResult.objects.filter(**published).values_list(
        "work_id", "star_level", "rank"
    ):
        out[work_id].update(star_level=star, rank=rank)
    for work_id, name in (
        SpecialAward.objects.filter(**published).order_by("pk").values_list("work_id", "name")
    ):
        out[work_id]["special_awards"].append(name)
    return sorted(out.values(), key=lambda r: (r["unit"], r["work_code"], r["work_id"]))
