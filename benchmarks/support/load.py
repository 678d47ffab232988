"""Closed-loop HTTP load from one asyncio process: N clients, each with one keep-alive connection,
sending the next request as soon as the previous answer is read.

The run lasts ``warmup + seconds``: answers completed during the warm-up are not counted (every worker
meets every request once before the measurement: caches filled, connections open); answers completed
in the measured window are, with their full latency; requests still in flight when the window closes
are abandoned and not counted (as wrk does), so the run never outlasts its window."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class LoadResult:
    seconds: float
    window: tuple[float, float] = (0.0, 0.0)
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    probes: list = field(default_factory=list)  # what ``probe`` read at the window's start and end

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def counts(self, now: float) -> bool:
        return self.window[0] <= now <= self.window[1]

    def error(self, kind: str) -> None:
        if not self.counts(time.perf_counter()):
            return
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


async def _client(host, port, path, bodies, result: LoadResult, timeout: float, offset: int) -> None:
    cycle = itertools.islice(itertools.cycle(bodies), offset, None)
    reader = writer = None
    try:
        while time.perf_counter() < result.window[1]:  # a cancel that wait_for swallowed (3.11) still ends here
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
            done = time.perf_counter()
            if status not in (200, 204):
                result.error(f"HTTP {status}")
            elif result.counts(done):
                result.latencies.append(done - t0)
            if close:
                writer.close()
                reader = writer = None
    finally:
        if writer is not None:
            writer.close()


async def _stop(tasks) -> None:
    """Cancel the clients; raise the first error one of them ended with (other than being cancelled)."""
    for task in tasks:
        task.cancel()
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    failed = [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, asyncio.CancelledError)]
    if failed:
        raise failed[0]


async def _run(base, path, bodies, clients, seconds, warmup, timeout) -> LoadResult:
    parts = urlsplit(base)
    start = time.perf_counter()
    result = LoadResult(seconds, (start + warmup, start + warmup + seconds))
    tasks = [asyncio.create_task(_client(parts.hostname, parts.port, path, bodies, result, timeout, n))
             for n in range(clients)]
    await asyncio.sleep(warmup + seconds)
    await _stop(tasks)
    return result


def run(base: str, bodies: list[bytes], clients: int = 50, seconds: float = 20, warmup: float = 3,
        path: str = "/_dash-update-component", timeout: float = 30) -> LoadResult:
    """POST ``bodies`` round-robin from ``clients`` concurrent connections: ``warmup`` s, then ``seconds`` measured."""
    return asyncio.run(_run(base, path, bodies, clients, seconds, warmup, timeout))


# ---------------------------------------------------------------------------------------------
# Page views: each client repeats a sequence of requests; one latency per whole sequence
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    """One request of a page view: ``ok`` lists the statuses that count as answered (304 for a revalidation)."""
    method: str
    path: str
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    ok: tuple[int, ...] = (200, 204)

    def encode(self, host: str, port: int) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}:{port}", "Accept-Encoding: br, gzip"]
        lines += [f"{k}: {v}" for k, v in self.headers]
        if self.body or self.method == "POST":
            lines += ["Content-Type: application/json", f"Content-Length: {len(self.body)}"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body


async def _viewer(host, port, steps: list[Step], result: LoadResult, timeout: float) -> None:
    wire = [s.encode(host, port) for s in steps]
    reader = writer = None
    try:
        while time.perf_counter() < result.window[1]:  # a cancel that wait_for swallowed (3.11) still ends here
            t0 = time.perf_counter()
            failed = None
            for step, data in zip(steps, wire):
                try:
                    if writer is None:
                        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
                    writer.write(data)
                    status, close = await asyncio.wait_for(_read_response(reader), timeout)
                except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
                    failed = type(exc).__name__
                    if writer is not None:
                        writer.close()
                    reader = writer = None
                    break
                if close:
                    writer.close()
                    reader = writer = None
                if status not in step.ok:
                    failed = f"HTTP {status} on {step.method} {step.path.split('?')[0]}"
                    break
            done = time.perf_counter()
            if failed:
                result.error(failed)
            elif result.counts(done):
                result.latencies.append(done - t0)
    finally:
        if writer is not None:
            writer.close()


async def _run_views(base, steps, clients, seconds, warmup, timeout, probe) -> LoadResult:
    parts = urlsplit(base)
    start = time.perf_counter()
    result = LoadResult(seconds, (start + warmup, start + warmup + seconds))
    tasks = [asyncio.create_task(_viewer(parts.hostname, parts.port, steps, result, timeout)) for _ in range(clients)]
    for until in result.window:
        await asyncio.sleep(max(0.0, until - time.perf_counter()))
        if probe is not None:
            result.probes.append(probe())
    await _stop(tasks)
    return result


def run_views(base: str, steps: list[Step], clients: int = 50, seconds: float = 20, warmup: float = 3,
              timeout: float = 30, probe=None) -> LoadResult:
    """``clients`` concurrent viewers, each on one keep-alive connection repeating ``steps`` in order (one page
    view): ``warmup`` s, then ``seconds`` measured. A latency is a whole view; a view with any failed step is
    one error (the viewer starts the next view). ``probe()`` (e.g. the server's CPU time) is read when the
    measured window opens and when it closes, into ``result.probes``."""
    return asyncio.run(_run_views(base, steps, clients, seconds, warmup, timeout, probe))
