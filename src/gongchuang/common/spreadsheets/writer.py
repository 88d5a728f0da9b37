"""Writing spreadsheets that are ready to hand on, and import templates.

Every export has a frozen, bold header row with an auto-filter, column widths that fit
Chinese text, codes and identity columns stored as text (so Excel never turns ``0012`` into
``12`` or an ID number into ``1.10108E+17``) and real dates. Rows are streamed in openpyxl's
write-only mode: a 100,000-row export costs the same memory as a 100-row one.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .cells import DATE, ID, PHONE, TEXT

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
CODE, NUMBER, DATETIME = "code", "number", "datetime"
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclass(frozen=True)
class OutColumn:
    """An exported column: ``kind`` text, code (kept as text), date, datetime or number."""

    header: str
    kind: str = TEXT
    width: int | None = None

    def fitted_width(self) -> int:
        if self.width:
            return self.width
        minimum = {DATE: 12, DATETIME: 17, CODE: 16, ID: 20, PHONE: 14}.get(self.kind, 8)
        return max(minimum, min(40, display_width(self.header) + 4))


def display_width(text: str) -> int:
    """Columns a text takes in Excel: a Chinese character is two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def write_xlsx(
    target: IO[bytes] | str,
    *,
    title: str,
    columns: Sequence[OutColumn | str],
    rows: Iterable[Sequence],
    progress: Callable[[int], None] | None = None,
    every: int = 1000,
) -> int:
    """Write one sheet to ``target``; call ``progress(rows_written)`` every ``every`` rows."""
    columns = [c if isinstance(c, OutColumn) else OutColumn(str(c)) for c in columns]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(title))
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.fitted_width()
    sheet.append([_header_cell(sheet, column.header) for column in columns])
    n = 0
    for row in rows:
        cells = zip(row, columns, strict=False)  # a row may be shorter than the header
        sheet.append([_cell(sheet, value, column) for value, column in cells])
        n += 1
        if progress and n % every == 0:
            progress(n)
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n + 1}"
    book.save(target)
    if progress:
        progress(n)
    return n


def xlsx_bytes(**kwargs) -> bytes:
    out = io.BytesIO()
    write_xlsx(out, **kwargs)
    return out.getvalue()


def xlsx_response(data: bytes | IO[bytes], *, name: str, stamp: bool = True) -> HttpResponse:
    """An attachment named ``<name>-YYYYMMDD-HHMM.xlsx`` (RFC 5987 ``filename*`` for Chinese)."""
    suffix = timezone.localtime().strftime("-%Y%m%d-%H%M") if stamp else ""
    body = data if isinstance(data, bytes) else data.read()
    response = HttpResponse(body, content_type=XLSX_MIME)
    response["Content-Disposition"] = content_disposition_header(True, f"{name}{suffix}.xlsx")
    return response


def template_xlsx(columns: Sequence, *, title: str) -> bytes:
    """An import template: Chinese headers (required ones marked), one example row, dropdowns
    for columns with ``choices`` and phone/ID/code columns formatted as text.

    The headers are Chinese whatever the UI language: the sheet is filled in by staff and
    passed around; the import accepts the English headers too."""
    with translation.override(settings.LANGUAGE_CODE):
        return _template(columns, title=title)


def _template(columns: Sequence, *, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(title)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        header = column.title() + ("（必填）" if column.required else "")
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
        example = sheet.cell(row=2, column=index, value=column.example or None)
        width = column.width or max(12, display_width(header) + 4)
        sheet.column_dimensions[letter].width = width
        if column.kind in (PHONE, ID) or (column.kind == TEXT and column.choices is None):
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = TEXT_FORMAT
        elif column.kind == DATE:
            example.number_format = DATE_FORMAT
        if column.choices is not None:
            _dropdown(sheet, letter, [str(c) for c in column.choices()])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_response(columns: Sequence, *, name: str) -> HttpResponse:
    """The download of an import's template, named ``name``.xlsx."""
    return xlsx_response(template_xlsx(columns, title=name), name=name, stamp=False)


def _dropdown(sheet, letter: str, choices: list[str]) -> None:
    listed = ",".join(choices)
    if not choices or len(listed) > 250:  # Excel's limit for an inline list
        return
    validation = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
    validation.error = "请从下拉列表中选择。"
    validation.showErrorMessage = True
    sheet.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}1001")


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31] or "Sheet1"


def _header_cell(sheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=str(text))
    cell.font, cell.fill = Font(bold=True), _HEADER_FILL
    cell.alignment = Alignment(vertical="center")
    return cell


def _cell(sheet, value, column: OutColumn):
    if value is None or value == "":
        return None
    if column.kind in (CODE, ID, PHONE):
        cell = WriteOnlyCell(sheet, value=str(value))
        cell.number_format = TEXT_FORMAT
        return cell
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):  # openpyxl cannot store time zones: Beijing wall-clock time
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return value
