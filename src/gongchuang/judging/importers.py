"""Importing experts from a spreadsheet (xlsx): all rows or none, errors per row in Chinese."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from gongchuang.accounts.enums import Level
from gongchuang.accounts.models import School, Unit, User
from gongchuang.accounts.onboarding import OnboardingResult, onboard
from gongchuang.common.errors import DomainError
from gongchuang.common.spreadsheets import PHONE, Column, read_table
from gongchuang.editions.models import Edition

from .services import expert_upsert

# The columns of the committee's template; headers match in Chinese or English, with aliases.
COLUMNS = [
    Column(
        "real_name",
        pgettext_lazy("spreadsheet", "Name"),
        required=True,
        aliases=("姓名", "专家姓名"),
        example="周教授",
    ),
    Column(
        "mobile",
        pgettext_lazy("spreadsheet", "Mobile"),
        kind=PHONE,
        required=True,
        aliases=("手机号", "手机", "手机号码", "联系电话", "phone"),
        example="13911112222",
    ),
    Column(
        "email",
        pgettext_lazy("spreadsheet", "E-mail"),
        required=True,
        aliases=("邮箱", "电子邮箱", "电子邮件", "email", "mail"),
        example="zhou@example.cn",
    ),
    Column(
        "organisation",
        pgettext_lazy("spreadsheet", "Organisation"),
        aliases=("工作单位", "单位名称"),
        example="北京示范大学",
    ),
    Column(
        "unit",
        pgettext_lazy("spreadsheet", "Organising unit code"),
        aliases=("组织单位代码", "单位代码"),
    ),
    Column("school", pgettext_lazy("spreadsheet", "School"), aliases=("学校", "学校名称")),
    Column(
        "expertise",
        pgettext_lazy("spreadsheet", "Expertise keywords"),
        aliases=("专业领域关键词", "专业领域"),
        example="图像生成、数字绘画",
    ),
    Column(
        "categories",
        pgettext_lazy("spreadsheet", "Categories to review"),
        aliases=("评审类别", "类别"),
    ),
    Column(
        "levels",
        pgettext_lazy("spreadsheet", "Education levels to review"),
        aliases=("评审学段", "学段"),
        example="初中、高中",
    ),
    Column(
        "max_load",
        pgettext_lazy("spreadsheet", "Maximum works"),
        aliases=("最大评审量",),
        example="30",
    ),
]
HEADERS = [
    "姓名", "手机号", "邮箱", "工作单位", "组织单位代码", "学校", "专业领域关键词", "评审类别",
    "评审学段", "最大评审量",
]  # fmt: skip
REQUIRED = {c.field for c in COLUMNS if c.required}
LEVEL_NAMES = {
    "小学": Level.PRIMARY,
    "初中": Level.JUNIOR,
    "高中": Level.SENIOR,
    "高校": Level.UNIVERSITY,
    "大学": Level.UNIVERSITY,
}
_LIST_SPLIT = re.compile(r"[、,，;；\n]+")
MAX_ROWS = 2000


@dataclass
class ExpertRow:
    row: int
    data: dict


def parse_experts(fileobj, *, edition: Edition) -> tuple[list[ExpertRow], list[str]]:
    """Rows ready for ``expert_upsert`` and the list of errors ("第 n 行：…")."""
    table = read_table(fileobj, COLUMNS, max_rows=MAX_ROWS)  # DomainError if unreadable
    categories = {c.code: c.code for c in edition.categories.all()}
    categories |= {c.name: c.code for c in edition.categories.all()}
    units = {u.code.upper(): u for u in Unit.objects.all()}
    schools = {s.name: s for s in School.objects.all()}
    parsed: list[ExpertRow] = []
    errors: list[str] = []
    seen_mobiles: dict[str, int] = {}
    errors.extend(table.errors)
    for row in table.rows:
        number = row.number
        raw = {k: "" if v is None else str(v) for k, v in row.values.items()}
        if len(parsed) + len(errors) >= MAX_ROWS:
            errors.append(_("At most %(n)s experts per file.") % {"n": MAX_ROWS})
            break
        problems = _row_problems(raw, categories, units, schools, seen_mobiles, number)
        if problems:
            errors.extend(
                _("Row %(row)s: %(error)s") % {"row": number, "error": p} for p in problems
            )
            continue
        parsed.append(ExpertRow(number, _row_data(raw, categories, units, schools)))
    if not parsed and not errors:
        errors.append(_("The spreadsheet has no expert rows."))
    return parsed, errors


def _split(text: str) -> list[str]:
    return [x.strip() for x in _LIST_SPLIT.split(text) if x.strip()]


def _row_problems(raw, categories, units, schools, seen_mobiles, number) -> list[str]:
    problems = []
    for column in COLUMNS:
        if column.required and not raw.get(column.field):
            problems.append(_("“%(column)s” is required.") % {"column": column.title()})
    mobile = raw.get("mobile", "")
    if mobile and not re.fullmatch(r"1\d{10}", mobile):
        problems.append(_("The mobile number must have 11 digits and start with 1."))
    elif mobile in seen_mobiles:
        problems.append(_("The mobile number repeats row %(row)s.") % {"row": seen_mobiles[mobile]})
    elif mobile:
        seen_mobiles[mobile] = number
        taken = User.objects.filter(mobile=mobile).first()
        if taken is not None and raw.get("real_name") and taken.real_name != raw["real_name"]:
            problems.append(_("The mobile number belongs to another person."))
    if raw.get("email"):
        try:
            validate_email(raw["email"])
        except Exception:
            problems.append(_("The e-mail address is not valid."))
    if raw.get("unit") and raw["unit"].upper() not in units:
        problems.append(_("Unknown unit code “%(code)s”.") % {"code": raw["unit"]})
    if raw.get("school") and raw["school"] not in schools:
        problems.append(_("Unknown school “%(name)s”.") % {"name": raw["school"]})
    for name in _split(raw.get("categories", "")):
        if name not in categories:
            problems.append(_("Unknown category “%(name)s”.") % {"name": name})
    for name in _split(raw.get("levels", "")):
        if name not in LEVEL_NAMES and name not in Level.values:
            problems.append(_("Unknown education level “%(name)s”.") % {"name": name})
    load = raw.get("max_load", "")
    if load and (not load.isdigit() or not 1 <= int(load) <= 1000):
        problems.append(_("The maximum number of works must be a whole number from 1 to 1000."))
    return problems


def _row_data(raw, categories, units, schools) -> dict:
    return {
        "real_name": raw["real_name"],
        "mobile": raw["mobile"],
        "email": raw["email"],
        "organisation": raw.get("organisation", ""),
        "unit": units.get(raw.get("unit", "").upper()),
        "school": schools.get(raw.get("school", "")),
        "expertise": raw.get("expertise", ""),
        "categories": sorted({categories[n] for n in _split(raw.get("categories", ""))}),
        "levels": sorted(
            {LEVEL_NAMES.get(n, n) for n in _split(raw.get("levels", ""))}, key=Level.values.index
        ),
        "max_load": int(raw["max_load"]) if raw.get("max_load") else 30,
    }


@dataclass
class ExpertImport:
    experts: list[User] = field(default_factory=list)  # every row's expert, new or updated
    onboarding: OnboardingResult = field(default_factory=OnboardingResult)  # the new ones


def experts_import(*, fileobj, edition: Edition, actor, request=None) -> ExpertImport:
    """Create or update every expert of the spreadsheet, or none if any row is wrong.
    New experts get an invitation to set their password (``onboard``)."""
    parsed, errors = parse_experts(fileobj, edition=edition)
    if errors:
        error = DomainError("；".join(errors), code="rows")
        error.errors = errors  # the view lists them one per line
        raise error
    with transaction.atomic():
        experts = [expert_upsert(**row.data, actor=actor) for row in parsed]
        new = [user for user in experts if getattr(user, "created_now", False)]
        return ExpertImport(experts, onboard(new, by=actor, request=request))
