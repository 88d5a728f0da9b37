import pytest
from playwright.sync_api import expect

from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.services import transition_work
from tests.factories.works import submitted_work

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_committee_edits_template_with_preview_and_student_reads_it(
    page, live_server, roles, edition, browser_login
):
    browser_login(page, live_server, "committee")
    page.get_by_test_id("security-panel").get_by_role("link", name="消息模板").click()
    page.get_by_test_id("template-row").filter(has_text="作品退回修改").get_by_role(
        "link", name="编辑"
    ).click()
    page.fill("#id_subject", "请修改作品《{title}》")
    page.fill("#id_body", "退回理由：{reason}")
    page.get_by_role("button", name="预览").click()
    preview = page.get_by_test_id("template-preview")
    expect(preview).to_contain_text("请修改作品《AI 守护城市绿地》", use_inner_text=True)
    expect(preview).to_contain_text("退回理由：作品说明缺少AI使用过程", use_inner_text=True)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("消息模板已保存。")).to_be_visible()

    work = submitted_work(edition, roles["student"], title="城市小精灵")
    transition_work(work, WorkState.RETURNED, actor=roles["organizer"], reason="图片不清晰")

    page.get_by_role("button", name="退出登录").click()
    browser_login(page, live_server, "student_a")
    expect(page.get_by_test_id("unread-count")).to_have_text("2", use_inner_text=True)
    page.get_by_test_id("inbox-link").click()
    notes = page.get_by_test_id("notification")
    expect(notes.first).to_contain_text("请修改作品《城市小精灵》", use_inner_text=True)
    expect(notes.first).to_contain_text("退回理由：图片不清晰", use_inner_text=True)


def test_committee_searches_audit_log(page, live_server, roles, edition, browser_login):
    work = submitted_work(edition, roles["student"], title="城市小精灵")
    transition_work(work, WorkState.RECOMMENDED, actor=roles["organizer"], reason="推荐")
    browser_login(page, live_server, "committee")
    page.get_by_role("navigation").get_by_role("link", name="审计日志").click()
    page.fill("#id_actor", "海淀组织员")
    page.get_by_role("button", name="搜索").click()
    rows = page.get_by_test_id("audit-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("work.transition", use_inner_text=True)
    expect(rows.first).to_contain_text("推荐", use_inner_text=True)
    with page.expect_download() as info:
        page.get_by_role("button", name="导出 xlsx").click()
    assert info.value.suggested_filename.endswith(".xlsx")
