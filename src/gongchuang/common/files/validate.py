"""``validate_upload``: the one check every upload goes through before it is stored.

Size, then what the content really is (:mod:`.sniff`), then whether that kind
is accepted here and matches the name, then a format-specific check that
reads only what it needs (image header, PDF tail, MP4 boxes, ZIP central
directory). A 1 GB video costs a few kilobytes of memory to validate.

Rejections raise :class:`gongchuang.common.errors.DomainError` whose ``code``
is one of the ``CODE_*`` constants of :mod:`.errors`.
"""

from collections.abc import Iterable
from typing import BinaryIO

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongchuang.common.errors import DomainError

from .archives import ZIP_MAX_TOTAL_UNCOMPRESSED, check_zip
from .documents import check_pdf
from .errors import (
    CODE_DISGUISED_MARKUP,
    CODE_EMPTY,
    CODE_EXTENSION_MISMATCH,
    CODE_TOO_LARGE,
    CODE_TYPE_NOT_ALLOWED,
    interpolate,
)
from .images import check_image
from .names import clean_filename, extension_of
from .sniff import KINDS, Sniffed, normalise_ext, sniff
from .streams import preserved_position, size_of
from .video import check_isobmff

# --- Messages ---------------------------------------------------------------


def _join(items):
    return str(pgettext_lazy("list separator", ", ")).join(str(i) for i in items)


_lazy_join = lazy(_join, str)

# What a file is, as a noun phrase for "This file is actually %(actual)s".
_FORMAT_LABELS = {
    "png": _("a PNG image"),
    "jpg": _("a JPEG image"),
    "gif": _("a GIF image"),
    "webp": _("a WebP image"),
    "mp4": _("an MP4 video"),
    "mov": _("a MOV video"),
    "webm": _("a WebM video"),
    "mkv": _("an MKV video"),
    "mp3": _("an MP3 audio file"),
    "wav": _("a WAV audio file"),
    "m4a": _("an M4A audio file"),
    "ogg": _("an OGG audio file"),
    "flac": _("a FLAC audio file"),
    "pdf": _("a PDF document"),
    "docx": _("a Word document (DOCX)"),
    "pptx": _("a PowerPoint presentation (PPTX)"),
    "xlsx": _("an Excel spreadsheet (XLSX)"),
    "zip": _("a ZIP archive"),
    "svg": _("an SVG drawing (web code)"),
    "html": _("a web page (HTML)"),
    "xml": _("an XML document"),
    "js": _("a script"),
    "exe": _("a Windows program (EXE)"),
    "rar": _("a RAR archive"),
    "7z": _("a 7z archive"),
    "heic": _("a HEIC photo (iPhone format)"),
    "avif": _("an AVIF image"),
    "bmp": _("a BMP image"),
    "tif": _("a TIFF image"),
    "psd": _("a Photoshop file (PSD)"),
    "doc": _("an old Word document (DOC)"),
    "ppt": _("an old PowerPoint presentation (PPT)"),
    "xls": _("an old Excel spreadsheet (XLS)"),
    "txt": _("a plain text file"),
}

_KIND_LABELS = {
    "image": _("images (PNG, JPG, WebP, GIF)"),
    "video": _("videos (MP4, MOV, WebM)"),
    "audio": _("audio (MP3, WAV, M4A, OGG, FLAC)"),
    "pdf": _("PDF documents"),
    "docx": _("Word documents (DOCX)"),
    "pptx": _("PowerPoint presentations (PPTX)"),
    "xlsx": _("Excel spreadsheets (XLSX)"),
    "zip": _("ZIP archives"),
}

# Extensions a user may legitimately give each detected format. ISO-BMFF
# video brands are interchangeable in practice (phones write "qt" brands into
# .mp4 files and the reverse), so the whole family shares one set.
_ISO_VIDEO_EXTS = frozenset({"mp4", "m4v", "mov", "qt", "3gp", "3g2"})
_COMPATIBLE_EXTENSIONS = {
    "png": frozenset({"png"}),
    "jpg": frozenset({"jpg", "jpeg", "jpe", "jfif"}),
    "gif": frozenset({"gif"}),
    "webp": frozenset({"webp"}),
    "mp4": _ISO_VIDEO_EXTS,
    "mov": _ISO_VIDEO_EXTS,
    "webm": frozenset({"webm"}),
    "mkv": frozenset({"mkv", "webm"}),
    "mp3": frozenset({"mp3"}),
    "wav": frozenset({"wav", "wave"}),
    "m4a": frozenset({"m4a", "m4b", "mp4", "aac"}),
    "ogg": frozenset({"ogg", "oga", "opus", "ogv"}),
    "flac": frozenset({"flac"}),
    "pdf": frozenset({"pdf"}),
    "docx": frozenset({"docx"}),
    "pptx": frozenset({"pptx"}),
    "xlsx": frozenset({"xlsx"}),
    "zip": frozenset({"zip"}),
}


def _format_label(extension: str):
    label = _FORMAT_LABELS.get(extension)
    if label is not None:
        return label
    if extension and extension != "bin":
        return interpolate(_("a .%(extension)s file"), {"extension": extension})
    return _("a file of an unrecognised type")


def _claimed_label(extension: str):
    """Label for what the *name* claims (".jpeg" -> "a JPEG image")."""
    extension = normalise_ext(extension)
    if extension in _FORMAT_LABELS:
        return _FORMAT_LABELS[extension]
    for fmt, exts in _COMPATIBLE_EXTENSIONS.items():
        if extension in exts:
            return _format_label(fmt)
    return _format_label(extension)


