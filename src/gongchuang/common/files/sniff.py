"""What a file really is, decided by its content (never by its name).

Reads the head of the file and, for ZIP-based formats, the central directory:
memory stays constant for any file size. ``sniff`` never raises for
unrecognised content.
"""

import re
import struct
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import filetype

from .streams import preserved_position, read_at

KINDS = frozenset({"image", "video", "audio", "pdf", "docx", "pptx", "xlsx", "zip"})

_HEAD_BYTES = 8192


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


QUICKTIME_FIRST_BOXES = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
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
    if head[4:8] in QUICKTIME_FIRST_BOXES and (head[0] < 0x20 or head[:4] == b"\0\0\0\1"):
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
    with preserved_position(fileobj):
        head = read_at(fileobj, 0, _HEAD_BYTES)
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
            return Sniffed("other", guess.mime, normalise_ext(guess.extension))
        if head[:512].lstrip().startswith((b"#!", b"<?php")):
            return Sniffed("markup", "text/x-script", "js")
        if _looks_like_text(head):
            return Sniffed("other", "text/plain", "txt")
        return UNKNOWN


def normalise_ext(extension: str) -> str:
    return {"tiff": "tif", "jpeg": "jpg"}.get(extension, extension)


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multibyte character cut at the 8 KiB boundary is still text.
        if exc.start < len(head) - 4:
            return False
    return b"\x00" not in head
