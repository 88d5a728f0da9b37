"""Real-browser tests of the error pages: a missing page and a forbidden page, in the site
layout, with a way back home; the language switch shows them in English."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_missing_page_leads_back_home_and_switches_to_english(live_server, page, edition):
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    card = page.get_by_test_id("error-page")
    expect(card.locator("h1")).to_have_text("页面没有找到")
    expect(card).to_contain_text("错误代码 404")
    expect(page).to_have_title(re.compile(r"^页面没有找到 · "))
    page.locator(".lang-form button[name=language]").click()  # the site layout's switch
    expect(card.locator("h1")).to_have_text("Page not found")
    expect(page).to_have_url(f"{live_server.url}/no-such-page/")
    page.get_by_test_id("error-home").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_test_id("error-page")).to_have_count(0)


def test_a_forbidden_page_explains_and_leads_back(live_server, page, roles, browser_login):
    browser_login(page, live_server, "student_a")
    page.wait_for_url(f"{live_server.url}/accounts/dashboard/")
    page.goto(f"{live_server.url}/accounts/staff/import/")
    card = page.get_by_test_id("error-page")
    expect(card.locator("h1")).to_have_text("您没有权限访问此页面")
    expect(card).to_contain_text("您的账号无权查看此页面或进行此操作")
    expect(page.locator(".site-header .who")).to_have_text(roles["student"].display_name)
    page.get_by_test_id("error-home").click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_the_back_link_returns_to_the_page_of_this_site_one_came_from(live_server, page, edition):
    notices = f"{live_server.url}/notices/"
    page.goto(f"{live_server.url}/notices/no-such-notice/", referer=notices)
    expect(page.get_by_test_id("error-page").locator("h1")).to_have_text("页面没有找到")
    page.get_by_test_id("error-back").click()
    expect(page).to_have_url(notices)


def test_axe_finds_no_serious_violations_on_the_error_pages(live_server, browser, settings):
    from .test_portal import _serious_violations

    settings.ROOT_URLCONF = "tests.common.error_urls"  # adds /test-errors/500/
    context = browser.new_context(locale="zh-CN", bypass_csp=True)  # axe is a script tag
    page = context.new_page()
    for path in ("/no-such-page/", "/test-errors/403/", "/test-errors/500/"):
        page.goto(live_server.url + path)
        expect(page.get_by_test_id("error-page")).to_be_visible()
        assert _serious_violations(page) == [], path
    context.close()
