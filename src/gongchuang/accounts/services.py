"""Registering people and granting roles."""

import datetime

from django.db import transaction
from django.utils import timezone

from gongchuang.common.audit import audit_record

from .enums import Role
from .identity import fallback_identity_hash, national_id_hash
from .models import Membership, School, StudentProfile, TeacherProfile, Unit, User, consent_version


@transaction.atomic
def student_register(
    *,
    username: str,
    password: str,
    real_name: str,
    email: str = "",
    mobile: str = "",
    level: str,
    school: School,
    grade: str,
    birth_date: datetime.date,
    national_id: str = "",
    guardian_name: str = "",
    guardian_phone: str = "",
    guardian_consent: bool = False,
    active: bool = True,
) -> User:
    """Create a student account. The national ID is kept only as a keyed hash + last 4.

    Callers validate input (forms); the guardian consent time and text version
    are recorded when consent is given. ``active=False``: the account waits for its
    e-mail link (accounts.registration).
    """
    user = User.objects.create_user(
        username=username,
        password=password,
        real_name=real_name,
        email=email,
        mobile=mobile,
        is_active=active,
    )
    id_hash = national_id_hash(national_id) if national_id else ""
    identity = id_hash or fallback_identity_hash(
        real_name=real_name, birth_date=birth_date, school_id=school.pk
    )
    StudentProfile.objects.create(
        user=user,
        level=level,
        unit=school.unit,
        school=school,
        grade=grade,
        birth_date=birth_date,
        national_id_hash=id_hash,
        national_id_last4=national_id[-4:] if national_id else "",
        identity_key=identity,
        guardian_name=guardian_name,
        guardian_phone=guardian_phone,
        guardian_consent_at=timezone.now() if guardian_consent else None,
        guardian_consent_version=consent_version() if guardian_consent else "",
    )
    Membership.objects.create(user=user, role=Role.STUDENT, unit=school.unit, school=school)
    audit_record(
        actor=user,
        action="account.register_student",
        obj=user,
        after={
            "level": level,
            "school": school.pk,
            "guardian_consent": guardian_consent,
            "active": active,
        },
    )
    return user


@transaction.atomic
def teacher_register(
    *,
    username: str,
    password: str,
    real_name: str,
    email: str = "",
    mobile: str = "",
    kind: str,
    school: School,
    subject: str = "",
    active: bool = True,
) -> User:
    user = User.objects.create_user(
        username=username,
        password=password,
        real_name=real_name,
        email=email,
        mobile=mobile,
        is_active=active,
    )
    TeacherProfile.objects.create(
        user=user, kind=kind, unit=school.unit, school=school, subject=subject
    )
    Membership.objects.create(user=user, role=Role.TEACHER, unit=school.unit, school=school)
    audit_record(
        actor=user,
        action="account.register_teacher",
        obj=user,
        after={"school": school.pk, "active": active},
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
