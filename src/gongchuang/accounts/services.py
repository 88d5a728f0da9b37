"""Registering people and granting roles."""

import datetime
from typing import NotRequired, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError

from .enums import ConsentSource, Role
from .identity import (
    BIRTH_DATE_DOCUMENTS,
    birth_date_from_national_id,
    document_key,
    person_key,
    validate_document,
)
from .models import Membership, School, StudentProfile, TeacherProfile, Unit, User, consent_version


class AccountFields(TypedDict):
    """The sign-in fields of a self-registered account (keyword arguments of the registers)."""

    username: str
    password: str
    real_name: str
    email: NotRequired[str]
    mobile: NotRequired[str]
    mobile_verified: NotRequired[bool]


@transaction.atomic
def student_register(
    *,
    level: str,
    school: School,
    grade: str,
    birth_date: datetime.date,
    document_type: str,
    document_number: str,
    guardian_name: str = "",
    guardian_phone: str = "",
    guardian_consent: bool = False,
    guardian_sms: bool = False,
    active: bool = True,
    **account: Unpack[AccountFields],
) -> User:
    """Create a student account (``account``: its sign-in fields) with its identity document.

    The document number is kept only as keyed hashes (document key, person key:
    accounts.identity) + its last 4 characters. Callers validate input (forms); an
    invalid document, or a birth date other than the one in the number, is refused here
    too (DomainError). The guardian consent time and text version are recorded when
    consent is given. ``active=False``: the account waits for its e-mail link
    (accounts.registration). ``guardian_sms``: key notices go by SMS to the guardian
    too; the caller has proven the guardian's number by a code (so has it the mobile
    number with ``mobile_verified``).
    """
    number = _checked_document(document_type, document_number, birth_date)
    user = _account_create(active=active, **account)
    doc_key = document_key(document_type, number)
    StudentProfile.objects.create(
        user=user,
        level=level,
        unit=school.unit,
        school=school,
        grade=grade,
        birth_date=birth_date,
        document_type=document_type,
        national_id_hash=doc_key,
        national_id_last4=number[-4:],
        identity_key=doc_key,
        person_key=person_key(real_name=account["real_name"], birth_date=birth_date),
        guardian_name=guardian_name,
        guardian_phone=guardian_phone,
        guardian_sms=bool(guardian_sms and guardian_phone),
        guardian_phone_verified_at=timezone.now() if guardian_sms and guardian_phone else None,
        **_guardian_consent(guardian_consent),
    )
    Membership.objects.create(user=user, role=Role.STUDENT, unit=school.unit, school=school)
    _student_register_audit(
        user,
        level=level,
        school=school,
        document_type=document_type,
        guardian_consent=guardian_consent,
        guardian_sms=bool(guardian_sms and guardian_phone),
    )
    return user


def _student_register_audit(
    user: User,
    *,
    level: str,
    school: School,
    document_type: str,
    guardian_consent: bool,
    guardian_sms: bool,
) -> None:
    audit_record(
        actor=user,
        action="account.register_student",
        obj=user,
        after={
            "level": level,
            "school": school.pk,
            "document_type": document_type,
            "guardian_consent": guardian_consent,
            "guardian_sms": guardian_sms,
            "mobile_verified": user.mobile_verified_at is not None,
            "active": user.is_active,
        },
    )


def _account_create(
    *,
    username: str,
    password: str,
    real_name: str,
    email: str = "",
    mobile: str = "",
    mobile_verified: bool = False,
    active: bool,
) -> User:
    """The User row of a student or teacher registration."""
    return User.objects.create_user(
        username=username,
        password=password,
        real_name=real_name,
        email=email,
        mobile=mobile,
        mobile_verified_at=timezone.now() if mobile and mobile_verified else None,
        is_active=active,
    )


def _guardian_consent(given: bool) -> dict:
    """The consent time and text version to record, empty when consent is not given."""
    if not given:
        return {"guardian_consent_at": None, "guardian_consent_version": ""}
    return {
        "guardian_consent_at": timezone.now(),
        "guardian_consent_version": consent_version(),
        "guardian_consent_source": ConsentSource.ONLINE,
    }


def _checked_document(document_type: str, number: str, birth_date: datetime.date) -> str:
    try:
        number = validate_document(document_type, number)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code="document_invalid") from exc
    if document_type in BIRTH_DATE_DOCUMENTS and birth_date_from_national_id(number) != birth_date:
        raise DomainError(
            _("The date of birth does not match the identity document number."),
            code="document_birth_date",
        )
    return number


@transaction.atomic
def teacher_register(
    *,
    kind: str,
    school: School,
    subject: str = "",
    active: bool = True,
    **account: Unpack[AccountFields],
) -> User:
    """Create a teacher account (``account``: its sign-in fields) at ``school``."""
    user = _account_create(active=active, **account)
    TeacherProfile.objects.create(
        user=user, kind=kind, unit=school.unit, school=school, subject=subject
    )
    Membership.objects.create(user=user, role=Role.TEACHER, unit=school.unit, school=school)
    audit_record(
        actor=user,
        action="account.register_teacher",
        obj=user,
        after={
            "school": school.pk,
            "mobile_verified": user.mobile_verified_at is not None,
            "active": active,
        },
    )
    return user


@transaction.atomic
def membership_grant(
    *, user: User, role: str, unit: Unit | None = None, school: School | None = None, actor=None
) -> Membership:
    """Give ``user`` a role (idempotent); permission changes are audited."""
    membership, created = Membership.objects.get_or_create(
        user=user, role=role, unit=unit, school=school
    )
    if created:
        audit_record(
            actor=actor,
            action="membership.grant",
            obj=user,
            after={
                "role": role,
                "unit": unit.pk if unit else None,
                "school": school.pk if school else None,
            },
        )
    user.__dict__.pop("roles", None)
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, actor) -> None:
    audit_record(
        actor=actor,
        action="membership.revoke",
        obj=membership.user,
        before={
            "role": membership.role,
            "unit": membership.unit_id,
            "school": membership.school_id,
        },
    )
    membership.delete()


@transaction.atomic
def user_language_set(*, user: User, language: str) -> User:
    """Store the interface language the person chose (a code of ``settings.LANGUAGES``);
    audited when it changes. Signing in applies it (``accounts.signals``)."""
    if user.language != language:
        before = user.language
        user.language = language
        user.save(update_fields=["language"])
        audit_record(
            actor=user, action="account.language", obj=user,
            before={"language": before}, after={"language": language},
        )  # fmt: skip
    return user
