"""Background e-mail sending with retries (exponential back-off)."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from .models import EmailDelivery

log = logging.getLogger(__name__)


@task()
def send_email_delivery(delivery_id: int) -> str:
    delivery = EmailDelivery.objects.filter(
        pk=delivery_id, status=EmailDelivery.Status.PENDING
    ).first()
    if delivery is None:
        return "nothing to send"
    delivery.attempts += 1
    try:
        send_mail(delivery.subject, delivery.body, settings.DEFAULT_FROM_EMAIL, [delivery.to])
    except Exception as exc:
        delivery.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if delivery.attempts >= settings.EMAIL_MAX_ATTEMPTS:
            delivery.status = EmailDelivery.Status.FAILED
        delivery.save(update_fields=["attempts", "last_error", "status"])
        if delivery.status == EmailDelivery.Status.PENDING:
            delay = datetime.timedelta(minutes=2**delivery.attempts)
            _retry_later(delivery.pk, delay)
        log.warning("e-mail %s failed (attempt %s): %s", delivery.pk, delivery.attempts, exc)
        return "retry"
    delivery.status = EmailDelivery.Status.SENT
    delivery.sent_at = timezone.now()
    delivery.save(update_fields=["attempts", "status", "sent_at"])
    return "sent"


def _retry_later(delivery_id: int, delay: datetime.timedelta) -> None:
    backend_supports_defer = getattr(send_email_delivery.get_backend(), "supports_defer", False)
    if backend_supports_defer:
        send_email_delivery.using(run_after=timezone.now() + delay).enqueue(delivery_id)
    # Backends without deferral (immediate, in tests): the retry_pending_emails
    # command re-queues pending deliveries.


def retry_pending_emails() -> int:
    """Queue every pending delivery again (e.g. after the mail server came back)."""
    ids = list(
        EmailDelivery.objects.filter(status=EmailDelivery.Status.PENDING).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        send_email_delivery.enqueue(pk)
    return len(ids)
