"""Resumable uploads: a small tus-like protocol of our own.

1. ``POST /works/<pk>/uploads/`` with ``slot``, ``name``, ``size`` → a session
   (its URL and offset 0). The declared size is checked against the material's
   limit before any byte is accepted.
2. ``PATCH <session>`` with header ``Upload-Offset: n`` and raw bytes as body →
   bytes appended at ``n``; answers the new offset. A mismatched offset answers
   409 with the server's offset, so a client never writes a byte twice.
3. ``HEAD <session>`` → ``Upload-Offset`` (after a dropped connection).
4. ``POST <session>/finalize/`` once every byte arrived → validated by content
   and stored as a work file, exactly like a normal upload.

The state of an upload is its database row and the bytes in shared storage
(``partials.py``: ``PARTIAL_UPLOAD_DIR`` or an S3 multipart upload), never a
process or one server's disk: behind a load balancer each request may reach
another app server. Chunks are copied in 64 KiB pieces: memory stays constant
whatever the file size. Bytes of a chunk cut off by a dropped connection are
kept (the offset says how many arrived).
"""

import datetime
import secrets
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.accounts.models import User
from gongchuang.common.errors import DomainError

from . import partials, rules, services
from .models import UploadSession, Work, WorkFile

# Unfinished uploads per person (each reserves disk space up to its declared size).
MAX_OPEN_SESSIONS = 10


class OffsetMismatch(DomainError):
    def __init__(self, offset: int):
        super().__init__(_("The upload offset does not match."), code="offset_mismatch")
        self.offset = offset


def partial_dir() -> Path:
    """Where partial uploads live without S3 (``PARTIAL_UPLOAD_DIR``, shared by every server)."""
    return partials.DiskPartials.directory()


@transaction.atomic
def upload_session_create(
    *, work: Work, actor: User, slot: str, name: str, size: int
) -> UploadSession:
    """Open a resumable upload for one material of an editable work."""
    locked = services._locked_editable(work, actor)
    material = locked.category.material(slot)
    if material is None:
        raise DomainError(_("This work has no such material."), code="no_such_slot")
    if size <= 0:
        raise DomainError(
            _("The file is empty (0 bytes). Please choose the file again."), code="empty"
        )
    open_sessions = UploadSession.objects.filter(user=actor, work_file__isnull=True).count()
    if open_sessions >= MAX_OPEN_SESSIONS:
        raise DomainError(
            _("You have too many unfinished uploads. Please finish them or try again tomorrow."),
            code="too_many_uploads",
        )
    if size > material["max_bytes"]:
        raise DomainError(
            _("The file is too large. The limit for this material is %(limit)d MB.")
            % {"limit": material["max_bytes"] // (1024 * 1024)},
            code="too_large",
        )
    store = partials.new_store()
    session = UploadSession(
        token=secrets.token_urlsafe(24),
        work=locked,
        slot=slot,
        user=actor,
        original_name=name[:200],
        size=size,
        temp_name=secrets.token_hex(16),
        store=store.kind,
    )
    store.start(session)
    session.save()
    return session


def upload_session_append(
    *, session: UploadSession, actor: User, offset: int, stream, length: int
) -> int:
    """Append up to ``length`` bytes read from ``stream`` at ``offset``; return the new offset.

    The session row is locked while the bytes are stored, so two requests for the
    same session cannot interleave (whichever server they reach). Whatever arrived
    before a connection dropped is kept and counted.
    """
    _check_append(session, actor, offset, length)  # refuse before reading the body
    store = partials.store_for(session)
    with store.receive(stream, length) as source, transaction.atomic():
        locked = UploadSession.objects.select_for_update().get(pk=session.pk)
        _check_append(locked, actor, offset, length)
        written = store.write(locked, source, length)
        locked.offset += written
        locked.save(update_fields=["offset", "parts", "updated_at"])
        return locked.offset


def _check_append(session: UploadSession, actor: User, offset: int, length: int) -> None:
    if session.user_id != actor.pk or session.work_file_id:
        raise DomainError(_("This upload is not open."), code="not_open")
    work = Work.objects.select_related("edition").get(pk=session.work_id)
    if not rules.can_edit(actor, work):
        # Deadline passed or the work was submitted meanwhile: stop taking bytes.
        services._check_editable(work, actor)
    if offset != session.offset:
        raise OffsetMismatch(session.offset)
    if length > session.size - session.offset:
        raise DomainError(
            _("More bytes were sent than the file's declared size."), code="too_many_bytes"
        )


def upload_session_finalize(*, session: UploadSession, actor: User) -> WorkFile:
    """Validate and store the complete file; the session's temporary file is removed."""
    locked = UploadSession.objects.select_related("work").get(pk=session.pk)
    if locked.user_id != actor.pk:
        raise DomainError(_("This upload is not open."), code="not_open")
    if locked.work_file_id:
        return locked.work_file
    if not locked.is_complete:
        raise DomainError(
            _("The upload is not complete yet (%(offset)d of %(size)d bytes).")
            % {"offset": locked.offset, "size": locked.size},
            code="incomplete_upload",
        )
    store = partials.store_for(locked)
    try:
        with store.assembled(locked) as fileobj:
            work_file = services.workfile_store(
                work=locked.work,
                slot=locked.slot,
                fileobj=fileobj,
                name=locked.original_name,
                actor=actor,
            )
    except DomainError:
        # A refused file is not kept: the student uploads a corrected one.
        upload_session_discard(session=locked)
        raise
    UploadSession.objects.filter(pk=locked.pk).update(work_file=work_file)
    store.discard(locked)
    return work_file


def upload_session_discard(*, session: UploadSession) -> None:
    partials.store_for(session).discard(session)
    session.delete()


def upload_sessions_purge(
    *, older_than: datetime.timedelta, now: datetime.datetime | None = None
) -> dict[str, int]:
    """Remove what abandoned uploads left behind, untouched for ``older_than``.

    Sessions (and their bytes: partial files, S3 multipart uploads and tail objects),
    partial files and S3 uploads no session refers to any more, and Django's
    temporary upload files of interrupted plain uploads. Returns the counts.
    """
    cutoff = (now or timezone.now()) - older_than
    stale = list(UploadSession.objects.filter(updated_at__lt=cutoff))
    for session in stale:
        upload_session_discard(session=session)
    live = list(UploadSession.objects.values_list("temp_name", "upload_id"))
    names = {name for name, _upload_id in live}
    orphans = partials.DiskPartials().purge_orphans(cutoff=cutoff, live=names)
    if partials.s3_storage_in_use():
        orphans += partials.S3Partials().purge_orphans(
            cutoff=cutoff, live=names, live_uploads={upload_id for _name, upload_id in live}
        )
    return {
        "sessions": len(stale),
        "orphans": orphans,
        "temporary": partials.temporary_uploads_purge(cutoff=cutoff),
    }
