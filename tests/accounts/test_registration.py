import datetime

import pytest
from django.utils import timezone

from gongchuang.accounts.identity import national_id_check_digit, person_key, sample_national_id
from gongchuang.accounts.models import StudentProfile, User
from gongchuang.common.models import AuditEvent


def form_data(units, **overrides):
    data = {
        "username": "xiaoyu", "real_name": "王小雨", "email": "", "mobile": "",
        "password1": "Xiaoyu2026ok", "password2": "Xiaoyu2026ok",
        "unit": units["hd"].pk, "school": units["hd_school2"].pk,
        "level": "primary", "grade": "五年级", "birth_date": "2016-09-01", "document_type": "resident_id",
        "guardian_name": "", "guardian_phone": "", "privacy_ack": "on",
    }
    data.update(overrides)
    birth_date = datetime.date.fromisoformat(data["birth_date"])
    data.setdefault("document_number", sample_national_id(birth_date=birth_date, serial=7))
    return data


def test_under_14_without_guardian_consent_is_refused_in_chinese(client, units):
    response = client.post("/accounts/register/student/", form_data(units))
    body = response.content.decode()
    assert response.status_code == 200
    assert "未满14周岁的学生须经监护人同意方可注册" in body
    assert not User.objects.filter(username="xiaoyu").exists()


def test_under_14_with_guardian_consent_records_time_and_version(client, units):
    response = client.post("/accounts/register/student/", form_data(
        units, guardian_name="王建国", guardian_phone="13800000002", guardian_consent="on"))
    assert response.status_code == 302
    profile = StudentProfile.objects.get(user__username="xiaoyu")
    assert profile.guardian_consent_version == "2026-01"
    assert abs((timezone.now() - profile.guardian_consent_at).total_seconds()) < 60
    assert AuditEvent.objects.filter(action="account.register_student", object_id=str(profile.user_id)).count() == 1


def test_national_id_is_stored_only_as_hash_and_last4(client, units):
    first17 = "11010820160901123"
    number = first17 + national_id_check_digit(first17)
    client.post("/accounts/register/student/", form_data(
        units, document_number=number, guardian_name="王建国", guardian_phone="13800000002", guardian_consent="on"))
    profile = StudentProfile.objects.get(user__username="xiaoyu")
    assert profile.national_id_last4 == number[-4:]
    assert profile.identity_key == profile.national_id_hash != ""
    stored = [str(v) for v in StudentProfile.objects.filter(pk=profile.pk).values().first().values()]
    assert number not in stored


def test_birth_date_must_match_national_id(client, units):
    first17 = "11010820150901123"
    number = first17 + national_id_check_digit(first17)
    response = client.post("/accounts/register/student/", form_data(
        units, document_number=number, guardian_name="王建国", guardian_phone="13800000002", guardian_consent="on"))
    assert "出生日期与证件号码不一致" in response.content.decode()
    assert not User.objects.filter(username="xiaoyu").exists()


def test_school_must_belong_to_unit(client, units):
    response = client.post("/accounts/register/student/", form_data(
        units, school=units["cy_school"].pk, birth_date="2008-01-01"))
    assert "该学校不属于所选的区或高校" in response.content.decode()


def test_weak_password_is_refused(client, units):
    response = client.post("/accounts/register/student/", form_data(
        units, password1="abcdefgh", password2="abcdefgh", birth_date="2008-01-01"))
    assert "密码必须同时包含字母和数字" in response.content.decode()


def test_teacher_registration_needs_mobile(client, units):
    response = client.post("/accounts/register/teacher/", {
        "username": "teacher9", "real_name": "陈老师", "password1": "Teach2026ok", "password2": "Teach2026ok",
        "unit": units["hd"].pk, "school": units["hd_school"].pk, "kind": "school", "privacy_ack": "on",
    })
    assert "教师须填写手机号" in response.content.decode()


@pytest.mark.django_db
def test_login_by_email_and_mobile(client, units):
    from tests.factories.people import PASSWORD, teacher

    user = teacher(units["hd_school"])
    for login in (user.username, user.email.upper(), user.mobile):
        response = client.post("/accounts/login/", {"username": login, "password": PASSWORD})
        assert response.status_code == 302, login
        assert client.get("/accounts/dashboard/").context["user"].pk == user.pk
        client.post("/accounts/logout/")


def test_wrong_password_shows_chinese_error(client, units):
    from tests.factories.people import teacher

    user = teacher(units["hd_school"])
    response = client.post("/accounts/login/", {"username": user.username, "password": "wrong-1234"})
    assert "账号或密码不正确" in response.content.decode()


def test_school_options_are_filtered_by_unit(client, units):
    body = client.get(f"/accounts/schools/options/?unit={units['cy'].pk}").content.decode()
    assert "朝阳测试中学" in body and "海淀测试中学" not in body


def test_a_school_picked_before_the_list_narrows_stays_picked(client, units):
    """The unit's change reloads the school list (htmx, with the current school included):
    a school of that unit stays selected, one of another unit does not."""
    hd_school, cy_school = units["hd_school"].pk, units["cy_school"].pk
    body = client.get(f"/accounts/schools/options/?unit={units['hd'].pk}&school={hd_school}").content
    assert f'value="{hd_school}" selected'.encode() in body
    body = client.get(f"/accounts/schools/options/?unit={units['hd'].pk}&school={cy_school}").content
    assert b" selected" not in body


def test_date_today_age_boundary_is_14(units):
    from gongchuang.accounts.identity import age_on

    assert age_on(datetime.date(2012, 11, 26), datetime.date(2026, 11, 26)) == 14
    assert age_on(datetime.date(2012, 11, 27), datetime.date(2026, 11, 26)) == 13


def test_a_student_cannot_register_without_an_identity_document(client, units):
    response = client.post("/accounts/register/student/", form_data(
        units, document_number="", birth_date="2008-01-01"))
    body = response.content.decode()
    field = body[body.index('id="field-document_number"'):]
    assert field.split("</div>")[0].count("这个字段是必填项。") == 1
    assert not User.objects.filter(username="xiaoyu").exists()


def test_a_student_registers_with_a_passport_and_both_keys_are_stored(client, units):
    response = client.post("/accounts/register/student/", form_data(
        units, birth_date="2008-01-01", document_type="passport", document_number="e 1234-5678",
        real_name="王小\u200b雨"))
    assert response.status_code == 302
    profile = StudentProfile.objects.get(user__username="xiaoyu")
    assert profile.document_type == "passport"
    assert profile.user.real_name == "王小雨"
    assert profile.national_id_last4 == "5678"
    assert profile.identity_key == profile.national_id_hash != ""
    born = datetime.date(2008, 1, 1)
    assert profile.person_key == person_key(real_name="王小雨", birth_date=born)
    row = StudentProfile.objects.filter(pk=profile.pk).values().first()
    assert "E12345678" not in [str(v) for v in row.values()]


def test_an_invalid_document_number_is_refused_with_its_rule(client, units):
    data = form_data(units, birth_date="2008-01-01", document_type="hk_macao_permit")
    data["document_number"] = "A1234567"
    response = client.post("/accounts/register/student/", data)
    assert "港澳居民来往内地通行证号码为H或M加8位或10位数字" in response.content.decode()
    assert not User.objects.filter(username="xiaoyu").exists()
