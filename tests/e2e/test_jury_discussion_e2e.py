"""Playwright: the review form (steppers, running weighted total, autosave) and the experts'
discussion with the panel lead's consensus note at finalist approval (issue 19 items 1–2)."""

import re

import pytest
from playwright.sync_api import expect

from gongchuang.judging import services
from gongchuang.judging.enums import ReviewStatus
from gongchuang.judging.models import Assignment, ConsensusNote, DiscussionPost, Review
from tests.factories.works import qualified_work, rubric_values
from tests.judging.helpers import expert

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LABELS = ("创新性（30%）", "AI 技术应用（25%）", "完成度与实用性（25%）", "表达与展示（10%）",
          "伦理与安全（10%）")  # fmt: skip


def _panel(edition, units, roles, *, set_lead=True):
    """One work reviewed by 刘专家 (expert_a) and a second expert; a third expert leads."""
    committee = roles["committee"]
    work = qualified_work(
        edition, units["cy_school"], committee=committee, title="家乡的四季",
        real_name="欧阳娜娜", keywords="图像生成", abstract="用 AI 画出家乡。",
    )  # fmt: skip
    services.expert_upsert(
        real_name="刘专家", mobile="", email=roles["expert"].email, expertise="图像生成",
        actor=committee,
    )  # fmt: skip
    other = expert(committee=committee, name="王专家", expertise="绘画")
    lead = expert(committee=committee, name="陈组长", expertise="绘画")
    jury = services.jury_create(
        edition=edition, category=work.category, members=[roles["expert"], other],
        actor=committee, k=2,
    )  # fmt: skip
    services.jury_solve(jury=jury, actor=committee)
    services.jury_publish(jury=jury, actor=committee)
    jury = services.jury_set_members(jury=jury, members=[roles["expert"], other, lead],
                                     actor=committee)  # fmt: skip
    if set_lead:
        services.jury_set_discussion(
            jury=jury, discussion_after_review=True, lead=lead, actor=committee
        )
    for person in (roles["expert"], other, lead):
        services.pledge_accept(expert=person, edition=edition)
    return jury, work, other, lead


def test_running_total_updates_as_one_types_and_the_draft_saves_itself(
    page, live_server, browser_login, edition, units, roles
):
    _jury, work, _other, _lead = _panel(edition, units, roles)
    browser_login(page, live_server, "expert_a")
    page.goto(f"{live_server.url}/judging/works/{work.pk}/")
    total = page.get_by_test_id("running-total")
    expect(total).to_have_text("—")

    page.get_by_label(LABELS[0]).fill("8")
    expect(total).to_have_text("24.0")
    expect(page.get_by_test_id("running-progress")).to_have_text("已评 1 / 5 个维度")
    for label in LABELS[1:]:
        page.get_by_label(label).fill("6")
    expect(total).to_have_text("66.0")
    page.get_by_role("button", name="提高伦理与安全").click()
    expect(page.get_by_label(LABELS[4])).to_have_value("7")
    expect(total).to_have_text("67.0")
    expect(page.get_by_test_id("running-progress")).to_have_text("")

    expect(page.get_by_test_id("autosave-status")).to_contain_text("草稿已自动保存")
    review = Review.objects.get(assignment__work=work, assignment__expert=roles["expert"])
    assert (review.status, review.total) == (ReviewStatus.DRAFT, 67.0)
    page.reload()
    expect(page.get_by_label(LABELS[4])).to_have_value("7")
    expect(page.get_by_test_id("running-total")).to_have_text("67.0")


