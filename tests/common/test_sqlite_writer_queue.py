"""The embedded SQLite backend queues writers across connections and processes."""

import multiprocessing
import threading
import time

import pytest
from django.db import connection, connections

from gongchuang.common.db.sqlite.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the writer queue belongs to the SQLite backend"
)


def _wrapper(path) -> DatabaseWrapper:
    settings = {
        **connection.settings_dict,
        "NAME": str(path),
        # No busy timeout: any waiting the tests see is the writer queue's, not SQLite's polling
        # (without the queue the second writer would fail at once with "database is locked").
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL",
            "timeout": 0,
        },
    }
    wrapper = DatabaseWrapper(settings, alias="writer_queue_test")
    wrapper.inc_thread_sharing()  # the tests hand connections to helper threads
    return wrapper


def _begin(wrapper: DatabaseWrapper) -> None:
    wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def _end(wrapper: DatabaseWrapper, *, commit: bool = True) -> None:
    wrapper.commit() if commit else wrapper.rollback()
    wrapper.set_autocommit(True)


@pytest.fixture(autouse=True)
def _own_connections(django_db_blocker):
    """These tests open their own connections to their own files, outside the test database."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "queue.sqlite3"
    setup = _wrapper(path)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE events (who TEXT, at REAL)")
    setup.close()
    return path


def test_the_embedded_default_uses_the_queued_backend():
    assert isinstance(connections["default"], DatabaseWrapper)


def test_a_second_writer_waits_for_the_first_and_then_proceeds(database):
    first, second = _wrapper(database), _wrapper(database)
    _begin(first)
    first.cursor().execute("INSERT INTO events VALUES ('first', ?)", [time.time()])
    started = threading.Event()

    def write_second():
        _begin(second)  # blocks until the first writer ends
        started.set()
        second.cursor().execute("INSERT INTO events VALUES ('second', ?)", [time.time()])
        _end(second)
        second.close()

    thread = threading.Thread(target=write_second)
    thread.start()
    assert not started.wait(0.3), "the second writer must queue behind the first"
    _end(first)
    thread.join(10)
    assert started.is_set()
    rows = first.cursor().execute("SELECT who FROM events ORDER BY at").fetchall()
    assert [r[0] for r in rows] == ["first", "second"]
    first.close()


@pytest.mark.parametrize("finish", ["rollback", "close"])
def test_the_queue_is_released_by_rollback_and_by_closing(database, finish):
    first, second = _wrapper(database), _wrapper(database)
    _begin(first)
    first.cursor().execute("INSERT INTO events VALUES ('lost', 0)")
    if finish == "rollback":
        _end(first, commit=False)
    else:
        first.close()
    done = threading.Event()

    def write_second():
        _begin(second)
        _end(second)
        done.set()

    threading.Thread(target=write_second, daemon=True).start()
    assert done.wait(5)
    assert second.cursor().execute("SELECT count(*) FROM events").fetchone()[0] == 0
    second.close()
    if finish == "rollback":
        first.close()


def _hold_lock_in_child(path, holding, release):
    wrapper = _wrapper(path)
    _begin(wrapper)
    holding.set()
    release.wait(10)
    _end(wrapper)
    wrapper.close()


def test_writers_of_another_process_queue_too(database):
    context = multiprocessing.get_context("fork")
    holding, release = context.Event(), context.Event()
    child = context.Process(target=_hold_lock_in_child, args=(database, holding, release))
    child.start()
    try:
        assert holding.wait(10)
        ours = _wrapper(database)
        began = threading.Event()
        thread = threading.Thread(target=lambda: (_begin(ours), began.set()))
        thread.start()
        assert not began.wait(0.3), "a writer in another process holds the queue"
        release.set()
        thread.join(10)
        assert began.is_set()
        _end(ours)
        ours.close()
    finally:
        release.set()
        child.join(10)


def test_in_memory_databases_need_no_lock_file(tmp_path):
    wrapper = _wrapper(":memory:")
    _begin(wrapper)
    _end(wrapper)
    assert wrapper._writer_fd is None
    wrapper.close()
