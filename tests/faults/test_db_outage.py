"""Database outage: a friendly Chinese 503 page, nothing half-saved, recovery without a restart.

The shared PostgreSQL server is never restarted (other people use it): the PostgreSQL tests
here kill this test's own server connection with ``pg_terminate_backend`` from a second
connection, or point the connection at a closed port for the length of the "outage", in
this process with Django's test client.

The real thing is ``tests/faults/test_pg_restart.py::test_postgres_restart_during_submissions``:
a private throw-away PostgreSQL cluster (``tests/faults/pgcluster.py``) really stopped and
restarted while gunicorn serves students submitting their works.
"""

import socket

import pytest
from django.db import OperationalError, close_old_connections, connection
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse

from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from tests.submissions.helpers import complete_art_work

pytestmark = pytest.mark.faults
UNAVAILABLE = "服务暂时不可用"


class WsgiLikeClient(Client):
    """The test client, but like a WSGI server: connections are checked around each request.

    Django's test client disconnects ``close_old_connections`` from the request signals; the
    real handler (gunicorn) runs it at request start and end, which is where
    ``CONN_HEALTH_CHECKS`` and the "errors occurred" flag replace a dead connection.
    """

    def request(self, **request):
        close_old_connections()
        try:
            return super().request(**request)
        finally:
            close_old_connections()


def _client(user=None, *, wsgi=False) -> Client:
    """``wsgi=True`` only in transactional tests (closing a connection ends a test transaction)."""
    client = (WsgiLikeClient if wsgi else Client)(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def assert_friendly_503(response):
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    body = response.content.decode()
    assert UNAVAILABLE in body and "您已保存的内容不会丢失" in body
    assert "Traceback" not in body and "OperationalError" not in body


def test_database_error_gives_the_friendly_503_page_then_recovers(roles, edition, monkeypatch):
    student = roles["student"]
    work = complete_art_work(edition, student)
    client = _client(student)
    original = CursorWrapper.execute

    def down(self, sql, params=None):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", down)
    assert_friendly_503(client.get(reverse("portal:home")))
    assert_friendly_503(client.post(reverse("submissions:work_submit", args=[work.pk])))
    monkeypatch.setattr(CursorWrapper, "execute", original)

    assert client.get(reverse("portal:home")).status_code == 200
    work.refresh_from_db()
    assert work.state == WorkState.DRAFT and not work.code


def test_other_server_errors_still_use_the_500_handler(roles, monkeypatch):
    from gongchuang.portal.views import public

    def boom(*args, **kwargs):
        raise RuntimeError("a bug, not an outage")

    monkeypatch.setattr(public, "render", boom)
    response = _client().get(reverse("portal:home"))
    assert response.status_code == 500


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _terminate_own_backend():
    import psycopg

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**{k: v for k, v in params.items() if k in (
        "dbname", "user", "password", "host", "port"
    )}, autocommit=True) as other:  # fmt: skip
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_killed_connection_is_replaced_on_the_next_request(roles, edition):
    """CONN_HEALTH_CHECKS: a dead persistent connection is noticed and replaced, no restart."""
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    client = _client(roles["student"], wsgi=True)
    try:
        assert client.get(reverse("submissions:my_works")).status_code == 200
        _terminate_own_backend()
        assert client.get(reverse("submissions:my_works")).status_code == 200
        assert client.get(reverse("portal:home")).status_code == 200
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_outage_during_submissions_is_503_and_nothing_is_half_saved(roles, edition):
    student = roles["student"]
    work = complete_art_work(edition, student)
    client = _client(student, wsgi=True)
    assert client.get(reverse("submissions:work_detail", args=[work.pk])).status_code == 200
    real_port = connection.settings_dict["PORT"]
    try:
        _terminate_own_backend()
        connection.settings_dict["PORT"] = str(_closed_port())  # the server is "down"
        for _ in range(3):
            assert_friendly_503(client.post(reverse("submissions:work_submit", args=[work.pk])))
        assert_friendly_503(client.get(reverse("portal:home")))
    finally:
        connection.settings_dict["PORT"] = real_port
        connection.close()
    # The server is back: the same process answers again and the work is still a clean draft.
    assert client.get(reverse("portal:home")).status_code == 200
    work = Work.objects.get(pk=work.pk)
    assert work.state == WorkState.DRAFT and not work.code and work.submitted_at is None
    response = client.post(reverse("submissions:work_submit", args=[work.pk]))
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.state == WorkState.SUBMITTED and work.code


def test_healthz_is_json_for_monitors_and_the_503_page_for_browsers(db, monkeypatch):
    def down(self, sql, params=None):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", down)
    try:
        machine = Client().get("/healthz")
        browser = Client().get("/healthz", HTTP_ACCEPT="text/html,application/xhtml+xml")
    finally:
        monkeypatch.undo()
    assert machine.status_code == 503
    assert machine.json() == {"status": "error", "database": "unreachable"}
    assert_friendly_503(browser)
