"""Small images made on the fly for upload tests (banner, logos, seal)."""

import io
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw


def png(size=(400, 200), *, transparent=False, name="image.png") -> SimpleUploadedFile:
    """A PNG; ``transparent``: a red disc on a transparent background (a seal)."""
    mode, background = ("RGBA", (0, 0, 0, 0)) if transparent else ("RGB", (30, 80, 160))
    img = Image.new(mode, size, background)
    ImageDraw.Draw(img).ellipse((10, 10, size[0] - 10, size[1] - 10), fill=(200, 30, 30, 255))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def jpg(size=(400, 200), name="image.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 80, 160)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def noisy_png(megabytes: float, name="big.png") -> SimpleUploadedFile:
    """A PNG of random pixels, which do not compress: about ``megabytes`` in size."""
    side = int((megabytes * 1024 * 1024 / 3) ** 0.5) + 1
    img = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    img.save(out, format="PNG", compress_level=1)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def not_an_image(name="seal.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "这不是图片，只是一段文字。\n".encode() * 20, "image/png")
