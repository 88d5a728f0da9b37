"""Text messages go through the same outbox as e-mail: after commit, claimed, retried."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from gongchuang.accounts.models import User
from gongchuang.common.models import AuditEvent
from gongchuang.notifications.models import Notification, SmsDelivery
from gongchuang.notifications.services import notify_kind, template_save
from gongchuang.notifications.sms import errors
from gongchuang.notifications.sms.services import sms_queue
from gongchuang.notifications.tasks import retry_pending_sms, send_sms_delivery
from gongchuang.submissions.enums import WorkState
from tests.factories.works import submitted_work
from tests.submissions.helpers import at_once

SENT: list = []
_LOCK = threading.Lock()
FAILURE: list[Exception] = []


class RecordingBackend:
    """A provider that accepts everything (slowly enough for a second worker to try)."""

    def send(self, message):
        time.sleep(0.02)
        with _LOCK:
            SENT.append(message)
        return f"id-{len(SENT)}"


class FailingBackend:
    def send(self, message):
        raise FAILURE[0]


@pytest.fixture
def recording(settings):
    settings.SMS_BACKEND = "tests.notifications.test_sms_outbox.RecordingBackend"
    SENT.clear()
    return SENT


@pytest.fixture
def failing(settings):
    settings.SMS_BACKEND = "tests.notifications.test_sms_outbox.FailingBackend"
    FAILURE.clear()
    return FAILURE


def _verify(user: User, mobile: str) -> User:
    User.objects.filter(pk=user.pk).update(mobile=mobile, mobile_verified_at=timezone.now())
    user.refresh_from_db()
    return user


def _queue(**fields) -> SmsDelivery:
    defaults = {"phone": "13800001111", "template_key": "code", "params": {"code": "123456"},
                "text": "验证码123456", "kind": SmsDelivery.Kind.CODE}  # fmt: skip
    return SmsDelivery.objects.create(**(defaults | fields))


@pytest.mark.django_db(transaction=True)
def test_a_returned_work_texts_its_author_with_a_verified_number(
    roles, edition, recording, settings
):
    settings.SMS_TEMPLATE_CODES = {"work.returned": "SMS_RET"}
    student = _verify(roles["student"], "13800002222")
    work = submitted_work(edition, student)
    from gongchuang.submissions.services import transition_work

    transition_work(work, WorkState.RETURNED, actor=roles["organizer"], reason="缺少说明")

    (message,) = recording
    assert message.phone == "13800002222"
    assert message.template_key == "work.returned"
    assert message.template_code == "SMS_RET"
    assert message.params == {"title": work.title, "reason": "缺少说明"}
    assert message.text == (
        f"【共创平台】您的作品《{work.title}》被退回修改，原因：缺少说明。请登录共创平台修改后重新提交。"
    )
    delivery = SmsDelivery.objects.get()
    note = Notification.objects.get(recipient=student, kind="work.returned")
    assert (delivery.notification_id, delivery.status, delivery.provider_message_id) == (
        note.pk, SmsDelivery.Status.SENT, "id-1",
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_no_text_to_unverified_numbers_or_for_other_kinds(roles, recording):
    verified = _verify(roles["teacher"], "13800003333")
    unverified = roles["student"]
    User.objects.filter(pk=unverified.pk).update(mobile="13800004444")

    notify_kind(recipients=[unverified], kind="work.returned", context={"title": "甲"})
    notify_kind(recipients=[verified], kind="work.submitted", context={"title": "乙"})

    assert recording == []
    assert SmsDelivery.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_edited_sms_text_and_template_code_are_used(roles, recording):
    teacher = _verify(roles["teacher"], "13800003333")
    template_save(
        kind="team.invitation", subject="{inviter}邀请您", body="{title}", actor=roles["committee"],
        sms_text="请确认作品《{title}》的邀请（{inviter}）", sms_template_code="SMS_INV",
    )  # fmt: skip

    notify_kind(recipients=[teacher], kind="team.invitation",
                context={"inviter": "陈老师", "title": "绿地", "role": "指导教师"})  # fmt: skip

    (message,) = recording
    assert message.template_code == "SMS_INV"
    assert list(message.params.items()) == [("title", "绿地"), ("inviter", "陈老师")]
    assert message.text == "【共创平台】请确认作品《绿地》的邀请（陈老师）"
    event = AuditEvent.objects.get(action="notifications.template_save")
    assert event.after["sms_template_code"] == "SMS_INV"


@pytest.mark.django_db(transaction=True)
def test_sms_is_sent_only_after_commit(recording):
    with transaction.atomic():
        delivery = sms_queue(phone="13800001111", template_key="code", params={"code": "1"},
                             text="1", kind=SmsDelivery.Kind.CODE)  # fmt: skip
        assert recording == []

    assert [m.phone for m in recording] == ["13800001111"]
    delivery.refresh_from_db()
    assert delivery.status == SmsDelivery.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_a_sent_code_is_blanked_out_of_the_outbox(recording):
    delivery = _queue(secret=True, text="您的验证码为123456，5分钟内有效")

    assert send_sms_delivery.call(delivery.pk) == "sent"

    delivery.refresh_from_db()
    assert recording[0].params == {"code": "123456"}
    assert delivery.params == {"code": "******"}
    assert delivery.text == "您的验证码为******，5分钟内有效"


@pytest.mark.django_db(transaction=True)
def test_a_retryable_provider_error_is_retried_then_sent(failing, settings):
    failing.append(
        errors.ProviderRateLimited("slow down", provider_code="isv.BUSINESS_LIMIT_CONTROL")
    )
    delivery = _queue()

    assert send_sms_delivery.call(delivery.pk) == "retry"

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.claimed_at) == (
        SmsDelivery.Status.PENDING, 1, None,
    )  # fmt: skip
    assert delivery.last_error == "ProviderRateLimited: slow down"
    settings.SMS_BACKEND = "tests.notifications.test_sms_outbox.RecordingBackend"
    SENT.clear()
    assert retry_pending_sms() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (SmsDelivery.Status.SENT, 2)


@pytest.mark.django_db(transaction=True)
def test_a_refusal_that_cannot_be_cured_fails_at_once(failing):
    failing.append(
        errors.TemplateNotApproved("bad template", provider_code="isv.SMS_TEMPLATE_ILLEGAL")
    )
    delivery = _queue()

    assert send_sms_delivery.call(delivery.pk) == "failed"

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (SmsDelivery.Status.FAILED, 1)
    assert retry_pending_sms() == 0


@pytest.mark.django_db(transaction=True)
def test_retries_stop_after_sms_max_attempts(failing, settings):
    settings.SMS_MAX_ATTEMPTS = 2
    failing.append(errors.ProviderUnavailable("down"))
    delivery = _queue()

    assert send_sms_delivery.call(delivery.pk) == "retry"
    assert send_sms_delivery.call(delivery.pk) == "retry"

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (SmsDelivery.Status.FAILED, 2)


@pytest.mark.django_db(transaction=True)
def test_a_stale_sms_claim_is_retried_and_audited(recording, settings):
    settings.EMAIL_CLAIM_TIMEOUT_SECONDS = 600
    died_at = timezone.now() - datetime.timedelta(seconds=601)
    delivery = _queue(claimed_at=died_at, attempts=1)
    live = _queue(phone="13800009999", claimed_at=timezone.now() - datetime.timedelta(seconds=30))

    assert retry_pending_sms() == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (SmsDelivery.Status.SENT, 2)
    assert [m.phone for m in recording] == ["13800001111"]
    event = AuditEvent.objects.get(action="notifications.sms_claim_expired")
    assert event.object_id == str(delivery.pk)
    assert event.before == {"claimed_at": died_at.isoformat()}
    assert send_sms_delivery.call(live.pk) == "nothing to send"


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_two_hosts_retrying_at_once_send_each_sms_exactly_once(recording):
    deliveries = [_queue(phone=f"1380000{i:04d}") for i in range(6)]
    at_once([retry_pending_sms, retry_pending_sms])

    assert sorted(m.phone for m in recording) == sorted(d.phone for d in deliveries)
    assert set(SmsDelivery.objects.values_list("status", "attempts")) == {
        (SmsDelivery.Status.SENT, 1)
    }
