"""Spreadsheets as staff make them, read by the one reader and imported by each importer.

Each file has what Excel/WPS users produce: a merged title row, headers with spaces and
notes, full-width digits, numbers typed as numbers (phones, ID numbers, codes whose leading
zeros were dropped), dates in every local form, an empty middle row, a second sheet; as .xlsx,
.xls and GBK/UTF-8-BOM .csv. Every import is all-or-nothing with row errors.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongchuang.accounts.models import Membership, User
from gongchuang.common.spreadsheets import DATE, ID, PHONE, Column, read_table
from gongchuang.judging.models import ExpertProfile
from gongchuang.submissions.models import Work
from tests.factories.real_sheets import csv_sheet, xls_sheet, xlsx_sheet

MARCH_5 = datetime.date(2026, 3, 5)
LOST_DIGITS = (
    "该号码以数字格式保存，末几位已丢失（例如显示为 1.10108E+17）。请在 Excel 或 WPS 中将该列"
    "设置为“文本”格式，重新输入号码后再上传。"
)

# A roster-like import: the kinds of column every later import can declare.
ROSTER = [
    Column("name", "姓名", required=True),
    Column("id_number", "身份证号", kind=ID, required=True),
    Column("student_no", "学籍号", kind=ID, digits=8),
    Column("mobile", "手机号", kind=PHONE, aliases=("联系电话",)),
    Column("birth", "出生日期", kind=DATE),
    Column("email", "邮箱", aliases=("电子邮箱", "E-mail")),
]
ROSTER_HEADER = ["姓 名", "身份证号（必填）", "学籍号", "联系电话", "出生日期", "E-mail"]
ROSTER_ROWS = [
    ["张三", "11010120100307123x", 123, 13911113333, 46086, "zhang@example.cn"],
    [None, None, None, None, None, None],
    ["李四", "１１０１０１２０１００３０７１２３４", "00012345", "１３９ １１１１ ４４４４",
     "2026/3/5", ""],
    ["王五", 1.10108e17, None, 13911115555.0, "2026年3月5日", None],
    ["赵六", "110101201003071236", None, "+86 139-1111-6666", "2026.3.5", None],
    ["钱七", "110101201003071237", None, None, "3月5日", None],
]  # fmt: skip


def _roster(data: bytes, name: str):
    return read_table(SimpleUploadedFile(name, data), ROSTER, max_rows=100)


def test_roster_xlsx_with_title_row_aliases_numbers_and_dates():
    data = xlsx_sheet([ROSTER_HEADER, *ROSTER_ROWS], title="2026年学生名单", second_sheet=[["x"]])
    table = _roster(data, "名单.xlsx")
    assert (table.header_row, table.sheet, table.sheets) == (2, "名单", 2)
    assert [(r.number, r.values) for r in table.rows] == [
        (3, {"name": "张三", "id_number": "11010120100307123X", "student_no": "00000123",
             "mobile": "13911113333", "birth": MARCH_5, "email": "zhang@example.cn"}),
        (5, {"name": "李四", "id_number": "110101201003071234", "student_no": "00012345",
             "mobile": "13911114444", "birth": MARCH_5, "email": ""}),
        (6, {"name": "王五", "id_number": None, "student_no": "", "mobile": "13911115555",
             "birth": MARCH_5, "email": ""}),
        (7, {"name": "赵六", "id_number": "110101201003071236", "student_no": "",
             "mobile": "13911116666", "birth": MARCH_5, "email": ""}),
        (8, {"name": "钱七", "id_number": "110101201003071237", "student_no": "", "mobile": "",
             "birth": None, "email": ""}),
    ]  # fmt: skip
    assert table.errors == [
        f"第 6 行：身份证号：{LOST_DIGITS}",
        "第 8 行：出生日期：“3月5日”不是日期，请写成 2026-03-05 或 2026年3月5日。",
    ]


def test_roster_xls_reads_the_same():
    table = _roster(xls_sheet([ROSTER_HEADER, *ROSTER_ROWS], title="2026年学生名单"), "名单.xls")
    assert (table.header_row, table.sheet, table.sheets) == (2, "名单", 2)
    assert [r.values["mobile"] for r in table.rows] == [
        "13911113333", "13911114444", "13911115555", "13911116666", "",
    ]  # fmt: skip
    assert [r.values["birth"] for r in table.rows] == [MARCH_5] * 4 + [None]
    assert table.rows[0].values["student_no"] == "00000123"
    assert len(table.errors) == 2 and table.errors[0] == f"第 6 行：身份证号：{LOST_DIGITS}"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_roster_csv_in_every_encoding(encoding):
    rows = [
        ["学生名单", "", "", "", "", ""],
        ROSTER_HEADER,
        ["张三", "11010120100307123X", "00000123", "13911113333.0", "2026-03-05", "a@b.cn"],
        ["", "", "", "", "", ""],
        ["王五", "1.10108E+17", "", "13911115555", "46086", ""],
    ]
    table = _roster(csv_sheet(rows, encoding=encoding), "名单.csv")
    assert [(r.number, r.values["name"], r.values["mobile"]) for r in table.rows] == [
        (3, "张三", "13911113333"),
        (5, "王五", "13911115555"),
    ]
    assert [r.values["birth"] for r in table.rows] == [MARCH_5, MARCH_5]
    assert table.errors == [f"第 5 行：身份证号：{LOST_DIGITS}"]


# --- Staff accounts: the view, all or nothing -------------------------------------------------

STAFF_HEADER = ["用 户 名", "姓 名", "手机号（必填）", "电子邮箱", "角色", "单位代码", "学校"]
STAFF_ROWS = [
    ["hd_wang", "王老师", "１３８００００１１１１", "Wang@Example.cn", "区级组织单位管理员", "hd",
     None],
    [None] * 7,
    ["exp_zhao", "赵专家", 13800002222, None, "评审专家", None, None],
]  # fmt: skip


@pytest.mark.parametrize(
    "name,data",
    [
        ("员工.xlsx", xlsx_sheet([STAFF_HEADER, *STAFF_ROWS], title="工作人员名单",
                                 second_sheet=[["说明"]])),
        ("员工.xls", xls_sheet([STAFF_HEADER, *STAFF_ROWS], title="工作人员名单")),
        ("员工.csv", csv_sheet([STAFF_HEADER, *STAFF_ROWS])),
    ],
)  # fmt: skip
def test_staff_import_accepts_real_world_sheets(client, roles, units, name, data):
    client.force_login(roles["committee"])
    response = client.post(
        reverse("accounts:staff_import"), {"sheet": SimpleUploadedFile(name, data)}
    )
    assert "2 个账号已创建" in response.content.decode()
    created = User.objects.filter(username__in=["hd_wang", "exp_zhao"]).order_by("username")
    assert list(created.values_list("username", "mobile", "email")) == [
        ("exp_zhao", "13800002222", ""),
        ("hd_wang", "13800001111", "wang@example.cn"),
    ]
    assert Membership.objects.get(user__username="hd_wang").unit == units["hd"]


def test_staff_import_with_one_bad_row_imports_nothing(client, roles, units):
    rows = [*STAFF_ROWS, ["bad", "坏", 13911100000, None, "校长", None, None]]
    client.force_login(roles["committee"])
    before = (User.objects.count(), Membership.objects.count())
    data = xlsx_sheet([STAFF_HEADER, *rows], title="工作人员名单")
    body = client.post(
        reverse("accounts:staff_import"), {"sheet": SimpleUploadedFile("员工.xlsx", data)}
    ).content.decode()
    assert (
        "第 6 行：未知的角色“校长”，请填写：区级组织单位管理员、学校联络员、评审专家或市组委会。"
        in body
    )
    assert "第 3 行" not in body and "第 5 行" not in body
    assert (User.objects.count(), Membership.objects.count()) == before


# --- Experts: GBK CSV from Excel on a Chinese Windows ----------------------------------------


def test_experts_import_reads_a_gbk_csv_with_english_and_aliased_headers(client, roles, units):
    rows = [
        ["专家名单（2026）"],
        ["Name", "手机号码", "E-mail", "工作单位", "评审学段"],
        ["周教授", "13911112222", "zhou@example.cn", "北京示范大学", "初中、高中"],
        ["吴研究员", "１３９１１１１３３３３", "wu@example.cn", "研究院", ""],
    ]
    client.force_login(roles["committee"])
    response = client.post(
        reverse("judging:experts"), {"file": SimpleUploadedFile("专家.csv", csv_sheet(rows))}
    )
    assert response.status_code == 302
    profiles = ExpertProfile.objects.order_by("user__mobile")
    assert [(p.user.real_name, p.user.mobile, p.levels) for p in profiles] == [
        ("周教授", "13911112222", ["junior", "senior"]),
        ("吴研究员", "13911113333", []),
    ]


def test_experts_import_refuses_a_lost_phone_and_imports_nothing(client, roles, units):
    rows = [
        ["姓名", "手机号", "邮箱"],
        ["周教授", "13911112222", "zhou@example.cn"],
        ["吴研究员", "1.39111E+10", "wu@example.cn"],
    ]
    client.force_login(roles["committee"])
    response = client.post(
        reverse("judging:experts"),
        {"file": SimpleUploadedFile("专家.csv", csv_sheet(rows, encoding="utf-8-sig"))},
    )
    assert f"第 3 行：手机号：{LOST_DIGITS}" in response.content.decode()
    assert not ExpertProfile.objects.exists()


# --- Showcase: an .xls with a title row ------------------------------------------------------


def test_showcase_import_reads_an_xls_with_a_title_row(client, roles, edition, units):
    header = ["作品名称", "类别", "学段", "区", "学校", "作者", "未成年"]
    row = ["城市的呼吸", "AI 艺术创作", "初中", "海淀区", "一中", "张小明", "是"]
    client.force_login(roles["committee"])
    response = client.post(
        reverse("portal:showcase_import"),
        {"edition": edition.pk,
         "spreadsheet": SimpleUploadedFile("往届.xls", xls_sheet([header, row], title="获奖名单"))},
    )  # fmt: skip
    assert response.status_code == 302
    work = Work.objects.get(title="城市的呼吸")
    assert (work.level, work.unit, work.showcase_credit.authors) == ("junior", units["hd"], "张**")


def test_full_width_digits_become_ascii_but_chinese_punctuation_stays():
    from gongchuang.common.spreadsheets import convert

    assert convert("城市的呼吸（ＡＩ创作，第２版）", "text") == "城市的呼吸（AI创作，第2版）"
    assert convert("１３９－１１１１－２２２２", "phone") == "13911112222"
    assert convert("２０２６年３月５日", "date") == MARCH_5
    assert convert("１，２００", "int") == 1200
