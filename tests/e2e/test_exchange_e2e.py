"""The demo's exchange at the final, in a real browser: a teacher filters the case library,
downloads a case under its licence (a view-only one offers no download) and signs up for
the 教学案例交流 session; a finalist books an expert-guidance slot, the expert writes the
notes on a phone, and the finalist reads them."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from gongchuang.demo.accounts import DEMO_PASSWORD
from gongchuang.finals.models import ExchangeSignup, GuidanceBooking

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_teacher_downloads_a_licensed_case_and_signs_up(live_server, page, browser_login):
    call_command("seed_demo", stdout=io.StringIO())
    browser_login(page, live_server, "teacher", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/teaching-cases/")
    page.get_by_label("AI 主题").select_option(label="数据")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("link", name=re.compile("用数据讲故事"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("认识图像识别"))).to_have_count(0)

    page.get_by_role("link", name=re.compile("用数据讲故事")).first.click()
    expect(page.get_by_test_id("licence")).to_have_text("CC BY-NC 4.0（署名—非商业性使用）")
    with page.expect_download() as download:
        lesson_plan = page.locator("ul.materials li").filter(has_text="教学设计")
        lesson_plan.get_by_test_id("case-download").click()
    assert download.value.suggested_filename.endswith("教学设计.pdf")
    assert open(download.value.path(), "rb").read().startswith(b"%PDF")

    # The view-only case: viewable, never downloadable.
    page.goto(f"{live_server.url}/teaching-cases/?ai_topic=algorithm")
    page.get_by_role("link", name=re.compile("认识图像识别")).first.click()
    expect(page.get_by_test_id("licence")).to_have_text("仅供在线浏览（不可下载）")
    expect(page.get_by_test_id("case-download")).to_have_count(0)

    page.goto(f"{live_server.url}/final/exchange/")
    session = page.get_by_test_id("exchange-session")
    expect(session).to_contain_text("用数据讲故事")
    expect(session.get_by_test_id("seats")).to_have_text("已报名 3 人，共 40 个名额")
    session.get_by_role("button", name="报名").click()
    expect(page.get_by_test_id("signed-up")).to_have_text("您已报名。")
    expect(session.get_by_test_id("seats")).to_have_text("已报名 4 人，共 40 个名额")
    assert ExchangeSignup.objects.filter(user__username="teacher").count() == 1


def test_finalist_books_guidance_and_reads_the_notes(live_server, page, phone, browser_login):
    call_command("seed_demo", stdout=io.StringIO())
    browser_login(page, live_server, "final1", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/final/my/")
    page.get_by_test_id("guidance-link").first.click()
    expect(page.get_by_role("heading", name="专家指导")).to_be_visible()
    page.get_by_test_id("free-slot").first.get_by_role("button", name="预约").click()
    expect(page.get_by_text("指导时段预约成功。")).to_be_visible()
    booking = page.get_by_test_id("my-booking")
    expect(booking).to_contain_text("指导结束后，专家的指导意见将显示在这里。")
    expert = GuidanceBooking.objects.get(work__authorships__user__username="final1").slot.expert

    browser_login(phone, live_server, expert.username, DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/final/guidance/")
    row = phone.get_by_test_id("my-slot").filter(has_text="未来城市的四季")
    row.get_by_role("link", name="填写指导意见").click()
    phone.get_by_label("指导意见").fill("构思新颖；建议补充 AI 生成前后的对比图。")
    phone.get_by_role("button", name="保存指导意见").click()
    expect(phone.get_by_text("指导意见已保存。")).to_be_visible()

    page.reload()
    expect(page.get_by_test_id("guidance-notes")).to_have_text(
        "构思新颖；建议补充 AI 生成前后的对比图。"
    )
    expect(page.get_by_role("button", name="取消预约")).to_have_count(0)


def test_committee_publishes_a_question_and_the_author_answers(live_server, page, browser_login):
    call_command("seed_demo", stdout=io.StringIO())
    browser_login(page, live_server, "committee", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/manage/case-questions/")
    pending = page.get_by_test_id("pending-question").filter(has_text="数据集可以分享吗")
    pending.get_by_role("button", name="发布").click()
    expect(page.get_by_text("问题已发布。")).to_be_visible()
    expect(page.get_by_test_id("pending-question")).to_have_count(0)

    page.context.clear_cookies()
    browser_login(page, live_server, "teacher", DEMO_PASSWORD)  # the case's author
    page.goto(f"{live_server.url}/teaching-cases/?ai_topic=data")
    page.get_by_role("link", name=re.compile("用数据讲故事")).first.click()
    question = page.get_by_test_id("case-question").filter(has_text="数据集可以分享吗")
    question.get_by_label("您的回答").fill("可以，数据集放在案例材料的附录里。")
    question.get_by_role("button", name="发布回答").click()
    expect(page.get_by_text("您的回答已发布。")).to_be_visible()

    page.context.clear_cookies()
    page.reload()
    answered = page.get_by_test_id("case-question").filter(has_text="数据集可以分享吗")
    expect(answered.get_by_test_id("case-answer")).to_contain_text("数据集放在案例材料的附录里")
    expect(page.get_by_text("教师登录后可以向作者提问。")).to_be_visible()
