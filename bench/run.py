"""Gongchuang benchmark suite: HTTP scenarios against gunicorn on 127.0.0.1, plus batch jobs.

``./scripts/bench`` (full) or ``./scripts/bench --quick``. For each database
(SQLite WAL always; PostgreSQL when it answers on 127.0.0.1:5432) it builds a
fresh instance with ``generate_load_data``, starts gunicorn, and drives each
scenario from this separate process with an asyncio httpx client. Server CPU per
request comes from the gunicorn workers' own CPU time (psutil), so the figure
holds on a noisy machine; every throughput is also given as a ratio to a bare
Django view measured in the same run. Prints a table and writes
``bench/results.json`` (a list of objects with ``scenario, database,
concurrency, rps, p50_ms, p95_ms, p99_ms, errors, cpu_ms_per_req,
ratio_to_bare_django`` and ``peak_rss_mb``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import loadgen
from bench.server import CSRF, PY, ROOT, AppServer, free_port  # noqa: F401 (soak.py)

PASSWORD = "Gongchuang2026"  # noqa: S105 - the demo accounts' published password
SHARED_STATIC = Path("/tmp/gongchuang-bench-static")
STATIC_LOCK = threading.Lock()


@dataclass
class Scenario:
    name: str
    concurrency: int
    requests: int
    path: str = "/"
    login: str | None = None  # demo username to log in as
    prepare: str | None = None  # name of a function in this module returning paths


@dataclass
class Result:
    scenario: str
    database: str
    concurrency: int
    rps: float | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    errors: int = 0
    cpu_ms_per_req: float | None = None
    ratio_to_bare_django: float | None = None
    peak_rss_mb: float | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)


def postgres_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
        return True
    except OSError:
        return False


class Instance(AppServer):
    """A fresh Gongchuang instance (database + var dir) served by gunicorn."""

    def __init__(self, database: str, works: int, experts: int, quick: bool = False):
        self.database = self.label = database
        var = Path(f"/tmp/gongchuang-bench-{database}")
        shutil.rmtree(var, ignore_errors=True)
        var.mkdir(parents=True)
        env = {
            **os.environ,
            "BENCH_ENDPOINTS": "1",
            "AXES_ENABLED": "false",
            # All simulated users log in from 127.0.0.1: no per-address limit (accounts.ratelimit)
            "LOGIN_RATE_LIMIT_PER_IP": "100000000",
            "STATICFILES_STORAGE": "whitenoise.storage.CompressedManifestStaticFilesStorage",
            "LOG_LEVEL": "ERROR",
        }
        if quick:
            # Logins are never measured; a cheap hasher keeps 50 student logins from eating the
            # 3-minute budget (the full run keeps the production PBKDF2 hasher).
            env["PASSWORD_HASHERS"] = "django.contrib.auth.hashers.MD5PasswordHasher"  # noqa: S105
        if database == "postgresql":
            env["DATABASE_URL"] = os.environ.get(
                "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gongchuang_bench"
            )
            # A shared database refuses secrets generated under var/ (check gongchuang.E004).
            env.setdefault("SECRET_KEY", "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
            env.setdefault("IDENTITY_HASH_KEY", "bench-identity-key-0123456789-abcdefghijklmnop")
            psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc"]
            for sql in (
                "DROP DATABASE IF EXISTS gongchuang_bench WITH (FORCE)",
                "CREATE DATABASE gongchuang_bench",
            ):
                subprocess.run([*psql, sql], check=True)
        else:
            env.pop("DATABASE_URL", None)
        super().__init__(var, env)
        self.works, self.experts = works, experts
        self.setup: dict = {}

    def build(self) -> None:
        t = time.monotonic()
        self.manage("migrate", "--noinput", "-v0")
        # collectstatic (with compression) once per run, shared by every instance.
        with STATIC_LOCK:
            if not (SHARED_STATIC / "staticfiles.json").exists():
                self.manage("collectstatic", "--noinput", "-v0")
                shutil.rmtree(SHARED_STATIC, ignore_errors=True)
                shutil.move(self.var / "staticfiles", SHARED_STATIC)
        shutil.rmtree(self.var / "staticfiles", ignore_errors=True)
        (self.var / "staticfiles").symlink_to(SHARED_STATIC)
        self.manage("seed_demo")
        self.manage(
            "generate_load_data",
            "--works",
            str(self.works),
            "--experts",
            str(self.experts),
            "--edition",
            "demo-load",
        )
        out = self.manage("shell", "-c", "exec(open('bench/setup_instance.py').read())")
        self.setup = json.loads([line for line in out.splitlines() if line.startswith("{")][-1])
        print(f"[{self.database}] instance built in {time.monotonic() - t:.0f} s", flush=True)

    def database_cpu_seconds(self) -> float:
        """CPU seconds of the PostgreSQL server's processes (0 on SQLite, which runs in the
        workers): on this machine the database shares the two cores with the app."""
        if self.database != "postgresql":
            return 0.0
        total = 0.0
        for process in psutil.process_iter(["name", "cpu_times"]):
            if (process.info["name"] or "").startswith("postgres") and process.info["cpu_times"]:
                total += process.info["cpu_times"].user + process.info["cpu_times"].system
        return total

    def rss_mb(self) -> float:
        total = 0
        for worker in self.workers():
            try:
                total = max(total, worker.memory_info().rss)
            except psutil.NoSuchProcess:
                pass
        return total / 2**20


async def _login(client: httpx.AsyncClient, username: str) -> None:
    page = await client.get("/accounts/login/")
    token = CSRF.search(page.text).group(1)
    response = await client.post(
        "/accounts/login/",
        data={
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": PASSWORD,
        },
        headers={"Referer": str(client.base_url) + "/accounts/login/"},
    )
    if response.status_code != 302:
        raise RuntimeError(f"login as {username} failed: {response.status_code}")


async def _drive(
    base_url: str, scenario: Scenario, paths: list[str], kinds: Counter | None = None
) -> tuple[list[float], int]:
    """GET ``paths`` round-robin from ``scenario.concurrency`` connections (bench/loadgen.py,
    after logging in with httpx when the scenario needs a user); ``kinds`` counts what went
    wrong (status codes, exception names, GETs retried on a closed keep-alive connection)."""
    cookies = await _login_cookies(base_url, scenario.login) if scenario.login else {}
    return await loadgen.drive(
        base_url,
        paths,
        concurrency=scenario.concurrency,
        requests=scenario.requests,
        cookies=cookies,
        kinds=kinds,
    )


async def _login_cookies(base_url: str, username: str) -> dict[str, str]:
    """Log in through the real form with httpx (not measured); the session's cookies."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        await _login(client, username)
        return dict(client.cookies.items())


