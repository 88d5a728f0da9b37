"""Django's SQLite backend, with writers queued by the kernel instead of by polling.

The embedded default runs every ``transaction.atomic()`` block as ``BEGIN IMMEDIATE``
(see ``DATABASES`` in settings), so concurrent writers never fail halfway with
"database is locked": they wait at BEGIN. SQLite's own wait (``busy_timeout``) polls:
it sleeps 1, 2, 5, 10 … up to 100 ms between tries, so in a burst of writes — the last
evening before the deadline — a waiting request mostly sleeps while the lock is free.
Here every connection first takes an exclusive ``flock`` on a file beside the
database; the kernel hands it to the next writer the moment the previous one commits
or rolls back (or its process dies). ``busy_timeout`` stays the backstop for the short
writes made outside transactions (sessions, ``last_login``).

Each connection (one per thread) opens its own descriptor, so threads of one process
queue as well as processes. In-memory databases (the test suite) need no queue.
"""

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_fd: int | None = None
    _holds_writer_lock = False

    def _writer_lock_path(self) -> str:
        return f"{self.settings_dict['NAME']}.writer-lock"

    def _acquire_writer_lock(self) -> None:
        if self.is_in_memory_db() or self._holds_writer_lock:
            return
        if self._writer_fd is None:
            self._writer_fd = os.open(self._writer_lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._writer_fd, fcntl.LOCK_EX)
        self._holds_writer_lock = True

    def _release_writer_lock(self) -> None:
        if self._holds_writer_lock:
            self._holds_writer_lock = False
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self):
        self._acquire_writer_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_writer_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_writer_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_writer_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_writer_lock()
            if self._writer_fd is not None:
                os.close(self._writer_fd)
                self._writer_fd = None
