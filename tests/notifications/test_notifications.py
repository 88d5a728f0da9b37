import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.notifications.models import (
    EmailDelivery,
    Notification,
    NotificationTemplate,
    ReminderSent,
)
from gongchuang.notifications.reminders import send_deadline_reminders
from gongchuang.notifications.services import template_save
from gongchuang.notifications.tasks import retry_pending_emails
from gongchuang.submissions.enums import WorkState
from tests.factories.works import submitted_work

pytestmark = pytest.mark.django_db(transaction=True)


class FailingEmailBackend:
    """An SMTP server that is down: every send raises."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


def _return(work, organizer, reason="作品说明缺少AI使用过程"):
    from gongchuang.submissions.services import transition_work

    return transition_work(work, WorkState.RETURNED, actor=organizer, reason=reason)


def test_returned_work_produces_chinese_inbox_message_and_email_with_reason(roles, edition):
    student = roles["student"]
    work = submitted_work(edition, student)
    mail.outbox.clear()

    _return(work, roles["organizer"])

    note = Notification.objects.get(recipient=student, kind="work.returned")
    assert note.title == "作品《AI 守护城市绿地》被退回修改"
    assert "原因：作品说明缺少AI使用过程" in note.body
    assert [m.to for m in mail.outbox] == [[student.email]]
    assert mail.outbox[0].subject == "【共创平台】作品《AI 守护城市绿地》被退回修改"
    assert "原因：作品说明缺少AI使用过程" in mail.outbox[0].body
    assert EmailDelivery.objects.get(notification=note).status == EmailDelivery.Status.SENT


def test_failing_smtp_leaves_work_returned_and_email_pending_then_retried(roles, edition, settings):
    student = roles["student"]
    work = submitted_work(edition, student)
    settings.EMAIL_BACKEND = "tests.notifications.test_notifications.FailingEmailBackend"

    work = _return(work, roles["organizer"])

    work.refresh_from_db()
    assert work.state == WorkState.RETURNED
    delivery = EmailDelivery.objects.get(notification__kind="work.returned")
    assert delivery.status == EmailDelivery.Status.PENDING
    assert delivery.attempts == 1
    assert "ConnectionRefusedError" in delivery.last_error
    assert Notification.objects.filter(recipient=student, kind="work.returned").count() == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    assert retry_pending_emails() == 1

    delivery.refresh_from_db()
    assert delivery.status == EmailDelivery.Status.SENT
    assert delivery.attempts == 2
    assert [m.to for m in mail.outbox] == [[student.email]]
    assert "作品说明缺少AI使用过程" in mail.outbox[0].body


def test_email_gives_up_after_max_attempts(roles, edition, settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_notifications.FailingEmailBackend"
    settings.EMAIL_MAX_ATTEMPTS = 2
    _return(submitted_work(edition, roles["student"]), roles["organizer"])
    retry_pending_emails()

    delivery = EmailDelivery.objects.get(notification__kind="work.returned")
    assert (delivery.status, delivery.attempts) == (EmailDelivery.Status.FAILED, 2)
    assert retry_pending_emails() == 0


def test_committee_wording_is_used_for_the_next_message(roles, edition):
    template_save(
        kind="work.returned",
        subject="请修改《{title}》",
        body="退回理由：{reason}（编号 {code}）",
        actor=roles["committee"],
    )
    work = submitted_work(edition, roles["student"])
    _return(work, roles["organizer"], reason="图片不清晰")

    note = Notification.objects.get(kind="work.returned")
    assert note.title == "请修改《AI 守护城市绿地》"
    assert note.body == f"退回理由：图片不清晰（编号 {work.code}）"
    event = AuditEvent.objects.get(action="notifications.template_save")
    assert event.after["subject"] == "请修改《{title}》"


def test_unknown_placeholder_is_refused_in_chinese(roles, edition):
    with pytest.raises(DomainError) as exc:
        template_save(kind="work.returned", subject="{titel}", body="x", actor=roles["committee"])
    assert "未知的占位符" in str(exc.value.message)


def test_advisor_gets_returned_message_but_not_recommended(roles, edition):
    work = submitted_work(edition, roles["student"], advisor=roles["teacher"])
    from gongchuang.submissions.services import transition_work

    transition_work(work, WorkState.RECOMMENDED, actor=roles["organizer"])
    assert set(
        Notification.objects.filter(kind="work.recommended").values_list("recipient", flat=True)
    ) == {roles["student"].pk}


def _close_submission_in(edition, delta):
    window = edition.window("submission")
    window.closes_at = timezone.now() + delta
    window.save(update_fields=["closes_at"])
    # Keep other windows from reminding in this test.
    edition.windows.exclude(pk=window.pk).update(
        closes_at=timezone.now() + datetime.timedelta(days=90)
    )
    return window


def test_deadline_reminders_sent_once_at_7_days_and_once_at_1_day(roles, edition):
    from gongchuang.submissions.models import Authorship, Work

    student = roles["student"]
    work = submitted_work(edition, student)
    _return(work, roles["organizer"])  # returned: the student must resubmit before the deadline
    window = _close_submission_in(edition, datetime.timedelta(days=6, hours=12))

    assert send_deadline_reminders() == 1
    assert send_deadline_reminders() == 0
    call_command("send_deadline_reminders")
    reminders = Notification.objects.filter(recipient=student, kind="deadline.reminder")
    assert reminders.count() == 1
    assert "网上申报" in reminders.get().body

    later = window.closes_at - datetime.timedelta(hours=20)
    assert send_deadline_reminders(now=later) == 1
    assert send_deadline_reminders(now=later) == 0
    assert list(
        ReminderSent.objects.filter(user=student)
        .order_by("-days_before")
        .values_list("days_before", flat=True)
    ) == [7, 1]
    assert Authorship.objects.filter(user=student).count() == 1 and Work.objects.count() == 1


def test_no_reminder_for_students_whose_work_is_submitted_or_far_deadline(roles, edition):
    submitted_work(edition, roles["student"])
    _close_submission_in(edition, datetime.timedelta(days=3))
    assert send_deadline_reminders() == 0
    _close_submission_in(edition, datetime.timedelta(days=20))
    assert send_deadline_reminders() == 0


def test_every_default_template_renders_its_sample_without_leftover_placeholders():
    from gongchuang.notifications.defaults import SAMPLE_CONTEXT, TEMPLATES
    from gongchuang.notifications.templating import check_placeholders, fill_placeholders

    for kind, default in TEMPLATES.items():
        check_placeholders(kind, default.subject)
        check_placeholders(kind, default.body)
        for text in (default.subject, default.body):
            rendered = fill_placeholders(text, SAMPLE_CONTEXT)
            assert "{" not in rendered, (kind, rendered)


def test_template_list_and_edit_pages_are_committee_only(client, roles):
    backend = "gongchuang.accounts.backends.UsernameEmailMobileBackend"
    for who in ("organizer", "student", "expert"):
        client.force_login(roles[who], backend=backend)
        assert client.get("/inbox/templates/").status_code == 403
        assert client.get("/inbox/templates/work.returned/").status_code == 403
        assert client.post("/inbox/templates/work.returned/reset/").status_code == 403
    client.force_login(roles["committee"], backend=backend)
    assert client.get("/inbox/templates/no.such.kind/").status_code == 404
    response = client.post(
        "/inbox/templates/work.returned/",
        {"subject": "《{title}》", "body": "{reason}", "preview": "1"},
    )
    assert response.context["preview"] == {
        "subject": "《AI 守护城市绿地》",
        "body": "作品说明缺少AI使用过程",
    }
    assert not NotificationTemplate.objects.exists()


def test_reset_restores_built_in_wording_and_is_audited(client, roles):
    template_save(kind="work.returned", subject="x{title}", body="y", actor=roles["committee"])
    client.force_login(
        roles["committee"], backend="gongchuang.accounts.backends.UsernameEmailMobileBackend"
    )
    client.post("/inbox/templates/work.returned/reset/")
    assert not NotificationTemplate.objects.exists()
    assert AuditEvent.objects.filter(action="notifications.template_reset").count() == 1


def test_unread_count_and_opening_marks_read(client, roles):
    from gongchuang.notifications.services import notify, unread_count

    student = roles["student"]
    note = notify(
        recipients=[student], kind="x", title="标题", body="内容", url="/accounts/dashboard/"
    )[0]
    assert unread_count(student) == 1
    client.force_login(student, backend="gongchuang.accounts.backends.UsernameEmailMobileBackend")
    response = client.post(f"/inbox/{note.pk}/open/")
    assert response["Location"] == "/accounts/dashboard/"
    assert unread_count(student) == 0
    other = roles["student_b"]
    client.force_login(other, backend="gongchuang.accounts.backends.UsernameEmailMobileBackend")
    assert client.post(f"/inbox/{note.pk}/open/").status_code == 404


def test_inbox_paginates_with_bounded_queries(client, roles, django_assert_max_num_queries):
    from gongchuang.notifications.services import notify

    student = roles["student"]
    for i in range(45):
        notify(recipients=[student], kind="x", title=f"消息{i}", body="内容")
    client.force_login(student, backend="gongchuang.accounts.backends.UsernameEmailMobileBackend")
    with django_assert_max_num_queries(15):
        response = client.get("/inbox/", {"page": 3})
    assert [n.title for n in response.context["page_obj"]] == [f"消息{i}" for i in range(4, -1, -1)]


def test_dashboard_panels_for_committee_and_student(client, roles):
    backend = "gongchuang.accounts.backends.UsernameEmailMobileBackend"
    client.force_login(roles["committee"], backend=backend)
    html = client.get("/accounts/dashboard/").content.decode()
    assert "账号安全与个人信息" in html and "邮件发送" in html and "公示与异议" in html
    client.force_login(roles["student"], backend=backend)
    html = client.get("/accounts/dashboard/").content.decode()
    assert "未读消息" in html and "账号安全与个人信息" not in html
