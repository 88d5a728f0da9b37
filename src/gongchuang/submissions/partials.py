"""Where the bytes of an unfinished resumable upload wait: never inside one app server.

Behind a load balancer the create, the chunks and the finalisation of one upload reach
different app servers, so nothing of an upload lives in a process or on one server's
disk. The database row (``UploadSession``: offset, parts) says how far it got; the bytes
are in one of two stores, chosen when the upload starts (``UploadSession.store``):

- :class:`DiskPartials` (local file storage): one file per upload in
  ``PARTIAL_UPLOAD_DIR`` (default ``var/partial``), a directory every app server must
  share (NFS) when there are several. Chunks are written in place.
- :class:`S3Partials` (S3 storage): an S3 multipart upload of the key
  ``staging/partial/<temp_name>``. S3 wants each part but the last to be at least
  5 MiB, while a chunk may be smaller (the page sends 8 MiB chunks, but a dropped
  connection keeps what arrived): bytes that do not make a part yet wait in a *tail*
  object (``<key>.tail``) and go out with the next chunk. The tail's length is
  ``offset − sum of the parts' sizes``; a tail object written by a request that then
  failed to commit may be longer, and only that many bytes of it are read. Finalising
  completes the multipart upload; the object is then read with ranged GETs and copied
  inside the bucket, like a direct upload (``direct_upload.py``).

Django's temporary files of plain uploads go to ``FILE_UPLOAD_TEMP_DIR`` (default
``var/tmp``); a worker killed mid-request leaves them behind, and
:func:`temporary_uploads_purge` removes them (``manage.py purge_uploads``).
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from botocore.exceptions import ClientError
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from storages.backends.s3 import S3Storage

from gongchuang.common.errors import DomainError
from gongchuang.common.s3 import S3ObjectReader

from .models import UploadSession

COPY_CHUNK = 64 * 1024
MIN_PART_SIZE = 5 * 1024 * 1024  # S3's minimum for every part but the last
S3_PREFIX = "staging/partial"
_PARTIAL_NAME = re.compile(r"[0-9a-f]{32}")  # UploadSession.temp_name
# Chunk size the page uses: a whole part per request with S3, smaller on local disk.
CHUNK_SIZE = {UploadSession.Store.DISK: 4 * 1024 * 1024, UploadSession.Store.S3: 8 * 1024 * 1024}


def copy_stream(source, target: BinaryIO, length: int) -> int:
    """Copy up to ``length`` bytes in 64 KiB pieces; return how many arrived."""
    copied = 0
    while copied < length:
        piece = source.read(min(COPY_CHUNK, length - copied))
        if not piece:
            break  # the client went away: keep what arrived
        target.write(piece)
        copied += len(piece)
    return copied


class DiskPartials:
    """Partial uploads as files in ``PARTIAL_UPLOAD_DIR`` (shared by every app server)."""

    kind = UploadSession.Store.DISK

    @staticmethod
    def directory() -> Path:
        path = Path(settings.PARTIAL_UPLOAD_DIR)
        path.mkdir(parents=True, exist_ok=True)
        return path

    def path(self, session: UploadSession) -> Path:
        return self.directory() / session.temp_name

    def start(self, session: UploadSession) -> None:
        self.path(session).touch()

    @contextlib.contextmanager
    def receive(self, stream, length: int) -> Iterator:
        yield stream  # written in place under the session's claim, nothing to buffer

    def write(self, session: UploadSession, source, length: int) -> int:
        """Write at ``session.offset`` (the caller has claimed the session); return the count."""
        with open(self.path(session), "r+b") as target:
            # Drop bytes past the offset left by an earlier, interrupted write.
            target.truncate(session.offset)
            target.seek(session.offset)
            written = copy_stream(source, target, length)
            target.flush()
            os.fsync(target.fileno())
        return written

    def needs_assembly(self, session: UploadSession) -> bool:
        return False

    def assemble(self, session: UploadSession) -> None:
        pass

    @contextlib.contextmanager
    def opened(self, session: UploadSession) -> Iterator[BinaryIO]:
        with open(self.path(session), "rb") as fileobj:
            yield fileobj

    def discard(self, session: UploadSession) -> None:
        self.path(session).unlink(missing_ok=True)

    def purge_orphans(self, *, cutoff: datetime.datetime, live: set[str]) -> int:
        """Remove partial files older than ``cutoff`` that no session refers to."""
        ours = (p for p in self.directory().iterdir() if _PARTIAL_NAME.fullmatch(p.name))
        return _remove_old_files(ours, cutoff, keep=live)


class S3Partials:
    """Partial uploads as S3 multipart uploads (+ a tail object), see the module docstring."""

    kind = UploadSession.Store.S3

    def __init__(self, storage=None):
        self.storage = storage or default_storage
        self.client = self.storage.connection.meta.client
        self.bucket = self.storage.bucket_name

    def key(self, session: UploadSession) -> str:
        return self.storage._normalize_name(f"{S3_PREFIX}/{session.temp_name}")

    def _tail_key(self, session: UploadSession) -> str:
        return self.key(session) + ".tail"

    def start(self, session: UploadSession) -> None:
        answer = self.client.create_multipart_upload(Bucket=self.bucket, Key=self.key(session))
        session.upload_id = answer["UploadId"]
        session.parts = []

    @contextlib.contextmanager
    def receive(self, stream, length: int) -> Iterator[BinaryIO]:
        """Spool the request body to a temporary file before the session is claimed."""
        with _temporary_file() as spool:
            copy_stream(stream, spool, length)
            spool.seek(0)
            yield spool

    def write(self, session: UploadSession, source, length: int) -> int:
        """Add the received bytes (the caller has claimed the session); return the count.

        The tail and the new bytes go out as the next part once they reach
        :data:`MIN_PART_SIZE` or the end of the file; otherwise they become the new tail.
        """
        tail = session.offset - sum(part["size"] for part in session.parts)
        with _temporary_file() as buffer:
            if tail:
                self._read_tail(session, tail, buffer)
            written = copy_stream(source, buffer, length)
            total = buffer.tell()
            buffer.seek(0)
            if not written:
                return 0
            if total >= MIN_PART_SIZE or session.offset + written == session.size:
                number = len(session.parts) + 1
                etag = self.client.upload_part(
                    Bucket=self.bucket, Key=self.key(session), UploadId=session.upload_id,
                    PartNumber=number, Body=buffer, ContentLength=total,
                )["ETag"]  # fmt: skip
                session.parts = [*session.parts, {"number": number, "etag": etag, "size": total}]
            else:
                self.client.put_object(
                    Bucket=self.bucket, Key=self._tail_key(session), Body=buffer,
                    ContentLength=total,
                )  # fmt: skip
        return written

    def _read_tail(self, session: UploadSession, size: int, target: BinaryIO) -> None:
        try:
            answer = self.client.get_object(
                Bucket=self.bucket, Key=self._tail_key(session), Range=f"bytes=0-{size - 1}"
            )
        except ClientError as exc:
            # Gone (the bucket's lifecycle rule, a purge): the upload cannot go on.
            raise DomainError(
                _("This unfinished upload has expired. Please upload the file again."),
                code="upload_expired",
            ) from exc
        with answer["Body"] as body:
            shutil.copyfileobj(body, target, COPY_CHUNK)
        if target.tell() != size:
            raise OSError(f"tail of upload {session.pk} is shorter than {size} bytes")

    def needs_assembly(self, session: UploadSession) -> bool:
        return bool(session.upload_id)

    def assemble(self, session: UploadSession) -> None:
        """Complete the multipart upload (the caller has claimed the session)."""
        self._complete(session)
        session.upload_id = ""

    @contextlib.contextmanager
    def opened(self, session: UploadSession) -> Iterator[BinaryIO]:
        """The assembled object, read with ranged GETs."""
        key = self.key(session)
        with S3ObjectReader(client=self.client, bucket_name=self.bucket, key=key) as reader:
            yield reader

    def _complete(self, row: UploadSession) -> None:
        parts = [{"PartNumber": p["number"], "ETag": p["etag"]} for p in row.parts]
        try:
            self.client.complete_multipart_upload(
                Bucket=self.bucket, Key=self.key(row), UploadId=row.upload_id,
                MultipartUpload={"Parts": parts},
            )  # fmt: skip
        except ClientError as exc:
            # Completed by an earlier attempt whose database write was lost: the object is there.
            if _error_code(exc) != "NoSuchUpload":
                raise
            self.client.head_object(Bucket=self.bucket, Key=self.key(row))

    def discard(self, session: UploadSession) -> None:
        if session.upload_id:
            self._abort(self.key(session), session.upload_id)
        self.client.delete_object(Bucket=self.bucket, Key=self.key(session))
        self.client.delete_object(Bucket=self.bucket, Key=self._tail_key(session))

    def _abort(self, key: str, upload_id: str) -> None:
        try:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
        except ClientError as exc:
            if _error_code(exc) != "NoSuchUpload":
                raise

    def purge_orphans(
        self, *, cutoff: datetime.datetime, live: set[str], live_uploads: set[str]
    ) -> int:
        """Abort multipart uploads and delete objects under our prefix older than ``cutoff``
        that no session refers to (a session deleted while S3 was unreachable)."""
        prefix = self.storage._normalize_name(S3_PREFIX) + "/"
        removed = 0
        pages = self.client.get_paginator("list_multipart_uploads")
        for page in pages.paginate(Bucket=self.bucket, Prefix=prefix):
            for upload in page.get("Uploads", []):
                if upload["Initiated"] < cutoff and upload["UploadId"] not in live_uploads:
                    self._abort(upload["Key"], upload["UploadId"])
                    removed += 1
        for page in self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        ):
            for item in page.get("Contents", []):
                name = item["Key"][len(prefix) :].removesuffix(".tail")
                if item["LastModified"] < cutoff and name not in live:
                    self.client.delete_object(Bucket=self.bucket, Key=item["Key"])
                    removed += 1
        return removed


def s3_storage_in_use() -> bool:
    return isinstance(default_storage, S3Storage)


def new_store() -> DiskPartials | S3Partials:
    """The store for an upload starting now: S3 when files are stored in S3."""
    return S3Partials() if s3_storage_in_use() else DiskPartials()


def store_for(session: UploadSession) -> DiskPartials | S3Partials:
    return S3Partials() if session.store == UploadSession.Store.S3 else DiskPartials()


def chunk_size() -> int:
    """Bytes per chunk the page should send for an upload starting now."""
    store = UploadSession.Store.S3 if s3_storage_in_use() else UploadSession.Store.DISK
    return CHUNK_SIZE[store]


def temporary_uploads_purge(*, cutoff: datetime.datetime) -> int:
    """Remove Django's temporary upload files (``*.upload*``) older than ``cutoff``.

    A worker killed in the middle of a plain upload never deletes its temporary file.
    Only Django's names are touched, in case ``FILE_UPLOAD_TEMP_DIR`` is a shared
    directory such as /tmp.
    """
    directory = Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir())
    if not directory.is_dir():
        return 0
    return _remove_old_files(directory.glob("*.upload*"), cutoff, keep=set())


def _remove_old_files(paths, cutoff: datetime.datetime, *, keep: set[str]) -> int:
    removed = 0
    limit = cutoff.timestamp()
    for path in paths:
        try:
            if path.name in keep or not path.is_file() or path.stat().st_mtime >= limit:
                continue
            path.unlink()
        except FileNotFoundError:
            continue  # removed meanwhile (another host's purge, a finishing upload)
        removed += 1
    return removed


def _temporary_file():
    # Anonymous (unlinked at once): nothing stays behind if the process is killed.
    return tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR)


def _error_code(exc: ClientError) -> str:
    return exc.response.get("Error", {}).get("Code", "")
