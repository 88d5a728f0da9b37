"""Tests for gongchuang.common.files: content sniffing and upload validation.

Run both without Django settings (``-p no:django``) and under pytest-django.
"""

import ast
import io
import re
import shutil
import socket
import struct
import subprocess
import threading
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import settings as settings_hypothesis
from hypothesis import strategies as st
from PIL import Image

if not settings.configured:
    # Lazy messages are only rendered in a few tests; without real settings
    # (plain pytest) translation is simply switched off.
    settings.configure(USE_I18N=False)

from django.utils import translation

from gongchuang.common import files
from gongchuang.common.errors import DomainError
from gongchuang.common.files import clamd, video
from gongchuang.common.files.clamd import scan_for_malware
from gongchuang.common.files.images import make_thumbnail, strip_image_metadata
from gongchuang.common.files.names import clean_filename
from gongchuang.common.files.sniff import KINDS, Sniffed, sniff
from gongchuang.common.files.validate import validate_upload
from gongchuang.common.files.video import video_duration_seconds, video_poster

HAS_FFMPEG = shutil.which("ffmpeg") is not None and shutil.which("ffprobe") is not None
needs_ffmpeg = pytest.mark.skipif(not HAS_FFMPEG, reason="ffmpeg/ffprobe not installed")

MB = 1024 * 1024
IMAGES = {"image"}


# --- builders ---------------------------------------------------------------


def image_bytes(fmt="PNG", size=(64, 48), color=(200, 30, 60), **save):
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, fmt, **save)
    return buf.getvalue()


def zip_bytes(members, compression=zipfile.ZIP_DEFLATED):
    """members: list of (ZipInfo-or-name, data)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buf.getvalue()


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def flood_png(width=30000, height=30000):
    """A tiny PNG whose header declares a gigantic 1-bit image."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 100))
        + png_chunk(b"IEND", b"")
    )


def minimal_pdf(with_trailer=True):
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"xref\n0 3\n0000000000 65535 f \ntrailer<</Size 3/Root 1 0 R>>\n"
    )
    return body + (b"startxref\n9\n%%EOF\n" if with_trailer else b"")


def validate(data, name, kinds=IMAGES, max_bytes=20 * MB, **kwargs):
    return validate_upload(
        io.BytesIO(data), name=name, allowed_kinds=kinds, max_bytes=max_bytes, **kwargs
    )


def rejection_code(data, name, kinds=IMAGES, **kwargs):
    with pytest.raises(DomainError) as info:
        validate(data, name, kinds, **kwargs)
    return info.value.code


# --- sniffing ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("PNG", Sniffed("image", "image/png", "png")),
        ("JPEG", Sniffed("image", "image/jpeg", "jpg")),
        ("GIF", Sniffed("image", "image/gif", "gif")),
        ("WEBP", Sniffed("image", "image/webp", "webp")),
    ],
)
def test_sniff_images(fmt, expected):
    assert sniff(io.BytesIO(image_bytes(fmt))) == expected


@pytest.mark.parametrize(
    ("head", "kind", "extension"),
    [
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", "video", "mp4"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  ", "video", "mov"),
        (b"\x00\x00\x00\x18ftypM4A \x00\x00\x02\x00M4A mp42", "audio", "m4a"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "other", "heic"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", "video", "webm"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00", "audio", "mp3"),
        (b"\xff\xfb\x90\x64" + b"\x00" * 100, "audio", "mp3"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio", "wav"),
        (b"OggS\x00\x02" + b"\x00" * 22 + b"\x01vorbis", "audio", "ogg"),
        (b"fLaC\x00\x00\x00\x22", "audio", "flac"),
        (b"%PDF-1.7\n", "pdf", "pdf"),
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56, "other", "exe"),
        (b"", "unknown", "bin"),
    ],
)
def test_sniff_by_signature(head, kind, extension):
    sniffed = sniff(io.BytesIO(head))
    assert (sniffed.kind, sniffed.extension) == (kind, extension)


@pytest.mark.parametrize(
    ("main_part", "kind"),
    [
        ("word/document.xml", "docx"),
        ("ppt/presentation.xml", "pptx"),
        ("xl/workbook.xml", "xlsx"),
    ],
)
def test_sniff_office_documents_by_central_directory(main_part, kind):
    data = zip_bytes([("[Content_Types].xml", "<Types/>"), (main_part, "<x/>")])
    assert sniff(io.BytesIO(data)).kind == kind


