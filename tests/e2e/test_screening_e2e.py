"""Qualification review in a real browser: return, quota 30/30, city review, progress."""

import re

import pytest
from playwright.sync_api import expect

from gongchuang.screening import services
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from gongchuang.submissions.services import transition_work
from tests.screening import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _accept_confirms(page):
    page.on("dialog", lambda dialog: dialog.accept())


def _decide(page, decision: str, note: str = ""):
    form = page.get_by_test_id("decision-form")
    form.get_by_label("材料齐全").check()
    form.get_by_label(decision, exact=True).check()
    if note:
        form.get_by_label("原因 / 备注").fill(note)
    form.get_by_role("button", name="保存决定").click()


def test_organizer_returns_work_student_sees_reason_and_resubmits(
    page, browser, live_server, roles, edition, units, browser_login
):
    work = factories.work(
        edition,
        unit=units["hd"],
        school=units["hd_school"],
        author=roles["student"],
        title="AI 守护城市绿地",
    )
    _accept_confirms(page)
    browser_login(page, live_server, "org_hd")
    page.get_by_role("navigation").get_by_role("link", name="资格审查").click()
    expect(page.get_by_test_id("quota-ai_art")).to_contain_text("AI 艺术创作 0/30")
    page.get_by_role("link", name="AI 守护城市绿地").click()
    _decide(page, "退回修改", note="请补充创作过程记录")
    expect(page.get_by_text(f"已保存 {work.code} 的审核决定。")).to_be_visible()
    expect(page.get_by_test_id("work-row").filter(has_text=work.code)).to_contain_text("退回修改")

    student = browser.new_context(locale="zh-CN").new_page()
    browser_login(student, live_server, "student_a")
    student.goto(f"{live_server.url}/works/{work.pk}/")
    expect(student.get_by_test_id("returned-reason")).to_contain_text("请补充创作过程记录")
    student.goto(f"{live_server.url}/inbox/")
    expect(student.get_by_test_id("notification").first).to_contain_text("请补充创作过程记录")
    student.context.close()

    transition_work(Work.objects.get(pk=work.pk), WorkState.SUBMITTED, actor=roles["student"])
    page.goto(f"{live_server.url}/screening/unit/?state=submitted")
    expect(page.get_by_test_id("work-row").filter(has_text=work.code)).to_contain_text("已提交")


def test_organizer_fills_quota_and_31st_is_refused(
    page, live_server, roles, edition, units, browser_login
):
    for _ in range(29):
        w = factories.work(edition, unit=units["hd"], school=units["hd_school"])
        services.work_recommend(work=w, actor=roles["organizer"])
    thirtieth = factories.work(
        edition, unit=units["hd"], school=units["hd_school"], title="第三十件"
    )
    factories.work(edition, unit=units["hd"], school=units["hd_school"], title="第三十一件")
    _accept_confirms(page)
    browser_login(page, live_server, "org_hd")
    page.goto(f"{live_server.url}/screening/unit/?state=submitted")
    expect(page.get_by_test_id("quota-ai_art")).to_contain_text("29/30")

    page.get_by_role("link", name="第三十件").click()
    expect(page.get_by_test_id("work-quota")).to_contain_text("AI 艺术创作 29/30")
    _decide(page, "推荐")
    expect(page.get_by_text(f"已保存 {thirtieth.code} 的审核决定。")).to_be_visible()
    expect(page.get_by_test_id("quota-ai_art")).to_contain_text("AI 艺术创作 30/30")

    page.goto(f"{live_server.url}/screening/unit/?state=submitted")
    page.get_by_role("link", name="第三十一件").click()
    _decide(page, "推荐")
    expect(page.get_by_role("alert").filter(has_text="推荐名额已满")).to_have_text(
        "本区 AI 艺术创作 推荐名额已满（30/30）"
    )
    assert Work.objects.filter(state=WorkState.RECOMMENDED).count() == 30


def test_bulk_recommend_beyond_quota_is_refused(
    page, live_server, roles, edition, units, browser_login
):
    art = edition.categories.get(code="ai_art")
    art.unit_quota = 2
    art.save()
    works = [factories.work(edition, unit=units["hd"], school=units["hd_school"]) for _ in range(3)]
    _accept_confirms(page)
    browser_login(page, live_server, "org_hd")
    page.goto(f"{live_server.url}/screening/unit/")
    page.get_by_label("全选").check()
    page.get_by_label("对所选作品的操作").select_option("recommend")
    page.get_by_test_id("bulk-submit").click()
    expect(page.get_by_text(re.compile(r"推荐名额已满（2/2）"))).to_be_visible()
    page.get_by_label(f"选择 {works[0].code}").check()
    page.get_by_label(f"选择 {works[1].code}").check()
    page.get_by_test_id("bulk-submit").click()
    expect(page.get_by_text("已对 2 件作品执行该操作。")).to_be_visible()
    expect(page.get_by_test_id("quota-ai_art")).to_contain_text("2/2")


