"""Onboarding pages: staff import result, staff list, resend, credentials sheet."""

import io

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from gongchuang.accounts.enums import Role
from gongchuang.accounts.models import Invitation, User
from gongchuang.accounts.services import membership_grant
from gongchuang.common.models import AuditEvent
from tests.accounts.test_staff_import import sheet

pytestmark = pytest.mark.django_db
BACKEND = "gongchuang.accounts.backends.UsernameEmailMobileBackend"
SHEET_URL = "/accounts/credentials-sheet/"


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _new_staff(username, *, email="", mobile="", role=Role.EXPERT):
    user = User.objects.create_user(username=username, password=None, real_name=username,
                                    email=email, mobile=mobile)  # fmt: skip
    membership_grant(user=user, role=role)
    return user


def _signed_in(user):
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())


@pytest.fixture
def committee_client(client, roles):
    client.force_login(roles["committee"], backend=BACKEND)
    return client


def test_staff_import_invites_and_offers_a_sheet_instead_of_showing_passwords(
    committee_client, units
):
    response = committee_client.post("/accounts/staff/import/", {"sheet": sheet(
        ["hd_org2", "海淀二号", "13800001111", "", "区级组织单位管理员", "HD", ""],
        ["exp_mail", "王专家", "", "w@example.cn", "评审专家", "", ""],
        ["exp_paper", "李专家", "", "", "评审专家", "", ""],
    )})  # fmt: skip

    html = response.content.decode()
    created = User.objects.filter(username__in=["hd_org2", "exp_mail", "exp_paper"])
    assert not any(u.has_usable_password() for u in created)
    assert "初始密码" not in html
    assert "已通过邮件或短信向 2 人发送设置密码的邀请。" in html
    assert "1 个账号既没有邮箱也没有手机号" in html
    paper = User.objects.get(username="exp_paper")
    assert f'name="user" value="{paper.pk}"' in html
    assert set(Invitation.objects.values_list("user__username", flat=True)) == {
        "hd_org2",
        "exp_mail",
    }


def test_staff_list_shows_each_status(committee_client, roles, django_assert_max_num_queries):
    _signed_in(roles["organizer"])
    _new_staff("paper")
    invited = _new_staff("invited", email="i@example.cn")
    committee_client.post(f"/accounts/invitation/resend/{invited.pk}/")

    with django_assert_max_num_queries(12):
        response = committee_client.get("/accounts/staff/?pending=1")

    rows = {r["person"].username: r for r in response.context["rows"]}
    assert rows["invited"]["status"].label == "邀请已发送"
    assert rows["paper"]["status"].label == "尚未邀请"
    assert rows["paper"]["can_invite"] is True
    assert roles["organizer"].username not in rows  # signed in: not pending


def test_staff_list_queries_do_not_grow_with_rows(committee_client):
    for i in range(3):
        _new_staff(f"few{i}", email=f"few{i}@example.cn")
    committee_client.get("/accounts/staff/")

    with CaptureQueriesContext(connection) as few:
        committee_client.get("/accounts/staff/")
    for i in range(20):
        _new_staff(f"many{i}", email=f"many{i}@example.cn")
    with CaptureQueriesContext(connection) as many:
        committee_client.get("/accounts/staff/")

    assert len(many) == len(few)


def test_only_the_committee_sees_the_staff_list(client, roles):
    client.force_login(roles["organizer"], backend=BACKEND)

    assert client.get("/accounts/staff/").status_code == 403


def test_resend_replaces_the_link_and_returns_to_the_list(committee_client, roles):
    person = _new_staff("invitee", email="i@example.cn")
    committee_client.post(f"/accounts/invitation/resend/{person.pk}/")

    response = committee_client.post(
        f"/accounts/invitation/resend/{person.pk}/", {"next": "/accounts/staff/?pending=1"}
    )

    assert (response.status_code, response.url) == (302, "/accounts/staff/?pending=1")
    assert _messages(response)[-1] == "已向 invitee 重新发送邀请，之前的链接已失效。"
    first, second = Invitation.objects.filter(user=person).order_by("created_at", "pk")
    assert first.revoked_at is not None and second.revoked_at is None
    assert AuditEvent.objects.filter(action="accounts.invitation_send").count() == 2


