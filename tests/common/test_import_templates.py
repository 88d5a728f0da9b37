"""Every import page offers a template; a filled template is accepted back by its import."""

import io
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from gongchuang.accounts.models import User

# URL name -> (role, file name, headers of the template)
TEMPLATES = {
    "screening:unit_import_template": (
        "organizer", "审核决定导入模板", ["作品编号（必填）", "审核决定（必填）", "决定原因"],
    ),
    "screening:city_import_template": (
        "committee", "审核决定导入模板", ["作品编号（必填）", "审核决定（必填）", "决定原因"],
    ),
    "accounts:staff_import_template": (
        "committee", "工作人员账号导入模板",
        ["用户名（必填）", "姓名（必填）", "手机号", "邮箱", "角色（必填）", "单位代码", "学校"],
    ),
    "judging:experts_template": (
        "committee", "评审专家导入模板",
        ["姓名（必填）", "手机号（必填）", "邮箱（必填）", "工作单位", "组织单位代码", "学校",
         "专业领域关键词", "评审类别", "评审学段", "最大评审量"],
    ),
    "portal:showcase_import_template": (
        "committee", "往届优秀作品导入模板",
        ["标题（必填）", "类别（必填）", "学段（必填）", "区（必填）", "学校（必填）",
         "作者（必填）", "指导教师", "摘要", "关键词", "奖项", "文件", "未成年"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("url_name", sorted(TEMPLATES))
def test_each_import_page_links_its_template(client, roles, url_name):
    role, name, headers = TEMPLATES[url_name]
    client.force_login(roles[role])
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}.xlsx"
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == headers
    page = client.get(reverse(url_name.removesuffix("_template")))
    assert f'href="{reverse(url_name)}"' in page.content.decode()


def test_decision_template_offers_the_stages_decisions(client, roles):
    client.force_login(roles["organizer"])
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("screening:unit_import_template")).content)
    ).active
    (validation,) = sheet.data_validations.dataValidation
    assert validation.formula1 == '"推荐,退回修改,不通过"'


def test_filled_staff_template_is_imported(client, roles, units):
    client.force_login(roles["committee"])
    book = load_workbook(io.BytesIO(client.get(reverse("accounts:staff_import_template")).content))
    sheet = book.active
    sheet.append(["hd_li", "李老师", "13800002222", "li@example.cn", "评审专家", "", ""])
    out = io.BytesIO()
    book.save(out)
    response = client.post(
        reverse("accounts:staff_import"), {"sheet": SimpleUploadedFile("员工.xlsx", out.getvalue())}
    )
    assert "1 个账号已创建" in response.content.decode()
    assert not User.objects.filter(username="hd_zhang").exists()  # the example row is skipped
    assert User.objects.get(username="hd_li").mobile == "13800002222"


def test_template_headers_are_chinese_in_the_english_ui(client, roles, settings):
    client.force_login(roles["committee"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("accounts:staff_import_template"))
    assert response["Content-Disposition"] == 'attachment; filename="staff-import-template.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "用户名（必填）"
