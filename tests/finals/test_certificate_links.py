"""Printed links: a certificate's QR code and address, and the check-in QR, come from SITE_URL."""

import io
import re
import subprocess

import pytest
import zxingcpp
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw
from pypdf import PdfReader

from gongchuang.finals import services
from gongchuang.finals.models import Certificate

pytestmark = pytest.mark.django_db

SITE = "https://zhengshu.example.cn"


def qr_codes_in_pdf(pdf: bytes) -> list[str]:
    """The text of every QR code on the PDF's first page, rendered at 200 dpi by pdftoppm."""
    png = subprocess.run(
        ["pdftoppm", "-png", "-r", "200", "-singlefile", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return [code.text for code in found if code.format == zxingcpp.BarcodeFormat.QRCode]


def qr_codes_in_svg(svg: bytes) -> list[str]:
    """Decode qrcode's SvgPathImage: each module is a rectangle "Mx,yHx2Vy2Hxz" (in mm)."""
    side = int(float(re.search(rb'viewBox="0 0 ([\d.]+)', svg).group(1)) * 10)
    image = Image.new("L", (side, side), 255)
    draw = ImageDraw.Draw(image)
    for x, y, x2, y2 in re.findall(rb"M([\d.]+),([\d.]+)H([\d.]+)V([\d.]+)H", svg):
        draw.rectangle([float(x) * 10, float(y) * 10, float(x2) * 10 - 1, float(y2) * 10 - 1], 0)
    return [code.text for code in zxingcpp.read_barcodes(image)]


@pytest.fixture
def certificate(event, finalist_factory, units):
    work = finalist_factory(school=units["hd_school"], title="绿地守护者")
    return Certificate.objects.create(
        event=event,
        work=work,
        user=work.authorships.get().user,
        role="author",
        award="一等奖",
        issued_on=timezone.localdate(),
    )


def test_downloaded_certificate_qr_and_printed_address_are_the_site_url(
    client, settings, certificate
):
    """Whatever host the request came to, the PDF names SITE_URL; the link verifies."""
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", "intranet-app-2"]
    client.force_login(certificate.user)
    response = client.get(
        reverse("finals:certificate_pdf", args=[certificate.code]), HTTP_HOST="intranet-app-2"
    )
    assert response.status_code == 200
    pdf = b"".join(response.streaming_content)

    expected = f"{SITE}/final/verify/{certificate.code}/"
    assert qr_codes_in_pdf(pdf) == [expected]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert f"扫码或访问 {expected} 验证" in text
    page = client.get(expected.removeprefix(SITE))
    assert page.status_code == 200 and "一等奖" in page.content.decode()


def test_certificate_qr_follows_the_site_url_setting(settings, certificate):
    """The mechanism ./scripts/serve relies on: PORT=9001 gives SITE_URL http://127.0.0.1:9001."""
    from gongchuang.finals.certificates import render_certificate_pdf

    settings.SITE_URL = "http://127.0.0.1:9001/"
    assert qr_codes_in_pdf(render_certificate_pdf(certificate)) == [
        f"http://127.0.0.1:9001/final/verify/{certificate.code}/"
    ]


def test_checkin_qr_opens_the_venue_page_on_the_site_url(client, settings, event, certificate):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", "intranet-app-2"]
    work, user = certificate.work, certificate.user
    row = services.attendance_answer(event=event, work=work, user=user, attend=True)
    client.force_login(user)
    response = client.get(reverse("finals:checkin_qr", args=[work.pk]), HTTP_HOST="intranet-app-2")
    assert response.status_code == 200
    assert qr_codes_in_svg(response.content) == [
        f"{SITE}/final/manage/checkin/?code={row.checkin_code}"
    ]
