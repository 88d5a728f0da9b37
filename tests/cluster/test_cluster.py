"""The multi-server rig, reduced: ``./scripts/cluster --quick`` (docs/deploy.md, "The rig").

Two app servers with their own var/ directories behind nginx (round-robin), PostgreSQL,
Redis, moto's S3 server and an RQ worker; a 3 MB resumable upload and two files at once,
submission, district decision, expert review, certificate QR, and six submissions through
one server and through both. Then nothing of the rig may be left: no process, no
database, no run directory.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "cluster"
POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.cluster,
    pytest.mark.skipif(
        shutil.which("nginx") is None and os.geteuid() != 0,
        reason="needs nginx (Debian package; ./scripts/cluster installs it as root)",
    ),
]


SUITE_SETTINGS = (
    "GONGCHUANG_VAR_DIR", "DATABASE_URL", "TEST_DATABASE_NAME", "REDIS_URL", "TASKS_BROKER",
    "TASKS_REDIS_URL", "TASKS_BACKEND", "STATICFILES_STORAGE",
)  # fmt: skip


def _environment() -> dict[str, str]:
    """A developer's shell: the test suite's settings removed (the rig sets its own)."""
    return {k: v for k, v in os.environ.items() if k not in SUITE_SETTINGS}


def _leftovers(run_dir: str, database: str) -> list[str]:
    found = []
    for proc in psutil.process_iter(["pid", "name"]):
        try:
            if proc.environ().get("CLUSTER_RUN_DIR") == run_dir:
                found.append(f"process {proc.pid} {proc.info['name']}")
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            pass
    databases = subprocess.run(
        ["psql", POSTGRES, "-AtXc", "SELECT datname FROM pg_database"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if database in databases:
        found.append(f"database {database}")
    if Path(run_dir).exists():
        found.append(f"directory {run_dir}")
    return found


def _names(stderr: str) -> tuple[str, str]:
    run_dir = re.search(r"\[cluster\] run directory (\S+)", stderr).group(1)
    database = re.search(r"\[cluster\] database (gongchuang_cluster_\d+) created", stderr).group(1)
    return run_dir, database


def test_cluster_quick_serves_everything_through_nginx_and_leaves_nothing():
    done = subprocess.run(
        [str(SCRIPT), "--quick"],
        cwd=ROOT,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert done.returncode == 0, done.stderr[-4000:]
    lines = done.stdout.splitlines()
    assert len(lines) == 1, done.stdout  # one JSON line, nothing else
    result = json.loads(lines[0])
    assert sorted(result) == [
        "app_servers",
        "certificate_links_ok",
        "errors",
        "requests",
        "submissions_per_s",
        "uploads_ok",
    ]
    assert result["app_servers"] == 2
    assert result["errors"] == 0, done.stderr[-4000:]
    assert result["uploads_ok"] is True
    assert result["certificate_links_ok"] is True
    assert sorted(result["submissions_per_s"]) == ["1", "2"]
    assert all(rate > 0 for rate in result["submissions_per_s"].values())
    # 57 requests of the journey, 6 submissions × (2 login + 6) per server set; a GET
    # retried on a keep-alive connection nginx closed would add one.
    assert result["requests"] >= 57 + 2 * 6 * 8
    served = re.search(r"requests per app server: \{'app1': (\d+), 'app2': (\d+)\}", done.stderr)
    assert served and int(served.group(2)) > 0, "the second server took no request"
    assert _leftovers(*_names(done.stderr)) == []


def test_cluster_interrupted_stops_everything_it_started():
    proc = subprocess.Popen(
        [str(SCRIPT), "--quick"],
        cwd=ROOT,
        env=_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A suite started in the background (nohup, `&`) ignores SIGINT, and a shell that
        # starts with a signal ignored cannot trap it: give the rig Ctrl-C back.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    )
    seen = ""
    deadline = time.monotonic() + 420  # after another rig on the same Redis databases
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        seen += line
        # The driver's own line (not a word in the set-up steps' output before it).
        if not line or re.match(r"\[cluster\] database \S+ created", line):
            break
    time.sleep(3)  # moto runs, the database exists, migrate is running

    proc.send_signal(signal.SIGINT)  # as Ctrl-C does (the script passes it on)
    _out, rest = proc.communicate(timeout=120)

    assert proc.returncode == 130
    assert _leftovers(*_names(seen + rest)) == []
