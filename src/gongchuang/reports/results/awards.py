"""Finalists and awards per unit and school, and the list of results.

Which works reached the final is the finals app's own definition (``FINAL_STATES``).
"""

from collections import defaultdict

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import npgettext, pgettext

from gongchuang.accounts.models import School
from gongchuang.editions.models import Edition
from gongchuang.finals.enums import StarLevel
from gongchuang.finals.models import FinalEvent, FinalResult, SpecialAward
from gongchuang.finals.selectors import FINAL_STATES
from gongchuang.submissions.models import WorkCount, WorkSchoolCount

from .. import charts
from ..scope import INLINE_ROWS, Filters, Scope, Table, longer_than, report_works, work_condition


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
                value_labels=[
                    npgettext("report figure", "%(n)s work", "%(n)s works", r[1]) % {"n": r[1]}
                    for r in unit_rows
                ],
            )
            if unit_rows
            else "",
            _("Figures are numbers of works."),
        ),
        Table(
            "awards_schools",
            _("Finalists and awards by school"),
            [pgettext("report", "Unit"), pgettext("report", "School"), *headers],
            school_rows,
            note=_("Figures are numbers of works."),
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
