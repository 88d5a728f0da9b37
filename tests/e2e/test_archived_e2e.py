"""Real browser: a student opening a work of an archived edition sees it, read-only."""

import pytest
from playwright.sync_api import expect

from tests.factories.editions import archive
from tests.submissions.helpers import complete_art_work

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_student_sees_an_archived_editions_work_read_only(
    live_server, page, browser_login, edition, roles
):
    work = complete_art_work(edition, roles["student"])
    browser_login(page, live_server, roles["student"].username)
    page.goto(f"{live_server.url}{work.get_absolute_url()}")
    # Writable until archived: the same locators find the buttons.
    expect(page.get_by_test_id("submit-work")).to_be_visible()
    expect(page.get_by_role("link", name="编辑作品信息")).to_be_visible()
    expect(page.locator("form.upload-form")).to_have_count(3)

    archive(edition, actor=roles["committee"])
    page.reload()

    expect(page.get_by_test_id("work-title")).to_have_text(work.title)
    expect(page.get_by_test_id("archived")).to_contain_text("已归档（只读）")
    expect(page.get_by_test_id("archived")).to_contain_text("作品仅供查看，不能再修改")
    expect(page.get_by_test_id("file")).to_have_count(3)  # materials still listed and linked
    expect(page.get_by_role("link", name="art.png")).to_be_visible()
    for gone in ("submit-work", "withdraw", "invite-form", "missing", "ready"):
        expect(page.get_by_test_id(gone)).to_have_count(0)
    expect(page.get_by_role("link", name="编辑作品信息")).to_have_count(0)
    expect(page.locator("form.upload-form")).to_have_count(0)
    expect(page.locator("[data-testid=file] form")).to_have_count(0)  # no "remove" buttons
