"""The committee's API token page: create (shown once), list, revoke."""

import pytest
from django.urls import reverse

from gongchuang.reports.calculations import token_hash
from gongchuang.reports.models import ApiToken

pytestmark = pytest.mark.django_db


def test_committee_creates_a_token_shown_once_and_revokes_it(client, edition, roles):
    client.force_login(roles["committee"])
    response = client.post(
        reverse("reports:tokens"), {"user": roles["organizer"].pk, "name": "海淀区系统对接"}
    )
    page = response.content.decode()
    assert "请立即复制令牌" in page
    token = ApiToken.objects.get()
    raw = response.context["new_token"]
    assert raw in page and token_hash(raw) == token.key_hash
    again = client.get(reverse("reports:tokens")).content.decode()
    assert raw not in again and "海淀区系统对接" in again
    client.post(reverse("reports:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/editions", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_token_form_offers_only_staff_accounts(client, edition, roles):
    client.force_login(roles["committee"])
    form = client.get(reverse("reports:tokens")).context["form"]
    users = set(form.fields["user"].queryset)
    assert roles["organizer"] in users and roles["committee"] in users
    assert roles["student"] not in users and roles["expert"] not in users


def test_token_page_is_committee_only(client, edition, roles):
    client.force_login(roles["organizer"])
    assert client.get(reverse("reports:tokens")).status_code == 403
