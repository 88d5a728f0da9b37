"""Reading a school's roster sheet (accounts.roster imports what this checks).

Every row is checked on its own (name, gender, birth date, 学段, grade, identity document,
and for students under 14 the guardian and the date the school collected the consent form),
against the other rows (the same student twice) and against the people already registered
(same document, or same name and date of birth: reported, never created twice).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from gongchuang.common.spreadsheets import DATE, ID, PHONE, Column, read_table_into

from .enums import DocumentType, Gender, Level
from .identity import (
    BIRTH_DATE_DOCUMENTS,
    age_on,
    birth_date_from_national_id,
    document_key,
    person_key,
    validate_document,
)
from .models import School, StudentProfile, User
from .validators import mobile_validator

MAX_ROWS = 2000
GUARDIAN_AGE = 14

LEVEL_NAMES = {
    "小学": Level.PRIMARY, "初中": Level.JUNIOR, "高中": Level.SENIOR, "中职": Level.SENIOR,
    "高中（含中职）": Level.SENIOR, "大学": Level.UNIVERSITY, "高校": Level.UNIVERSITY,
    "primary": Level.PRIMARY, "junior": Level.JUNIOR, "senior": Level.SENIOR,
    "university": Level.UNIVERSITY,
}  # fmt: skip
DOCUMENT_NAMES = {
    "居民身份证": DocumentType.RESIDENT_ID, "身份证": DocumentType.RESIDENT_ID,
    "港澳居民来往内地通行证": DocumentType.HK_MACAO_PERMIT,
    "港澳通行证": DocumentType.HK_MACAO_PERMIT, "回乡证": DocumentType.HK_MACAO_PERMIT,
    "台湾居民来往大陆通行证": DocumentType.TAIWAN_PERMIT, "台胞证": DocumentType.TAIWAN_PERMIT,
    "港澳台居民居住证": DocumentType.HMT_RESIDENCE,
    "外国人永久居留身份证": DocumentType.FOREIGNER_PR, "永居证": DocumentType.FOREIGNER_PR,
    "护照": DocumentType.PASSPORT,
}  # fmt: skip
DOCUMENT_CHOICES = (
    "居民身份证", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "港澳台居民居住证",
    "外国人永久居留身份证", "护照",
)  # fmt: skip
GENDER_NAMES = {
    "男": Gender.MALE,
    "女": Gender.FEMALE,
    "male": Gender.MALE,
    "female": Gender.FEMALE,
}


COLUMNS = [
    Column(
        "real_name",
        pgettext_lazy("spreadsheet", "Name"),
        required=True,
        aliases=("姓名", "学生姓名"),
        example="王小明",
    ),
    Column(
        "gender",
        pgettext_lazy("spreadsheet", "Gender"),
        required=True,
        aliases=("性别",),
        choices=lambda: ["男", "女"],
        example="男",
    ),
    Column(
        "birth_date",
        pgettext_lazy("spreadsheet", "Date of birth"),
        kind=DATE,
        required=True,
        aliases=("出生日期", "生日"),
        example="2015-03-05",
    ),
    Column(
        "level",
        pgettext_lazy("spreadsheet", "Education level"),
        required=True,
        aliases=("学段",),
        choices=lambda: ["小学", "初中", "高中", "中职", "大学"],
        example="小学",
    ),
    Column(
        "grade",
        pgettext_lazy("spreadsheet", "Grade"),
        required=True,
        aliases=("年级", "年级班级"),
        example="五年级",
    ),
    Column(
        "document_type",
        pgettext_lazy("spreadsheet", "Identity document"),
        aliases=("证件类型",),
        choices=lambda: list(DOCUMENT_CHOICES),
        example="居民身份证",
    ),
    Column(
        "document_number",
        pgettext_lazy("spreadsheet", "Identity document number"),
        kind=ID,
        required=True,
        aliases=("证件号码", "身份证号", "身份证号码", "证件号"),
        example="110105201503050012",
    ),
    Column(
        "guardian_name",
        pgettext_lazy("spreadsheet", "Guardian's name"),
        aliases=("监护人姓名", "家长姓名"),
        example="王大明",
    ),
    Column(
        "guardian_relation",
        pgettext_lazy("spreadsheet", "Guardian's relation"),
        aliases=("监护人关系", "与学生关系", "关系"),
        choices=lambda: ["父亲", "母亲", "祖父母", "外祖父母", "其他"],
        example="父亲",
    ),
    Column(
        "guardian_phone",
        pgettext_lazy("spreadsheet", "Guardian's mobile"),
        kind=PHONE,
        aliases=("监护人手机", "监护人手机号", "监护人电话", "家长手机", "家长电话"),
        example="13900001111",
    ),
    Column(
        "consent_date",
        pgettext_lazy("spreadsheet", "Consent collected on"),
        kind=DATE,
        aliases=("同意书收集日期", "监护人同意日期", "知情同意日期"),
        example="2026-03-01",
    ),
    Column(
        "mobile",
        pgettext_lazy("spreadsheet", "Mobile"),
        kind=PHONE,
        aliases=("手机号", "学生手机", "手机"),
        example="",
    ),
    Column(
        "email",
        pgettext_lazy("spreadsheet", "E-mail"),
        aliases=("邮箱", "电子邮箱", "email"),
        example="",
    ),
]


@dataclass
class RosterRow:
    line: int
    values: dict
    document_type: str = DocumentType.RESIDENT_ID
    document_number: str = ""
    level: str = ""
    gender: str = ""


@dataclass
class RosterReport:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    known: list[tuple[int, User]] = field(default_factory=list)  # (line, existing account)
    created: list[User] = field(default_factory=list)


def parse_roster(fileobj, *, school: School) -> RosterReport:
    report = RosterReport()
    table = read_table_into(fileobj, COLUMNS, max_rows=MAX_ROWS, errors=report.errors)
    if table is None:
        return report
    seen_documents: dict[str, int] = {}
    seen_persons: dict[str, int] = {}
    for table_row in table.rows:
        row = RosterRow(table_row.number, table_row.values)
        problems = _checked(row, school)
        if not problems:
            problems = _unique_in_sheet(row, seen_documents, seen_persons)
        if not problems:
            known = _registered(row)
            if known is not None:
                report.known.append((row.line, known))
                continue
            problems = _contact_problems(row)
        report.errors.extend(
            _("Row %(line)s: %(problem)s") % {"line": row.line, "problem": p} for p in problems
        )
        if not problems:
            report.rows.append(row)
    if not report.rows and not report.known and not report.errors:
        report.errors.append(_("The spreadsheet has no data rows."))
    return report


def cell_text(row: RosterRow, name: str) -> str:
    value = row.values.get(name)
    return "" if value is None else str(value).strip()


def _checked(row: RosterRow, school: School) -> list[str]:
    """The row's own problems (and its parsed choices set on ``row``)."""
    problems = []
    if not cell_text(row, "real_name"):
        problems.append(_("the name is missing."))
    row.gender = GENDER_NAMES.get(cell_text(row, "gender").lower(), "")
    if not row.gender:
        problems.append(_("the gender must be 男 or 女."))
    row.level = LEVEL_NAMES.get(cell_text(row, "level").lower(), "")
    if not row.level:
        problems.append(_("the education level must be 小学, 初中, 高中, 中职 or 大学."))
    elif school.levels and row.level not in school.levels:
        problems.append(
            _("%(school)s does not teach this education level.") % {"school": school.name}
        )
    if not cell_text(row, "grade"):
        problems.append(_("the grade is missing."))
    birth_date = row.values.get("birth_date")
    if not isinstance(birth_date, datetime.date):
        problems.append(_("the date of birth is missing."))
        birth_date = None
    elif birth_date > timezone.localdate():
        problems.append(_("the date of birth cannot be in the future."))
    problems += _document_problems(row, birth_date)
    if birth_date and age_on(birth_date, timezone.localdate()) < GUARDIAN_AGE:
        problems += _guardian_problems(row)
    for name in ("mobile", "guardian_phone"):
        if cell_text(row, name):
            try:
                mobile_validator(cell_text(row, name))
            except ValidationError:
                problems.append(
                    _("the mobile number %(m)s is not an 11-digit mainland number.")
                    % {"m": cell_text(row, name)}
                )
    return problems


