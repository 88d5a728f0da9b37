"""Real browser: log in with an SMS code, and reset a password with one (file backend)."""

import json
import time

import pytest
from playwright.sync_api import expect

from gongchuang.accounts.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = "13800008888"


@pytest.fixture
def sms_dir(settings, tmp_path, roles):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    User.objects.filter(pk=roles["student"].pk).update(mobile=PHONE)
    return tmp_path / "sms"


def _code_texted_to(sms_dir, phone: str) -> str:
    """The code of the latest message the file backend wrote for ``phone`` (it is written
    by the task after the request's transaction commits: wait for it)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        files = sorted(sms_dir.glob("*.json")) if sms_dir.exists() else []
        records = [json.loads(f.read_text("utf-8")) for f in files]
        codes = [r["params"]["code"] for r in records if r["phone"] == phone]
        if codes:
            return codes[-1]
        time.sleep(0.1)
    raise AssertionError(f"no SMS to {phone} in {sms_dir}")


def _ask_for_code(page, phone: str):
    page.fill("#id_phone", phone)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator(".messages")).to_contain_text("如该手机号已绑定账号，验证码已发送")
    expect(page.locator("#id_code")).to_be_visible()


def test_student_logs_in_with_a_code_from_a_text_message(live_server, page, sms_dir):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="短信验证码登录").click()
    expect(page.locator("h1")).to_have_text("短信验证码登录")

    _ask_for_code(page, PHONE)
    page.fill("#id_code", "000000" if _code_texted_to(sms_dir, PHONE) != "000000" else "111111")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#field-code .error")).to_have_text(
        "验证码错误或已过期，请核对后重试或重新获取。"
    )

    page.fill("#id_code", _code_texted_to(sms_dir, PHONE))
    page.get_by_role("button", name="登录").click()

    page.wait_for_url(f"{live_server.url}/accounts/dashboard/")
    expect(page.locator("h1").first).to_be_visible()


def test_student_resets_the_password_with_a_code(live_server, page, sms_dir):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="用短信验证码重设密码").click()
    expect(page.locator("h1")).to_have_text("用短信验证码重设密码")

    _ask_for_code(page, PHONE)
    page.fill("#id_code", _code_texted_to(sms_dir, PHONE))
    page.get_by_role("button", name="下一步").click()

    expect(page.locator("h1")).to_have_text("设置新密码")
    page.fill("#id_new_password1", "Xinmima2027")
    page.fill("#id_new_password2", "Xinmima2027")
    page.get_by_role("button", name="保存").click()

    page.wait_for_url(f"{live_server.url}/accounts/login/")
    expect(page.locator(".messages")).to_contain_text("密码已重设")
    page.fill("#id_username", "student_a")
    page.fill("#id_password", "Xinmima2027")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/accounts/dashboard/")


def test_student_verifies_a_new_number_from_my_data(live_server, page, sms_dir, browser_login):
    browser_login(page, live_server, "student_a")
    page.wait_for_url(f"{live_server.url}/accounts/dashboard/")
    page.goto(f"{live_server.url}/accounts/my-data/")
    expect(page.get_by_test_id("mobile-status")).to_contain_text("手机号尚未验证。")
    page.get_by_role("link", name="验证或更换手机号").click()

    page.fill("#id_phone", "13800009999")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator(".messages")).to_contain_text("验证码已发送至该手机号，5 分钟内有效。")
    page.fill("#id_code", _code_texted_to(sms_dir, "13800009999"))
    page.get_by_role("button", name="验证", exact=True).click()

    expect(page.locator(".messages")).to_contain_text("手机号验证成功。")
    expect(page.get_by_test_id("phone-verified")).to_contain_text("您的手机号已于")
    assert User.objects.get(username="student_a").mobile == "13800009999"
