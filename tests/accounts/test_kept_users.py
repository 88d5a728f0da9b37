"""Each process keeps a signed-in person's row and roles a moment (accounts.kept_users):
a change saved in this process is seen at once, elsewhere within the time; logging out
and a deleted session end access at once everywhere."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongchuang.accounts import kept_users
from gongchuang.accounts.models import Membership, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings):
    settings.USER_CACHE_SECONDS = 2
    kept_users.clear_kept_users()
    yield
    kept_users.clear_kept_users()


BACKEND = "gongchuang.accounts.backends.UsernameEmailMobileBackend"  # what a login form sets


def _login(client, user):
    client.force_login(user, backend=BACKEND)


def _tables_read(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, " ".join(q["sql"] for q in queries)


def test_the_second_request_reads_neither_the_user_nor_the_roles(client, roles, kept):
    _login(client, roles["student"])
    _first, sql = _tables_read(client, reverse("submissions:my_works"))
    assert 'FROM "accounts_user"' in sql and 'FROM "accounts_membership"' in sql
    response, sql = _tables_read(client, reverse("submissions:my_works"))
    assert response.status_code == 200 and response.wsgi_request.user.pk == roles["student"].pk
    assert 'FROM "accounts_user"' not in sql and 'FROM "accounts_membership"' not in sql
    assert 'FROM "django_session"' in sql, "the session is read every time (logout counts at once)"


def test_a_revoked_role_counts_at_once_in_this_process(client, roles, kept):
    organizer = roles["organizer"]
    _login(client, organizer)
    assert client.get(reverse("screening:unit_queue")).status_code == 200
    Membership.objects.get(user=organizer).delete()
    assert client.get(reverse("screening:unit_queue")).status_code in (302, 403, 404)


def test_a_deactivated_person_is_signed_out_at_once_in_this_process(client, roles, kept):
    student = roles["student"]
    _login(client, student)
    assert client.get(reverse("submissions:my_works")).status_code == 200
    student.is_active = False
    student.save(update_fields=["is_active"])
    response = client.get(reverse("submissions:my_works"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_logging_out_ends_access_although_the_row_is_kept(client, roles, kept):
    _login(client, roles["student"])
    assert client.get(reverse("submissions:my_works")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("submissions:my_works")).status_code == 302


def test_other_processes_see_a_change_within_the_time(client, roles, kept, monkeypatch):
    """A change without a signal here (another process, a queryset update) is seen once
    the kept copy has expired."""
    student = roles["student"]
    _login(client, student)
    client.get(reverse("submissions:my_works"))
    User.objects.filter(pk=student.pk).update(real_name="改名后")
    kept_name = client.get(reverse("submissions:my_works")).wsgi_request.user.real_name
    assert kept_name == "李明"
    clock = kept_users.time.monotonic() + 2.5
    monkeypatch.setattr(kept_users.time, "monotonic", lambda: clock)
    fresh_name = client.get(reverse("submissions:my_works")).wsgi_request.user.real_name
    assert fresh_name == "改名后"


def test_each_request_gets_its_own_copy(roles, kept):
    student = roles["student"]
    load = User.objects.get
    first = kept_users.kept_user(student.pk, lambda pk: load(pk=pk))
    first.real_name = "只在这个请求里"
    first.roles.add("committee")
    second = kept_users.kept_user(student.pk, lambda pk: pytest.fail("read again"))
    assert second is not first
    assert second.real_name == "李明" and "committee" not in second.roles


def test_nothing_is_kept_when_the_time_is_zero(client, roles, settings):
    settings.USER_CACHE_SECONDS = 0
    _login(client, roles["student"])
    client.get(reverse("submissions:my_works"))
    _response, sql = _tables_read(client, reverse("submissions:my_works"))
    assert 'FROM "accounts_user"' in sql
