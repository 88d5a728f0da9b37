"""Certificate PDFs, in the platform's embedded font (``common.fonts``)."""

import io
import re

from django.core.files.base import ContentFile
from django.utils import translation
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from gongchuang.common import fonts
from gongchuang.common.masking import mask_name  # noqa: F401 - re-exported for views
from gongchuang.common.site import absolute_url
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
    color="#1f2933",
) -> None:
    font = fonts.font_name(weight)
    width = pdfmetrics.stringWidth(text, font, size)
    c.setFillColor(HexColor(color))
    c.setFont(font, size)
    c.drawString(x - width / 2 if centered else x, y, text)


def verify_url(certificate: Certificate) -> str:
    """The public verification address printed on the certificate and in its QR code."""
    return absolute_url(certificate.get_absolute_url())


def render_certificate_pdf(certificate: Certificate) -> bytes:
    """One A4 landscape page: activity, person, work title, award, date, code and QR."""
    work, edition = certificate.work, certificate.event.edition
    buffer = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(buffer, pagesize=(width, height), **fonts.canvas_options())
    with translation.override("zh-hans"):
        c.setTitle(f"{certificate.award} · {work.title}")
        c.setAuthor(str(edition.name))
        _draw_border(c, width=width, height=height)
        _draw_citation(c, certificate, mid=width / 2, height=height)
        _draw_issuer(c, certificate, x=width - 70 * mm)
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


def _draw_citation(
    c: canvas.Canvas, certificate: Certificate, *, mid: float, height: float
) -> None:
    """The centred text: title, activity, person and role, work, its group, the award."""
    work, edition = certificate.work, certificate.event.edition
    _draw(c, "荣 誉 证 书", x=mid, y=height - 48 * mm, size=40, weight=700, color="#9a2b1e")
    _draw(c, str(edition.name), x=mid, y=height - 66 * mm, size=16)
    role = "指导教师" if certificate.role == AuthorRole.ADVISOR else "作者"
    _draw(
        c,
        f"{certificate.user.display_name}（{role}）",
        x=mid,
        y=height - 88 * mm,
        size=22,
        weight=700,
    )
    _draw(c, f"作品《{work.title}》", x=mid, y=height - 104 * mm, size=18)
    _draw(c, group_label(work), x=mid, y=height - 116 * mm, size=13, color="#5f6b7a")
    _draw(c, "荣获", x=mid, y=height - 132 * mm, size=16)
    _draw(c, certificate.award, x=mid, y=height - 150 * mm, size=32, weight=700, color="#9a2b1e")


def _draw_issuer(c: canvas.Canvas, certificate: Certificate, *, x: float) -> None:
    """The organisers (edition setting, the committee by default) and the date of issue."""
    edition = certificate.event.edition
    organisers = (edition.organisers or {}).get("host") or "北京青少年人工智能应用实践活动组委会"
    _draw(c, str(organisers), x=x, y=38 * mm, size=13)
    issued = certificate.issued_on.strftime("%Y年%m月%d日")
    _draw(c, issued.replace("年0", "年").replace("月0", "月"), x=x, y=30 * mm, size=13)


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
