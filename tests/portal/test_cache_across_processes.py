"""A publication shows at once in every process of an installation (issue 23).

Two gunicorn servers (one worker each) on ephemeral ports serve one embedded-default
installation (SQLite and its cache table in a temporary GONGCHUANG_VAR_DIR). Each keeps its
own copies of the anonymous pages; a third process (``manage.py shell``, as a worker or a
committee member's request would) publishes a teaching case and a notice. The very next
request to either server shows them: no wait for the 60 s copies to expire.
"""

import os
import sqlite3
import textwrap

import httpx
import pytest
from bench.server import AppServer

SEED = textwrap.dedent("""
    from django.utils import timezone
    from gongchuang.editions import defaults
    from gongchuang.editions.services import edition_create_from_defaults, edition_make_current
    from tests.factories import people
    from tests.portal.helpers import make_work
    edition, _ = edition_create_from_defaults(
        year=2026, slug="t2026", code="2026", windows=defaults.demo_windows(timezone.now()))
    edition_make_current(edition=edition)
    units = people.units_and_schools()
    roles = people.one_of_each_role(units)
    for title, public in [("已公开教学案例", True), ("新公开教学案例", False)]:
        make_work(edition, school=units["hd_school"], title=title, category="teaching_case",
                  level="", author=roles["teacher"], public=public)
""")
PUBLISH = textwrap.dedent("""
    from gongchuang.accounts.models import User
    from gongchuang.editions.models import Edition
    from gongchuang.portal import services
    from gongchuang.submissions.models import Work
    committee = User.objects.get(username="committee")
    services.work_set_public(
        work=Work.objects.get(title="新公开教学案例"), actor=committee, public=True)
    notice = services.notice_save(
        actor=committee, edition=Edition.objects.get(slug="t2026"), title="决赛安排通知",
        body="决赛在北京科学中心举行。")
    services.notice_publish(notice=notice, actor=committee)
""")


@pytest.fixture
def two_servers(tmp_path):
    env = {
        **os.environ,
        "PASSWORD_HASHERS": "django.contrib.auth.hashers.MD5PasswordHasher",
        "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "ERROR",
    }
    # The embedded default, whatever the suite runs on: SQLite, its cache in a table.
    for key in ("DATABASE_URL", "TEST_DATABASE_NAME", "REDIS_URL", "TASKS_BROKER",
                "TASKS_REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):  # fmt: skip
        env.pop(key, None)
    first = AppServer(tmp_path / "var", env)
    second = AppServer(tmp_path / "var", env)
    try:
        first.manage("migrate", "--noinput", "-v0")  # creates the cache table too
        first.manage("shell", "-c", SEED)
        first.start(workers=1, log=tmp_path / "first.log")
        second.start(workers=1, log=tmp_path / "second.log")
        yield first, second
    finally:
        first.stop()
        second.stop()


def _pages(servers) -> list[tuple[str, str]]:
    """(teaching-case library, home page) as an anonymous visitor of each server sees them."""
    out = []
    for server in servers:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            cases, home = client.get("/teaching-cases/"), client.get("/")
            assert (cases.status_code, home.status_code) == (200, 200)
            out.append((cases.text, home.text))
    return out


def test_a_publication_shows_at_once_in_every_process(two_servers):
    first = two_servers[0]
    for cases, home in _pages(two_servers):
        assert "已公开教学案例" in cases and "新公开教学案例" not in cases
        assert "决赛安排通知" not in home
    # A change behind the services' back (no new generation): each server keeps its copy.
    with sqlite3.connect(first.var / "gongchuang.sqlite3") as db:
        db.execute(
            "UPDATE submissions_work SET title = '改名教学案例' WHERE title = '已公开教学案例'"
        )
    for cases, _home in _pages(two_servers):
        assert "已公开教学案例" in cases
    first.manage("shell", "-c", PUBLISH)
    for cases, home in _pages(two_servers):
        assert "新公开教学案例" in cases and "改名教学案例" in cases
        assert "已公开教学案例" not in cases
        assert "决赛安排通知" in home


def test_caches_whose_changes_must_show_at_once_are_shared(settings):
    """The generation token and the dashboard's figures live in ``default``: a table of the
    database or Redis, never one process's memory."""
    shared = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    assert shared == ("RedisCache" if os.environ.get("REDIS_URL") else "DatabaseCache")
    assert settings.CACHES["local"]["BACKEND"].endswith("LocMemCache")
