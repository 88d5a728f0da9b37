"""The multi-server rig behind ``./scripts/cluster``: everything on 127.0.0.1, then a drive.

Starts, each in its own process group: moto's S3 server, two gunicorn app servers (own
``GONGCHUANG_VAR_DIR`` each, the same ``SECRET_KEY`` and ``IDENTITY_HASH_KEY``), one RQ task
worker in a third directory and nginx in front (round-robin over both servers on one port,
only the first server on a second port). It uses the running PostgreSQL (a fresh database,
dropped at the end) and Redis (two database numbers of its own, emptied at the start and
the end). ``bench/cluster_flow.py`` then drives the pages through nginx and this module
prints one JSON line. Everything started is stopped at the end, on failure, Ctrl-C or
SIGTERM; ``scripts/cluster`` kills the process groups listed in ``<run dir>/pgids`` again
should this process itself be killed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# gongchuang.accounts.identity (a valid ID number for the registering student)
sys.path.insert(1, str(Path(__file__).resolve().parents[1] / "src"))
from bench import cluster_flow, cluster_nginx
from bench.server import PY, ROOT, AppServer, free_port

BUCKET = "gongchuang-cluster"
S3_KEY, S3_SECRET, S3_REGION = "cluster", "cluster-secret", "us-east-1"  # moto accepts any
# What the rig passes on from the caller's environment; every setting of the app is set
# here, so a caller's DATABASE_URL, TASKS_BACKEND (the test suite's) etc. never leak in.
PASSED_ON = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "VIRTUAL_ENV", "PYTHONPATH")


def log(message: str) -> None:
    print(f"[cluster] {message}", file=sys.stderr, flush=True)


def wait_port(port: int, proc: subprocess.Popen, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not open port {port}")


class Rig:
    """The processes, directories, database and Redis databases of one run."""

    def __init__(self, run_dir: Path, *, pg: str, redis_db: int, quick: bool):
        self.run_dir = run_dir
        self.database = f"gongchuang_cluster_{os.getpid()}"
        self.pg = pg.rstrip("/")
        self.redis_dbs = (redis_db, redis_db + 1)
        self.quick = quick
        self.procs: list[subprocess.Popen] = []
        self.servers: list[AppServer] = []
        self.port, self.port_one = free_port(), free_port()
        self.s3_port = free_port()
        # The same secrets on every server, from the environment (never var/secret_key).
        self.keys = (secrets.token_urlsafe(50), secrets.token_urlsafe(50))
        self.students = 0
        self.setup: dict = {}

    @property
    def site_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """The settings every process of the rig shares (docs/deploy.md, scale-out)."""
        redis = "redis://127.0.0.1:6379"
        env = {k: os.environ[k] for k in PASSED_ON if k in os.environ}
        env.update(
            CLUSTER_RUN_DIR=str(self.run_dir),  # marks the rig's processes (tests/cluster)
            DATABASE_URL=f"{self.pg}/{self.database}",
            REDIS_URL=f"{redis}/{self.redis_dbs[0]}",
            TASKS_BROKER="redis",
            TASKS_REDIS_URL=f"{redis}/{self.redis_dbs[1]}",
            AWS_STORAGE_BUCKET_NAME=BUCKET,
            AWS_S3_ENDPOINT_URL=f"http://127.0.0.1:{self.s3_port}",
            AWS_ACCESS_KEY_ID=S3_KEY,
            AWS_SECRET_ACCESS_KEY=S3_SECRET,
            AWS_S3_REGION_NAME=S3_REGION,
            AWS_S3_ADDRESSING_STYLE="path",
            SITE_URL=self.site_url,
            ALLOWED_HOSTS="127.0.0.1",
            SECRET_KEY=self.keys[0],
            IDENTITY_HASH_KEY=self.keys[1],
            # Every request of the drive comes from 127.0.0.1.
            LOGIN_RATE_LIMIT_PER_IP="100000",
            REGISTRATION_RATE_LIMIT_PER_IP="100000",
            LOG_LEVEL="WARNING",
        )
        if self.quick:
            # As ./scripts/bench --quick: logins are not what is measured.
            env["PASSWORD_HASHERS"] = "django.contrib.auth.hashers.MD5PasswordHasher"  # noqa: S105
        return env

    def spawn(self, name: str, argv: list[str], env: dict | None = None) -> subprocess.Popen:
        """Start a child in its own process group, output to ``<run dir>/<name>.log``."""
        env = env or {**os.environ, "CLUSTER_RUN_DIR": str(self.run_dir)}
        with open(self.run_dir / f"{name}.log", "ab") as out:
            proc = subprocess.Popen(
                argv, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
            )
        self._record(proc)
        return proc

    def _record(self, proc: subprocess.Popen) -> None:
        self.procs.append(proc)
        with open(self.run_dir / "pgids", "a") as f:
            f.write(f"{proc.pid}\n")

    def start(self, workers: int) -> None:
        self._prepare_services()
        env = self.env()
        self.servers = [AppServer(self.run_dir / f"app{n}", env) for n in (1, 2)]
        first = self.servers[0]
        first.label = "app1"
        self._seed(first)
        for server in self.servers:
            server.env["DATABASE_POOL"] = "true"  # app servers only (docs/deploy.md)
            if server is not first:
                shutil.copytree(first.var / "staticfiles", server.var / "staticfiles")
            try:
                server.start(workers=workers, log=self.run_dir / f"{server.var.name}.log")
            finally:
                if server.proc is not None:
                    self._record(server.proc)
        self.spawn(
            "worker",
            [PY, "manage.py", "rqworker", "default", "--with-scheduler"],
            {**env, "GONGCHUANG_VAR_DIR": str(self.run_dir / "worker")},
        )
        self._start_nginx()
        log(f"nginx on {self.site_url} (both servers) and :{self.port_one} (app1 only)")

    def _prepare_services(self) -> None:
        (self.run_dir / "database").write_text(self.database)
        self._psql(f'CREATE DATABASE "{self.database}"')
        log(f"database {self.database} created")
        self._flush_redis()
        moto = self.spawn(
            "s3", [PY, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.s3_port)]
        )
        wait_port(self.s3_port, moto, "moto's S3 server")
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{self.s3_port}",
            aws_access_key_id=S3_KEY,
            aws_secret_access_key=S3_SECRET,
            region_name=S3_REGION,
        )
        client.create_bucket(Bucket=BUCKET)
        self.s3 = client

    def _seed(self, server: AppServer) -> None:
        """Migrate and seed from one directory only (as on a real first deployment)."""
        t = time.monotonic()
        # The static files need no database: collected meanwhile (stopped on a failure).
        argv = [PY, "manage.py", "collectstatic", "--noinput", "-v0"]
        static = subprocess.Popen(argv, cwd=ROOT, env=server.env, stdout=subprocess.DEVNULL)
        try:
            server.manage("migrate", "--noinput", "-v0")
            log(f"migrated in {time.monotonic() - t:.0f} s")
            server.manage("load_edition_defaults", "2026")
            server.manage("seed_demo")
            log(f"demo seeded in {time.monotonic() - t:.0f} s")
            if static.wait():
                raise RuntimeError("collectstatic failed")
        finally:
            if static.poll() is None:
                static.kill()
                static.wait()
        # bench/setup_instance.py: students for the submission load, the expert's works.
        server.env["BENCH_STUDENTS"] = str(self.students)
        out = server.manage("shell", "-c", "exec(open('bench/setup_instance.py').read())")
        del server.env["BENCH_STUDENTS"]
        self.setup = json.loads([line for line in out.splitlines() if line.startswith("{")][-1])
        # The demo's open final run to the end, so that a finalist has a certificate.
        server.manage("shell", "-c", "exec(open('bench/finish_demo_final.py').read())")
        log(f"database {self.database} ready in {time.monotonic() - t:.0f} s")

    def _start_nginx(self) -> None:
        prefix = self.run_dir / "nginx"
        conf = cluster_nginx.write_config(
            prefix,
            port=self.port,
            port_one=self.port_one,
            upstreams=[s.port for s in self.servers],
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        argv = [nginx, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
        proc = self.spawn("nginx", [*argv, "-g", "daemon off;"])
        wait_port(self.port, proc, "nginx")
        wait_port(self.port_one, proc, "nginx")

    def _psql(self, sql: str) -> None:
        subprocess.run(
            ["psql", f"{self.pg}/postgres", "-qXc", sql], check=True, capture_output=True
        )

    def _flush_redis(self) -> None:
        import redis

        for db in self.redis_dbs:
            redis.Redis(host="127.0.0.1", port=6379, db=db).flushdb()

    def stop(self) -> None:
        """Stop every process group in the reverse order of starting (nginx first, moto last,
        so a task the worker finishes can still reach the bucket): TERM, then KILL after
        15 s; then drop the database and empty the Redis databases."""
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second Ctrl-C: finish cleaning up
        for proc in reversed(self.procs):
            _signal_group(proc, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                log(f"process {proc.pid} did not stop on SIGTERM: killed")
            _signal_group(proc, signal.SIGKILL)  # what is left of the group (RQ work horses)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                log(f"process {proc.pid} did not stop")
        (self.run_dir / "pgids").write_text("")  # nothing left for scripts/cluster's trap
        try:
            self._psql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            (self.run_dir / "database").unlink(missing_ok=True)
            self._flush_redis()
        except (subprocess.CalledProcessError, OSError) as exc:
            log(f"clean-up: {exc}")


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


def nginx_log_summary(rig: Rig) -> tuple[int, int, dict[str, int]]:
    """Requests nginx answered, how many with a 5xx status, and how many each server took."""
    lines = (rig.run_dir / "nginx" / "access.log").read_text().splitlines()
    names = {str(server.port): server.var.name for server in rig.servers}
    per_server = dict.fromkeys(names.values(), 0)
    server_errors = 0
    for line in lines:
        status, upstreams = line.split("|")[:2]
        server_errors += status.startswith("5")
        for port in re.findall(r":(\d+)", upstreams):  # "127.0.0.1:8001, 127.0.0.1:8002"
            per_server[names[port]] += 1
    return len(lines), server_errors, per_server


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small upload, few submissions")
    parser.add_argument(
        "--run-dir", type=Path, help="where the rig's directories and logs go (default: temp)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the run directory (logs)")
    parser.add_argument(
        "--pg",
        default=os.environ.get("CLUSTER_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server (a fresh database is created there)",
    )
    parser.add_argument(
        "--redis-db",
        type=int,
        default=int(os.environ.get("CLUSTER_REDIS_DB", "2")),
        help="cache database number; the task queues use the next one (both are emptied)",
    )
    parser.add_argument("--submissions", type=int, help="submissions per load run")
    parser.add_argument("--upload-mb", type=int, help="size of the resumable upload")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    return parser.parse_args(argv)


def _redis_lock(db: int):
    """Two rigs on the same Redis databases (the test suite's two tests under xdist) would
    empty each other's queue and cache: the second waits for the first."""
    import fcntl

    lock = open(Path(tempfile.gettempdir()) / f"gongchuang-cluster-redis-{db}.lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        log(f"waiting for the other rig using Redis databases {db} and {db + 1}")
        fcntl.flock(lock, fcntl.LOCK_EX)
    return lock


def _on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _on_sigterm)
    signal.signal(signal.SIGHUP, _on_sigterm)
    given = args.run_dir or os.environ.get("CLUSTER_RUN_DIR")  # scripts/cluster's
    run_dir = Path(given) if given else Path(tempfile.mkdtemp(prefix="gongchuang-cluster-"))
    run_dir.mkdir(parents=True, exist_ok=True)
    run_dir.chmod(0o755)  # nginx's workers (nobody, when started as root) write under it
    if args.keep:
        (run_dir / "keep").touch()
    plan = cluster_flow.Plan.for_mode(args.quick, args.submissions, args.upload_mb)
    rig = Rig(run_dir, pg=args.pg, redis_db=args.redis_db, quick=args.quick)
    rig.students = plan.submissions * 2
    log(f"run directory {run_dir}")
    lock = _redis_lock(args.redis_db)  # held until this process ends, however it ends
    try:
        rig.start(args.workers)
        outcome = asyncio.run(cluster_flow.drive(rig, plan))
        requests, server_errors, per_server = nginx_log_summary(rig)
        log(f"requests per app server: {per_server}")
        for name, served in per_server.items():
            outcome.check(served > 0, f"{name} served no request")
        result = {
            "app_servers": len(rig.servers),
            "requests": requests,
            "errors": len(outcome.failures) + server_errors,
            "uploads_ok": outcome.uploads_ok,
            "certificate_links_ok": outcome.certificate_links_ok,
            "submissions_per_s": outcome.submissions_per_s,
        }
        for failure in outcome.failures:
            log(f"failed: {failure}")
        print(json.dumps(result), flush=True)
        ok = not result["errors"] and outcome.uploads_ok and outcome.certificate_links_ok
        return 0 if ok else 1
    finally:
        rig.stop()
        lock.close()
        if not args.keep and not given:
            shutil.rmtree(run_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