def test_resend_refuses_an_account_that_signed_in_and_non_committee(client, roles):
    person = _new_staff("invitee", email="i@example.cn")
    _signed_in(roles["expert"])
    client.force_login(roles["committee"], backend=BACKEND)
    in_use = client.post(f"/accounts/invitation/resend/{roles['expert'].pk}/")
    client.force_login(roles["organizer"], backend=BACKEND)
    by_organizer = client.post(f"/accounts/invitation/resend/{person.pk}/")
    get = client.get(f"/accounts/invitation/resend/{person.pk}/")

    assert in_use.status_code == 403
    assert by_organizer.status_code == 403
    assert get.status_code == 405
    assert not Invitation.objects.exists()


def test_a_sheet_needs_confirmation(committee_client):
    paper = _new_staff("paper")

    response = committee_client.post(SHEET_URL, {"user": [paper.pk], "fmt": "xlsx"})

    assert response.status_code == 302
    assert _messages(response) == ["请确认将重新生成一次性密码。"]
    paper.refresh_from_db()
    assert not paper.has_usable_password()


def test_a_sheet_download_issues_one_time_passwords(committee_client):
    paper = _new_staff("paper")

    response = committee_client.post(
        SHEET_URL, {"user": [paper.pk], "fmt": "xlsx", "confirm": "on"}
    )

    book = load_workbook(io.BytesIO(response.content)).active
    rows = list(book.iter_rows(values_only=True))
    paper.refresh_from_db()
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == "no-store"
    assert rows[1][2] == "paper"
    assert paper.check_password(rows[1][3])
    assert paper.must_change_password is True


def test_a_sheet_as_pdf(committee_client):
    paper = _new_staff("paper")

    response = committee_client.post(SHEET_URL, {"user": [paper.pk], "fmt": "pdf", "confirm": "on"})

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_sheet_with_an_account_in_use_issues_nothing(committee_client, roles):
    paper = _new_staff("paper")
    _signed_in(roles["teacher"])

    response = committee_client.post(
        SHEET_URL, {"user": [paper.pk, roles["teacher"].pk], "fmt": "pdf", "confirm": "on"}
    )

    assert response.status_code == 302
    assert _messages(response) == [
        "账号单只能为您负责的、尚未登录过的账号生成。本次未生成任何密码。"
    ]
    paper.refresh_from_db()
    assert not paper.has_usable_password()
    assert not AuditEvent.objects.filter(action="accounts.one_time_password").exists()


def test_staff_print_sheets_only_for_the_people_they_look_after(client, roles):
    """A district organiser prints sheets for the coordinators and teachers of its schools
    (accounts.helpdesk), never for staff the committee created elsewhere; students and
    experts print none."""
    paper = _new_staff("paper")
    client.force_login(roles["organizer"], backend=BACKEND)

    refused = client.post(SHEET_URL, {"user": [paper.pk], "fmt": "pdf", "confirm": "on"})

    assert refused.status_code == 302  # back to the list with the reason, nothing issued
    paper.refresh_from_db()
    assert not paper.has_usable_password() and not paper.must_change_password
    for name in ("student", "expert"):
        client.force_login(roles[name], backend=BACKEND)
        answer = client.post(SHEET_URL, {"user": [paper.pk], "fmt": "pdf", "confirm": "on"})
        assert answer.status_code == 403


def test_the_login_of_a_sheet_user_must_change_the_password(client, committee_client):
    paper = _new_staff("paper")
    response = committee_client.post(
        SHEET_URL, {"user": [paper.pk], "fmt": "xlsx", "confirm": "on"}
    )
    password = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))[
        1
    ][3]
    committee_client.logout()

    client.post("/accounts/login/", {"username": "paper", "password": password})
    page = client.get("/accounts/dashboard/")

    assert page.status_code == 302
    assert page.url.startswith("/accounts/password/change/")
    assert timezone.now() - User.objects.get(pk=paper.pk).last_login < timezone.timedelta(minutes=1)
