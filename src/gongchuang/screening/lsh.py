"""Band keys for a near-duplicate index kept in a database table. No Django here.

Comparing a new work with every stored work costs time linear in the number of
works (all editions and imported showcase works together). Instead each work
stores a few integer *keys*; a new work computes its own keys, and only works
sharing a key (one indexed ``key IN (...)`` lookup) are compared exactly. The
keys are plain 63-bit integers, so the table works the same on SQLite and
PostgreSQL and across processes; nothing is held in memory between checks.

Text (MinHash LSH, banding). A 128-value MinHash signature is cut into
``TEXT_BANDS`` = 32 bands of ``TEXT_ROWS`` = 4 values; each band hashes (with its
band number) to one key. Two texts of Jaccard similarity s share at least one
key with probability 1 - (1 - s^4)^32: 0.9999999 at s = 0.8, 0.99 at 0.6,
0.87 at 0.5, 0.23 at 0.3 and 0.0002 at 0.05 (unrelated texts). Candidates are
then checked against the edition's threshold with the full signature, so the
banding decides only *which* works are compared, never the percentage shown.

Images (multi-index hashing, exact). A 64-bit pHash is cut into ``IMAGE_BANDS``
= 4 bands of 16 bits and each band value is stored as a key. Two hashes within
Hamming distance d differ in at most d // 4 bits of some band (pigeonhole), so
probing every value within that radius of each of our four bands finds every
stored hash within distance d — no pair is missed. The probe count is
4 × Σ_{k≤r} C(16, k): 548 keys for d ≤ 11, 2,788 for d ≤ 15 (``MAX_RADIUS``).
"""

from __future__ import annotations

import hashlib
import itertools
import struct
from collections.abc import Iterable, Sequence

import numpy as np

TEXT_BANDS = 32
TEXT_ROWS = 4
IMAGE_BANDS = 4
IMAGE_BAND_BITS = 64 // IMAGE_BANDS
MAX_RADIUS = 3
_IMAGE_TAG = 1 << 62  # image keys live in [2^62, 2^62 + 2^18): far from text keys
_MASK63 = (1 << 63) - 1


def text_keys(signature: Sequence[int]) -> list[int]:
    """The ``TEXT_BANDS`` keys of a MinHash signature ([] for an empty one)."""
    if not signature:
        return []
    if len(signature) != TEXT_BANDS * TEXT_ROWS:
        raise ValueError("signature length does not match the banding")
    values = np.asarray(signature, dtype=np.uint64).astype("<u8")
    keys = []
    for band in range(TEXT_BANDS):
        chunk = values[band * TEXT_ROWS : (band + 1) * TEXT_ROWS].tobytes()
        digest = hashlib.blake2b(struct.pack("<H", band) + chunk, digest_size=8).digest()
        # Below 2^62 so it never equals an image key; positive for a signed BIGINT.
        keys.append(int.from_bytes(digest, "little") & ((1 << 62) - 1))
    return keys


def phash_of(fingerprint: str) -> int:
    """The pHash part (first 16 hex digits) of an image fingerprint."""
    return int(fingerprint[:16], 16)


def _image_key(band: int, value: int) -> int:
    return _IMAGE_TAG | (band << IMAGE_BAND_BITS) | value


def _bands(phash: int) -> list[int]:
    mask = (1 << IMAGE_BAND_BITS) - 1
    return [(phash >> (band * IMAGE_BAND_BITS)) & mask for band in range(IMAGE_BANDS)]


def image_keys(phash: int) -> list[int]:
    """The ``IMAGE_BANDS`` keys stored for one image hash."""
    return [_image_key(band, value) for band, value in enumerate(_bands(phash))]


def radius_for(max_distance: int) -> int:
    """Probe radius per band that finds every hash within ``max_distance``."""
    radius = max_distance // IMAGE_BANDS
    if radius > MAX_RADIUS:
        raise ValueError(f"image distance {max_distance} needs too many probes")
    return radius


def image_probe_keys(phash: int, max_distance: int) -> list[int]:
    """Keys to look up to find every stored image within ``max_distance`` of ``phash``."""
    radius = radius_for(max_distance)
    probes = []
    for band, value in enumerate(_bands(phash)):
        probes.append(_image_key(band, value))
        for r in range(1, radius + 1):
            for bits in itertools.combinations(range(IMAGE_BAND_BITS), r):
                flipped = value
                for bit in bits:
                    flipped ^= 1 << bit
                probes.append(_image_key(band, flipped))
    return probes


def chunks(values: Iterable[int], size: int = 900) -> Iterable[list[int]]:
    """``values`` in lists of at most ``size`` (SQLite limits a query's parameters)."""
    batch: list[int] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