def _png_2mb() -> bytes:
    """A 2 MB PNG of noise (incompressible, so the body really is ~2 MB), without metadata."""
    import io
    import random

    from PIL import Image

    rng = random.Random(2026)
    width, height = 1000, 667
    image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    buf = io.BytesIO()
    image.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def _small_pdf(text: str) -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    page = canvas.Canvas(buf)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buf.getvalue()


ART_OPTION = re.compile(r'<option value="(\d+)"[^>]*>\s*AI 艺术创作')


async def _submit_one(session: loadgen.Session, parts: dict, timings: list[float]) -> bool:
    """One student: new draft → 2 MB artwork (+ two small PDFs) → submit. True if submitted."""

    async def timed(coro):
        t = time.perf_counter()
        response = await coro
        timings.append((time.perf_counter() - t) * 1000)
        return response

    # The connection may have sat idle while the other students logged in (PBKDF2 takes a
    # while) and been closed by the server: the GET is retried once, as a browser does.
    form = await timed(session.get("/works/new/"))
    token = CSRF.search(form.text).group(1)
    category = ART_OPTION.search(form.text).group(1)
    created = await timed(
        session.post(
            "/works/new/",
            {
                "csrfmiddlewaretoken": token,
                "category": category,
                "title": "智能校园垃圾分类画",
                "abstract": "用人工智能工具创作的一幅关于垃圾分类的画。",
                "keywords": "AI绘画，垃圾分类",
                "ai_tool_list": "wenxin",
                "ai_tools": "文心一格",
                "ai_generated": "画面由 AI 生成。",
                "ai_contribution": "构图和修改是我自己完成的。",
                "ai_process": "",
                "link": "",
                "originality_pledge": "on",
                "showcase_consent": "on",
            },
        )
    )
    if created.status_code != 302:
        raise SubmissionFailed(f"create: HTTP {created.status_code}")
    work_url = created.headers["location"]  # /works/<pk>/
    for slot, part in parts.items():
        uploaded = await timed(
            session.post_multipart(
                f"{work_url}files/", {"csrfmiddlewaretoken": token, "slot": slot}, part
            )
        )
        if uploaded.status_code != 302:
            raise SubmissionFailed(f"upload: HTTP {uploaded.status_code}")
    submitted = await timed(session.post(f"{work_url}submit/", {"csrfmiddlewaretoken": token}))
    if submitted.status_code != 302:
        raise SubmissionFailed(f"submit: HTTP {submitted.status_code}")
    if not submitted.headers["location"].endswith("/receipt/"):
        raise SubmissionFailed("submit: refused (redirected back to the work)")
    return True