def _document_problems(row: RosterRow, birth_date) -> list[str]:
    kind_name = cell_text(row, "document_type") or "居民身份证"
    row.document_type = DOCUMENT_NAMES.get(kind_name, "")
    if not row.document_type:
        return [_("unknown identity document “%(d)s”.") % {"d": kind_name}]
    try:
        row.document_number = validate_document(
            row.document_type, cell_text(row, "document_number")
        )
    except ValidationError as exc:
        return [exc.messages[0]]
    if (
        birth_date
        and row.document_type in BIRTH_DATE_DOCUMENTS
        and birth_date_from_national_id(row.document_number) != birth_date
    ):
        return [_("the date of birth does not match the identity document number.")]
    return []


def _guardian_problems(row: RosterRow) -> list[str]:
    missing = [
        label
        for name, label in (
            ("guardian_name", _("guardian's name")),
            ("guardian_relation", _("guardian's relation")),
            ("guardian_phone", _("guardian's mobile")),
        )
        if not cell_text(row, name)
    ]
    problems = []
    if missing:
        problems.append(
            _("students under 14 need a guardian: %(fields)s missing.")
            % {"fields": "、".join(str(m) for m in missing)}
        )
    consent = row.values.get("consent_date")
    if not isinstance(consent, datetime.date):
        problems.append(
            _("students under 14 need the date the school collected the guardian's consent.")
        )
    elif consent > timezone.localdate():
        problems.append(_("the consent date cannot be in the future."))
    return problems


def _keys(row: RosterRow) -> tuple[str, str]:
    return (
        document_key(row.document_type, row.document_number),
        person_key(real_name=cell_text(row, "real_name"), birth_date=row.values["birth_date"]),
    )


def _unique_in_sheet(row: RosterRow, documents: dict, persons: dict) -> list[str]:
    doc, person = _keys(row)
    earlier = documents.get(doc) or persons.get(person)
    documents.setdefault(doc, row.line)
    persons.setdefault(person, row.line)
    if earlier:
        return [_("the same student as row %(line)s.") % {"line": earlier}]
    return []


def _registered(row: RosterRow) -> User | None:
    """The account of this person if they have one (same document, or name + birth date)."""
    doc, person = _keys(row)
    match = Q(national_id_hash=doc) | Q(identity_key=doc) | Q(person_key=person)
    profile = (
        StudentProfile.objects.filter(match, voided_at__isnull=True)
        .select_related("user", "school")
        .order_by("pk")
        .first()
    )
    return profile.user if profile else None


def _contact_problems(row: RosterRow) -> list[str]:
    problems = []
    mobile, email = cell_text(row, "mobile"), cell_text(row, "email").lower()
    if mobile and User.objects.filter(mobile=mobile).exists():
        problems.append(_("the mobile number %(m)s belongs to another account.") % {"m": mobile})
    if email:
        if "@" not in email:
            problems.append(_("the e-mail address %(e)s is not valid.") % {"e": email})
        elif User.objects.filter(email__iexact=email).exists():
            problems.append(
                _("the e-mail address %(e)s belongs to another account.") % {"e": email}
            )
    return problems