def test_sniff_zip_without_content_types_is_plain_zip():
    data = zip_bytes([("word/document.xml", "<x/>")])
    assert sniff(io.BytesIO(data)) == Sniffed("zip", "application/zip", "zip")


def test_sniff_leaves_file_position_unchanged():
    fileobj = io.BytesIO(image_bytes())
    fileobj.seek(5)
    sniff(fileobj)
    assert fileobj.tell() == 5


def test_sniff_reads_only_the_head_of_a_large_file(tmp_path):
    path = tmp_path / "big.mp4"
    with open(path, "wb") as out:
        out.write(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2")
        out.truncate(1024 * MB)  # sparse 1 GB file
    tracemalloc.start()
    with open(path, "rb") as fileobj:
        sniffed = sniff(fileobj)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert sniffed.kind == "video"
    assert peak < 1 * MB


# --- names ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\fakepath\\作品.png", "作品.png"),
        ("../../etc/passwd", "passwd"),
        ("a\x00b\x1f.png", "ab.png"),
        ("photo\u202egnp.exe", "photognp.exe"),
        ("cafe\u0301.jpg", "café.jpg"),
        ("  report.pdf. ", "report.pdf"),
    ],
)
def test_clean_filename(raw, clean):
    assert clean_filename(raw) == clean


# --- validate_upload: the required cases ------------------------------------


def test_validate_real_png_passes():
    assert validate(image_bytes("PNG"), "作品.PNG") == Sniffed("image", "image/png", "png")


@pytest.mark.parametrize(("fmt", "name"), [("GIF", "a.gif"), ("WEBP", "a.webp")])
def test_validate_real_gif_and_webp_pass(fmt, name):
    assert validate(image_bytes(fmt), name).kind == "image"


def test_validate_real_jpeg_with_jpeg_extension_passes():
    assert validate(image_bytes("JPEG"), "photo.jpeg").extension == "jpg"


def test_validate_name_without_extension_passes():
    assert validate(image_bytes("PNG"), "artwork").extension == "png"


def test_validate_zip_renamed_png_is_type_not_allowed():
    data = zip_bytes([("a.txt", "hello")])
    assert rejection_code(data, "artwork.png") == "type_not_allowed"


def test_validate_zip_renamed_png_message_names_what_it_is():
    with pytest.raises(DomainError) as info:
        validate(zip_bytes([("a.txt", "hello")]), "artwork.png")
    with translation.override("en"):
        message = str(info.value.message)
    assert "a ZIP archive" in message
    assert "a PNG image" in message


def test_validate_zip_renamed_png_is_extension_mismatch_when_zip_allowed():
    data = zip_bytes([("a.txt", "hello")])
    assert rejection_code(data, "artwork.png", kinds={"image", "zip"}) == "extension_mismatch"


def test_validate_png_named_jpg_is_extension_mismatch():
    assert rejection_code(image_bytes("PNG"), "artwork.jpg") == "extension_mismatch"


def test_validate_extension_compared_after_name_normalisation():
    # U+202E makes "x\u202egnp.exe" display as "xexe.png"; the real extension is exe.
    assert rejection_code(image_bytes("PNG"), "x\u202egnp.exe") == "extension_mismatch"


def test_validate_mov_named_mp4_passes():
    data = b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + box(b"moov", mvhd(600, 1200))
    assert validate(data, "clip.mp4", kinds={"video"}).extension == "mov"


@pytest.mark.parametrize(
    ("data", "name", "kinds"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>', "a.png", {"image"}),
        (b"\xef\xbb\xbf\n  <?xml version='1.0'?>\n<svg onload='x()'/>", "a.png", {"image"}),
        ("\ufeff<svg/>".encode("utf-16-le"), "a.jpg", {"image"}),
        (b"<!DOCTYPE html><html><body>hi</body></html>", "report.pdf", {"pdf"}),
        (b"\r\n\t <HTML><script>alert(1)</script>", "report.pdf", {"pdf"}),
        (b"<!-- comment --><html></html>", "a.jpg", {"image"}),
        (b"<?xml version='1.0'?><note/>", "a.pdf", {"pdf"}),
    ],
)  # fmt: skip
def test_validate_markup_is_disguised_markup(data, name, kinds):
    assert rejection_code(data, name, kinds) == "disguised_markup"


