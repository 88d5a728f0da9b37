"""Each import's columns, declared once: found by header in either UI language, then converted.

An importer declares its columns::

    COLUMNS = [
        Column("mobile", _("Mobile"), kind=PHONE, required=True, aliases=("手机", "电话")),
        ...
    ]

and calls ``read_table(upload, COLUMNS, max_rows=...)``. The header row is looked for within
the first ``HEADER_SEARCH_ROWS`` rows (a merged title row above it is skipped); headers match
after ``normalise_header`` against the label in every UI language and the aliases. Data rows
come back as ``{field: value}`` with their sheet row numbers; blank rows and the template's
example row (every cell as the template has it) are skipped; a cell
that cannot be read losslessly is a row error ("第 5 行：身份证号：…"), never a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from ..errors import DomainError
from .cells import KINDS, TEXT, CellError, convert, normalise_header
from .files import read_sheet

HEADER_SEARCH_ROWS = 10
CODE_COLUMNS = "spreadsheet_columns"


@dataclass(frozen=True)
class Column:
    """One column of an import: ``label`` is a lazy translation (its text in each UI language
    is accepted as the header); ``aliases`` are further accepted headers; ``choices`` (a callable,
    read when a template is made) lists the values a template's dropdown offers."""

    field: str
    label: object
    kind: str = TEXT
    required: bool = False
    aliases: Sequence[str] = ()
    choices: Callable[[], list[str]] | None = None
    example: object = ""
    width: int | None = None
    digits: int | None = None  # fixed width of an ID-kind code: lost leading zeros restored

    def __post_init__(self) -> None:
        assert self.kind in KINDS, self.kind

    def headers(self) -> set[str]:
        """Every normalised header this column answers to."""
        names = {normalise_header(a) for a in self.aliases}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                names.add(normalise_header(str(self.label)))
        return names - {""}

    def title(self) -> str:
        return str(self.label)


@dataclass
class TableRow:
    number: int  # the row's number in the sheet, as Excel shows it
    values: dict[str, object]


@dataclass
class Table:
    rows: list[TableRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "Row 5: ...", in the user's language
    header_row: int = 1
    sheet: str = ""
    sheets: int = 1


def read_table(uploaded: BinaryIO, columns: Sequence[Column], *, max_rows: int, **limits) -> Table:
    """The sheet's data rows by field. ``DomainError`` for an unreadable file or a missing
    required column; cells that cannot be converted are collected in ``Table.errors``."""
    sheet = read_sheet(uploaded, max_rows=max_rows, header_rows=HEADER_SEARCH_ROWS, **limits)
    header_index, positions = find_header(sheet.rows, columns)
    table = Table(header_row=header_index + 1, sheet=sheet.name, sheets=sheet.sheets)
    data = sheet.rows[header_index + 1 :]
    if sum(1 for row in data if _filled(row)) > max_rows:
        raise DomainError(
            _("The sheet has more than %(n)s rows; please split it into several files.")
            % {"n": max_rows},
            code="spreadsheet_too_many_rows",
        )
    example = {c.field: convert(c.example, c.kind, digits=c.digits) for c in columns}
    for number, row in enumerate(data, start=header_index + 2):
        if not _filled(row):
            continue
        values = _converted(row, number, columns, positions, table.errors)
        if values == example:  # the template's example row, left in place: not data
            continue
        table.rows.append(TableRow(number, values))
    return table


def read_table_into(
    uploaded: BinaryIO, columns: Sequence[Column], *, max_rows: int, errors: list[str], **limits
) -> Table | None:
    """``read_table`` for an import that lists its problems: the message of an unreadable
    file is added to ``errors`` (and None returned), else the table's cell errors are."""
    try:
        table = read_table(uploaded, columns, max_rows=max_rows, **limits)
    except DomainError as exc:
        errors.append(str(exc.message))
        return None
    errors.extend(table.errors)
    return table


def _converted(row, number, columns, positions, errors) -> dict[str, object]:
    values = {}
    for column in columns:
        index = positions.get(column.field)
        raw = row[index] if index is not None and index < len(row) else None
        try:
            values[column.field] = convert(raw, column.kind, digits=column.digits)
        except CellError as exc:
            values[column.field] = None
            errors.append(
                _("Row %(row)s: %(column)s: %(problem)s")
                % {"row": number, "column": column.title(), "problem": exc}
            )
    return values


def find_header(rows: Sequence[tuple], columns: Sequence[Column]) -> tuple[int, dict[str, int]]:
    """The index of the header row and each found column's position in it.

    The header is the first of the top rows that has every required column; failing that, the
    error names the required columns missing from the row that matched best.
    """
    wanted = [(column, column.headers()) for column in columns]
    required = {c.field for c in columns if c.required}
    best: tuple[int, dict[str, int]] = (0, {})
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        positions = _positions(row, wanted)
        if required <= positions.keys() and positions:
            return index, positions
        if len(positions) > len(best[1]):
            best = (index, positions)
    missing = [c.title() for c in columns if c.required and c.field not in best[1]]
    raise DomainError(
        _(
            "The sheet lacks the column(s): %(columns)s. The header row must be within the "
            "first %(n)s rows; download the template to see the columns."
        )
        % {"columns": "、".join(missing), "n": HEADER_SEARCH_ROWS},
        code=CODE_COLUMNS,
    )


def _positions(row: tuple, wanted) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, cell in enumerate(row):
        header = normalise_header(cell)
        if not header:
            continue
        for column, names in wanted:
            if column.field not in positions and header in names:
                positions[column.field] = index
                break
    return positions


def _filled(row: tuple) -> bool:
    return any(v is not None and str(v).strip() for v in row)
