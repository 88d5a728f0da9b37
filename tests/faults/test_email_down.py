"""E-mail server down: the user's action succeeds, e-mails wait and are sent later.

The service-level behaviour (pending delivery, retry, give up after N attempts) is in
tests/notifications/test_notifications.py; here the real SMTP backend talks to a closed port
on loopback during a real submit through the web page.
"""

import socket

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from gongchuang.notifications.models import EmailDelivery, Notification
from gongchuang.submissions.enums import WorkState
from tests.submissions.helpers import complete_art_work

pytestmark = pytest.mark.faults


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_submit_succeeds_with_smtp_down_and_mail_is_retried(
    client, roles, edition, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        _closed_port(),
        2,
    )
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    student = roles["student"]
    work = complete_art_work(edition, student)
    client.force_login(student)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("submissions:work_submit", args=[work.pk]))

    assert response.status_code == 302
    assert response.url == reverse("submissions:work_receipt", args=[work.pk])
    work.refresh_from_db()
    assert work.state == WorkState.SUBMITTED and work.code
    note = Notification.objects.get(recipient=student, kind="work.submitted")
    delivery = EmailDelivery.objects.get(notification=note)
    assert delivery.status == EmailDelivery.Status.PENDING
    assert delivery.attempts == 1 and delivery.last_error
    assert client.get(reverse("notifications:inbox")).status_code == 200

    # The server is back: the periodic command sends what waited.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    call_command("retry_pending_emails", stdout=open("/dev/null", "w"))
    delivery.refresh_from_db()
    assert delivery.status == EmailDelivery.Status.SENT
    assert [m.to for m in mail.outbox] == [[student.email]]
