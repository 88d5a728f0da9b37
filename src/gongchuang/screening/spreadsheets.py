"""xlsx export of a filtered queue and import of decisions from the same sheet."""

import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from gongchuang.common.errors import DomainError
from gongchuang.common.spreadsheets import read_rows
from gongchuang.submissions.models import Work

from .enums import CITY_DECISIONS, NEEDS_REASON, UNIT_DECISIONS, Decision, Stage
from .selectors import authors_and_advisors, names, with_people
from .services import city_decide, unit_decide

MAX_IMPORT_ROWS = 5000
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _headers() -> list[str]:
    return [
        _("Work code"),
        _("Title"),
        _("Category"),
        _("Education level"),
        _("Unit"),
        _("School"),
        _("Authors"),
        _("Advisors"),
        _("State"),
        _("Reason"),
        _("Decision"),
        _("Decision reason"),
    ]


def export_works(works: QuerySet[Work], *, viewer) -> bytes:
    """The works as an xlsx sheet; minors' names masked unless ``viewer`` may see them.

    The last two columns are empty, for decisions to be filled in and imported.
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Works"))
    sheet.append(_headers())
    for work in with_people(works).iterator(chunk_size=500):
        authors, advisors = authors_and_advisors(work)
        sheet.append(
            [
                work.code,
                work.title,
                work.category.name,
                work.get_level_display(),
                work.unit.name,
                work.school.name,
                names(authors, viewer),
                names(advisors, viewer),
                work.get_state_display(),
                work.state_reason,
                "",
                "",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class ImportResult:
    applied: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _decision_lookup(stage: str) -> dict[str, str]:
    allowed = UNIT_DECISIONS if stage == Stage.UNIT else CITY_DECISIONS
    lookup = {}
    for d in allowed:
        lookup[str(d.value)] = d.value
        lookup[str(Decision(d).label)] = d.value
    return lookup


def _cell(value) -> str:
    return "" if value is None else str(value).strip()


def import_decisions(fileobj, *, queue: QuerySet[Work], actor, stage: str) -> ImportResult:
    """Apply the decisions of a filled-in export, all or nothing.

    ``queue`` is the importer's own scope (their unit's works, or the city
    queue): codes outside it are reported as unknown. Every row is validated
    first; then all decisions are applied in one transaction, which is rolled
    back if any of them is refused (e.g. the quota is full), with the row named.
    """
    result = ImportResult()
    try:
        rows = read_rows(fileobj, max_rows=MAX_IMPORT_ROWS)
    except DomainError as exc:
        result.errors.append(str(exc.message))
        return result
    header = [_cell(v) for v in (rows[0] if rows else ())]
    headers = _headers()
    code_h, decision_h, reason_h = headers[0], headers[10], headers[11]
    missing = [h for h in (code_h, decision_h, reason_h) if h not in header]
    if missing:
        result.errors.append(
            _("The sheet lacks the column(s): %(columns)s. Please use the exported sheet.")
            % {"columns": "、".join(missing)}
        )
        return result
    ci, di, ri = header.index(code_h), header.index(decision_h), header.index(reason_h)
    lookup = _decision_lookup(stage)
    planned: list[tuple[int, str, str, str]] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        row = list(row) + [None] * (len(header) - len(row))
        code, decision, reason = _cell(row[ci]), _cell(row[di]), _cell(row[ri])
        if not decision:
            continue
        error = _validate_row(number, code, decision, reason, lookup, seen)
        if error:
            result.errors.append(error)
            continue
        seen[code] = number
        planned.append((number, code, lookup[decision], reason))
    if result.errors:
        return result
    works = {w.code: w for w in queue.filter(code__in=[p[1] for p in planned])}
    for number, code, _d, _r in planned:
        if code not in works:
            result.errors.append(
                _("Row %(row)s: no work with code %(code)s in your list.")
                % {"row": number, "code": code}
            )
    if result.errors:
        return result
    if not planned:
        result.errors.append(_("The sheet contains no decisions to import."))
        return result
    result.applied = _apply(planned, works, actor=actor, stage=stage, errors=result.errors)
    return result


def _validate_row(number, code, decision, reason, lookup, seen) -> str | None:
    if not code:
        return _("Row %(row)s: the work code is empty.") % {"row": number}
    if code in seen:
        return _("Row %(row)s: work %(code)s already appears in row %(first)s.") % {
            "row": number,
            "code": code,
            "first": seen[code],
        }
    if decision not in lookup:
        return _("Row %(row)s: unknown decision “%(decision)s” (allowed: %(allowed)s).") % {
            "row": number,
            "decision": decision,
            "allowed": "、".join(k for k, v in lookup.items() if k != v),
        }
    if lookup[decision] in NEEDS_REASON and not reason:
        return _("Row %(row)s: a reason is required for “%(decision)s”.") % {
            "row": number,
            "decision": decision,
        }
    return None


def _apply(planned: Iterable, works: dict, *, actor, stage: str, errors: list[str]) -> int:
    decide = unit_decide if stage == Stage.UNIT else city_decide
    applied = 0
    with transaction.atomic():
        for number, code, decision, reason in planned:
            try:
                with transaction.atomic():
                    decide(work=works[code], actor=actor, decision=decision, reason=reason)
                applied += 1
            except DomainError as exc:
                errors.append(
                    _("Row %(row)s (%(code)s): %(message)s")
                    % {"row": number, "code": code, "message": exc.message}
                )
        if errors:
            transaction.set_rollback(True)
            return 0
    return applied