def test_validate_pixel_flood_refused_without_much_memory():
    data = flood_png(30000, 30000)
    tracemalloc.start()
    code = rejection_code(data, "flood.png")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert code == "pixel_flood"
    assert peak < 5 * MB


def test_validate_pixel_flood_message_gives_declared_size():
    with pytest.raises(DomainError) as info:
        validate(flood_png(30000, 30000), "flood.png")
    with translation.override("en"):
        assert "30000 × 30000" in str(info.value.message)


@pytest.mark.parametrize(
    ("width", "height"),
    [(20001, 10), (10, 20001), (8000, 6251)],  # one side too long; 50,008,000 px
)
def test_validate_pixel_limits_from_header(width, height):
    assert rejection_code(flood_png(width, height), "x.png") == "pixel_flood"


def test_validate_exactly_fifty_megapixels_is_not_a_flood():
    # 8000 × 6250 = 50,000,000 px: allowed by the size check. (The pixel data
    # of this synthetic file is short; the header-only check does not decode.)
    assert validate(flood_png(8000, 6250), "x.png").kind == "image"


def test_validate_truncated_png_is_corrupt():
    data = image_bytes("PNG", size=(300, 300))
    assert rejection_code(data[: len(data) // 2], "x.png") == "corrupt"


def test_validate_truncated_jpeg_is_corrupt():
    noise = Image.effect_noise((400, 400), 80).convert("RGB")
    buf = io.BytesIO()
    noise.save(buf, "JPEG", quality=90)
    data = buf.getvalue()
    assert rejection_code(data[: len(data) // 2], "x.jpg") == "corrupt"


def test_validate_empty_file():
    assert rejection_code(b"", "a.png") == "empty"


def test_validate_too_large():
    data = image_bytes("PNG")
    assert rejection_code(data, "a.png", max_bytes=len(data) - 1) == "too_large"


def test_validate_exactly_max_bytes_passes():
    data = image_bytes("PNG")
    assert validate(data, "a.png", max_bytes=len(data)).kind == "image"


def test_validate_pdf_passes():
    assert validate(minimal_pdf(), "报告.pdf", kinds={"pdf"}).kind == "pdf"


def test_validate_pdf_without_eof_is_corrupt():
    assert rejection_code(minimal_pdf(with_trailer=False), "a.pdf", {"pdf"}) == "corrupt"


def test_validate_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        validate(image_bytes(), "a.png", kinds={"picture"})


def mpo_bytes():
    """A JPEG holding two pictures, as phones write for HDR gain maps."""
    main = Image.new("RGB", (60, 40), (250, 200, 10))
    extra = Image.new("RGB", (30, 20), (0, 0, 0))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0)}
    buf = io.BytesIO()
    main.save(buf, "MPO", save_all=True, append_images=[extra], exif=exif)
    return buf.getvalue()


def test_validate_multi_picture_jpeg_passes():
    data = mpo_bytes()
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "MPO"
    assert validate(data, "iphone.jpg") == Sniffed("image", "image/jpeg", "jpg")


def test_validate_accepts_django_uploaded_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("作品.png", image_bytes("PNG"), content_type="text/html")
    sniffed = validate_upload(upload, name=upload.name, allowed_kinds=IMAGES, max_bytes=MB)
    assert sniffed.mime == "image/png"  # the browser's content_type is ignored
    assert upload.tell() == 0


def test_validate_mp4_named_mov_message_names_both():
    data = zip_bytes([("a.txt", "hello")])
    with pytest.raises(DomainError) as info:
        validate(data, "clip.mov", {"video"})
    with translation.override("en"):
        message = str(info.value.message)
    assert "a ZIP archive, not a MOV video" in message


# --- ZIP checks -------------------------------------------------------------


def test_validate_plain_zip_passes():
    data = zip_bytes([("code/main.py", "print(1)\n"), ("data/a.csv", "1,2\n")])
    assert validate(data, "code.zip", {"zip"}).kind == "zip"


@pytest.mark.parametrize(
    "member",
    ["../evil", "a/../../evil", "/etc/passwd", "C:/Windows/evil.dll", "a\\..\\evil"],
)
def test_validate_zip_unsafe_path(member):
    data = zip_bytes([("ok.txt", "x"), (member, "x")])
    assert rejection_code(data, "code.zip", {"zip"}) == "zip_unsafe_path"


def test_validate_zip_symlink():
    link = zipfile.ZipInfo("link")
    link.create_system = 3
    link.external_attr = (0o120777 << 16) | 0x20
    data = zip_bytes([("ok.txt", "x"), (link, "/etc/passwd")])
    assert rejection_code(data, "code.zip", {"zip"}) == "zip_symlink"


def test_validate_zip_bomb_by_ratio():
    # 50 MB of zeros deflates to ~50 KB: ratio ~1000:1, member > 10 MB.
    data = zip_bytes([("zeros.bin", b"\x00" * (50 * MB))])
    assert len(data) < MB
    assert rejection_code(data, "data.zip", {"zip"}) == "zip_bomb"


def test_validate_zip_bomb_by_total_size():
    members = [(f"part{i}.bin", b"\x00" * (4 * MB)) for i in range(3)]
    data = zip_bytes(members)
    code = rejection_code(data, "data.zip", {"zip"}, zip_max_uncompressed=10 * MB)
    assert code == "zip_bomb"


def test_validate_zip_small_highly_compressible_member_passes():
    # 5 MB log at > 100:1 is normal; only big members count as bombs.
    data = zip_bytes([("run.log", b"a" * (5 * MB))])
    assert validate(data, "logs.zip", {"zip"}).kind == "zip"


def test_validate_zip_overlapping_entries_is_zip_bomb():
    # Two central-directory entries pointing at the same local file data.
    data = bytearray(zip_bytes([("a.txt", b"x" * 100), ("b.txt", b"y" * 100)]))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    second = archive.infolist()[1]
    central = data.rfind(b"PK\x01\x02")  # second central-directory record
    assert data[central + 46 : central + 46 + 5] == b"b.txt"
    data[central + 42 : central + 46] = struct.pack("<I", 10)  # header offset
    assert second.header_offset != 10
    assert rejection_code(bytes(data), "x.zip", {"zip"}) == "zip_bomb"


def test_validate_damaged_zip_is_corrupt():
    data = zip_bytes([("a.txt", "hello")])
    assert rejection_code(data[:-10], "a.zip", {"zip"}) == "corrupt"


def test_validate_docx_is_checked_as_zip():
    data = zip_bytes(
        [("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<x/>"), ("../x", "")]
    )
    assert rejection_code(data, "a.docx", {"docx"}) == "zip_unsafe_path"


def test_validate_docx_passes():
    data = zip_bytes([("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<x/>")])
    assert validate(data, "设计.docx", {"docx", "pdf"}).kind == "docx"


# --- metadata stripping -----------------------------------------------------


def jpeg_with_gps(orientation=None):
    img = Image.new("RGB", (40, 20), (10, 200, 10))
    img.paste((255, 0, 0), (0, 0, 10, 20))  # red stripe on the left
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)}
    if orientation:
        exif[0x0112] = orientation
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif, quality=95)
    return buf.getvalue()


