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

import contextlib
import datetime
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.accounts.models import User
from gongchuang.common.errors import DomainError

from . import partials, rules, services
from .models import UploadSession, Work, WorkFile
from .services.editing import check_editable, locked_editable

# Unfinished uploads per person (each reserves disk space up to its declared size).
MAX_OPEN_SESSIONS = 10
# How long a request may hold an upload (gunicorn's --timeout is 120 s).
CLAIM_DURATION = datetime.timedelta(seconds=150)


class OffsetMismatch(DomainError):
    def __init__(self, offset: int):
        super().__init__(_("The upload offset does not match."), code="offset_mismatch")
        self.offset = offset


class UploadBusy(DomainError):
    """Another request is storing bytes of the same upload; try again shortly."""

    def __init__(self, offset: int):
        super().__init__(
            _("This upload is busy with another request. Please wait a moment."), code="busy"
        )
        self.offset = offset


def partial_dir() -> Path:
    """Where partial uploads live without S3 (``PARTIAL_UPLOAD_DIR``, shared by every server)."""
    return partials.DiskPartials.directory()


def upload_session_create(
    *, work: Work, actor: User, slot: str, name: str, size: int
) -> UploadSession:
    """Open a resumable upload for one material of an editable work.

    The store's part (an S3 multipart upload) is started after the row is committed:
    no request to S3 inside a database transaction.
    """
    store = partials.new_store()
    session = _session_create(
        work=work, actor=actor, slot=slot, name=name, size=size, store=store.kind
    )
    try:
        store.start(session)
    except BaseException:
        session.delete()
        raise
    UploadSession.objects.filter(pk=session.pk).update(upload_id=session.upload_id)
    return session


@transaction.atomic
def _session_create(
    *, work: Work, actor: User, slot: str, name: str, size: int, store: str
) -> UploadSession:
    locked = locked_editable(work, actor)
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
    return UploadSession.objects.create(
        token=secrets.token_urlsafe(24),
        work=locked,
        slot=slot,
        user=actor,
        original_name=name[:200],
        size=size,
        temp_name=secrets.token_hex(16),
        store=store,
    )


def upload_session_append(
    *, session: UploadSession, actor: User, offset: int, stream, length: int
) -> int:
    """Append up to ``length`` bytes read from ``stream`` at ``offset``; return the new offset.

    The session is claimed while the bytes are stored (:func:`_claimed`), so two
    requests for the same session cannot interleave, whichever servers they reach;
    the second is answered :class:`UploadBusy`. Whatever arrived before a connection
    dropped is kept and counted.
    """
    _check_append(session, actor, offset, length)  # refuse before reading the body
    store = partials.store_for(session)
    with store.receive(stream, length) as source:
        with _claimed(session, lambda row: _check_append(row, actor, offset, length)) as row:
            row.offset += store.write(row, source, length)
    return row.offset


@contextlib.contextmanager
def _claimed(session: UploadSession, check: Callable[[UploadSession], None]) -> Iterator:
    """The session's row, claimed for this request; saved when the block ends.

    Storing bytes (a chunk, an S3 part) happens outside any database transaction:
    a short one checks the row and claims it, a conditional update saves the result.
    A claim outlives gunicorn's request timeout, so an expired one belonged to a
    killed worker.
    """
    now = timezone.now()
    with transaction.atomic():
        row = UploadSession.objects.select_for_update().get(pk=session.pk)
        if row.claim and row.claimed_until and row.claimed_until > now:
            raise UploadBusy(row.offset)
        check(row)
        row.claim = secrets.token_hex(8)
        row.claimed_until = now + CLAIM_DURATION
        row.save(update_fields=["claim", "claimed_until", "updated_at"])
    try:
        yield row
    except BaseException:
        UploadSession.objects.filter(pk=row.pk, claim=row.claim).update(
            claim="", claimed_until=None
        )
        raise
    saved = UploadSession.objects.filter(pk=row.pk, claim=row.claim).update(
        offset=row.offset, parts=row.parts, upload_id=row.upload_id,
        claim="", claimed_until=None, updated_at=timezone.now(),
    )  # fmt: skip
    if not saved:  # our claim ran out and another request went on
        current = UploadSession.objects.filter(pk=row.pk).values_list("offset", flat=True)
        raise UploadBusy(current.first() or 0)


def _check_append(session: UploadSession, actor: User, offset: int, length: int) -> None:
    if session.user_id != actor.pk or session.work_file_id:
        raise DomainError(_("This upload is not open."), code="not_open")
    work = Work.objects.select_related("edition").get(pk=session.work_id)
    if not rules.can_edit(actor, work):
        # Deadline passed or the work was submitted meanwhile: stop taking bytes.
        check_editable(work, actor)
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
    if store.needs_assembly(locked):
        with _claimed(locked, lambda row: None) as row:
            store.assemble(row)
        locked.upload_id = row.upload_id
    try:
        with store.opened(locked) as fileobj:
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
