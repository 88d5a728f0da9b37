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
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from gongchuang.common.files.sniff import sniff
from gongchuang.common.files.video import video_duration_seconds
from gongchuang.submissions.models import Work, WorkFile

from . import crosscheck, extract, similarity
from .crosscheck import IGNORED_STATES, image_matches  # noqa: F401 (used by callers)
from .enums import FindingCode, FingerprintKind, PreCheckStatus
from .models import Fingerprint, PreCheck

log = logging.getLogger(__name__)

# Longest accepted video in seconds; an edition may override with
# settings["video_max_seconds"] (a number, or {"default": n, "<category code>": n}).
DEFAULT_VIDEO_MAX_SECONDS = 10 * 60
CATEGORY_VIDEO_MAX_SECONDS = {"teaching_case": 50 * 60}  # a whole lesson
# Text shorter than this (after normalisation) gives noisy similarities.
MIN_TEXT_CHARS = 30


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


@dataclass
class Collected:
    """What reading a work's files gives: findings, fingerprints and the whole text."""

    findings: list[dict] = field(default_factory=list)
    fingerprints: list[Fingerprint] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)  # documents whose text was skipped

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


def collect(work: Work) -> Collected:
    """Check the work's files and compute its fingerprints (nothing is stored)."""
    found = Collected(texts=[work_text(work)])
    files = list(work.files.all())
    slots = {f.slot for f in files}
    for material in work.category.materials:
        if material.get("required") and material["key"] not in slots:
            if not (material.get("allows_link") and work.link):
                found.findings.append(
                    {"code": FindingCode.MISSING_MATERIAL, "slot": material.get("label", "")}
                )
    limit = video_limit_seconds(work)
    for work_file in files:
        material = work.category.material(work_file.slot) or {}
        found.findings.extend(_check_file(work, work_file, material, limit, found))
    if len(similarity.normalise_text(found.text)) >= MIN_TEXT_CHARS:
        signature = similarity.text_signature(found.text)
        if signature:
            found.fingerprints.append(
                Fingerprint(work=work, kind=FingerprintKind.TEXT, value=signature)
            )
    return found


def _load(work_id: int) -> Work:
    return (
        Work.objects.select_related("category", "edition").prefetch_related("files").get(pk=work_id)
    )


def _store(work: Work, found: Collected) -> None:
    Fingerprint.objects.filter(work=work).delete()
    Fingerprint.objects.bulk_create(found.fingerprints)
    crosscheck.store_index(work, found.fingerprints, found.text, found.notes)


def fingerprint_work(work_id: int) -> None:
    """Store a work's fingerprints and index keys without checking it (imported works)."""
    work = _load(work_id)
    found = collect(work)
    with transaction.atomic():
        _store(work, found)


def run_prechecks(work_id: int) -> PreCheck:
    """Check the work's files, store its fingerprints and flag near-duplicates in all editions."""
    work = _load(work_id)
    found = collect(work)
    findings = found.findings
    with transaction.atomic():
        _store(work, found)
        matches = crosscheck.find_duplicates(work, found.fingerprints)
        passages = crosscheck.passages_with(found.text, matches)
        for match in matches:
            findings.append(
                {
                    "code": FindingCode.NEAR_DUPLICATE,
                    "other_work_id": match.other_id,
                    "kind": match.kind,
                    "score": round(match.score, 3),
                    "passages": passages.get(match.other_id, []),
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


def _check_file(work, work_file, material, limit, collected: Collected) -> list[dict]:
    fingerprints = collected.fingerprints
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
                if sniffed.kind in extract.TEXT_KINDS:
                    _read_text(path, sniffed.kind, name, collected)
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


def _read_text(path: str, kind: str, name: str, collected: Collected) -> None:
    """Add the document's text; a document that cannot be read is noted, not a problem."""
    text, note = extract.extract_text(path, kind)
    if note:
        collected.notes.append({"file": name, "note": note})
    else:
        collected.texts.append(text)


def mark_failed(work_id: int, error: str) -> None:
    PreCheck.objects.update_or_create(
        work_id=work_id,
        defaults={
            "status": PreCheckStatus.FAILED,
            "error": error[:2000],
            "checked_at": timezone.now(),
        },
    )
