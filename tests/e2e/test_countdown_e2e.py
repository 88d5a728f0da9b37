"""Real browser: a deadline's countdown takes its words from the page (app.js reads the
translated data-msg-* of includes/countdown.html; no text is written in the script)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_counts_down_to_the_deadline_in_chinese(
    live_server, page, browser_login, edition, roles
):
    browser_login(page, live_server, roles["student"].username)
    page.goto(f"{live_server.url}/accounts/dashboard/")

    countdown = page.locator("[data-countdown]").first
    expect(countdown).to_have_text(
        re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d（剩余 (\d+ 天 )?\d+ 小时 \d+ 分 \d+ 秒）$")
    )
