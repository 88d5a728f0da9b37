"""Registration proves its mobile number by an SMS code; a minor's guardian may get the
key notices by SMS too (accounts.registration, views/register.py, views/phone.py)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from gongchuang.accounts.identity import sample_national_id
from gongchuang.accounts.models import StudentProfile, User
from gongchuang.common.models import AuditEvent
from gongchuang.notifications.models import PhoneCode, SmsDelivery
from gongchuang.notifications.services import notify_kind
from tests.accounts._registration_codes import request_code, texts_to
from tests.factories import people

pytestmark = pytest.mark.django_db(transaction=True)
STUDENT_URL = "/accounts/register/student/"
MOBILE, GUARDIAN = "13912340001", "13912340002"


def form_data(units, **overrides):
    birth_date = datetime.date(2015, 9, 1)  # under 14: a guardian is needed
    data = {
        "username": "xiaoyu", "real_name": "王小雨", "email": "", "mobile": "",
        "password1": "Xiaoyu2026ok", "password2": "Xiaoyu2026ok",
        "unit": units["hd"].pk, "school": units["hd_school"].pk,
        "level": "primary", "grade": "五年级", "birth_date": birth_date.isoformat(),
        "document_type": "resident_id",
        "document_number": sample_national_id(birth_date=birth_date, serial=7),
        "guardian_name": "王建国", "guardian_phone": GUARDIAN, "guardian_consent": "on",
        "privacy_ack": "on",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_a_proven_mobile_registers_without_e_mail_and_signs_in(units, sms_dir):
    client = Client()
    code = request_code(client, sms_dir, field="mobile", phone=MOBILE)
    assert len(code) == 6

    response = client.post(STUDENT_URL, form_data(units, mobile=MOBILE, mobile_code=code))

    assert (response.status_code, response["Location"]) == (302, "/accounts/dashboard/")
    user = User.objects.get(username="xiaoyu")
    assert (user.is_active, user.email, user.mobile) == (True, "", MOBILE)
    assert user.mobile_verified_at is not None
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.student_profile.guardian_sms is False
    event = AuditEvent.objects.get(action="account.register_student", object_id=str(user.pk))
    assert (event.after["mobile_verified"], event.after["active"]) == (True, True)


def test_a_wrong_code_creates_nothing_and_counts(units, sms_dir):
    client = Client()
    code = request_code(client, sms_dir, field="mobile", phone=MOBILE)
    wrong = "000000" if code != "000000" else "111111"

    response = client.post(STUDENT_URL, form_data(units, mobile=MOBILE, mobile_code=wrong))

    assert response.status_code == 200
    assert "验证码错误或已过期" in response.content.decode()
    assert not User.objects.filter(username="xiaoyu").exists()
    assert PhoneCode.objects.get(phone=MOBILE, purpose="register").attempts == 1


def test_a_number_proven_once_stays_proven_when_the_form_is_sent_again(units, sms_dir):
    """A code is used once; after a refusal for another reason (the guardian's code here)
    the student does not need a new code for the mobile number."""
    client = Client()
    code = request_code(client, sms_dir, field="mobile", phone=MOBILE)
    sent = request_code(client, sms_dir, field="guardian_phone", phone=GUARDIAN)
    first = client.post(STUDENT_URL, form_data(units, mobile=MOBILE, mobile_code=code,
        guardian_sms="on", guardian_code="000000" if sent != "000000" else "111111"))  # fmt: skip
    assert first.status_code == 200
    guardian_code = request_code(client, sms_dir, field="guardian_phone", phone=GUARDIAN)

    again = client.post(
        STUDENT_URL,
        form_data(
            units, mobile=MOBILE, mobile_code=code, guardian_sms="on", guardian_code=guardian_code
        ),
    )

    assert again.status_code == 302
    profile = StudentProfile.objects.get(user__username="xiaoyu")
    assert profile.guardian_sms_active is True
    assert profile.user.mobile_verified_at is not None


def test_guardian_sms_at_registration_needs_the_guardians_code(units, sms_dir):
    client = Client()
    no_code = client.post(STUDENT_URL, form_data(units, guardian_sms="on"))
    assert "请输入短信中的 6 位验证码" in no_code.content.decode()
    code = request_code(client, sms_dir, field="guardian_phone", phone=GUARDIAN)

    response = client.post(STUDENT_URL, form_data(units, guardian_sms="on", guardian_code=code))

    assert response.status_code == 302
    profile = StudentProfile.objects.get(user__username="xiaoyu")
    assert (profile.guardian_sms, profile.guardian_phone) == (True, GUARDIAN)
    assert profile.guardian_phone_verified_at is not None
    assert texts_to(sms_dir, GUARDIAN)[0]["params"] == {"code": code}


def test_guardian_sms_without_a_guardians_number_is_refused(units):
    response = Client().post(
        STUDENT_URL,
        form_data(
            units,
            birth_date="2008-09-01",
            guardian_name="",
            guardian_phone="",
            guardian_sms="on",
            document_number=sample_national_id(birth_date=datetime.date(2008, 9, 1), serial=7),
        ),
    )
    assert response.status_code == 200
    assert "请填写监护人手机号" in response.content.decode()
    assert not User.objects.filter(username="xiaoyu").exists()


def test_a_proven_number_with_an_account_is_refused_by_name(units, sms_dir):
    holder = people.teacher(units["hd_school"])
    client = Client()
    code = request_code(client, sms_dir, field="mobile", phone=holder.mobile)

    response = client.post(STUDENT_URL, form_data(units, mobile=holder.mobile, mobile_code=code))

    assert response.status_code == 200
    assert "该手机号已有账号" in response.content.decode()
    assert not User.objects.filter(username="xiaoyu").exists()


def test_send_code_keeps_the_wait_and_the_daily_limits(units, sms_dir, settings):
    settings.SMS_CODE_RESEND_SECONDS = 60
    settings.SMS_DAILY_LIMIT_PER_NUMBER = 1
    client = Client()
    request_code(client, sms_dir, field="mobile", phone=MOBILE)

    again = client.post("/accounts/register/code/", {"field": "mobile", "mobile": MOBILE})
    bad = client.post("/accounts/register/code/", {"field": "mobile", "mobile": "12345"})
    other = client.post("/accounts/register/code/", {"field": "email", "email": MOBILE})

    assert "该手机号今天获取验证码的次数已达上限" in again.content.decode()
    assert "请输入11位中国大陆手机号" in bad.content.decode()
    assert "请输入11位中国大陆手机号" in other.content.decode()
    assert len(texts_to(sms_dir, MOBILE)) == 1
    assert client.get("/accounts/register/code/").status_code == 405


def _student_with_guardian(units, *, active: bool) -> User:
    student = people.student(units["hd_school"], guardian_phone=GUARDIAN)
    StudentProfile.objects.filter(user=student).update(
        guardian_sms=active, guardian_phone_verified_at=timezone.now() if active else None
    )
    return student


def test_key_notices_go_to_the_guardian_who_chose_sms(units, sms_dir):
    student = _student_with_guardian(units, active=True)

    for kind in ("work.returned", "deadline.reminder", "work.finalist", "results.published"):
        notify_kind(recipients=[student], kind=kind, context={"title": "绿地"})
    notify_kind(recipients=[student], kind="team.invitation", context={"title": "绿地"})

    assert [d.template_key for d in SmsDelivery.objects.filter(phone=GUARDIAN).order_by("pk")] == [
        "work.returned", "deadline.reminder", "work.finalist", "results.published",
    ]  # fmt: skip
    assert len(texts_to(sms_dir, GUARDIAN)) == 4


def test_no_notice_to_a_guardian_not_chosen_or_not_proven(units, sms_dir):
    student = _student_with_guardian(units, active=False)
    StudentProfile.objects.filter(user=student).update(guardian_sms=True)  # never proven

    notify_kind(recipients=[student], kind="work.returned", context={"title": "绿地"})

    assert not SmsDelivery.objects.filter(phone=GUARDIAN).exists()


GUARDIAN_PAGE = "/accounts/phone/guardian/"


def test_a_student_turns_guardian_sms_on_with_a_code_and_off(units, sms_dir):
    student = _student_with_guardian(units, active=False)
    client = Client()
    client.force_login(student)

    page = client.get(GUARDIAN_PAGE).content.decode()
    assert "139****0002" in page and GUARDIAN not in page
    sent = client.post(GUARDIAN_PAGE, {"action": "send"})
    assert "验证码已发送至监护人手机" in sent.content.decode()
    code = texts_to(sms_dir, GUARDIAN)[-1]["params"]["code"]
    wrong = client.post(GUARDIAN_PAGE, {"action": "confirm", "code": "12345x"})
    assert "验证码错误或已过期" in wrong.content.decode()

    on = client.post(GUARDIAN_PAGE, {"action": "confirm", "code": code})
    assert on.status_code == 302
    assert StudentProfile.objects.get(user=student).guardian_sms_active is True

    client.post(GUARDIAN_PAGE, {"action": "off"})
    profile = StudentProfile.objects.get(user=student)
    assert (profile.guardian_sms, profile.guardian_phone_verified_at is not None) == (False, True)
    client.post(GUARDIAN_PAGE, {"action": "on"})  # proven before: no new code
    assert StudentProfile.objects.get(user=student).guardian_sms_active is True
    events = AuditEvent.objects.filter(action="accounts.guardian_sms", object_id=str(student.pk))
    assert [e.after["guardian_sms"] for e in events.order_by("pk")] == [True, False, True]
    assert {e.after["guardian_phone"] for e in events} == {"139****0002"}


def test_a_changed_guardian_number_is_no_longer_proven(units, sms_dir):
    student = _student_with_guardian(units, active=True)
    profile = StudentProfile.objects.get(user=student)
    profile.guardian_phone = "13912340009"
    profile.save(update_fields=["guardian_phone"])

    profile.refresh_from_db()
    assert (profile.guardian_sms, profile.guardian_phone_verified_at) == (True, None)
    assert profile.guardian_sms_active is False
    notify_kind(recipients=[student], kind="work.returned", context={"title": "绿地"})
    assert not SmsDelivery.objects.filter(phone__in=[GUARDIAN, "13912340009"]).exists()
