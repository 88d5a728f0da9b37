"""The outbox claims a delivery before sending it: sent once, and a dead worker's claim expires."""

import datetime
import threading
import time

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from gongchuang.common.models import AuditEvent
from gongchuang.notifications.models import EmailDelivery
from gongchuang.notifications.tasks import retry_pending_emails, send_email_delivery
from tests.submissions.helpers import at_once

SENT: list[tuple[str, str]] = []
_SENT_LOCK = threading.Lock()


class SlowEmailBackend:
    """An SMTP server that takes a while to answer: wide open for a second worker."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        time.sleep(0.05)
        with _SENT_LOCK:
            SENT.extend((m.to[0], m.subject) for m in messages)
        return len(messages)


def _pending(n: int, **fields) -> list[EmailDelivery]:
    return [
        EmailDelivery.objects.create(
            to=f"p{i}@example.cn", subject=f"通知{i}", body="正文", **fields
        )
        for i in range(n)
    ]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_two_hosts_retrying_at_once_send_each_delivery_exactly_once(settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox_claim.SlowEmailBackend"
    deliveries = _pending(6)
    SENT.clear()
    at_once([retry_pending_emails, retry_pending_emails])

    assert sorted(SENT) == sorted((d.to, d.subject) for d in deliveries)
    assert len(SENT) == 6
    assert set(EmailDelivery.objects.values_list("status", "attempts", "claimed_at")) == {
        (EmailDelivery.Status.SENT, 1, None)
    }


@pytest.mark.django_db(transaction=True)
def test_a_stale_claim_is_retried_and_audited(settings):
    settings.EMAIL_CLAIM_TIMEOUT_SECONDS = 600
    died_at = timezone.now() - datetime.timedelta(seconds=601)
    (delivery,) = _pending(1, claimed_at=died_at, attempts=1)
    mail.outbox.clear()

    assert retry_pending_emails() == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.claimed_at) == (
        EmailDelivery.Status.SENT,
        2,
        None,
    )
    assert [m.to for m in mail.outbox] == [["p0@example.cn"]]
    event = AuditEvent.objects.get(action="notifications.email_claim_expired")
    assert (event.object_id, event.actor_label) == (str(delivery.pk), "system")
    assert event.before == {"claimed_at": died_at.isoformat()}
    assert event.after["attempts"] == 2


@pytest.mark.django_db(transaction=True)
def test_a_live_claim_is_left_to_its_worker(settings):
    settings.EMAIL_CLAIM_TIMEOUT_SECONDS = 600
    (delivery,) = _pending(1, claimed_at=timezone.now() - datetime.timedelta(seconds=30))
    mail.outbox.clear()

    assert retry_pending_emails() == 0
    assert send_email_delivery.call(delivery.pk) == "nothing to send"

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (EmailDelivery.Status.PENDING, 0)
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action="notifications.email_claim_expired").exists()


@pytest.mark.django_db(transaction=True)
def test_a_failed_send_releases_its_claim_for_the_next_retry(settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_notifications.FailingEmailBackend"
    (delivery,) = _pending(1)

    assert send_email_delivery.call(delivery.pk) == "retry"

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.claimed_at) == (
        EmailDelivery.Status.PENDING,
        1,
        None,
    )
    assert retry_pending_emails() == 1
