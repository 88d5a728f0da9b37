"""Background sending of the outbox (e-mail and SMS); claim and retry in outbox.py."""

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from . import outbox
from .models import EmailDelivery, SmsDelivery
from .sms import SmsError, SmsMessage, get_backend


@task()
def send_email_delivery(delivery_id: int) -> str:
    delivery = outbox.claim(EmailDelivery, delivery_id, channel="email")
    if delivery is None:
        return "nothing to send"
    try:
        send_mail(delivery.subject, delivery.body, settings.DEFAULT_FROM_EMAIL, [delivery.to])
    except Exception as exc:
        outbox.record_failure(
            delivery, exc, task=send_email_delivery, max_attempts=settings.EMAIL_MAX_ATTEMPTS
        )
        return "retry"
    outbox.mark_sent(delivery)
    return "sent"


@task()
def send_sms_delivery(delivery_id: int) -> str:
    """Send one text message through ``SMS_BACKEND``. A provider's refusal that trying
    again cannot cure (bad number, unapproved template, wrong keys) fails at once."""
    delivery = outbox.claim(SmsDelivery, delivery_id, channel="sms")
    if delivery is None:
        return "nothing to send"
    message = SmsMessage(
        phone=delivery.phone,
        template_key=delivery.template_key,
        template_code=delivery.template_code,
        params=delivery.params,
        text=delivery.text,
    )
    try:
        message_id = get_backend().send(message)
    except Exception as exc:
        retryable = exc.retryable if isinstance(exc, SmsError) else True
        outbox.record_failure(
            delivery,
            exc,
            task=send_sms_delivery,
            max_attempts=settings.SMS_MAX_ATTEMPTS,
            retryable=retryable,
        )
        return "retry" if retryable else "failed"
    blanked = _blank_secret(delivery) if delivery.secret else {}
    outbox.mark_sent(delivery, provider_message_id=message_id[:100], **blanked)
    return "sent"


def _blank_secret(delivery: SmsDelivery) -> dict:
    """A sent code has no business staying readable in the outbox."""
    text = delivery.text
    for value in delivery.params.values():
        text = text.replace(str(value), "******")
    return {"params": {k: "******" for k in delivery.params}, "text": text}


def retry_pending_emails() -> int:
    """Queue every pending e-mail that no live worker holds (e.g. after the mail server
    came back, or after a worker died while sending)."""
    return outbox.retry_pending(EmailDelivery, send_email_delivery)


def retry_pending_sms() -> int:
    """Likewise for text messages."""
    return outbox.retry_pending(SmsDelivery, send_sms_delivery)
