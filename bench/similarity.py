"""Benchmark the near-duplicate text check on generated works with near-duplicates.

Usage: ``.venv/bin/python bench/similarity.py [--works N ...] [--queries Q] [--chars C]``.
Without ``--works`` it runs 10,000 and 100,000 works. Prints one JSON object per
run: ``{"works": N, "check_ms_p50": x, "check_ms_p99": y, "recall_at_0_8": r}``
(details of the run go to stderr).

What is measured is the production check of ``screening.crosscheck`` minus the
ORM: the same pure code (``similarity.text_signature``, ``lsh.text_keys``) and the
same two indexed queries, on an SQLite file shaped like ``SimilarityKey`` and
``Fingerprint`` (signatures as 512 bytes here, JSON there). One check = MinHash
of the new work's text + band keys + ``key IN (...)`` + loading the candidates'
signatures + exact estimate against the threshold. Its *CPU* time
(``time.process_time``, this process including SQLite) is reported, as the
target is stated in CPU; the machine may be shared, so wall time would mostly
measure the neighbours.

Works are ~``C`` characters of "Chinese" text: words of 2-4 characters from a
3,000-word vocabulary over 2,500 characters, after a heading block that every
work shares (as templates of business plans do). Each query copies a random
stored work and replaces a random fraction (0-30 %) of its words, giving exact
3-gram Jaccard similarities spread over about 0.45-1.0. ``recall_at_0_8`` is the
share of queries whose exact Jaccard with their source is ≥ 0.8 for which the
check reports the source at the edition's default threshold (60 %).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from gongchuang.screening import lsh, similarity

THRESHOLD = 0.6
HEADINGS = (
    "一、项目背景与意义 二、研究目标 三、技术路线与方法 四、数据来源 五、实验结果 六、结论与展望 "
)
CHARSET = [chr(0x4E00 + i * 7) for i in range(2500)]


class Corpus:
    def __init__(self, seed: int, chars: int) -> None:
        self.rnd = random.Random(seed)
        self.vocab = [
            "".join(self.rnd.choice(CHARSET) for _ in range(self.rnd.randint(2, 4)))
            for _ in range(3000)
        ]
        self.words = max(chars // 3, 20)

    def work(self) -> list[str]:
        return self.rnd.choices(self.vocab, k=self.words)

    def near(self, words: list[str], fraction: float) -> list[str]:
        copy = list(words)
        for i in self.rnd.sample(range(len(copy)), int(len(copy) * fraction)):
            copy[i] = self.rnd.choice(self.vocab)
        return copy

    @staticmethod
    def text(words: list[str]) -> str:
        return HEADINGS + "".join(words)


def build(db: sqlite3.Connection, corpus: Corpus, n: int) -> list[list[str]]:
    db.execute("CREATE TABLE simkey (work_id INTEGER, key INTEGER)")
    db.execute("CREATE TABLE fingerprint (work_id INTEGER PRIMARY KEY, value BLOB)")
    works = []
    batch_keys, batch_sigs = [], []
    for work_id in range(n):
        words = corpus.work()
        works.append(words)
        sig = similarity.text_signature(corpus.text(words))
        batch_sigs.append((work_id, np.asarray(sig, dtype=np.uint32).tobytes()))
        batch_keys.extend((work_id, key) for key in lsh.text_keys(sig))
        if len(batch_sigs) == 5000:
            db.executemany("INSERT INTO simkey VALUES (?, ?)", batch_keys)
            db.executemany("INSERT INTO fingerprint VALUES (?, ?)", batch_sigs)
            batch_keys, batch_sigs = [], []
    db.executemany("INSERT INTO simkey VALUES (?, ?)", batch_keys)
    db.executemany("INSERT INTO fingerprint VALUES (?, ?)", batch_sigs)
    db.execute("CREATE INDEX simkey_key ON simkey (key)")
    db.commit()
    return works


def check(db: sqlite3.Connection, text: str) -> tuple[list[tuple[int, float]], int]:
    """(work id, estimated similarity) of the reported works, and the candidate count."""
    signature = similarity.text_signature(text)
    keys = lsh.text_keys(signature)
    marks = ",".join("?" * len(keys))
    query = f"SELECT work_id FROM simkey WHERE key IN ({marks})"  # noqa: S608
    ids = [row[0] for row in db.execute(query, keys)]
    ids = sorted(set(ids))
    if not ids:
        return [], 0
    marks = ",".join("?" * len(ids))
    rows = db.execute(
        f"SELECT work_id, value FROM fingerprint WHERE work_id IN ({marks})",  # noqa: S608
        ids,
    ).fetchall()
    matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.uint32).reshape(len(rows), -1)
    scores = (matrix == np.asarray(signature, dtype=np.uint32)).mean(axis=1)
    found = [(rows[i][0], float(scores[i])) for i in np.flatnonzero(scores >= THRESHOLD)]
    return found, len(ids)


def jaccard(a: str, b: str) -> float:
    sa, sb = similarity.shingles(a), similarity.shingles(b)
    return len(sa & sb) / len(sa | sb)


def run(n: int, queries: int, chars: int, seed: int) -> dict:
    corpus = Corpus(seed, chars)
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(Path(tmp) / "index.sqlite3")
        started = time.perf_counter()
        works = build(db, corpus, n)
        build_s = time.perf_counter() - started
        times, hits, relevant, candidates = [], 0, 0, []
        for _ in range(queries):
            source = corpus.rnd.randrange(n)
            text = corpus.text(corpus.near(works[source], corpus.rnd.uniform(0, 0.3)))
            cpu = time.process_time()
            found, count = check(db, text)
            times.append((time.process_time() - cpu) * 1000)
            candidates.append(count)
            if jaccard(text, corpus.text(works[source])) >= 0.8:
                relevant += 1
                hits += any(work_id == source for work_id, _score in found)
        db.close()
    print(
        f"works={n} build={build_s:.1f}s queries={queries} with_jaccard>=0.8={relevant} "
        f"candidates_mean={np.mean(candidates):.1f} max={max(candidates)}",
        file=sys.stderr,
    )
    return {
        "works": n,
        "check_ms_p50": round(float(np.percentile(times, 50)), 2),
        "check_ms_p99": round(float(np.percentile(times, 99)), 2),
        "recall_at_0_8": round(hits / relevant, 4) if relevant else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--chars", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for n in args.works:
        print(json.dumps(run(n, args.queries, args.chars, args.seed)), flush=True)


if __name__ == "__main__":
    main()
