"""A worker killed (SIGKILL) in the middle of a submit: the work is fully submitted or a draft.

The submit runs in a separate ``manage.py shell`` process against a file SQLite database; a
patched point inside the submit's transaction (after the work row was updated, before the
audit row and the commit) kills the process. The parent then reads the database.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.faults.seed import drafts_script, work_pks

pytestmark = pytest.mark.faults
ROOT = Path(__file__).resolve().parents[2]

SUBMIT = textwrap.dedent("""
    import os, signal
    from gongchuang.common import state
    from gongchuang.submissions import services
    from gongchuang.submissions.models import Work
    if KILL:
        def die(**kwargs):
            os.kill(os.getpid(), signal.SIGKILL)
        state.audit_record = die
    work = Work.objects.get(created_by__username=USERNAME)
    services.work_submit(work=work, actor=work.created_by)
    print("submitted", work.pk)
""")


def _manage(env, *args, check=True):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    var = tmp_path_factory.mktemp("killvar")
    env = {**os.environ, "GONGCHUANG_VAR_DIR": str(var), "LOG_LEVEL": "ERROR"}
    env["PASSWORD_HASHERS"] = "django.contrib.auth.hashers.MD5PasswordHasher"
    for key in ("DATABASE_URL", "TEST_DATABASE_NAME", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(key, None)
    _manage(env, "migrate", "--noinput", "-v0")
    assert work_pks(_manage(env, "shell", "-c", drafts_script(["kill0", "kill1"])).stdout)
    return env, var / "gongchuang.sqlite3"


def _row(db: Path, username: str):
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT w.state, w.code, w.submitted_at IS NOT NULL, "
            " (SELECT count(*) FROM common_auditevent a WHERE a.object_id = CAST(w.id AS TEXT)"
            "  AND a.action LIKE '%submitted%') "
            "FROM submissions_work w JOIN accounts_user u ON u.id = w.created_by_id "
            "WHERE u.username = ?",
            (username,),
        ).fetchone()


def test_submit_killed_inside_the_transaction_leaves_a_draft(instance):
    env, db = instance
    script = f"KILL = True\nUSERNAME = 'kill0'\n{SUBMIT}"
    result = _manage(env, "shell", "-c", script, check=False)
    assert result.returncode == -signal.SIGKILL, result.stdout + result.stderr
    state, code, submitted, _ = _row(db, "kill0")
    assert (state, code, submitted) == ("draft", "", 0)
    with sqlite3.connect(db) as conn:  # the database is healthy and not left locked
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")


def test_the_same_submit_not_killed_is_complete(instance):
    env, db = instance
    result = _manage(env, "shell", "-c", f"KILL = False\nUSERNAME = 'kill1'\n{SUBMIT}")
    assert "submitted" in result.stdout
    state, code, submitted, _ = _row(db, "kill1")
    assert state == "submitted" and code and submitted == 1


def test_after_the_kill_the_draft_can_still_be_submitted(instance):
    env, db = instance
    result = _manage(env, "shell", "-c", f"KILL = False\nUSERNAME = 'kill0'\n{SUBMIT}")
    assert "submitted" in result.stdout
    state, code, submitted, _ = _row(db, "kill0")
    assert state == "submitted" and code and submitted == 1
