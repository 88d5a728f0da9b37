"""Automatic checks of a submitted work: files, types, video length, near-duplicates.

They run in the background after submission (``tasks.precheck_work``) and only
*inform* the organizer; decisions stay with people.
"""

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator

import numpy as np
from django.db import transaction
from django.utils import timezone

from gongchuang.common.uploads import sniff, video_duration_seconds
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work, WorkFile

from . import similarity
from .enums import FindingCode, FingerprintKind, PreCheckStatus
from .models import DuplicateMatch, Fingerprint, PreCheck

log = logging.getLogger(__name__)

# Longest accepted video in seconds; an edition may override with
# settings["video_max_seconds"] (a number, or {"default": n, "<category code>": n}).
DEFAULT_VIDEO_MAX_SECONDS = 10 * 60
CATEGORY_VIDEO_MAX_SECONDS = {"teaching_case": 50 * 60}  # a whole lesson
# Text shorter than this (after normalisation) gives noisy similarities.
MIN_TEXT_CHARS = 30
# Works in these states take no part in duplicate detection.
IGNORED_STATES = (WorkState.DRAFT, WorkState.WITHDRAWN)


def video_limit_seconds(work: Work) -> int:
    configured = (work.edition.settings or {}).get("video_max_seconds")
    if isinstance(configured, int | float):
        return int(configured)
    if isinstance(configured, dict):
        value = configured.get(work.category.code, configured.get("default"))
        if value:
            return int(value)
    return CATEGORY_VIDEO_MAX_SECONDS.get(work.category.code, DEFAULT_VIDEO_MAX_SECONDS)


@contextlib.contextmanager
def local_path(work_file: WorkFile) -> Iterator[str | None]:
    """A local path to the stored file (a temporary copy for remote storage); None if missing."""
    storage, name = work_file.file.storage, work_file.file.name
    try:
        if not name or not storage.exists(name):
            yield None
            return
    except OSError:
        yield None
        return
    try:
        path = storage.path(name)
    except NotImplementedError:
        path = None
    if path is not None:
        yield path if os.access(path, os.R_OK) else None
        return
    with tempfile.NamedTemporaryFile(suffix=".bin") as tmp:
        try:
            with storage.open(name, "rb") as src:
                shutil.copyfileobj(src, tmp)
            tmp.flush()
        except OSError:
            yield None
            return
        yield tmp.name


def work_text(work: Work) -> str:
    return f"{work.title}\n{work.abstract}"


def run_prechecks(work_id: int) -> PreCheck:
    """Check the work's files, store its fingerprints and flag near-duplicates in the edition."""
    work = (
        Work.objects.select_related("category", "edition").prefetch_related("files").get(pk=work_id)
    )
    findings: list[dict] = []
    fingerprints: list[Fingerprint] = []
    files = list(work.files.all())
    slots = {f.slot for f in files}
    for material in work.category.materials:
        if material.get("required") and material["key"] not in slots:
            if not (material.get("allows_link") and work.link):
                findings.append(
                    {"code": FindingCode.MISSING_MATERIAL, "slot": material.get("label", "")}
                )
    limit = video_limit_seconds(work)
    for work_file in files:
        material = work.category.material(work_file.slot) or {}
        findings += _check_file(work, work_file, material, limit, fingerprints)
    text = work_text(work)
    if len(similarity.normalise_text(text)) >= MIN_TEXT_CHARS:
        signature = similarity.text_signature(text)
        if signature:
            fingerprints.append(Fingerprint(work=work, kind=FingerprintKind.TEXT, value=signature))
    with transaction.atomic():
        Fingerprint.objects.filter(work=work).delete()
        Fingerprint.objects.bulk_create(fingerprints)
        matches = _find_duplicates(work, fingerprints)
        for match in matches:
            findings.append(
                {
                    "code": FindingCode.NEAR_DUPLICATE,
                    "other_work_id": match.other_id,
                    "kind": match.kind,
                    "score": round(match.score, 3),
                }
            )
        precheck, _created = PreCheck.objects.update_or_create(
            work=work,
            defaults={
                "status": PreCheckStatus.DONE,
                "findings": findings,
                "error": "",
                "checked_at": timezone.now(),
            },
        )
    return precheck


def _check_file(work, work_file, material, limit, fingerprints) -> list[dict]:
    found: list[dict] = []
    name = work_file.original_name
    with local_path(work_file) as path:
        if path is None:
            return [{"code": FindingCode.MISSING_FILE, "file": name}]
        try:
            with open(path, "rb") as fileobj:
                sniffed = sniff(fileobj)
                kinds = material.get("kinds") or []
                if kinds and sniffed.kind not in kinds:
                    found.append(
                        {"code": FindingCode.WRONG_TYPE, "file": name, "detail": sniffed.extension}
                    )
                if sniffed.kind == "image":
                    fingerprints.append(
                        Fingerprint(
                            work=work,
                            work_file=work_file,
                            kind=FingerprintKind.IMAGE,
                            value=similarity.image_fingerprint(fileobj),
                        )
                    )
        except OSError:
            return [{"code": FindingCode.MISSING_FILE, "file": name}]
        except (ValueError, SyntaxError) as exc:  # PIL on a damaged image
            log.info("fingerprint failed for file %s: %s", work_file.pk, exc)
            return [*found, {"code": FindingCode.MISSING_FILE, "file": name}]
        if sniffed.kind == "video":
            seconds = video_duration_seconds(path)
            if seconds is not None and seconds > limit:
                found.append(
                    {
                        "code": FindingCode.VIDEO_TOO_LONG,
                        "file": name,
                        "seconds": round(seconds),
                        "limit": limit,
                    }
                )
            frames = similarity.video_fingerprint(path)
            if frames:
                fingerprints.append(
                    Fingerprint(
                        work=work, work_file=work_file, kind=FingerprintKind.VIDEO, value=frames
                    )
                )
    return found


