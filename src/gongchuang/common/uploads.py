"""Checks on uploaded files: what a file really is, decided by its content.

Students rename files, phones produce odd containers and a few people will try
to upload a web page called ``artwork.png``. Everything here therefore looks at
the bytes, never trusts the name, and reads only what it needs: the head of the
file, the ZIP central directory, the image header, the MP4 box headers. A 1 GB
video costs a few kilobytes of memory to validate.

Public API (the services call these; none of them touches the database):

- ``sniff(fileobj) -> Sniffed``
- ``validate_upload(fileobj, *, name, allowed_kinds, max_bytes, ...) -> Sniffed``
- ``clean_filename(name) -> str``
- ``strip_image_metadata(src, dst) -> str``
- ``video_duration_seconds(path) -> float | None``
- ``make_thumbnail(src, dst, size=(480, 480)) -> tuple[int, int]``
- ``video_poster(path, dst) -> bool``
- ``check_zip(fileobj, *, max_uncompressed, max_members) -> None``
- ``scan_for_malware(path) -> str | None`` (optional ClamAV, see its docstring),
  ``malware_scanning_enabled() -> bool``, ``MalwareScanError``

Rejections raise :class:`gongchuang.common.errors.DomainError` whose ``code``
is one of the ``CODE_*`` constants below; the codes are stable, the messages
are translated lazily (nothing is rendered at import time).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import re
import shutil
import socket
import struct
import subprocess
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

import filetype
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from PIL import Image, ImageOps

from gongchuang.common.errors import DomainError

# --- Stable rejection codes -------------------------------------------------

CODE_TOO_LARGE = "too_large"
CODE_EMPTY = "empty"
CODE_TYPE_NOT_ALLOWED = "type_not_allowed"
CODE_EXTENSION_MISMATCH = "extension_mismatch"
CODE_DISGUISED_MARKUP = "disguised_markup"
CODE_PIXEL_FLOOD = "pixel_flood"
CODE_CORRUPT = "corrupt"
CODE_ZIP_BOMB = "zip_bomb"
CODE_ZIP_UNSAFE_PATH = "zip_unsafe_path"
CODE_ZIP_SYMLINK = "zip_symlink"

# --- Limits -----------------------------------------------------------------

MAX_IMAGE_PIXELS = 50_000_000
MAX_IMAGE_SIDE = 20_000
ZIP_MAX_TOTAL_UNCOMPRESSED = 2 * 1024**3  # 2 GiB
ZIP_MAX_RATIO = 100
# A high ratio alone is normal for small text files (a 1 MB log compresses
# 200:1); only large members with extreme ratios are bombs.
ZIP_RATIO_MIN_MEMBER_BYTES = 10 * 1024**2
ZIP_MAX_MEMBERS = 100_000

KINDS = frozenset({"image", "video", "audio", "pdf", "docx", "pptx", "xlsx", "zip"})

_HEAD_BYTES = 8192
_PDF_TAIL_BYTES = 1024
_SUBPROCESS_TIMEOUT = 60


@dataclass(frozen=True)
class Sniffed:
    """What a file really is.

    ``kind`` is one of :data:`KINDS`, or ``"markup"`` (SVG/HTML/XML/script),
    ``"other"`` (recognised but not a kind we accept, e.g. an EXE or HEIC) or
    ``"unknown"``. ``extension`` (no dot, lower case) is the one to store the
    file under, whatever the user called it.
    """

    kind: str
    mime: str
    extension: str


UNKNOWN = Sniffed("unknown", "application/octet-stream", "bin")


# --- Messages ---------------------------------------------------------------


def _format(message, params):
    return str(message) % params


# Keeps a message with placeholders lazy: it is translated and interpolated
# only when rendered, so raising never needs the translation machinery.
_interpolate = lazy(_format, str)


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
        return _interpolate(_("a .%(extension)s file"), {"extension": extension})
    return _("a file of an unrecognised type")


def _claimed_label(extension: str):
    """Label for what the *name* claims (".jpeg" -> "a JPEG image")."""
    extension = _normalise_ext(extension)
    if extension in _FORMAT_LABELS:
        return _FORMAT_LABELS[extension]
    for fmt, exts in _COMPATIBLE_EXTENSIONS.items():
        if extension in exts:
            return _format_label(fmt)
    return _format_label(extension)


def _allowed_label(allowed_kinds: Iterable[str]):
    labels = [_KIND_LABELS[k] for k in sorted(allowed_kinds) if k in _KIND_LABELS]
    return _lazy_join(labels)


def _human_size(num_bytes: int) -> str:
    if num_bytes >= 1024**3:
        return f"{num_bytes / 1024**3:.1f} GB"
    if num_bytes >= 1024**2:
        return f"{num_bytes / 1024**2:.1f} MB"
    if num_bytes >= 1024:
        return f"{num_bytes / 1024:.0f} KB"
    return f"{num_bytes} B"


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- Small I/O helpers ------------------------------------------------------


@contextlib.contextmanager
def _preserved_position(fileobj: BinaryIO):
    try:
        position = fileobj.tell()
    except (AttributeError, OSError):
        position = 0
    try:
        yield
    finally:
        fileobj.seek(position)


def _read_at(fileobj: BinaryIO, offset: int, size: int) -> bytes:
    fileobj.seek(offset)
    return fileobj.read(size)


def _size_of(fileobj: BinaryIO) -> int:
    with _preserved_position(fileobj):
        # seek() of some file wrappers returns None; tell() is reliable.
        fileobj.seek(0, os.SEEK_END)
        return fileobj.tell()


# --- Sniffing ---------------------------------------------------------------

_MARKUP_PREFIXES = (
    (b"<svg", Sniffed("markup", "image/svg+xml", "svg")),
    (b"<!doctype svg", Sniffed("markup", "image/svg+xml", "svg")),
    (b"<!doctype html", Sniffed("markup", "text/html", "html")),
    (b"<html", Sniffed("markup", "text/html", "html")),
    (b"<head", Sniffed("markup", "text/html", "html")),
    (b"<body", Sniffed("markup", "text/html", "html")),
    (b"<script", Sniffed("markup", "text/html", "html")),
    (b"<iframe", Sniffed("markup", "text/html", "html")),
    (b"<meta", Sniffed("markup", "text/html", "html")),
    (b"<div", Sniffed("markup", "text/html", "html")),
    (b"<a ", Sniffed("markup", "text/html", "html")),
    (b"<img", Sniffed("markup", "text/html", "html")),
    (b"<style", Sniffed("markup", "text/html", "html")),
    (b"<?xml", Sniffed("markup", "application/xml", "xml")),
    (b"<!--", Sniffed("markup", "text/html", "html")),
    (b"<!doctype", Sniffed("markup", "application/xml", "xml")),
)
_XML_ROOT = re.compile(rb"<(svg|html)\b")


def _decode_text_head(head: bytes) -> bytes:
    """Return the head as lower-case ASCII-ish bytes without BOM/whitespace.

    UTF-16/32 text is transcoded first: browsers sniff a UTF-16 SVG just as
    happily as a UTF-8 one.
    """
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if head.startswith(bom):
            text = head[len(bom) :].decode(encoding, errors="ignore")
            return text.encode("utf-8", errors="ignore").lstrip().lower()
    # UTF-16 without a BOM: every other byte is NUL for ASCII markup.
    if len(head) >= 8 and head[1:8:2] == b"\x00\x00\x00\x00":
        text = head.decode("utf-16-le", errors="ignore")
        return text.encode("utf-8", errors="ignore").lstrip().lower()
    if len(head) >= 8 and head[0:8:2] == b"\x00\x00\x00\x00":
        text = head.decode("utf-16-be", errors="ignore")
        return text.encode("utf-8", errors="ignore").lstrip().lower()
    return head.lstrip().lower()


def _sniff_markup(head: bytes) -> Sniffed | None:
    text = _decode_text_head(head)
    if not text or not text.startswith(b"<"):
        return None
    for prefix, sniffed in _MARKUP_PREFIXES:
        if text.startswith(prefix):
            if sniffed.extension == "xml" or prefix == b"<!--":
                # An XML prolog or comment may precede an <svg> or <html> root.
                root = _XML_ROOT.search(text)
                if root is not None:
                    return (
                        Sniffed("markup", "image/svg+xml", "svg")
                        if root.group(1) == b"svg"
                        else Sniffed("markup", "text/html", "html")
                    )
            return sniffed
    # Any other tag-like start ("<x:xmpmeta", "<foo>") is still markup.
    if re.match(rb"<[a-z!?/]", text):
        return Sniffed("markup", "application/xml", "xml")
    return None


def _is_mp3_frame(head: bytes) -> bool:
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version = (head[1] >> 3) & 0x3
    layer = (head[1] >> 1) & 0x3
    bitrate = head[2] >> 4
    sample_rate = (head[2] >> 2) & 0x3
    # Layer III only; reserved version/bitrate/sample-rate values are not MP3.
    return version != 1 and layer == 1 and bitrate not in (0, 15) and sample_rate != 3


_QUICKTIME_FIRST_BOXES = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}
_IMAGE_BRANDS = {
    b"heic": ("image/heic", "heic"),
    b"heix": ("image/heic", "heic"),
    b"hevc": ("image/heic", "heic"),
    b"mif1": ("image/heif", "heic"),
    b"msf1": ("image/heif", "heic"),
    b"avif": ("image/avif", "avif"),
    b"avis": ("image/avif", "avif"),
}


def _sniff_ftyp(head: bytes) -> Sniffed:
    box_size = struct.unpack(">I", head[:4])[0]
    major = head[8:12]
    end = min(len(head), box_size if box_size >= 16 else 16)
    brands = [major] + [head[i : i + 4] for i in range(16, end - 3, 4)]
    if major in _IMAGE_BRANDS:
        mime, ext = _IMAGE_BRANDS[major]
        return Sniffed("other", mime, ext)
    if major in _AUDIO_BRANDS:
        return Sniffed("audio", "audio/mp4", "m4a")
    if major == b"qt  ":
        return Sniffed("video", "video/quicktime", "mov")
    if major == b"crx ":
        return Sniffed("other", "image/x-canon-cr3", "cr3")
    if any(b in _IMAGE_BRANDS for b in brands) and not any(
        b in (b"isom", b"mp41", b"mp42") for b in brands
    ):
        mime, ext = _IMAGE_BRANDS[next(b for b in brands if b in _IMAGE_BRANDS)]
        return Sniffed("other", mime, ext)
    return Sniffed("video", "video/mp4", "mp4")


def _sniff_ebml(head: bytes) -> Sniffed:
    if b"webm" in head[:256]:
        return Sniffed("video", "video/webm", "webm")
    return Sniffed("video", "video/x-matroska", "mkv")


def _sniff_ogg(head: bytes) -> Sniffed:
    if b"\x80theora" in head[:512]:
        return Sniffed("video", "video/ogg", "ogg")
    return Sniffed("audio", "audio/ogg", "ogg")


_OOXML = "application/vnd.openxmlformats-officedocument."
_OOXML_MAIN_PARTS = (
    ("word/document.xml", Sniffed("docx", _OOXML + "wordprocessingml.document", "docx")),
    ("ppt/presentation.xml", Sniffed("pptx", _OOXML + "presentationml.presentation", "pptx")),
    ("xl/workbook.xml", Sniffed("xlsx", _OOXML + "spreadsheetml.sheet", "xlsx")),
)
_ZIP = Sniffed("zip", "application/zip", "zip")


def _sniff_zip(fileobj: BinaryIO) -> Sniffed:
    """Tell OOXML documents from plain archives by the central directory."""
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        # Looks like a ZIP but is damaged; validate_upload reports "corrupt".
        return _ZIP
    if "[Content_Types].xml" in names:
        for main_part, sniffed in _OOXML_MAIN_PARTS:
            if main_part in names:
                return sniffed
    return _ZIP


def _sniff_head(head: bytes) -> Sniffed | None:
    """Binary signatures at offset 0 (or in the first box)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image", "image/png", "png")
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image", "image/jpeg", "jpg")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return Sniffed("image", "image/gif", "gif")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return Sniffed("image", "image/webp", "webp")
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return Sniffed("audio", "audio/wav", "wav")
    if head[4:8] == b"ftyp" and len(head) >= 12:
        return _sniff_ftyp(head)
    if head[4:8] in _QUICKTIME_FIRST_BOXES and (head[0] < 0x20 or head[:4] == b"\0\0\0\1"):
        # Old QuickTime files have no ftyp box and start with one of these.
        # The size check keeps text such as "The free ..." out.
        return Sniffed("video", "video/quicktime", "mov")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return _sniff_ebml(head)
    if head.startswith(b"OggS"):
        return _sniff_ogg(head)
    if head.startswith(b"fLaC"):
        return Sniffed("audio", "audio/flac", "flac")
    if head.startswith(b"ID3") or _is_mp3_frame(head):
        return Sniffed("audio", "audio/mpeg", "mp3")
    if head.startswith(b"%PDF-"):
        return Sniffed("pdf", "application/pdf", "pdf")
    return None


