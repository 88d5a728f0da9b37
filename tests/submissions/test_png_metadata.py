"""PNG metadata is found from the chunk headers, wherever the chunk sits, without decoding."""

import io
import zlib

import pytest
from PIL import Image, PngImagePlugin

from gongchuang.submissions.files import has_metadata


def _png(**save_options) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(buf, "PNG", **save_options)
    return buf.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data).to_bytes(4, "big")
    return len(data).to_bytes(4, "big") + kind + data + crc


def _with_chunk_before_iend(png: bytes, kind: bytes, data: bytes) -> bytes:
    iend = png.rindex(b"IEND") - 4
    return png[:iend] + _chunk(kind, data) + png[iend:]


def _gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0)}
    return exif.tobytes()


def test_plain_png_has_no_metadata():
    assert not has_metadata(io.BytesIO(_png()))


def test_png_with_exif_before_the_pixels_is_found():
    assert has_metadata(io.BytesIO(_png(exif=_gps_exif())))


def test_png_with_exif_after_the_pixels_is_found():
    """Cameras and editors may write eXIf after IDAT; it must be found all the same."""
    png = _with_chunk_before_iend(_png(), b"eXIf", _gps_exif())
    assert png.index(b"eXIf") > png.index(b"IDAT")
    assert has_metadata(io.BytesIO(png))


@pytest.mark.parametrize("keyword", ["XML:com.adobe.xmp", "comment", "Raw profile type exif"])
def test_png_metadata_text_chunks_are_found(keyword):
    info = PngImagePlugin.PngInfo()
    info.add_itxt(keyword, "<x:xmpmeta>GPS 39.9N</x:xmpmeta>")
    assert has_metadata(io.BytesIO(_png(pnginfo=info)))


def test_png_with_other_text_chunks_is_kept_as_is():
    """Generation parameters and the like are not personal metadata (as with Pillow's view)."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", "Stable Diffusion")
    assert not has_metadata(io.BytesIO(_png(pnginfo=info)))


def test_truncated_png_is_not_reported_as_having_metadata():
    png = _png(exif=_gps_exif())
    assert not has_metadata(io.BytesIO(png[:20]))


def test_reading_leaves_the_file_at_its_start():
    fileobj = io.BytesIO(_png(exif=_gps_exif()))
    has_metadata(fileobj)
    assert fileobj.tell() == 0
