"""Password maximum age for staff and password history for everyone (等保 身份鉴别)."""

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from gongchuang.accounts.models import PasswordHistory, User
from gongchuang.common.models import AuditEvent
from tests.factories import people

BACKEND = "gongchuang.accounts.backends.UsernameEmailMobileBackend"
CHANGE_URL = "/accounts/password/change/"
EXPIRED_MESSAGE = "您的密码已超过 90 天未修改。为保障账号安全，请先修改密码再继续使用。"
REUSED_MESSAGE = "新密码不能与最近使用过的 5 个密码相同，请换一个新密码。"
NEW_PASSWORD = "Xinmima2027"
pytestmark = pytest.mark.django_db


def _age_password(user, days):
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - datetime.timedelta(days=days)
    )


def _change(client, old, new, **extra):
    return client.post(
        CHANGE_URL,
        {"old_password": old, "new_password1": new, "new_password2": new, **extra},
    )


@pytest.mark.parametrize("role", ["coordinator", "organizer", "committee", "expert"])
def test_staff_with_expired_password_is_sent_to_the_change_page_with_a_message(
    client, roles, settings, role
):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    _age_password(roles[role], 91)
    client.force_login(roles[role], backend=BACKEND)

    response = client.get("/accounts/dashboard/")
    page = client.get(response.url)

    assert response.status_code == 302
    assert response.url == f"{CHANGE_URL}?next=%2Faccounts%2Fdashboard%2F"
    assert EXPIRED_MESSAGE in page.content.decode()


def test_superuser_without_any_role_is_forced_too(client, roles):
    admin = User.objects.create_superuser("root", "root@example.cn", people.PASSWORD)
    _age_password(admin, 91)
    client.force_login(admin, backend=BACKEND)

    assert client.get("/admin/").url == f"{CHANGE_URL}?next=%2Fadmin%2F"


def test_expired_staff_changes_password_then_proceeds_and_the_change_is_audited(client, roles):
    organizer = roles["organizer"]
    _age_password(organizer, 120)
    client.force_login(organizer, backend=BACKEND)

    response = _change(client, people.PASSWORD, NEW_PASSWORD, next="/reports/")

    assert response.status_code == 302
    assert response.url == "/reports/"
    assert client.get("/accounts/dashboard/").status_code == 200
    organizer.refresh_from_db()
    assert timezone.now() - organizer.password_changed_at < datetime.timedelta(minutes=1)
    assert organizer.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="auth.password_change")
    assert (event.actor, event.object_id, event.after) == (
        organizer,
        str(organizer.pk),
        {"how": "self"},
    )
    assert NEW_PASSWORD not in str(event.after) + event.object_repr


def test_next_pointing_to_another_site_is_ignored(client, roles):
    client.force_login(roles["organizer"], backend=BACKEND)

    response = _change(client, people.PASSWORD, NEW_PASSWORD, next="https://evil.example/")

    assert response.url == "/accounts/dashboard/"


def test_password_just_within_the_maximum_age_is_not_forced(client, roles):
    _age_password(roles["organizer"], 89)
    client.force_login(roles["organizer"], backend=BACKEND)

    assert client.get("/accounts/dashboard/").status_code == 200
    assert EXPIRED_MESSAGE not in client.get(CHANGE_URL).content.decode()


@pytest.mark.parametrize("role", ["student", "teacher"])
def test_students_and_teachers_are_never_forced(client, roles, role):
    _age_password(roles[role], 5 * 365)
    client.force_login(roles[role], backend=BACKEND)

    assert client.get("/accounts/dashboard/").status_code == 200


