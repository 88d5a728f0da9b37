"""Onboarding primitives: one-time passwords, invitations, the must-change rule, sheets."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook

from gongchuang.accounts.models import Invitation, User
from gongchuang.accounts.onboarding import (
    OnboardingStatus,
    credentials_issue,
    credentials_sheet_xlsx,
    credentials_slips_pdf,
    give_one_time_password,
    onboard,
    onboarding_status,
    one_time_password,
    send_invitation,
    with_invitation,
)
from gongchuang.accounts.onboarding.passwords import DIGITS, LETTERS
from gongchuang.common.models import AuditEvent
from gongchuang.notifications.models import SmsDelivery
from tests.notifications.test_sms_outbox import SENT

pytestmark = pytest.mark.django_db
BACKEND = "gongchuang.accounts.backends.UsernameEmailMobileBackend"
CHANGE_URL = "/accounts/password/change/"
NEW_PASSWORD = "Ziji2027mima"


@pytest.fixture
def newcomer(db):
    user = User.objects.create(username="zhou_expert", real_name="周教授",
                               email="zhou@example.cn", mobile="13911112222")  # fmt: skip
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def outbox_sends(django_capture_on_commit_callbacks, settings):
    """Run the outbox's after-commit sends (the test transaction never commits)."""
    settings.SMS_BACKEND = "tests.notifications.test_sms_outbox.RecordingBackend"
    SENT.clear()
    mail.outbox.clear()
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _link(body: str) -> str:
    return re.search(r"https?://[^\s]+/accounts/invitation/[^\s/]+/", body).group(0)


def _path(url: str) -> str:
    return "/accounts/" + url.split("/accounts/", 1)[1]


# --- one-time passwords ---------------------------------------------------------------------


def test_one_time_passwords_are_readable_and_never_start_with_punctuation():
    passwords = [one_time_password() for _ in range(500)]

    assert all(p[0] in LETTERS for p in passwords)
    assert all(set(p) <= set(LETTERS + DIGITS) for p in passwords)
    assert all(any(c in DIGITS for c in p) for p in passwords)
    assert not set("0o1liI_-.").intersection("".join(passwords))
    assert len(set(passwords)) == 500


def test_give_one_time_password_sets_it_flags_and_audits_without_the_password(roles, newcomer):
    password = give_one_time_password(newcomer, by=roles["committee"])

    newcomer.refresh_from_db()
    event = AuditEvent.objects.get(action="accounts.one_time_password")
    assert newcomer.check_password(password)
    assert newcomer.must_change_password is True
    assert (event.actor_id, event.object_id) == (roles["committee"].pk, str(newcomer.pk))
    assert password not in str(event.after)


def test_must_change_middleware_sends_to_change_page_until_a_password_is_chosen(
    client, roles, newcomer
):
    password = give_one_time_password(newcomer, by=roles["committee"])
    client.force_login(newcomer, backend=BACKEND)

    blocked = client.get("/accounts/dashboard/")
    htmx = client.get("/accounts/dashboard/", HTTP_HX_REQUEST="true")
    change_page = client.get(CHANGE_URL)
    changed = client.post(CHANGE_URL, {"old_password": password, "new_password1": NEW_PASSWORD,
                                       "new_password2": NEW_PASSWORD})  # fmt: skip
    after = client.get("/accounts/dashboard/")

    assert (blocked.status_code, blocked.url) == (
        302,
        f"{CHANGE_URL}?next=%2Faccounts%2Fdashboard%2F",
    )
    assert htmx.headers["HX-Redirect"] == CHANGE_URL
    assert "您使用的是一次性密码" in change_page.content.decode()
    assert changed.status_code == 302
    assert after.status_code == 200
    newcomer.refresh_from_db()
    assert newcomer.must_change_password is False


def test_a_person_who_must_change_may_still_log_out(client, roles, newcomer):
    give_one_time_password(newcomer, by=roles["committee"])
    client.force_login(newcomer, backend=BACKEND)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert not response.url.startswith(CHANGE_URL)
    assert "_auth_user_id" not in client.session


# --- invitations ----------------------------------------------------------------------------


def test_send_invitation_mails_and_texts_a_single_use_link(client, roles, newcomer, outbox_sends):
    with outbox_sends():
        invitation = send_invitation(newcomer, by=roles["committee"])

    assert invitation.channels == ["email", "sms"]
    assert [m.to for m in mail.outbox] == [["zhou@example.cn"]]
    assert mail.outbox[0].subject == "【共创平台】请设置您在共创平台的登录密码"
    link = _link(mail.outbox[0].body)
    assert link in SENT[0].text and SENT[0].phone == "13911112222"
    assert SmsDelivery.objects.get().text.count("******") >= 1  # the link is blanked once sent
    page = client.get(_path(link))
    assert "zhou_expert" in page.content.decode()

    accepted = client.post(_path(link), {"new_password1": NEW_PASSWORD,
                                         "new_password2": NEW_PASSWORD})  # fmt: skip
    again = client.get(_path(link))

    assert (accepted.status_code, accepted.url) == (302, "/accounts/dashboard/")
    assert client.session["_auth_user_id"] == str(newcomer.pk)
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert again.status_code == 410
    assert "此邀请链接已用于设置密码" in again.content.decode()
    assert onboarding_status(newcomer) == OnboardingStatus.ACCEPTED
    actions = list(
        AuditEvent.objects.filter(object_id=str(newcomer.pk)).values_list("action", flat=True)
    )
    assert {"accounts.invitation_send", "accounts.invitation_accept"} <= set(actions)
    assert not any(link.rsplit("/", 2)[-2] in str(e.after) for e in AuditEvent.objects.all())


