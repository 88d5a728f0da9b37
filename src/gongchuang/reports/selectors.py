"""Reads of the reports app: who sees which works, the dashboard's tables.

A report's scope is the staff side of ``submissions.selectors.works_visible_to``,
with the same rule per audience: the committee sees every work of the edition; a
unit organizer sees the works of the units they organise once submitted
(``organised_units_condition``). Who has reports at all is the ``reports.view``
permission (reports/rules.py).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongchuang.accounts.access import can, is_committee
from gongchuang.accounts.enums import Level, Role
from gongchuang.accounts.models import Unit
from gongchuang.common.db.functions import LocalDate
from gongchuang.editions.enums import Step
from gongchuang.editions.models import Edition
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from gongchuang.submissions.selectors import organised_units_condition

from . import charts

SCORE_BUCKETS = [(0, 60), (60, 70), (70, 80), (80, 90), (90, 101)]


@dataclass(frozen=True)
class Scope:
    """Which units' works a person's reports cover; ``unit_ids`` None means all."""

    unit_ids: frozenset[int] | None

    @property
    def is_committee(self) -> bool:
        return self.unit_ids is None


def report_scope(user) -> Scope | None:
    """The person's report scope, or None when they may not see reports."""
    if not can(user, "reports.view"):
        return None
    if is_committee(user):
        return Scope(unit_ids=None)
    return Scope(unit_ids=frozenset(user.unit_ids_for(Role.UNIT_ORGANIZER)))


@dataclass(frozen=True)
class Filters:
    unit_id: int | None = None
    category_id: int | None = None
    state: str | None = None
    submitted_only: bool = False  # leave drafts out (the summary report counts submissions)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}


def work_condition(scope: Scope, filters: Filters, prefix: str = "") -> Q:
    """The Q selecting the works of ``scope`` × ``filters`` (``prefix`` e.g. "work__")."""
    q = Q()
    if scope.unit_ids is not None:
        q &= organised_units_condition(scope.unit_ids, prefix=prefix)
    if filters.unit_id:
        q &= Q(**{f"{prefix}unit_id": filters.unit_id})
    if filters.category_id:
        q &= Q(**{f"{prefix}category_id": filters.category_id})
    if filters.state:
        q &= Q(**{f"{prefix}state": filters.state})
    if filters.submitted_only:
        q &= ~Q(**{f"{prefix}state": WorkState.DRAFT})
    return q


def report_works(scope: Scope, *, edition: Edition, filters: Filters = Filters()) -> QuerySet[Work]:
    return Work.objects.filter(work_condition(scope, filters), edition=edition)


def units_in_scope(scope: Scope) -> list[Unit]:
    units = Unit.objects.all()
    if scope.unit_ids is not None:
        units = units.filter(pk__in=scope.unit_ids)
    return list(units)


@dataclass
class Table:
    """A table of numbers behind a chart; ``rows`` are lists matching ``headers``."""

    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    chart: str = ""
    note: str = ""


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
    """Counts by unit × category × level × state, in one aggregate query."""
    return list(
        report_works(scope, edition=edition, filters=filters)
        .values("unit_id", "category_id", "level", "state")
        .annotate(n=Count("id"))
        .order_by()
    )


