"""Real browser (issue 20): a browser that prefers English still gets Chinese; the switch
keeps the person's choice, on the account too, so a sign-in elsewhere gets it back."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_english_browser_gets_chinese_and_the_choice_follows_the_account(
    live_server, browser, browser_login, edition, roles
):
    laptop = browser.new_context(locale="en-US").new_page()
    laptop.goto(f"{live_server.url}/")
    expect(laptop.locator("html")).to_have_attribute("lang", "zh-CN")
    browser_login(laptop, live_server, roles["student"].username)
    laptop.wait_for_url(f"{live_server.url}/accounts/dashboard/")
    laptop.locator(".lang-form button[name=language]").click()
    expect(laptop.locator("html")).to_have_attribute("lang", "en")
    expect(laptop.get_by_role("button", name="Log out")).to_be_visible()

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    phone.goto(f"{live_server.url}/")
    expect(phone.locator("html")).to_have_attribute("lang", "zh-CN")
    browser_login(phone, live_server, roles["student"].username)
    phone.wait_for_url(f"{live_server.url}/accounts/dashboard/")
    expect(phone.locator("html")).to_have_attribute("lang", "en")
