"""Print the query plan of every query one page makes (in-process, Django's test client).

Usage: ``GONGCHUANG_VAR_DIR=<var dir> [DATABASE_URL=…] .venv/bin/python bench/explain_page.py
PATH [--user NAME] [--analyze]``. SQLite: ``EXPLAIN QUERY PLAN``; PostgreSQL: ``EXPLAIN``
(``EXPLAIN ANALYZE`` with ``--analyze``). Queries whose plan sorts in a temporary B-tree
or with a Sort node are marked ``!!``: the page then reads more rows than it shows.
"""

import argparse
import sys
import time
from pathlib import Path

from page_client import page_client  # bench/page_client.py

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--user", default="")
    parser.add_argument("--analyze", action="store_true")
    args = parser.parse_args()
    client = page_client(args.user)
    from django.db import connection

    client.get(args.path)
    captured = []

    def capture(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            captured.append((sql, params, (time.perf_counter() - started) * 1000))

    with connection.execute_wrapper(capture):
        status = client.get(args.path).status_code
    print(f"{args.path}: HTTP {status}, {len(captured)} queries")
    for sql, params, ms in captured:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(("EXPLAIN ANALYZE " if args.analyze else "EXPLAIN ") + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                bad = " Sort " in plan or "Sort  (" in plan
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
                bad = "TEMP B-TREE" in plan
        print(f"\n{'!!' if bad else '--'} {ms:.1f} ms  {sql[:600]}\n{plan}")


if __name__ == "__main__":
    main()