def sniff(fileobj: BinaryIO) -> Sniffed:
    """Identify a file by its content; the file position is left unchanged.

    Reads the first 8 KiB, plus the ZIP central directory for ZIP-based
    formats, so memory stays constant for any file size. Never raises for
    unrecognised content: returns :data:`UNKNOWN` (or a ``Sniffed`` of kind
    ``"other"``/``"markup"``) instead.
    """
    with _preserved_position(fileobj):
        head = _read_at(fileobj, 0, _HEAD_BYTES)
        if not head:
            return UNKNOWN
        if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
            return _sniff_zip(fileobj)
        found = _sniff_head(head)
        if found is not None:
            return found
        markup = _sniff_markup(head)
        if markup is not None:
            return markup
        # Acrobat accepts junk before the header; so do we, within 1 KiB.
        if b"%PDF-" in head[:1024]:
            return Sniffed("pdf", "application/pdf", "pdf")
        guess = filetype.guess(head)
        if guess is not None:
            return Sniffed("other", guess.mime, _normalise_ext(guess.extension))
        if head[:512].lstrip().startswith((b"#!", b"<?php")):
            return Sniffed("markup", "text/x-script", "js")
        if _looks_like_text(head):
            return Sniffed("other", "text/plain", "txt")
        return UNKNOWN


