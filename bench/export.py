"""Benchmark the works-list xlsx export: time and peak memory.

Usage: ``.venv/bin/python bench/export.py [--works N]`` (default 50,000).

Creates a throwaway SQLite database under /tmp, migrates it and seeds N works
(bulk-created in their final states: this is benchmark data, not a workflow),
then runs the export in a fresh child process — the same code path as the view
and the background task (``services.works_export_now``: ``values_list`` +
``iterator(chunk_size=2000)`` into openpyxl's write-only mode) — and prints one
JSON line ``{"rows": .., "seconds": .., "peak_rss_mb": ..}`` where peak RSS is the
child's ``ru_maxrss`` (the whole process: interpreter, Django and the export);
``baseline_rss_mb`` is the same figure just before the export starts (Django with
every app loaded) and ``export_rss_mb`` the difference the export itself adds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from sqlite_django import setup_django  # noqa: E402 - bench/sqlite_django.py


def seed(var_dir: str, n: int) -> None:
    setup_django(var_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import transaction

    from gongchuang.accounts.models import School, Unit, User
    from gongchuang.editions.services import edition_create_from_defaults
    from gongchuang.submissions.models import Work

    edition, _ = edition_create_from_defaults(year=2026)
    units = list(Unit.objects.all())
    schools = [
        School.objects.get_or_create(unit=u, name=f"{u.name}第{i}中学")[0]
        for u in units
        for i in range(1, 4)
    ]
    categories = list(edition.categories.all())
    user = User.objects.create_user(username="bench", password=None)
    states = ["submitted", "recommended", "qualified", "returned", "unit_rejected", "draft"]
    levels = ["primary", "junior", "senior", "university"]
    batch = 5000
    with transaction.atomic():
        for start in range(0, n, batch):
            Work.objects.bulk_create(
                [
                    Work(
                        edition=edition,
                        category=categories[i % len(categories)],
                        code=f"2026-B-{i:06d}",
                        title=f"基准测试作品 {i}：用人工智能探索城市",
                        level=levels[i % 4],
                        unit=schools[i % len(schools)].unit,
                        school=schools[i % len(schools)],
                        created_by=user,
                        state=states[i % len(states)],
                    )
                    for i in range(start, min(start + batch, n))
                ]
            )


def measure(var_dir: str) -> dict:
    setup_django(var_dir)
    from gongchuang.editions.models import Edition
    from gongchuang.reports.scope import Filters, Scope
    from gongchuang.reports.services import works_export_now

    edition = Edition.objects.get(slug="2026")
    # What the process costs before exporting anything (Django and every app loaded).
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    handle, rows = works_export_now(
        actor=None, scope=Scope(unit_ids=None), edition=edition, filters=Filters()
    )
    seconds = time.perf_counter() - started
    size = os.fstat(handle.fileno()).st_size
    handle.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak, 1),
        "baseline_rss_mb": round(baseline, 1),
        "export_rss_mb": round(peak - baseline, 1),
        "file_mb": round(size / 2**20, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=50_000)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--seed", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    if args.seed:
        seed(args.seed, args.works)
        return
    # Seeding and measuring each run in their own process started from this small one:
    # on Linux ru_maxrss survives fork+exec, so a parent that had seeded (or even just
    # loaded Django) would pass its own high-water mark on to the measured child.
    var_dir = tempfile.mkdtemp(prefix="gc-bench-export-", dir="/tmp")
    try:
        subprocess.run(
            [sys.executable, __file__, "--seed", var_dir, "--works", str(args.works)],
            check=True,
            cwd=ROOT,
        )
        out = subprocess.run(
            [sys.executable, __file__, "--measure", var_dir],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        print(out.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
