"""Gongchuang served by gunicorn on 127.0.0.1 in its own process group.

Shared by the benchmarks (``bench/run.py``, ``bench/soak.py``) and the fault tests that need
the real server (``tests/faults/test_pg_restart.py``): ``AppServer`` runs ``manage.py``
commands and gunicorn with one environment (database, ``GONGCHUANG_VAR_DIR``, ...), so the
instance is configured exactly as in production, through environment variables.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """One instance: ``env`` (with ``GONGCHUANG_VAR_DIR=var``) for manage.py and gunicorn."""

    label = "app"

    def __init__(self, var: Path, env: dict[str, str]):
        self.var = Path(var)
        self.env = {**env, "GONGCHUANG_VAR_DIR": str(self.var)}
        self.proc: subprocess.Popen | None = None
        self.port = free_port()

    def manage(self, *args: str) -> str:
        t = time.monotonic()
        out = subprocess.run(
            [PY, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        if out.returncode:
            raise RuntimeError(out.stdout + out.stderr)
        if os.environ.get("BENCH_VERBOSE"):
            print(f"[{self.label}] {args[0]}: {time.monotonic() - t:.1f} s", flush=True)
        return out.stdout

    def start(self, workers: int = 0, log: Path | None = None) -> None:
        """Start gunicorn and wait for ``/healthz``; its output goes to ``log`` when given.

        Workers × threads: ``workers`` or ``BENCH_WORKERS`` (default 4) × ``BENCH_THREADS``
        (default 1: synchronous workers; more than 1 makes them gthread), as
        ``./scripts/serve`` runs them: a free process takes each request.
        """
        workers = workers or int(os.environ.get("BENCH_WORKERS", "4"))
        threads = os.environ.get("BENCH_THREADS", "1")
        out = open(log, "ab") if log else None  # closed once the child has it
        try:
            self.proc = subprocess.Popen(
                [
                    PY,
                    "-m",
                    "gunicorn",
                    "config.wsgi",
                    "--chdir",
                    "src",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    str(workers),
                    "--threads",
                    threads,
                    "--timeout",
                    "120",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=self.env,
                start_new_session=True,
                stdout=out,
                stderr=out,
            )
        finally:
            if out:
                out.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[psutil.Process]:
        return psutil.Process(self.proc.pid).children(recursive=True) if self.proc else []

    def cpu_seconds(self) -> float:
        """CPU seconds the workers have used so far (a worker that ended counts no more)."""
        total = 0.0
        for worker in self.workers():
            try:
                t = worker.cpu_times()
                total += t.user + t.system
            except psutil.NoSuchProcess:
                pass
        return total

    def stop(self) -> None:
        """Stop gunicorn and its workers (the whole process group); kill them if they linger."""
        if not self.proc:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        except ProcessLookupError:  # already gone, workers included
            pass


def login(client: httpx.Client, username: str, password: str) -> bool:
    """Log in through the real login form; True when the server accepted the password."""
    page = client.get("/accounts/login/")
    response = client.post(
        "/accounts/login/",
        data={
            "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
            "username": username,
            "password": password,
        },
        headers={"Referer": str(client.base_url) + "/accounts/login/"},
    )
    return response.status_code == 302
