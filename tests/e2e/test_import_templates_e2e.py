"""The committee downloads the staff import's template, fills it in Excel's place, imports it."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from gongchuang.accounts.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_committee_fills_the_downloaded_template_and_imports_it(
    page, live_server, browser_login, edition, units, roles, tmp_path
):
    browser_login(page, live_server, "committee")
    page.goto(f"{live_server.url}/accounts/staff/import/")
    with page.expect_download() as info:
        page.get_by_test_id("import-template").click()
    download = info.value
    assert download.suggested_filename == "工作人员账号导入模板.xlsx"
    template = tmp_path / download.suggested_filename
    download.save_as(template)

    book = load_workbook(template)
    sheet = book.active
    sheet.insert_rows(1)  # a title row, as staff add one
    sheet["A1"] = "2026年工作人员名单"
    sheet.append(["hd_sun", "孙老师", "13800003333", "sun@example.cn", "区级组织单位管理员", "HD"])
    sheet.append(["exp_qian", "钱专家", "１３８００００４４４４", None, "评审专家"])
    filled = tmp_path / "名单.xlsx"
    out = io.BytesIO()
    book.save(out)
    filled.write_bytes(out.getvalue())

    page.get_by_label("表格文件（.xlsx、.xls 或 .csv）").set_input_files(str(filled))
    page.get_by_role("button", name="检查并导入").click()
    expect(page.get_by_text("2 个账号已创建")).to_be_visible()
    assert sorted(
        User.objects.filter(username__in=["hd_sun", "exp_qian", "hd_zhang"]).values_list(
            "username", "mobile"
        )
    ) == [("exp_qian", "13800004444"), ("hd_sun", "13800003333")]
