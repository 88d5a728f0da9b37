"""Demo: people created by the committee and let in by invitation (accounts.onboarding).

The expert list (/judging/experts/) and the staff list (/accounts/staff/) show every
status: an invitation accepted, one still open, one expired, and a coordinator with no
e-mail or mobile who needs a credentials sheet.
"""

import datetime

from django.utils import timezone

from gongchuang.accounts.enums import Role
from gongchuang.accounts.models import Invitation, School, Unit, User
from gongchuang.accounts.onboarding import invitation_accept, onboard, send_invitation
from gongchuang.accounts.services import membership_grant
from gongchuang.judging import services as judging

from .accounts import DEMO_PASSWORD

# name, mobile, organisation, expertise, what happens to the invitation
INVITED_EXPERTS = [
    ("谢教授", "13900009001", "北京示范大学", "机器学习 数字艺术", "accepted"),
    ("林博士", "13900009002", "北京人工智能研究院", "语音合成 音乐生成", "sent"),
    ("何老师", "13900009003", "北京市西城区青少年科技馆", "创意编程 科普", "expired"),
]


def seed_invitations(demo) -> None:
    committee = demo.users["committee"]
    for name, mobile, organisation, expertise, fate in INVITED_EXPERTS:
        if User.objects.filter(mobile=mobile).exists():
            continue
        expert = judging.expert_upsert(
            real_name=name, mobile=mobile, email=f"expert{mobile[-4:]}@demo.gongchuang.local",
            organisation=organisation, expertise=expertise, categories=["ai_art"], levels=[],
            max_load=20, actor=committee,
        )  # fmt: skip
        onboard([expert], by=committee)
        invitation = Invitation.objects.filter(user=expert).latest("created_at")
        if fate == "accepted":
            invitation_accept(invitation=invitation, password=DEMO_PASSWORD)
            User.objects.filter(pk=expert.pk).update(last_login=demo.now)
        elif fate == "expired":  # sent nine days ago, valid for seven
            sent = timezone.now() - datetime.timedelta(days=9)
            Invitation.objects.filter(pk=invitation.pk).update(
                created_at=sent, expires_at=sent + datetime.timedelta(days=7)
            )
    _staff_without_contacts(committee)
    _organiser_invited(committee)


def _staff_without_contacts(committee) -> None:
    """A coordinator with neither e-mail nor mobile: the staff list offers a sheet."""
    if User.objects.filter(username="xc_coordinator").exists():
        return
    user = User.objects.create_user(username="xc_coordinator", password=None, real_name="马老师")
    school = School.objects.get(name="北京市西城区青少年科技馆")
    membership_grant(user=user, role=Role.SCHOOL_COORDINATOR, unit=school.unit, school=school,
                     actor=committee)  # fmt: skip
    onboard([user], by=committee)


def _organiser_invited(committee) -> None:
    """An organiser invited twice (the first link was replaced by the resend)."""
    if User.objects.filter(username="cy_organizer2").exists():
        return
    user = User.objects.create_user(username="cy_organizer2", password=None, real_name="高主任",
                                    email="cy_organizer2@demo.gongchuang.local")  # fmt: skip
    membership_grant(user=user, role=Role.UNIT_ORGANIZER, unit=Unit.objects.get(code="CY"),
                     actor=committee)  # fmt: skip
    onboard([user], by=committee)
    send_invitation(user, by=committee)
