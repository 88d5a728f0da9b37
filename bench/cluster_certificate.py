"""The cluster rig's certificate check: a finalist's certificate PDF, its QR code decoded
(``pdftoppm`` renders the page, ``zxing-cpp`` reads the code) and followed through nginx."""

from __future__ import annotations

import asyncio
import re
import subprocess
import tempfile

from bench.cluster_http import Browser, Outcome

CERTIFICATE_LINK = re.compile(r'href="(/final/certificate/([A-Z0-9-]+)\.pdf)"')


def qr_text(pdf: bytes) -> list[str]:
    """The QR codes on the PDF's first page: rendered by pdftoppm, decoded by zxing-cpp."""
    import zxingcpp
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        with open(f"{tmp}/c.pdf", "wb") as f:
            f.write(pdf)
        subprocess.run(
            ["pdftoppm", "-r", "150", "-png", "-singlefile", f"{tmp}/c.pdf", f"{tmp}/c"],
            check=True,
        )
        with Image.open(f"{tmp}/c.png") as image:
            return [code.text for code in zxingcpp.read_barcodes(image)]


async def certificate_links(out: Outcome, site: str) -> bool:
    """A finalist downloads a certificate; its QR code points at SITE_URL and, followed
    through nginx without logging in, shows the verification page."""
    browser = Browser(site)
    out.check(await browser.login("final1"), "login final1")
    links = CERTIFICATE_LINK.findall((await browser.get("/final/my/")).text)
    if not out.check(bool(links), "no certificate link on /final/my/"):
        return False
    path, code = links[0]
    pdf = await browser.get(path)
    await browser.close()
    if not out.check(
        pdf.status_code == 200 and pdf.content.startswith(b"%PDF"),
        f"certificate PDF: HTTP {pdf.status_code}",
    ):
        return False
    texts = await asyncio.to_thread(qr_text, pdf.content)
    wanted = f"{site}/final/verify/{code}/"
    if not out.check(texts == [wanted], f"certificate QR: {texts} instead of {wanted}"):
        return False
    anonymous = Browser(site)
    page = await anonymous.get(wanted.removeprefix(site))
    await anonymous.close()
    return out.check(
        page.status_code == 200
        and 'data-testid="verify-result"' in page.text
        and code in page.text
        and "<h2>" in page.text,
        f"verification page: HTTP {page.status_code}",
    )
