"""Certificate PDFs with an embedded Chinese font that the project ships itself.

The font is Noto Sans SC (SIL Open Font License) from the npm package
``@fontsource/noto-sans-sc`` in ``node_modules``. That package holds WOFF files per
unicode range; reportlab needs TrueType, so on first use the needed subsets are
converted with fontTools and cached under ``VAR_DIR/fonts`` (atomic write, safe
for concurrent workers). The "chinese-simplified" subset covers the common
characters; a rarer character in a name falls back to the numbered subset whose
CSS ``unicode-range`` contains it. reportlab embeds (subsets) the font in each PDF.
"""

import io
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import translation
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from gongchuang.common.masking import mask_name  # noqa: F401 - re-exported for views
from gongchuang.common.site import absolute_url

from .models import Certificate

FONT_PACKAGE = "@fontsource/noto-sans-sc"
PRIMARY_SUBSETS = ("chinese-simplified", "latin", "latin-ext")


def _package_dir() -> Path:
    return Path(settings.NODE_MODULES) / FONT_PACKAGE


def _cache_dir() -> Path:
    path = Path(settings.VAR_DIR) / "fonts"
    path.mkdir(parents=True, exist_ok=True)
    return path


@lru_cache(maxsize=4)
def _subset_ranges(weight: int) -> list[tuple[str, list[tuple[int, int]]]]:
    """(subset name, [(first, last) code points]) from the package's CSS, in CSS order."""
    css = (_package_dir() / f"{weight}.css").read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"@font-face\s*{(.*?)}", css, flags=re.S):
        name = re.search(rf"files/noto-sans-sc-([a-z0-9-]+?)-{weight}-normal\.woff2", block)
        ranges = re.search(r"unicode-range:\s*([^;]+);", block)
        if not name or not ranges:
            continue
        spans = []
        for part in ranges.group(1).split(","):
            part = part.strip().upper().removeprefix("U+")
            first, _, last = part.partition("-")
            spans.append((int(first, 16), int(last or first, 16)))
        out.append((name.group(1), spans))
    return out


def _ttf_for(subset: str, weight: int) -> Path:
    target = _cache_dir() / f"NotoSansSC-{subset}-{weight}.ttf"
    if target.exists():
        return target
    from fontTools.ttLib import TTFont as FTFont

    source = _package_dir() / "files" / f"noto-sans-sc-{subset}-{weight}-normal.woff"
    font = FTFont(str(source))
    font.flavor = None
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".ttf.part")
    os.close(fd)
    font.save(tmp)
    os.replace(tmp, target)
    return target


def _font_name(subset: str, weight: int) -> str:
    name = f"NotoSansSC-{subset}-{weight}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(_ttf_for(subset, weight))))
    return name


@lru_cache(maxsize=16)
def _coverage(subset: str, weight: int) -> frozenset[int]:
    """Code points with a glyph in a converted subset (read from its cmap)."""
    from fontTools.ttLib import TTFont as FTFont

    return frozenset(FTFont(str(_ttf_for(subset, weight)), lazy=True).getBestCmap())


def _subset_for_char(char: str, weight: int) -> str:
    code = ord(char)
    for subset in PRIMARY_SUBSETS:
        if code in _coverage(subset, weight):
            return subset
    for subset, spans in _subset_ranges(weight):
        if any(a <= code <= b for a, b in spans):
            return subset
    return PRIMARY_SUBSETS[0]


def _runs(text: str, weight: int) -> list[tuple[str, str]]:
    """Split ``text`` into (font name, text) runs so every character has a glyph."""
    runs: list[tuple[str, str]] = []
    for char in text:
        subset = PRIMARY_SUBSETS[0] if char.isspace() else _subset_for_char(char, weight)
        name = _font_name(subset, weight)
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + char)
        else:
            runs.append((name, char))
    return runs


