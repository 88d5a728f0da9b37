"""The role-shaped workbench in a real browser (issue 20 items 1-2): the committee's grouped
side menu with counts at 1366×768; on a 390×844 phone one menu behind one toggle, and every
list staff work through shown as cards (state visible, bulk selection kept) with no
sideways scrolling."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from gongchuang.demo.accounts import DEMO_PASSWORD
from gongchuang.judging.models import Jury

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/accounts/dashboard/")


def _logout(page, live_server):
    page.context.clear_cookies()


def _fits_the_phone(page, url, *, state=True):
    page.goto(url)
    page.wait_for_function(NO_SIDEWAYS_SCROLL)
    if state:
        badge = page.locator("main table.cards .state").first
        expect(badge).to_be_visible()
        badge.scroll_into_view_if_needed()
        expect(badge).to_be_in_viewport()
        right = badge.evaluate("el => el.getBoundingClientRect().right")
        assert right <= 390, url


def test_committee_grouped_side_menu_with_counts(browser, live_server):
    call_command("seed_demo")
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    _login(page, live_server, "committee")
    nav = page.get_by_test_id("site-nav")
    expect(nav).to_be_visible()
    groups = nav.locator(".nav-group-label")
    expect(groups).to_have_count(6)
    for label in ["审核", "评审", "终评", "公示与异议", "报表", "设置"]:
        expect(nav.locator(".nav-group-label", has_text=label)).to_be_visible()
    # At most 7 top-level entries: the start page and the six groups.
    expect(nav.locator(".nav-list > li")).to_have_count(7)
    # The side menu sits left of the page, not in the header.
    box = nav.bounding_box()
    main = page.locator("main").bounding_box()
    assert box["x"] + box["width"] <= main["x"] + 1
    # The works the units recommended wait in the city review, counted in the menu.
    review = nav.locator("[data-group=review]")
    expect(review.get_by_test_id("nav-count")).to_have_text(re.compile(r"^\d+$"))
    # The start page opens with what is due.
    first_panel = page.locator("main section.card").first
    expect(first_panel).to_have_attribute("data-testid", "todo-panel")
    expect(first_panel.get_by_role("heading", name="待办")).to_be_visible()
    nav.get_by_role("link", name="市级审核").click()
    expect(page).to_have_url(re.compile(r"/screening/"))
    expect(nav.get_by_role("link", name="市级审核")).to_have_attribute("aria-current", "page")
    page.wait_for_function(NO_SIDEWAYS_SCROLL)
    context.close()


def test_staff_queues_are_cards_on_a_phone(phone, live_server):
    call_command("seed_demo")
    url = live_server.url
    # The organiser: one menu behind one toggle, the unit queue as cards with bulk selection.
    _login(phone, live_server, "organizer")
    expect(phone.locator("[data-nav-toggle]")).to_have_count(1)
    expect(phone.get_by_test_id("site-nav")).to_be_hidden()
    phone.click("[data-nav-toggle]")
    menu = phone.get_by_test_id("site-nav")
    expect(menu).to_be_visible()
    phone.wait_for_function(NO_SIDEWAYS_SCROLL)
    menu.get_by_role("link", name="资格审查").click()
    phone.wait_for_url(re.compile(r"/screening/"))
    _fits_the_phone(phone, phone.url)
    select_all = phone.locator("table.cards [data-select-all]")
    expect(select_all).to_be_visible()
    select_all.check()
    boxes = phone.locator('table.cards input[name="works"]')
    assert boxes.count() > 0
    for i in range(boxes.count()):
        expect(boxes.nth(i)).to_be_checked()
    expect(phone.get_by_test_id("bulk-submit")).to_be_visible()
    for name in ["accounts:school_list", "finals:certificates"]:
        _fits_the_phone(phone, url + reverse(name), state=False)
    _logout(phone, live_server)

    # The committee: city queue, juries, experts, objections, publicity, audit log.
    _login(phone, live_server, "committee")
    _fits_the_phone(phone, url + reverse("screening:city_queue"))
    expect(phone.locator("table.cards [data-select-all]")).to_be_visible()
    jury = Jury.objects.order_by("pk").first()
    for path in [
        reverse("judging:home"),
        reverse("judging:experts"),
        reverse("judging:jury", args=[jury.pk]),
        reverse("publicity:manage"),
        reverse("publicity:objection_queue") + "?state=",
        reverse("common:audit_log"),
        reverse("screening:city_progress"),
        reverse("accounts:duplicates"),
    ]:
        _fits_the_phone(phone, url + path, state=False)
    _fits_the_phone(phone, url + reverse("publicity:objection_queue") + "?state=")
    _logout(phone, live_server)

    # The school coordinator's works and the expert's queue.
    _login(phone, live_server, "coordinator")
    _fits_the_phone(phone, url + reverse("submissions:school_works"))
    _fits_the_phone(phone, url + reverse("screening:school_queue"), state=False)
    _logout(phone, live_server)
    _login(phone, live_server, "expert")
    _fits_the_phone(phone, url + reverse("judging:queue"), state=False)
