"""Playwright, the issue's acceptance: the committee imports an expert from an xlsx; the
expert opens the invitation link from the e-mail, sets a password, logs in and scores."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from gongchuang.accounts.models import User
from gongchuang.judging import services
from gongchuang.judging.enums import ReviewStatus
from gongchuang.judging.models import Review
from tests.factories.works import qualified_work
from tests.judging.test_import import xlsx

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "Zhou2027mima"
ROW = ["周教授", "13911112222", "zhou@example.cn", "北京示范大学", "", "", "图像生成",
       "AI 艺术创作", "初中", 20]  # fmt: skip


def test_imported_expert_sets_password_by_invitation_and_scores(
    page, live_server, browser_login, edition, units, roles, tmp_path
):
    committee = roles["committee"]
    path = tmp_path / "专家.xlsx"
    path.write_bytes(xlsx([ROW]).read())
    mail.outbox.clear()

    # The committee imports the expert; the list shows the invitation as sent.
    browser_login(page, live_server, "committee")
    page.goto(f"{live_server.url}/judging/experts/")
    page.get_by_label("表格文件（xlsx）").set_input_files(str(path))
    page.get_by_role("button", name="导入").click()
    imported = "已导入 1 位专家，已向 1 位新专家发送设置密码的邀请。"
    expect(page.get_by_text(imported)).to_be_visible()
    row = page.get_by_test_id("expert-row").filter(has_text="周教授")
    expect(row.get_by_test_id("onboarding-status")).to_have_text("邀请已发送")

    # A work for the new expert to review.
    expert = User.objects.get(mobile="13911112222")
    qualified_work(edition, units["cy_school"], committee=committee, title="家乡的四季",
                   real_name="欧阳娜娜", keywords="图像生成", abstract="用 AI 画出。")  # fmt: skip
    category = edition.categories.get(code="ai_art")
    jury = services.jury_create(
        edition=edition, category=category, members=[expert], actor=committee, k=1
    )
    services.jury_solve(jury=jury, actor=committee)
    services.jury_publish(jury=jury, actor=committee)

    # The expert opens the link from the invitation e-mail and sets a password.
    invitation_mail = next(m for m in mail.outbox if m.to == ["zhou@example.cn"])
    assert invitation_mail.subject == "【共创平台】请设置您在共创平台的登录密码"
    link = re.search(r"/accounts/invitation/[^\s/]+/", invitation_mail.body).group(0)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_test_id("invited-username")).to_have_text("13911112222")
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.get_by_role("button", name="设置密码并登录").click()
    expect(page.get_by_text("密码已设置，欢迎使用！")).to_be_visible()

    # The link is used up; the expert logs in with the new password and scores the work.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_test_id("invitation-invalid")).to_contain_text("此邀请链接已用于设置密码")
    browser_login(page, live_server, "zhou@example.cn", NEW_PASSWORD)
    page.goto(f"{live_server.url}/judging/queue/")
    page.get_by_label("我已阅读并接受上述承诺。").check()
    page.get_by_role("button", name="接受并继续").click()
    page.get_by_role("row", name=re.compile("家乡的四季")).get_by_role("link").click()
    expect(page.get_by_test_id("work-title")).to_have_text("家乡的四季")
    for label in ("创新性（30%）", "AI 技术应用（25%）", "完成度与实用性（25%）",
                  "表达与展示（10%）", "伦理与安全（10%）"):  # fmt: skip
        page.get_by_label(label).fill("8")
    page.get_by_role("button", name="提交评审").click()
    expect(page.get_by_text("评审已提交。")).to_be_visible()
    review = Review.objects.get(assignment__expert=expert)
    assert (review.status, review.total) == (ReviewStatus.SUBMITTED, 80.0)

    # Back on the committee's list, the invitation shows as accepted.
    page.context.clear_cookies()
    browser_login(page, live_server, "committee")
    page.goto(f"{live_server.url}/judging/experts/")
    row = page.get_by_test_id("expert-row").filter(has_text="周教授")
    expect(row.get_by_test_id("onboarding-status")).to_have_text("已接受邀请")
