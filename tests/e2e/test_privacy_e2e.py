import datetime
import re

import pytest
from playwright.sync_api import expect

from gongchuang.common.models import AuditEvent
from tests.factories import people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_other_district_organizer_sees_minor_masked_own_district_in_full(
    page, live_server, roles, units, browser_login
):
    young = people.student(
        units["hd_school"],
        username="xiaoyu",
        real_name="王小雨",
        birth_date=datetime.date(2015, 9, 1),
    )
    browser_login(page, live_server, "org_cy")
    page.goto(f"{live_server.url}/accounts/students/lookup/")
    page.fill("#id_q", "xiaoyu")
    page.get_by_role("button", name="搜索").click()
    row = page.get_by_test_id("student-row")
    assert row.locator("td").nth(0).inner_text().replace(" ", "") == "王**（已脱敏）"
    expect(row.locator("td").nth(1)).to_have_text("海淀****", use_inner_text=True)
    assert "王小雨" not in page.content()

    page.get_by_role("button", name="退出登录").click()
    browser_login(page, live_server, "org_hd")
    page.goto(f"{live_server.url}/accounts/students/lookup/?q=xiaoyu")
    expect(page.get_by_test_id("student-row").locator("td").nth(0)).to_have_text(
        "王小雨", use_inner_text=True
    )
    # The guardian's number (the pupil has none of its own) is masked even here.
    guardian_phone = young.student_profile.guardian_phone
    expect(page.get_by_test_id("student-row").locator("td").nth(2)).to_have_text(
        guardian_phone[:3] + "****" + guardian_phone[-4:], use_inner_text=True
    )
    assert AuditEvent.objects.filter(action="privacy.view", object_id=str(young.pk)).count() == 1


def test_six_wrong_passwords_lock_the_account_with_a_chinese_message(page, live_server, roles):
    for _ in range(6):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "student_a")
        page.fill("#id_password", "Wrong12345")
        page.click("button[type=submit]")
    expect(page.get_by_test_id("locked-out")).to_be_visible()
    expect(page.get_by_test_id("locked-out")).to_contain_text("账号已暂时锁定", use_inner_text=True)
    expect(page.get_by_test_id("locked-out")).to_contain_text("锁定 30 分钟", use_inner_text=True)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "student_a")
    page.fill("#id_password", people.PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("locked-out")).to_be_visible()


def test_student_sees_consents_downloads_data_and_closes_account(
    page, live_server, roles, units, browser_login
):
    people.student(
        units["hd_school"],
        username="xiaoyu",
        real_name="王小雨",
        birth_date=datetime.date(2015, 9, 1),
    )
    browser_login(page, live_server, "xiaoyu")
    page.get_by_role("link", name="我的数据").click()
    expect(page.get_by_test_id("guardian-consent")).to_contain_text("已于", use_inner_text=True)

    with page.expect_download() as info:
        page.get_by_role("button", name="下载我的数据").click()
    assert info.value.suggested_filename.startswith("my-data-")

    page.fill("#id_password", people.PASSWORD)
    page.check("#id_confirm")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="注销我的账号").click()
    expect(page.get_by_text("您的账号已注销，个人信息已清除。")).to_be_visible()
    browser_login(page, live_server, "xiaoyu")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def test_student_data_page_on_phone(phone, live_server, roles, browser_login):
    browser_login(phone, live_server, "student_a")
    phone.goto(f"{live_server.url}/accounts/my-data/")
    expect(phone.get_by_role("heading", name="我的数据与授权")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_organizer_turns_on_two_factor_and_must_enter_code_at_next_login(
    page, live_server, roles, browser_login, settings
):
    import base64

    from django_otp.oath import totp

    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    browser_login(page, live_server, "org_hd")
    page.get_by_test_id("security-panel").get_by_role("link", name="两步验证登录").click()
    expect(page.get_by_role("img", name="身份验证器二维码")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text()

    def code(offset=0):
        return f"{totp(base64.b32decode(secret), t0=0, step=30, digits=6, drift=offset):06d}"

    page.fill("#id_token", code())
    page.get_by_role("button", name="开启两步验证登录").click()
    expect(page.get_by_text("已开启两步验证登录。")).to_be_visible()
    expect(page.get_by_test_id("two-factor-on")).to_be_visible()

    page.get_by_role("button", name="退出登录").click()
    browser_login(page, live_server, "org_hd")
    expect(page).to_have_url(re.compile("/accounts/2fa/verify/"))
    page.fill("#id_token", "000000" if code(1) != "000000" else "111111")
    page.get_by_role("button", name="继续").click()
    expect(page.get_by_text("验证码不正确或已过期。")).to_be_visible()
    page.fill("#id_token", code(1))
    page.get_by_role("button", name="继续").click()
    expect(page).to_have_url(re.compile(r"/accounts/dashboard/$"))
