"""Our wrapper around ``gongchuang.common.uploads`` for work files: metadata removal."""

import tempfile
from typing import BinaryIO

from PIL import Image

from gongchuang.common.uploads import Sniffed, strip_image_metadata

_STRIPPABLE = {"jpg", "png", "webp"}
# EXIF/XMP keys Pillow exposes in ``info`` for the formats above.
_METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "comment")


def has_metadata(fileobj: BinaryIO) -> bool:
    """True if the image carries EXIF/XMP/comments (GPS position, camera, names…).

    Reads the header only (no pixel decoding).
    """
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
