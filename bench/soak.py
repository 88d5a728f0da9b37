"""Soak test: mixed traffic against gunicorn on loopback for N minutes (default 5).

Builds a fresh SQLite instance (migrate + seed_demo) in its own temporary var dir, serves it
with gunicorn on 127.0.0.1 (``bench.server.AppServer``), and drives home, notices, showcase,
login → dashboard and a work page from a few threads. Prints one JSON line: request and
error counts, and the workers' memory (RSS, MB) at the start and the end.

    .venv/bin/python bench/soak.py --minutes 5
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.run import PASSWORD
from bench.server import AppServer, login

ANONYMOUS_PAGES = ["/", "/notices/", "/showcase/", "/results/"]


def build_instance() -> tuple[AppServer, int]:
    """A SQLite instance in its own var dir (never the shared /tmp/gongchuang-bench-* dirs).

    Returns it with the pk of the demo student's work.
    """
    env = {
        **os.environ,
        "AXES_ENABLED": "false",
        # All simulated users log in from 127.0.0.1: no per-address limit (accounts.ratelimit)
        "LOGIN_RATE_LIMIT_PER_IP": "100000000",
        "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "LOG_LEVEL": "ERROR",
        "PASSWORD_HASHERS": "django.contrib.auth.hashers.MD5PasswordHasher",
    }
    for key in ("DATABASE_URL", "TEST_DATABASE_NAME", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(key, None)
    inst = AppServer(Path(tempfile.mkdtemp(prefix="gongchuang-soak-")), env)
    inst.manage("migrate", "--noinput", "-v0")
    inst.manage("seed_demo")
    out = inst.manage(
        "shell", "-c",
        "from gongchuang.submissions.models import Work;"
        "print('WORK', Work.objects.filter(created_by__username='student').first().pk)",
    )  # fmt: skip
    return inst, int(re.search(r"WORK (\d+)", out).group(1))


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.errors: dict[str, int] = {}

    def record(self, path: str, ok: bool) -> None:
        with self.lock:
            self.requests += 1
            if not ok:
                self.errors[path] = self.errors.get(path, 0) + 1


def drive(base_url: str, work_pk: int, deadline: float, stats: Stats, max_requests: int) -> None:
    """One simulated user: anonymous pages, then a login, its dashboard and its work page."""
    pages = [*ANONYMOUS_PAGES, "/accounts/dashboard/", f"/works/{work_pk}/"]
    n = 0
    while time.monotonic() < deadline and n < max_requests:  # bounded by time and count
        with httpx.Client(base_url=base_url, timeout=30, follow_redirects=False) as client:
            try:
                stats.record("login", login(client, "student", PASSWORD))
            except (httpx.HTTPError, AttributeError):
                stats.record("login", False)
            for _ in range(20):
                for path in pages:
                    if time.monotonic() >= deadline or n >= max_requests:
                        return
                    n += 1
                    try:
                        ok = client.get(path).status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    stats.record(path, ok)


def worker_rss(inst: AppServer) -> list[float]:
    out = []
    for proc in inst.workers():
        try:
            out.append(round(proc.memory_info().rss / 2**20, 1))
        except psutil.NoSuchProcess:  # a worker that just exited
            continue
    return sorted(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--users", type=int, default=4, help="concurrent simulated users")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()
    inst, work_pk = build_instance()
    try:
        inst.start(workers=args.workers)
        warm = Stats()
        drive(inst.url, work_pk, time.monotonic() + 5, warm, 50)
        rss_start = worker_rss(inst)
        stats = Stats()
        deadline = time.monotonic() + args.minutes * 60
        cap = int(args.minutes * 60 * 500)  # a hard bound per user, far above what fits in time
        threads = [
            threading.Thread(target=drive, args=(inst.url, work_pk, deadline, stats, cap))
            for _ in range(args.users)
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        result = {
            "minutes": args.minutes,
            "users": args.users,
            "workers": args.workers,
            "requests": stats.requests,
            "requests_per_second": round(stats.requests / elapsed, 1),
            "errors": sum(stats.errors.values()),
            "errors_by_path": stats.errors,
            "warmup_errors": sum(warm.errors.values()),
            "worker_rss_mb_start": rss_start,
            "worker_rss_mb_end": worker_rss(inst),
        }
        print(json.dumps(result, ensure_ascii=False))
        return 0 if result["errors"] == 0 else 1
    finally:
        inst.stop()
        shutil.rmtree(inst.var, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
