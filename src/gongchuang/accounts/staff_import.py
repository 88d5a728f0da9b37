"""Bulk creation of staff accounts (organizers, coordinators, experts) from a spreadsheet.

All-or-nothing: every row is validated first; if any row is invalid nothing is
imported and each problem is reported with its row number, in Chinese.
"""

import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongchuang.common.errors import DomainError
from gongchuang.common.spreadsheets import read_rows

from .enums import Role
from .models import School, Unit, User
from .services import membership_grant
from .validators import mobile_validator

MAX_ROWS = 2000
COLUMNS = ["用户名", "姓名", "手机号", "邮箱", "角色", "单位代码", "学校"]
ROLE_NAMES = {
    "区级组织单位管理员": Role.UNIT_ORGANIZER, "unit_organizer": Role.UNIT_ORGANIZER,
    "学校联络员": Role.SCHOOL_COORDINATOR, "school_coordinator": Role.SCHOOL_COORDINATOR,
    "评审专家": Role.EXPERT, "expert": Role.EXPERT,
    "市组委会": Role.COMMITTEE, "committee": Role.COMMITTEE,
}


@dataclass
class StaffRow:
    line: int
    username: str
    real_name: str
    mobile: str
    email: str
    role: str
    unit: Unit | None
    school: School | None


@dataclass
class ImportReport:
    rows: list[StaffRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    created: list[tuple[str, str]] = field(default_factory=list)  # (username, initial password)


def _cell(value) -> str:
    return "" if value is None else str(value).strip()


def parse_staff_sheet(fileobj) -> ImportReport:
    report = ImportReport()
    try:
        rows = read_rows(fileobj, max_rows=MAX_ROWS)
    except DomainError as exc:
        report.errors.append(str(exc.message))
        return report
    header = [_cell(v) for v in (rows[0] if rows else ())]
    if header[: len(COLUMNS)] != COLUMNS:
        report.errors.append(_("The first row must be the column names: %(cols)s") % {"cols": "、".join(COLUMNS)})
        return report
    units = {u.code: u for u in Unit.objects.all()}
    seen: set[str] = set()
    for line, values in enumerate(rows[1:], start=2):
        cells = [_cell(v) for v in (list(values) + [None] * len(COLUMNS))[: len(COLUMNS)]]
        if not any(cells):
            continue
        problems, row = _validate_row(line, cells, units, seen)
        report.errors.extend(problems)
        if row:
            report.rows.append(row)
    if not report.rows and not report.errors:
        report.errors.append(_("The spreadsheet has no data rows."))
    return report


def _validate_row(line, cells, units, seen):
    username, real_name, mobile, email, role_name, unit_code, school_name = cells
    problems = []

    def problem(text):
        problems.append(_("Row %(line)s: %(problem)s") % {"line": line, "problem": text})

    if not username or username.lower() in seen:
        problem(_("the username is missing or repeated in the sheet."))
    elif User.objects.filter(username__iexact=username).exists():
        problem(_("the username %(u)s already exists.") % {"u": username})
    seen.add(username.lower())
    if not real_name:
        problem(_("the name is missing."))
    if mobile:
        try:
            mobile_validator(mobile)
        except ValidationError:
            problem(_("the mobile number %(m)s is not an 11-digit mainland number.") % {"m": mobile})
    role = ROLE_NAMES.get(role_name)
    if role is None:
        problem(_("unknown role “%(r)s”; use 区级组织单位管理员, 学校联络员, 评审专家 or 市组委会.") % {"r": role_name})
    unit = units.get(unit_code.upper()) if unit_code else None
    if unit_code and unit is None:
        problem(_("unknown unit code %(c)s.") % {"c": unit_code})
    if role in (Role.UNIT_ORGANIZER, Role.SCHOOL_COORDINATOR) and unit is None:
        problem(_("organizers and school coordinators need a unit code."))
    school = None
    if role == Role.SCHOOL_COORDINATOR:
        school = School.objects.filter(unit=unit, name=school_name).first() if unit else None
        if school is None:
            problem(_("school coordinators need a school of their unit; “%(s)s” was not found.") % {"s": school_name})
    if problems:
        return problems, None
    return [], StaffRow(line, username, real_name, mobile, email.lower(), role, unit, school)


@transaction.atomic
def staff_import(*, report: ImportReport, actor) -> ImportReport:
    """Create the accounts of a validated report (refuses a report with errors)."""
    if report.errors:
        raise ValueError("cannot import a sheet with errors")
    for row in report.rows:
        password = secrets.token_urlsafe(9)
        user = User.objects.create_user(
            username=row.username, password=password, real_name=row.real_name,
            mobile=row.mobile, email=row.email, is_staff=row.role == Role.COMMITTEE,
        )
        membership_grant(user=user, role=row.role, unit=row.unit, school=row.school, actor=actor)
        report.created.append((row.username, password))
    return report
