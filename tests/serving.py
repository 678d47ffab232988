"""Start ``python -m dashboard serve`` (production mode, gunicorn) on a free loopback port for a test module,
and talk to it with plain urllib (no decoding, HTTP errors returned as answers)."""

from __future__ import annotations

import contextlib
import gzip
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import brotli

from dashboard import config


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, headers: dict | None = None, data: bytes | None = None, timeout: float = 30):
    """(status, headers, raw body) without urllib's decoding; HTTP errors are answers too."""
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def decode(headers, body: bytes) -> bytes:
    encoding = headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    assert encoding is None, encoding
    return body


def wait_healthy(base: str, proc: subprocess.Popen | None = None, within: float = 90) -> None:
    deadline = time.time() + within
    while True:
        try:
            if get(base + "/healthz", timeout=5)[0] == 200:
                return
        except OSError:
            pass
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the server ended with status {proc.returncode} before answering")
        if time.time() > deadline:
            raise AssertionError(f"server did not answer within {within:.0f} s")
        time.sleep(0.3)


@contextlib.contextmanager
def running_server(var: Path, **env_extra: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """(base URL, the server process: gunicorn's master). Its output goes to ``var/server.log``. Stopped with
    SIGTERM at the end, which must end it with exit status 0 and no traceback in its output."""
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "MIPEXR_VAR_DIR": str(var), "HOME": str(var), **env_extra}
    log = open(var / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=config.PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        out = (var / "server.log").read_text()
        assert proc.returncode == 0, out
        assert "Traceback" not in out, out
