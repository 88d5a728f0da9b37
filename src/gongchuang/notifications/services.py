"""Notifying people: an inbox message now, an e-mail through the task queue after commit."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from gongchuang.common.audit import audit_record
from gongchuang.common.site import absolute_url

from .defaults import SMS_TEXTS, TEMPLATES
from .models import EmailDelivery, Notification, NotificationTemplate
from .sms.services import sms_direct, sms_notify
from .tasks import send_email_delivery
from .templating import check_placeholders, render_message


def notify(
    *, recipients: Iterable, kind: str, title: str, body: str, url: str = ""
) -> list[Notification]:
    """Put a message in each recipient's inbox and queue an e-mail to those with an address.

    The e-mail is sent by a background task after the surrounding transaction
    commits; a failing mail server never blocks or undoes the action.
    """
    notes = []
    for user in {u.pk: u for u in recipients if u is not None}.values():
        note = Notification.objects.create(
            recipient=user, kind=kind, title=str(title), body=str(body), url=url
        )
        notes.append(note)
        if user.email and not user.is_anonymised:
            delivery = EmailDelivery.objects.create(
                notification=note,
                to=user.email,
                subject=f"【共创平台】{title}",
                body=_email_body(body, url),
            )
            transaction.on_commit(lambda pk=delivery.pk: send_email_delivery.enqueue(pk))
    return notes


def email_send(*, to: str, title: str, body: str, url: str = "") -> EmailDelivery:
    """Queue one e-mail to an address, with no inbox message (e.g. to a person who has
    no account yet). Sent after commit, like ``notify``'s e-mails."""
    delivery = EmailDelivery.objects.create(
        to=to, subject=f"【共创平台】{title}", body=_email_body(str(body), url)
    )
    transaction.on_commit(lambda pk=delivery.pk: send_email_delivery.enqueue(pk))
    return delivery


def contacts_send(
    *, user, kind: str, context: dict, url: str, channels: Iterable[str]
) -> list[str]:
    """Send the message of ``kind`` (committee-editable wording) straight to a person's
    e-mail address (``"email"``) and/or mobile number (``"sms"``), with no inbox message:
    for someone who cannot log in yet, such as an invitation to set a password.

    The number need not be verified (staff gave it). ``url`` is a site path; the SMS gets
    it absolute as ``{url}``. The SMS is a secret (a sign-in link): blanked once sent.
    Returns the channels a message was queued on.
    """
    used = []
    context = {**context, "url": absolute_url(url)}
    if "email" in channels and user.email and not user.is_anonymised:
        title, body = render_message(kind, context)
        email_send(to=user.email, title=title, body=body, url=url)
        used.append("email")
    if "sms" in channels and user.mobile and not user.is_anonymised and kind in SMS_TEXTS:
        sms_direct(phone=user.mobile, kind=kind, context=context)
        used.append("sms")
    return used


def _email_body(body: str, url: str) -> str:
    link = f"\n\n{absolute_url(url)}" if url else ""
    return f"{body}{link}\n\n—— 北京青少年人工智能应用实践活动 · 共创平台"


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notify_kind(
    *, recipients: Iterable, kind: str, context: dict, url: str = ""
) -> list[Notification]:
    """Notify with the wording of the template of ``kind`` (committee-editable); key
    notices also go by SMS to recipients with a verified mobile number (sms/services.py)."""
    title, body = render_message(kind, context)
    notes = notify(recipients=recipients, kind=kind, title=title, body=body, url=url)
    sms_notify(notes=notes, kind=kind, context=context)
    return notes


@transaction.atomic
def template_save(
    *,
    kind: str,
    subject: str,
    body: str,
    actor,
    sms_text: str = "",
    sms_template_code: str = "",
) -> NotificationTemplate:
    """Store the committee's wording of ``kind`` (audited, with the previous text).

    ``sms_text`` and ``sms_template_code`` (key notices only, empty: the built-in text
    and ``SMS_TEMPLATE_CODES``) are the text message and the provider's template.
    """
    if kind not in TEMPLATES:
        raise KeyError(kind)
    for text in (subject, body, sms_text):
        check_placeholders(kind, text)
    template = NotificationTemplate.objects.select_for_update().filter(kind=kind).first()
    before = _template_fields(template) if template else None
    if template is None:
        template = NotificationTemplate(kind=kind)
    template.subject, template.body, template.updated_by = subject, body, actor
    template.sms_text, template.sms_template_code = sms_text, sms_template_code.strip()
    template.save()
    audit_record(
        actor=actor,
        action="notifications.template_save",
        obj=template,
        before=before,
        after=_template_fields(template),
    )
    return template


def _template_fields(template: NotificationTemplate) -> dict:
    fields = {"subject": template.subject, "body": template.body}
    if template.sms_text or template.sms_template_code:
        fields |= {"sms_text": template.sms_text, "sms_template_code": template.sms_template_code}
    return fields


@transaction.atomic
def template_reset(*, kind: str, actor) -> None:
    """Go back to the built-in wording of ``kind`` (audited)."""
    template = NotificationTemplate.objects.filter(kind=kind).first()
    if template is None:
        return
    audit_record(
        actor=actor,
        action="notifications.template_reset",
        obj=template,
        before=_template_fields(template),
    )
    template.delete()