def _image_hashes(rows: list[Fingerprint]) -> list[str]:
    hashes: list[str] = []
    for fp in rows:
        if fp.kind == FingerprintKind.IMAGE:
            hashes.append(fp.value)
        elif fp.kind == FingerprintKind.VIDEO:
            hashes.extend(fp.value)
    return hashes


def _text(rows: list[Fingerprint]) -> list[int] | None:
    return next((fp.value for fp in rows if fp.kind == FingerprintKind.TEXT), None)


def _find_duplicates(work: Work, mine: list[Fingerprint]) -> list[similarity.Match]:
    """Compare with every other work of the edition; store the matches both ways.

    One work against all the others is a linear scan, done in numpy over the
    stored fingerprints (milliseconds for thousands of works). Building a
    ``NearDuplicateIndex`` per check would cost about a second per thousand
    works, because ``add`` also looks for pairs among the others; the index is
    for whole-edition sweeps. The thresholds are the same (``image_matches``).
    """
    image_ids: list[int] = []
    image_fps: list[str] = []
    text_ids: list[int] = []
    text_rows: list[list[int]] = []
    stored = (
        Fingerprint.objects.filter(work__edition_id=work.edition_id)
        .exclude(work=work)
        .exclude(work__state__in=IGNORED_STATES)
        .values_list("work_id", "kind", "value")
    )
    for other_id, kind, value in stored:
        if kind == FingerprintKind.TEXT and len(value) == similarity.NUM_PERM:
            text_ids.append(other_id)
            text_rows.append(value)
        elif kind in (FingerprintKind.IMAGE, FingerprintKind.VIDEO):
            for fp in [value] if kind == FingerprintKind.IMAGE else value:
                image_ids.append(other_id)
                image_fps.append(fp)
    matches = image_matches(_image_hashes(mine), image_ids, image_fps)
    matches += _text_matches(_text(mine), text_ids, text_rows)
    DuplicateMatch.objects.filter(work=work).delete()
    DuplicateMatch.objects.filter(other=work).delete()
    rows = []
    for m in matches:
        rows.append(DuplicateMatch(work=work, other_id=m.other_id, kind=m.kind, score=m.score))
        rows.append(DuplicateMatch(work_id=m.other_id, other=work, kind=m.kind, score=m.score))
    DuplicateMatch.objects.bulk_create(rows, ignore_conflicts=True)
    return matches


def _hash_arrays(fingerprints: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """pHash and dHash as uint64 arrays, and whether each has a dHash."""
    phash = np.array([int(f[:16], 16) for f in fingerprints], dtype=np.uint64)
    has_d = np.array([len(f) == 32 for f in fingerprints], dtype=bool)
    dhash = np.array(
        [int(f[16:], 16) if len(f) == 32 else 0 for f in fingerprints], dtype=np.uint64
    )
    return phash, dhash, has_d


def _informative(phash: np.ndarray, dhash: np.ndarray, has_d: np.ndarray) -> np.ndarray:
    # As in NearDuplicateIndex: flat images (blank canvas, black frame) match nothing.
    p_bits, d_bits = np.bitwise_count(phash), np.bitwise_count(dhash)
    flat = (p_bits <= 2) | (p_bits >= 62) | (has_d & ((d_bits <= 2) | (d_bits >= 62)))
    return ~flat


def image_matches(
    mine: list[str], other_ids: list[int], others: list[str]
) -> list[similarity.Match]:
    """The best image match per other work, with ``NearDuplicateIndex``'s thresholds."""
    if not mine or not others:
        return []
    op, od, ohas = _hash_arrays(others)
    ok = _informative(op, od, ohas)
    ids = np.asarray(other_ids)
    best: dict[int, int] = {}
    mp, md, mhas = _hash_arrays(mine)
    for p, d, has, informative in zip(mp, md, mhas, _informative(mp, md, mhas), strict=True):
        if not informative:
            continue
        distance = np.bitwise_count(op ^ p)
        close = ok & (distance <= similarity.IMAGE_MAX_DISTANCE)
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


def _text_matches(
    signature: list[int] | None, ids: list[int], rows: list[list[int]]
) -> list[similarity.Match]:
    """Other works whose text signature agrees with ours on ``TEXT_THRESHOLD`` of the values
    (the estimate of ``similarity.text_similarity``, for all of them at once)."""
    if not signature or not rows or len(signature) != similarity.NUM_PERM:
        return []
    matrix = np.asarray(rows, dtype=np.uint64)
    scores = (matrix == np.asarray(signature, dtype=np.uint64)).mean(axis=1)
    found = np.flatnonzero(scores >= similarity.TEXT_THRESHOLD)
    matches = [similarity.Match(ids[i], "text", float(scores[i])) for i in found]
    return sorted(matches, key=lambda m: (-m.score, m.other_id))


def mark_failed(work_id: int, error: str) -> None:
    PreCheck.objects.update_or_create(
        work_id=work_id,
        defaults={
            "status": PreCheckStatus.FAILED,
            "error": error[:2000],
            "checked_at": timezone.now(),
        },
    )
