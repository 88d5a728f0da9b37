"""Accounts and SMS codes: log in by code, reset a password by code, verify a number.

The codes themselves (hashing, expiry, tries, limits) are notifications/sms/codes.py,
reached through accounts.outbox.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.common.masking import mask_phone

from . import outbox
from .enums import PhoneCodePurpose
from .models import StudentProfile, User

_BAD_CODE = "The code is wrong or has expired. Please check it or request a new one."


def _user_by_code(*, phone: str, purpose: str, code: str) -> User:
    row = outbox.phone_code_check(phone=phone, purpose=purpose, code=code)
    user = User.objects.filter(pk=row.user_id, is_active=True, is_anonymised=False).first()
    if user is None or user.mobile != row.phone:
        raise DomainError(_(_BAD_CODE), code="bad_code")
    return user


def _mark_verified(user: User) -> None:
    """A code that reached the number proves it (no audit of its own: the code check is)."""
    if user.mobile_verified_at is None:
        user.mobile_verified_at = timezone.now()
        user.save(update_fields=["mobile_verified_at"])


def phone_login_user(*, phone: str, code: str) -> User:
    """The account to log in with a login code sent to ``phone``, or DomainError.
    The caller logs in with django.contrib.auth.login (and answers axes)."""
    user = _user_by_code(phone=phone, purpose=PhoneCodePurpose.LOGIN, code=code)
    _mark_verified(user)
    return user


def phone_reset_user(*, phone: str, code: str) -> User:
    """The account whose password may now be set (a reset code sent to ``phone``)."""
    user = _user_by_code(phone=phone, purpose=PhoneCodePurpose.RESET, code=code)
    _mark_verified(user)
    return user


def mobile_verify(*, user: User, phone: str, code: str) -> User:
    """Make ``phone`` the verified number of ``user`` (a code sent to it, audited).

    DomainError for a wrong code, or when the number belongs to another account. Not
    one transaction with the code check: a wrong guess must stay counted.
    """
    row = outbox.phone_code_check(phone=phone, purpose=PhoneCodePurpose.VERIFY, code=code)
    if row.user_id != user.pk:
        raise DomainError(_(_BAD_CODE), code="bad_code")
    if User.objects.filter(mobile=row.phone).exclude(pk=user.pk).exists():
        raise DomainError(
            _("This number belongs to another account. Ask the organisers for help."),
            code="phone_taken",
        )
    before = {"mobile": mask_phone(user.mobile), "verified": user.mobile_verified_at is not None}
    user.mobile, user.mobile_verified_at = row.phone, timezone.now()
    try:
        with transaction.atomic():
            user.save(update_fields=["mobile", "mobile_verified_at"])
            audit_record(
                actor=user,
                action="accounts.mobile_verify",
                obj=user,
                before=before,
                after={"mobile": mask_phone(user.mobile), "verified": True},
            )
    except IntegrityError as exc:  # taken by another account at the same moment
        raise DomainError(
            _("This number belongs to another account. Ask the organisers for help."),
            code="phone_taken",
        ) from exc
    return user


def guardian_sms_enable(*, user: User, code: str = "") -> StudentProfile:
    """Key notices go by SMS to the guardian of student ``user`` too (audited).

    The guardian's number must be proven: by ``code`` (a "guardian" code sent to it
    for ``user``), unless it was proven before. DomainError otherwise; not one
    transaction with the code check (a wrong guess must stay counted).
    """
    profile = StudentProfile.objects.get(user=user)
    if not profile.guardian_phone:
        raise DomainError(
            _("No guardian's number is on file. Ask your school coordinator to add it."),
            code="no_guardian_phone",
        )
    if profile.guardian_phone_verified_at is None:
        row = outbox.phone_code_check(
            phone=profile.guardian_phone, purpose=PhoneCodePurpose.GUARDIAN, code=code
        )
        if row.user_id != user.pk:
            raise DomainError(_(_BAD_CODE), code="bad_code")
        profile.guardian_phone_verified_at = timezone.now()
    return _guardian_sms_set(profile, on=True)


def guardian_sms_disable(*, user: User) -> StudentProfile:
    """Stop texting the guardian of student ``user`` (audited; the proof is kept)."""
    return _guardian_sms_set(StudentProfile.objects.get(user=user), on=False)


def _guardian_sms_set(profile: StudentProfile, *, on: bool) -> StudentProfile:
    before = {"guardian_sms": profile.guardian_sms}
    profile.guardian_sms = on
    with transaction.atomic():
        profile.save(update_fields=["guardian_sms", "guardian_phone_verified_at"])
        audit_record(
            actor=profile.user,
            action="accounts.guardian_sms",
            obj=profile.user,
            before=before,
            after={"guardian_sms": on, "guardian_phone": profile.masked_guardian_phone},
        )
    return profile
