"""The demo fills the expert and staff lists with every invitation status."""

import io

import pytest
from django.core.management import call_command

from gongchuang.accounts.models import User
from gongchuang.accounts.onboarding import onboarding_status

pytestmark = pytest.mark.django_db


def test_demo_shows_invitations_accepted_pending_expired_and_a_sheet_case(client):
    call_command("seed_demo", stdout=io.StringIO())

    status = {
        u.real_name: onboarding_status(u).label
        for u in User.objects.filter(
            real_name__in=["谢教授", "林博士", "何老师", "马老师", "高主任"]
        )
    }
    client.force_login(User.objects.get(username="committee"))
    experts = client.get("/judging/experts/").content.decode()
    staff = client.get("/accounts/staff/?pending=1").content.decode()

    assert status == {"谢教授": "已接受邀请", "林博士": "邀请已发送", "何老师": "邀请已过期",
                      "马老师": "尚未邀请", "高主任": "邀请已发送"}  # fmt: skip
    assert "邀请已过期" in experts and "已接受邀请" in experts
    assert "重新发送邀请" in experts
    assert "马老师" in staff and "（无邮箱和手机号）" in staff
