"""Queueing text messages in the outbox (sent after commit by tasks.send_sms_delivery)."""

import string

from django.conf import settings
from django.db import transaction

from gongchuang.accounts.models import StudentProfile

from ..defaults import SMS_TEXTS
from ..models import Notification, NotificationTemplate, SmsDelivery
from ..templating import fill_placeholders


def sms_queue(
    *,
    phone: str,
    template_key: str,
    params: dict,
    text: str,
    kind: str,
    template_code: str = "",
    notification: Notification | None = None,
    secret: bool = False,
) -> SmsDelivery:
    """Put one message in the outbox; the task sends it after the transaction commits
    (a provider being down never blocks or undoes the action)."""
    from ..tasks import send_sms_delivery

    delivery = SmsDelivery.objects.create(
        phone=phone,
        template_key=template_key,
        template_code=template_code or settings.SMS_TEMPLATE_CODES.get(template_key, ""),
        params=params,
        text=text,
        kind=kind,
        notification=notification,
        secret=secret,
    )
    transaction.on_commit(lambda pk=delivery.pk: send_sms_delivery.enqueue(pk))
    return delivery


def sms_template_for(kind: str) -> tuple[str, str]:
    """(text, provider template code) of the key notice ``kind``, stored overrides first."""
    stored = (
        NotificationTemplate.objects.filter(kind=kind)
        .values_list("sms_text", "sms_template_code")
        .first()
    )
    text, code = stored or ("", "")
    return text or SMS_TEXTS[kind], code or settings.SMS_TEMPLATE_CODES.get(kind, "")


def placeholders_in(text: str) -> list[str]:
    """The ``{names}`` of ``text`` in order of first appearance."""
    try:
        names = [name for _lit, name, _s, _c in string.Formatter().parse(text) if name]
    except ValueError:
        return []
    return list(dict.fromkeys(names))


# Key notices that also go to a minor's guardian who chose SMS (not team invitations:
# the student answers those).
GUARDIAN_KINDS = frozenset(
    {"work.returned", "deadline.reminder", "work.finalist", "results.published"}
)


def sms_notify(*, notes: list[Notification], kind: str, context: dict) -> list[SmsDelivery]:
    """Also text the recipients of ``notes`` who have a verified mobile number, when
    ``kind`` is a key notice (``defaults.SMS_TEXTS``), and for ``GUARDIAN_KINDS`` the
    proven guardian's number of students who chose it (``guardian_sms_active``; one
    message per number). Called by ``notify_kind``."""
    if kind not in SMS_TEXTS or not notes:
        return []
    text, code = sms_template_for(kind)
    params = {name: str(context.get(name, "")) for name in placeholders_in(text)}
    rendered = fill_placeholders(text, context)
    deliveries = []
    for note, phone in _numbers(notes, kind):
        deliveries.append(
            sms_queue(
                phone=phone,
                template_key=kind,
                template_code=code,
                params=params,
                text=f"【{settings.SMS_SIGN_NAME}】{rendered}",
                kind=SmsDelivery.Kind.NOTICE,
                notification=note,
            )
        )
    return deliveries


def _numbers(notes: list[Notification], kind: str) -> list[tuple[Notification, str]]:
    """(notification, number) to text: each recipient's verified number, then their
    guardian's when chosen; a number shared by both gets one message."""
    guardians = {}
    if kind in GUARDIAN_KINDS:
        profiles = StudentProfile.objects.filter(
            user__in=[note.recipient_id for note in notes],
            guardian_sms=True,
            guardian_phone_verified_at__isnull=False,
        ).exclude(guardian_phone="")
        guardians = {p.user_id: p.guardian_phone for p in profiles}
    numbers = []
    for note in notes:
        user = note.recipient
        if user.is_anonymised:
            continue
        own = user.mobile if user.mobile and user.mobile_verified_at is not None else ""
        for phone in dict.fromkeys(filter(None, (own, guardians.get(user.pk, "")))):
            numbers.append((note, phone))
    return numbers
def sms_direct(*, phone: str, kind: str, context: dict) -> SmsDelivery:
    """Text the key notice ``kind`` to a number that need not be verified (staff gave it,
    e.g. an invitation), blanked in the outbox once sent (it carries a sign-in link)."""
    text, code = sms_template_for(kind)
    return sms_queue(
        phone=phone,
        template_key=kind,
        template_code=code,
        params={name: str(context.get(name, "")) for name in placeholders_in(text)},
        text=f"【{settings.SMS_SIGN_NAME}】{fill_placeholders(text, context)}",
        kind=SmsDelivery.Kind.NOTICE,
        secret=True,
    )
