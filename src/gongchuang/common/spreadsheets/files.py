"""Reading uploaded spreadsheets into rows: .xlsx (openpyxl), .xls (xlrd) and .csv.

``read_rows(uploaded, *, max_rows)`` returns the rows of the workbook's first worksheet, or
raises a ``DomainError`` whose message says, in the user's language, what is wrong with the
file: empty, too large, encrypted, a damaged or non-spreadsheet ZIP, a ZIP bomb, broken XML
inside, a text file that is no table, or more rows than the importer takes. The libraries' own
exceptions (``BadZipFile``, ``ParseError``, ``XLRDError``, ``struct.error``...) never leave this
module. Old .xls files are read with xlrd (pure Python) rather than calamine: calamine's Rust
code panics on damaged files, and some panics abort the whole server process.

The format is decided by the content, never the name: WPS users save CSV files as ``.xls`` and
Excel users rename ``.xlsx`` files. The whole sheet is read here, not lazily: openpyxl's
read-only mode parses the worksheet XML only while rows are iterated, so a reader that returned
the workbook would let a ``ParseError`` escape from the importer's loop.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import xlrd
from charset_normalizer import from_bytes
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from ..errors import DomainError
from ..files.sniff import UNKNOWN, sniff
from ..files.validate import validate_upload

MAX_BYTES = 20 * 1024 * 1024
# Inflated size of all parts: an exported sheet of 5,000 works is a few megabytes.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COLUMNS = 100
# Excel's own last row: a sheet claiming rows past it is not a real workbook.
EXCEL_MAX_ROWS = 1_048_576

CODE_UNREADABLE = "spreadsheet_unreadable"
CODE_ENCRYPTED = "spreadsheet_ole"
CODE_TEXT = "spreadsheet_text"
CODE_TOO_MANY_ROWS = "spreadsheet_too_many_rows"

# Compound File Binary: old .xls workbooks and every password-protected .xlsx.
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Encodings a Chinese office PC writes CSV in; charset-normalizer picks among them.
_CSV_ENCODINGS = ["utf_8", "gb18030", "big5", "utf_16"]

Row = tuple[object, ...]


@dataclass
class Sheet:
    """The rows of one worksheet, header rows included; ``sheets`` is how many the file has."""

    rows: list[Row]
    name: str = ""
    sheets: int = 1


def read_rows(
    uploaded: BinaryIO,
    *,
    max_rows: int,
    max_columns: int = MAX_COLUMNS,
    max_bytes: int = MAX_BYTES,
) -> list[Row]:
    """The first worksheet's rows: row n of the sheet is ``rows[n - 1]``.

    Cells hold what the workbook stores (a formula's last computed value; ``None`` when
    empty); each row is cut to ``max_columns`` and has no trailing empty cells, and blank rows
    after the last non-blank one are dropped. More than ``max_rows`` rows after the first is
    refused. Raises ``DomainError`` for any file that cannot be read; never anything else.
    """
    return read_sheet(
        uploaded, max_rows=max_rows, max_columns=max_columns, max_bytes=max_bytes
    ).rows


def read_sheet(
    uploaded: BinaryIO,
    *,
    max_rows: int,
    max_columns: int = MAX_COLUMNS,
    max_bytes: int = MAX_BYTES,
    header_rows: int = 1,
) -> Sheet:
    """Like ``read_rows``, with the sheet's name and the number of sheets in the file;
    ``header_rows`` rows (title and header rows) are allowed above the ``max_rows``."""
    kind = _check_file(uploaded, name=str(getattr(uploaded, "name", "") or ""), max_bytes=max_bytes)
    uploaded.seek(0)
    reader = {"xlsx": _xlsx_sheet, "ole": _xls_sheet, "text": _csv_sheet}[kind]
    try:
        sheet = reader(uploaded, limit=(max_rows, header_rows), max_columns=max_columns)
    except DomainError:
        raise
    except Exception as exc:  # openpyxl and calamine raise dozens of kinds
        raise unreadable() from exc
    sheet.rows = _without_trailing_blanks(sheet.rows)
    return sheet


def unreadable() -> DomainError:
    return DomainError(
        _(
            "The file could not be read: it is damaged or not an Excel workbook. "
            "Please open it in Excel or WPS, save it again as .xlsx and upload the new copy."
        ),
        code=CODE_UNREADABLE,
    )


def _check_file(uploaded: BinaryIO, *, name: str, max_bytes: int) -> str:
    """The file's format ("xlsx", "ole" or "text"), or a ``DomainError`` before any parsing."""
    uploaded.seek(0)
    head = uploaded.read(len(_OLE_SIGNATURE))
    uploaded.seek(0)
    if head == _OLE_SIGNATURE:
        _check_size(uploaded, max_bytes=max_bytes)
        return "ole"
    sniffed = sniff(uploaded)
    if sniffed.mime == "text/plain" or (sniffed.kind == UNKNOWN.kind and _chinese_text(uploaded)):
        _check_size(uploaded, max_bytes=max_bytes)
        return "text"
    if sniffed.kind == UNKNOWN.kind and uploaded.read(1):
        raise DomainError(
            _(
                "The file is not a spreadsheet. Please upload an Excel or WPS workbook "
                "(.xlsx or .xls) or a CSV file."
            ),
            code=CODE_UNREADABLE,
        )
    if sniffed.kind == "zip" and not zipfile.is_zipfile(uploaded):
        raise unreadable()  # a truncated or damaged .xlsx: it is not "a ZIP archive" to the user
    uploaded.seek(0)
    validate_upload(
        uploaded,
        name=name,
        allowed_kinds={"xlsx"},
        max_bytes=max_bytes,
        zip_max_uncompressed=MAX_UNCOMPRESSED_BYTES,
    )
    return "xlsx"


