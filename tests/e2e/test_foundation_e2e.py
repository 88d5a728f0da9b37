"""Real-browser tests of the foundation: every demo role logs in and sees its dashboard."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from gongchuang.demo.accounts import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEMO_ROLES = {
    "student": "学生",
    "teacher": "教师",
    "coordinator": "学校联络员",
    "organizer": "区级组织单位管理员",
    "committee": "市组委会",
    "expert": "评审专家",
}


def test_every_demo_role_sees_its_dashboard(live_server, page, browser_login):
    call_command("seed_demo")
    for username, role_label in DEMO_ROLES.items():
        browser_login(page, live_server, username, DEMO_PASSWORD)
        page.wait_for_url(f"{live_server.url}/accounts/dashboard/")
        expect(page.locator("[data-testid=dashboard-title]").first).to_contain_text(
            "欢迎", use_inner_text=True
        )
        assert role_label in page.inner_text("[data-testid=role-actions]")
        page.click("text=退出登录")
        page.wait_for_url(f"{live_server.url}/")


def test_home_page_on_a_phone_shows_theme_and_menu(live_server, phone):
    call_command("seed_demo")
    phone.goto(live_server.url + "/")
    assert "与AI共创未来" in phone.inner_text("main")
    assert not phone.is_visible("#site-nav")
    phone.click("[data-nav-toggle]")
    assert phone.is_visible("#site-nav")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no horizontal scrolling on a phone"


def test_under_14_registration_without_consent_is_refused(live_server, page, units):
    page.goto(live_server.url + "/accounts/register/student/")
    page.fill("#id_username", "xiaoyu2016")
    page.fill("#id_real_name", "王小雨")
    page.fill("#id_password1", "Kexue2026plus")
    page.fill("#id_password2", "Kexue2026plus")
    page.select_option("#id_unit", str(units["hd"].pk))
    page.wait_for_function("document.querySelectorAll('#id_school option').length > 1")
    page.select_option("#id_school", str(units["hd_school2"].pk))
    page.select_option("#id_level", "primary")
    page.fill("#id_grade", "五年级")
    page.fill("#id_birth_date", "2016-09-01")
    page.select_option("#id_document_type", "resident_id")
    page.fill("#id_document_number", "110105201609010035")
    page.check("#id_privacy_ack")
    page.click("button[type=submit]")
    error = page.inner_text("#field-guardian_consent .error")
    assert "未满14周岁的学生须经监护人同意方可注册" in error
    # With the guardian's details and consent the same form succeeds.
    page.fill("#id_password1", "Kexue2026plus")
    page.fill("#id_password2", "Kexue2026plus")
    page.fill("#id_guardian_name", "王建国")
    page.fill("#id_guardian_phone", "13800000002")
    page.check("#id_guardian_consent")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if not page.url.endswith("/accounts/dashboard/"):
        failing = page.eval_on_selector_all(
            ".has-error", "els => els.map(e => e.id + ': ' + e.innerText)"
        )
        raise AssertionError(failing)
    page.wait_for_url(f"{live_server.url}/accounts/dashboard/")
    expect(page.locator("[data-testid=dashboard-title]").first).to_contain_text(
        "欢迎", use_inner_text=True
    )


def test_school_picked_while_the_narrowed_list_is_on_its_way_stays_picked(live_server, page, units):
    """A quick user picks the school before the district's school list comes back."""
    held = []
    page.route(lambda url: "/accounts/schools/" in url, lambda route: held.append(route))
    page.goto(live_server.url + "/accounts/register/student/")
    page.select_option("#id_unit", str(units["hd"].pk))
    expect(page.locator("#id_unit")).to_have_class(re.compile("htmx-request"))
    page.select_option("#id_school", str(units["hd_school"].pk))
    assert held, "the narrowed list was requested"
    held[0].continue_()
    expect(page.locator("#id_unit")).not_to_have_class(re.compile("htmx-request"))
    offered = page.eval_on_selector_all("#id_school option", "os => os.map(o => o.value)")
    assert str(units["cy_school"].pk) not in offered, "the list was narrowed to the district"
    assert page.input_value("#id_school") == str(units["hd_school"].pk)
