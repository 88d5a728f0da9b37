"""Images: the pixel-flood and integrity checks, metadata removal, thumbnails."""

import os
import struct
from typing import BinaryIO

from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from gongchuang.common.errors import DomainError

from .errors import CODE_PIXEL_FLOOD, corrupt_error, interpolate
from .sniff import Sniffed
from .streams import read_at

MAX_IMAGE_PIXELS = 50_000_000
MAX_IMAGE_SIDE = 20_000


def _pixel_flood(width: int | None, height: int | None) -> DomainError:
    limits = {
        "pixels": f"{MAX_IMAGE_PIXELS:,}",
        "side": f"{MAX_IMAGE_SIDE:,}",
    }
    if width and height:
        message = _(
            "The image has too many pixels (%(width)s × %(height)s). Images "
            "may have at most %(pixels)s pixels and at most "
            "%(side)s pixels on each side. Please make it smaller and upload "
            "it again."
        )
        params = {"width": width, "height": height, **limits}
    else:
        message = _(
            "The image has too many pixels. Images may have at most "
            "%(pixels)s pixels and at most %(side)s pixels on "
            "each side. Please make it smaller and upload it again."
        )
        params = limits
    return DomainError(interpolate(message, params), code=CODE_PIXEL_FLOOD)


# Pillow reports JPEGs carrying several pictures (phones' HDR gain maps,
# depth maps) as "MPO"; they are ordinary JPEGs to the user.
_PIL_FORMATS = {
    "png": ("PNG",),
    "jpg": ("JPEG", "MPO"),
    "gif": ("GIF",),
    "webp": ("WEBP",),
}


def check_image(fileobj: BinaryIO, sniffed: Sniffed) -> None:
    """Header-only size check, then a cheap integrity check.

    ``Image.open`` parses only the header; Pillow's own decompression-bomb
    guard may fire first for absurd sizes, which we report the same way.
    (No ``warnings.catch_warnings()`` for Pillow's DecompressionBombWarning:
    it is not thread-safe, and the warning only fires for sizes we reject.)
    """
    # Only the sniffed format's decoder may run: less attack surface.
    formats = _PIL_FORMATS[sniffed.extension]
    fileobj.seek(0)
    try:
        with Image.open(fileobj, formats=formats[:1]) as img:
            width, height = img.size
            if width * height > MAX_IMAGE_PIXELS or max(width, height) > MAX_IMAGE_SIDE:
                raise _pixel_flood(width, height)
            if img.format not in formats:
                raise corrupt_error()
            img.verify()  # PNG: chunk CRCs up to IEND, no decoding
    except Image.DecompressionBombError as exc:
        raise _pixel_flood(*_dimensions_from(fileobj)) from exc
    except DomainError:
        raise
    except (OSError, SyntaxError, ValueError, struct.error, EOFError) as exc:
        raise corrupt_error() from exc
    if sniffed.extension == "jpg":
        # verify() is a no-op for JPEG; decoding at 1/8 scale finds
        # truncated files for the cost of a thumbnail.
        fileobj.seek(0)
        try:
            with Image.open(fileobj, formats=formats[:1]) as img:
                img.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                img.load()
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise corrupt_error() from exc


def _dimensions_from(fileobj: BinaryIO) -> tuple[int | None, int | None]:
    """Declared size for messages when Pillow refused to open the image."""
    head = read_at(fileobj, 0, 32)
    if head.startswith(b"\x89PNG") and head[12:16] == b"IHDR":
        return struct.unpack(">II", head[16:24])
    if head.startswith(b"GIF8"):
        return struct.unpack("<HH", head[6:10])
    return None, None


_KEEP_INFO = ("icc_profile", "transparency", "gamma", "dpi", "duration", "loop")


def strip_image_metadata(src_fileobj: BinaryIO, dst_fileobj: BinaryIO) -> str:
    """Re-save a JPEG/PNG/WebP without EXIF (GPS included), XMP or comments.

    The EXIF orientation is applied to the pixels first so the picture still
    appears the right way up. JPEG is re-encoded at quality 95; PNG stays
    lossless; WebP keeps lossless if the source was. The ICC colour profile
    is kept (it is not personal data and colours would shift without it).
    Animated images keep their frames (orientation is not applied to them).
    Returns the Pillow format name written. Call only on validated images.
    """
    head = read_at(src_fileobj, 0, 4096)
    src_fileobj.seek(0)
    with Image.open(src_fileobj, formats=("JPEG", "PNG", "WEBP")) as img:
        fmt = img.format
        if fmt == "MPO":
            # Keep the main picture only; the extra ones (gain/depth maps)
            # carry their own metadata and are not needed for display.
            fmt = "JPEG"
            animated = False
        elif fmt in ("JPEG", "PNG", "WEBP"):
            animated = getattr(img, "is_animated", False)
        else:
            raise ValueError(f"unsupported format for metadata stripping: {fmt}")
        lossless = fmt == "WEBP" and b"VP8L" in head
        if animated:
            out = img
        else:
            out = ImageOps.exif_transpose(img) or img
            out.load()
        info = {k: img.info[k] for k in _KEEP_INFO if k in img.info}
        out.info = dict(info)
        params: dict = {"exif": b""}
        if "icc_profile" in info:
            params["icc_profile"] = info["icc_profile"]
        if fmt == "JPEG":
            # 4:4:4 chroma: artworks have sharp coloured edges that the
            # default 4:2:0 subsampling would blur.
            params.update(quality=95, optimize=True, subsampling=0)
            if "dpi" in info:
                params["dpi"] = info["dpi"]
        elif fmt == "PNG":
            params.pop("exif")
            params.update(optimize=False)
            if "transparency" in info:
                params["transparency"] = info["transparency"]
        elif fmt == "WEBP":
            params.update(lossless=lossless, quality=95 if not lossless else 100)
        if animated:
            params.update(save_all=True)
            for key in ("duration", "loop"):
                if key in info:
                    params[key] = info[key]
        out.save(dst_fileobj, format=fmt, **params)
    return fmt


def _open_image_source(src):
    if isinstance(src, str | os.PathLike):
        return Image.open(src)
    src.seek(0)
    return Image.open(src)


def make_thumbnail(src, dst, size: tuple[int, int] = (480, 480)) -> tuple[int, int]:
    """Write a JPEG thumbnail (at most ``size``) of an image; return its size.

    ``src``/``dst`` are paths or binary file objects. Orientation is applied,
    transparency is flattened onto white, metadata is not copied.
    """
    with _open_image_source(src) as img:
        if img.format == "JPEG":
            # Let libjpeg decode at a reduced scale: far less memory.
            img.draft("RGB", (size[0] * 2, size[1] * 2))
        thumb = ImageOps.exif_transpose(img) or img
        thumb.thumbnail(size, Image.Resampling.LANCZOS)
        if thumb.mode in ("RGBA", "LA", "P", "PA"):
            rgba = thumb.convert("RGBA")
            background = Image.new("RGB", rgba.size, (255, 255, 255))
            background.paste(rgba, mask=rgba.getchannel("A"))
            thumb = background
        elif thumb.mode != "RGB":
            thumb = thumb.convert("RGB")
        thumb.save(dst, format="JPEG", quality=85, optimize=True)
        return thumb.size