def test_two_experts_discuss_and_the_leads_note_shows_at_finalist_approval_not_to_the_author(
    page, live_server, browser_login, edition, units, roles
):
    jury, work, other, lead = _panel(edition, units, roles, set_lead=False)
    page.on("dialog", lambda dialog: dialog.accept())
    # The committee names the panel lead on the jury page (discussion after one's own review).
    browser_login(page, live_server, "committee")
    page.goto(f"{live_server.url}/judging/juries/{jury.pk}/")
    settings = page.get_by_test_id("discussion-settings")
    settings.get_by_label("组长").fill(lead.username)
    settings.get_by_label("专家提交本人评审后才能参与作品讨论").check()
    settings.get_by_role("button", name="保存讨论设置").click()
    expect(page.get_by_text("讨论设置已保存。")).to_be_visible()
    jury.refresh_from_db()
    assert (jury.lead, jury.discussion_after_review) == (lead, True)
    page.context.clear_cookies()

    for person, value in ((roles["expert"], 9), (other, 3)):
        services.review_save(
            assignment=Assignment.objects.get(jury=jury, work=work, expert=person),
            scores=rubric_values(work, value), submit=True, actor=person,
        )  # fmt: skip

    # 刘专家 opens the discussion from the review page and posts.
    browser_login(page, live_server, "expert_a")
    page.goto(f"{live_server.url}/judging/works/{work.pk}/")
    page.get_by_test_id("discussion-link").click()
    page.get_by_label("您的留言").fill("我给了高分：选题贴近生活，过程记录完整。")
    page.get_by_role("button", name="发表").click()
    expect(page.get_by_text("留言已发表。")).to_be_visible()

    # 王专家 answers; they see 刘专家 as "专家 1", never by name.
    page.context.clear_cookies()
    browser_login(page, live_server, other.username)
    page.goto(f"{live_server.url}/judging/juries/{jury.pk}/works/{work.pk}/discussion/")
    thread = page.get_by_test_id("thread")
    expect(thread).to_contain_text("专家 1")
    expect(thread).not_to_contain_text("刘专家")
    page.get_by_label("您的留言").fill("画面有明显生成痕迹，本人加工较少。")
    page.get_by_role("button", name="发表").click()
    expect(page.get_by_test_id("thread").locator("li")).to_have_count(2)

    # The lead finds the disputed work on their page and writes the consensus note.
    page.context.clear_cookies()
    browser_login(page, live_server, lead.username)
    page.goto(f"{live_server.url}/judging/queue/")
    page.get_by_test_id("lead-link").click()
    row = page.get_by_role("row", name=re.compile("家乡的四季"))
    expect(row).to_contain_text("有争议")
    row.get_by_role("link", name="讨论").click()
    expect(page.get_by_test_id("thread").locator("li")).to_have_count(2)
    page.get_by_role("textbox", name="组长意见").fill("分歧在完成度；建议决赛重点考察本人加工。")
    page.get_by_role("button", name="保存组长意见").click()
    expect(page.get_by_test_id("consensus-note")).to_have_text(
        "分歧在完成度；建议决赛重点考察本人加工。"
    )

    # The committee sees the spread and the note when approving finalists.
    page.context.clear_cookies()
    browser_login(page, live_server, "committee")
    page.goto(f"{live_server.url}/judging/juries/{jury.pk}/finalists/")
    page.get_by_role("button", name="预览").click()
    preview = page.get_by_test_id("preview")
    expect(preview.get_by_test_id("finalist-note")).to_have_text(
        "分歧在完成度；建议决赛重点考察本人加工。"
    )
    expect(preview.get_by_test_id("spread")).to_contain_text("60.0")
    expect(preview.get_by_test_id("spread")).to_contain_text("有争议")

    # The author sees nothing of it.
    page.context.clear_cookies()
    browser_login(page, live_server, work.created_by.username)
    page.goto(f"{live_server.url}/submissions/{work.pk}/")
    expect(page.locator("main")).not_to_contain_text("建议决赛重点考察")
    response = page.goto(f"{live_server.url}/judging/juries/{jury.pk}/works/{work.pk}/discussion/")
    assert response.status in (403, 404)
    expect(page.locator("body")).not_to_contain_text("本人加工较少")
    assert DiscussionPost.objects.count() == 2 and ConsensusNote.objects.count() == 1
