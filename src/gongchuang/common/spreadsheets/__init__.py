"""Spreadsheets in and out: one reader for every import, one writer for every export.

- ``read_table(upload, columns, *, max_rows)``: an import's rows by field (``columns.py``),
  ``read_table_into`` the same with its problems added to the import's error list;
  ``read_rows`` / ``read_sheet``: the raw rows of .xlsx, .xls or .csv (``files.py``);
  cell conversion (phones, ID numbers, dates, full-width digits) in ``cells.py``.
- ``write_xlsx`` / ``xlsx_bytes`` / ``template_xlsx`` / ``xlsx_response``: ``writer.py``.
"""

from .cells import DATE, ENUM, ID, INT, PHONE, TEXT, CellError, convert, normalise_header
from .columns import Column, Table, TableRow, find_header, read_table, read_table_into
from .files import (
    CODE_ENCRYPTED,
    CODE_TEXT,
    CODE_TOO_MANY_ROWS,
    CODE_UNREADABLE,
    Sheet,
    read_rows,
    read_sheet,
    unreadable,
)
from .writer import (
    OutColumn,
    template_response,
    template_xlsx,
    write_xlsx,
    xlsx_bytes,
    xlsx_response,
)

__all__ = [
    "CODE_ENCRYPTED", "CODE_TEXT", "CODE_TOO_MANY_ROWS", "CODE_UNREADABLE", "DATE", "ENUM",
    "ID", "INT", "PHONE", "TEXT", "CellError", "Column", "OutColumn", "Sheet", "Table",
    "TableRow", "convert", "find_header", "normalise_header", "read_rows", "read_sheet",
    "read_table", "read_table_into", "template_response", "template_xlsx", "unreadable",
    "write_xlsx", "xlsx_bytes", "xlsx_response",
]  # fmt: skip