class SubmissionFailed(Exception):
    """A step of a student's submission did not do what it should (the message says which)."""


SUBMISSION_CONCURRENCY = 50


async def _drive_submissions(
    instance: Instance, students: list[str], concurrency: int = SUBMISSION_CONCURRENCY
) -> tuple[list[float], list[float], int, float, float, float, Counter, float]:
    """Every student logs in (not measured), then they submit, ``concurrency`` at a time.

    Each of the ``concurrency`` users submits, and as one finishes the next student starts,
    so the server sees that many users at once throughout (students hold one work each:
    three rounds of 50 measure a steadier rate than 50 starting together and a tail).

    Returns per-request and per-flow latencies, errors, elapsed seconds, the workers' CPU
    seconds, this load generator's own CPU seconds (it shares the machine's cores), what
    went wrong, by kind, and the PostgreSQL server's CPU seconds (0 on SQLite).
    """
    parts = {
        "artwork": loadgen.file_part("file", "作品.png", "image/png", _png_2mb()),
        "statement": loadgen.file_part(
            "file", "创作说明.pdf", "application/pdf", _small_pdf("Statement")
        ),
        "process": loadgen.file_part(
            "file", "创作过程.pdf", "application/pdf", _small_pdf("Process")
        ),
    }
    sem = asyncio.Semaphore(8)  # logins are PBKDF2-bound: don't pile them up

    async def login(username) -> loadgen.Session:
        """Log in (not measured); the flow runs on a lean keep-alive session."""
        async with sem:
            return loadgen.Session(instance.url, await _login_cookies(instance.url, username))

    clients = await asyncio.gather(*(login(u) for u in students))
    try:
        cpu_before = instance.cpu_seconds()  # after the logins: they are not part of the figure
        database_cpu = instance.database_cpu_seconds()
        client_cpu = time.process_time()
        timings: list[float] = []
        flows: list[float] = []
        errors = 0
        failures = Counter()

        waiting = list(reversed(clients))

        async def user():
            nonlocal errors
            while waiting:
                client = waiting.pop()
                t = time.perf_counter()
                try:
                    ok = await _submit_one(client, parts, timings)
                except SubmissionFailed as exc:
                    ok, failures[str(exc)] = False, failures[str(exc)] + 1
                except (OSError, asyncio.IncompleteReadError, AttributeError, KeyError) as exc:
                    ok, failures[type(exc).__name__] = False, failures[type(exc).__name__] + 1
                client.close()
                flows.append((time.perf_counter() - t) * 1000)
                errors += not ok

        started = time.perf_counter()
        await asyncio.gather(*(user() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
        cpu = instance.cpu_seconds() - cpu_before
        database_cpu = instance.database_cpu_seconds() - database_cpu
        client_cpu = time.process_time() - client_cpu
    finally:
        for client in clients:
            client.close()
    return timings, flows, errors, elapsed, cpu, client_cpu, failures, database_cpu


def run_submission(instance: Instance) -> Result:
    students = instance.setup["students"]
    peak = [instance.rss_mb()]
    timings, flows, errors, elapsed, cpu, client_cpu, failures, database_cpu = asyncio.run(
        _drive_submissions(instance, students)
    )
    peak.append(instance.rss_mb())
    submissions = len(students)
    return Result(
        scenario="submission",
        database=instance.database,
        concurrency=min(SUBMISSION_CONCURRENCY, submissions),
        rps=round((submissions - errors) / elapsed, 1),
        p50_ms=round(statistics.median(timings), 1),
        p95_ms=round(percentile(timings, 0.95), 1),
        p99_ms=round(percentile(timings, 0.99), 1),
        errors=errors,
        cpu_ms_per_req=round(cpu * 1000 / submissions, 2),
        peak_rss_mb=round(max(peak), 1),
        note="rps = submissions/s; p = per request; cpu per submission (6 requests)"
        + "".join(f"; {n} × {kind}" for kind, n in failures.most_common()),
        extra={
            "flow_p50_ms": round(statistics.median(flows), 1),
            "flow_p99_ms": round(percentile(flows, 0.99), 1),
            "requests": len(timings),
            "elapsed_s": round(elapsed, 2),
            "server_cpu_s": round(cpu, 2),
            "load_generator_cpu_s": round(client_cpu, 2),
            "database_server_cpu_ms_per_submission": round(database_cpu * 1000 / submissions, 2),
        },
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_http(instance: Instance, scenario: Scenario, paths: list[str]) -> Result:
    # Warm up (caches, connections, imports) before measuring.
    asyncio.run(_drive(instance.url, Scenario(scenario.name, 2, 20, login=scenario.login), paths))
    cpu_before = instance.cpu_seconds()
    peak = [instance.rss_mb()]
    started, client_cpu = time.perf_counter(), time.process_time()
    kinds: Counter = Counter()
    latencies, errors = asyncio.run(_drive(instance.url, scenario, paths, kinds))
    elapsed, client_cpu = time.perf_counter() - started, time.process_time() - client_cpu
    peak.append(instance.rss_mb())
    cpu = instance.cpu_seconds() - cpu_before
    return Result(
        scenario=scenario.name,
        database=instance.database,
        concurrency=scenario.concurrency,
        rps=round(len(latencies) / elapsed, 1),
        p50_ms=round(statistics.median(latencies), 1),
        p95_ms=round(percentile(latencies, 0.95), 1),
        p99_ms=round(percentile(latencies, 0.99), 1),
        errors=errors,
        cpu_ms_per_req=round(cpu * 1000 / max(len(latencies), 1), 2),
        peak_rss_mb=round(max(peak), 1),
        note=", ".join(f"{n} × {kind}" for kind, n in kinds.most_common()),
        extra={
            "errors_by_kind": dict(kinds),
            # The load generator shares the machine's cores: when its CPU per request is near
            # the server's, req/s and latencies measure the client as much as the server.
            "load_generator_cpu_ms_per_req": round(client_cpu * 1000 / max(len(latencies), 1), 2),
        },
    )


def scenario_paths(instance: Instance, name: str) -> list[str] | None:
    """URLs for a scenario, or None when the feature is not there (the row says so)."""
    probe = {
        "home": ["/"],
        "showcase": ["/showcase/"],
        # The demo's current final is open (nothing published): last year's published results.
        "results": ["/results/?edition=demo-past"],
        "dashboard": ["/reports/"],
        "unit_queue": ["/screening/unit/"],
        "review_page": [f"/judging/works/{pk}/" for pk in instance.setup.get("review_works", [])],
        "bare_django": ["/bench/hello"],
    }
    return probe.get(name)


def run_batch(name: str, database: str, command: list[str]) -> Result:
    """A batch job (one run): p50/p95/p99 are its duration in ms (export: the export alone,
    without seeding; assignment: build + solve); ``note`` is the wall time with setup."""
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    data = json.loads(lines[-1]) if lines else {}
    seconds = data.get("seconds")
    if seconds is None and "solve_s" in data:
        seconds = data.get("build_s", 0) + data["solve_s"]
    ms = round(seconds * 1000, 1) if seconds is not None else None
    return Result(
        scenario=name,
        database=database,
        concurrency=1,
        p50_ms=ms,
        p95_ms=ms,
        p99_ms=ms,
        errors=int(proc.returncode != 0 or not data),
        peak_rss_mb=data.get("peak_rss_mb"),
        note=f"job {seconds if seconds is not None else '?'} s, wall {elapsed:.1f} s with setup",
        extra=data,
    )


def main() -> None:
    if "--growth" in sys.argv:  # CPU per request as the edition grows (bench/growth.py)
        from bench import growth

        growth.main(sys.argv[1:])
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="small data and few requests (< 3 minutes)"
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated scenarios to run (bare_django always runs); results go to "
        "bench/results-partial.json instead of bench/results.json",
    )
    args = parser.parse_args()
    only = {name for name in args.only.split(",") if name}

    def wanted(name: str) -> bool:
        return not only or name in only or name == "bare_django"

    works = 3000 if args.quick else 100_000
    n = 100 if args.quick else 2000
    scenarios = [
        Scenario("bare_django", 10, n * 2),
        Scenario("home", 10, n * 2),
        Scenario("showcase", 10, n),
        Scenario("results", 50 if args.quick else 1000, n * 2),
        Scenario("dashboard", 4, n // 4, login="committee"),
        Scenario("unit_queue", 1, n // 10, login="organizer"),
        Scenario("review_page", 4, n // 4, login="expert"),
    ]
    scenarios = [scenario for scenario in scenarios if wanted(scenario.name)]
    databases = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    if "postgresql" in databases and not postgres_answers():
        databases.remove("postgresql")
    results: list[Result] = []
    started = time.monotonic()
    shutil.rmtree(SHARED_STATIC, ignore_errors=True)
    instances = [
        Instance(db, works, 3000 if not args.quick else 100, quick=args.quick) for db in databases
    ]
    # Build every instance at once (subprocess-bound), then measure them one after the other.
    errors: list[BaseException] = []

    def build(instance):
        try:
            instance.build()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=build, args=(i,)) for i in instances]
    batch: list[Result] = []

    def run_batches():
        export_rows = 5_000 if args.quick else 100_000
        if wanted("export"):
            batch.append(
                run_batch("export", "sqlite", [PY, "bench/export.py", "--works", str(export_rows)])
            )
        if not wanted("assignment"):
            return
        assign = (
            ["--works", "2000", "--experts", "300"]
            if args.quick
            else ["--works", "100000", "--experts", "3000"]
        )
        batch.append(
            run_batch("assignment", "none", [PY, "bench/assignment.py", *assign, "--k", "3"])
        )

    if args.quick:  # to stay within 3 minutes the batch jobs run alongside the builds (slower)
        threads.append(threading.Thread(target=run_batches))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    for instance in instances:
        database = instance.database
        instance.start()
        try:
            bare = None
            for scenario in scenarios:
                paths = scenario_paths(instance, scenario.name)
                if (
                    httpx.get(instance.url + paths[0], timeout=30).status_code == 404
                    and not scenario.login
                ):
                    results.append(
                        Result(
                            scenario.name, database, scenario.concurrency, note="page not built yet"
                        )
                    )
                    continue
                result = run_http(instance, scenario, paths)
                if scenario.name == "bare_django":
                    bare = result.rps
                result.ratio_to_bare_django = round(result.rps / bare, 3) if bare else None
                results.append(result)
                print(json.dumps(result.__dict__, ensure_ascii=False), flush=True)
            if wanted("submission"):
                result = run_submission(instance)
                result.ratio_to_bare_django = round(result.rps / bare, 4) if bare else None
                results.append(result)
                print(json.dumps(result.__dict__, ensure_ascii=False), flush=True)
        finally:
            instance.stop()
    if not args.quick:
        run_batches()
    for result in batch:
        if args.quick:
            result.note += " (alongside the instance builds)"
        results.append(result)
    out = ROOT / "bench" / ("results-partial.json" if only else "results.json")
    out.write_text(json.dumps([r.__dict__ for r in results], ensure_ascii=False, indent=1))
    header = (
        f"{'scenario':<12} {'database':<10} {'conc':>5} {'rps':>8} {'p50':>7} {'p95':>7} "
        f"{'p99':>7} {'err':>4} {'cpu ms':>7} {'×bare':>6} {'rss MB':>7}  note"
    )
    print(header)
    for r in results:

        def fmt(v, w):
            return f"{v:>{w}}" if v is not None else f"{'—':>{w}}"

        print(
            f"{r.scenario:<12} {r.database:<10} {r.concurrency:>5} {fmt(r.rps, 8)} "
            f"{fmt(r.p50_ms, 7)} "
            f"{fmt(r.p95_ms, 7)} {fmt(r.p99_ms, 7)} {r.errors:>4} {fmt(r.cpu_ms_per_req, 7)} "
            f"{fmt(r.ratio_to_bare_django, 6)} {fmt(r.peak_rss_mb, 7)}  {r.note}"
        )
    table = out.with_suffix(".md")
    table.write_text(markdown_table(results, time.monotonic() - started, args.quick))
    print(f"Written to {out} and {table} ({time.monotonic() - started:.0f} s)")


def markdown_table(results: list[Result], seconds: float, quick: bool) -> str:
    """The table for README.md (date, machine, then one row per scenario and database)."""
    import datetime
    import platform

    cpu = platform.processor() or platform.machine()
    now = datetime.datetime.now(datetime.UTC)
    head = (
        f"`./scripts/bench{' --quick' if quick else ''}` on {now:%Y-%m-%d %H:%M} UTC, "
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"run time {seconds:.0f} s.\n\n"
        "| scenario | database | concurrency | req/s | p50 ms | p95 ms | p99 ms | errors "
        "| CPU ms/req | × bare Django | note |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n"
    )

    def cell(value):
        return "—" if value is None else str(value)

    rows = []
    for r in results:
        note = r.note
        if r.scenario == "export" and r.extra:
            extra = r.extra
            note = f"{extra.get('rows')} rows in {extra.get('seconds')} s, RSS {r.peak_rss_mb} MB"
        elif r.scenario == "assignment" and r.extra:
            extra = r.extra
            note = f"{extra.get('works')} × {extra.get('experts')} × k={extra.get('k')}, {r.note}"
        rows.append(
            f"| {r.scenario} | {r.database} | {r.concurrency} | {cell(r.rps)} | {cell(r.p50_ms)} "
            f"| {cell(r.p95_ms)} | {cell(r.p99_ms)} | {r.errors} | {cell(r.cpu_ms_per_req)} "
            f"| {cell(r.ratio_to_bare_django)} | {note} |"
        )
    return head + "\n".join(rows) + "\n"


if __name__ == "__main__":
    main()
