"""Our wrapper around ``gongchuang.common.files`` for work files: metadata removal."""

import tempfile
from typing import BinaryIO

from PIL import Image

from gongchuang.common.files.images import strip_image_metadata
from gongchuang.common.files.sniff import Sniffed

_STRIPPABLE = {"jpg", "png", "webp"}
# EXIF/XMP keys Pillow exposes in ``info`` for the formats above.
_METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "comment")


# PNG text chunks whose keyword marks them as metadata (XMP, comments, ImageMagick's EXIF).
_PNG_METADATA_KEYWORDS = frozenset(
    {b"XML:com.adobe.xmp", b"comment", b"Raw profile type exif", b"Raw profile type APP1"}
)
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_has_metadata(fileobj: BinaryIO) -> bool:
    """Walk the PNG chunk headers (seeking over the pixel data) looking for metadata.

    Pillow's ``getexif()`` on a PNG decodes every pixel to reach an eXIf chunk that
    may follow the image data; reading the 8-byte chunk headers finds it for the price
    of a few seeks.
    """
    fileobj.seek(len(_PNG_SIGNATURE))
    while header := fileobj.read(8):
        if len(header) < 8:
            return False
        length, kind = int.from_bytes(header[:4], "big"), header[4:]
        if kind == b"eXIf":
            return True
        if kind in (b"tEXt", b"zTXt", b"iTXt"):
            keyword = fileobj.read(min(length, 80)).split(b"\0", 1)[0]
            if keyword in _PNG_METADATA_KEYWORDS:
                return True
            fileobj.seek(length - min(length, 80) + 4, 1)
        elif kind == b"IEND":
            return False
        else:
            fileobj.seek(length + 4, 1)  # data and CRC
    return False


def has_metadata(fileobj: BinaryIO) -> bool:
    """True if the image carries EXIF/XMP/comments (GPS position, camera, names…).

    Reads the headers only (no pixel decoding).
    """
    fileobj.seek(0)
    if fileobj.read(len(_PNG_SIGNATURE)) == _PNG_SIGNATURE:
        found = _png_has_metadata(fileobj)
        fileobj.seek(0)
        return found
    fileobj.seek(0)
    try:
        with Image.open(fileobj) as img:
            found = bool(img.getexif()) or any(img.info.get(k) for k in _METADATA_KEYS)
    except (OSError, ValueError, SyntaxError):
        found = False
    fileobj.seek(0)
    return found


def without_metadata(fileobj: BinaryIO, sniffed: Sniffed) -> BinaryIO | None:
    """A temporary copy of an image without its metadata, or None if there is nothing to remove.

    Students photograph their work with phones, whose pictures carry the GPS
    position of their home or school; minors' personal data must not travel
    with the file to reviewers. Images without metadata (most AI-generated
    artworks) are kept byte for byte: re-encoding an artwork would alter it.
    The caller closes the returned file.
    """
    if sniffed.kind != "image" or sniffed.extension not in _STRIPPABLE:
        return None
    if not has_metadata(fileobj):
        return None
    clean = tempfile.TemporaryFile()
    fileobj.seek(0)
    strip_image_metadata(fileobj, clean)
    clean.seek(0)
    fileobj.seek(0)
    return clean
