"""Real browser: the committee changes a deadline (with a reason) on the edition settings page."""

import re

import pytest
from playwright.sync_api import expect

from gongchuang.common.models import AuditEvent
from gongchuang.editions.enums import Step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_committee_extends_the_submission_deadline(
    live_server, page, browser_login, edition, roles
):
    browser_login(page, live_server, roles["committee"].username)
    page.wait_for_url(f"{live_server.url}/accounts/dashboard/")
    page.click("text=时间安排、类别、规则与评分标准")
    expect(page).to_have_title(re.compile("届次设置"))
    page.click("[data-testid=window-submission] >> text=调整截止时间")
    page.fill("#id_closes_at", "2030-06-30T18:00")
    page.fill("#id_reason", "部分区县网络故障，延长申报时间")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".error, .form-errors").all_inner_texts() == []
    page.wait_for_url(f"{live_server.url}/editions/{edition.slug}/")
    expect(page.locator(".messages").first).to_contain_text("截止时间已修改", use_inner_text=True)
    expect(page.locator("[data-testid=window-submission]").first).to_contain_text(
        "2030-06-30 18:00", use_inner_text=True
    )
    expect(page.locator("main").first).to_contain_text("部分区县网络故障", use_inner_text=True)
    window = edition.windows.get(step=Step.SUBMISSION)
    assert window.closes_at.year == 2030
    assert (
        AuditEvent.objects.filter(
            action="window.extend", reason="部分区县网络故障，延长申报时间"
        ).count()
        == 1
    )
