"""Lockout by username + address, per-address limits, and the client address behind the proxy."""

import pytest
from django.test import RequestFactory

from gongchuang.common.middleware import client_ip
from tests.factories import people

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _fail_five_times(client, username, **meta):
    answers = [
        client.post(LOGIN, {"username": username, "password": "Wrong0000"}, **meta).status_code
        for _ in range(5)
    ]
    assert answers == [200, 200, 200, 200, 429]  # the fifth failure locks


def test_a_lock_at_one_address_does_not_lock_the_account_at_another(client, roles):
    _fail_five_times(client, "student_a", REMOTE_ADDR="10.0.0.1")

    right = {"username": "student_a", "password": people.PASSWORD}
    locked = client.post(LOGIN, right, REMOTE_ADDR="10.0.0.1")
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "账号已暂时锁定" in body
    assert "此账号在您所在的网络上已锁定 30 分钟" in body
    assert "学生和教师：请向学校负责老师求助。" in body
    assert "组织者：请联系组委会。" in body
    assert 'href="/accounts/password/reset/"' in body
    assert "_auth_user_id" not in client.session

    elsewhere = client.post(LOGIN, right, REMOTE_ADDR="10.0.0.2")
    assert elsewhere.status_code == 302
    assert client.session["_auth_user_id"] == str(roles["student"].pk)


def test_behind_the_proxy_the_forwarded_address_is_locked(client, roles, settings):
    settings.TRUST_X_FORWARDED_FOR = True
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    _fail_five_times(client, "student_a", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)

    right = {"username": "student_a", "password": people.PASSWORD}
    assert (
        client.post(LOGIN, right, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 429
    )
    assert (
        client.post(LOGIN, right, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy).status_code == 302
    )


def test_a_forwarded_header_from_outside_the_proxy_is_ignored(client, roles, settings):
    """A client talking to the app directly cannot dodge its lock by inventing addresses."""
    settings.TRUST_X_FORWARDED_FOR = True
    for n in range(5):
        client.post(
            LOGIN,
            {"username": "student_a", "password": "Wrong0000"},
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    response = client.post(
        LOGIN,
        {"username": "student_a", "password": people.PASSWORD},
        REMOTE_ADDR="203.0.113.5",
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("trust", "remote", "forwarded", "expected"),
    [
        (True, "127.0.0.1", "198.51.100.7", "198.51.100.7"),
        (True, "127.0.0.1", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the proxy's own hop
        (True, "203.0.113.5", "198.51.100.7", "203.0.113.5"),  # not our proxy
        (False, "127.0.0.1", "198.51.100.7", "127.0.0.1"),  # no proxy configured
        (True, "127.0.0.1", "", "127.0.0.1"),
    ],
)
def test_client_ip(settings, trust, remote, forwarded, expected):
    settings.TRUST_X_FORWARDED_FOR = trust
    settings.SECURE_PROXY_SSL_HEADER = None
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_login_attempts_past_the_per_address_limit_get_429_in_chinese(client, roles, settings):
    settings.LOGIN_RATE_LIMIT_PER_IP = 3
    wrong = {"username": "nobody", "password": "Wrong0000"}
    for _ in range(3):
        assert client.post(LOGIN, wrong, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get(LOGIN, REMOTE_ADDR="10.0.0.1").status_code == 200  # pages are not counted

    right = {"username": "student_a", "password": people.PASSWORD}
    limited = client.post(LOGIN, right, REMOTE_ADDR="10.0.0.1")
    assert limited.status_code == 429
    assert "短时间内来自您所在网络的尝试次数过多" in limited.content.decode()
    assert 0 < int(limited["Retry-After"]) <= settings.LOGIN_RATE_LIMIT_WINDOW_SECONDS
    assert "_auth_user_id" not in client.session
    assert client.post(LOGIN, right, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_registration_past_the_per_address_limit_gets_429(client, units, settings):
    settings.REGISTRATION_RATE_LIMIT_PER_IP = 2
    url = "/accounts/register/teacher/"
    for _ in range(2):
        assert client.post(url, {"username": "x"}, REMOTE_ADDR="10.0.0.1").status_code == 200
    response = client.post(url, {"username": "x"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert "尝试次数过多" in response.content.decode()
    assert client.post(url, {"username": "x"}, REMOTE_ADDR="10.0.0.3").status_code == 200
