"""Whole public pages are shared by anonymous visitors, each with their own CSRF token."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gongchuang.portal.cache import CSRF_PLACEHOLDER, _shareable

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.mark.parametrize("path", ["/", "/showcase/", "/results/"])
def test_second_visitor_gets_the_cached_page_with_a_token_of_their_own(edition, path, settings):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    one = first.get(path)
    with CaptureQueriesContext(connection) as queries:
        two = second.get(path)
    assert two.status_code == 200
    shared = [q["sql"] for q in queries if "gongchuang_cache" in q["sql"]]
    page = [q["sql"] for q in queries if "gongchuang_cache" not in q["sql"]]
    assert len(page) <= 1, page  # no render, no page queries (the results' publication moment)
    # One read of the shared cache: the portal's generation (in Redis when REDIS_URL is set).
    assert len(shared) == (
        1 if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache") else 0
    )
    assert CSRF_PLACEHOLDER not in two.content.decode()
    token_one, token_two = (TOKEN.search(r.content.decode()).group(1) for r in (one, two))
    assert token_one != token_two
    # The served token is valid for the second visitor's own cookie: the language switch works.
    switched = second.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token_two})
    assert switched.status_code == 302
    assert second.post("/i18n/setlang/", {"language": "en"}).status_code == 403


def test_logged_in_people_get_their_own_page(client, edition, roles):
    Client().get("/")  # cached for anonymous visitors
    client.force_login(roles["student"])
    page = client.get("/").content.decode()
    assert roles["student"].display_name in page and "退出" in page


def test_a_visitor_with_a_message_waiting_sees_it(edition, rf):
    Client().get("/")
    visitor = Client()
    storage = CookieStorage(rf.get("/"))
    visitor.cookies["messages"] = storage._encode([Message(constants.INFO, "请查收邮件")])
    assert "请查收邮件" in visitor.get("/").content.decode()


def test_a_page_with_a_second_token_or_a_cookie_is_never_shared():
    page = (
        '<body hx-headers=\'{"X-CSRFToken": "aaa"}\'><input name="csrfmiddlewaretoken" value="bbb">'
    )
    assert _shareable(HttpResponse(page)) is None
    with_cookie = HttpResponse("<p>hi</p>")
    with_cookie.set_cookie("x", "1")
    assert _shareable(with_cookie) is None
    body, _headers = _shareable(HttpResponse(page.replace("bbb", "aaa")))
    assert b"aaa" not in body and body.count(CSRF_PLACEHOLDER.encode()) == 2
