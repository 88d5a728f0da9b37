"""PostgreSQL restarted during a stream of submissions, against the real server (issue 11).

A private throw-away cluster (``pgcluster.PrivateCluster``: never the shared server) and
gunicorn (``bench.server.AppServer``) with the production settings: persistent connections
and ``CONN_HEALTH_CHECKS``. Eight students browse their pages and submit their works from
their own threads, an anonymous visitor browses the portal, and meanwhile the test stops the
cluster (fast shutdown: every connection cut, open transactions rolled back), waits 2 s and
starts it again. Two submissions are caught inside their transaction by the shutdown: one has
updated the work row and taken a work code and waits to insert its audit event (a second
connection holds a lock on the audit table), the other waits for the first one's row locks.
Then, with nobody asking, a quick ``pg_ctl restart -m fast`` leaves every worker thread with a
dead persistent connection, which the next requests must not notice.

Checked: every answer is a success or the friendly 503 page (never a 500, never a dropped
request); the same gunicorn workers (same PIDs) serve again once the cluster is back; in the
database each work is either fully submitted (state, time, code, audit event, one-work slot,
consecutive codes) or still a clean draft, and the drafts can be submitted afterwards.
"""

import contextlib
import os
import threading
import time
from dataclasses import dataclass, field

import httpx
import psycopg
import pytest
from bench.server import CSRF, AppServer, login

from tests.factories.people import PASSWORD
from tests.faults.pgcluster import PrivateCluster, unavailable_reason
from tests.faults.seed import drafts_script, work_pks

_CANNOT = unavailable_reason()
pytestmark = [
    pytest.mark.faults,
    pytest.mark.postgres,
    pytest.mark.skipif(_CANNOT is not None, reason=f"no private PostgreSQL cluster: {_CANNOT}"),
]

# Who submits when: before the outage, in the middle of a transaction when the server stops,
# while it is down, after it is back.
GROUPS = ("before", "inflight", "during", "after")
USERNAMES = [f"pg{group}{n}" for group in GROUPS for n in range(2)]
UNAVAILABLE = "服务暂时不可用"
OUTAGE_SECONDS = 2
DBNAME = "gongchuang"


@dataclass
class Hit:
    """One request as the browser saw it."""

    started: float
    ended: float
    who: str
    method: str
    path: str
    status: int | None  # None: no HTTP answer at all
    location: str = ""
    friendly_503: bool = False
    error: str = ""


@dataclass
class Student:
    username: str
    work_pk: int
    client: httpx.Client
    token: str = ""
    submits: list[Hit] = field(default_factory=list)

    @property
    def group(self) -> str:
        return self.username[2:-1]

    @property
    def pages(self) -> list[str]:
        return ["/works/", f"/works/{self.work_pk}/", "/"]


class Stream:
    """Threads sending requests until ``stop``; every answer is kept in ``hits``."""

    def __init__(self, url: str):
        self.url = url
        self.hits: list[Hit] = []
        self.stop = threading.Event()
        self.go = {group: threading.Event() for group in GROUPS}

    def request(self, client: httpx.Client, who: str, method: str, path: str, **kw) -> Hit:
        started = time.monotonic()
        try:
            response = client.request(method, path, **kw)
        except httpx.HTTPError as exc:
            hit = Hit(started, time.monotonic(), who, method, path, None, error=repr(exc))
        else:
            body = response.text
            hit = Hit(
                started, time.monotonic(), who, method, path, response.status_code,
                location=response.headers.get("location", ""),
                friendly_503=response.status_code == 503
                and response.headers.get("Retry-After") == "30"
                and UNAVAILABLE in body
                and "Traceback" not in body
                and "OperationalError" not in body,
            )  # fmt: skip
        self.hits.append(hit)
        return hit

    def submit(self, student: Student) -> Hit:
        hit = self.request(
            student.client, student.username, "POST", f"/works/{student.work_pk}/submit/",
            data={"csrfmiddlewaretoken": student.token},
        )  # fmt: skip
        student.submits.append(hit)
        return hit

    def student(self, student: Student) -> None:
        """Views its pages in a loop; submits once, when its group's turn comes."""
        while not self.stop.is_set():
            if not student.submits and self.go[student.group].is_set():
                self.submit(student)
            for path in student.pages:
                self.request(student.client, student.username, "GET", path)
            time.sleep(0.05)

    def visitor(self) -> None:
        with httpx.Client(base_url=self.url, timeout=30) as client:
            while not self.stop.is_set():
                for path in ("/", "/notices/", "/showcase/"):
                    self.request(client, "visitor", "GET", path)
                time.sleep(0.05)


