"""The reports' spreadsheets, written by ``gongchuang.common.spreadsheets.write_xlsx``.

Rows are streamed from the database with ``values_list(...).iterator()`` and
appended one by one in openpyxl's write-only mode, so a 100,000-row export costs
the same memory as a 100-row one. Every sheet has a frozen header, an auto-filter,
fitted column widths, codes as text and real dates (see the writer).
"""

import tempfile
from collections.abc import Callable, Iterable
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongchuang.accounts.enums import Level
from gongchuang.common.spreadsheets import OutColumn
from gongchuang.common.spreadsheets import write_xlsx as write_sheet
from gongchuang.common.spreadsheets.writer import CODE, DATETIME, NUMBER
from gongchuang.submissions.enums import WorkState

from .enums import EXPORT_CHUNK

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORK_FIELDS = (
    "code",
    "title",
    "category__name",
    "level",
    "unit__name",
    "school__name",
    "state",
    "submitted_at",
)


def work_headers() -> list[OutColumn]:
    return [
        OutColumn(_("Work code"), kind=CODE),
        OutColumn(pgettext("report", "Title"), width=36),
        OutColumn(pgettext("report", "Category"), width=16),
        OutColumn(_("Education level")),
        OutColumn(pgettext("report", "Unit"), width=14),
        OutColumn(pgettext("report", "School"), width=24),
        OutColumn(pgettext("report", "State"), width=12),
        OutColumn(_("Submitted at"), kind=DATETIME),
    ]


def result_headers() -> list[OutColumn]:
    """The 获奖名单: headers the showcase import (past works) accepts back."""
    return [
        OutColumn(_("Work code"), kind=CODE),
        OutColumn(pgettext("report", "Title"), width=36),
        OutColumn(pgettext("report", "Category"), width=16),
        OutColumn(_("Education level")),
        OutColumn(_("Authors"), width=20),
        OutColumn(_("Advisors"), width=16),
        OutColumn(pgettext("report", "School"), width=24),
        OutColumn(pgettext("report", "District or university"), width=14),
        OutColumn(pgettext("report", "Score"), kind=NUMBER),
        OutColumn(_("Star level"), width=12),
        OutColumn(_("Special awards"), width=16),
    ]


def _local(value):
    # openpyxl cannot store time zones: write the Beijing wall-clock time.
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def work_rows(qs: QuerySet) -> Iterable[list]:
    levels, states = dict(Level.choices), dict(WorkState.choices)
    levels = {k: str(v) for k, v in levels.items()}
    states = {k: str(v) for k, v in states.items()}
    for code, title, cat, level, unit, school, state, submitted_at in (
        qs.order_by("unit__order", "code", "pk")
        .values_list(*WORK_FIELDS)
        .iterator(chunk_size=EXPORT_CHUNK)
    ):
        yield [
            code,
            title,
            cat,
            levels.get(level, ""),
            unit,
            school,
            states.get(state, state),
            _local(submitted_at),
        ]


def write_xlsx(
    target: IO[bytes] | str,
    *,
    title: str,
    headers: list[OutColumn | str],
    rows: Iterable[list],
    progress: Callable[[int], None] | None = None,
    every: int = EXPORT_CHUNK,
) -> int:
    """Write one sheet to ``target``; call ``progress(rows_written)`` every ``every`` rows."""
    return write_sheet(
        target, title=title, columns=headers, rows=rows, progress=progress, every=every
    )


def temp_xlsx(**kwargs) -> tuple[IO[bytes], int]:
    """Write to an anonymous temporary file (gone when closed); returns it rewound."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    n = write_xlsx(handle, **kwargs)
    handle.seek(0)
    return handle, n
