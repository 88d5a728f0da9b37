"""A staff member whose password is too old must change it before working (等保)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongchuang.accounts.models import User
from gongchuang.common.models import AuditEvent
from tests.factories import people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_expired_organizer_is_made_to_change_password_then_works_on(
    page, live_server, roles, browser_login
):
    organizer = roles["organizer"]
    User.objects.filter(pk=organizer.pk).update(
        password_changed_at=timezone.now() - datetime.timedelta(days=91)
    )

    browser_login(page, live_server, "org_hd")

    page.wait_for_url("**/accounts/password/change/?next=%2Faccounts%2Fdashboard%2F")
    assert page.get_by_test_id("password-expired").inner_text() == (
        "您的密码已超过 90 天未修改。为保障账号安全，请先修改密码再继续使用。"
    )
    page.goto(f"{live_server.url}/accounts/students/lookup/")  # any other page: sent back
    assert "/accounts/password/change/" in page.url

    # The old password again is refused.
    page.fill("#id_old_password", people.PASSWORD)
    page.fill("#id_new_password1", people.PASSWORD)
    page.fill("#id_new_password2", people.PASSWORD)
    page.get_by_role("button", name="保存").click()
    error = page.locator("#field-new_password2 .error").inner_text()
    assert error == "新密码不能与最近使用过的 5 个密码相同，请换一个新密码。"

    page.fill("#id_old_password", people.PASSWORD)
    page.fill("#id_new_password1", "Xinmima2027")
    page.fill("#id_new_password2", "Xinmima2027")
    page.get_by_role("button", name="保存").click()

    page.wait_for_url("**/accounts/students/lookup/")
    expect(page.locator(".messages")).to_contain_text("密码已修改。", use_inner_text=True)
    page.goto(f"{live_server.url}/accounts/dashboard/")
    assert page.url.endswith("/accounts/dashboard/")
    assert AuditEvent.objects.filter(action="auth.password_change", actor=organizer).count() == 1
