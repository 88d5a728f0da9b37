"""Reading uploaded spreadsheets: the one door every importer goes through.

``read_rows(uploaded, *, max_rows)`` returns the rows of the workbook's first worksheet, or
raises a ``DomainError`` whose message says, in the user's language, what is wrong with the
file: empty, too large, an encrypted or old-format (.xls) workbook, a text/CSV file, a damaged
or non-spreadsheet ZIP, a ZIP bomb, broken XML inside, or more rows than the importer takes.
openpyxl's own exceptions (``BadZipFile``, ``ParseError``, ``KeyError``, ``InvalidFileException``
and many more) never leave this module.

The whole sheet is read here, not lazily: openpyxl's read-only mode parses the worksheet XML
only while rows are iterated, so a reader that returned the workbook would let a ``ParseError``
escape from the importer's loop.
"""

from __future__ import annotations

import zipfile
from typing import BinaryIO

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .errors import DomainError
from .uploads import sniff, validate_upload

MAX_BYTES = 20 * 1024 * 1024
# Inflated size of all parts: an exported sheet of 5,000 works is a few megabytes.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COLUMNS = 100
# Excel's own last row: a sheet claiming rows past it is not a real workbook.
EXCEL_MAX_ROWS = 1_048_576

CODE_UNREADABLE = "spreadsheet_unreadable"
CODE_ENCRYPTED_OR_XLS = "spreadsheet_ole"
CODE_TEXT = "spreadsheet_text"
CODE_TOO_MANY_ROWS = "spreadsheet_too_many_rows"

# Compound File Binary: old .xls workbooks and every password-protected .xlsx.
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Row = tuple[object, ...]


def read_rows(
    uploaded: BinaryIO,
    *,
    max_rows: int,
    max_columns: int = MAX_COLUMNS,
    max_bytes: int = MAX_BYTES,
) -> list[Row]:
    """The first worksheet's rows, the header row first: row n of the sheet is ``rows[n - 1]``.

    Cells hold what the workbook stores (a formula's last computed value; ``None`` when
    empty); each row is cut to ``max_columns`` and has no trailing empty cells, and blank rows
    after the last non-blank one are dropped. More than ``max_rows`` rows after the header is
    refused. Raises ``DomainError`` for any file that cannot be read; never anything else.
    """
    _check_file(uploaded, name=str(getattr(uploaded, "name", "") or ""), max_bytes=max_bytes)
    uploaded.seek(0)
    try:
        return _sheet_rows(uploaded, max_rows=max_rows, max_columns=max_columns)
    except DomainError:
        raise
    except Exception as exc:  # openpyxl raises dozens of kinds (ParseError, KeyError...)
        raise unreadable() from exc


def unreadable() -> DomainError:
    return DomainError(
        _(
            "The file could not be read: it is damaged or not an Excel workbook. "
            "Please open it in Excel or WPS, save it again as .xlsx and upload the new copy."
        ),
        code=CODE_UNREADABLE,
    )


def _check_file(uploaded: BinaryIO, *, name: str, max_bytes: int) -> None:
    """Refuse, by content, what openpyxl cannot or must not open (before it inflates anything)."""
    uploaded.seek(0)
    head = uploaded.read(len(_OLE_SIGNATURE))
    uploaded.seek(0)
    if head == _OLE_SIGNATURE:
        raise DomainError(
            _(
                "The file is a password-protected workbook or an old-format .xls file. "
                "Please remove the password (or open the .xls file) in Excel or WPS, "
                "save it as .xlsx and upload that copy."
            ),
            code=CODE_ENCRYPTED_OR_XLS,
        )
    sniffed = sniff(uploaded)
    if sniffed.mime == "text/plain":
        raise DomainError(
            _(
                "The file is a text or CSV file, not an Excel workbook. Please open it in "
                "Excel or WPS, save it as .xlsx and upload that copy."
            ),
            code=CODE_TEXT,
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


def _sheet_rows(uploaded: BinaryIO, *, max_rows: int, max_columns: int) -> list[Row]:
    book = load_workbook(uploaded, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        # The size a sheet declares may be a lie (A1:XFD1048576): never pad rows to it.
        sheet.reset_dimensions()
        rows: list[Row] = []
        last = 0  # how many rows up to the last non-blank one
        cells = sheet.iter_rows(max_col=max_columns, values_only=True)
        for number, row in enumerate(cells, start=1):
            blank = row.count(None) == len(row)  # C speed: gaps may be a million rows long
            if number > EXCEL_MAX_ROWS or (number > max_rows + 1 and not blank):
                raise _too_many_rows(max_rows)
            if number <= max_rows + 1:
                rows.append(_trimmed(row))
                last = number if not blank else last
        return rows[:last]
    finally:
        book.close()


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
