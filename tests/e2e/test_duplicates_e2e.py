"""One child registers twice (another school, a passport, a zero-width space in the name):
the second work is refused naming the first account, and the committee merges the two."""

import pytest
from playwright.sync_api import expect

from gongchuang.accounts.models import User
from gongchuang.common.models import AuditEvent
from gongchuang.submissions import services
from tests.submissions.helpers import complete_art_work

from .test_submission import fill_work_form, register_student

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_second_account_is_refused_and_the_committee_merges_it(
    page, live_server, edition, roles, units, browser_login
):
    page.on("dialog", lambda dialog: dialog.accept())
    register_student(page, live_server, units, username="lixiaoming")
    first = User.objects.get(username="lixiaoming")
    services.work_submit(work=complete_art_work(edition, first), actor=first)
    page.get_by_role("button", name="退出登录").click()

    register_student(
        page, live_server, units, username="xiaoming2", real_name="李小\u200b明",
        school="cy_school", kind="passport", document="E 1234 5678",
    )  # fmt: skip
    page.goto(live_server.url + "/works/new/")
    fill_work_form(page, "AI 艺术创作", "第二件作品")
    expect(page.locator(".form-errors").first).to_contain_text(
        "账号 li********（李**）已用该学生的名额提交了作品", use_inner_text=True
    )
    page.get_by_role("button", name="退出登录").click()

    browser_login(page, live_server, "committee")
    page.goto(live_server.url + "/accounts/students/duplicates/")
    group = page.get_by_test_id("duplicate-group")
    expect(group).to_have_count(1)
    expect(group.locator("h2")).to_have_text("姓名和出生日期相同", use_inner_text=True)
    group.get_by_role("link", name="合并到 lixiaoming").click()
    expect(page.locator("h1")).to_have_text("合并账号", use_inner_text=True)
    page.fill("#id_reason", "同一学生重复注册")
    page.get_by_role("button", name="合并", exact=True).click()
    expect(page.locator(".messages").first).to_contain_text("账号已合并。", use_inner_text=True)
    expect(page.locator(".empty")).to_have_text("没有疑似重复人员。", use_inner_text=True)
    assert User.objects.get(username="xiaoming2").is_active is False
    assert AuditEvent.objects.get(action="account.merge").reason == "同一学生重复注册"