def _allowed_label(allowed_kinds: Iterable[str]):
    labels = [_KIND_LABELS[k] for k in sorted(allowed_kinds) if k in _KIND_LABELS]
    return _lazy_join(labels)


def kinds_label(kinds: Iterable[str]):
    """The file kinds in words, in the order given, with their extensions:
    "图片（PNG、JPG、WebP、GIF）、视频（MP4、MOV、WebM）" (never the codes "image、video")."""
    return _lazy_join([_KIND_LABELS.get(k, k) for k in kinds])


def _human_size(num_bytes: int) -> str:
    if num_bytes >= 1024**3:
        return f"{num_bytes / 1024**3:.1f} GB"
    if num_bytes >= 1024**2:
        return f"{num_bytes / 1024**2:.1f} MB"
    if num_bytes >= 1024:
        return f"{num_bytes / 1024:.0f} KB"
    return f"{num_bytes} B"


# --- Validation -------------------------------------------------------------


def validate_upload(
    fileobj: BinaryIO,
    *,
    name: str,
    allowed_kinds: set[str] | frozenset[str],
    max_bytes: int,
    zip_max_uncompressed: int = ZIP_MAX_TOTAL_UNCOMPRESSED,
) -> Sniffed:
    """Check an upload by its content and return what it really is.

    Raises ``DomainError`` with one of the ``CODE_*`` codes. The file position
    is left where it was. A name without an extension is accepted; store the
    file under ``Sniffed.extension`` rather than the user's name.
    """
    unknown_kinds = set(allowed_kinds) - KINDS
    if unknown_kinds:
        raise ValueError(f"unknown kinds: {sorted(unknown_kinds)}")
    size = _checked_size(fileobj, max_bytes=max_bytes)
    sniffed = sniff(fileobj)
    claimed = extension_of(clean_filename(name))
    _refuse_markup(sniffed)
    _check_kind_allowed(sniffed, claimed=claimed, allowed_kinds=allowed_kinds)
    _check_extension_matches(sniffed, claimed=claimed)
    with preserved_position(fileobj):
        _check_content(fileobj, sniffed, size=size, zip_max_uncompressed=zip_max_uncompressed)
    return sniffed


def _checked_size(fileobj: BinaryIO, *, max_bytes: int) -> int:
    """The file's size in bytes; refused when empty or over ``max_bytes``."""
    size = size_of(fileobj)
    if size == 0:
        raise DomainError(
            _("The file is empty (0 bytes). Please choose the file again."),
            code=CODE_EMPTY,
        )
    if size > max_bytes:
        raise DomainError(
            interpolate(
                _("The file is too large (%(size)s). The limit for this material is %(limit)s."),
                {"size": _human_size(size), "limit": _human_size(max_bytes)},
            ),
            code=CODE_TOO_LARGE,
        )
    return size


def _refuse_markup(sniffed: Sniffed) -> None:
    if sniffed.kind == "markup":
        raise DomainError(
            _(
                "This file contains web page, SVG or XML code instead of a real "
                "image, video or document. Such files can hide scripts, so they "
                "are not accepted. Please export your work again, for example "
                "as PNG, JPG or PDF."
            ),
            code=CODE_DISGUISED_MARKUP,
        )


def _check_kind_allowed(
    sniffed: Sniffed, *, claimed: str, allowed_kinds: set[str] | frozenset[str]
) -> None:
    """Refuse a kind not accepted here, naming the mismatch when the name claims another."""
    if sniffed.kind in allowed_kinds:
        return
    params = {
        "actual": _format_label(sniffed.extension),
        "allowed": _allowed_label(allowed_kinds),
    }
    if claimed and claimed not in _COMPATIBLE_EXTENSIONS.get(
        sniffed.extension, {sniffed.extension}
    ):
        params["claimed"] = _claimed_label(claimed)
        message = _(
            "The file's content does not match its name: it is actually "
            "%(actual)s, not %(claimed)s. Accepted here: %(allowed)s."
        )
    else:
        message = _(
            "This file is %(actual)s, which is not accepted here. Accepted here: %(allowed)s."
        )
    raise DomainError(interpolate(message, params), code=CODE_TYPE_NOT_ALLOWED)


def _check_extension_matches(sniffed: Sniffed, *, claimed: str) -> None:
    """An accepted kind under a wrong extension (a PNG called ``x.jpg``) is refused too."""
    if claimed and claimed not in _COMPATIBLE_EXTENSIONS[sniffed.extension]:
        raise DomainError(
            interpolate(
                _(
                    "The file's content does not match its extension: it is "
                    "actually %(actual)s, not %(claimed)s. Please rename it to "
                    "end in .%(extension)s, or upload the right file."
                ),
                {
                    "actual": _format_label(sniffed.extension),
                    "claimed": _claimed_label(claimed),
                    "extension": sniffed.extension,
                },
            ),
            code=CODE_EXTENSION_MISMATCH,
        )


def _check_content(
    fileobj: BinaryIO, sniffed: Sniffed, *, size: int, zip_max_uncompressed: int
) -> None:
    """The format's own check: decodable image, complete PDF or MP4, safe ZIP."""
    if sniffed.kind == "image":
        check_image(fileobj, sniffed)
    elif sniffed.kind == "pdf":
        check_pdf(fileobj, size)
    elif sniffed.extension in ("mp4", "mov", "m4a"):
        check_isobmff(fileobj, size)
    elif sniffed.kind in ("zip", "docx", "pptx", "xlsx"):
        check_zip(fileobj, max_uncompressed=zip_max_uncompressed)
