"""Real-browser tests: registering with an e-mail address, activating, and the limit pages."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fill_teacher_form(page, live_server, units, *, username, email, mobile):
    page.goto(live_server.url + "/accounts/register/teacher/")
    page.fill("#id_username", username)
    page.fill("#id_real_name", "陈老师")
    page.fill("#id_email", email)
    page.fill("#id_mobile", mobile)
    page.fill("#id_password1", "Kexue2026plus")
    page.fill("#id_password2", "Kexue2026plus")
    page.select_option("#id_unit", str(units["hd"].pk))
    page.wait_for_function("document.querySelectorAll('#id_school option').length > 1")
    page.select_option("#id_school", str(units["hd_school"].pk))
    page.check("#id_privacy_ack")
    page.click("button[type=submit]")


def test_teacher_registers_checks_the_inbox_and_activates(live_server, page, units):
    mail.outbox.clear()
    fill_teacher_form(
        page, live_server, units, username="chenlaoshi", email="chen@example.cn",
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


def test_a_known_address_gets_the_same_page(live_server, page, units):
    holder = people.teacher(units["hd_school"])
    fill_teacher_form(
        page, live_server, units, username="probe", email=holder.email, mobile="13912345671"
    )
    page.wait_for_url(f"{live_server.url}/accounts/register/sent/")
    expect(page.locator("h1").first).to_have_text("请查收邮件以完成注册")
    expect(page.locator("[data-testid=register-sent]")).not_to_contain_text("已注册")


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
