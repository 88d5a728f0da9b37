"""The one spreadsheet writer: sheets ready to hand on, and import templates."""

import datetime
import io

from django.utils import timezone
from openpyxl import load_workbook

from gongchuang.common.spreadsheets import OutColumn, find_header, template_xlsx, xlsx_bytes
from gongchuang.common.spreadsheets.writer import CODE, DATETIME, xlsx_response
from gongchuang.portal.importer import COLUMNS as SHOWCASE_COLUMNS
from gongchuang.reports.exports import result_headers


def test_export_has_frozen_filtered_header_text_codes_and_real_dates():
    at = timezone.make_aware(datetime.datetime(2026, 3, 5, 8, 30), datetime.UTC)
    data = xlsx_bytes(
        title="作品列表",
        columns=[OutColumn("作品编号", kind=CODE), OutColumn("作品名称", width=30),
                 OutColumn("提交时间", kind=DATETIME)],
        rows=[["0012", "城市的呼吸", at], [7, "无题", None]],
    )  # fmt: skip
    sheet = load_workbook(io.BytesIO(data)).active
    assert (sheet.title, sheet.freeze_panes, sheet.auto_filter.ref) == ("作品列表", "A2", "A1:C3")
    assert [sheet.column_dimensions[c].width for c in "ABC"] == [16, 30, 17]
    assert sheet["A1"].font.b is True
    assert (sheet["A2"].value, sheet["A2"].number_format) == ("0012", "@")
    assert (sheet["A3"].value, sheet["A3"].number_format) == ("7", "@")
    # openpyxl stores no time zone: the Beijing wall-clock time, as a real date.
    assert sheet["C2"].value == datetime.datetime(2026, 3, 5, 16, 30)
    assert sheet["C2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["C3"].value is None


def test_chinese_file_name_is_rfc_5987(settings):
    response = xlsx_response(b"x", name="获奖名单", stamp=False)
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E8%8E%B7%E5%A5%96%E5%90%8D%E5%8D%95.xlsx"
    )


def test_award_list_headers_are_accepted_by_the_showcase_import():
    header = tuple(column.header for column in result_headers())
    index, positions = find_header([("获奖名单",), header], SHOWCASE_COLUMNS)
    assert index == 1
    assert positions == {
        "标题": 1, "类别": 2, "学段": 3, "作者": 4, "指导教师": 5, "学校": 6, "区": 7, "奖项": 9,
    }  # fmt: skip


def test_template_has_required_marks_example_dropdowns_and_text_columns():
    from gongchuang.accounts.staff_import import COLUMNS

    sheet = load_workbook(io.BytesIO(template_xlsx(COLUMNS, title="员工导入模板"))).active
    assert [c.value for c in sheet[1]] == [
        "用户名（必填）", "姓名（必填）", "手机号", "邮箱", "角色（必填）", "单位代码", "学校",
    ]  # fmt: skip
    assert [c.value for c in sheet[2]] == [
        "hd_zhang", "张老师", "13800001111", "zhang@example.cn", "区级组织单位管理员", "HD", None,
    ]  # fmt: skip
    assert sheet["C2"].number_format == sheet["C500"].number_format == "@"
    (validation,) = sheet.data_validations.dataValidation
    assert validation.formula1 == '"区级组织单位管理员,学校联络员,评审专家,市组委会"'
    assert str(validation.sqref) == "E2:E1001"
