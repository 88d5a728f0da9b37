"""Real browser: participants see deadlines as dates with whole days left, not a clock
ticking in seconds (issue 20); a student who submitted is not offered a new work."""

import re

import pytest
from playwright.sync_api import expect

from gongchuang.submissions import services
from tests.submissions.helpers import complete_art_work

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEADLINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d$")
DAYS_LEFT = re.compile(r"^（(还剩 \d+ 天|今天截止)）$")


def test_the_dashboard_shows_the_deadline_as_a_date_and_days_left(
    live_server, page, browser_login, edition, roles
):
    browser_login(page, live_server, roles["student"].username)
    page.goto(f"{live_server.url}/accounts/dashboard/")

    deadline = page.get_by_test_id("panel-my-works").get_by_test_id("deadline")
    expect(deadline).to_have_text(DEADLINE)
    expect(deadline.locator("xpath=following-sibling::span[1]")).to_have_text(DAYS_LEFT)
    first = page.get_by_test_id("panel-my-works").inner_text()
    page.wait_for_timeout(1500)  # a seconds countdown would have changed by now
    assert page.get_by_test_id("panel-my-works").inner_text() == first
    expect(page.locator("[data-countdown]")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("秒")


def test_my_works_offers_no_new_work_after_submission(
    live_server, page, browser_login, edition, roles
):
    student = roles["student"]
    work = complete_art_work(edition, student)
    services.work_submit(work=work, actor=student)
    browser_login(page, live_server, student.username)
    page.goto(f"{live_server.url}/works/")

    note = page.get_by_test_id("one-work-note")
    expect(note).to_contain_text("您已提交本届作品《水墨北京》")
    expect(page.get_by_test_id("new-work")).to_have_count(0)
    note.get_by_role("link", name="查看我的作品").click()
    expect(page.get_by_test_id("work-title")).to_have_text("水墨北京")