def test_max_age_zero_turns_rotation_off(client, roles, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 0
    _age_password(roles["committee"], 1000)
    client.force_login(roles["committee"], backend=BACKEND)

    assert client.get("/accounts/dashboard/").status_code == 200


def test_shorter_max_age_from_settings_is_used(client, roles, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 30
    _age_password(roles["expert"], 31)
    client.force_login(roles["expert"], backend=BACKEND)

    page = client.get("/accounts/dashboard/", follow=True).content.decode()

    assert "您的密码已超过 30 天未修改" in page


def test_htmx_request_of_expired_staff_gets_hx_redirect(client, roles):
    _age_password(roles["organizer"], 91)
    client.force_login(roles["organizer"], backend=BACKEND)

    response = client.get("/accounts/dashboard/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"] == CHANGE_URL
    assert response.content == b""


def test_post_elsewhere_is_redirected_without_effect(client, roles):
    _age_password(roles["organizer"], 91)
    client.force_login(roles["organizer"], backend=BACKEND)

    response = client.post("/accounts/my-data/delete/", {"confirm": "on"})

    assert response.url == CHANGE_URL
    assert User.objects.get(pk=roles["organizer"].pk).is_active


def test_expired_staff_can_still_open_static_files_and_log_out(client, roles):
    _age_password(roles["organizer"], 91)
    client.force_login(roles["organizer"], backend=BACKEND)

    assert client.get(CHANGE_URL).status_code == 200
    assert client.get("/static/css/app.css").status_code != 302
    language = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/notices/"})
    assert language.url == "/notices/"
    response = client.post("/accounts/logout/")
    assert response.url == "/"
    assert "_auth_user_id" not in client.session


# --- history ---------------------------------------------------------------


def test_the_last_five_passwords_are_refused_in_chinese(roles):
    user = roles["organizer"]
    used = [f"Mima{n}abcd" for n in range(1, 6)]  # PASSWORD, then these five
    for password in used:
        user.set_password(password)
        user.save()

    for password in used:
        with pytest.raises(ValidationError) as exc:
            validate_password(password, user)
        assert exc.value.messages == [REUSED_MESSAGE]
    # The factory's password is now the sixth from last: allowed again.
    assert validate_password(people.PASSWORD, user) is None
    assert PasswordHistory.objects.filter(user=user).count() == 5


def test_reusing_the_current_password_on_the_change_page_is_refused(client, roles):
    client.force_login(roles["committee"], backend=BACKEND)

    response = _change(client, people.PASSWORD, people.PASSWORD)

    assert response.status_code == 200
    assert REUSED_MESSAGE in response.content.decode()
    assert not AuditEvent.objects.filter(action="auth.password_change").exists()


def test_accounts_made_in_bulk_without_history_keep_their_first_password_in_it(roles):
    user = roles["expert"]
    PasswordHistory.objects.filter(user=user).delete()  # as seed_demo's bulk_create leaves it
    with pytest.raises(ValidationError):
        validate_password(people.PASSWORD, user)

    user.set_password(NEW_PASSWORD)
    user.save()

    with pytest.raises(ValidationError):
        validate_password(people.PASSWORD, user)
    assert PasswordHistory.objects.filter(user=user).count() == 2


def test_new_accounts_record_the_date_and_the_first_history_entry(units, edition):
    before = timezone.now()
    student = people.student(units["hd_school"])

    assert student.password_changed_at >= before
    assert list(
        PasswordHistory.objects.filter(user=student).values_list("password", flat=True)
    ) == [student.password]


def test_hash_upgrade_at_login_is_not_a_password_change(client, roles, settings):
    user = roles["organizer"]
    _age_password(user, 10)
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # preferred: MD5 hashes are upgraded
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    stamp = User.objects.get(pk=user.pk).password_changed_at

    assert (
        client.post(
            "/accounts/login/", {"username": "org_hd", "password": people.PASSWORD}
        ).status_code
        == 302
    )

    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")  # the hash was upgraded…
    assert user.password_changed_at == stamp  # …but the password did not change
    assert PasswordHistory.objects.filter(user=user).count() == 1


def test_reset_by_e_mail_link_updates_the_date_and_is_audited(client, roles):
    user = roles["organizer"]
    _age_password(user, 200)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = f"/accounts/password/reset/{uid}/{default_token_generator.make_token(user)}/"
    form_url = client.get(url).url  # Django swaps the token for a session key

    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert timezone.now() - user.password_changed_at < datetime.timedelta(minutes=1)
    assert AuditEvent.objects.get(action="auth.password_change").after == {"how": "reset"}


def test_password_set_by_an_administrator_updates_the_date_and_is_audited(client, roles):
    expert = roles["expert"]
    _age_password(expert, 200)
    client.force_login(roles["committee"], backend=BACKEND)

    response = client.post(
        f"/admin/accounts/user/{expert.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.check_password(NEW_PASSWORD)
    assert timezone.now() - expert.password_changed_at < datetime.timedelta(minutes=1)
    event = AuditEvent.objects.get(action="auth.password_change")
    assert (event.actor, event.object_id, event.after) == (
        roles["committee"],
        str(expert.pk),
        {"how": "admin"},
    )


def test_anonymising_an_account_removes_its_password_history(roles):
    from gongchuang.accounts.privacy_services import account_anonymise

    account_anonymise(user=roles["student"], actor=roles["student"])

    assert not PasswordHistory.objects.filter(user=roles["student"]).exists()
