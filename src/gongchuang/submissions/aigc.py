"""Implicit labels of AI-generated content (GB 45438-2025, C2PA): read at upload, written
into public image downloads.

GB 45438-2025 labels a file in its metadata with a field ``AIGC`` whose value is JSON::

    {"Label": "1", "ContentProducer": "…", "ProduceID": "…", "ReservedCode1": "…",
     "ContentPropagator": "…", "PropagateID": "…", "ReservedCode2": "…"}

(``Label``: 1 AI-generated, 2 possibly, 3 suspected). Producers put it in a PNG text
chunk keyed ``AIGC``, in an XMP packet (property ``AIGC``, namespace
:data:`XMP_NAMESPACE`) or in an EXIF text tag. C2PA manifests sit in JUMBF boxes (PNG
``caBX`` chunk, JPEG APP11 segments); c2pa-python reads and validates them, and a box
it cannot read is still recorded as present.

Pure functions on bytes, no Django: the reader walks chunk and segment headers (no
pixel decoding); the writer inserts or replaces our own chunks/segments and leaves the
rest of the file byte for byte.
"""

import html
import io
import json
import re
import struct
import zlib
from typing import BinaryIO

from PIL import Image

XMP_NAMESPACE = "http://www.tc260.org.cn/ns/AIGC/1.0/"
AIGC_FIELDS = (
    "Label",
    "ContentProducer",
    "ProduceID",
    "ReservedCode1",
    "ContentPropagator",
    "PropagateID",
    "ReservedCode2",
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
XMP_KEYWORD = b"XML:com.adobe.xmp"
JPEG_XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
# IPTC digital source types that C2PA manifests use for generated media.
_AI_SOURCE_TYPES = ("trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia")
_XMP_ATTR = re.compile(rb"[\w.-]+:AIGC\s*=\s*(\"[^\"]*\"|'[^']*')")
_XMP_ELEM = re.compile(rb"<([\w.-]+):AIGC>(.*?)</\1:AIGC>", re.S)
_MAX_METADATA = 4 * 1024 * 1024  # a chunk or segment we read whole


# --- Reading -------------------------------------------------------------------


def parse_aigc(value: bytes | str) -> dict | None:
    """The AIGC fields of a label value (JSON, optionally wrapped as ``{"AIGC": {...}}``)."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    value = html.unescape(value.strip().strip("\x00"))
    try:
        data = json.loads(value)
    except (ValueError, RecursionError):  # not JSON, or nested past the parser's depth
        return None
    if isinstance(data, dict) and isinstance(data.get("AIGC"), dict):
        data = data["AIGC"]
    if not isinstance(data, dict) or "Label" not in data:
        return None
    return {k: str(data[k])[:200] for k in AIGC_FIELDS if data.get(k) not in (None, "")}


def aigc_from_xmp(packet: bytes) -> dict | None:
    """The AIGC label of an XMP packet (attribute or element form, any prefix)."""
    for match in _XMP_ATTR.finditer(packet):
        found = parse_aigc(match.group(1)[1:-1])
        if found:
            return found
    for match in _XMP_ELEM.finditer(packet):
        found = parse_aigc(match.group(2))
        if found:
            return found
    return None


def aigc_from_exif(raw: bytes) -> dict | None:
    """The AIGC label in an EXIF block's text tags (UserComment, ImageDescription, XPComment)."""
    exif = Image.Exif()
    try:
        exif.load(raw)
        texts = [exif.get(0x010E), exif.get(0x9C9C), exif.get_ifd(0x8769).get(0x9286)]
    except Exception:  # a broken EXIF block is no label
        return None
    for text in texts:
        if isinstance(text, bytes):
            # UserComment starts with an 8-byte charset code; XPComment is UTF-16LE.
            text = text[8:] if text[:8].rstrip(b"\0").isalpha() else text
            text = text.decode("utf-16-le" if b"\0" in text[:4] else "utf-8", "replace")
        if isinstance(text, str) and "Label" in text:
            found = parse_aigc(text[text.find("{") :])
            if found:
                return found
    return None


def _png_text(kind: bytes, data: bytes) -> tuple[bytes, bytes]:
    keyword, _, rest = data.partition(b"\0")
    if kind == b"tEXt":
        return keyword, rest
    if kind == b"zTXt":
        return keyword, _inflate(rest[1:])
    # iTXt: compression flag, method, language\0, translated keyword\0, text
    flag, rest = rest[:1], rest[2:]
    rest = rest.split(b"\0", 2)[-1]
    return keyword, _inflate(rest) if flag == b"\x01" else rest


def _inflate(data: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(data, _MAX_METADATA)
    except zlib.error:
        return b""


def _scan_png(fileobj: BinaryIO, found: dict) -> None:
    fileobj.seek(len(PNG_SIGNATURE))
    while (header := fileobj.read(8)) and len(header) == 8:
        length, kind = struct.unpack(">I", header[:4])[0], header[4:]
        if kind in (b"tEXt", b"zTXt", b"iTXt", b"eXIf") and length <= _MAX_METADATA:
            data = fileobj.read(length)
            fileobj.seek(4, 1)
            if kind == b"eXIf":
                _note(found, "exif", aigc_from_exif(data))
                continue
            keyword, text = _png_text(kind, data)
            if keyword == b"AIGC":
                _note(found, "png-text", parse_aigc(text))
            elif keyword == XMP_KEYWORD:
                _note(found, "xmp", aigc_from_xmp(text))
            continue
        if kind == b"caBX":
            found["c2pa_box"] = True
        if kind == b"IEND":
            return
        fileobj.seek(length + 4, 1)


def _scan_jpeg(fileobj: BinaryIO, found: dict) -> None:
    fileobj.seek(2)
    while (marker := fileobj.read(2)) and len(marker) == 2 and marker[0] == 0xFF:
        if marker[1] in (0xD9, 0xDA):  # end of image, start of scan: metadata is over
            return
        size = fileobj.read(2)
        if len(size) < 2:
            return
        length = struct.unpack(">H", size)[0] - 2
        if marker[1] in (0xE1, 0xEB) and length > 0:
            data = fileobj.read(length)
            if marker[1] == 0xEB:
                found["c2pa_box"] = found.get("c2pa_box") or b"c2pa" in data
            elif data.startswith(JPEG_XMP_HEADER):
                _note(found, "xmp", aigc_from_xmp(data))
            elif data.startswith(b"Exif\0\0"):
                _note(found, "exif", aigc_from_exif(data))
        else:
            fileobj.seek(length, 1)


def _note(found: dict, source: str, label: dict | None) -> None:
    if label and "aigc" not in found:
        found["aigc"] = {**label, "source": source}


def read_c2pa(fileobj: BinaryIO, mime: str) -> dict | None:
    """A summary of the active C2PA manifest (None when c2pa-python finds none)."""
    try:
        import c2pa

        fileobj.seek(0)
        with c2pa.Reader(mime, fileobj) as reader:
            store = json.loads(reader.json())
    except Exception:  # no manifest, a broken one, or no library
        return None
    manifest = store.get("manifests", {}).get(store.get("active_manifest"), {})
    generators = manifest.get("claim_generator_info") or [{}]
    sources = json.dumps(manifest.get("assertions", []))
    return {
        "present": True,
        "claim_generator": str(generators[0].get("name") or manifest.get("claim_generator", "")),
        "issuer": str((manifest.get("signature_info") or {}).get("issuer", "")),
        "validation_state": str(store.get("validation_state", "")),
        "ai_generated": any(t in sources for t in _AI_SOURCE_TYPES),
    }


def read_labels(fileobj: BinaryIO, mime: str) -> dict:
    """The implicit labels of an image: ``{"aigc": {...}, "c2pa": {...}}``, each key only
    when found (an empty dict for a file without labels). Position is reset to 0."""
    found: dict = {}
    fileobj.seek(0)
    head = fileobj.read(8)
    try:
        if head == PNG_SIGNATURE:
            _scan_png(fileobj, found)
        elif head[:2] == b"\xff\xd8":
            _scan_jpeg(fileobj, found)
    except (struct.error, ValueError, OSError):  # a damaged file: keep what was found
        pass
    has_box = found.pop("c2pa_box", False)
    if has_box:
        found["c2pa"] = read_c2pa(fileobj, mime) or {"present": True, "readable": False}
    fileobj.seek(0)
    return found


# --- Writing -------------------------------------------------------------------


def label_value(label: dict) -> str:
    return json.dumps({k: label.get(k, "") for k in AIGC_FIELDS}, ensure_ascii=False)


def xmp_packet(label: dict) -> bytes:
    value = html.escape(label_value(label), quote=True)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" xmlns:TC260="{XMP_NAMESPACE}" TC260:AIGC="{value}"/>'
        '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _with_png_label(data: bytes, label: dict) -> bytes:
    out = io.BytesIO()
    out.write(PNG_SIGNATURE)
    pos = len(PNG_SIGNATURE)
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I", data[pos : pos + 4])[0], data[pos + 4 : pos + 8]
        end = pos + 12 + length
        keyword = data[pos + 8 : pos + 8 + 80].split(b"\0", 1)[0]
        ours = kind in (b"tEXt", b"zTXt", b"iTXt") and keyword in (b"AIGC", XMP_KEYWORD)
        if not ours:
            out.write(data[pos:end])
        if kind == b"IHDR":
            out.write(_png_chunk(b"tEXt", b"AIGC\0" + label_value(label).encode()))
            out.write(_png_chunk(b"iTXt", XMP_KEYWORD + b"\0\0\0\0\0" + xmp_packet(label)))
        pos = end
    return out.getvalue()


def _with_jpeg_label(data: bytes, label: dict) -> bytes:
    packet = JPEG_XMP_HEADER + xmp_packet(label)
    segment = b"\xff\xe1" + struct.pack(">H", len(packet) + 2) + packet
    out = io.BytesIO()
    out.write(data[:2])
    pos, inserted = 2, False
    while pos + 4 <= len(data) and data[pos] == 0xFF and data[pos + 1] not in (0xD9, 0xDA):
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        end = pos + 2 + length
        if not inserted and data[pos + 1] != 0xE0:  # after JFIF's APP0, before the rest
            out.write(segment)
            inserted = True
        is_xmp = data[pos + 1] == 0xE1 and data[pos + 4 : end].startswith(JPEG_XMP_HEADER)
        if not is_xmp:
            out.write(data[pos:end])
        pos = end
    if not inserted:
        out.write(segment)
    out.write(data[pos:])
    return out.getvalue()


def with_label(data: bytes, label: dict) -> bytes | None:
    """A copy of a PNG or JPEG image carrying ``label`` as its AIGC label (PNG text chunk
    and XMP, JPEG XMP), replacing any AIGC/XMP it had; None for other formats."""
    if data.startswith(PNG_SIGNATURE):
        return _with_png_label(data, label)
    if data.startswith(b"\xff\xd8"):
        return _with_jpeg_label(data, label)
    return None
