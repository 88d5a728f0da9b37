import io

from openpyxl import Workbook

from gongchuang.accounts.enums import Role
from gongchuang.accounts.models import Membership, User
from gongchuang.accounts.staff_import import HEADERS
from tests.conftest import PASSWORD


def sheet(*rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "staff.xlsx"
    return buf


def login_committee(client, roles):
    client.post("/accounts/login/", {"username": roles["committee"].username, "password": PASSWORD})


def test_valid_sheet_creates_staff_with_roles(client, roles, units):
    login_committee(client, roles)
    response = client.post(
        "/accounts/staff/import/",
        {
            "sheet": sheet(
                ["hd_org2", "海淀二号", "13800001111", "a@b.cn", "区级组织单位管理员", "HD", ""],
                ["coord_x", "联络员", "", "", "学校联络员", "HD", units["hd_school"].name],
                ["exp_x", "王专家", "", "", "评审专家", "", ""],
            )
        },
    )
    assert response.status_code == 200
    assert "3 个账号已创建" in response.content.decode()
    assert Membership.objects.get(user__username="hd_org2").role == Role.UNIT_ORGANIZER
    assert Membership.objects.get(user__username="coord_x").school == units["hd_school"]


def test_one_bad_row_imports_nothing_and_reports_rows_in_chinese(client, roles):
    login_committee(client, roles)
    before = User.objects.count()
    body = client.post(
        "/accounts/staff/import/",
        {
            "sheet": sheet(
                ["ok_user", "甲", "", "", "评审专家", "", ""],
                ["bad_user", "乙", "123", "", "区级组织单位管理员", "ZZ", ""],
            )
        },
    ).content.decode()
    assert User.objects.count() == before
    assert "第 3 行" in body and "未知的单位代码 ZZ" in body and "不是11位" in body


def test_only_the_committee_may_import(client, roles):
    client.post("/accounts/login/", {"username": roles["organizer"].username, "password": PASSWORD})
    assert client.get("/accounts/staff/import/").status_code == 403
