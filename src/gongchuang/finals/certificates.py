"""Certificate PDFs: formal Chinese certificates (number, wording per template, issuer
lines and date under the edition's seal), A4 landscape, in the platform's embedded font
(``common.fonts``)."""

import io
import re
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import translation
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from gongchuang.common import fonts
from gongchuang.common.masking import mask_name  # noqa: F401 - re-exported for views
from gongchuang.common.site import absolute_url
from gongchuang.editions.enums import ImageKind
from gongchuang.editions.services import certificate_issuers
from gongchuang.submissions.enums import AuthorRole

from .models import Certificate
from .scoring import group_label


def _draw(
    c: canvas.Canvas,
    text: str,
    *,
    x: float,
    y: float,
    size: float,
    weight=400,
    centered=True,
    right=False,
    color="#1f2933",
) -> None:
    font = fonts.font_name(weight)
    width = pdfmetrics.stringWidth(text, font, size)
    c.setFillColor(HexColor(color))
    c.setFont(font, size)
    left = x - width if right else x - width / 2 if centered else x
    c.drawString(left, y, text)


def verify_url(certificate: Certificate) -> str:
    """The public verification address printed on the certificate and in its QR code."""
    return absolute_url(certificate.get_absolute_url())


@dataclass(frozen=True)
class Template:
    """The wording of one kind of certificate (who it is for)."""

    title: str
    lead: str  # before the work's title: whose work it is
    closing: str  # the formal closing line


# Per role: authors are encouraged, advisors commended (特发此证，以资鼓励 / 以资表彰).
TEMPLATES = {
    AuthorRole.AUTHOR: Template("荣 誉 证 书", "你的作品", "特发此证，以资鼓励。"),
    AuthorRole.ADVISOR: Template("荣 誉 证 书", "你指导的作品", "特发此证，以资表彰。"),
}
TEXT_WIDTH = 230 * mm  # the widest a line of the citation may be before it is made smaller


def render_certificate_pdf(certificate: Certificate) -> bytes:
    """One A4 landscape page: number, title, the person, the citation, the award, the
    formal closing, the issuer lines and date under the edition's seal, code and QR."""
    work, edition = certificate.work, certificate.event.edition
    buffer = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(buffer, pagesize=(width, height), **fonts.canvas_options())
    with translation.override("zh-hans"):
        c.setTitle(f"{certificate.award} · {work.title}")
        c.setAuthor(str(edition.name))
        c.setSubject(f"证书编号 {certificate.number}")
        _draw_border(c, width=width, height=height)
        _draw(
            c, f"证书编号：{certificate.number}", x=width - 26 * mm, y=height - 28 * mm,
            size=11, right=True, color="#5f6b7a",
        )  # fmt: skip
        _draw_citation(c, certificate, mid=width / 2, height=height)
        _draw_issuer(c, certificate, x=width - 72 * mm)
        _draw_verification(c, certificate)
    c.showPage()
    c.save()
    return buffer.getvalue()


def _draw_border(c: canvas.Canvas, *, width: float, height: float) -> None:
    c.setStrokeColor(HexColor("#b8860b"))
    c.setLineWidth(4)
    c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    c.setLineWidth(1)
    c.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)


def _fitted(text: str, *, size: float, weight: int = 400, width: float = TEXT_WIDTH) -> float:
    """``size``, made smaller until ``text`` fits ``width`` (the citation's by default)."""
    font = fonts.font_name(weight)
    while size > 8 and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _draw_citation(
    c: canvas.Canvas, certificate: Certificate, *, mid: float, height: float
) -> None:
    """The title, the person, what they are honoured for, the award and the closing line."""
    work, edition = certificate.work, certificate.event.edition
    template = TEMPLATES.get(certificate.role, TEMPLATES[AuthorRole.AUTHOR])
    _draw(c, template.title, x=mid, y=height - 48 * mm, size=40, weight=700, color="#9a2b1e")
    left = mid - TEXT_WIDTH / 2
    _draw(
        c, f"{certificate.user.display_name}：", x=left, y=height - 74 * mm, size=20,
        weight=700, centered=False,
    )  # fmt: skip
    group = group_label(work)
    group = f"（{group}）" if group else ""
    sentence = f"在{edition.name}中，{template.lead}《{work.title}》{group}荣获"
    _draw(c, sentence, x=mid, y=height - 92 * mm, size=_fitted(sentence, size=16))
    award = certificate.award
    _draw(
        c, award, x=mid, y=height - 114 * mm, size=_fitted(award, size=32, weight=700),
        weight=700, color="#9a2b1e",
    )  # fmt: skip
    _draw(c, template.closing, x=left + 32, y=height - 134 * mm, size=16, centered=False)


SEAL_SIZE = 42 * mm
ISSUER_WIDTH = 90 * mm


def _draw_issuer(c: canvas.Canvas, certificate: Certificate, *, x: float) -> None:
    """The issuer lines (edition setting; the hosts by default) and the date of issue, the
    edition's seal (a transparent PNG) printed over them as a stamp would be."""
    edition = certificate.event.edition
    lines = certificate_issuers(edition)
    issued = (
        certificate.issued_on.strftime("%Y年%m月%d日").replace("年0", "年").replace("月0", "月")
    )
    y = 30 * mm
    _draw(c, issued, x=x, y=y, size=13)
    for line in reversed(lines):
        y += 8 * mm
        _draw(c, line, x=x, y=y, size=_fitted(line, size=13, width=ISSUER_WIDTH))
    seal = edition_seal(edition)
    if seal is not None:
        middle = (30 * mm + y) / 2 + 2 * mm
        c.drawImage(
            seal, x - SEAL_SIZE / 2, middle - SEAL_SIZE / 2, width=SEAL_SIZE,
            height=SEAL_SIZE, mask="auto", preserveAspectRatio=True, anchor="c",
        )  # fmt: skip


def edition_seal(edition) -> ImageReader | None:
    """The edition's seal for drawing, or None (none uploaded, or its file is missing)."""
    image = edition.images.filter(kind=ImageKind.SEAL).first()
    if image is None:
        return None
    try:
        with image.file.open("rb") as handle:
            return ImageReader(io.BytesIO(handle.read()))
    except (FileNotFoundError, OSError):
        return None


def _draw_verification(c: canvas.Canvas, certificate: Certificate) -> None:
    """The verification code, the public address and its QR code (bottom left)."""
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
    drawing = Drawing(
        size,
        size,
        transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0],
        **fonts.canvas_options(),
    )
    drawing.add(qr)
    renderPDF.draw(drawing, c, 26 * mm, 36 * mm)


def certificate_file_name(certificate: Certificate) -> str:
    safe_title = re.sub(r'[\\/:*?"<>|\s]+', "_", certificate.work.title)[:40]
    person = certificate.user.display_name
    return f"{certificate.work.code}_{person}_{safe_title}_{certificate.code}.pdf"


def certificate_ensure_file(certificate: Certificate) -> Certificate:
    """Render the PDF once and store it; later downloads reuse the stored file."""
    if not certificate.file:
        certificate.file.save(
            f"{certificate.code}.pdf", ContentFile(render_certificate_pdf(certificate))
        )
    return certificate