def _chinese_text(uploaded: BinaryIO) -> bool:
    """Text in a Chinese legacy encoding (GBK/GB18030), which ``sniff`` does not call text."""
    head = uploaded.read(8192)
    uploaded.seek(0)
    if b"\x00" in head:
        return False
    if len(head) == 8192:  # the head may end inside a character: judge whole lines only
        head = head[: head.rfind(b"\n") + 1]
    try:
        head.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return bool(head)


def _check_size(uploaded: BinaryIO, *, max_bytes: int) -> None:
    uploaded.seek(0, io.SEEK_END)
    size = uploaded.tell()
    uploaded.seek(0)
    if size > max_bytes:
        validate_upload(uploaded, name="sheet.xlsx", allowed_kinds={"xlsx"}, max_bytes=max_bytes)


def _xlsx_sheet(uploaded: BinaryIO, *, limit: tuple[int, int], max_columns: int) -> Sheet:
    max_rows, last = limit[0], sum(limit)
    book = load_workbook(uploaded, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        # The size a sheet declares may be a lie (A1:XFD1048576): never pad rows to it.
        sheet.reset_dimensions()
        rows: list[Row] = []
        cells = sheet.iter_rows(max_col=max_columns, values_only=True)
        for number, row in enumerate(cells, start=1):
            blank = row.count(None) == len(row)  # C speed: gaps may be a million rows long
            if number > EXCEL_MAX_ROWS or (number > last and not blank):
                raise _too_many_rows(max_rows)
            if number <= last:
                rows.append(_trimmed(row))
        return Sheet(rows, name=sheet.title, sheets=len(book.worksheets))
    finally:
        book.close()


def _xls_sheet(uploaded: BinaryIO, *, limit: tuple[int, int], max_columns: int) -> Sheet:
    max_rows, last = limit[0], sum(limit)
    try:
        book = xlrd.open_workbook(
            file_contents=uploaded.read(), on_demand=True, logfile=io.StringIO()
        )
    except Exception as exc:
        raise DomainError(
            _(
                "The file is a password-protected or damaged workbook. Please remove the "
                "password in Excel or WPS, save it as .xlsx and upload that copy."
            ),
            code=CODE_ENCRYPTED,
        ) from exc
    try:
        sheet = book.sheet_by_index(0)
        if sheet.nrows > last and any(
            _xls_value(cell, book.datemode) is not None
            for number in range(last, sheet.nrows)
            for cell in sheet.row(number)[:max_columns]
        ):
            raise _too_many_rows(max_rows)
        rows = [
            _trimmed(tuple(_xls_value(c, book.datemode) for c in sheet.row(n)[:max_columns]))
            for n in range(min(sheet.nrows, last))
        ]
        return Sheet(rows, name=sheet.name, sheets=book.nsheets)
    finally:
        book.release_resources()


def _xls_value(cell, datemode: int) -> object:
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if cell.ctype == xlrd.XL_CELL_DATE:
        moment = xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        return moment.date() if moment.time() == datetime.time() else moment
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    return None if cell.value == "" else cell.value


def _csv_sheet(uploaded: BinaryIO, *, limit: tuple[int, int], max_columns: int) -> Sheet:
    max_rows, last = limit[0], sum(limit)
    data = uploaded.read()
    text = _decode(data)
    dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        pass
    rows = []
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        values = tuple(v if v.strip() else None for v in row[:max_columns])
        if number > last and any(v is not None for v in values):
            raise _too_many_rows(max_rows)
        if number <= last:
            rows.append(_trimmed(values))
    return Sheet(rows)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=_CSV_ENCODINGS).best()
    if best is None:
        raise DomainError(
            _(
                "The text file is in an unknown encoding. Please open it in Excel or WPS, "
                "save it as .xlsx and upload that copy."
            ),
            code=CODE_TEXT,
        )
    return str(best)


def _without_trailing_blanks(rows: list[Row]) -> list[Row]:
    last = 0
    for number, row in enumerate(rows, start=1):
        if any(v is not None for v in row):
            last = number
    return rows[:last]


def _trimmed(row: Row) -> Row:
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return tuple(row[:end])


def _too_many_rows(max_rows: int) -> DomainError:
    return DomainError(
        _("The sheet has more than %(n)s rows; please split it into several files.")
        % {"n": max_rows},
        code=CODE_TOO_MANY_ROWS,
    )