def test_jpeg_fixture_has_gps():
    with Image.open(io.BytesIO(jpeg_with_gps())) as img:
        assert img.getexif().get_ifd(0x8825)


def test_strip_image_metadata_removes_gps_from_jpeg():
    out = io.BytesIO()
    assert strip_image_metadata(io.BytesIO(jpeg_with_gps()), out) == "JPEG"
    out.seek(0)
    with Image.open(out) as img:
        assert len(img.getexif()) == 0
        assert img.getexif().get_ifd(0x8825) == {}
        assert "exif" not in img.info
        assert img.size == (40, 20)


def test_strip_image_metadata_removes_jpeg_comment_and_xmp():
    src = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><GPSLatitude>39,54N</GPSLatitude></x:xmpmeta>'
    Image.new("RGB", (20, 20), "red").save(src, "JPEG", comment=b"home address", xmp=xmp)
    with Image.open(io.BytesIO(src.getvalue())) as original:
        assert original.info.get("comment") == b"home address"
    out = io.BytesIO()
    strip_image_metadata(io.BytesIO(src.getvalue()), out)
    assert b"home address" not in out.getvalue()
    assert b"GPSLatitude" not in out.getvalue()


def test_strip_image_metadata_applies_orientation():
    out = io.BytesIO()
    strip_image_metadata(io.BytesIO(jpeg_with_gps(orientation=6)), out)  # rotate 90° CW
    out.seek(0)
    with Image.open(out) as img:
        assert img.size == (20, 40)
        red, green, _blue = img.convert("RGB").getpixel((10, 2))
        assert red > 200 and green < 60  # left stripe is now at the top


