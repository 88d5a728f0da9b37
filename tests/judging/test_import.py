"""Importing experts from xlsx: all rows or none, Chinese row-level errors."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from gongchuang.accounts.enums import Role
from gongchuang.accounts.models import Invitation, User
from gongchuang.common.errors import DomainError
from gongchuang.judging.importers import HEADERS, experts_import
from gongchuang.judging.models import ExpertProfile
from tests.factories.spreadsheets import BROKEN, UNREADABLE

HEADER = HEADERS


def xlsx(rows, header=HEADER) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


GOOD = [
    ["周教授", "13911112222", "zhou@example.cn", "北京示范大学", "HD", "海淀测试中学",
     "图像生成、数字绘画", "AI 艺术创作、ai_agent", "初中、高中", 25],
    ["吴研究员", 13911113333, "wu@example.cn", "研究院", "", "", "音乐生成", "ai_art", "", ""],
]  # fmt: skip


def test_import_creates_experts_with_role_and_profile(edition, units, roles):
    result = experts_import(fileobj=xlsx(GOOD), edition=edition, actor=roles["committee"])
    assert [u.real_name for u in result.experts] == ["周教授", "吴研究员"]
    assert [u.real_name for u in result.onboarding.invited] == ["周教授", "吴研究员"]
    assert Invitation.objects.filter(user__in=result.experts).count() == 2
    zhou = User.objects.get(mobile="13911112222")
    assert Role.EXPERT in zhou.roles
    assert not zhou.has_usable_password()
    profile = zhou.expert_profile
    assert (profile.unit, profile.school) == (units["hd"], units["hd_school"])
    assert profile.categories == ["ai_agent", "ai_art"]
    assert profile.levels == ["junior", "senior"]
    assert profile.max_load == 25
    assert User.objects.get(mobile="13911113333").expert_profile.max_load == 30


def test_import_is_all_or_nothing_with_chinese_row_errors(edition, units, roles):
    rows = [
        *GOOD,
        ["", "1391111", "not-an-email", "", "ZZ", "不存在学校", "", "书法", "博士", "abc"],
        ["重复", "13911112222", "dup@example.cn", "", "", "", "", "", "", ""],
    ]
    with pytest.raises(DomainError) as err:
        experts_import(fileobj=xlsx(rows), edition=edition, actor=roles["committee"])
    assert err.value.errors == [
        "第 4 行：“姓名”为必填项。",
        "第 4 行：手机号须为以 1 开头的 11 位数字。",
        "第 4 行：邮箱地址无效。",
        "第 4 行：未知的组织单位代码“ZZ”。",
        "第 4 行：未知的学校“不存在学校”。",
        "第 4 行：未知的类别“书法”。",
        "第 4 行：未知的学段“博士”。",
        "第 4 行：最大评审量须为 1 到 1000 的整数。",
        "第 5 行：手机号与第 2 行重复。",
    ]
    assert not ExpertProfile.objects.exists()


def test_import_missing_columns_and_non_xlsx(edition, roles):
    with pytest.raises(DomainError) as err:
        experts_import(fileobj=xlsx([["a"]], header=["姓名"]), edition=edition, actor=None)
    assert str(err.value) == (
        "表格缺少以下列：手机号、邮箱。表头须在前 10 行内；可下载模板查看各列。"
    )
    with pytest.raises(DomainError) as err:
        experts_import(fileobj=io.BytesIO(BROKEN["truncated"][1]), edition=edition, actor=None)
    assert str(err.value) == UNREADABLE


def test_import_again_updates_profile_not_duplicate(edition, units, roles):
    experts_import(fileobj=xlsx(GOOD), edition=edition, actor=roles["committee"])
    changed = [[*GOOD[0][:9], 40]]
    again = experts_import(fileobj=xlsx(changed), edition=edition, actor=roles["committee"])
    assert again.onboarding.invited == []  # an update sends no new invitation
    assert User.objects.filter(mobile="13911112222").count() == 1
    assert User.objects.get(mobile="13911112222").expert_profile.max_load == 40


def test_import_page_shows_errors_and_list(client, edition, units, roles):
    client.force_login(roles["committee"])
    bad = SimpleUploadedFile(
        "e.xlsx", xlsx([["", "", "", "", "", "", "", "", "", ""], ["某", "1", "x@y.cn"]]).read()
    )
    response = client.post(reverse("judging:experts"), {"file": bad})
    html = response.content.decode()
    assert "未导入任何数据" in html
    assert "第 3 行：手机号须为以 1 开头的 11 位数字。" in html
    good = SimpleUploadedFile("e.xlsx", xlsx(GOOD).read())
    response = client.post(reverse("judging:experts"), {"file": good}, follow=True)
    html = response.content.decode()
    assert "已导入 2 位专家，已向 2 位新专家发送设置密码的邀请。" in html
    assert "周教授" in html
