"""Reads of the reports app: the dashboard's tables and figures.

Who sees which works is ``scope`` (the staff side of ``works_visible_to``); the
judging and finals tables are ``results``.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import npgettext, pgettext

from gongchuang.accounts.enums import Level
from gongchuang.accounts.models import School, Unit
from gongchuang.editions.enums import Step
from gongchuang.editions.models import Category, Edition
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work, WorkCount, WorkDayCount

from . import charts
from .results import award_tables, review_tables
from .scope import INLINE_ROWS, Filters, Scope, Table, units_in_scope, work_condition


@dataclass
class Dashboard:
    edition: Edition
    scope: Scope
    filters: Filters
    totals: dict
    tables: list[Table]
    computed_at: datetime.datetime = field(default_factory=timezone.now)

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


def count_matrix(scope: Scope, *, edition: Edition, filters: Filters) -> list[dict]:
    """Counts by unit × category × level × state: the kept rows (``WorkCount``), read live."""
    return list(
        WorkCount.objects.filter(work_condition(scope, filters), edition=edition, n__gt=0)
        .values("unit_id", "category_id", "level", "state", "n")
        .order_by()
    )


def daily_submissions(
    scope: Scope, *, edition: Edition, filters: Filters
) -> list[tuple[datetime.date, int]]:
    """Works first submitted per day (Asia/Shanghai), every day of the span: the kept rows
    (``WorkDayCount``), read live."""
    rows = (
        WorkDayCount.objects.filter(work_condition(scope, filters), edition=edition, n__gt=0)
        .values("day")
        .annotate(total=Sum("n"))
        .order_by("day")
    )
    by_day = {r["day"]: r["total"] for r in rows}
    if not by_day:
        return []
    day, last = min(by_day), max(by_day)
    out = []
    while day <= last:
        out.append((day, by_day.get(day, 0)))
        day += datetime.timedelta(days=1)
    return out


def school_count(scope: Scope, *, edition: Edition, filters: Filters) -> int:
    """Schools with at least one work of ``scope`` × ``filters``: one index probe per school
    of the scope's units (a school's first work usually answers), not a pass over the works."""
    works = Work.objects.filter(
        work_condition(scope, filters), edition=edition, school=OuterRef("pk")
    )
    schools = School.objects.all()
    if scope.unit_ids is not None:
        schools = schools.filter(unit_id__in=scope.unit_ids)
    if filters.unit_id:
        schools = schools.filter(unit_id=filters.unit_id)
    return schools.filter(Exists(works)).count()


def _level_label(code: str) -> str:
    return dict(Level.choices).get(code) or _("No level (teachers)")


def dashboard_data(
    scope: Scope, *, edition: Edition, filters: Filters, refresh: bool = False, brief: bool = False
) -> Dashboard:
    """Every table and chart of the dashboard; a bounded number of queries."""
    units = units_in_scope(scope)
    unit_names = {u.pk: u.name for u in units}
    matrix = count_matrix(scope, edition=edition, filters=filters)
    tables = [
        *_count_tables(
            matrix,
            units=units,
            categories=list(edition.categories.all()),
            filters=filters,
            brief=brief,
        ),
        _daily_table(scope, edition, filters),
        *review_tables(scope, edition, filters, refresh=refresh, brief=brief),
        *award_tables(scope, edition, filters, unit_names, brief=brief),
    ]
    return Dashboard(edition, scope, filters, _totals(scope, edition, filters, matrix), tables)


def _totals(scope: Scope, edition: Edition, filters: Filters, matrix: list[dict]) -> dict:
    return {
        "works": sum(r["n"] for r in matrix),
        "submitted": sum(r["n"] for r in matrix if r["state"] != WorkState.DRAFT),
        "units": len({r["unit_id"] for r in matrix}),
        "schools": school_count(scope, edition=edition, filters=filters),
    }


def _count_tables(
    matrix: list[dict],
    *,
    units: list[Unit],
    categories: list[Category],
    filters: Filters,
    brief: bool = False,
) -> list[Table]:
    """Works by unit, by state and by education level (each × category), and the matrix
    (``brief``: a download only when longer than ``INLINE_ROWS``)."""
    unit_names = {u.pk: u.name for u in units}
    # Plain strings (translated once): the matrix below sorts thousands of rows by these
    # labels, and comparing lazy translation proxies was the dashboard's hottest path.
    state_names = {code: str(label) for code, label in WorkState.choices}
    level_names = {code: str(_level_label(code)) for code in [*Level.values, ""]}
    shown_cats = [c for c in categories if not filters.category_id or c.pk == filters.category_id]
    shown_units = [u for u in units if not filters.unit_id or u.pk == filters.unit_id]
    unit_rows, state_rows, level_rows = _cross_rows(
        matrix,
        shown_cats=shown_cats,
        units=([u.pk for u in shown_units], unit_names),
        states=(list(state_names), state_names),
        levels=([*Level.values, ""], level_names),
    )
    cat_headers = [c.name for c in shown_cats]
    return [
        _cross_table(
            "units",
            _("Works by unit and category"),
            pgettext("report", "Unit"),
            cat_headers,
            unit_rows,
            _("Works by unit"),
            charts.PALETTE[0],
        ),
        _cross_table(
            "states",
            _("Works by state and category"),
            pgettext("report", "State"),
            cat_headers,
            state_rows,
            _("Works by state"),
            charts.PALETTE[1],
        ),
        _cross_table(
            "levels",
            _("Works by education level and category"),
            _("Education level"),
            cat_headers,
            level_rows,
            _("Works by education level"),
            charts.PALETTE[4],
        ),
        _matrix_table(
            [] if brief and len(matrix) > INLINE_ROWS else matrix,
            labels=(unit_names, {c.pk: c.name for c in categories}, level_names, state_names),
            elsewhere=brief and len(matrix) > INLINE_ROWS,
        ),
    ]


def _cross_rows(matrix: list[dict], *, shown_cats: list[Category], units, states, levels):
    """Rows of label, one count per shown category, total: one row per unit, and one per
    state and per level that has works. ``units``/``states``/``levels``: (keys, labels)."""
    by_unit_cat: dict[tuple, int] = defaultdict(int)
    by_state_cat: dict[tuple, int] = defaultdict(int)
    by_level_cat: dict[tuple, int] = defaultdict(int)
    for r in matrix:
        by_unit_cat[r["unit_id"], r["category_id"]] += r["n"]
        by_state_cat[r["state"], r["category_id"]] += r["n"]
        by_level_cat[r["level"], r["category_id"]] += r["n"]

    def cross(keys_labels, counts):
        keys, labels = keys_labels
        rows = []
        for key in keys:
            cells = [counts.get((key, c.pk), 0) for c in shown_cats]
            rows.append([labels.get(key), *cells, sum(cells)])
        return rows

    return (
        cross(units, by_unit_cat),
        [row for row in cross(states, by_state_cat) if row[-1]],
        [row for row in cross(levels, by_level_cat) if row[-1]],
    )


def works_label(n: int) -> str:
    """A count of works with its unit ("12 件")."""
    return npgettext("report figure", "%(n)s work", "%(n)s works", n) % {"n": n}


def _cross_table(key, title, first_header, cat_headers, rows, chart_title, color) -> Table:
    """A breakdown × category table, closed by a row of each column's total, with a bar
    chart of its totals column."""
    footer = None
    if rows:
        columns = range(1, len(rows[0]))
        footer = [pgettext("report", "Total"), *(sum(r[i] for r in rows) for i in columns)]
    return Table(
        key,
        title,
        [first_header, *cat_headers, pgettext("report", "Total")],
        rows,
        charts.bar_chart(
            [r[0] for r in rows],
            [r[-1] for r in rows],
            title=chart_title,
            color=color,
            value_labels=[works_label(r[-1]) for r in rows],
        ),
        _("Figures are numbers of works."),
        footer=footer,
    )


def _matrix_table(matrix: list[dict], *, labels: tuple[dict, ...], elsewhere: bool) -> Table:
    """Every count of ``matrix`` with its labels, sorted; ``labels``: names of units,
    categories, levels and states."""
    unit_names, cat_names, level_names, state_names = labels
    rows = sorted(
        [
            unit_names.get(r["unit_id"], ""),
            cat_names.get(r["category_id"], ""),
            level_names.get(r["level"]) or str(_level_label(r["level"])),
            state_names.get(r["state"], r["state"]),
            r["n"],
        ]
        for r in matrix
    )
    return Table(
        "matrix",
        _("Counts by unit, category, level and state"),
        [
            pgettext("report", "Unit"),
            pgettext("report", "Category"),
            _("Education level"),
            pgettext("report", "State"),
            pgettext("report", "Works (count)"),
        ],
        rows,
        rows_elsewhere=elsewhere,
    )


def dashboard_data_cached(
    scope: Scope, *, edition: Edition, filters: Filters, refresh: bool = False, brief: bool = False
) -> Dashboard:
    """:func:`dashboard_data`: the counts and the review progress are read live from their
    kept rows (issue 21); only the score distribution is up to a minute old
    (``results.SCORE_CACHE_SECONDS``), and ``refresh`` recomputes it now. ``brief``: the
    page's form, where a table longer than ``scope.INLINE_ROWS`` is a download only."""
    return dashboard_data(scope, edition=edition, filters=filters, refresh=refresh, brief=brief)


def _daily_table(scope, edition, filters) -> Table:
    points = daily_submissions(scope, edition=edition, filters=filters)
    window = edition.window(Step.SUBMISSION)
    deadline = timezone.localtime(window.closes_at).date() if window else None
    running, rows = 0, []
    for day, n in points:
        running += n
        rows.append([day.isoformat(), n, running])
    chart = ""
    if points:
        chart = charts.line_chart(
            points,
            title=_("Submissions per day"),
            marker=(deadline, _("Deadline")) if deadline else None,
        )
    note = _("Submission deadline: %(day)s") % {"day": deadline.isoformat()} if deadline else ""
    return Table(
        "daily",
        _("Submissions per day"),
        [
            pgettext("report", "Day"),
            pgettext("report", "Submitted that day (works)"),
            pgettext("report", "Cumulative (works)"),
        ],
        rows,
        chart,
        note,
    )