def daily_submissions(
    scope: Scope, *, edition: Edition, filters: Filters
) -> list[tuple[datetime.date, int]]:
    """Works first submitted per day (Asia/Shanghai), one query, every day of the span."""
    rows = (
        report_works(scope, edition=edition, filters=filters)
        .filter(submitted_at__isnull=False)
        .annotate(day=LocalDate("submitted_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    by_day = {r["day"]: r["n"] for r in rows}
    if not by_day:
        return []
    day, last = min(by_day), max(by_day)
    out = []
    while day <= last:
        out.append((day, by_day.get(day, 0)))
        day += datetime.timedelta(days=1)
    return out


def _level_label(code: str) -> str:
    return dict(Level.choices).get(code) or _("No level (teachers)")


def dashboard_data(scope: Scope, *, edition: Edition, filters: Filters) -> Dashboard:
    """Every table and chart of the dashboard; a bounded number of queries."""
    units = units_in_scope(scope)
    unit_names = {u.pk: u.name for u in units}
    categories = list(edition.categories.all())
    cat_names = {c.pk: c.name for c in categories}
    # Plain strings (translated once): the matrix below sorts thousands of rows by these
    # labels, and comparing lazy translation proxies was the dashboard's hottest path.
    state_names = {code: str(label) for code, label in WorkState.choices}
    level_names = {code: str(_level_label(code)) for code in [*Level.values, ""]}
    matrix = count_matrix(scope, edition=edition, filters=filters)

    by_unit_cat: dict[tuple, int] = defaultdict(int)
    by_state_cat: dict[tuple, int] = defaultdict(int)
    by_level_cat: dict[tuple, int] = defaultdict(int)
    for r in matrix:
        by_unit_cat[r["unit_id"], r["category_id"]] += r["n"]
        by_state_cat[r["state"], r["category_id"]] += r["n"]
        by_level_cat[r["level"], r["category_id"]] += r["n"]
    shown_cats = [c for c in categories if not filters.category_id or c.pk == filters.category_id]
    shown_units = [u for u in units if not filters.unit_id or u.pk == filters.unit_id]
    cat_headers = [c.name for c in shown_cats]

    def cross(keys, labels, counts):
        rows = []
        for key in keys:
            cells = [counts.get((key, c.pk), 0) for c in shown_cats]
            rows.append([labels(key), *cells, sum(cells)])
        return rows

    total = sum(r["n"] for r in matrix)
    unit_rows = cross([u.pk for u in shown_units], unit_names.get, by_unit_cat)
    state_rows = [row for row in cross(list(state_names), state_names.get, by_state_cat) if row[-1]]
    level_keys = [*Level.values, ""]
    level_rows = [row for row in cross(level_keys, level_names.get, by_level_cat) if row[-1]]

    tables = [
        Table(
            "units",
            _("Works by unit and category"),
            [pgettext("report", "Unit"), *cat_headers, pgettext("report", "Total")],
            unit_rows,
            charts.bar_chart(
                [r[0] for r in unit_rows],
                [r[-1] for r in unit_rows],
                title=_("Works by unit"),
            ),
        ),
        Table(
            "states",
            _("Works by state and category"),
            [pgettext("report", "State"), *cat_headers, pgettext("report", "Total")],
            state_rows,
            charts.bar_chart(
                [r[0] for r in state_rows],
                [r[-1] for r in state_rows],
                title=_("Works by state"),
                color=charts.PALETTE[1],
            ),
        ),
        Table(
            "levels",
            _("Works by education level and category"),
            [_("Education level"), *cat_headers, pgettext("report", "Total")],
            level_rows,
            charts.bar_chart(
                [r[0] for r in level_rows],
                [r[-1] for r in level_rows],
                title=_("Works by education level"),
                color=charts.PALETTE[4],
            ),
        ),
        Table(
            "matrix",
            _("Counts by unit, category, level and state"),
            [
                pgettext("report", "Unit"),
                pgettext("report", "Category"),
                _("Education level"),
                pgettext("report", "State"),
                pgettext("report", "Works"),
            ],
            sorted(
                [
                    unit_names.get(r["unit_id"], ""),
                    cat_names.get(r["category_id"], ""),
                    level_names.get(r["level"]) or str(_level_label(r["level"])),
                    state_names.get(r["state"], r["state"]),
                    r["n"],
                ]
                for r in matrix
            ),
        ),
        _daily_table(scope, edition, filters),
    ]
    from .results import award_tables, review_tables  # they read this module's helpers

    tables += review_tables(scope, edition, filters)
    tables += award_tables(scope, edition, filters, unit_names)
    submitted = sum(r["n"] for r in matrix if r["state"] != WorkState.DRAFT)
    totals = {
        "works": total,
        "submitted": submitted,
        "units": len({r["unit_id"] for r in matrix}),
        "schools": report_works(scope, edition=edition, filters=filters)
        .values("school_id")
        .distinct()
        .count(),
    }
    return Dashboard(edition, scope, filters, totals, tables)


DASHBOARD_CACHE_SECONDS = 60


def dashboard_data_cached(
    scope: Scope, *, edition: Edition, filters: Filters, refresh: bool = False
) -> Dashboard:
    """:func:`dashboard_data`, computed at most once a minute per scope, filters and language.

    At 100,000 works the aggregates take about half a second of database time; the
    dashboard says when its figures were computed and offers a refresh. Publishing (or
    withdrawing) the final results shows at once: the moment is part of the key.
    """
    import hashlib

    from django.core.cache import cache
    from django.utils.translation import get_language

    from .results import installed_model

    FinalEvent = installed_model("finals", "FinalEvent")
    published = (
        FinalEvent.objects.filter(edition=edition)
        .values_list("results_published_at", flat=True)
        .first()
        if FinalEvent is not None
        else None
    )
    parts = [edition.pk, sorted(scope.unit_ids or []), scope.is_committee,
             sorted(filters.as_dict().items()), get_language(), published]  # fmt: skip
    key = "reports:dashboard:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    data = None if refresh else cache.get(key)
    if data is None:
        data = dashboard_data(scope, edition=edition, filters=filters)
        cache.set(key, data, DASHBOARD_CACHE_SECONDS)
    return data


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
            pgettext("report", "Submitted"),
            pgettext("report", "Cumulative"),
        ],
        rows,
        chart,
        note,
    )
