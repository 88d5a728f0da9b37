"""S3-compatible object storage: our storage backend and a ranged reader for objects.

``S3Storage`` is django-storages' backend with one addition: saving a file
whose content is an :class:`S3ObjectReader` over an object of the same bucket
copies it inside the bucket instead of streaming the bytes through this
server. That is what lets a big file the browser uploaded straight to the
bucket go through the ordinary ``FieldFile.save`` path (and so through the
ordinary upload service) without being downloaded and uploaded again.

``S3ObjectReader`` is a read-only, seekable file object over one object,
fetched with ranged GETs: the content checks in ``gongchuang.common.files``
read a few kilobytes at the head, the tail or the ZIP central directory, and
only those ranges cross the network. Sequential reads (hashing) grow the
read-ahead block up to :data:`MAX_BLOCK`, so a full pass costs a handful of
requests and constant memory.
"""

from __future__ import annotations

import io
import os

from botocore.exceptions import ClientError
from storages.backends.s3 import S3Storage as BaseS3Storage
from storages.utils import clean_name

MIN_BLOCK = 64 * 1024
MAX_BLOCK = 8 * 1024 * 1024


class ObjectMissing(LookupError):
    """The object does not exist (or is not readable with our credentials)."""


class S3ObjectReader(io.RawIOBase):
    """A seekable, read-only view of one S3 object; ``size`` comes from one HEAD.

    ``requests`` and ``bytes_fetched`` count the GETs made and the bytes they
    returned (for tests and measurements).
    """

    def __init__(self, *, client, bucket_name: str, key: str):
        super().__init__()
        self.client = client
        self.bucket_name = bucket_name
        self.key = key
        self.name = key
        try:
            head = client.head_object(Bucket=bucket_name, Key=key)
        except ClientError as exc:
            raise ObjectMissing(key) from exc
        self.size: int = head["ContentLength"]
        self.requests = 0
        self.bytes_fetched = 0
        self._pos = 0
        self._buf = b""
        self._buf_start = 0
        self._block = MIN_BLOCK

    @classmethod
    def for_storage(cls, storage: BaseS3Storage, name: str) -> S3ObjectReader:
        """Reader over ``name`` (a storage name, the storage's location is added)."""
        key = storage._normalize_name(clean_name(name))
        return cls(client=storage.connection.meta.client, bucket_name=storage.bucket_name, key=key)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_SET:
            position = offset
        elif whence == os.SEEK_CUR:
            position = self._pos + offset
        elif whence == os.SEEK_END:
            position = self.size + offset
        else:
            raise ValueError(f"invalid whence: {whence}")
        if position < 0:
            raise ValueError("negative seek position")
        self._pos = position
        return position

    def read(self, size: int | None = -1) -> bytes:
        if self.closed:
            raise ValueError("read of closed file")
        end = self.size if size is None or size < 0 else min(self.size, self._pos + size)
        if end <= self._pos:
            return b""
        parts = []
        while self._pos < end:
            buf_end = self._buf_start + len(self._buf)
            if self._buf_start <= self._pos < buf_end:
                piece = self._buf[self._pos - self._buf_start : end - self._buf_start]
            else:
                self._fill(end)
                continue
            parts.append(piece)
            self._pos += len(piece)
        return b"".join(parts)

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def _fill(self, end: int) -> None:
        """Fetch a block starting at the current position (at least up to ``end``)."""
        sequential = self._buf and self._pos == self._buf_start + len(self._buf)
        if sequential:
            self._block = min(max(self._block, len(self._buf)) * 2, MAX_BLOCK)
        else:
            self._block = MIN_BLOCK
        last = min(self.size, max(end, self._pos + self._block)) - 1
        response = self.client.get_object(
            Bucket=self.bucket_name, Key=self.key, Range=f"bytes={self._pos}-{last}"
        )
        with response["Body"] as body:
            data = body.read()
        self.requests += 1
        self.bytes_fetched += len(data)
        if not data:
            raise OSError(f"S3 object {self.key} ended early at {self._pos}")
        self._buf, self._buf_start = data, self._pos

    def close(self) -> None:
        self._buf = b""
        super().close()


class S3Storage(BaseS3Storage):
    """django-storages' S3 backend that copies objects already in the bucket."""

    def _save(self, name, content):
        source = getattr(content, "file", content)
        if not isinstance(source, S3ObjectReader) or source.bucket_name != self.bucket_name:
            return super()._save(name, content)
        cleaned_name = clean_name(name)
        target = self._normalize_name(cleaned_name)
        params = self._get_write_parameters(target, content)
        # Managed copy: one CopyObject, or UploadPartCopy parts past the
        # multipart threshold (CopyObject stops at 5 GB). REPLACE so our
        # content type and ACL apply rather than the upload's.
        self.bucket.Object(target).copy(
            {"Bucket": source.bucket_name, "Key": source.key},
            ExtraArgs={**params, "MetadataDirective": "REPLACE"},
            Config=self.transfer_config,
        )
        return cleaned_name
