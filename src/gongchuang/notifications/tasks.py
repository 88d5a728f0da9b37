"""Background e-mail sending with retries (exponential back-off).

Each delivery is claimed before it is sent (``_claim``): one conditional UPDATE that
only one worker can win, so a delivery queued twice (``retry_pending_emails`` on two
hosts, or a retry racing the first try) is still sent once. A worker that dies after
claiming leaves a claim that expires after ``EMAIL_CLAIM_TIMEOUT_SECONDS``; then the
delivery is pending again for the next run of ``retry_pending_emails``.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from gongchuang.common.audit import audit_record

from .models import EmailDelivery

log = logging.getLogger(__name__)


@task()
def send_email_delivery(delivery_id: int) -> str:
    delivery = _claim(delivery_id)
    if delivery is None:
        return "nothing to send"
    try:
        send_mail(delivery.subject, delivery.body, settings.DEFAULT_FROM_EMAIL, [delivery.to])
    except Exception as exc:
        _record_failure(delivery, exc)
        return "retry"
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        status=EmailDelivery.Status.SENT, sent_at=timezone.now(), claimed_at=None
    )
    return "sent"


def _claimable() -> Q:
    """Pending and not held by a live worker (no claim, or a claim past its lease)."""
    stale = timezone.now() - datetime.timedelta(seconds=settings.EMAIL_CLAIM_TIMEOUT_SECONDS)
    return Q(status=EmailDelivery.Status.PENDING) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)
    )


@transaction.atomic
def _claim(delivery_id: int) -> EmailDelivery | None:
    """Take ``delivery_id`` for this worker, or None if it is sent, failed or held by another.

    Compare-and-set on ``claimed_at``: the UPDATE matches only the claim that was read,
    so of two workers the second finds the row changed (PostgreSQL re-checks the WHERE
    after waiting for the first one's row lock) and updates nothing. Taking over a
    stale claim (its worker died) is audited.
    """
    seen = EmailDelivery.objects.filter(_claimable(), pk=delivery_id).values("claimed_at").first()
    if seen is None:
        return None
    previous = seen["claimed_at"]
    same_claim = Q(claimed_at__isnull=True) if previous is None else Q(claimed_at=previous)
    now = timezone.now()
    won = EmailDelivery.objects.filter(_claimable(), same_claim, pk=delivery_id).update(
        claimed_at=now, attempts=F("attempts") + 1
    )
    if not won:
        return None
    delivery = EmailDelivery.objects.get(pk=delivery_id)
    if previous is not None:
        audit_record(
            actor=None,
            action="notifications.email_claim_expired",
            obj=delivery,
            before={"claimed_at": previous.isoformat()},
            after={"claimed_at": now.isoformat(), "attempts": delivery.attempts},
            reason="worker did not finish within EMAIL_CLAIM_TIMEOUT_SECONDS",
        )
    return delivery


def _record_failure(delivery: EmailDelivery, exc: Exception) -> None:
    """Release the claim; retry later, or give up after EMAIL_MAX_ATTEMPTS."""
    delivery.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if delivery.attempts >= settings.EMAIL_MAX_ATTEMPTS:
        delivery.status = EmailDelivery.Status.FAILED
    delivery.claimed_at = None
    delivery.save(update_fields=["last_error", "status", "claimed_at"])
    if delivery.status == EmailDelivery.Status.PENDING:
        _retry_later(delivery.pk, datetime.timedelta(minutes=2**delivery.attempts))
    log.warning("e-mail %s failed (attempt %s): %s", delivery.pk, delivery.attempts, exc)


def _retry_later(delivery_id: int, delay: datetime.timedelta) -> None:
    backend_supports_defer = getattr(send_email_delivery.get_backend(), "supports_defer", False)
    if backend_supports_defer:
        send_email_delivery.using(run_after=timezone.now() + delay).enqueue(delivery_id)
    # Backends without deferral (immediate, in tests): the retry_pending_emails
    # command re-queues pending deliveries.


def retry_pending_emails() -> int:
    """Queue every pending delivery that no live worker holds (e.g. after the mail server
    came back, or after a worker died while sending)."""
    ids = list(EmailDelivery.objects.filter(_claimable()).values_list("pk", flat=True))
    for pk in ids:
        send_email_delivery.enqueue(pk)
    return len(ids)
