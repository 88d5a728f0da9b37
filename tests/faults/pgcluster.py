"""A private, throw-away PostgreSQL cluster, for fault tests that stop and restart the server.

The shared server on 127.0.0.1:5432 is never restarted (other people use it). This cluster
lives in its own temporary directory, listens on 127.0.0.1 on a free port (its socket in that
directory too), trusts local connections, runs with fsync off, and is deleted afterwards.
PostgreSQL refuses to run as root: as root the Debian binaries run as the ``postgres`` OS
user (``runuser``), which owns the directory.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.server import free_port

SERVER_USER = "postgres"
SETTINGS = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{root}'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 32MB
max_connections = 50
"""


def bin_dir() -> Path | None:
    """The newest installed PostgreSQL server binaries (``initdb``, ``pg_ctl``), if any."""
    found = [Path(p).parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    found = [p for p in found if (p / "pg_ctl").exists()]
    version = re.compile(r"/(\d+)/bin$")
    return max(found, key=lambda p: int(version.search(str(p)).group(1)), default=None)


def unavailable_reason() -> str | None:
    """Why a private cluster cannot be made on this machine (None when it can)."""
    if bin_dir() is None:
        return "PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb, pg_ctl) not installed"
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            return "running as root and runuser is missing (PostgreSQL refuses to run as root)"
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return f"running as root and there is no {SERVER_USER!r} OS user to run PostgreSQL"
    return None


class PrivateCluster:
    """``initdb`` + ``pg_ctl`` in a temporary directory; ``destroy()`` always cleans up."""

    def __init__(self):
        self.bin = bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="gongchuang-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self.run_as = SERVER_USER if os.geteuid() == 0 else None
        if self.run_as:
            account = pwd.getpwnam(self.run_as)
            os.chown(self.root, account.pw_uid, account.pw_gid)

    def _run(self, tool: str, *args: str, timeout: float = 60) -> str:
        command = [str(self.bin / tool), *args]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        result = subprocess.run(
            command, cwd=self.root, capture_output=True, text=True, timeout=timeout
        )
        if result.returncode:
            raise RuntimeError(f"{tool} failed: {result.stdout}{result.stderr}{self.server_log()}")
        return result.stdout

    def server_log(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def init(self) -> None:
        """Create the cluster (trust authentication, superuser ``postgres``) and start it."""
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--no-locale", "--no-sync",
        )  # fmt: skip
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(SETTINGS.format(port=self.port, root=self.root))
        self.start()

    def start(self) -> None:
        """Start and wait until the server accepts connections."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "30", "start")

    def stop(self, mode: str = "fast") -> None:
        """``fast``: roll back open transactions and disconnect every client, like a restart."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def restart(self) -> None:
        """``pg_ctl restart -m fast``: back at once, but every client connection was cut."""
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", "fast", "-w", "-t", "30",
            "restart",
        )  # fmt: skip

    def running(self) -> bool:
        command = [str(self.bin / "pg_ctl"), "-D", str(self.data), "status"]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        return subprocess.run(command, cwd=self.root, capture_output=True).returncode == 0

    def create_database(self, name: str) -> str:
        """Create database ``name``; returns its ``DATABASE_URL``."""
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def destroy(self) -> None:
        """Stop the server (immediately) if it runs, and delete the directory."""
        try:
            if self.data.exists() and self.running():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