def test_strip_image_metadata_png_stays_lossless():
    img = Image.effect_noise((32, 32), 60).convert("RGB")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0)}
    src = io.BytesIO()
    img.save(src, "PNG", exif=exif)
    out = io.BytesIO()
    assert strip_image_metadata(io.BytesIO(src.getvalue()), out) == "PNG"
    out.seek(0)
    with Image.open(out) as result:
        assert "exif" not in result.info
        assert result.convert("RGB").tobytes() == img.tobytes()


def test_strip_image_metadata_webp():
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0)}
    src = io.BytesIO()
    Image.new("RGB", (30, 30), "blue").save(src, "WEBP", exif=exif)
    out = io.BytesIO()
    strip_image_metadata(io.BytesIO(src.getvalue()), out)
    out.seek(0)
    with Image.open(out) as result:
        assert result.format == "WEBP"
        assert not result.info.get("exif")


def test_strip_image_metadata_multi_picture_jpeg_keeps_main_picture():
    out = io.BytesIO()
    assert strip_image_metadata(io.BytesIO(mpo_bytes()), out) == "JPEG"
    out.seek(0)
    with Image.open(out) as result:
        assert (result.format, result.size) == ("JPEG", (60, 40))
        assert result.getexif().get_ifd(0x8825) == {}


def test_strip_image_metadata_lossless_webp_stays_lossless():
    img = Image.effect_noise((32, 32), 60).convert("RGB")
    src = io.BytesIO()
    img.save(src, "WEBP", lossless=True)
    out = io.BytesIO()
    strip_image_metadata(io.BytesIO(src.getvalue()), out)
    out.seek(0)
    with Image.open(out) as result:
        assert result.convert("RGB").tobytes() == img.tobytes()


# --- thumbnails -------------------------------------------------------------


def test_make_thumbnail_fits_box_and_is_jpeg(tmp_path):
    src = tmp_path / "big.png"
    Image.new("RGBA", (1200, 600), (0, 0, 255, 128)).save(src)
    dst = tmp_path / "thumb.jpg"
    assert make_thumbnail(src, dst) == (480, 240)
    with Image.open(dst) as thumb:
        assert (thumb.format, thumb.size, thumb.mode) == ("JPEG", (480, 240), "RGB")


# --- video ------------------------------------------------------------------


def box(kind, payload):
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mvhd(timescale, duration, version=0):
    if version == 1:
        body = struct.pack(">QQIQ", 0, 0, timescale, duration)
    else:
        body = struct.pack(">IIII", 0, 0, timescale, duration)
    return box(b"mvhd", bytes([version, 0, 0, 0]) + body + b"\x00" * 80)


