"""Chinese first (issue 20): the interface language is the person's choice (the language
cookie, the account's stored choice applied on signing in), else Chinese — never the
browser's Accept-Language."""

import pytest
from django.conf import settings
from django.urls import reverse

from gongchuang.common.audit import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
ZH = '<html lang="zh-CN">'
EN = '<html lang="en">'


def test_a_browser_preferring_english_gets_chinese(client, edition):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert ZH in body
    assert "登录" in body
    assert response["Content-Language"] == "zh-hans"
    assert "Accept-Language" not in response.get("Vary", "")


def test_the_language_cookie_is_honoured(client, edition):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert EN in body
    assert "Log in" in body


def test_an_unknown_cookie_value_falls_back_to_chinese(client, edition):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert ZH in client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_the_switch_stores_the_choice_on_the_account_and_in_the_cookie(client, roles):
    student = roles["student"]
    client.force_login(student)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    student.refresh_from_db()
    assert student.language == "en"
    event = AuditEvent.objects.get(action="account.language")
    assert (event.before, event.after) == ({"language": ""}, {"language": "en"})


def test_the_switch_works_without_an_account(client, edition):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert not AuditEvent.objects.filter(action="account.language").exists()


def test_an_unsupported_language_is_not_stored(client, roles):
    client.force_login(roles["student"])
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    roles["student"].refresh_from_db()
    assert roles["student"].language == ""


def test_signing_in_applies_the_accounts_choice(client, roles):
    student = roles["student"]
    student.language = "en"
    student.save(update_fields=["language"])
    response = client.post(
        reverse("accounts:login"),
        {"username": student.username, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="zh-CN",
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert EN in client.get("/").content.decode()


def test_signing_in_without_a_choice_keeps_chinese(client, roles):
    response = client.post(
        reverse("accounts:login"),
        {"username": roles["student"].username, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert ZH in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
