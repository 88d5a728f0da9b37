"""A school's roster: student accounts created in bulk from a spreadsheet.

A school coordinator imports for their school, a teacher for their class (at their school).
All-or-nothing: every row is checked first; any problem refuses the whole sheet with Chinese
row messages. A row that is a person already registered (same identity document, or same
name and date of birth) is reported and skipped, never created twice, so a roster can be
imported again after adding names. Students under 14 need a guardian (name, relation, phone)
and the date the school collected the guardian's consent on paper; the consent is recorded
as collected offline by the school, with the text version in force.

The new accounts have no password: ``accounts.onboarding`` invites those with an e-mail
address or mobile number and lists the others for the credentials sheet.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.common.spreadsheets import DATE, ID, PHONE, Column, read_table_into

from .access import require
from .enums import ConsentSource, DocumentType, Gender, Level, Role
from .identity import (
    BIRTH_DATE_DOCUMENTS,
    age_on,
    birth_date_from_national_id,
    document_key,
    person_key,
    validate_document,
)
from .models import School, StudentProfile, User
from .services import student_register
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


def schools_for_roster(actor) -> list[School]:
    """The schools ``actor`` may import students into: coordinated ones, or a teacher's own."""
    ids = set(actor.school_ids_for(Role.SCHOOL_COORDINATOR))
    teacher = getattr(actor, "teacher_profile", None)
    if teacher is not None and Role.TEACHER in actor.roles:
        ids.add(teacher.school_id)
    return list(School.objects.filter(pk__in=ids, is_active=True).order_by("name"))


def roster_imported_by(actor, person) -> bool:
    """Whether ``actor`` created ``person``'s account from a roster."""
    return AuditEvent.objects.filter(
        action="account.roster_import",
        actor_id=getattr(actor, "pk", None),
        content_type__app_label="accounts",
        content_type__model="user",
        object_id=str(person.pk),
    ).exists()


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


def _text(row: RosterRow, name: str) -> str:
    value = row.values.get(name)
    return "" if value is None else str(value).strip()


def _checked(row: RosterRow, school: School) -> list[str]:
    """The row's own problems (and its parsed choices set on ``row``)."""
    problems = []
    if not _text(row, "real_name"):
        problems.append(_("the name is missing."))
    row.gender = GENDER_NAMES.get(_text(row, "gender").lower(), "")
    if not row.gender:
        problems.append(_("the gender must be 男 or 女."))
    row.level = LEVEL_NAMES.get(_text(row, "level").lower(), "")
    if not row.level:
        problems.append(_("the education level must be 小学, 初中, 高中, 中职 or 大学."))
    elif school.levels and row.level not in school.levels:
        problems.append(
            _("%(school)s does not teach this education level.") % {"school": school.name}
        )
    if not _text(row, "grade"):
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
        if _text(row, name):
            try:
                mobile_validator(_text(row, name))
            except ValidationError:
                problems.append(
                    _("the mobile number %(m)s is not an 11-digit mainland number.")
                    % {"m": _text(row, name)}
                )
    return problems


def _document_problems(row: RosterRow, birth_date) -> list[str]:
    kind_name = _text(row, "document_type") or "居民身份证"
    row.document_type = DOCUMENT_NAMES.get(kind_name, "")
    if not row.document_type:
        return [_("unknown identity document “%(d)s”.") % {"d": kind_name}]
    try:
        row.document_number = validate_document(row.document_type, _text(row, "document_number"))
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
        if not _text(row, name)
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
        person_key(real_name=_text(row, "real_name"), birth_date=row.values["birth_date"]),
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
    mobile, email = _text(row, "mobile"), _text(row, "email").lower()
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


@transaction.atomic
def roster_import(*, report: RosterReport, school: School, actor) -> RosterReport:
    """Create the accounts of a checked report (refuses one with errors)."""
    require(
        actor,
        "accounts.import_roster",
        school,
        message=_("You can only import students into your own school."),
    )
    if report.errors:
        raise DomainError(_("The sheet has problems; nothing was imported."), code="invalid")
    for row in report.rows:
        report.created.append(_student_create(row, school=school, actor=actor))
    return report


def _student_create(row: RosterRow, *, school: School, actor) -> User:
    values = row.values
    minor = age_on(values["birth_date"], timezone.localdate()) < GUARDIAN_AGE
    user = student_register(
        username=_new_username(),
        password=None,
        real_name=_text(row, "real_name"),
        email=_text(row, "email").lower(),
        mobile=_text(row, "mobile"),
        level=row.level,
        school=school,
        grade=_text(row, "grade"),
        birth_date=values["birth_date"],
        document_type=row.document_type,
        document_number=row.document_number,
        guardian_name=_text(row, "guardian_name"),
        guardian_phone=_text(row, "guardian_phone"),
        guardian_consent=minor or isinstance(values.get("consent_date"), datetime.date),
    )
    profile = user.student_profile
    profile.gender = row.gender
    profile.guardian_relation = _text(row, "guardian_relation")[:20]
    consent = values.get("consent_date")
    if isinstance(consent, datetime.date):
        profile.guardian_consent_at = timezone.make_aware(
            datetime.datetime.combine(consent, datetime.time(12))
        )
        profile.guardian_consent_source = ConsentSource.SCHOOL_OFFLINE
    profile.save(
        update_fields=[
            "gender", "guardian_relation", "guardian_consent_at", "guardian_consent_source",
        ]
    )  # fmt: skip
    audit_record(
        actor=actor,
        action="account.roster_import",
        obj=user,
        after={
            "school": school.pk,
            "level": row.level,
            "guardian_consent": profile.guardian_consent_source,
        },
    )
    return user


def _new_username() -> str:
    """``xs`` + 8 random digits, not yet taken (a roster has no usernames of its own)."""
    while True:
        name = f"xs{secrets.randbelow(10**8):08d}"
        if not User.objects.filter(username__iexact=name).exists():
            return name
