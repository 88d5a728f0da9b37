"""Profile one page with pyinstrument through Django's test client (in-process, no network).

Usage: ``GONGCHUANG_VAR_DIR=<var dir> .venv/bin/python bench/profile_page.py PATH [--repeat N]``
(``--user NAME`` to log in first).
Requests the page ``--repeat`` times after two warm-up requests and prints pyinstrument's
text profile plus the mean wall time per request (anonymous unless ``--user``).
"""

import argparse
import os
import sys
import time
from pathlib import Path

from page_client import page_client  # bench/page_client.py

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--user", default="")
    parser.add_argument("--html", default="")
    args = parser.parse_args()
    client = page_client(args.user)
    from pyinstrument import Profiler

    for _ in range(2):
        assert client.get(args.path).status_code == 200
    started = time.perf_counter()
    for _ in range(args.repeat):
        client.get(args.path)
    plain = (time.perf_counter() - started) * 1000 / args.repeat
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    profiler.start()
    for _ in range(args.repeat):
        client.get(args.path)
    profiler.stop()
    per = (time.perf_counter() - started) * 1000 / args.repeat
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    if os.environ.get("PROFILE_FLAT"):
        print(profiler.output_text(unicode=True, color=False, flat=True))
    if args.html:
        Path(args.html).write_text(profiler.output_html())
    print(f"{args.path}: {plain:.2f} ms per request in-process ({per:.2f} ms with the profiler on)")


if __name__ == "__main__":
    main()
