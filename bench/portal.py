"""Benchmark the anonymous portal pages with many public works: time and SQL queries.

Usage: ``.venv/bin/python bench/portal.py [--works N]`` (default 50,000).

Creates a throwaway SQLite database under /tmp, migrates it, bulk-creates N public
works (with consent) across districts, categories and levels (benchmark data, created
in their final state) and one image file on every 50th work, then requests the pages
an anonymous visitor opens through Django's test client and prints one JSON line per
page: ``{"page": .., "ms": .., "queries": ..}`` for the first (uncached) and the
second (fragment cache hit) request, after one warm-up request that loads the
templates and translation catalogues.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from sqlite_django import setup_django  # noqa: E402 - bench/sqlite_django.py

PAGES = [
    "/",
    "/showcase/",
    "/showcase/?unit=HD&category=ai_art",
    "/showcase/?q=%E5%9F%8E%E5%B8%82&page=3",
    "/teaching-cases/",
    "/notices/",
    "/guide/",
]


def seed(n: int) -> None:
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.db import transaction
    from PIL import Image

    from gongchuang.accounts.models import School, Unit, User
    from gongchuang.editions.services import edition_create_from_defaults, edition_make_current
    from gongchuang.submissions.models import Work, WorkFile

    call_command("migrate", verbosity=0)
    edition, _ = edition_create_from_defaults(year=2026)
    edition_make_current(edition=edition)
    schools = [
        School.objects.get_or_create(unit=u, name=f"{u.name}第{i}中学")[0]
        for u in Unit.objects.all()
        for i in range(1, 3)
    ]
    categories = list(edition.categories.all())
    user = User.objects.create_user(username="bench", password=None)
    levels = ["primary", "junior", "senior", "university"]
    with transaction.atomic():
        for start in range(0, n, 5000):
            Work.objects.bulk_create(
                Work(
                    edition=edition, category=categories[i % len(categories)],
                    title=f"基准作品 {i}：用人工智能探索城市", level=levels[i % 4],
                    unit=schools[i % len(schools)].unit, school=schools[i % len(schools)],
                    created_by=user, state="awarded", is_public=True, showcase_consent=True,
                )
                for i in range(start, min(start + 5000, n))
            )  # fmt: skip
        png = io.BytesIO()
        Image.new("RGB", (32, 24), (10, 120, 200)).save(png, format="PNG")
        for work in Work.objects.order_by("-pk")[: max(n // 50, 1)]:
            wf = WorkFile(
                work=work, slot="artwork", original_name="a.png", size=len(png.getvalue()),
                sha256="0" * 64, mime="image/png", kind="image", uploaded_by=user,
            )  # fmt: skip
            wf.file.save("a.png", ContentFile(png.getvalue()), save=False)
            wf.save()


def measure() -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get("/notices/?warm-up=1")  # loads templates and translation catalogues once
    rows = []
    for page in PAGES:
        for label in ("cold", "cached"):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(page)
                ms = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (page, response.status_code)
            rows.append(
                {"page": page, "request": label, "ms": round(ms, 1), "queries": len(queries)}
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--works", type=int, default=50_000)
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="gc-bench-portal-")
    try:
        setup_django(var_dir)
        seed(args.works)
        for row in measure():
            print(json.dumps({"works": args.works, **row}, ensure_ascii=False))
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
