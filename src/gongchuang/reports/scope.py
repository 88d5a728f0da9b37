"""Who sees which works in reports, and the table every report is made of.

A report's scope is the staff side of ``submissions.selectors.works_visible_to``,
with the same rule per audience: the committee sees every work of the edition; a
unit organizer sees the works of the units they organise once submitted
(``organised_units_condition``). Who has reports at all is the ``reports.view``
permission (reports/rules.py). The dashboard (``selectors``), the judging and finals tables
(``results``), exports and the API all start from here.
"""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from gongchuang.accounts.access import can, is_committee
from gongchuang.accounts.enums import Role
from gongchuang.accounts.models import Unit
from gongchuang.editions.models import Edition
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from gongchuang.submissions.selectors import organised_units_condition


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
    # Set when the page leaves out a table too long to read there (one row per expert or
    # per school of a big edition, the full matrix): it is offered as a download only.
    rows_elsewhere: bool = False
    # A closing row (e.g. 合计: each column's total), shown after the rows and in downloads.
    footer: list | None = None


# A table with more rows than this is offered as a download only on the dashboard page: it
# grows with the edition (3,000 experts, 1,700 schools at 100,000 works), and reading and
# rendering it made the page's cost grow with it (issue 21).
INLINE_ROWS = 200


def longer_than(rows: QuerySet, n: int) -> bool:
    """Whether ``rows`` has more than ``n`` rows, reading at most n + 1 of them."""
    return len(rows[: n + 1]) > n