def test_an_expired_link_says_who_to_ask(client, roles, newcomer, outbox_sends):
    with outbox_sends():
        invitation = send_invitation(newcomer, by=roles["committee"])
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    link = _path(_link(mail.outbox[0].body))
    page = client.get(link)
    refused = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    text = page.content.decode()
    assert page.status_code == 410 and refused.status_code == 410
    assert "此链接已过期" in text
    assert roles["committee"].display_name in text
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()
    assert onboarding_status(newcomer) == OnboardingStatus.EXPIRED


def test_invitations_last_the_configured_days(roles, newcomer, settings, outbox_sends):
    settings.INVITATION_VALID_DAYS = 3
    with outbox_sends():
        invitation = send_invitation(newcomer, by=roles["committee"])

    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=3)


def test_resending_invalidates_the_previous_link(client, roles, newcomer, outbox_sends):
    with outbox_sends():
        first = send_invitation(newcomer, by=roles["committee"])
        second = send_invitation(newcomer, by=roles["committee"])
    old_link, new_link = (_link(m.body) for m in mail.outbox)

    old = client.get(_path(old_link))
    new = client.get(_path(new_link))

    first.refresh_from_db()
    assert first.revoked_at is not None and second.revoked_at is None
    assert old.status_code == 410
    assert "请使用最新一条消息中的链接" in old.content.decode()
    assert new.status_code == 200


def test_an_unknown_link_is_refused(client):
    response = client.get("/accounts/invitation/not-a-real-token/")

    assert response.status_code == 404
    assert "此链接无效" in response.content.decode()


def test_the_link_page_applies_the_password_rules(client, roles, newcomer, outbox_sends):
    with outbox_sends():
        send_invitation(newcomer, by=roles["committee"])

    response = client.post(_path(_link(mail.outbox[0].body)),
                           {"new_password1": "abcdefgh", "new_password2": "abcdefgh"})  # fmt: skip

    assert response.status_code == 200
    assert "密码必须同时包含字母和数字" in response.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


# --- onboard and the sheet ------------------------------------------------------------------


def test_onboard_invites_those_with_contacts_and_lists_the_others_for_a_sheet(
    roles, newcomer, outbox_sends
):
    paper = User.objects.create(username="no_contact", real_name="王同学")
    signed_in = User.objects.create(username="old_hand", email="old@example.cn",
                                    last_login=timezone.now())  # fmt: skip

    with outbox_sends():
        result = onboard([newcomer, paper, signed_in], by=roles["committee"])

    assert result.invited == [newcomer]
    assert result.needs_sheet == [paper]
    assert result.skipped == [signed_in]
    assert Invitation.objects.filter(user=paper).count() == 0
    listed = {u.username: onboarding_status(u) for u in with_invitation(User.objects.all())}
    assert listed["zhou_expert"] == OnboardingStatus.SENT
    assert listed["no_contact"] == OnboardingStatus.NOT_INVITED
    assert listed["old_hand"] == OnboardingStatus.SIGNED_IN


def test_a_sheet_reissues_passwords_so_earlier_sheets_stop_working(roles, settings):
    settings.SITE_URL = "https://gongchuang.example.cn"
    paper = User.objects.create(username="no_contact", real_name="王同学")

    first = credentials_issue([paper], by=roles["committee"])
    second = credentials_issue([paper], by=roles["committee"])

    paper.refresh_from_db()
    assert first[0].password != second[0].password
    assert not paper.check_password(first[0].password)
    assert paper.check_password(second[0].password)
    assert second[0].login_url == "https://gongchuang.example.cn/accounts/login/"
    assert onboarding_status(paper) == OnboardingStatus.SHEET
    sheet = load_workbook(io.BytesIO(credentials_sheet_xlsx(second))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "学校/单位", "用户名", "一次性密码", "登录网址", "说明")
    login = "https://gongchuang.example.cn/accounts/login/"
    assert rows[1] == (
        "王同学",
        None,
        "no_contact",
        second[0].password,
        login,
        "首次登录须修改密码",
    )


def test_a_sheet_leaves_out_accounts_that_signed_in(roles):
    signed_in = User.objects.create(username="old_hand", last_login=timezone.now())

    assert credentials_issue([signed_in], by=roles["committee"]) == []


def test_the_slips_pdf_embeds_its_fonts(roles, tmp_path):
    from tests.common.test_pdf_fonts import assert_all_embedded

    people = [User.objects.create(username=f"paper{i}", real_name="王喆堃") for i in range(11)]
    rows = credentials_issue(people, by=roles["committee"])

    data = credentials_slips_pdf(rows)

    assert data.startswith(b"%PDF")
    assert data.count(b"/Type /Page\n") == 2  # ten slips a page
    assert assert_all_embedded(data, tmp_path) == ["NotoSansSC-Bold", "NotoSansSC-Regular"]


def test_a_password_an_administrator_sets_for_someone_else_must_be_changed(client, roles):
    client.force_login(roles["committee"], backend=BACKEND)

    client.post(f"/admin/accounts/user/{roles['expert'].pk}/password/",
                {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})  # fmt: skip
    added = client.post("/admin/accounts/user/add/", {
        "username": "admin_made", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
        "usable_password": "true", "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    })  # fmt: skip

    assert added.status_code == 302

    assert User.objects.get(pk=roles["expert"].pk).must_change_password is True
    assert User.objects.get(username="admin_made").must_change_password is True
