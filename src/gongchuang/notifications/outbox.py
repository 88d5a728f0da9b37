"""The outbox shared by e-mail and SMS: claim before sending, retry with back-off.

Each delivery is claimed before it is sent (``claim``): one conditional UPDATE that
only one worker can win, so a delivery queued twice (``retry_pending`` on two hosts,
or a retry racing the first try) is still sent once. A worker that dies after
claiming leaves a claim that expires after ``EMAIL_CLAIM_TIMEOUT_SECONDS`` (both
channels); then the delivery is pending again for the next ``retry_pending``.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from gongchuang.common.audit import audit_record

from .models import Delivery

log = logging.getLogger(__name__)


def claimable() -> Q:
    """Pending and not held by a live worker (no claim, or a claim past its lease)."""
    stale = timezone.now() - datetime.timedelta(seconds=settings.EMAIL_CLAIM_TIMEOUT_SECONDS)
    return Q(status=Delivery.Status.PENDING) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)
    )


@transaction.atomic
def claim(model: type[Delivery], delivery_id: int, *, channel: str) -> Delivery | None:
    """Take ``delivery_id`` for this worker, or None if it is sent, failed or held by another.

    Compare-and-set on ``claimed_at``: the UPDATE matches only the claim that was read,
    so of two workers the second finds the row changed (PostgreSQL re-checks the WHERE
    after waiting for the first one's row lock) and updates nothing. Taking over a
    stale claim (its worker died) is audited as ``notifications.<channel>_claim_expired``.
    """
    seen = model.objects.filter(claimable(), pk=delivery_id).values("claimed_at").first()
    if seen is None:
        return None
    previous = seen["claimed_at"]
    same_claim = Q(claimed_at__isnull=True) if previous is None else Q(claimed_at=previous)
    now = timezone.now()
    won = model.objects.filter(claimable(), same_claim, pk=delivery_id).update(
        claimed_at=now, attempts=F("attempts") + 1
    )
    if not won:
        return None
    delivery = model.objects.get(pk=delivery_id)
    if previous is not None:
        audit_record(
            actor=None,
            action=f"notifications.{channel}_claim_expired",
            obj=delivery,
            before={"claimed_at": previous.isoformat()},
            after={"claimed_at": now.isoformat(), "attempts": delivery.attempts},
            reason="worker did not finish within EMAIL_CLAIM_TIMEOUT_SECONDS",
        )
    return delivery


def mark_sent(delivery: Delivery, **fields) -> None:
    type(delivery).objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), claimed_at=None, **fields
    )


def record_failure(
    delivery: Delivery, exc: Exception, *, task, max_attempts: int, retryable: bool = True
) -> None:
    """Release the claim; retry later (``task`` again, after 2^attempts minutes), or give up
    after ``max_attempts`` or at once when trying again cannot help (``retryable`` false)."""
    delivery.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if not retryable or delivery.attempts >= max_attempts:
        delivery.status = Delivery.Status.FAILED
    delivery.claimed_at = None
    delivery.save(update_fields=["last_error", "status", "claimed_at"])
    if delivery.status == Delivery.Status.PENDING:
        _retry_later(task, delivery.pk, datetime.timedelta(minutes=2**delivery.attempts))
    log.warning(
        "%s %s failed (attempt %s): %s",
        type(delivery).__name__,
        delivery.pk,
        delivery.attempts,
        exc,
    )


def _retry_later(task, delivery_id: int, delay: datetime.timedelta) -> None:
    if getattr(task.get_backend(), "supports_defer", False):
        task.using(run_after=timezone.now() + delay).enqueue(delivery_id)
    # Backends without deferral (immediate, in tests): the retry_pending_emails
    # command re-queues pending deliveries.


def retry_pending(model: type[Delivery], task) -> int:
    """Queue every pending delivery of ``model`` that no live worker holds."""
    ids = list(model.objects.filter(claimable()).values_list("pk", flat=True))
    for pk in ids:
        task.enqueue(pk)
    return len(ids)