def _normalise_ext(extension: str) -> str:
    return {"tiff": "tif", "jpeg": "jpg"}.get(extension, extension)


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multibyte character cut at the 8 KiB boundary is still text.
        if exc.start < len(head) - 4:
            return False
    return b"\x00" not in head


# --- Names ------------------------------------------------------------------


def clean_filename(name: str) -> str:
    """Return a safe display/storage base name for a user-supplied file name.

    NFC-normalises (macOS sends NFD), keeps only the last path component
    (browsers on Windows send ``C:\\fakepath\\x.png``), drops control and
    format characters (including the U+202E right-to-left override used to
    make ``gpj.exe`` look like ``exe.jpg``) and trims dots and spaces.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf"))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return name.strip().strip(".").strip()


def _extension_of(name: str) -> str:
    base, dot, extension = name.rpartition(".")
    return extension.lower().strip() if dot and base else ""


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

    size = _size_of(fileobj)
    if size == 0:
        raise DomainError(
            _("The file is empty (0 bytes). Please choose the file again."),
            code=CODE_EMPTY,
        )
    if size > max_bytes:
        raise DomainError(
            _interpolate(
                _("The file is too large (%(size)s). The limit for this material is %(limit)s."),
                {"size": _human_size(size), "limit": _human_size(max_bytes)},
            ),
            code=CODE_TOO_LARGE,
        )

    sniffed = sniff(fileobj)
    claimed = _extension_of(clean_filename(name))

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

    if sniffed.kind not in allowed_kinds:
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
        raise DomainError(_interpolate(message, params), code=CODE_TYPE_NOT_ALLOWED)

    if claimed and claimed not in _COMPATIBLE_EXTENSIONS[sniffed.extension]:
        raise DomainError(
            _interpolate(
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

    with _preserved_position(fileobj):
        if sniffed.kind == "image":
            _check_image(fileobj, sniffed)
        elif sniffed.kind == "pdf":
            _check_pdf(fileobj, size)
        elif sniffed.extension in ("mp4", "mov", "m4a"):
            _check_isobmff(fileobj, size)
        elif sniffed.kind in ("zip", "docx", "pptx", "xlsx"):
            check_zip(fileobj, max_uncompressed=zip_max_uncompressed)
    return sniffed


def _corrupt() -> DomainError:
    return DomainError(
        _(
            "The file is damaged or incomplete and cannot be opened. Please "
            "export or download it again and upload the new copy."
        ),
        code=CODE_CORRUPT,
    )


def _pixel_flood(width: int | None, height: int | None) -> DomainError:
    limits = {
        "pixels": f"{MAX_IMAGE_PIXELS:,}",
        "side": f"{MAX_IMAGE_SIDE:,}",
    }
    if width and height:
        message = _(
            "The image has too many pixels (%(width)s × %(height)s). Images "
            "may have at most %(pixels)s pixels and at most "
            "%(side)s pixels on each side. Please make it smaller and upload "
            "it again."
        )
        params = {"width": width, "height": height, **limits}
    else:
        message = _(
            "The image has too many pixels. Images may have at most "
            "%(pixels)s pixels and at most %(side)s pixels on "
            "each side. Please make it smaller and upload it again."
        )
        params = limits
    return DomainError(_interpolate(message, params), code=CODE_PIXEL_FLOOD)


# Pillow reports JPEGs carrying several pictures (phones' HDR gain maps,
# depth maps) as "MPO"; they are ordinary JPEGs to the user.
_PIL_FORMATS = {
    "png": ("PNG",),
    "jpg": ("JPEG", "MPO"),
    "gif": ("GIF",),
    "webp": ("WEBP",),
}


def _check_image(fileobj: BinaryIO, sniffed: Sniffed) -> None:
    """Header-only size check, then a cheap integrity check.

    ``Image.open`` parses only the header; Pillow's own decompression-bomb
    guard may fire first for absurd sizes, which we report the same way.
    (No ``warnings.catch_warnings()`` for Pillow's DecompressionBombWarning:
    it is not thread-safe, and the warning only fires for sizes we reject.)
    """
    # Only the sniffed format's decoder may run: less attack surface.
    formats = _PIL_FORMATS[sniffed.extension]
    fileobj.seek(0)
    try:
        with Image.open(fileobj, formats=formats[:1]) as img:
            width, height = img.size
            if width * height > MAX_IMAGE_PIXELS or max(width, height) > MAX_IMAGE_SIDE:
                raise _pixel_flood(width, height)
            if img.format not in formats:
                raise _corrupt()
            img.verify()  # PNG: chunk CRCs up to IEND, no decoding
    except Image.DecompressionBombError as exc:
        raise _pixel_flood(*_dimensions_from(fileobj)) from exc
    except DomainError:
        raise
    except (OSError, SyntaxError, ValueError, struct.error, EOFError) as exc:
        raise _corrupt() from exc
    if sniffed.extension == "jpg":
        # verify() is a no-op for JPEG; decoding at 1/8 scale finds
        # truncated files for the cost of a thumbnail.
        fileobj.seek(0)
        try:
            with Image.open(fileobj, formats=formats[:1]) as img:
                img.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                img.load()
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise _corrupt() from exc


def _dimensions_from(fileobj: BinaryIO) -> tuple[int | None, int | None]:
    """Declared size for messages when Pillow refused to open the image."""
    head = _read_at(fileobj, 0, 32)
    if head.startswith(b"\x89PNG") and head[12:16] == b"IHDR":
        return struct.unpack(">II", head[16:24])
    if head.startswith(b"GIF8"):
        return struct.unpack("<HH", head[6:10])
    return None, None


def _check_pdf(fileobj: BinaryIO, size: int) -> None:
    tail = _read_at(fileobj, max(0, size - _PDF_TAIL_BYTES), _PDF_TAIL_BYTES)
    if b"%%EOF" not in tail or b"startxref" not in _read_at(
        fileobj, max(0, size - 4 * _PDF_TAIL_BYTES), 4 * _PDF_TAIL_BYTES
    ):
        raise _corrupt()


def _check_isobmff(fileobj: BinaryIO, size: int) -> None:
    """Walk the top-level MP4/MOV boxes: catches truncated uploads.

    A video cut off in transfer either lacks its ``moov`` index (written at
    the end by most encoders) or has a box running past the end of the file;
    players cannot open either. Junk after the last box is tolerated.
    """
    found_moov = False
    for box_type, payload, payload_size in _iter_boxes(fileobj, 0, size):
        if payload + payload_size > size:
            raise _corrupt()
        found_moov = found_moov or box_type == b"moov"
    if not found_moov:
        raise _corrupt()


_S_IFMT = 0o170000
_S_IFLNK = 0o120000


def _is_unsafe_member(filename: str) -> bool:
    if "\\" in filename or "\x00" in filename:
        return True
    if filename.startswith("/") or re.match(r"^[A-Za-z]:", filename):
        return True
    return ".." in filename.split("/")


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
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _corrupt() from exc
    with archive:
        infos = archive.infolist()
    if len(infos) > max_members:
        raise _zip_bomb()
    total = 0
    for info in infos:
        if _is_unsafe_member(info.filename) or _is_unsafe_member(
            info.orig_filename.replace("\\", "/")
        ):
            raise DomainError(
                _interpolate(
                    _(
                        "The archive contains a file with an unsafe path "
                        "(%(path)s). Paths inside the archive must not start "
                        "with “/” or a drive letter, contain “..”, or use "
                        "backslashes."
                    ),
                    {"path": _shorten(info.orig_filename)},
                ),
                code=CODE_ZIP_UNSAFE_PATH,
            )
        if (info.external_attr >> 16) & _S_IFMT == _S_IFLNK:
            raise DomainError(
                _interpolate(
                    _(
                        "The archive contains a shortcut link (%(path)s). "
                        "Links are not allowed; please put the real files "
                        "in the archive instead."
                    ),
                    {"path": _shorten(info.filename)},
                ),
                code=CODE_ZIP_SYMLINK,
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > max_uncompressed or (
            ratio > ZIP_MAX_RATIO and info.file_size > ZIP_RATIO_MIN_MEMBER_BYTES
        ):
            raise _zip_bomb()
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


# --- Images -----------------------------------------------------------------

_KEEP_INFO = ("icc_profile", "transparency", "gamma", "dpi", "duration", "loop")


def strip_image_metadata(src_fileobj: BinaryIO, dst_fileobj: BinaryIO) -> str:
    """Re-save a JPEG/PNG/WebP without EXIF (GPS included), XMP or comments.

    The EXIF orientation is applied to the pixels first so the picture still
    appears the right way up. JPEG is re-encoded at quality 95; PNG stays
    lossless; WebP keeps lossless if the source was. The ICC colour profile
    is kept (it is not personal data and colours would shift without it).
    Animated images keep their frames (orientation is not applied to them).
    Returns the Pillow format name written. Call only on validated images.
    """
    head = _read_at(src_fileobj, 0, 4096)
    src_fileobj.seek(0)
    with Image.open(src_fileobj, formats=("JPEG", "PNG", "WEBP")) as img:
        fmt = img.format
        if fmt == "MPO":
            # Keep the main picture only; the extra ones (gain/depth maps)
            # carry their own metadata and are not needed for display.
            fmt = "JPEG"
            animated = False
        elif fmt in ("JPEG", "PNG", "WEBP"):
            animated = getattr(img, "is_animated", False)
        else:
            raise ValueError(f"unsupported format for metadata stripping: {fmt}")
        lossless = fmt == "WEBP" and b"VP8L" in head
        if animated:
            out = img
        else:
            out = ImageOps.exif_transpose(img) or img
            out.load()
        info = {k: img.info[k] for k in _KEEP_INFO if k in img.info}
        out.info = dict(info)
        params: dict = {"exif": b""}
        if "icc_profile" in info:
            params["icc_profile"] = info["icc_profile"]
        if fmt == "JPEG":
            # 4:4:4 chroma: artworks have sharp coloured edges that the
            # default 4:2:0 subsampling would blur.
            params.update(quality=95, optimize=True, subsampling=0)
            if "dpi" in info:
                params["dpi"] = info["dpi"]
        elif fmt == "PNG":
            params.pop("exif")
            params.update(optimize=False)
            if "transparency" in info:
                params["transparency"] = info["transparency"]
        elif fmt == "WEBP":
            params.update(lossless=lossless, quality=95 if not lossless else 100)
        if animated:
            params.update(save_all=True)
            for key in ("duration", "loop"):
                if key in info:
                    params[key] = info[key]
        out.save(dst_fileobj, format=fmt, **params)
    return fmt


def _open_image_source(src):
    if isinstance(src, str | os.PathLike):
        return Image.open(src)
    src.seek(0)
    return Image.open(src)


def make_thumbnail(src, dst, size: tuple[int, int] = (480, 480)) -> tuple[int, int]:
    """Write a JPEG thumbnail (at most ``size``) of an image; return its size.

    ``src``/``dst`` are paths or binary file objects. Orientation is applied,
    transparency is flattened onto white, metadata is not copied.
    """
    with _open_image_source(src) as img:
        if img.format == "JPEG":
            # Let libjpeg decode at a reduced scale: far less memory.
            img.draft("RGB", (size[0] * 2, size[1] * 2))
        thumb = ImageOps.exif_transpose(img) or img
        thumb.thumbnail(size, Image.Resampling.LANCZOS)
        if thumb.mode in ("RGBA", "LA", "P", "PA"):
            rgba = thumb.convert("RGBA")
            background = Image.new("RGB", rgba.size, (255, 255, 255))
            background.paste(rgba, mask=rgba.getchannel("A"))
            thumb = background
        elif thumb.mode != "RGB":
            thumb = thumb.convert("RGB")
        thumb.save(dst, format="JPEG", quality=85, optimize=True)
        return thumb.size


# --- Video ------------------------------------------------------------------

_CONTAINER_BOXES = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"udta", b"edts"}


def _iter_boxes(fileobj: BinaryIO, start: int, end: int):
    """Yield (type, payload_offset, payload_size) for ISO-BMFF boxes."""
    offset = start
    while offset + 8 <= end:
        header = _read_at(fileobj, offset, 8)
        if len(header) < 8:
            return
        size, box_type = struct.unpack(">I4s", header)
        header_size = 8
        if size == 1:
            large = _read_at(fileobj, offset + 8, 8)
            if len(large) < 8:
                return
            size = struct.unpack(">Q", large)[0]
            header_size = 16
        elif size == 0:
            size = end - offset
        if size < header_size:
            return
        yield box_type, offset + header_size, size - header_size
        offset += size


def _mvhd_duration(fileobj: BinaryIO) -> float | None:
    end = fileobj.seek(0, os.SEEK_END)
    for box_type, payload, payload_size in _iter_boxes(fileobj, 0, end):
        if box_type != b"moov":
            continue
        for inner, inner_payload, _inner_size in _iter_boxes(
            fileobj, payload, payload + payload_size
        ):
            if inner != b"mvhd":
                continue
            data = _read_at(fileobj, inner_payload, 32)
            if not data:
                return None
            if data[0] == 1:
                timescale, duration = struct.unpack(">IQ", data[20:32])
                unknown = duration == 0xFFFFFFFFFFFFFFFF
            else:
                timescale, duration = struct.unpack(">II", data[12:20])
                unknown = duration == 0xFFFFFFFF
            if not timescale or unknown or duration == 0:
                # Fragmented MP4s leave mvhd empty; let ffprobe sum fragments.
                return None
            return duration / timescale
        return None
    return None


def video_duration_seconds(path: str | os.PathLike) -> float | None:
    """Duration of a video in seconds, or None if it cannot be determined.

    Reads the MP4/MOV ``moov/mvhd`` box in pure Python (box headers only,
    64-bit sizes and ``moov`` after ``mdat`` handled); falls back to
    ``ffprobe`` for other containers (WebM) and fragmented MP4.
    """
    try:
        with open(path, "rb") as fileobj:
            first_box = _read_at(fileobj, 4, 4)
            if first_box == b"ftyp" or first_box in _QUICKTIME_FIRST_BOXES:
                duration = _mvhd_duration(fileobj)
                if duration is not None:
                    return duration
    except (OSError, struct.error):
        pass
    return _ffprobe_duration(path)


def _ffprobe_duration(path) -> float | None:
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return None
    try:
        # Argument list from shutil.which() + our own flags; no shell.
        result = subprocess.run(  # noqa: S603
            [
                ffprobe, "-v", "error", "-show_entries", "format=duration",
                "-of", "default=noprint_wrappers=1:nokey=1", "--", os.fspath(path),
            ],
            capture_output=True,
            timeout=_SUBPROCESS_TIMEOUT,
            check=False,
        )  # fmt: skip
        value = float(result.stdout.decode().strip().splitlines()[0])
    except (subprocess.SubprocessError, OSError, ValueError, IndexError):
        return None
    return value if value > 0 else None


def video_poster(path: str | os.PathLike, dst: str | os.PathLike) -> bool:
    """Write a JPEG poster frame (max 480 px wide) with ffmpeg.

    Takes the frame at 10% of the duration (intros are often black). Returns
    False when ffmpeg is missing or fails; the caller shows a placeholder.
    """
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return False
    duration = video_duration_seconds(path)
    at = f"{duration * 0.1:.3f}" if duration else "0"
    try:
        # Argument list from shutil.which() + our own flags; no shell.
        result = subprocess.run(  # noqa: S603
            [
                ffmpeg, "-nostdin", "-v", "error", "-y", "-ss", at,
                "-i", os.fspath(path), "-frames:v", "1",
                "-vf", "scale='min(480,iw)':-2", "-q:v", "3",
                "-f", "image2", "-c:v", "mjpeg", os.fspath(dst),
            ],
            capture_output=True,
            timeout=_SUBPROCESS_TIMEOUT,
            check=False,
        )  # fmt: skip
    except (subprocess.SubprocessError, OSError):
        return False
    return result.returncode == 0 and os.path.exists(dst) and os.path.getsize(dst) > 0


# --- Malware scanning (optional) --------------------------------------------


class MalwareScanError(RuntimeError):
    """clamd is configured but the scan could not be completed."""


def malware_scanning_enabled() -> bool:
    return bool(os.environ.get("CLAMD_SOCKET") or os.environ.get("CLAMD_HOST"))


def scan_for_malware(source: str | os.PathLike | BinaryIO, *, timeout: float = 120.0) -> str | None:
    """Scan a file (a path or an open binary file) with ClamAV's daemon; return the
    signature name if infected.

    Configuration (environment): ``CLAMD_SOCKET`` = path of clamd's UNIX
    socket, or ``CLAMD_HOST`` (+ ``CLAMD_PORT``, default 3310) for TCP. With
    neither set, scanning is disabled and this returns None (check
    :func:`malware_scanning_enabled` to tell "clean" from "not scanned").
    Raises :class:`MalwareScanError` when clamd is configured but unreachable
    or answers with an error (e.g. the file exceeds its StreamMaxLength), so
    the caller can decide to fail closed (gongchuang.common.malware does). Uses
    the INSTREAM command, so clamd needs no access to our files. An open file
    is read from its start and left at its start.
    """
    unix_path = os.environ.get("CLAMD_SOCKET")
    host = os.environ.get("CLAMD_HOST")
    if not unix_path and not host:
        return None
    try:
        if unix_path:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            conn.settimeout(timeout)
            conn.connect(unix_path)
        else:
            port = int(os.environ.get("CLAMD_PORT", "3310"))
            conn = socket.create_connection((host, port), timeout=timeout)
        opened = not hasattr(source, "read")
        with conn, open(source, "rb") if opened else contextlib.nullcontext(source) as fileobj:
            fileobj.seek(0)
            try:
                conn.sendall(b"zINSTREAM\0")
                while chunk := fileobj.read(64 * 1024):
                    conn.sendall(struct.pack(">I", len(chunk)) + chunk)
                conn.sendall(struct.pack(">I", 0))
            except (BrokenPipeError, ConnectionResetError):
                pass  # clamd stopped reading (StreamMaxLength); its answer below says why
            if not opened:
                fileobj.seek(0)
            reply = io.BytesIO()
            while not reply.getvalue().endswith(b"\0"):
                data = conn.recv(4096)
                if not data:
                    break
                reply.write(data)
    except (OSError, ValueError) as exc:  # ValueError: a CLAMD_PORT that is not a number
        raise MalwareScanError(f"clamd scan failed: {exc}") from exc
    answer = reply.getvalue().rstrip(b"\0").decode("utf-8", "replace").strip()
    # "stream: OK" | "stream: Eicar-Signature FOUND" | "... ERROR"
    if answer.endswith("FOUND"):
        return answer.removeprefix("stream:").removesuffix("FOUND").strip()
    if answer.endswith("OK"):
        return None
    raise MalwareScanError(f"clamd answered: {answer}")
