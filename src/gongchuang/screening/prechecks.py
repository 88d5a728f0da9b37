"""Automatic checks of a submitted work: files, types, video length, near-duplicates.

They run in the background after submission (``tasks.precheck_work``) and only
*inform* the organizer; decisions stay with people.
"""

import contextlib
import logging
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterator

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
    """Compare with every other work of the edition; store the matches both ways."""
    others: dict[int, list[Fingerprint]] = defaultdict(list)
    stored = (
        Fingerprint.objects.filter(work__edition_id=work.edition_id)
        .exclude(work=work)
        .exclude(work__state__in=IGNORED_STATES)
        .only("work_id", "kind", "value")
    )
    for fp in stored:
        others[fp.work_id].append(fp)
    index = similarity.NearDuplicateIndex()
    for other_id, rows in others.items():
        index.add(other_id, image_hashes=_image_hashes(rows), text_signature=_text(rows))
    matches = index.query(image_hashes=_image_hashes(mine), text_signature=_text(mine))
    DuplicateMatch.objects.filter(work=work).delete()
    DuplicateMatch.objects.filter(other=work).delete()
    rows = []
    for m in matches:
        rows.append(DuplicateMatch(work=work, other_id=m.other_id, kind=m.kind, score=m.score))
        rows.append(DuplicateMatch(work_id=m.other_id, other=work, kind=m.kind, score=m.score))
    DuplicateMatch.objects.bulk_create(rows, ignore_conflicts=True)
    return matches


def mark_failed(work_id: int, error: str) -> None:
    PreCheck.objects.update_or_create(
        work_id=work_id,
        defaults={
            "status": PreCheckStatus.FAILED,
            "error": error[:2000],
            "checked_at": timezone.now(),
        },
    )
