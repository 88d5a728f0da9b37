"""Fixtures shared by the whole suite: editions, people in every role, a real browser."""

import os

import pytest
from django.utils import timezone

from gongchuang.editions import defaults
from gongchuang.editions.services import edition_create_from_defaults, edition_make_current

from .factories import people

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
PASSWORD = people.PASSWORD
# ``s3``: a real S3 API (moto's server) behind the default storage.
pytest_plugins = ["tests.submissions.s3"]


def _own_redis_database(location: str, worker_id: str) -> str:
    """Each test process its own Redis database (15, 14, …): ``cache.clear()`` is FLUSHDB,
    and one process clearing the cache must not empty another's in the middle of a test."""
    base, _slash, number = location.rpartition("/")
    if worker_id == "master" or not number.isdigit():
        return location
    return f"{base}/{int(number) - int(worker_id.removeprefix('gw'))}"


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path, worker_id, request, django_db_blocker):
    cache_settings = settings.CACHES["default"]
    if cache_settings["BACKEND"].endswith("RedisCache"):
        location = _own_redis_database(cache_settings["LOCATION"], worker_id)
        settings.CACHES = {**settings.CACHES, "default": {**cache_settings, "LOCATION": location}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGE_CODE = "zh-hans"
    # Tests change windows with queryset updates (no signals): every read goes to the
    # database, except in tests/editions/test_current_edition_cache.py.
    settings.CURRENT_EDITION_CACHE_SECONDS = 0
    settings.USER_CACHE_SECONDS = 0  # likewise users and memberships (test_kept_users.py)
    from django.core.cache import cache, caches

    from gongchuang.accounts.kept_users import clear_kept_users
    from gongchuang.editions.selectors import clear_current_edition_cache

    clear_current_edition_cache()
    clear_kept_users()

    # Cached anonymous fragments must not leak from one test into the next. On the embedded
    # default the shared cache is a table of the (per-worker) test database: cleared for the
    # tests that use the database, the only ones that can reach it.
    if not _uses_database_cache(settings) or _uses_database(request):
        if _uses_database_cache(settings):
            request.getfixturevalue("django_db_setup")
        with django_db_blocker.unblock():
            cache.clear()
    caches["local"].clear()  # nor each process's own copies


def _uses_database_cache(settings) -> bool:
    return settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")


def _uses_database(request) -> bool:
    wanted = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}
    return "django_db" in request.keywords or bool(wanted & set(request.fixturenames))


@pytest.fixture
def edition(db):
    """The current edition, with every window open around now (like the demo)."""
    edition, _ = edition_create_from_defaults(
        year=2026, slug="t2026", code="2026", windows=defaults.demo_windows(timezone.now())
    )
    return edition_make_current(edition=edition)


@pytest.fixture
def units(db):
    return people.units_and_schools()


@pytest.fixture
def roles(edition, units):
    """One person per role (two districts: HD and CY), all with password ``PASSWORD``."""
    return people.one_of_each_role(units)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    context.close()


def login(page, live_server, username, password=PASSWORD):
    """Log in through the real login form."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


@pytest.fixture
def browser_login():
    return login


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` (real concurrency, triggers) run only on PostgreSQL."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, let the flush between transactional tests (TRUNCATE) empty the audit table.

    The append-only triggers (common/0002) refuse TRUNCATE too, which would make every
    ``transaction=True`` test fail on PostgreSQL; UPDATE and DELETE stay refused, and
    tests/audit re-enables the TRUNCATE trigger to check it.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "ALTER TABLE common_auditevent DISABLE TRIGGER common_auditevent_no_truncate"
                )
    yield
