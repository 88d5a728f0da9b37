"""xlsx export of a filtered queue and import of decisions from the same sheet."""

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongchuang.common.errors import DomainError
from gongchuang.common.spreadsheets import Column, OutColumn, read_table, xlsx_bytes
from gongchuang.common.spreadsheets.writer import CODE
from gongchuang.submissions.models import Work

from .enums import CITY_DECISIONS, NEEDS_REASON, UNIT_DECISIONS, Decision, Stage
from .selectors import authors_and_advisors, names, with_people
from .services import city_decide, unit_decide

MAX_IMPORT_ROWS = 5000
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The columns an import reads (the export's other columns are for reading only): headers in
# either UI language, so a sheet exported in English is imported in Chinese and back.
IMPORT_COLUMNS = [
    Column("code", gettext_lazy("Work code"), required=True, aliases=("作品编号", "编号", "code"),
           example="2026-HD-0001", width=18),
    Column("decision", gettext_lazy("Decision"), required=True,
           aliases=("处理结果", "审核结果", "审核意见", "决定"), width=14),
    Column("reason", gettext_lazy("Decision reason"), aliases=("决定原因", "理由", "说明"),
           width=30),
]  # fmt: skip


def import_columns(stage: str) -> list[Column]:
    """The import's columns, the decision offering the stage's decisions (for the template)."""
    allowed = UNIT_DECISIONS if stage == Stage.UNIT else CITY_DECISIONS
    code, decision, reason = IMPORT_COLUMNS
    return [
        code,
        dataclasses.replace(decision, choices=lambda: [str(Decision(d).label) for d in allowed]),
        reason,
    ]


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
    kinds = {0: CODE}
    columns = [OutColumn(h, kind=kinds.get(i, "text")) for i, h in enumerate(_headers())]
    return xlsx_bytes(title=_("Works"), columns=columns, rows=_work_rows(works, viewer))


def _work_rows(works: QuerySet[Work], viewer) -> Iterable[list]:
    for work in with_people(works).iterator(chunk_size=500):
        authors, advisors = authors_and_advisors(work)
        yield [
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


@dataclass
class ImportResult:
    applied: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _decision_lookup(stage: str) -> dict[str, str]:
    """Decision values and their labels in every UI language, the current one last."""
    allowed = UNIT_DECISIONS if stage == Stage.UNIT else CITY_DECISIONS
    lookup = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            lookup |= {str(Decision(d).label): d.value for d in allowed}
    lookup |= {str(Decision(d).label): d.value for d in allowed}
    lookup |= {str(d.value): d.value for d in allowed}
    return lookup


def import_decisions(fileobj, *, queue: QuerySet[Work], actor, stage: str) -> ImportResult:
    """Apply the decisions of a filled-in export, all or nothing.

    ``queue`` is the importer's own scope (their unit's works, or the city
    queue): codes outside it are reported as unknown. Every row is validated
    first; then all decisions are applied in one transaction, which is rolled
    back if any of them is refused (e.g. the quota is full), with the row named.
    """
    result = ImportResult()
    try:
        table = read_table(fileobj, IMPORT_COLUMNS, max_rows=MAX_IMPORT_ROWS)
    except DomainError as exc:
        result.errors.append(str(exc.message))
        return result
    result.errors.extend(table.errors)
    lookup = _decision_lookup(stage)
    planned: list[tuple[int, str, str, str]] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        number = row.number
        code, decision, reason = (str(row.values[k] or "") for k in ("code", "decision", "reason"))
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
            "allowed": "、".join(str(Decision(v).label) for v in dict.fromkeys(lookup.values())),
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
