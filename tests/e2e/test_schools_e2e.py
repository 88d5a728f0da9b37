"""A district organiser keeps its school list: add, rename, merge a duplicate, import a sheet."""

import io

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from gongchuang.accounts.models import School, StudentProfile
from gongchuang.common.models import AuditEvent
from tests.factories import people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _row(page, name):
    return page.get_by_test_id("school-row").filter(has_text=name)


def test_organiser_adds_renames_merges_and_imports(
    page, live_server, browser_login, edition, units, roles, tmp_path
):
    student = people.student(units["hd_school2"], username="dup_school_student")
    browser_login(page, live_server, "org_hd")
    expect(page.get_by_role("link", name="学校名单")).to_be_visible()
    page.get_by_role("link", name="学校名单").click()
    expect(page.locator("h1")).to_have_text("学校名单")
    expect(page.get_by_test_id("school-row")).to_have_count(3)  # 海淀: two schools and a museum

    # add
    page.get_by_role("link", name="添加学校").click()
    page.get_by_label("学校名称").fill("海淀新建小学")
    page.get_by_label("学校代码").fill("hd-100")
    page.get_by_label("学校类型").select_option(label="小学")
    page.get_by_label("小学", exact=True).check()
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages").first).to_contain_text("已添加学校“海淀新建小学”。")
    expect(_row(page, "海淀新建小学")).to_contain_text("HD-100")

    # rename
    _row(page, "海淀新建小学").get_by_role("link", name="编辑").click()
    page.get_by_label("学校名称").fill("海淀实验小学")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages").first).to_contain_text("学校信息已保存。")
    expect(_row(page, "海淀实验小学")).to_have_count(1)
    expect(_row(page, "海淀新建小学")).to_have_count(0)

    # merge the duplicate 海淀测试小学 into 海淀测试中学
    _row(page, "海淀测试小学").get_by_role("link", name="合并").click()
    page.get_by_label("合并到").select_option(label="海淀测试中学")
    page.get_by_role("button", name="继续").click()
    expect(page.get_by_test_id("merge-preview")).to_contain_text(
        "1 人及上述记录将从“海淀测试小学”转到“海淀测试中学”。"
    )
    page.get_by_role("button", name="确认合并").click()
    expect(page.locator(".messages").first).to_contain_text(
        "“海淀测试小学”已合并到“海淀测试中学”。"
    )
    expect(_row(page, "海淀测试小学")).to_have_count(0)
    assert StudentProfile.objects.get(user=student).school == units["hd_school"]

    # import
    page.get_by_role("link", name="从表格导入").click()
    book = Workbook()
    book.active.append(["学校名称", "学校代码", "学校类型", "学段"])
    book.active.append(["海淀导入中学", "HD-200", "完全中学", "初中、高中"])
    out = io.BytesIO()
    book.save(out)
    sheet = tmp_path / "学校名单.xlsx"
    sheet.write_bytes(out.getvalue())
    page.get_by_label("表格文件（.xlsx、.xls 或 .csv）").set_input_files(str(sheet))
    page.get_by_role("button", name="检查并导入").click()
    expect(page.locator(".messages").first).to_contain_text(
        "导入完成：新增 1 所，更新 0 所，未变 0 所。"
    )
    expect(_row(page, "海淀导入中学")).to_contain_text("完全中学")
    assert School.objects.get(name="海淀导入中学").levels == ["junior", "senior"]
    assert AuditEvent.objects.filter(action="school.merge").count() == 1


def test_import_with_a_bad_row_shows_the_rows_and_imports_nothing(
    page, live_server, browser_login, edition, units, roles, tmp_path
):
    browser_login(page, live_server, "org_hd")
    page.goto(f"{live_server.url}/accounts/schools/import/")
    book = Workbook()
    book.active.append(["单位代码", "学校名称", "学段"])
    book.active.append(["HD", "海淀好学校", "小学"])
    book.active.append(["CY", "朝阳学校", "小学"])
    sheet = tmp_path / "bad.xlsx"
    out = io.BytesIO()
    book.save(out)
    sheet.write_bytes(out.getvalue())
    page.get_by_label("表格文件（.xlsx、.xls 或 .csv）").set_input_files(str(sheet))
    page.get_by_role("button", name="检查并导入").click()
    expect(page.get_by_test_id("import-errors")).to_contain_text(
        "第 3 行：单位代码 CY 不存在或不在您的管理范围内。"
    )
    assert not School.objects.filter(name="海淀好学校").exists()
