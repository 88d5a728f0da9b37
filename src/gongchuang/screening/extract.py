"""Plain text of a work's documents (PDF, DOCX, PPTX) for near-duplicate detection.

No Django here. ``extract_text(path, kind)`` returns ``(text, note)``: the text
(possibly cut at ``MAX_CHARS``) and ``""``, or ``""`` and a short note code when
the file was skipped. It never raises for a bad file: a broken, encrypted,
oversized or hostile document is skipped with a note and the pre-check goes on.

Limits keep one upload from stalling the background worker: at most
``MAX_PAGES`` PDF pages / PPTX slides / DOCX paragraphs-and-cells are read and
at most ``MAX_CHARS`` characters kept; files over ``MAX_BYTES`` are not opened.

``matching_passages(a, b)`` picks the sentences two texts share, for a reviewer
to read side by side.
DOCX and PPTX are ZIP archives: ``check_archive`` refuses ones whose members
would unpack to more than ``MAX_UNPACKED_BYTES`` (a "zip bomb").
"""

from __future__ import annotations

import logging
import os
import re
import zipfile

import docx
import pptx
from pypdf import PdfReader

from .similarity import shingles

log = logging.getLogger(__name__)

MAX_BYTES = 100 * 1024 * 1024
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_PAGES = 200
MAX_CHARS = 200_000
TEXT_KINDS = ("pdf", "docx", "pptx")

# Note codes (the pre-check turns them into sentences).
NOTE_TOO_LARGE = "too_large"
NOTE_ENCRYPTED = "encrypted"
NOTE_UNREADABLE = "unreadable"


class _Enough(Exception):
    """Raised inside a reader once ``MAX_CHARS`` are collected."""


class _Collector:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.limit = MAX_CHARS

    def add(self, text: str) -> None:
        if not text:
            return
        self.parts.append(text)
        self.size += len(text) + 1
        if self.size >= self.limit:
            raise _Enough

    def text(self) -> str:
        return "\n".join(self.parts)[: self.limit]


def check_archive(path: str | os.PathLike) -> None:
    """Raise ValueError for a ZIP whose members would unpack to too much."""
    with zipfile.ZipFile(path) as archive:
        total = sum(info.file_size for info in archive.infolist())
    if total > MAX_UNPACKED_BYTES:
        raise ValueError("archive unpacks too large")


def _pdf(path: str, out: _Collector) -> str:
    reader = PdfReader(path, strict=False)
    if reader.is_encrypted:
        try:
            # Many "protected" PDFs only restrict printing and open with an empty password.
            if not reader.decrypt(""):
                return NOTE_ENCRYPTED
        except Exception:  # pypdf raises several types for unsupported encryption
            return NOTE_ENCRYPTED
    for number, page in enumerate(reader.pages):
        if number >= MAX_PAGES:
            break
        out.add(page.extract_text() or "")
    return ""


def _docx(path: str, out: _Collector) -> str:
    check_archive(path)
    document = docx.Document(path)
    count = 0
    for paragraph in document.paragraphs:
        out.add(paragraph.text)
        count += 1
        if count >= MAX_PAGES * 50:
            return ""
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                out.add(cell.text)
    return ""


def _pptx(path: str, out: _Collector) -> str:
    check_archive(path)
    presentation = pptx.Presentation(path)
    for number, slide in enumerate(presentation.slides):
        if number >= MAX_PAGES:
            break
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.add(shape.text_frame.text)
        if slide.has_notes_slide:
            out.add(slide.notes_slide.notes_text_frame.text)
    return ""


_READERS = {"pdf": _pdf, "docx": _docx, "pptx": _pptx}


def extract_text(path: str | os.PathLike, kind: str) -> tuple[str, str]:
    """(text, note) of a PDF / DOCX / PPTX file; ("", "") for other kinds."""
    reader = _READERS.get(kind)
    if reader is None:
        return "", ""
    path = os.fspath(path)
    try:
        if os.path.getsize(path) > MAX_BYTES:
            return "", NOTE_TOO_LARGE
    except OSError:
        return "", NOTE_UNREADABLE
    out = _Collector()
    try:
        note = reader(path, out)
    except _Enough:
        note = ""
    except RecursionError:
        return "", NOTE_UNREADABLE
    except Exception as exc:  # any parser error in a user's file: skip, never crash
        log.info("text extraction failed for %s: %s: %s", path, type(exc).__name__, exc)
        return "", NOTE_UNREADABLE
    if note:
        return "", note
    return out.text(), ""


# --- Matching passages -------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;\n])|(?<=\.)\s")
MAX_SENTENCES = 3000
PASSAGE_CHARS = 160


def _sentences(text: str) -> list[tuple[str, set[str]]]:
    found = []
    for raw in _SENTENCE_END.split(text):
        sentence = " ".join(raw.split())
        grams = shingles(sentence)
        if len(grams) >= 8:  # a heading or a number says nothing about copying
            found.append((sentence, grams))
        if len(found) >= MAX_SENTENCES:
            break
    return found


def matching_passages(
    text_a: str, text_b: str, *, limit: int = 3, min_overlap: float = 0.6
) -> list[tuple[str, str]]:
    """Up to ``limit`` pairs (sentence of a, sentence of b) that say nearly the same.

    Sentences are compared by their character 3-grams (as the MinHash is), through an
    inverted index of b's 3-grams, so two long reports take milliseconds. The longest
    matching sentences are kept, in a's order; each is cut to ``PASSAGE_CHARS`` characters.
    """
    ours, theirs = _sentences(text_a), _sentences(text_b)
    by_gram: dict[str, list[int]] = {}
    for index, (_sentence, grams) in enumerate(theirs):
        for gram in grams:
            by_gram.setdefault(gram, []).append(index)
    pairs: list[tuple[int, int, str, str]] = []
    used: set[int] = set()
    for position, (sentence, grams) in enumerate(ours):
        shared: dict[int, int] = {}
        for gram in grams:
            for index in by_gram.get(gram, ()):
                shared[index] = shared.get(index, 0) + 1
        if not shared:
            continue
        index, count = max(shared.items(), key=lambda item: (item[1], -item[0]))
        overlap = count / len(grams | theirs[index][1])
        if overlap >= min_overlap and index not in used:
            used.add(index)
            pairs.append((len(grams), position, sentence, theirs[index][0]))
    longest = sorted(pairs, key=lambda p: (-p[0], p[1]))[:limit]
    return [
        (a[:PASSAGE_CHARS], b[:PASSAGE_CHARS])
        for _n, _p, a, b in sorted(longest, key=lambda p: p[1])
    ]
