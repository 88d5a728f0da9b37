"""Real browser: the committee runs its edition from the settings pages (no admin, no JSON)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongchuang.editions import defaults
from gongchuang.editions.models import Category
from gongchuang.editions.services import edition_create_from_defaults
from gongchuang.submissions import services as work_services
from tests.submissions.helpers import complete_art_work

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fill_material(page, i, label, kinds, max_mb, *, required):
    page.fill(f"#id_materials-{i}-label", label)
    row = page.locator(f"[data-testid=materials-{i}]")
    for kind in kinds:
        row.get_by_label(kind, exact=True).check()
    page.fill(f"#id_materials-{i}-max_mb", str(max_mb))
    if required:
        page.check(f"#id_materials-{i}-required")


def test_committee_adds_a_category_and_a_student_sees_it(
    live_server, page, browser_login, edition, roles
):
    nxt, _ = edition_create_from_defaults(
        year=2027, slug="t2027", code="2027", windows=defaults.demo_windows(timezone.now())
    )
    page.on("dialog", lambda dialog: dialog.accept())
    browser_login(page, live_server, roles["committee"].username)
    page.wait_for_url(f"{live_server.url}/accounts/dashboard/")
    page.goto(f"{live_server.url}/editions/{nxt.slug}/")
    expect(page).to_have_title(re.compile("届次设置"))

    page.click("[data-testid=category-add]")
    page.fill("#id_code", "ai_music")
    page.fill("#id_short_code", "MUS")
    page.select_option("#id_track", "student")
    page.fill("#id_name", "AI 音乐创作")
    for level in ("小学", "初中"):
        page.locator("#field-eligible_levels").get_by_label(level, exact=True).check()
    page.fill("#id_max_authors", "2")
    page.fill("#id_max_advisors", "1")
    fill_material(page, 0, "乐曲音频", ["音频"], 100, required=True)
    fill_material(page, 1, "创作说明", ["PDF", "Word 文档"], 20, required=False)
    page.click("[data-testid=save-category]")

    expect(page.locator(".messages").first).to_contain_text("请设置评分标准", use_inner_text=True)
    page.fill("#id_rubric-0-name", "旋律与创意")
    page.fill("#id_rubric-0-weight", "60")
    page.fill("#id_rubric-0-anchors", "1：明显不足\n10：卓越")
    page.fill("#id_rubric-1-name", "AI 运用")
    page.fill("#id_rubric-1-weight", "30")
    page.click("[data-testid=save-rubric]")
    expect(page.locator("[data-testid=rubric-errors]")).to_contain_text(
        "权重合计为 90，必须合计为 100。", use_inner_text=True
    )
    page.fill("#id_rubric-1-weight", "40")
    page.click("[data-testid=save-rubric]")
    row = page.locator("[data-testid=category-ai_music]")
    expect(row).to_contain_text("旋律与创意 60、AI 运用 40", use_inner_text=True)
    expect(row).to_contain_text("乐曲音频*、创作说明", use_inner_text=True)

    row.get_by_text("以学生身份预览").click()
    expect(page.locator("[data-testid=preview-materials]")).to_contain_text(
        "乐曲音频（必交，不超过 100 MB）", use_inner_text=True
    )
    expect(page.locator("#id_title")).to_be_disabled()

    page.goto(f"{live_server.url}/editions/{nxt.slug}/")
    page.click("[data-testid=make-current]")
    expect(page.locator("[data-testid=current]")).to_contain_text(
        "这是当前届次", use_inner_text=True
    )

    page.context.clear_cookies()
    browser_login(page, live_server, roles["student"].username)
    page.wait_for_url(f"{live_server.url}/accounts/dashboard/")
    page.goto(f"{live_server.url}/works/new/")
    expect(page.locator("#id_category option", has_text="AI 音乐创作")).to_have_count(1)
    category = Category.objects.get(edition=nxt, code="ai_music")
    assert [m["label"] for m in category.materials] == ["乐曲音频", "创作说明"]


def test_dropping_a_level_after_a_submission_is_refused_with_the_reason(
    live_server, page, browser_login, edition, roles
):
    work = complete_art_work(edition, roles["student"])
    work_services.work_submit(work=work, actor=roles["student"])
    category = edition.categories.get(code="ai_art")
    browser_login(page, live_server, roles["committee"].username)
    page.wait_for_url(f"{live_server.url}/accounts/dashboard/")
    page.goto(f"{live_server.url}/editions/{edition.slug}/")
    page.locator("[data-testid=category-ai_art]").get_by_text("修改").click()
    page.locator("#field-eligible_levels").get_by_label("初中", exact=True).uncheck()
    page.fill("#id_max_advisors", "3")
    page.click("[data-testid=save-category]")
    expect(page.locator("#field-eligible_levels .error")).to_have_text(
        "不能取消学段“初中”：本类别已有作品提交。", use_inner_text=True
    )
    category.refresh_from_db()
    assert "junior" in category.eligible_levels and category.max_advisors == 2

    page.locator("#field-eligible_levels").get_by_label("初中", exact=True).check()
    page.click("[data-testid=save-category]")
    expect(page.locator(".messages").first).to_contain_text("类别已保存", use_inner_text=True)
    category.refresh_from_db()
    assert category.max_advisors == 3