def test_video_duration_pure_python_with_64bit_sizes_and_moov_at_end(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda _name: None)  # no ffprobe fallback
    ftyp = box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2")
    mdat_payload = b"\x00" * 1000
    mdat = struct.pack(">I4sQ", 1, b"mdat", 16 + len(mdat_payload)) + mdat_payload
    moov = box(b"moov", mvhd(90000, 90000 * 125 // 10, version=1))
    path = tmp_path / "synthetic.mp4"
    path.write_bytes(ftyp + box(b"free", b"") + mdat + moov)
    assert video_duration_seconds(path) == pytest.approx(12.5)


def test_video_duration_unknown_returns_none(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    path = tmp_path / "junk.mp4"
    path.write_bytes(b"\x00\x00\x00\x10ftypisom\x00\x00\x00\x00" + b"\xff" * 50)
    assert video_duration_seconds(path) is None


def make_clip(path, seconds=2.5, faststart=False):
    cmd = [
        "ffmpeg", "-v", "error", "-y", "-f", "lavfi",
        "-i", f"testsrc=duration={seconds}:size=160x120:rate=10",
        "-c:v", "mpeg4", "-pix_fmt", "yuv420p",
    ]  # fmt: skip
    if faststart:
        cmd += ["-movflags", "+faststart"]
    subprocess.run([*cmd, str(path)], check=True, timeout=60)
    return path


@needs_ffmpeg
@pytest.mark.parametrize("faststart", [False, True])
def test_video_duration_of_ffmpeg_clip_parsed_in_python(tmp_path, monkeypatch, faststart):
    clip = make_clip(tmp_path / "clip.mp4", faststart=faststart)
    monkeypatch.setattr(video, "_ffprobe_duration", lambda _path: None)
    assert video_duration_seconds(clip) == pytest.approx(2.5, abs=0.05)


@needs_ffmpeg
def test_video_duration_webm_falls_back_to_ffprobe(tmp_path):
    clip = tmp_path / "clip.webm"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
         "testsrc=duration=1.5:size=64x48:rate=10", "-c:v", "libvpx", str(clip)],
        check=False,
        timeout=60,
    )  # fmt: skip
    if not clip.exists() or clip.stat().st_size == 0:
        pytest.skip("ffmpeg built without libvpx")
    with open(clip, "rb") as fileobj:
        assert sniff(fileobj).extension == "webm"
    assert video_duration_seconds(clip) == pytest.approx(1.5, abs=0.1)


@needs_ffmpeg
def test_validate_ffmpeg_clip_as_video(tmp_path):
    clip = make_clip(tmp_path / "clip.mp4")
    with open(clip, "rb") as fileobj:
        sniffed = validate_upload(
            fileobj, name="演示.MP4", allowed_kinds={"video"}, max_bytes=500 * MB
        )
    assert sniffed == Sniffed("video", "video/mp4", "mp4")


@needs_ffmpeg
@pytest.mark.parametrize("faststart", [False, True])
def test_validate_truncated_video_is_corrupt(tmp_path, faststart):
    clip = make_clip(tmp_path / "clip.mp4", faststart=faststart)
    data = clip.read_bytes()
    assert rejection_code(data[: len(data) * 2 // 3], "clip.mp4", {"video"}) == "corrupt"


def test_validate_mp4_without_moov_is_corrupt():
    data = box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2") + box(b"mdat", b"\x00" * 100)
    assert rejection_code(data, "clip.mp4", {"video"}) == "corrupt"


@needs_ffmpeg
def test_video_poster_writes_jpeg(tmp_path):
    clip = make_clip(tmp_path / "clip.mp4")
    dst = tmp_path / "poster.jpg"
    assert video_poster(clip, dst) is True
    with Image.open(dst) as poster:
        assert (poster.format, poster.size) == ("JPEG", (160, 120))


def test_video_poster_without_ffmpeg_returns_false(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    assert video_poster(tmp_path / "x.mp4", tmp_path / "p.jpg") is False


# --- ClamAV hook ------------------------------------------------------------


def test_scan_for_malware_disabled_without_env(tmp_path, monkeypatch):
    monkeypatch.delenv("CLAMD_SOCKET", raising=False)
    monkeypatch.delenv("CLAMD_HOST", raising=False)
    path = tmp_path / "a.bin"
    path.write_bytes(b"x")
    assert scan_for_malware(path) is None
    assert clamd.malware_scanning_enabled() is False


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs UNIX sockets")
@pytest.mark.parametrize(
    ("reply", "expected"),
    [(b"stream: OK\0", None), (b"stream: Eicar-Test-Signature FOUND\0", "Eicar-Test-Signature")],
)
def test_scan_for_malware_speaks_instream(tmp_path, monkeypatch, reply, expected):
    sock_path = str(tmp_path / "clamd.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(sock_path)
    server.listen(1)
    received = bytearray()

    def fake_clamd():
        conn, _ = server.accept()
        with conn:
            while not received.endswith(b"\x00\x00\x00\x00"):
                data = conn.recv(65536)
                if not data:
                    break
                received.extend(data)
            conn.sendall(reply)

    thread = threading.Thread(target=fake_clamd)
    thread.start()
    path = tmp_path / "upload.bin"
    path.write_bytes(b"payload")
    monkeypatch.setenv("CLAMD_SOCKET", sock_path)
    try:
        assert scan_for_malware(path, timeout=5) == expected
    finally:
        thread.join(5)
        server.close()
    assert bytes(received) == b"zINSTREAM\0" + struct.pack(">I", 7) + b"payload" + bytes(4)


def test_scan_for_malware_unreachable_raises(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAMD_SOCKET", str(tmp_path / "missing.sock"))
    path = tmp_path / "a.bin"
    path.write_bytes(b"x")
    with pytest.raises(clamd.MalwareScanError):
        scan_for_malware(path)


# --- translations -----------------------------------------------------------

FILES_DIR = Path(files.__file__).parent
PO_PATH = FILES_DIR.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _po_entries(path):
    """msgid -> msgstr (with msgctxt prefixed as 'ctxt\\x04msgid')."""
    entries, current, field = {}, {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            if "msgid" in current:
                key = current["msgid"]
                if "msgctxt" in current:
                    key = current["msgctxt"] + "\x04" + key
                entries[key] = current.get("msgstr", "")
            current, field = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[field] += ast.literal_eval(line)
        else:
            field, _, value = line.partition(" ")
            current[field] = ast.literal_eval(value)
    return entries


def _source_messages(module_path):
    tree = ast.parse(Path(module_path).read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            args = node.args
            if node.func.id == "_" and args and isinstance(args[0], ast.Constant):
                found.add(args[0].value)
            if node.func.id == "pgettext_lazy" and len(args) == 2:
                found.add(args[0].value + "\x04" + args[1].value)
    return found


def test_every_upload_message_has_a_chinese_translation():
    entries = _po_entries(PO_PATH)
    messages = set().union(*(_source_messages(path) for path in FILES_DIR.glob("*.py")))
    missing = [m for m in messages if not entries.get(m)]
    assert missing == []


def test_translations_keep_placeholders():
    entries = _po_entries(PO_PATH)
    for msgid, msgstr in entries.items():
        if not msgid:
            continue
        assert sorted(re.findall(r"%\(\w+\)s", msgid)) == sorted(
            re.findall(r"%\(\w+\)s", msgstr)
        ), msgid


def test_po_header_declares_language():
    header = _po_entries(PO_PATH)[""]
    assert "Language: zh_Hans" in header
    assert "charset=UTF-8" in header


def test_messages_render_without_error_for_every_code():
    cases = [
        (b"", "a.png", IMAGES),
        (zip_bytes([("a", "b")]), "a.png", IMAGES),
        (b"<svg/>", "a.png", IMAGES),
        (flood_png(), "a.png", IMAGES),
        (zip_bytes([("../a", "b")]), "a.zip", {"zip"}),
        (image_bytes(), "a.gif", IMAGES),
    ]
    for data, name, kinds in cases:
        with pytest.raises(DomainError) as info:
            validate(data, name, kinds)
        with translation.override("en"):
            assert "%(" not in str(info.value.message)


# --- robustness -------------------------------------------------------------

ALL_KINDS = set(KINDS)
PREFIXES = [
    b"",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF89a",
    b"RIFF\x00\x00\x00\x00WEBP",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"%PDF-1.4",
    b"\x00\x00\x00\x18ftypisom",
    b"\xef\xbb\xbf<svg",
]


@settings_hypothesis(max_examples=300, deadline=None)
@given(prefix=st.sampled_from(PREFIXES), tail=st.binary(max_size=600))
def test_validate_never_crashes_on_arbitrary_bytes(prefix, tail):
    data = prefix + tail
    try:
        sniffed = validate(data, "upload", ALL_KINDS)
    except DomainError as err:
        assert err.code in {
            "empty", "type_not_allowed", "disguised_markup", "pixel_flood", "corrupt",
            "zip_bomb", "zip_unsafe_path", "zip_symlink",
        }  # fmt: skip
    else:
        assert sniffed.kind in ALL_KINDS
