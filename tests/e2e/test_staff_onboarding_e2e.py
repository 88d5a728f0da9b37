"""Playwright: staff import → invitations and a credentials sheet; the staff list's resend;
a person with a one-time password must choose their own at first login."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.accounts.test_staff_import import sheet

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
OWN_PASSWORD = "Ziji2027mima"


def test_staff_import_sheet_resend_and_first_login(
    page, live_server, browser_login, roles, units, tmp_path
):
    path = tmp_path / "工作人员.xlsx"
    path.write_bytes(sheet(
        ["exp_mail", "王专家", "", "w@example.cn", "评审专家", "", ""],
        ["exp_paper", "李专家", "", "", "评审专家", "", ""],
    ).read())  # fmt: skip

    # Import: one invitation sent, one account needs a sheet; no password on screen.
    browser_login(page, live_server, "committee")
    page.goto(f"{live_server.url}/accounts/staff/import/")
    page.set_input_files("#id_sheet", str(path))
    page.get_by_role("button", name="检查并导入").click()
    expect(page.get_by_test_id("invited-count")).to_have_text(
        "已通过邮件或短信向 1 人发送设置密码的邀请。"
    )
    expect(page.get_by_test_id("sheet-needed")).to_contain_text("1 个账号既没有邮箱也没有手机号")
    page.get_by_label("格式").select_option("xlsx")
    page.get_by_test_id("sheet-confirm").check()
    with page.expect_download() as download:
        page.get_by_test_id("sheet-download").click()
    rows = list(load_workbook(io.BytesIO(download.value.path().read_bytes())).active.values)
    assert rows[1][:3] == ("李专家", None, "exp_paper")
    one_time = rows[1][3]

    # The staff list: statuses, and resending the invitation.
    page.goto(f"{live_server.url}/accounts/staff/?pending=1")
    mail_row = page.get_by_test_id("staff-row").filter(has_text="exp_mail")
    expect(mail_row.get_by_test_id("onboarding-status")).to_have_text("邀请已发送")
    paper_row = page.get_by_test_id("staff-row").filter(has_text="exp_paper")
    expect(paper_row.get_by_test_id("onboarding-status")).to_have_text("已发放一次性密码")
    mail_row.get_by_test_id("resend-invitation").click()
    expect(page.get_by_text("已向 王专家 重新发送邀请，之前的链接已失效。")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/accounts/staff/?pending=1")

    # The person on the sheet logs in and must choose a password first.
    page.context.clear_cookies()
    browser_login(page, live_server, "exp_paper", one_time)
    expect(page.get_by_test_id("password-expired")).to_contain_text("您使用的是一次性密码登录")
    page.goto(f"{live_server.url}/judging/queue/")
    expect(page).to_have_url(
        f"{live_server.url}/accounts/password/change/?next=%2Fjudging%2Fqueue%2F"
    )
    page.fill("#id_old_password", one_time)
    page.fill("#id_new_password1", OWN_PASSWORD)
    page.fill("#id_new_password2", OWN_PASSWORD)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("密码已修改。")).to_be_visible()
    # Back to where they wanted to go: the review queue, which asks for the pledge first.
    expect(page.get_by_role("heading", name="保密承诺")).to_be_visible()
