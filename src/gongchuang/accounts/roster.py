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

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent

from .access import require
from .enums import ConsentSource, Role
from .identity import age_on
from .models import School, User
from .roster_sheet import (  # noqa: F401  (the roster's interface: the sheet and its reading)
    COLUMNS,
    GUARDIAN_AGE,
    RosterReport,
    RosterRow,
    cell_text,
    parse_roster,
)
from .services import student_register


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
        real_name=cell_text(row, "real_name"),
        email=cell_text(row, "email").lower(),
        mobile=cell_text(row, "mobile"),
        level=row.level,
        school=school,
        grade=cell_text(row, "grade"),
        birth_date=values["birth_date"],
        document_type=row.document_type,
        document_number=row.document_number,
        guardian_name=cell_text(row, "guardian_name"),
        guardian_phone=cell_text(row, "guardian_phone"),
        guardian_consent=minor or isinstance(values.get("consent_date"), datetime.date),
    )
    profile = user.student_profile
    profile.gender = row.gender
    profile.guardian_relation = cell_text(row, "guardian_relation")[:20]
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
