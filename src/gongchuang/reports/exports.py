"""Spreadsheet writing in openpyxl's write-only mode (constant memory).

Rows are streamed from the database with ``values_list(...).iterator()`` and
appended one by one; openpyxl keeps only the current row in memory and spools
the sheet to a temporary file, so a 100,000-row export costs the same memory
as a 100-row one.
"""

import tempfile
from collections.abc import Callable, Iterable
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from gongchuang.accounts.enums import Level
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


def work_headers() -> list[str]:
    return [
        _("Work code"),
        pgettext("report", "Title"),
        pgettext("report", "Category"),
        _("Education level"),
        pgettext("report", "Unit"),
        pgettext("report", "School"),
        pgettext("report", "State"),
        _("Submitted at"),
    ]


def result_headers() -> list[str]:
    return [
        _("Work code"),
        pgettext("report", "Title"),
        pgettext("report", "Category"),
        pgettext("report", "Unit"),
        pgettext("report", "School"),
        _("Finalist"),
        _("Star level"),
        _("Rank"),
        _("Special awards"),
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
    headers: list[str],
    rows: Iterable[list],
    progress: Callable[[int], None] | None = None,
    every: int = EXPORT_CHUNK,
) -> int:
    """Write one sheet to ``target``; call ``progress(rows_written)`` every ``every`` rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    n = 0
    for row in rows:
        sheet.append(row)
        n += 1
        if progress and n % every == 0:
            progress(n)
    workbook.save(target)
    if progress:
        progress(n)
    return n


def temp_xlsx(**kwargs) -> tuple[IO[bytes], int]:
    """Write to an anonymous temporary file (gone when closed); returns it rewound."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    n = write_xlsx(handle, **kwargs)
    handle.seek(0)
    return handle, n
