"""ZIP archives (and the ZIP-based Office formats), judged by their central directory alone.

Nothing is extracted. Sizes in the central directory are what the archive
*claims*; whoever extracts later must still stream with limits.
"""

import itertools
import re
import zipfile
from typing import BinaryIO

from django.utils.translation import gettext_lazy as _

from gongchuang.common.errors import DomainError

from .errors import (
    CODE_ZIP_BOMB,
    CODE_ZIP_SYMLINK,
    CODE_ZIP_UNSAFE_PATH,
    corrupt_error,
    interpolate,
    shorten,
)

ZIP_MAX_TOTAL_UNCOMPRESSED = 2 * 1024**3  # 2 GiB
ZIP_MAX_RATIO = 100
# A high ratio alone is normal for small text files (a 1 MB log compresses
# 200:1); only large members with extreme ratios are bombs.
ZIP_RATIO_MIN_MEMBER_BYTES = 10 * 1024**2
ZIP_MAX_MEMBERS = 100_000

_S_IFMT = 0o170000
_S_IFLNK = 0o120000


def check_zip(
    fileobj: BinaryIO,
    *,
    max_uncompressed: int = ZIP_MAX_TOTAL_UNCOMPRESSED,
    max_members: int = ZIP_MAX_MEMBERS,
) -> None:
    """Refuse dangerous archives using only the central directory.

    Nothing is extracted. Sizes in the central directory are what the
    archive *claims*; whoever extracts later must still stream with limits.
    Also catches "overlapping entry" bombs, where many entries point at the
    same compressed data.
    """
    infos = _central_directory(fileobj)
    if len(infos) > max_members:
        raise _zip_bomb()
    total = 0
    for info in infos:
        _check_member_path(info)
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > max_uncompressed or (
            ratio > ZIP_MAX_RATIO and info.file_size > ZIP_RATIO_MIN_MEMBER_BYTES
        ):
            raise _zip_bomb()
    _check_no_overlap(infos)


def _central_directory(fileobj: BinaryIO) -> list[zipfile.ZipInfo]:
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise corrupt_error() from exc
    with archive:
        return archive.infolist()


def _is_unsafe_member(filename: str) -> bool:
    if "\\" in filename or "\x00" in filename:
        return True
    if filename.startswith("/") or re.match(r"^[A-Za-z]:", filename):
        return True
    return ".." in filename.split("/")


def _check_member_path(info: zipfile.ZipInfo) -> None:
    """Refuse paths that would escape the extraction folder, and symbolic links."""
    if _is_unsafe_member(info.filename) or _is_unsafe_member(info.orig_filename.replace("\\", "/")):
        raise DomainError(
            interpolate(
                _(
                    "The archive contains a file with an unsafe path "
                    "(%(path)s). Paths inside the archive must not start "
                    "with “/” or a drive letter, contain “..”, or use "
                    "backslashes."
                ),
                {"path": shorten(info.orig_filename)},
            ),
            code=CODE_ZIP_UNSAFE_PATH,
        )
    if (info.external_attr >> 16) & _S_IFMT == _S_IFLNK:
        raise DomainError(
            interpolate(
                _(
                    "The archive contains a shortcut link (%(path)s). "
                    "Links are not allowed; please put the real files "
                    "in the archive instead."
                ),
                {"path": shorten(info.filename)},
            ),
            code=CODE_ZIP_SYMLINK,
        )


def _check_no_overlap(infos: list[zipfile.ZipInfo]) -> None:
    spans = sorted((i.header_offset, i.compress_size) for i in infos)
    for (offset, length), (next_offset, _next) in itertools.pairwise(spans):
        # Local header is >= 30 bytes, so data of an entry ends past
        # offset + 30 + compress_size; overlapping the next header means
        # entries share data.
        if offset + 30 + length > next_offset:
            raise _zip_bomb()


def _zip_bomb() -> DomainError:
    return DomainError(
        _(
            "The archive would unpack to far more data than allowed (the total "
            "size or the compression ratio is too large). Please remove "
            "unnecessary files and upload a normal ZIP archive."
        ),
        code=CODE_ZIP_BOMB,
    )
