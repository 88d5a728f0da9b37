"""Small real files and ready-to-submit works for the submissions tests."""

import io
import struct
import threading
import zipfile
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image
from reportlab.pdfgen import canvas

from gongchuang.common.errors import DomainError
from gongchuang.submissions import services


def png_bytes(size=(64, 48), color=(30, 120, 200)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format="PNG")
    return buf.getvalue()


def pdf_bytes(text="创作说明") -> bytes:
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    pdf.drawString(72, 720, "statement")
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buf.getvalue()


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4_head() -> bytes:
    return _box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41")


def mp4_tail() -> bytes:
    mvhd = b"\x00" * 12 + struct.pack(">II", 1000, 5000) + b"\x00" * 80
    return _box(b"moov", _box(b"mvhd", mvhd))


def mp4_bytes(payload=b"\x00" * 1024) -> bytes:
    """A structurally valid MP4 (ftyp, mdat, moov) — enough for content validation."""
    return mp4_head() + _box(b"mdat", payload) + mp4_tail()


def upload(name: str, data: bytes) -> io.BytesIO:
    return SimpleUploadedFile(name, data)


ART_FIELDS = {
    "title": "水墨北京",
    "abstract": "用 AI 绘画工具创作的北京胡同水墨画。",
    "keywords": "AI绘画,北京,水墨",
    "ai_tools": "文心一格",
    "ai_generated": "画面底稿",
    "ai_contribution": "构图与修改",
    "ai_process": "提示词：水墨风格的北京胡同",
    "originality_pledge": True,
}


def category(edition, code):
    return edition.categories.get(code=code)


def art_draft(edition, student, **overrides):
    fields = {**ART_FIELDS, **overrides}
    return services.work_create(
        actor=student, edition=edition, category=category(edition, "ai_art"), **fields
    )


def add_art_files(work, student):
    for slot, name, data in (
        ("artwork", "art.png", png_bytes()),
        ("statement", "statement.pdf", pdf_bytes()),
        ("process", "process.pdf", pdf_bytes()),
    ):
        services.workfile_store(
            work=work, slot=slot, fileobj=io.BytesIO(data), name=name, actor=student
        )
    return work


def complete_art_work(edition, student, **overrides):
    return add_art_files(art_draft(edition, student, **overrides), student)


def at_once(calls: list[Callable[[], object]]) -> list:
    """Run each call in its own thread (its own database connection), all released together.

    Returns what each call returned, or the code of the DomainError it raised (any other
    exception: its repr, so that the caller's assertion shows it).
    """
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[n] = calls[n]()
        except DomainError as exc:
            results[n] = exc.code
        except Exception as exc:
            results[n] = repr(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
