"""School lists as spreadsheets: the export, its template and the all-or-nothing import.

The export's columns are the import's (same headers, same cell values), so a district can
download its list, correct it in Excel or WPS and upload it again. Cell values are written in
Chinese whatever the UI language, like every template (``common.spreadsheets.writer``); the
import also accepts the English labels and the stored codes.

A row is matched to an existing school of its unit by code, else by name; a matched school
is updated (audited only if something changed), an unmatched one added. Every row is checked
before anything is written; one bad row and nothing is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from gongchuang.common.errors import DomainError
from gongchuang.common.spreadsheets import ID, Column, OutColumn, read_table_into, xlsx_bytes
from gongchuang.common.spreadsheets.writer import CODE

from . import schools as services
from .enums import Level, SchoolKind, SchoolType
from .models import School, Unit

MAX_ROWS = 5000
# Short level names for cells (the UI's "高中（含中专、职高）" holds the separator "、").
LEVEL_NAMES = {
    Level.PRIMARY: "小学",
    Level.JUNIOR: "初中",
    Level.SENIOR: "高中",
    Level.UNIVERSITY: "高校",
}
LEVEL_ALIASES = {"大学": Level.UNIVERSITY, "中职": Level.SENIOR, "职高": Level.SENIOR}
ACTIVE, INACTIVE = "启用", "停用"
STATUS_NAMES = {ACTIVE: True, "active": True, "在用": True, INACTIVE: False, "inactive": False}
_SEPARATORS = re.compile(r"[、,，;；/／\s]+")

COLUMNS = [
    Column("unit", pgettext_lazy("spreadsheet", "Unit code"),
           aliases=("单位代码", "组织单位代码", "区代码"), example="HD"),
    Column("unit_name", pgettext_lazy("spreadsheet", "Unit"), aliases=("组织单位", "区", "单位")),
    Column("name", pgettext_lazy("spreadsheet", "School name"), required=True,
           aliases=("学校名称", "学校", "名称", "name"), example="北京市海淀区示例小学"),
    Column("code", pgettext_lazy("spreadsheet", "School code"), kind=ID,
           aliases=("学校代码", "学校标识码", "代码", "code"), example="1111000001"),
    Column("school_type", pgettext_lazy("spreadsheet", "School type"),
           aliases=("学校类型", "办学类型", "类型", "type"),
           choices=lambda: _zh_labels(SchoolType), example="小学"),
    Column("levels", pgettext_lazy("spreadsheet", "Levels taught"),
           aliases=("学段", "开设学段", "levels"), example="小学"),
    Column("kind", pgettext_lazy("spreadsheet", "Kind"), aliases=("机构类别", "类别", "kind"),
           choices=lambda: _zh_labels(SchoolKind), example="学校"),
    Column("status", pgettext_lazy("spreadsheet", "Status"), aliases=("状态", "status"),
           choices=lambda: [ACTIVE, INACTIVE], example=ACTIVE),
]  # fmt: skip


def _zh_labels(choices) -> list[str]:
    with translation.override(settings.LANGUAGE_CODE):
        return [str(label) for label in choices.labels]


def _lookup(choices) -> dict[str, str]:
    """Every way a cell may name a choice: its code and its label in each UI language."""
    names = {value.lower(): value for value in choices.values}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.update({str(label).lower(): value for value, label in choices.choices})
    return names


# --- export ---------------------------------------------------------------------------------


def export_bytes(schools) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        columns = [OutColumn(c.title(), CODE if c.kind == ID else "text") for c in COLUMNS]
        types, kinds = dict(SchoolType.choices), dict(SchoolKind.choices)
        rows = (
            [
                s.unit.code,
                s.unit.name,
                s.name,
                s.code,
                str(types.get(s.school_type, "")),
                "、".join(LEVEL_NAMES[Level(v)] for v in s.levels if v in Level.values),
                str(kinds.get(s.kind, "")),
                ACTIVE if s.is_active else INACTIVE,
            ]
            for s in schools.iterator(chunk_size=1000)
        )
        return xlsx_bytes(title=_("School list"), columns=columns, rows=rows)


# --- import ---------------------------------------------------------------------------------


@dataclass
class PlannedRow:
    number: int
    unit: Unit
    school: School | None  # the existing school this row updates
    data: dict
    active: bool | None  # None: leave as it is (a new school is active)


@dataclass
class SchoolImport:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def parse_school_sheet(fileobj, *, actor, default_unit: Unit | None) -> SchoolImport:
    """Check every row of the sheet; ``errors`` (Chinese, with row numbers) lists problems."""
    report = SchoolImport()
    table = read_table_into(fileobj, COLUMNS, max_rows=MAX_ROWS, errors=report.errors)
    if table is None:
        return report
    checker = _RowChecker(actor=actor, default_unit=default_unit)
    for row in table.rows:
        problems, planned = checker.check(row.number, row.values)
        report.errors.extend(
            _("Row %(line)s: %(problem)s") % {"line": row.number, "problem": p} for p in problems
        )
        if planned:
            report.rows.append(planned)
    if not report.rows and not report.errors:
        report.errors.append(_("The spreadsheet has no data rows."))
    return report


class _RowChecker:
    def __init__(self, *, actor, default_unit: Unit | None):
        self.units = {u.code.upper(): u for u in services.units_for_school_admin(actor)}
        self.default_unit = default_unit
        self.types, self.kinds = _lookup(SchoolType), _lookup(SchoolKind)
        self.seen: set[tuple[int, str, str]] = set()
        self.existing: dict[int, list[School]] = {}

    def check(self, number: int, values: dict) -> tuple[list[str], PlannedRow | None]:
        problems: list[str] = []
        unit = self._unit(str(values["unit"] or ""), problems)
        name = " ".join(str(values["name"] or "").split())
        code = str(values["code"] or "").upper()
        data = {
            "name": name,
            "code": code,
            "school_type": self._choice(values["school_type"], self.types, problems, "type"),
            "levels": self._levels(str(values["levels"] or ""), problems),
            "kind": self._choice(values["kind"], self.kinds, problems, "kind") or SchoolKind.SCHOOL,
        }
        active = self._status(str(values["status"] or ""), problems)
        if not name:
            problems.append(_("the school name is missing."))
        if unit is None or problems:
            return problems, None
        school = self._match(unit, name, code, problems)
        return problems, (None if problems else PlannedRow(number, unit, school, data, active))

    def _unit(self, code: str, problems: list[str]) -> Unit | None:
        if not code:
            if self.default_unit is None:
                problems.append(_("the unit code is missing; choose a unit or fill the column."))
            return self.default_unit
        unit = self.units.get(code.upper())
        if unit is None:
            problems.append(_("unit code %(c)s is unknown or not yours to manage.") % {"c": code})
        return unit

    def _choice(self, value, names: dict, problems: list[str], what: str) -> str:
        text = str(value or "").strip()
        if not text:
            return ""
        found = names.get(text.lower())
        if found is None:
            message = (
                _("unknown school type “%(v)s”.") if what == "type" else _("unknown kind “%(v)s”.")
            )
            problems.append(message % {"v": text})
        return found or ""

    def _levels(self, text: str, problems: list[str]) -> list[str]:
        names = {v: k for k, v in LEVEL_NAMES.items()} | LEVEL_ALIASES
        names |= {v: v for v in Level.values}
        levels = []
        for part in filter(None, _SEPARATORS.split(text)):
            level = names.get(part.lower())
            if level is None:
                problems.append(
                    _("unknown level “%(v)s”; use 小学, 初中, 高中 or 高校.") % {"v": part}
                )
            else:
                levels.append(level)
        return services.order_levels(levels)

    def _status(self, text: str, problems: list[str]) -> bool | None:
        if not text:
            return None
        if text.lower() not in STATUS_NAMES:
            problems.append(_("unknown status “%(v)s”; use 启用 or 停用.") % {"v": text})
            return None
        return STATUS_NAMES[text.lower()]

    def _match(self, unit: Unit, name: str, code: str, problems: list[str]) -> School | None:
        keys = {(unit.pk, "name", name)} | ({(unit.pk, "code", code)} if code else set())
        if keys & self.seen:
            problems.append(_("the school appears twice in the sheet."))
            return None
        self.seen |= keys
        if unit.pk not in self.existing:
            self.existing[unit.pk] = list(School.objects.filter(unit=unit))
        schools = self.existing[unit.pk]
        by_code = next((s for s in schools if code and s.code == code), None)
        by_name = next((s for s in schools if s.name == name), None)
        if by_code and by_name and by_code.pk != by_name.pk:
            problems.append(
                _("code %(code)s belongs to “%(other)s”, but “%(name)s” is another school.")
                % {"code": code, "other": by_code.name, "name": name}
            )
        return by_code or by_name


@transaction.atomic
def schools_import(*, report: SchoolImport, actor) -> SchoolImport:
    """Write a checked report through the school services (each change audited). A row
    refused here (a race since the check) undoes the whole import."""
    if report.errors:
        raise ValueError("cannot import a sheet with errors")
    for row in report.rows:
        try:
            _apply(row, report, actor)
        except DomainError as exc:
            raise DomainError(
                _("Row %(line)s: %(problem)s") % {"line": row.number, "problem": exc.message},
                code=exc.code,
            ) from exc
    return report


def _apply(row: PlannedRow, report: SchoolImport, actor) -> None:
    if row.school is None:
        school = services.school_add(actor=actor, unit=row.unit, **row.data)
        if row.active is False:
            services.school_deactivate(actor=actor, school=school)
        report.created += 1
        return
    before = services.snapshot(row.school)
    school = services.school_update(actor=actor, school=row.school, **row.data)
    if row.active is True:
        school = services.school_reactivate(actor=actor, school=school)
    elif row.active is False:
        school = services.school_deactivate(actor=actor, school=school)
    if services.snapshot(school) == before:
        report.unchanged += 1
    else:
        report.updated += 1