def test_committee_qualifies_recommended_work_and_reminds_units(
    page, live_server, roles, edition, units, browser_login
):
    work = factories.work(
        edition, unit=units["cy"], school=units["cy_school"], title="朝阳公园的四季"
    )
    services.work_recommend(work=work, actor=roles["organizer_cy"])
    factories.work(edition, unit=units["hd"], school=units["hd_school"])  # HD is behind
    _accept_confirms(page)
    browser_login(page, live_server, "committee")
    page.get_by_role("navigation").get_by_role("link", name="市级审核").click()
    page.get_by_role("link", name="朝阳公园的四季").click()
    _decide(page, "审核通过")
    expect(page.get_by_text(f"已保存 {work.code} 的审核决定。")).to_be_visible()
    expect(page.get_by_test_id("queue-empty")).to_be_visible()
    page.get_by_label("状态").select_option("qualified")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("work-row")).to_contain_text("资格审核通过")

    page.get_by_role("link", name="各单位审核进度").click()
    expect(page.get_by_test_id("progress-row").filter(has_text="海淀区")).to_contain_text("1")
    page.get_by_test_id("remind-button").click()
    expect(page.get_by_text("已向 1 位组织员发送提醒。")).to_be_visible()


def test_review_page_on_phone_shows_material_preview(
    phone, live_server, roles, edition, units, browser_login
):
    work = factories.work(
        edition, unit=units["hd"], school=units["hd_school"], title="手机上的作品"
    )
    factories.attach(
        work,
        slot="artwork",
        data=factories.png_bytes(),
        name="画.png",
        kind="image",
        mime="image/png",
    )
    browser_login(phone, live_server, "org_hd")
    phone.goto(f"{live_server.url}/screening/unit/works/{work.pk}/")
    image = phone.get_by_role("img", name="画.png")
    image.scroll_into_view_if_needed()
    image.element_handle().wait_for_element_state("visible")
    phone.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert image.evaluate("img => img.naturalWidth") == 64
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_organizer_exports_fills_in_and_imports_decisions(
    page, live_server, roles, edition, units, browser_login, tmp_path
):
    from openpyxl import load_workbook

    works = [factories.work(edition, unit=units["hd"], school=units["hd_school"]) for _ in range(2)]
    browser_login(page, live_server, "org_hd")
    page.goto(f"{live_server.url}/screening/unit/")
    with page.expect_download() as info:
        page.get_by_test_id("export-link").click()
    path = tmp_path / "works.xlsx"
    info.value.save_as(path)
    book = load_workbook(path)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    decision, reason = header.index("审核决定") + 1, header.index("决定原因") + 1
    sheet.cell(row=2, column=decision, value="退回修改")  # no reason: refused
    sheet.cell(row=3, column=decision, value="推荐")
    book.save(path)

    page.get_by_role("link", name="导入审核决定").click()
    page.get_by_label("填写好的表格（xlsx）").set_input_files(str(path))
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.get_by_test_id("import-errors")).to_contain_text(
        "第 2 行：“退回修改”必须填写原因。"
    )
    assert set(Work.objects.values_list("state", flat=True)) == {"submitted"}

    sheet.cell(row=2, column=reason, value="请补充创作过程")
    book.save(path)
    page.get_by_label("填写好的表格（xlsx）").set_input_files(str(path))
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.get_by_text("已导入 2 条审核决定。")).to_be_visible()
    states = dict(Work.objects.values_list("code", "state"))
    assert sorted(states.values()) == ["recommended", "returned"]
    assert {w.code for w in works} == set(states)


def test_organizer_compares_a_copied_report_with_a_past_work_side_by_side(
    page, live_server, roles, edition, units, browser_login
):
    from gongchuang.editions import defaults
    from gongchuang.editions.services import edition_create_from_defaults
    from tests.screening.test_crosscheck import (
        _expected_percent,
        new_work,
        past_work,
        report,
    )

    past, _ = edition_create_from_defaults(
        year=2025, slug="t2025", code="D25", windows=defaults.windows_for_year(2025)
    )
    old = past_work(past, units, text=report())
    new = new_work(edition, units, text=report(), unit="hd")
    percent = _expected_percent(old, new, report(), report())
    (stored,) = [f for f in new.precheck.findings if f["code"] == "near_duplicate"]
    browser_login(page, live_server, "org_hd")
    page.goto(f"{live_server.url}/screening/unit/works/{new.pk}/")
    finding = page.get_by_test_id("finding").filter(has_text="与2025届作品 D25-SCI-HD-0012 相似")
    expect(finding).to_contain_text(f"相似 {percent}%")
    passages = finding.get_by_test_id("similar-passage")
    expect(passages.first).to_be_hidden()
    finding.get_by_text("并排比较").click()
    expect(passages).to_have_count(3)
    expect(passages.first).to_be_visible()
    expect(finding.get_by_test_id("similar-pair")).to_contain_text("往届的空气质量研究")
    expect(finding.get_by_test_id("similar-pair")).to_contain_text(past.name)
    mine, theirs = stored["passages"][-1]
    expect(passages.last.locator("td").first).to_have_text(mine)
    expect(passages.last.locator("td").last).to_have_text(theirs)
