"""Closed-loop HTTP load from one asyncio process: N clients, each with one keep-alive connection,
sending the next request as soon as the previous answer is read, for a fixed time."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class LoadResult:
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


def _request(host: str, port: int, path: str, body: bytes) -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept-Encoding: br, gzip\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    close = headers.get("connection", "").lower() == "close"
    return status, close


async def _client(host, port, path, bodies, deadline, result: LoadResult, timeout: float, offset: int) -> None:
    cycle = itertools.islice(itertools.cycle(bodies), offset, None)
    reader = writer = None
    while time.perf_counter() < deadline:
        body = next(cycle)
        t0 = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
            writer.write(_request(host, port, path, body))
            status, close = await asyncio.wait_for(_read_response(reader), timeout)
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
            result.error(type(exc).__name__)
            if writer is not None:
                writer.close()
            reader = writer = None
            continue
        if status in (200, 204):
            result.latencies.append(time.perf_counter() - t0)
        else:
            result.error(f"HTTP {status}")
        if close:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def _run(base, path, bodies, clients, seconds, timeout) -> LoadResult:
    parts = urlsplit(base)
    result = LoadResult(seconds)
    start = time.perf_counter()
    deadline = start + seconds
    await asyncio.gather(*(_client(parts.hostname, parts.port, path, bodies, deadline, result, timeout, n)
                           for n in range(clients)))
    result.seconds = time.perf_counter() - start
    return result


def run(base: str, bodies: list[bytes], clients: int = 50, seconds: float = 20, path: str = "/_dash-update-component",
        timeout: float = 30) -> LoadResult:
    """POST ``bodies`` round-robin from ``clients`` concurrent connections for ``seconds``."""
    return asyncio.run(_run(base, path, bodies, clients, seconds, timeout))
