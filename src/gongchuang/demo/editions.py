"""The demo edition's identity: a banner, the organisers' logos and a seal with issuer
lines, drawn with Pillow at seed time (no image files in the repository) and uploaded
through the same service as the committee's settings page."""

import io
import math

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from gongchuang.common import fonts
from gongchuang.editions.enums import ImageKind
from gongchuang.editions.services import edition_image_upload, edition_issuers_update

LOGOS = [
    ("北京市科学技术协会", "科协", "#1d4ed8"),
    ("北京市教育委员会", "教委", "#047857"),
    ("共青团北京市委员会", "团市委", "#b91c1c"),
    ("北京科学中心", "科学中心", "#7c3aed"),
]
ISSUERS = ["北京青少年人工智能应用实践活动组委会"]
SEAL_RED = (200, 30, 30, 230)


def _font(size: int, weight: int = fonts.BOLD) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(fonts.font_file(weight)), size)


def _png(img: Image.Image, name: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    img.save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def demo_banner(title: str, theme: str) -> SimpleUploadedFile:
    """A wide blue-to-violet banner with circuit-like dots, the edition's name and theme."""
    width, height = 1920, 480
    img = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(img)
    for x in range(width):
        t = x / width
        colour = (int(20 + 60 * t), int(60 + 20 * t), int(160 + 60 * t))
        draw.line([(x, 0), (x, height)], fill=colour)
    for i in range(60):
        cx, cy = (i * 173) % width, (i * 97) % height
        draw.ellipse((cx - 6, cy - 6, cx + 6, cy + 6), fill=(255, 255, 255))
        draw.line([(cx, cy), (cx + 120, cy)], fill=(120, 170, 255), width=2)
    draw.text((120, 150), title, font=_font(64), fill="white")
    draw.text((120, 260), theme, font=_font(96), fill=(255, 214, 102))
    return _png(img, "banner.png")


def demo_logo(short: str, colour: str) -> SimpleUploadedFile:
    """A round emblem with a short name, on a transparent background."""
    size = 256
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((8, 8, size - 8, size - 8), fill=colour)
    draw.ellipse((24, 24, size - 24, size - 24), outline="white", width=6)
    font = _font(64 if len(short) <= 2 else 44)
    draw.text((size / 2, size / 2), short, font=font, fill="white", anchor="mm")
    return _png(img, "logo.png")


def demo_seal(text: str = "北京青少年人工智能应用实践活动组委会") -> SimpleUploadedFile:
    """A round red seal: a ring, a five-pointed star and the issuer's name along the top,
    on a transparent background (the certificate prints it over the issuer lines)."""
    size = 600
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    c = size / 2
    draw.ellipse((12, 12, size - 12, size - 12), outline=SEAL_RED, width=18)
    star = []
    for k in range(10):
        radius = 95 if k % 2 == 0 else 38
        angle = -math.pi / 2 + k * math.pi / 5
        star.append((c + radius * math.cos(angle), c + radius * math.sin(angle)))
    draw.polygon(star, fill=SEAL_RED)
    font = _font(44)
    # The characters along the upper arc, from about 8 to 4 o'clock.
    span = math.radians(240)
    for i, char in enumerate(text):
        angle = -math.pi / 2 - span / 2 + span * (i + 0.5) / len(text)
        x, y = c + 225 * math.cos(angle), c + 225 * math.sin(angle)
        glyph = Image.new("RGBA", (60, 60), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((30, 30), char, font=font, fill=SEAL_RED, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        img.alpha_composite(glyph, (int(x - 30), int(y - 30)))
    return _png(img, "seal.png")


def seed_identity(demo) -> None:
    """Banner, logos, seal and issuer lines for the demo edition, and the seal and issuer
    lines for last year's, whose published final has the certificates to download (once)."""
    committee = demo.users["committee"]
    for edition in (demo.edition, demo.past_edition()):
        if not edition.images.exists():
            _seed_edition_identity(edition, committee, home_page=edition == demo.edition)


def _seed_edition_identity(edition, committee, *, home_page: bool) -> None:
    if not home_page:
        edition_image_upload(
            edition=edition, kind=ImageKind.SEAL, actor=committee, upload=demo_seal()
        )
        edition_issuers_update(edition=edition, actor=committee, values={"issuers": ISSUERS})
        return
    edition_image_upload(
        edition=edition, kind=ImageKind.BANNER, actor=committee,
        upload=demo_banner(edition.name, edition.theme),
    )  # fmt: skip
    for name, short, colour in LOGOS:
        edition_image_upload(
            edition=edition, kind=ImageKind.LOGO, actor=committee, name=name,
            upload=demo_logo(short, colour),
        )  # fmt: skip
    edition_image_upload(edition=edition, kind=ImageKind.SEAL, actor=committee, upload=demo_seal())
    edition_issuers_update(edition=edition, actor=committee, values={"issuers": ISSUERS})
