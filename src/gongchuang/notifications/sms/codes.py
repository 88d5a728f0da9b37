"""Six-digit verification codes sent by SMS: prove a phone, log in, reset a password.

Contract: only a keyed hash of a code is stored; a code lives ``CODE_LIFETIME`` and
allows ``MAX_TRIES`` wrong guesses; one open code per phone and purpose (a new one
closes the old one; a database constraint backs it). Requests are limited per number
and per client address and day (``SMS_DAILY_LIMIT_PER_NUMBER``/``_PER_IP``) and spaced
by ``SMS_CODE_RESEND_SECONDS``. For login and reset a code row is written even when no
account has the number (then nothing is sent), so the answer and the limits are the
same whether the number is known or not. Every send and check is audited.
"""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from gongchuang.accounts.enums import OPEN_CODE_PURPOSES
from gongchuang.accounts.validators import mobile_validator
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.common.masking import mask_phone

from ..defaults import SMS_CODE_TEXT
from ..models import PhoneCode, SmsDelivery
from .services import sms_queue

CODE_LIFETIME = datetime.timedelta(minutes=5)
MAX_TRIES = 5
Purpose = PhoneCode.Purpose


def _hash(code: str, salt: str) -> str:
    return salted_hmac("gongchuang.phone_code", f"{salt}:{code}", algorithm="sha256").hexdigest()


def phone_normalise(phone: str) -> str:
    """The 11 digits of a mainland mobile number, or DomainError."""
    phone = (phone or "").strip().replace(" ", "").replace("-", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    try:
        mobile_validator(phone)
    except Exception as exc:
        raise DomainError(
            _("Enter an 11-digit mainland China mobile number."), code="phone"
        ) from exc
    return phone


def _account_for(phone: str):
    """The active account with this number, if any (numbers are unique per account)."""
    return (
        get_user_model().objects.filter(mobile=phone, is_active=True, is_anonymised=False).first()
    )


def _check_limits(*, phone: str, purpose: str, ip: str | None, now) -> None:
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    today = PhoneCode.objects.filter(created_at__gte=day_start)
    if today.filter(phone=phone).count() >= settings.SMS_DAILY_LIMIT_PER_NUMBER:
        raise DomainError(
            _("Too many codes were requested for this number today. Please try again tomorrow."),
            code="sms_limit_number",
        )
    if ip and today.filter(ip=ip).count() >= settings.SMS_DAILY_LIMIT_PER_IP:
        raise DomainError(
            _("Too many codes were requested from your network today. Please try again tomorrow."),
            code="sms_limit_ip",
        )
    spacing = datetime.timedelta(seconds=settings.SMS_CODE_RESEND_SECONDS)
    if PhoneCode.objects.filter(
        phone=phone, purpose=purpose, created_at__gt=now - spacing
    ).exists():
        raise DomainError(
            _("A code was sent a moment ago. Please wait a minute before asking again."),
            code="sms_too_soon",
        )


def phone_code_send(*, phone: str, purpose: str, ip: str | None, user=None) -> PhoneCode:
    """Send a new code for ``purpose`` to ``phone`` (after commit, through the outbox).

    ``user``: the signed-in person verifying a number (purpose "verify"); for login
    and reset the account is the one holding the number, and if there is none no SMS
    is sent (the caller answers the same either way). Registration and guardian codes
    (``OPEN_CODE_PURPOSES``) go to any valid number: ``user`` is the student proving
    a guardian's number, None while registering. DomainError past the limits.
    """
    phone = phone_normalise(phone)
    now = timezone.now()
    recipient = user if purpose in {Purpose.VERIFY, *OPEN_CODE_PURPOSES} else _account_for(phone)
    deliver = recipient is not None or purpose in OPEN_CODE_PURPOSES
    try:
        with transaction.atomic():
            _check_limits(phone=phone, purpose=purpose, ip=ip, now=now)
            row = _new_code(
                phone=phone, purpose=purpose, ip=ip, recipient=recipient, now=now, deliver=deliver
            )
            audit_record(
                actor=user,
                action="sms.code_send",
                obj=row,
                after={"phone": mask_phone(phone), "purpose": purpose, "sent": deliver},
            )
    except IntegrityError as exc:  # a second request for the same phone at the same moment
        raise DomainError(
            _("A code was sent a moment ago. Please wait a minute before asking again."),
            code="sms_too_soon",
        ) from exc
    return row


def _new_code(
    *, phone: str, purpose: str, ip: str | None, recipient, now, deliver: bool
) -> PhoneCode:
    """Close the open code of ``phone`` and ``purpose``, store a new one, text it to
    ``phone`` when ``deliver`` (else nothing is sent)."""
    PhoneCode.objects.filter(phone=phone, purpose=purpose, closed_at__isnull=True).update(
        closed_at=now
    )
    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(8)
    row = PhoneCode.objects.create(
        phone=phone,
        purpose=purpose,
        user=recipient,
        code_hash=_hash(code, salt),
        salt=salt,
        ip=ip,
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    if deliver:
        row.delivery = _queue_code(phone=phone, code=code)
        row.save(update_fields=["delivery"])
    return row


def _queue_code(*, phone: str, code: str) -> SmsDelivery:
    return sms_queue(
        phone=phone,
        template_key="code",
        params={"code": code},
        text=f"【{settings.SMS_SIGN_NAME}】" + SMS_CODE_TEXT.format(code=code),
        kind=SmsDelivery.Kind.CODE,
        secret=True,
    )


def phone_code_check(*, phone: str, purpose: str, code: str) -> PhoneCode:
    """Use the open code of ``phone`` and ``purpose``: the row (its ``user``: whom it was
    sent to, None if nobody or, for ``OPEN_CODE_PURPOSES``, nobody signed in) when
    ``code`` matches, else DomainError. A wrong guess counts; after MAX_TRIES the code
    is closed. The row is closed once used."""
    phone = phone_normalise(phone)
    now = timezone.now()
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(phone=phone, purpose=purpose, closed_at__isnull=True)
            .first()
        )
        sent = row is not None and (row.user_id is not None or row.purpose in OPEN_CODE_PURPOSES)
        ok = sent and row.expires_at > now
        ok = ok and constant_time_compare(_hash((code or "").strip(), row.salt), row.code_hash)
        if row is not None and (ok or row.expires_at > now):
            row.attempts += 0 if ok else 1
            if ok or row.attempts >= MAX_TRIES:
                row.closed_at = now
            row.save(update_fields=["attempts", "closed_at"])
            audit_record(
                actor=row.user if ok else None, action="sms.code_check", obj=row,
                after={"phone": mask_phone(phone), "purpose": purpose, "ok": ok,
                       "attempts": row.attempts},
            )  # fmt: skip
    if not ok:
        raise DomainError(
            _("The code is wrong or has expired. Please check it or request a new one."),
            code="bad_code",
        )
    return row
