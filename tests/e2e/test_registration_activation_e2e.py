"""Real-browser tests: registering with an e-mail address or a mobile number proven by an
SMS code (read from the ``file`` backend), activating, and the limit pages."""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from gongchuang.accounts.identity import sample_national_id
from tests.e2e.test_phone_code_e2e import _code_texted_to
from tests.factories import people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sms_dir(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    return tmp_path / "sms"


def prove_number(page, sms_dir, *, field: str, code_field: str, phone: str) -> None:
    """Press the "获取验证码" button under ``code_field`` and type in the texted code."""
    page.fill(f"#id_{field}", phone)
    button = page.get_by_test_id(f"send-{code_field}")
    button.click()
    expect(page.locator(f"#status-{code_field}")).to_have_text(
        "验证码已发送至该手机号，5 分钟内有效。"
    )
    expect(button).to_be_disabled()  # the wait before another code
    expect(button).to_contain_text("秒后可重新获取")
    page.fill(f"#id_{code_field}", _code_texted_to(sms_dir, phone))


def fill_teacher_form(page, live_server, units, sms_dir, *, username, email, mobile):
    page.goto(live_server.url + "/accounts/register/teacher/")
    page.fill("#id_username", username)
    page.fill("#id_real_name", "陈老师")
    page.fill("#id_email", email)
    prove_number(page, sms_dir, field="mobile", code_field="mobile_code", phone=mobile)
    page.fill("#id_password1", "Kexue2026plus")
    page.fill("#id_password2", "Kexue2026plus")
    page.select_option("#id_unit", str(units["hd"].pk))
    page.wait_for_function("document.querySelectorAll('#id_school option').length > 1")
    page.select_option("#id_school", str(units["hd_school"].pk))
    page.check("#id_privacy_ack")
    page.click("button[type=submit]")


def test_teacher_registers_checks_the_inbox_and_activates(live_server, page, units, sms_dir):
    mail.outbox.clear()
    fill_teacher_form(
        page, live_server, units, sms_dir, username="chenlaoshi", email="chen@example.cn",
        mobile="13912345670",
    )  # fmt: skip
    page.wait_for_url(f"{live_server.url}/accounts/register/sent/")
    expect(page.locator("h1").first).to_have_text("请查收邮件以完成注册")

    (message,) = [m for m in mail.outbox if m.to == ["chen@example.cn"]]
    link = re.search(r"/accounts/activate/\S+/", message.body).group(0)
    page.goto(live_server.url + link)
    expect(page.locator("[data-testid=activate]")).to_contain_text(
        "激活 陈老师 的账号“chenlaoshi”？"
    )
    page.click("[data-testid=activate-button]")
    page.wait_for_url(f"{live_server.url}/accounts/dashboard/")
    expect(page.locator(".messages").first).to_contain_text("您的账号已激活，欢迎！")


def test_a_known_address_gets_the_same_page(live_server, page, units, sms_dir):
    holder = people.teacher(units["hd_school"])
    fill_teacher_form(
        page, live_server, units, sms_dir, username="probe", email=holder.email,
        mobile="13912345671",
    )  # fmt: skip
    page.wait_for_url(f"{live_server.url}/accounts/register/sent/")
    expect(page.locator("h1").first).to_have_text("请查收邮件以完成注册")
    expect(page.locator("[data-testid=register-sent]")).not_to_contain_text("已注册")


def test_a_student_registers_by_phone_code_with_sms_to_the_guardian(
    live_server, page, units, sms_dir
):
    """No e-mail: the mobile number proven by its code is enough; the guardian's number is
    proven too, for the key notices by SMS."""
    page.goto(live_server.url + "/accounts/register/student/")
    page.fill("#id_username", "xiaoyu")
    page.fill("#id_real_name", "王小雨")
    prove_number(page, sms_dir, field="mobile", code_field="mobile_code", phone="13912345672")
    page.fill("#id_password1", "Kexue2026plus")
    page.fill("#id_password2", "Kexue2026plus")
    page.select_option("#id_unit", str(units["hd"].pk))
    page.wait_for_function("document.querySelectorAll('#id_school option').length > 1")
    page.select_option("#id_school", str(units["hd_school"].pk))
    page.select_option("#id_level", "primary")
    page.fill("#id_grade", "五年级")
    page.fill("#id_birth_date", "2015-09-01")
    page.fill(
        "#id_document_number", sample_national_id(birth_date=datetime.date(2015, 9, 1), serial=7)
    )
    page.fill("#id_guardian_name", "王建国")
    page.get_by_label("短信通知也发送给监护人").check()
    prove_number(
        page, sms_dir, field="guardian_phone", code_field="guardian_code", phone="13912345673"
    )
    page.check("#id_guardian_consent")
    page.check("#id_privacy_ack")
    page.get_by_role("button", name="创建账号").click()

    page.wait_for_url(f"{live_server.url}/accounts/dashboard/")
    expect(page.locator(".messages").first).to_contain_text("欢迎")
    page.goto(live_server.url + "/accounts/my-data/")
    expect(page.get_by_test_id("guardian-sms")).to_contain_text("已开启")
    page.get_by_test_id("guardian-sms").get_by_role("link", name="更改设置").click()
    expect(page.get_by_test_id("guardian-sms-state")).to_have_text(
        "已开启：重要通知同时发送到 139****5673。"
    )
    page.get_by_role("button", name="停止向监护人发送短信通知").click()
    expect(page.get_by_test_id("guardian-sms-state")).to_contain_text("未开启")
    page.get_by_role("button", name="重要通知也发送给监护人").click()  # proven: no new code
    expect(page.get_by_test_id("guardian-sms-state")).to_contain_text("已开启")


def test_the_lockout_page_says_where_to_get_help(live_server, page, roles):
    for _ in range(5):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "student_a")
        page.fill("#id_password", "Wrong0000")
        page.click("button[type=submit]")
        page.wait_for_load_state()
    locked = page.locator("[data-testid=locked-out]")
    expect(locked).to_contain_text("账号已暂时锁定")
    expect(locked).to_contain_text("学生和教师：请向学校负责老师求助。")
    expect(locked.locator('a[href="/accounts/password/reset/"]')).to_contain_text("密码")


def test_too_many_logins_from_one_network_get_the_wait_page(live_server, page, roles, settings):
    settings.LOGIN_RATE_LIMIT_PER_IP = 2
    for _ in range(3):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "nobody")
        page.fill("#id_password", "Wrong0000")
        page.click("button[type=submit]")
        page.wait_for_load_state()
    expect(page.locator("[data-testid=rate-limited]")).to_contain_text(
        "短时间内来自您所在网络的尝试次数过多"
    )
