"""A lean HTTP/1.1 load generator for the GET scenarios of ``bench/run.py``.

The benchmark's client runs on the same two cores as the server. httpx spends about 1 ms of
CPU per request at 10 connections and 6 ms at 1,000 (its pool is scanned per request), so
at publication-day concurrency the figures measured the client. This one keeps each
connection in its own coroutine and speaks just enough HTTP/1.1 (``Content-Length`` or
chunked bodies, keep-alive) to read a Django response: tens of microseconds per request.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from urllib.parse import urlsplit


class _Closed(Exception):
    """The server closed the connection before (or instead of) answering."""


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; returns (status, server keeps the connection open)."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError) as exc:
        raise _Closed from exc
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip().lower()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status, headers.get("connection") != "close"


async def drive(
    base_url: str,
    paths: list[str],
    *,
    concurrency: int,
    requests: int,
    cookie: str = "",
    kinds: Counter | None = None,
) -> tuple[list[float], int]:
    """GET ``paths`` round-robin over ``concurrency`` keep-alive connections.

    Returns the latencies (ms) and the number of errors (a status other than 200, or a
    connection that failed twice); ``kinds`` counts what went wrong, and the GETs retried
    once on a fresh connection after the server closed an idle one (as browsers do).
    """
    url = urlsplit(base_url)
    host, port = url.hostname, url.port or 80
    extra = f"Cookie: {cookie}\r\n" if cookie else ""
    latencies: list[float] = []
    kinds = Counter() if kinds is None else kinds
    errors = 0
    queue = list(reversed([paths[i % len(paths)] for i in range(requests)]))

    async def connection() -> None:
        nonlocal errors
        reader = writer = None
        while queue:
            path = queue.pop()
            raw = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{extra}\r\n".encode()
            started = time.perf_counter()
            for attempt in (1, 2):
                try:
                    if writer is None:
                        reader, writer = await asyncio.open_connection(host, port)
                    writer.write(raw)
                    status, keep = await _read_response(reader)
                    break
                except (_Closed, ConnectionError) as exc:
                    if writer is not None:
                        writer.close()
                    reader = writer = None
                    if attempt == 2:
                        status, keep = 0, False
                        kinds[type(exc).__name__] += 1
                    else:
                        kinds["retried on a closed keep-alive connection"] += 1
            latencies.append((time.perf_counter() - started) * 1000)
            if status != 200:
                errors += 1
                if status:
                    kinds[f"HTTP {status}"] += 1
            if not keep and writer is not None:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    await asyncio.gather(*(connection() for _ in range(concurrency)))
    return latencies, errors
