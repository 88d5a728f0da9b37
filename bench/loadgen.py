"""A lean HTTP/1.1 load generator for ``bench/run.py``: the GET scenarios and the submission flow.

The benchmark's client runs on the same two cores as the server. httpx spends about 1 ms of
CPU per request at 10 connections and 6 ms at 1,000 (its pool is scanned per request), so
at publication-day concurrency the figures measured the client. This one keeps each
connection in its own coroutine and speaks just enough HTTP/1.1 (``Content-Length`` or
chunked bodies, keep-alive) to read a Django response: tens of microseconds per request.
:class:`Session` does the same for a logged-in user's form posts (cookies, urlencoded and
multipart bodies whose big file parts are built once and written as they are): httpx spent
12 ms of CPU per 2 MB submission, an eighth of the server's.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from urllib.parse import urlsplit


class _Closed(ConnectionError):
    """The server closed the connection before (or instead of) answering."""


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    """Read one response: status, headers (lower-case names; ``set-cookie`` joined by
    newlines, values as sent) and the body."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError) as exc:
        raise _Closed from exc
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            name = name.strip().lower()
            value = value.strip()
            headers[name] = f"{headers[name]}\n{value}" if name in headers else value
    body = b""
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            parts.append((await reader.readexactly(size + 2))[:-2])
            if size == 0:
                break
        body = b"".join(parts)
    if headers.get("connection", "").lower() == "close":
        headers["connection"] = "close"
    return status, headers, body


async def drive(
    base_url: str,
    paths: list[str],
    *,
    concurrency: int,
    requests: int,
    cookies: dict[str, str] | None = None,
    kinds: Counter | None = None,
) -> tuple[list[float], int]:
    """GET ``paths`` round-robin over ``concurrency`` keep-alive :class:`Session` s.

    Returns the latencies (ms) and the number of errors (a status other than 200, or a
    connection that failed twice); ``kinds`` counts what went wrong, and the GETs retried
    once on a fresh connection after the server closed an idle one (as browsers do).
    """
    latencies: list[float] = []
    kinds = Counter() if kinds is None else kinds
    errors = 0
    queue = list(reversed([paths[i % len(paths)] for i in range(requests)]))

    async def connection() -> None:
        nonlocal errors
        session = Session(base_url, cookies or {})
        while queue:
            path = queue.pop()
            started = time.perf_counter()
            try:
                status = (await session.get(path)).status_code
            except ConnectionError as exc:
                status = 0
                kinds[type(exc).__name__] += 1
            latencies.append((time.perf_counter() - started) * 1000)
            if status != 200:
                errors += 1
                if status:
                    kinds[f"HTTP {status}"] += 1
        session.close()
        if session.retries:
            kinds["retried on a closed keep-alive connection"] += session.retries

    await asyncio.gather(*(connection() for _ in range(concurrency)))
    return latencies, errors


BOUNDARY = "----gongchuang-bench-boundary"


def file_part(field: str, filename: str, content_type: str, data: bytes) -> bytes:
    """One multipart file part, built once and sent as it is by every request."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; '
        f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
    )
    return head.encode() + data + b"\r\n"


def _field_parts(fields: dict[str, str]) -> bytes:
    return "".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    ).encode()


class Response:
    def __init__(self, status: int, headers: dict[str, str], body: bytes):
        self.status_code, self.headers, self.content = status, headers, body

    @property
    def text(self) -> str:
        return self.content.decode()


class Session:
    """One user's keep-alive connection with cookies: GET, urlencoded and multipart POST."""

    def __init__(self, base_url: str, cookies: dict[str, str]):
        url = urlsplit(base_url)
        self.host, self.port = url.hostname, url.port or 80
        self.cookies = dict(cookies)
        self.retries = 0  # GETs sent again after the server closed an idle connection
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> Response:
        return await self._request("GET", path, [])

    async def post(self, path: str, fields: dict[str, str]) -> Response:
        from urllib.parse import urlencode

        body = urlencode(fields).encode()
        return await self._request("POST", path, [body], "application/x-www-form-urlencoded")

    async def post_multipart(self, path: str, fields: dict[str, str], *parts: bytes) -> Response:
        chunks = [_field_parts(fields), *parts, f"--{BOUNDARY}--\r\n".encode()]
        return await self._request(
            "POST", path, chunks, f"multipart/form-data; boundary={BOUNDARY}"
        )

    async def _request(self, method, path, chunks, content_type=None) -> Response:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
        if cookie:
            head += f"Cookie: {cookie}\r\n"
        if content_type:
            head += f"Content-Type: {content_type}\r\n"
        if method == "POST":
            head += f"Content-Length: {sum(len(c) for c in chunks)}\r\n"
            head += f"Referer: http://{self.host}:{self.port}{path}\r\n"
        head += "\r\n"
        for attempt in (1, 2):
            try:
                if self._writer is None:
                    self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
                self._writer.writelines([head.encode(), *chunks])
                status, headers, body = await _read_response(self._reader)
                break
            except (_Closed, ConnectionError):
                self.close()
                # A keep-alive connection the server closed while idle: a GET is retried once
                # on a new one, as browsers do; a POST is not (it may have been received).
                if attempt == 2 or method != "GET":
                    raise
                self.retries += 1
        for line in headers.get("set-cookie", "").split("\n"):
            if "=" in line:
                name, value = line.split(";", 1)[0].split("=", 1)
                self.cookies[name.strip()] = value.strip()
        if headers.get("connection") == "close":
            self.close()
        return Response(status, headers, body)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None
