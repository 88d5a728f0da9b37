"""Videos: the MP4/MOV box walk (integrity and duration) and poster frames with ffmpeg."""

import os
import shutil
import struct
import subprocess
from typing import BinaryIO

from .errors import corrupt_error
from .sniff import QUICKTIME_FIRST_BOXES
from .streams import read_at

_SUBPROCESS_TIMEOUT = 60


def check_isobmff(fileobj: BinaryIO, size: int) -> None:
    """Walk the top-level MP4/MOV boxes: catches truncated uploads.

    A video cut off in transfer either lacks its ``moov`` index (written at
    the end by most encoders) or has a box running past the end of the file;
    players cannot open either. Junk after the last box is tolerated.
    """
    found_moov = False
    for box_type, payload, payload_size in _iter_boxes(fileobj, 0, size):
        if payload + payload_size > size:
            raise corrupt_error()
        found_moov = found_moov or box_type == b"moov"
    if not found_moov:
        raise corrupt_error()


def _iter_boxes(fileobj: BinaryIO, start: int, end: int):
    """Yield (type, payload_offset, payload_size) for ISO-BMFF boxes."""
    offset = start
    while offset + 8 <= end:
        header = read_at(fileobj, offset, 8)
        if len(header) < 8:
            return
        size, box_type = struct.unpack(">I4s", header)
        header_size = 8
        if size == 1:
            large = read_at(fileobj, offset + 8, 8)
            if len(large) < 8:
                return
            size = struct.unpack(">Q", large)[0]
            header_size = 16
        elif size == 0:
            size = end - offset
        if size < header_size:
            return
        yield box_type, offset + header_size, size - header_size
        offset += size


def _mvhd_duration(fileobj: BinaryIO) -> float | None:
    end = fileobj.seek(0, os.SEEK_END)
    for box_type, payload, payload_size in _iter_boxes(fileobj, 0, end):
        if box_type != b"moov":
            continue
        for inner, inner_payload, _inner_size in _iter_boxes(
            fileobj, payload, payload + payload_size
        ):
            if inner != b"mvhd":
                continue
            data = read_at(fileobj, inner_payload, 32)
            if not data:
                return None
            if data[0] == 1:
                timescale, duration = struct.unpack(">IQ", data[20:32])
                unknown = duration == 0xFFFFFFFFFFFFFFFF
            else:
                timescale, duration = struct.unpack(">II", data[12:20])
                unknown = duration == 0xFFFFFFFF
            if not timescale or unknown or duration == 0:
                # Fragmented MP4s leave mvhd empty; let ffprobe sum fragments.
                return None
            return duration / timescale
        return None
    return None


def video_duration_seconds(path: str | os.PathLike) -> float | None:
    """Duration of a video in seconds, or None if it cannot be determined.

    Reads the MP4/MOV ``moov/mvhd`` box in pure Python (box headers only,
    64-bit sizes and ``moov`` after ``mdat`` handled); falls back to
    ``ffprobe`` for other containers (WebM) and fragmented MP4.
    """
    try:
        with open(path, "rb") as fileobj:
            first_box = read_at(fileobj, 4, 4)
            if first_box == b"ftyp" or first_box in QUICKTIME_FIRST_BOXES:
                duration = _mvhd_duration(fileobj)
                if duration is not None:
                    return duration
    except (OSError, struct.error):
        pass
    return _ffprobe_duration(path)


def _ffprobe_duration(path) -> float | None:
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return None
    try:
        # Argument list from shutil.which() + our own flags; no shell.
        result = subprocess.run(  # noqa: S603
            [
                ffprobe, "-v", "error", "-show_entries", "format=duration",
                "-of", "default=noprint_wrappers=1:nokey=1", "--", os.fspath(path),
            ],
            capture_output=True,
            timeout=_SUBPROCESS_TIMEOUT,
            check=False,
        )  # fmt: skip
        value = float(result.stdout.decode().strip().splitlines()[0])
    except (subprocess.SubprocessError, OSError, ValueError, IndexError):
        return None
    return value if value > 0 else None


def video_poster(path: str | os.PathLike, dst: str | os.PathLike) -> bool:
    """Write a JPEG poster frame (max 480 px wide) with ffmpeg.

    Takes the frame at 10% of the duration (intros are often black). Returns
    False when ffmpeg is missing or fails; the caller shows a placeholder.
    """
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return False
    duration = video_duration_seconds(path)
    at = f"{duration * 0.1:.3f}" if duration else "0"
    try:
        # Argument list from shutil.which() + our own flags; no shell.
        result = subprocess.run(  # noqa: S603
            [
                ffmpeg, "-nostdin", "-v", "error", "-y", "-ss", at,
                "-i", os.fspath(path), "-frames:v", "1",
                "-vf", "scale='min(480,iw)':-2", "-q:v", "3",
                "-f", "image2", "-c:v", "mjpeg", os.fspath(dst),
            ],
            capture_output=True,
            timeout=_SUBPROCESS_TIMEOUT,
            check=False,
        )  # fmt: skip
    except (subprocess.SubprocessError, OSError):
        return False
    return result.returncode == 0 and os.path.exists(dst) and os.path.getsize(dst) > 0
