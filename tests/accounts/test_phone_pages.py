"""Log in by SMS code, reset a password by SMS code, verify one's number (views/phone.py)."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.messages import get_messages

from gongchuang.accounts.models import User
from gongchuang.common.models import AuditEvent
from gongchuang.notifications.models import PhoneCode
from tests.notifications.test_sms_outbox import SENT

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/phone/"
RESET = "/accounts/password/sms-reset/"
NEW_PASSWORD = "/accounts/password/sms-reset/new/"
VERIFY = "/accounts/phone/verify/"
PHONE = "13800006666"
_capture = None


@pytest.fixture
def student(roles, settings):
    settings.SMS_BACKEND = "tests.notifications.test_sms_outbox.RecordingBackend"
    settings.SMS_CODE_RESEND_SECONDS = 0
    SENT.clear()
    User.objects.filter(pk=roles["student"].pk).update(mobile=PHONE)
    return User.objects.get(pk=roles["student"].pk)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture(autouse=True)
def _texts_go_out(django_capture_on_commit_callbacks, monkeypatch):
    """The outbox sends after commit; these tests run in a transaction that never commits."""
    global _capture
    _capture = django_capture_on_commit_callbacks


def _page(html: str) -> str:
    """The page without its per-response CSRF tokens."""
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", html)


def _send(client, url, phone=PHONE, **meta):
    with _capture(execute=True):
        return client.post(url, {"phone": phone, "action": "send"}, **meta)


def _confirm(client, url, code, phone=PHONE, **meta):
    return client.post(url, {"phone": phone, "code": code, "action": "confirm"}, **meta)


def test_login_by_code(client, student):
    sent = _send(client, LOGIN)
    assert sent.status_code == 200
    assert _messages(sent) == ["如该手机号已绑定账号，验证码已发送，5 分钟内有效。"]
    assert "验证码" in sent.content.decode()

    response = _confirm(client, LOGIN, SENT[-1].params["code"])

    assert (response.status_code, response.url) == (302, "/accounts/dashboard/")
    assert client.session["_auth_user_id"] == str(student.pk)
    student.refresh_from_db()
    assert student.mobile_verified_at is not None


def test_an_unknown_number_gets_the_same_answer_and_no_text(client, student):
    known = _send(client, LOGIN).content.decode()
    unknown = _send(client, LOGIN, phone="13900001234")

    assert unknown.status_code == 200
    assert _messages(unknown) == ["如该手机号已绑定账号，验证码已发送，5 分钟内有效。"]
    assert _page(unknown.content.decode().replace("13900001234", PHONE)) == _page(known)
    assert len(SENT) == 1
    assert PhoneCode.objects.filter(phone="13900001234", user=None).count() == 1


def test_a_wrong_code_counts_for_axes_and_locks_the_number(client, student, settings):
    settings.AXES_FAILURE_LIMIT = 3
    _send(client, LOGIN)
    code = SENT[-1].params["code"]
    wrong = "000000" if code != "000000" else "111111"

    answers = [_confirm(client, LOGIN, wrong).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert AccessAttempt.objects.get(username=PHONE).failures_since_start == 3
    assert _confirm(client, LOGIN, code).status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_account_locked_by_wrong_passwords_cannot_log_in_by_code(client, student):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "student_a", "password": "Wrong0000"})
    _send(client, LOGIN)

    response = _confirm(client, LOGIN, SENT[-1].params["code"])

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_login_rate_limit_applies(client, student, settings):
    settings.LOGIN_RATE_LIMIT_PER_IP = 2
    _send(client, LOGIN, phone="13900000001")
    _send(client, LOGIN, phone="13900000002")

    assert _send(client, LOGIN).status_code == 429


def test_the_daily_limit_is_answered_in_chinese(client, student, settings):
    settings.SMS_DAILY_LIMIT_PER_NUMBER = 1
    _send(client, LOGIN)

    response = _send(client, LOGIN)

    assert "该手机号今天获取验证码的次数已达上限，请明天再试。" in response.content.decode()
    assert len(SENT) == 1


def test_password_reset_by_code(client, student):
    _send(client, RESET)
    confirmed = _confirm(client, RESET, SENT[-1].params["code"])
    assert (confirmed.status_code, confirmed.url) == (302, NEW_PASSWORD)

    saved = client.post(
        NEW_PASSWORD, {"new_password1": "Xinmima2027", "new_password2": "Xinmima2027"}
    )

    assert (saved.status_code, saved.url) == (302, "/accounts/login/")
    student.refresh_from_db()
    assert student.check_password("Xinmima2027")
    event = AuditEvent.objects.get(action="auth.password_change", actor=student)
    assert event.after == {"how": "sms_reset"}
    assert client.get(NEW_PASSWORD).url == RESET  # the step is used up


def test_the_new_password_page_needs_an_accepted_code(client, student):
    response = client.get(NEW_PASSWORD)

    assert (response.status_code, response.url) == (302, RESET)


def test_a_reset_with_a_wrong_code_sets_nothing(client, student):
    _send(client, RESET)

    response = _confirm(client, RESET, "12345x")

    assert response.status_code == 200
    assert "验证码错误或已过期，请核对后重试或重新获取。" in response.content.decode()
    assert "phone_reset" not in client.session


def test_verify_a_new_number(client, student):
    client.force_login(student)
    _send(client, VERIFY, phone="13800007777")

    response = _confirm(client, VERIFY, SENT[-1].params["code"], phone="13800007777")

    assert (response.status_code, response.url) == (302, VERIFY)
    student.refresh_from_db()
    assert student.mobile == "13800007777"
    assert student.mobile_verified_at is not None
    event = AuditEvent.objects.get(action="accounts.mobile_verify")
    assert event.before == {"mobile": "138****6666", "verified": False}
    assert event.after == {"mobile": "138****7777", "verified": True}


def test_a_number_of_another_account_cannot_be_taken(client, student, roles):
    teacher = roles["teacher"]
    client.force_login(teacher)
    _send(client, VERIFY, phone=PHONE)

    response = _confirm(client, VERIFY, SENT[-1].params["code"])

    assert "该手机号已被其他账号使用，请联系组织方协助处理。" in response.content.decode()
    teacher.refresh_from_db()
    assert teacher.mobile != PHONE


def test_verify_needs_a_login(client, student):
    response = client.get(VERIFY)

    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_login_page_links_to_the_code_pages(client, db):
    body = client.get("/accounts/login/").content.decode()

    assert f'href="{LOGIN}"' in body
    assert f'href="{RESET}"' in body


def test_a_number_changed_elsewhere_is_no_longer_verified(student):
    User.objects.filter(pk=student.pk).update(mobile_verified_at="2026-01-01T00:00:00Z")
    user = User.objects.get(pk=student.pk)

    user.real_name = "李明明"
    user.save(update_fields=["real_name"])
    user.refresh_from_db()
    assert user.mobile_verified_at is not None

    user = User.objects.get(pk=student.pk)
    user.mobile = "13800001212"
    user.save(update_fields=["mobile"])

    user.refresh_from_db()
    assert (user.mobile, user.mobile_verified_at) == ("13800001212", None)
