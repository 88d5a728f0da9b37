import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import people

BACKEND = "gongchuang.accounts.backends.UsernameEmailMobileBackend"
pytestmark = pytest.mark.django_db


def _age_session(client, seconds):
    session = client.session
    session["last_activity"] = int(time.time()) - seconds
    session.save()


def test_staff_logged_out_after_idle_period(client, roles, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 1800
    client.force_login(roles["organizer"], backend=BACKEND)
    assert client.get("/accounts/dashboard/").status_code == 200
    _age_session(client, 1801)

    response = client.get("/accounts/dashboard/", follow=True)

    assert response.redirect_chain[0][0].startswith("/accounts/login/?next=/accounts/dashboard/")
    assert "由于长时间未操作，您已退出登录" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_active_within_idle_period_stays_logged_in(client, roles):
    client.force_login(roles["committee"], backend=BACKEND)
    client.get("/accounts/dashboard/")
    _age_session(client, 1700)
    assert client.get("/accounts/dashboard/").status_code == 200


def test_students_are_not_subject_to_the_staff_idle_limit(client, roles):
    client.force_login(roles["student"], backend=BACKEND)
    client.get("/accounts/dashboard/")
    _age_session(client, 4 * 3600)
    assert client.get("/accounts/dashboard/").status_code == 200


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1", "密码长度太短"),
        ("abcdefghij", "必须同时包含字母和数字"),
        ("1234567890", "必须同时包含字母和数字"),
        ("password1", "这个密码太常见了"),
    ],
)
def test_password_rules_refuse_in_chinese(password, message):
    with pytest.raises(ValidationError) as exc:
        validate_password(password)
    assert any(message in m for m in exc.value.messages)


def test_password_with_letters_and_digits_is_accepted():
    assert validate_password("Gongchuang2026x") is None


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one(client, roles):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "student_a", "password": "Wrong0000"})
    response = client.post(
        "/accounts/login/", {"username": "student_a", "password": people.PASSWORD}
    )
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
