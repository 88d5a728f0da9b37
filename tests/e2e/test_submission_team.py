"""Real-browser tests: invitations, teaching case, autosave, withdrawal, school coordinator list."""

import pytest
from playwright.sync_api import expect

from gongchuang.submissions import services
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from tests.submissions.helpers import art_draft, complete_art_work

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_teacher_accepts_advisor_invitation_and_starts_a_teaching_case(
    live_server, page, browser_login, edition, roles
):
    work = art_draft(edition, roles["student"])
    services.invitation_create(
        work=work, actor=roles["student"], username=roles["teacher"].username, role="advisor"
    )
    browser_login(page, live_server, roles["teacher"].username)
    panel = page.locator("[data-testid=panel-my-works]")
    expect(panel).to_contain_text("水墨北京", use_inner_text=True)
    panel.locator("button", has_text="接受").click()
    expect(page.locator(".messages").first).to_contain_text("您已加入该作品", use_inner_text=True)
    expect(page.locator("[data-testid=team]").first).to_contain_text(
        "指导教师：陈老师", use_inner_text=True
    )

    page.goto(live_server.url + "/works/new/")
    assert page.locator("#id_category option").all_inner_texts() == ["教师AI创新教学案例"]
    page.fill("#id_title", "用 AI 认识数据")
    page.click("[data-testid=save-work]")
    expect(page.locator("[data-testid=missing]").first).to_contain_text(
        "缺少材料：教学设计（PDF/DOCX）", use_inner_text=True
    )
    assert page.locator("#id_role option").all_inner_texts() == ["作者"]


def test_autosave_and_withdraw_with_confirmation(live_server, page, browser_login, edition, roles):
    student = roles["student"]
    work = services.work_submit(work=complete_art_work(edition, student), actor=student)
    services.transition_work(
        work, WorkState.RETURNED, actor=roles["organizer"], reason="请补充过程"
    )
    browser_login(page, live_server, student.username)
    page.goto(live_server.url + work.get_absolute_url())
    expect(page.locator("[data-testid=returned-reason]").first).to_contain_text(
        "请补充过程", use_inner_text=True
    )

    page.click("text=编辑作品信息")
    page.fill("#id_title", "水墨北京（修改版）")
    status = page.locator("[data-autosave-status]")
    status.filter(has_text="已自动保存").wait_for(timeout=45_000)
    assert Work.objects.get(pk=work.pk).title == "水墨北京（修改版）"

    page.goto(live_server.url + work.get_absolute_url())
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("[data-testid=withdraw]")
    assert Work.objects.get(pk=work.pk).state == WorkState.RETURNED
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=withdraw]")
    page.locator(".messages", has_text="作品已撤回").wait_for()
    expect(page.locator("[data-testid=work-state]").first).to_have_text(
        "已撤回", use_inner_text=True
    )


def test_coordinator_lists_own_school_works(live_server, page, browser_login, edition, roles):
    student = roles["student"]
    services.work_submit(work=complete_art_work(edition, student), actor=student)
    art_draft(edition, roles["student_b"], title="朝阳的作品")
    browser_login(page, live_server, roles["coordinator"].username)
    page.click("#site-nav >> text=本校作品")
    table = page.inner_text("[data-testid=school-works]")
    assert "2026-ART-HD-0001" in table and "李明" in table and "已提交" in table
    assert "朝阳的作品" not in table
    page.select_option("#state", "draft")
    page.click("text=筛选")
    expect(page.locator("main").first).to_contain_text("本校暂无作品", use_inner_text=True)


def test_autosave_keeps_what_was_typed_before_the_script_loaded(
    live_server, page, browser_login, edition, roles
):
    """On a slow phone the student may type before autosave.js has run: that edit is saved."""
    work = art_draft(edition, roles["student"])
    browser_login(page, live_server, roles["student"].username)
    page.route("**/autosave.js", lambda route: route.abort())  # the script has not arrived yet
    page.goto(live_server.url + work.get_absolute_url() + "edit/")
    page.fill("#id_title", "打字时脚本还没加载")
    page.unroute("**/autosave.js")
    page.add_script_tag(url=live_server.url + "/static/submissions/autosave.js")
    page.locator("[data-autosave-status]", has_text="已自动保存").wait_for(timeout=45_000)
    assert Work.objects.get(pk=work.pk).title == "打字时脚本还没加载"