def _draw(
    c: canvas.Canvas,
    text: str,
    *,
    x: float,
    y: float,
    size: float,
    weight=400,
    centered=True,
    color="#1f2933",
) -> None:
    runs = _runs(text, weight)
    width = sum(pdfmetrics.stringWidth(t, f, size) for f, t in runs)
    cursor = x - width / 2 if centered else x
    c.setFillColor(HexColor(color))
    for font, chunk in runs:
        c.setFont(font, size)
        c.drawString(cursor, y, chunk)
        cursor += pdfmetrics.stringWidth(chunk, font, size)


def verify_url(certificate: Certificate) -> str:
    """The public verification address printed on the certificate and in its QR code."""
    return absolute_url(certificate.get_absolute_url())


def render_certificate_pdf(certificate: Certificate) -> bytes:
    """One A4 landscape page: activity, person, work title, award, date, code and QR."""
    work, edition = certificate.work, certificate.event.edition
    buffer = io.BytesIO()
    width, height = landscape(A4)
    base_font = _font_name(PRIMARY_SUBSETS[0], 400)
    c = canvas.Canvas(
        buffer, pagesize=(width, height), initialFontName=base_font, initialFontSize=12
    )
    with translation.override("zh-hans"):
        c.setTitle(f"{certificate.award} · {work.title}")
        c.setAuthor(str(edition.name))
        c.setStrokeColor(HexColor("#b8860b"))
        c.setLineWidth(4)
        c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        c.setLineWidth(1)
        c.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)
        mid = width / 2
        _draw(c, "荣 誉 证 书", x=mid, y=height - 48 * mm, size=40, weight=700, color="#9a2b1e")
        _draw(c, str(edition.name), x=mid, y=height - 66 * mm, size=16)
        role = "指导教师" if certificate.role == "advisor" else "作者"
        _draw(
            c,
            f"{certificate.user.display_name}（{role}）",
            x=mid,
            y=height - 88 * mm,
            size=22,
            weight=700,
        )
        _draw(c, f"作品《{work.title}》", x=mid, y=height - 104 * mm, size=18)
        group = work.category.name
        if work.level and not work.category.is_teacher_track:
            group = f"{group} · {work.get_level_display()}"
        _draw(
            c,
            group,
            x=mid,
            y=height - 116 * mm,
            size=13,
            color="#5f6b7a",
        )
        _draw(c, "荣获", x=mid, y=height - 132 * mm, size=16)
        _draw(
            c, certificate.award, x=mid, y=height - 150 * mm, size=32, weight=700, color="#9a2b1e"
        )
        organisers = (edition.organisers or {}).get(
            "host"
        ) or "北京青少年人工智能应用实践活动组委会"
        _draw(c, str(organisers), x=width - 70 * mm, y=38 * mm, size=13)
        _draw(
            c,
            certificate.issued_on.strftime("%Y年%m月%d日")
            .replace("年0", "年")
            .replace("月0", "月"),
            x=width - 70 * mm,
            y=30 * mm,
            size=13,
        )
        _draw(c, f"验证码：{certificate.code}", x=26 * mm, y=30 * mm, size=11, centered=False)
        _draw(
            c,
            f"扫码或访问 {verify_url(certificate)} 验证",
            x=26 * mm,
            y=24 * mm,
            size=8,
            centered=False,
            color="#5f6b7a",
        )
        qr = QrCodeWidget(verify_url(certificate))
        x0, y0, x1, y1 = qr.getBounds()
        size = 30 * mm
        drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
        drawing.add(qr)
        renderPDF.draw(drawing, c, 26 * mm, 36 * mm)
    c.showPage()
    c.save()
    return buffer.getvalue()


def certificate_file_name(certificate: Certificate) -> str:
    safe_title = re.sub(r'[\\/:*?"<>|\s]+', "_", certificate.work.title)[:40]
    person = certificate.user.display_name
    return f"{certificate.work.code}_{person}_{safe_title}_{certificate.code}.pdf"


def certificate_ensure_file(certificate: Certificate) -> Certificate:
    """Render the PDF once and store it; later downloads reuse the stored file."""
    if not certificate.file:
        from django.core.files.base import ContentFile

        certificate.file.save(
            f"{certificate.code}.pdf", ContentFile(render_certificate_pdf(certificate))
        )
    return certificate
