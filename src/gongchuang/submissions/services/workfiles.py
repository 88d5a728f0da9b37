"""A work's files: storing a validated upload, deleting one."""

import errno
from typing import BinaryIO

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from gongchuang.accounts.models import User
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.common.files.hashing import sha256_of
from gongchuang.common.files.malware import upload_refuse_if_infected
from gongchuang.common.files.names import clean_filename
from gongchuang.common.files.validate import validate_upload

from .. import rules
from ..ai_use import labels_of_upload
from ..files import without_metadata
from ..models import Work, WorkFile
from ..tasks import make_preview
from .editing import check_editable, locked_editable

# DOMAIN.md: an artwork image is at most 20 MB even where the slot allows 500 MB of video.
IMAGE_MAX_BYTES = 20 * 1024 * 1024


def workfile_store(*, work: Work, slot: str, fileobj: BinaryIO, name: str, actor: User) -> WorkFile:
    """Validate an uploaded material by its content and store it under an unguessable name.

    ``fileobj`` is read in chunks only (a temporary upload file or our resumable
    upload's file on disk): memory stays constant for any size. Validation, the
    virus scan (common.files.malware: infected or unscannable files are refused, infected
    ones quarantined and audited), hashing and copying to storage happen outside
    the transaction (a 1 GB video must not hold the work's row lock, or SQLite's
    write lock, for seconds); the permission/state/window checks are repeated under the lock
    before the file is recorded. A single-file material replaces the previous
    file. A thumbnail/poster is made by a background task after commit.
    """
    # A first check on the caller's copy (cheap: views pass it with authorships and windows
    # prefetched); the authoritative one is repeated on the locked row before recording.
    current = work
    if not rules.can_edit(actor, current):
        check_editable(current, actor)  # raises the precise reason
    material = current.category.material(slot)
    if material is None:
        raise DomainError(_("This work has no such material."), code="no_such_slot")
    sniffed = validate_upload(
        fileobj,
        name=name,
        allowed_kinds=frozenset(material["kinds"]),
        max_bytes=material["max_bytes"],
    )
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(0)
    if sniffed.kind == "image" and size > min(IMAGE_MAX_BYTES, material["max_bytes"]):
        raise DomainError(
            _("Images may be at most 20 MB; please export a smaller image."), code="too_large"
        )
    upload_refuse_if_infected(fileobj, name=name, actor=actor, obj=current, detail={"slot": slot})
    # The implicit AI labels are read before the metadata that may carry them is stripped.
    ai_label = labels_of_upload(fileobj, sniffed)
    clean = without_metadata(fileobj, sniffed)
    try:
        return _record_work_file(
            current=current, actor=actor, slot=slot, material=material, sniffed=sniffed,
            fileobj=clean or fileobj, name=name, ai_label=ai_label,
        )  # fmt: skip
    finally:
        if clean is not None:
            clean.close()


def _record_work_file(
    *, current, actor, slot, material, sniffed, fileobj, name, ai_label
) -> WorkFile:
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(0)
    work_file = WorkFile(
        work=current,
        slot=slot,
        original_name=clean_filename(name)[:200] or f"{slot}.{sniffed.extension}",
        size=size,
        sha256=sha256_of(fileobj),
        mime=sniffed.mime,
        kind=sniffed.kind,
        ai_label=ai_label,
        uploaded_by=actor,
    )
    _save_bytes(work_file, fileobj, name=f"{slot}.{sniffed.extension}")
    stored_name = work_file.file.name
    try:
        with transaction.atomic():
            # The state and the team decide; the file belongs to the work whatever its title.
            locked = locked_editable(current, actor, refresh=("state",))
            if not material.get("multiple"):
                for old in WorkFile.objects.filter(work=locked, slot=slot):
                    _delete_work_file(old)
            work_file.save()
            audit_record(
                actor=actor,
                action="work.file_add",
                obj=locked,
                after={
                    "slot": slot,
                    "name": work_file.original_name,
                    "sha256": work_file.sha256,
                    "size": size,
                    "ai_label": ai_label,
                },
            )
            if sniffed.kind in ("image", "video"):
                transaction.on_commit(lambda: make_preview.enqueue(work_file.pk))
    except Exception:
        work_file.file.storage.delete(stored_name)
        raise
    return work_file


def _save_bytes(work_file: WorkFile, fileobj: BinaryIO, *, name: str) -> None:
    """Copy the bytes to storage (the row is saved later, under the lock)."""
    try:
        work_file.file.save(name, File(fileobj), save=False)
    except OSError as exc:  # disk full or quota exceeded: say so, record nothing
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        raise DomainError(
            _("The server's storage is full, so the file was not saved. Please try again later."),
            code="storage_full",
        ) from exc


def _delete_work_file(work_file: WorkFile) -> None:
    names = [n for n in (work_file.file.name, work_file.thumbnail.name) if n]
    storage = work_file.file.storage
    work_file.delete()
    # Remove the bytes only once the database change is final.
    transaction.on_commit(lambda: [storage.delete(n) for n in names])


@transaction.atomic
def workfile_delete(*, work_file: WorkFile, actor: User) -> None:
    """Remove one of a work's files (authors, while the work is editable); audited."""
    locked = locked_editable(work_file.work, actor)
    audit_record(
        actor=actor,
        action="work.file_delete",
        obj=locked,
        before={"slot": work_file.slot, "name": work_file.original_name},
    )
    _delete_work_file(work_file)
