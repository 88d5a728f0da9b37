"""Real-browser tests of the statistics pages: dashboard, filtered xlsx download, editions,
summary report and API tokens."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from gongchuang.submissions.models import Work
from tests.reports.seed import seed_works

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, browser_login, username):
    browser_login(page, live_server, username)
    page.wait_for_url(f"{live_server.url}/accounts/dashboard/")


def test_committee_filters_to_one_district_and_downloads_the_xlsx(
    live_server, page, browser_login, edition, roles, units, tmp_path
):
    seed_works(edition, roles["committee"])
    _login(page, live_server, browser_login, "committee")
    page.click("#site-nav >> text=统计报表")
    page.wait_for_url(f"{live_server.url}/reports/")
    expect(page.locator("h1").first).to_contain_text("统计报表", use_inner_text=True)
    expect(page.locator("[data-testid=total-works]").first).to_have_text("18", use_inner_text=True)
    page.select_option("#id_unit", label="朝阳区")
    page.click("text=筛选")
    page.wait_for_url("**/reports/?*unit=*")
    expected = Work.objects.filter(edition=edition, unit=units["cy"])
    assert page.inner_text("[data-testid=total-works]") == str(expected.count())
    assert page.is_visible("#panel-units svg.chart")
    with page.expect_download() as info:
        page.click("[data-testid=export-works]")
    path = tmp_path / "works.xlsx"
    info.value.save_as(path)
    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    assert rows[0][0] == "作品编号"
    assert sorted(r[1] for r in rows[1:]) == sorted(expected.values_list("title", flat=True))
    assert {r[4] for r in rows[1:]} == {"朝阳区"}


def test_organizer_sees_own_unit_on_a_phone(live_server, phone, browser_login, edition, roles):
    seed_works(edition, roles["committee"])
    _login(phone, live_server, browser_login, "org_hd")
    phone.goto(f"{live_server.url}/reports/")
    assert "仅显示本单位作品" in phone.inner_text("main")
    assert phone.inner_text("[data-testid=total-works]") == "4"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no horizontal scrolling on a phone"


def test_committee_clones_the_edition_and_creates_a_token(
    live_server, page, browser_login, edition, roles
):
    _login(page, live_server, browser_login, "committee")
    page.goto(f"{live_server.url}/reports/editions/")
    expect(page.locator("h1").first).to_contain_text("届次管理：复制与归档", use_inner_text=True)
    page.click(f"[data-testid=edition-{edition.slug}] >> text=复制为下一届")
    page.fill("#id_slug", "e2027")
    page.fill("#id_code", "E27")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('创建新一届')")
    page.wait_for_url(f"{live_server.url}/editions/e2027/")
    expect(page.locator(".messages").first).to_contain_text("新一届活动已创建", use_inner_text=True)
    page.goto(f"{live_server.url}/reports/editions/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=edition-e2027] >> text=归档")
    expect(page.locator(".messages").first).to_contain_text("该届次已归档", use_inner_text=True)
    expect(page.locator("[data-testid=edition-e2027]").first).to_contain_text(
        "已归档", use_inner_text=True
    )
    page.goto(f"{live_server.url}/reports/summary/")
    expect(page.locator("h1").first).to_contain_text("总结报告", use_inner_text=True)
    expect(page.locator("main").first).to_contain_text("暂无总结报告", use_inner_text=True)
    page.goto(f"{live_server.url}/reports/tokens/")
    page.select_option("#id_user", label=f"{roles['organizer'].display_name} (org_hd)")
    page.fill("#id_name", "海淀区系统对接")
    page.click("text=创建令牌")
    expect(page.locator("[data-testid=new-token]").first).to_contain_text(
        "请立即复制令牌", use_inner_text=True
    )


def test_large_export_and_summary_report_in_the_background(
    live_server, page, browser_login, edition, roles, monkeypatch, tmp_path
):
    seed_works(edition, roles["committee"], per_unit=3)
    monkeypatch.setattr("gongchuang.reports.services.SYNC_EXPORT_LIMIT", 2)
    _login(page, live_server, browser_login, "committee")
    page.goto(f"{live_server.url}/reports/")
    page.click("[data-testid=export-works]")
    expect(page.get_by_test_id("export-total")).to_contain_text("作品 9 件")
    page.click("[data-testid=start-export]")
    page.wait_for_url("**/reports/export/*/")
    expect(page.locator(".messages").first).to_contain_text("导出在后台进行", use_inner_text=True)
    page.wait_for_function(
        "document.querySelector('[data-testid=export-status]').innerText.includes('已完成')"
    )
    with page.expect_download() as info:
        page.click("text=下载 xlsx")
    path = tmp_path / "big.xlsx"
    info.value.save_as(path)
    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 9
    page.goto(f"{live_server.url}/reports/summary/")
    page.click("text=生成总结报告")
    expect(page.locator(".messages").first).to_contain_text("总结报告正在生成", use_inner_text=True)
    with page.expect_download() as info:
        page.click("text=下载 PDF")
    assert info.value.suggested_filename.endswith(".pdf")


def test_committee_sees_a_new_submission_at_once_and_long_tables_as_downloads(
    live_server, page, browser_login, edition, roles, monkeypatch, tmp_path
):
    from gongchuang.reports import selectors, views
    from gongchuang.submissions.enums import WorkState
    from gongchuang.submissions.services import transition_work

    works = seed_works(edition, roles["committee"])
    _login(page, live_server, browser_login, "committee")
    page.goto(f"{live_server.url}/reports/")
    submitted = Work.objects.filter(edition=edition).exclude(state="draft").count()
    expect(page.locator("[data-testid=total-submitted]").first).to_have_text(
        str(submitted), use_inner_text=True
    )
    draft = next(w for w in works if Work.objects.get(pk=w.pk).state == WorkState.DRAFT)
    transition_work(draft, WorkState.SUBMITTED, actor=roles["committee"])
    for module in (selectors, views):
        monkeypatch.setattr(module, "INLINE_ROWS", 2)
    page.reload()
    # Live: the submission counts now, not a minute later.
    expect(page.locator("[data-testid=total-submitted]").first).to_have_text(
        str(submitted + 1), use_inner_text=True
    )
    matrix = page.locator("[data-testid=panel-matrix]")
    expect(matrix.locator("[data-testid=rows-elsewhere]")).to_contain_text(
        "超过 2 行", use_inner_text=True
    )
    with page.expect_download() as info:
        matrix.locator("text=下载 xlsx").click()
    path = tmp_path / "matrix.xlsx"
    info.value.save_as(path)
    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    assert len(rows) > 3  # the header and every row of the matrix
