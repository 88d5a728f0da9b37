"""Bulk creation of staff accounts (organizers, coordinators, experts) from a spreadsheet.

All-or-nothing: every row is validated first; if any row is invalid nothing is
imported and each problem is reported with its row number, in Chinese.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from gongchuang.common.spreadsheets import PHONE, Column, read_table_into

from .enums import Role
from .models import School, Unit, User
from .onboarding import OnboardingResult, onboard
from .services import membership_grant
from .validators import mobile_validator

MAX_ROWS = 2000
ROLE_NAMES = {
    "区级组织单位管理员": Role.UNIT_ORGANIZER,
    "unit_organizer": Role.UNIT_ORGANIZER,
    "学校联络员": Role.SCHOOL_COORDINATOR,
    "school_coordinator": Role.SCHOOL_COORDINATOR,
    "评审专家": Role.EXPERT,
    "expert": Role.EXPERT,
    "市组委会": Role.COMMITTEE,
    "committee": Role.COMMITTEE,
}

COLUMNS = [
    Column("username", pgettext_lazy("spreadsheet", "Username"), required=True,
           aliases=("用户名", "账号", "登录名", "user name"), example="hd_zhang"),
    Column("real_name", pgettext_lazy("spreadsheet", "Name"), required=True,
           aliases=("姓名", "真实姓名", "name"), example="张老师"),
    Column("mobile", pgettext_lazy("spreadsheet", "Mobile"), kind=PHONE,
           aliases=("手机号", "手机", "手机号码", "联系电话", "phone"), example="13800001111"),
    Column("email", pgettext_lazy("spreadsheet", "E-mail"),
           aliases=("邮箱", "电子邮箱", "电子邮件", "email", "mail"), example="zhang@example.cn"),
    Column("role", pgettext_lazy("spreadsheet", "Role"), required=True, aliases=("角色",),
           choices=lambda: ["区级组织单位管理员", "学校联络员", "评审专家", "市组委会"],
           example="区级组织单位管理员"),
    Column("unit", pgettext_lazy("spreadsheet", "Unit code"),
           aliases=("单位代码", "组织单位代码", "区代码"), example="HD"),
    Column("school", pgettext_lazy("spreadsheet", "School"), aliases=("学校", "学校名称")),
]  # fmt: skip
# The template's headers, as the tests write them.
HEADERS = ["用户名", "姓名", "手机号", "邮箱", "角色", "单位代码", "学校"]


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
    created: list[User] = field(default_factory=list)
    onboarding: OnboardingResult | None = None


def parse_staff_sheet(fileobj) -> ImportReport:
    report = ImportReport()
    table = read_table_into(fileobj, COLUMNS, max_rows=MAX_ROWS, errors=report.errors)
    if table is None:
        return report
    units = {u.code: u for u in Unit.objects.all()}
    seen: set[str] = set()
    for row in table.rows:
        cells = [str(row.values[c.field] or "") for c in COLUMNS]
        problems, staff = _validate_row(row.number, cells, units, seen)
        report.errors.extend(problems)
        if staff:
            report.rows.append(staff)
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
            problem(
                _("the mobile number %(m)s is not an 11-digit mainland number.") % {"m": mobile}
            )
    role = ROLE_NAMES.get(role_name)
    if role is None:
        problem(
            _("unknown role “%(r)s”; use 区级组织单位管理员, 学校联络员, 评审专家 or 市组委会.")
            % {"r": role_name}
        )
    unit = units.get(unit_code.upper()) if unit_code else None
    if unit_code and unit is None:
        problem(_("unknown unit code %(c)s.") % {"c": unit_code})
    if role in (Role.UNIT_ORGANIZER, Role.SCHOOL_COORDINATOR) and unit is None:
        problem(_("organizers and school coordinators need a unit code."))
    school = None
    if role == Role.SCHOOL_COORDINATOR:
        school = School.objects.filter(unit=unit, name=school_name).first() if unit else None
        if school is None:
            problem(
                _("school coordinators need a school of their unit; “%(s)s” was not found.")
                % {"s": school_name}
            )
    if problems:
        return problems, None
    return [], StaffRow(line, username, real_name, mobile, email.lower(), role, unit, school)


@transaction.atomic
def staff_import(*, report: ImportReport, actor, request=None) -> ImportReport:
    """Create the accounts of a validated report (refuses a report with errors), without a
    password: each gets an invitation, or is listed for a credentials sheet (``onboard``)."""
    if report.errors:
        raise ValueError("cannot import a sheet with errors")
    for row in report.rows:
        user = User.objects.create_user(
            username=row.username,
            password=None,
            real_name=row.real_name,
            mobile=row.mobile,
            email=row.email,
            is_staff=row.role == Role.COMMITTEE,
        )
        membership_grant(user=user, role=row.role, unit=row.unit, school=row.school, actor=actor)
        report.created.append(user)
    report.onboarding = onboard(report.created, by=actor, request=request)
    return report
