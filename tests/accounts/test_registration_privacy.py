"""Registration never tells whether an e-mail address or mobile number already has an account."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from gongchuang.accounts.models import User
from gongchuang.common.models import AuditEvent
from gongchuang.notifications.models import Notification
from tests.accounts._registration_codes import request_code
from tests.factories import people

pytestmark = pytest.mark.django_db(transaction=True)
STUDENT_URL = "/accounts/register/student/"
CSRF = re.compile(r"\b[A-Za-z0-9]{64}\b")  # the (masked) CSRF token, in forms and hx-headers


def form_data(units, **overrides):
    data = {
        "username": "xiaoyu", "real_name": "王小雨", "email": "", "mobile": "",
        "password1": "Xiaoyu2026ok", "password2": "Xiaoyu2026ok",
        "unit": units["hd"].pk, "school": units["hd_school"].pk,
        "level": "senior", "grade": "高一", "birth_date": "2009-09-01", "document_type": "resident_id",
        "document_number": "110105200909010016",
        "guardian_name": "", "guardian_phone": "", "privacy_ack": "on",
    }  # fmt: skip
    data.update(overrides)
    return data


def _answer(units, client=None, **fields):
    """POST the registration from a fresh browser (or ``client``); the answer and the page
    it leads to."""
    client = client or Client()
    response = client.post(STUDENT_URL, form_data(units, **fields))
    page = client.get(response["Location"]) if response.status_code == 302 else response
    return client, response, CSRF.sub("", page.content.decode())


def _activation_link(address: str) -> str:
    (message,) = [m for m in mail.outbox if m.to == [address]]
    assert message.subject == "【共创平台】请激活您的账号"
    return re.search(r"http://\S+/accounts/activate/\S+/", message.body).group(0)


def test_a_known_and_an_unknown_address_get_the_same_answer(units):
    holder = people.teacher(units["hd_school"])
    mail.outbox.clear()

    known_client, known, known_page = _answer(units, username="probe1", email=holder.email.upper())
    fresh_client, fresh, fresh_page = _answer(units, username="probe2", email="new@example.cn")

    assert (known.status_code, known["Location"]) == (302, "/accounts/register/sent/")
    assert (fresh.status_code, fresh["Location"]) == (302, "/accounts/register/sent/")
    assert known.cookies.keys() == fresh.cookies.keys()
    assert known_page == fresh_page
    assert "请查收邮件以完成注册" in known_page
    assert "已注册" not in known_page and "已存在" not in known_page
    assert "_auth_user_id" not in known_client.session
    assert "_auth_user_id" not in fresh_client.session
    # Behind the answer: no usable account for the known address (the username is held,
    # as the new one's is), and the holder is told.
    held = User.objects.get(username="probe1")
    assert (held.is_active, held.email, held.mobile) == (False, "", "")
    assert not hasattr(held, "student_profile") and not held.memberships.exists()
    note = Notification.objects.get(recipient=holder, kind="account.register_attempt")
    assert note.title == "有人尝试用您的联系方式注册"
    assert "注册新账号“probe1”" in note.body and f"账号“{holder.username}”" in note.body
    assert [m.subject for m in mail.outbox if m.to == [holder.email]] == [
        "【共创平台】有人尝试用您的联系方式注册"
    ]
    assert (
        AuditEvent.objects.filter(
            action="account.register_known_contact", object_id=str(holder.pk)
        ).count()
        == 1
    )
    # The new address gets its account, inactive until the link is opened.
    new = User.objects.get(username="probe2")
    assert (new.is_active, new.email) == (False, "new@example.cn")
    assert _activation_link("new@example.cn")


def test_a_known_mobile_proven_by_code_is_told_to_its_holder(units, sms_dir):
    """Only the holder of the number reads the code, so saying "has an account" tells
    nobody else anything; nothing is created or reserved."""
    holder = people.teacher(units["hd_school"])
    client = Client()
    code = request_code(client, sms_dir, field="mobile", phone=holder.mobile)

    _c, known, page = _answer(
        units, client, username="probe3", email="mine@example.cn", mobile=holder.mobile,
        mobile_code=code,
    )  # fmt: skip

    assert known.status_code == 200
    assert "该手机号已有账号" in page
    assert not User.objects.filter(username="probe3").exists()


def test_the_activation_link_activates_once_and_signs_in(units):
    client, _response, _page = _answer(units, username="newkid", email="kid@example.cn")
    link = _activation_link("kid@example.cn").removeprefix("http://127.0.0.1:8000")
    assert (
        client.post(
            "/accounts/login/", {"username": "newkid", "password": "Xiaoyu2026ok"}
        ).status_code
        == 200
    )

    confirm = client.get(link)
    assert confirm.status_code == 200
    assert "激活 王小雨 的账号“newkid”？" in confirm.content.decode()
    assert User.objects.get(username="newkid").is_active is False  # a GET changes nothing

    response = client.post(link)
    assert (response.status_code, response["Location"]) == (302, "/accounts/dashboard/")
    user = User.objects.get(username="newkid")
    assert user.is_active is True
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEvent.objects.filter(action="account.activate", object_id=str(user.pk)).count() == 1
    again = Client().get(link)
    assert again.status_code == 400
    assert "此激活链接无效：已过期或已使用。" in again.content.decode()


def test_a_forged_link_activates_nothing(units):
    _answer(units, username="newkid", email="kid@example.cn")
    user = User.objects.get(username="newkid")
    for link in ("/accounts/activate/MQ/set-password/", f"/accounts/activate/{user.pk}/abc-def/"):
        assert Client().post(link).status_code == 400
    assert User.objects.get(username="newkid").is_active is False


def test_registering_the_same_username_again_says_taken_either_way(units):
    holder = people.teacher(units["hd_school"])
    _answer(units, username="probe5", email=holder.email)
    _answer(units, username="probe6", email="free@example.cn")

    pages = [
        _answer(units, username=name, email="other@example.cn")[2] for name in ("probe5", "probe6")
    ]
    assert all("该用户名已被使用" in page for page in pages)


def test_a_mobile_number_needs_its_code(units):
    _c, response, page = _answer(units, mobile="13912345678")
    assert response.status_code == 200
    assert "请输入短信中的 6 位验证码" in page
    assert not User.objects.filter(username="xiaoyu").exists()


def test_without_contact_details_the_account_is_ready_at_once(units):
    client, response, _page = _answer(units)
    assert (response.status_code, response["Location"]) == (302, "/accounts/dashboard/")
    assert User.objects.get(username="xiaoyu").is_active is True
    assert "_auth_user_id" in client.session


def test_an_expired_unactivated_registration_frees_its_address(units, settings):
    _answer(units, username="squatter", email="kid@example.cn")
    old = User.objects.get(username="squatter")
    User.objects.filter(pk=old.pk).update(
        date_joined=timezone.now() - datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1)
    )
    mail.outbox.clear()

    _answer(units, username="realkid", email="kid@example.cn")

    old.refresh_from_db()
    assert (old.email, old.is_active) == ("", False)
    assert User.objects.get(username="realkid").email == "kid@example.cn"
    assert _activation_link("kid@example.cn")
    assert (
        AuditEvent.objects.filter(
            action="account.registration_expired", object_id=str(old.pk)
        ).count()
        == 1
    )


def test_a_pending_registration_within_its_time_keeps_its_address(units):
    _answer(units, username="first", email="kid@example.cn")
    mail.outbox.clear()

    _answer(units, username="second", email="kid@example.cn")

    assert User.objects.get(username="second").email == ""
    assert [m.subject for m in mail.outbox] == ["【共创平台】有人尝试用您的联系方式注册"]


def test_teacher_registration_with_contacts_is_activated_by_e_mail(units, sms_dir):
    client = Client()
    code = request_code(client, sms_dir, field="mobile", phone="13912345670")
    response = client.post("/accounts/register/teacher/", {
        "username": "teacher9", "real_name": "陈老师", "email": "chen@example.cn",
        "mobile": "13912345670", "mobile_code": code,
        "password1": "Teach2026ok", "password2": "Teach2026ok",
        "unit": units["hd"].pk, "school": units["hd_school"].pk, "kind": "school",
        "privacy_ack": "on",
    })  # fmt: skip
    assert response["Location"] == "/accounts/register/sent/"
    teacher = User.objects.get(username="teacher9")
    assert (teacher.is_active, teacher.mobile) == (False, "13912345670")
    assert teacher.mobile_verified_at is not None
    assert _activation_link("chen@example.cn")
