"""ClamAV's daemon, spoken to over its INSTREAM protocol (optional; no Django here).

What to do with an infected or unscannable upload is :mod:`.malware`'s business.
"""

import contextlib
import io
import os
import socket
import struct
from typing import BinaryIO


class MalwareScanError(RuntimeError):
    """clamd is configured but the scan could not be completed."""


def malware_scanning_enabled() -> bool:
    return bool(os.environ.get("CLAMD_SOCKET") or os.environ.get("CLAMD_HOST"))


def scan_for_malware(source: str | os.PathLike | BinaryIO, *, timeout: float = 120.0) -> str | None:
    """Scan a file (a path or an open binary file) with ClamAV's daemon; return the
    signature name if infected.

    Configuration (environment): ``CLAMD_SOCKET`` = path of clamd's UNIX
    socket, or ``CLAMD_HOST`` (+ ``CLAMD_PORT``, default 3310) for TCP. With
    neither set, scanning is disabled and this returns None (check
    :func:`malware_scanning_enabled` to tell "clean" from "not scanned").
    Raises :class:`MalwareScanError` when clamd is configured but unreachable
    or answers with an error (e.g. the file exceeds its StreamMaxLength), so
    the caller can decide to fail closed (gongchuang.common.files.malware does). Uses
    the INSTREAM command, so clamd needs no access to our files. An open file
    is read from its start and left at its start.
    """
    unix_path = os.environ.get("CLAMD_SOCKET")
    host = os.environ.get("CLAMD_HOST")
    if not unix_path and not host:
        return None
    try:
        if unix_path:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            conn.settimeout(timeout)
            conn.connect(unix_path)
        else:
            port = int(os.environ.get("CLAMD_PORT", "3310"))
            conn = socket.create_connection((host, port), timeout=timeout)
        opened = not hasattr(source, "read")
        with conn, open(source, "rb") if opened else contextlib.nullcontext(source) as fileobj:
            fileobj.seek(0)
            try:
                conn.sendall(b"zINSTREAM\0")
                while chunk := fileobj.read(64 * 1024):
                    conn.sendall(struct.pack(">I", len(chunk)) + chunk)
                conn.sendall(struct.pack(">I", 0))
            except (BrokenPipeError, ConnectionResetError):
                pass  # clamd stopped reading (StreamMaxLength); its answer below says why
            if not opened:
                fileobj.seek(0)
            reply = io.BytesIO()
            while not reply.getvalue().endswith(b"\0"):
                data = conn.recv(4096)
                if not data:
                    break
                reply.write(data)
    except (OSError, ValueError) as exc:  # ValueError: a CLAMD_PORT that is not a number
        raise MalwareScanError(f"clamd scan failed: {exc}") from exc
    answer = reply.getvalue().rstrip(b"\0").decode("utf-8", "replace").strip()
    # "stream: OK" | "stream: Eicar-Signature FOUND" | "... ERROR"
    if answer.endswith("FOUND"):
        return answer.removeprefix("stream:").removesuffix("FOUND").strip()
    if answer.endswith("OK"):
        return None
    raise MalwareScanError(f"clamd answered: {answer}")
