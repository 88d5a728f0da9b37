"""What the form fuzzer (``test_fuzz_every_form``) found, each pinned by a plain test.

Several of these only failed on PostgreSQL, which refuses NUL bytes in text and values longer
than a column; run them there too (see docs/security.md).
"""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongchuang.judging import services as judging
from gongchuang.portal import services as portal
from gongchuang.publicity.services import objection_file
from tests.factories import people
from tests.publicity.helpers import finalist, published

from ._fuzz import logged_in

pytestmark = pytest.mark.django_db
NUL = "a\x00b"


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("NaN", "/manage/notices/"),  # was NoReverseMatch: redirect() took it for a URL name
        ("[]", "/manage/notices/"),
        ("//evil.example/", "/manage/notices/"),
        ("/notices/", "/notices/"),
    ],
)
def test_notice_action_goes_back_only_to_a_path_of_ours(roles, edition, next_url, expected):
    notice = portal.notice_save(actor=roles["committee"], edition=edition, title="t", body="b")
    url = reverse("portal:notice_action", args=[notice.pk, "pin"])
    response = logged_in(roles["committee"]).post(url, {"next": next_url})
    assert (response.status_code, response["Location"]) == (302, expected)


def test_two_factor_verify_ignores_a_next_that_is_not_a_path(client, roles, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = TOTPDevice.objects.create(user=roles["organizer"], name="a", confirmed=True)
    client.post(reverse("accounts:login"), {"username": "org_hd", "password": people.PASSWORD})
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    response = client.post(reverse("accounts:two_factor_verify"), {"token": token, "next": "abc"})
    assert (response.status_code, response["Location"]) == (302, "/accounts/dashboard/")


def test_certificate_check_refuses_codes_that_are_not_letters_and_digits(client, db):
    url = reverse("finals:verify_form")
    response = client.get(url, {"code": "1<svg/onload=x>"})  # was NoReverseMatch on the "/"
    assert response.status_code == 200
    assert "验证码只包含字母和数字。" in response.content.decode()
    response = client.get(url, {"code": " abc23 "})
    assert (response.status_code, response["Location"]) == (302, "/final/verify/ABC23/")


def test_login_with_an_overlong_account_name_is_a_form_error(client, db):
    """Was a 500 on PostgreSQL: the failed-login record keeps at most 255 characters."""
    response = client.post(reverse("accounts:login"), {"username": "A" * 10_000, "password": "x"})
    assert response.status_code == 200
    assert "确保该变量包含不超过 254 字符" in response.content.decode()
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize("name", ["portal:results", "portal:guide"])
def test_public_pages_with_a_nul_in_the_edition_are_not_found(client, edition, name):
    assert client.get(reverse(name), {"edition": NUL}).status_code == 404


def test_reports_with_a_nul_in_the_edition_are_not_found(roles, edition):
    response = logged_in(roles["committee"]).get(reverse("reports:dashboard"), {"edition": NUL})
    assert response.status_code == 404


def test_objection_queue_with_an_unknown_state_lists_nothing(roles, units, edition):
    work = finalist(edition, roles["student"], roles["committee"])
    entry = published(edition, [work], roles["committee"]).entries.get()
    objection_file(
        entry=entry, objector=roles["student_b"], contact="13900000000",
        reason="该作品与往届获奖作品高度相似，请组委会核查原创性。" * 2,
    )  # fmt: skip
    committee, url = logged_in(roles["committee"]), reverse("publicity:objection_queue")
    assert len(committee.get(url, {"state": "received"}).context["page_obj"]) == 1
    for state in (NUL, "nonsense"):
        response = committee.get(url, {"state": state})
        assert response.status_code == 200
        assert len(response.context["page_obj"]) == 0


def test_student_lookup_with_a_nul_finds_nobody(roles):
    response = logged_in(roles["organizer"]).get(reverse("accounts:student_lookup"), {"q": NUL})
    assert response.status_code == 200
    assert response.context["rows"] == []


BIG = "99999999999999999999"  # past 64 bits: SQLite could not even bind it (OverflowError)


@pytest.mark.parametrize(
    ("role", "name", "data", "back"),
    [
        ("committee", "screening:city_bulk", {"decision": "qualify", "works": [BIG]},
         "/screening/city/"),
        ("organizer", "screening:unit_bulk", {"decision": "recommend", "works": [BIG]},
         "/screening/unit/"),
    ],
)  # fmt: skip
def test_bulk_decisions_on_ids_past_64_bits_are_a_form_error(
    roles, edition, role, name, data, back
):
    response = logged_in(roles[role]).post(reverse(name), data, follow=True)
    assert response.redirect_chain == [(back, 302)]
    assert f"“{BIG}”不是一个有效的值" in response.content.decode()


def test_reminders_and_jury_members_with_ids_past_64_bits_change_nothing(roles, edition):
    from tests.judging.helpers import expert

    committee = roles["committee"]
    member = expert(committee=committee)
    jury = judging.jury_create(
        edition=edition, category=edition.categories.get(code="ai_art"), members=[member],
        actor=committee, k=1,
    )  # fmt: skip
    client = logged_in(committee)
    url = reverse("judging:jury_members", args=[jury.pk])
    response = client.post(url, {"members": [BIG]})
    assert (response.status_code, response["Location"]) == (302, f"/judging/juries/{jury.pk}/")
    assert list(jury.members.all()) == [member]
    response = client.post(reverse("screening:city_remind"), {"units": [BIG]})
    assert (response.status_code, response["Location"]) == (302, "/screening/city/progress/")