@pytest.fixture
def instance(tmp_path):
    """A private cluster with a migrated database, 8 students with drafts, and gunicorn."""
    cluster = PrivateCluster()
    app = None
    try:
        cluster.init()
        env = {
            **os.environ,
            "DATABASE_URL": cluster.create_database(DBNAME),
            "PASSWORD_HASHERS": "django.contrib.auth.hashers.MD5PasswordHasher",
            "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",  # production: tasks in the DB
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "ERROR",
            # A shared database: the secrets come from the environment (check gongchuang.E004).
            "SECRET_KEY": "pg-restart-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "IDENTITY_HASH_KEY": "pg-restart-identity-key-0123456789-abcdefghijklmnop",
        }
        for key in ("TEST_DATABASE_NAME", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
            env.pop(key, None)  # no test database name, and never the shared Redis
        app = AppServer(tmp_path / "var", env)
        app.manage("migrate", "--noinput", "-v0")
        works = work_pks(app.manage("shell", "-c", drafts_script(USERNAMES)))
        app.start(workers=2, log=tmp_path / "gunicorn.log")
        yield cluster, app, works
    finally:
        try:
            if app is not None:
                app.stop()
        finally:
            cluster.destroy()


def _db(cluster: PrivateCluster, **kw) -> psycopg.Connection:
    return psycopg.connect(
        host="127.0.0.1", port=cluster.port, user="postgres", dbname=DBNAME, **kw
    )


def _lock_audit_table(cluster: PrivateCluster) -> psycopg.Connection:
    """An open transaction holding a lock that makes the audit INSERT of a submit wait."""
    locker = _db(cluster)
    locker.execute("LOCK TABLE common_auditevent IN SHARE MODE")
    return locker


def _wait_for_blocked_submits(cluster: PrivateCluster) -> None:
    """Until one submit waits to insert its audit event, and the other waits behind it.

    (The second waits for the first's row locks: ``_locked_editable`` locks the edition row
    too, so submissions of one edition go one at a time.)
    """
    waiting = """
        SELECT count(*) FILTER (WHERE query LIKE 'INSERT INTO "common_auditevent"%%'), count(*)
          FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = %s
    """
    with _db(cluster, autocommit=True) as watcher:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if watcher.execute(waiting, [DBNAME]).fetchone() == (1, 2):
                return
            time.sleep(0.05)
        activity = watcher.execute(
            "SELECT state, wait_event_type, left(query, 80) FROM pg_stat_activity"
            " WHERE datname = %s",
            [DBNAME],
        ).fetchall()
    raise AssertionError(f"the in-flight submissions are not waiting: {activity}")


WORK_ROWS = """
    SELECT u.username, w.state, w.code, w.submitted_at IS NOT NULL,
           (SELECT count(*) FROM common_auditevent a
             WHERE a.action = 'work.transition' AND a.object_id = w.id::text
               AND a.after ->> 'state' = 'submitted'),
           bool_or(s.holds_slot)
      FROM submissions_work w
      JOIN accounts_user u ON u.id = w.created_by_id
      JOIN submissions_authorship s ON s.work_id = w.id AND s.role = 'author'
     GROUP BY u.username, w.id
"""


def _works(cluster: PrivateCluster) -> dict[str, str]:
    """Each student's work state, after checking that no work is half-saved."""
    with _db(cluster) as conn:
        rows = conn.execute(WORK_ROWS).fetchall()
        counters = conn.execute("SELECT last FROM submissions_workcodecounter").fetchall()
    states = {}
    for username, state, code, submitted_at, audits, holds_slot in rows:
        whole = (username, state, bool(code), submitted_at, audits, holds_slot)
        assert whole in (
            (username, "submitted", True, True, 1, True),
            (username, "draft", False, False, 0, False),
        ), f"half-saved work: {whole}"
        states[username] = state
    codes = sorted(int(code.rsplit("-", 1)[1]) for _, _, code, *_ in rows if code)
    # Work codes come from a counter updated in the submit's transaction: no number lost.
    assert codes == list(range(1, len(codes) + 1))
    assert [last for (last,) in counters] == ([len(codes)] if codes else [])
    return states


def _by_group(students, group):
    return [s for s in students if s.group == group]


def test_postgres_restart_during_submissions(instance):
    cluster, app, works = instance
    stream = Stream(app.url)
    students = []
    clients = contextlib.ExitStack()
    for username in USERNAMES:
        client = clients.enter_context(httpx.Client(base_url=app.url, timeout=60))
        assert login(client, username, PASSWORD), username
        student = Student(username, works[username], client)
        student.token = CSRF.search(client.get(f"/works/{student.work_pk}/").text).group(1)
        students.append(student)
    workers = sorted(p.pid for p in app.workers())
    assert len(workers) == 2

    with clients:
        _restart_during_the_stream(cluster, app, stream, students, workers)


def _restart_during_the_stream(cluster, app, stream, students, workers):
    threads = [threading.Thread(target=stream.student, args=(s,)) for s in students]
    threads.append(threading.Thread(target=stream.visitor))
    locker = None
    try:
        for thread in threads:
            thread.start()
        stream.go["before"].set()
        deadline = time.monotonic() + 30
        while any(not s.submits for s in _by_group(students, "before")):
            assert time.monotonic() < deadline, "the first submissions never answered"
            time.sleep(0.05)
        locker = _lock_audit_table(cluster)
        stream.go["inflight"].set()
        _wait_for_blocked_submits(cluster)

        cluster.stop("fast")  # PostgreSQL goes away: connections cut, transactions rolled back
        down = time.monotonic()
        stream.go["during"].set()
        time.sleep(OUTAGE_SECONDS)
        restarting = time.monotonic()
        cluster.start()
        up = time.monotonic()
        stream.go["after"].set()
        time.sleep(1.5)
    finally:
        stream.stop.set()
        if locker is not None:
            locker.close()
        for thread in threads:
            thread.join(timeout=60)

    # Every answer: a success, or the friendly 503 page (never a 500, never a dropped request).
    for hit in stream.hits:
        assert hit.status in (200, 302) or hit.friendly_503, hit
    # While the server was down, every signed-in page was the 503 page.
    outage = [h for h in stream.hits if h.started > down and h.ended < restarting]
    signed_in = [h for h in outage if h.who != "visitor"]
    assert signed_in and all(h.status == 503 for h in signed_in), signed_in
    # Once it was back, everything worked again, without restarting gunicorn.
    assert all(h.status in (200, 302) for h in stream.hits if h.started > up)
    assert len([h for h in stream.hits if h.started > up]) > 20
    assert sorted(p.pid for p in app.workers()) == workers
    assert app.proc.poll() is None

    receipt = "/receipt/"
    for student in _by_group(students, "before") + _by_group(students, "after"):
        [hit] = student.submits
        assert hit.status == 302 and hit.location.endswith(receipt), hit
    for student in _by_group(students, "during"):
        [hit] = student.submits
        assert hit.status == 503 and hit.friendly_503, hit
    for student in _by_group(students, "inflight"):
        # Rolled back by the shutdown (503), or - a fast shutdown ends the backends one by
        # one - committed just before its backend ended: then a receipt, never an error page.
        [hit] = student.submits
        assert (hit.status == 503 and hit.friendly_503) or hit.location.endswith(receipt), hit
    assert any(s.submits[0].status == 503 for s in _by_group(students, "inflight"))

    states = _works(cluster)  # nothing half-saved, and the 503s left clean drafts
    assert states == {s.username: "draft" if s.submits[0].status == 503 else "submitted"
                      for s in students}  # fmt: skip

    # A quick restart while nobody is asking (``pg_ctl restart -m fast``): every persistent
    # connection of the workers' threads is now dead. CONN_HEALTH_CHECKS notices it on the
    # next request and reconnects, so nobody sees an error page.
    cluster.restart()
    for student in students:
        for path in student.pages:
            hit = stream.request(student.client, student.username, "GET", path)
            assert hit.status == 200, hit
    # The students who met the 503 page submit again: it works, with the next codes.
    for student in _by_group(students, "inflight") + _by_group(students, "during"):
        if student.submits[0].status != 503:
            continue
        hit = stream.submit(student)
        assert hit.status == 302 and hit.location.endswith(receipt), hit
        assert student.client.get(hit.location).status_code == 200
    assert set(_works(cluster).values()) == {"submitted"}
    assert sorted(p.pid for p in app.workers()) == workers
