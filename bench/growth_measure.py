"""Growth benchmark: CPU per request and queries of each staff page, in-process.

Run by bench/growth.py in the instance's environment (``GONGCHUANG_VAR_DIR``,
``DATABASE_URL``): ``growth_measure.py --pages a,b --repeat N --setup JSON``. Like
bench/profile_page.py it requests each page through Django's test client, logged in as
the demo user who uses it: two warm-up requests, then ``--repeat`` requests, each timed
with the process CPU clock (``time.process_time``: the machine is shared, wall time is not
the page's cost). The database connection is kept between requests, as a production worker
with ``CONN_MAX_AGE`` does, so that on PostgreSQL the server process serving it is known:
its mean CPU per request is reported as ``db_cpu_ms`` (on SQLite the database runs inside the
process and is part of ``cpu_ms``). Prints one JSON line per page.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _jury_page(suffix: str):
    """The path of the load edition's first jury (a quarter of its works): its page, or its
    ranking. Not in bench/growth.py's default pages (issue 21's eight)."""

    def paths(setup: dict) -> list[str]:
        from gongchuang.judging.models import Jury

        pk = (
            Jury.objects.filter(edition__slug="demo-load")
            .order_by("pk")
            .values_list("pk", flat=True)[0]
        )
        return [f"/judging/juries/{pk}/{suffix}"]

    return paths


# page: (user or None for anonymous, path or a function of the set-up returning paths)
PAGES = {
    "committee_queue": ("committee", "/screening/city/?state="),
    "unit_queue": ("organizer", "/screening/unit/"),
    "expert_queue": ("expert", "/judging/queue/"),
    # Live figures (the kept summary rows, issue 21); only the score distribution is cached
    # for a minute, as the issue allows (``?refresh=1`` recomputes it: not the usual view).
    "dashboard": ("committee", "/reports/"),
    "review_page": ("expert", lambda s: [f"/judging/works/{pk}/" for pk in s["review_works"]]),
    "results": (None, "/results/?edition=demo-past"),
    # Every objection (a full page of 30 at each size: growth_setup.py files at least 60);
    # the default view, the pending ones, shows a random share of them, 20 at 1,000 works.
    "objection_queue": ("committee", "/publicity/manage/objections/?state="),
    "audit_log": ("committee", "/audit/"),
    # The jury page and the calibrated ranking (issue 21 item 1, "jury pages").
    "jury_page": ("committee", _jury_page("")),
    "ranking": ("committee", _jury_page("ranking/")),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", required=True)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--setup", default="{}")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import psutil
    from django.core import signals
    from django.db import close_old_connections, connection
    from django.test import Client

    from gongchuang.accounts.models import User

    # Keep the connection between requests (CONN_MAX_AGE in production): the PostgreSQL
    # backend serving it is then one process whose CPU time can be read.
    from gongchuang.common.db.maintenance import analyze_database

    # A migration may just have added an index: give the planner its statistics first. On
    # PostgreSQL, VACUUM too: in service autovacuum keeps the visibility map current, so that
    # a count answered by an index reads no table page; after the bulk load it has not yet.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    else:
        analyze_database()
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    setup = json.loads(args.setup)

    def db_cpu() -> float:
        if connection.vendor != "postgresql":
            return 0.0
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        times = psutil.Process(pid).cpu_times()
        return times.user + times.system

    for page in args.pages.split(","):
        user, paths = PAGES[page]
        paths = paths(setup) if callable(paths) else [paths]
        client = Client()
        if user:
            client.force_login(User.objects.get(username=user))
        for i in range(2):
            response = client.get(paths[i % len(paths)])
            if response.status_code != 200:
                raise SystemExit(f"{page}: {paths[i % len(paths)]} answered {response.status_code}")
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(paths[0])
        cpu, db = [], []
        for i in range(args.repeat):
            path = paths[i % len(paths)]
            db_before = db_cpu()
            started = time.process_time()
            client.get(path)
            cpu.append(time.process_time() - started)
            db.append(db_cpu() - db_before)
        row = {
            "page": page,
            "cpu_ms": round(statistics.median(cpu) * 1000, 1),
            "queries": len(queries),
        }
        if connection.vendor == "postgresql":
            # The kernel counts a process's CPU in 10 ms ticks: the mean over all requests.
            row["db_cpu_ms"] = round(sum(db) / len(db) * 1000, 1)
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
