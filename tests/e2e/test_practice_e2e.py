"""Playwright: the judge practice round (issue 19 item 3). The committee adds a sample work
with reference scores; an expert scores it with the steppers and sees the deviation per
dimension; the committee sees the deviation table and records the bias for calibration."""

import pytest
from playwright.sync_api import expect

from gongchuang.judging import services
from gongchuang.judging.models import ExpertProfile, PracticeWork
from tests.factories.works import qualified_work

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LABELS = ("创新性（30%）", "AI 技术应用（25%）", "完成度与实用性（25%）", "表达与展示（10%）",
          "伦理与安全（10%）")  # fmt: skip


def test_expert_practises_and_the_committee_sees_the_deviations(
    page, live_server, browser_login, edition, units, roles
):
    committee = roles["committee"]
    work = qualified_work(edition, units["cy_school"], committee=committee, title="往届作品：家乡")
    services.expert_upsert(
        real_name="刘专家", mobile="", email=roles["expert"].email, expertise="图像生成",
        categories=["ai_art"], actor=committee,
    )  # fmt: skip
    page.on("dialog", lambda dialog: dialog.accept())

    browser_login(page, live_server, "committee")
    page.goto(f"{live_server.url}/judging/practice/")
    form = page.get_by_test_id("practice-add")
    form.get_by_label("作品编号").fill(work.code)
    for label in LABELS[1:]:
        form.get_by_label(label).fill("6")
    form.get_by_role("button", name="添加样例作品").click()  # one dimension left empty
    expect(page.get_by_text("参考分：请为每个维度评分（缺少：创新性）。")).to_be_visible()
    assert not PracticeWork.objects.exists()
    page.get_by_test_id("practice-add").get_by_label(LABELS[0]).fill("6")
    page.get_by_test_id("practice-add").get_by_role("button", name="添加样例作品").click()
    expect(page.get_by_text("已添加样例作品。")).to_be_visible()
    expect(page.get_by_test_id("samples")).to_contain_text("往届作品：家乡")
    page.context.clear_cookies()

    browser_login(page, live_server, "expert_a")
    page.goto(f"{live_server.url}/judging/practice/{PracticeWork.objects.get().pk}/")
    practice = page.get_by_test_id("practice-form")
    practice.get_by_label(LABELS[0]).fill("8")
    for label in LABELS[1:]:
        practice.get_by_label(label).fill("6")
    expect(page.get_by_test_id("running-total")).to_have_text("66.0")
    page.get_by_role("button", name="提交练习评分").click()
    deviations = page.get_by_test_id("practice-deviations")
    expect(deviations).to_be_visible()
    expect(deviations.get_by_test_id("deviation-row").first).to_contain_text("+2")
    expect(deviations.get_by_test_id("deviation-row").nth(1)).to_contain_text("0")
    page.context.clear_cookies()

    browser_login(page, live_server, "committee")
    page.goto(f"{live_server.url}/judging/practice/")
    table = page.get_by_test_id("deviations")
    expect(table).to_contain_text("刘专家")
    expect(table).to_contain_text("2.0 / +2.0")
    expect(table.get_by_test_id("total-bias")).to_have_text("+6.0")
    table.get_by_role("button", name="用于校准").click()
    expect(page.get_by_test_id("deviations").get_by_test_id("recorded-bias")).to_have_text("+6.0")
    assert ExpertProfile.objects.get(user=roles["expert"]).practice_bias == 6.0
