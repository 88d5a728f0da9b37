"""Near-duplicates of a work among all stored works: this edition, past editions, imports.

Each checked work stores its fingerprints (``Fingerprint``), band keys
(``SimilarityKey``, see ``lsh``) and the start of its text (``WorkText``). A new
work looks up its own keys — a fixed number of indexed queries however many works
are stored — and compares exactly only with the works that share a key, using
the thresholds of its edition (``edition.settings["similarity_text_percent"]``
and ``["similarity_image_percent"]``, defaults in ``editions.defaults``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gongchuang.editions.defaults import DEFAULT_SETTINGS
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work

from . import lsh, similarity
from .enums import FingerprintKind
from .extract import matching_passages
from .models import DuplicateMatch, Fingerprint, SimilarityKey, WorkText

# Works in these states take no part in duplicate detection.
IGNORED_STATES = (WorkState.DRAFT, WorkState.WITHDRAWN)
STORED_TEXT_CHARS = 50_000
# Below 50 % the banding in lsh starts missing pairs (recall 0.87 at 0.5, 0.23 at 0.3).
TEXT_PERCENT_RANGE = (50, 100)
# Below 76 % the image probes grow past lsh.MAX_RADIUS (distance 15 of 64 bits).
IMAGE_PERCENT_RANGE = (76, 100)


@dataclass(frozen=True)
class Thresholds:
    text: float  # minimum estimated Jaccard similarity (0..1)
    image_distance: int  # maximum pHash Hamming distance (of 64 bits)


def _percent(settings: dict, key: str, bounds: tuple[int, int]) -> int:
    value = settings.get(key, DEFAULT_SETTINGS[key])
    if not isinstance(value, int | float) or isinstance(value, bool):
        value = DEFAULT_SETTINGS[key]
    return int(min(max(value, bounds[0]), bounds[1]))


def thresholds_for(edition) -> Thresholds:
    """The edition's thresholds; a missing or out-of-range setting falls back or is clamped."""
    settings = edition.settings or {}
    text = _percent(settings, "similarity_text_percent", TEXT_PERCENT_RANGE)
    image = _percent(settings, "similarity_image_percent", IMAGE_PERCENT_RANGE)
    # score = 1 - distance / 64  ⇔  distance = (1 - score) · 64, rounded down.
    distance = int((100 - image) * similarity.HASH_BITS // 100)
    return Thresholds(text=text / 100, image_distance=distance)


def image_hashes(rows: list[Fingerprint]) -> list[str]:
    hashes: list[str] = []
    for fp in rows:
        if fp.kind == FingerprintKind.IMAGE:
            hashes.append(fp.value)
        elif fp.kind == FingerprintKind.VIDEO:
            hashes.extend(fp.value)
    return hashes


def text_signature(rows: list[Fingerprint]) -> list[int] | None:
    return next((fp.value for fp in rows if fp.kind == FingerprintKind.TEXT), None)


def _informative_phashes(fingerprints: list[str]) -> list[int]:
    phash, dhash, has_d = hash_arrays(fingerprints)
    return [int(p) for p in phash[informative(phash, dhash, has_d)]]


def store_index(work: Work, rows: list[Fingerprint], text: str, notes: list[dict]) -> None:
    """Replace the work's band keys and stored text (call inside the caller's transaction)."""
    keys = set(lsh.text_keys(text_signature(rows) or []))
    hashes = image_hashes(rows)
    for phash in _informative_phashes(hashes) if hashes else []:
        keys.update(lsh.image_keys(phash))
    SimilarityKey.objects.filter(work=work).delete()
    SimilarityKey.objects.bulk_create([SimilarityKey(work=work, key=k) for k in sorted(keys)])
    WorkText.objects.update_or_create(
        work=work, defaults={"text": text[:STORED_TEXT_CHARS], "notes": notes}
    )


def candidate_ids(work: Work, rows: list[Fingerprint], limits: Thresholds) -> set[int]:
    """Works sharing a band key with ours (any edition), other than this one."""
    probes = set(lsh.text_keys(text_signature(rows) or []))
    hashes = image_hashes(rows)
    for phash in _informative_phashes(hashes) if hashes else []:
        probes.update(lsh.image_probe_keys(phash, limits.image_distance))
    found: set[int] = set()
    for batch in lsh.chunks(sorted(probes)):
        found.update(
            SimilarityKey.objects.filter(key__in=batch)
            .exclude(work=work)
            .values_list("work_id", flat=True)
        )
    return found


def find_duplicates(work: Work, mine: list[Fingerprint]) -> list[similarity.Match]:
    """Compare with the candidate works; store the matches both ways (see ``DuplicateMatch``)."""
    limits = thresholds_for(work.edition)
    candidates = candidate_ids(work, mine, limits)
    image_ids: list[int] = []
    image_fps: list[str] = []
    text_ids: list[int] = []
    text_rows: list[list[int]] = []
    stored = (
        Fingerprint.objects.filter(work_id__in=candidates)
        .exclude(work__state__in=IGNORED_STATES)
        .values_list("work_id", "kind", "value")
    )
    for other_id, kind, value in stored if candidates else []:
        if kind == FingerprintKind.TEXT and len(value) == similarity.NUM_PERM:
            text_ids.append(other_id)
            text_rows.append(value)
        elif kind in (FingerprintKind.IMAGE, FingerprintKind.VIDEO):
            for fp in [value] if kind == FingerprintKind.IMAGE else value:
                image_ids.append(other_id)
                image_fps.append(fp)
    matches = image_matches(
        image_hashes(mine), image_ids, image_fps, max_distance=limits.image_distance
    )
    matches += text_matches(text_signature(mine), text_ids, text_rows, threshold=limits.text)
    DuplicateMatch.objects.filter(work=work).delete()
    DuplicateMatch.objects.filter(other=work).delete()
    rows = []
    for m in matches:
        rows.append(DuplicateMatch(work=work, other_id=m.other_id, kind=m.kind, score=m.score))
        rows.append(DuplicateMatch(work_id=m.other_id, other=work, kind=m.kind, score=m.score))
    DuplicateMatch.objects.bulk_create(rows, ignore_conflicts=True)
    return matches


def passages_with(text: str, matches: list[similarity.Match]) -> dict[int, list[list[str]]]:
    """Matching passages of our text and each text match's stored text (one query)."""
    text_ids = [m.other_id for m in matches if m.kind == "text"]
    stored = dict(WorkText.objects.filter(work_id__in=text_ids).values_list("work_id", "text"))
    return {
        other_id: [list(pair) for pair in matching_passages(text, stored.get(other_id, ""))]
        for other_id in text_ids
    }


def hash_arrays(fingerprints: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """pHash and dHash as uint64 arrays, and whether each has a dHash."""
    phash = np.array([int(f[:16], 16) for f in fingerprints], dtype=np.uint64)
    has_d = np.array([len(f) == 32 for f in fingerprints], dtype=bool)
    dhash = np.array(
        [int(f[16:], 16) if len(f) == 32 else 0 for f in fingerprints], dtype=np.uint64
    )
    return phash, dhash, has_d


def informative(phash: np.ndarray, dhash: np.ndarray, has_d: np.ndarray) -> np.ndarray:
    # As in NearDuplicateIndex: flat images (blank canvas, black frame) match nothing.
    p_bits, d_bits = np.bitwise_count(phash), np.bitwise_count(dhash)
    flat = (p_bits <= 2) | (p_bits >= 62) | (has_d & ((d_bits <= 2) | (d_bits >= 62)))
    return ~flat


def image_matches(
    mine: list[str],
    other_ids: list[int],
    others: list[str],
    *,
    max_distance: int = similarity.IMAGE_MAX_DISTANCE,
) -> list[similarity.Match]:
    """The best image match per other work, with ``NearDuplicateIndex``'s rules."""
    if not mine or not others:
        return []
    op, od, ohas = hash_arrays(others)
    ok = informative(op, od, ohas)
    ids = np.asarray(other_ids)
    best: dict[int, int] = {}
    mp, md, mhas = hash_arrays(mine)
    for p, d, has, useful in zip(mp, md, mhas, informative(mp, md, mhas), strict=True):
        if not useful:
            continue
        distance = np.bitwise_count(op ^ p)
        close = ok & (distance <= max_distance)
        if has:
            close &= ~ohas | (np.bitwise_count(od ^ d) <= similarity.DHASH_MAX_DISTANCE)
        for i in np.flatnonzero(close):
            other, dist = int(ids[i]), int(distance[i])
            if other not in best or dist < best[other]:
                best[other] = dist
    matches = [
        similarity.Match(other, "image", 1 - dist / similarity.HASH_BITS, dist)
        for other, dist in best.items()
    ]
    return sorted(matches, key=lambda m: (-m.score, m.other_id))


def text_matches(
    signature: list[int] | None,
    ids: list[int],
    rows: list[list[int]],
    *,
    threshold: float = similarity.TEXT_THRESHOLD,
) -> list[similarity.Match]:
    """Other works whose signature agrees with ours on ``threshold`` of the values
    (the estimate of ``similarity.text_similarity``, for all of them at once)."""
    if not signature or not rows or len(signature) != similarity.NUM_PERM:
        return []
    matrix = np.asarray(rows, dtype=np.uint64)
    scores = (matrix == np.asarray(signature, dtype=np.uint64)).mean(axis=1)
    found = np.flatnonzero(scores >= threshold - 1e-9)
    matches = [similarity.Match(ids[i], "text", float(scores[i])) for i in found]
    return sorted(matches, key=lambda m: (-m.score, m.other_id))
