"""The HTTP layer of a served Dash app: compression, cache headers, ``/healthz`` and ``/readyz``.

:func:`init_app` is called once per app by :func:`dashboard.app.create_app` (the benchmark anchors call it
too, so that every app is measured served the same way):

- **Compression** (Flask-Compress, which Dash's ``compress=True`` switches on): brotli for clients that
  accept it, else gzip, for HTML, JSON (callback responses), JavaScript and CSS. Dynamic responses use a
  fast level (:data:`BROTLI_LEVEL_DYNAMIC`). Static responses (Dash's bundles, fingerprinted or, like
  plotly.js and dcc's lazily loaded chunks, under a plain name with an ETag; ``/assets/`` files) are
  compressed once per worker and version (URL fingerprint, ``?m=<mtime>`` or ETag) at a higher level
  and kept in a bounded in-memory cache (:data:`STATIC_CACHE_BYTES`), so plotly.js (4.8 MB) is not
  recompressed for every visitor; so is any answer whose view marks it ``immutable`` with an ETag (the map's
  ``/geo/<key>/…`` layers).
- **Cache headers**: fingerprinted bundles under ``/_dash-component-suites/`` and versioned ``/assets/``
  URLs get ``Cache-Control: public, max-age=31536000, immutable`` (the URL changes when the file does);
  an ``/assets/`` file requested without ``?m=`` (plotly.js fetches its base-map topojson that way) gets
  ``public, max-age=`` :data:`ASSET_MAX_AGE` (``MIPEXR_ASSET_MAX_AGE`` seconds, default one hour).
  Bundles Dash serves without a fingerprint keep Dash's ETag revalidation (they change with a package
  upgrade, under the same URL).
- ``GET /healthz``: the process answers → ``200 {"status": "ok"}``.
- ``GET /readyz``: the dataset is loaded and the Integration Lab database answers ``SELECT 1`` →
  ``200 ready``; otherwise ``503`` with the plain reason (never a URL, path or exception text).
- ``MIPEXR_EXPOSE_WORKER=1`` adds ``X-Worker: <pid>`` to every response (tests and benchmarks count the
  workers that answer); off by default.
"""

from __future__ import annotations

import gzip
import logging
import os
import threading
from collections import OrderedDict
from typing import Any

from flask import Flask, Response, current_app, jsonify, request

log = logging.getLogger(__name__)

IMMUTABLE = "public, max-age=31536000, immutable"
ASSET_MAX_AGE = int(os.environ.get("MIPEXR_ASSET_MAX_AGE") or 3600)
#: Encodings offered, in the server's order of preference.
ALGORITHMS = ("br", "gzip")
BROTLI_LEVEL_DYNAMIC = 4
BROTLI_LEVEL_STATIC = 6
GZIP_LEVEL = 6
#: Compressed immutable responses kept per worker (bytes, all encodings together).
STATIC_CACHE_BYTES = 48 * 1024 * 1024
EXPOSE_WORKER_ENV = "MIPEXR_EXPOSE_WORKER"
_EXTENSION_KEY = "mipexr_serving"


def init_app(app: Any) -> None:
    """Set up compression, cache headers and the health routes on a Dash app (or a Flask app). Idempotent."""
    server: Flask = getattr(app, "server", app)
    if server.extensions.get(_EXTENSION_KEY):
        return
    config = getattr(app, "config", None)
    prefix = getattr(config, "routes_pathname_prefix", None) or "/"
    assets = (getattr(config, "assets_url_path", None) or "assets").strip("/")
    paths = _Paths(suites=f"{prefix}_dash-component-suites/", assets=f"{prefix}{assets}/")
    _configure_compression(server)
    static = _StaticCompressor(paths)
    # Flask runs after_request functions in reverse order of registration: these run before Flask-Compress
    # (registered by Dash's constructor), which then leaves the already-encoded responses alone.
    server.after_request(static)
    server.after_request(_CacheHeaders(paths))
    if os.environ.get(EXPOSE_WORKER_ENV, "").strip() in ("1", "true", "yes"):
        server.after_request(_worker_header)
    server.add_url_rule("/healthz", "mipexr_healthz", healthz)
    server.add_url_rule("/readyz", "mipexr_readyz", readyz)
    server.extensions[_EXTENSION_KEY] = static


# ---------------------------------------------------------------------------------------------
# Compression
# ---------------------------------------------------------------------------------------------

def _configure_compression(server: Flask) -> None:
    """brotli + gzip on the Flask-Compress instance Dash registered (or a new one when ``compress`` was off)."""
    from flask_compress import Compress

    server.config.update(
        COMPRESS_ALGORITHM=list(ALGORITHMS),
        COMPRESS_ALGORITHM_STREAMING=list(ALGORITHMS),
        COMPRESS_BR_LEVEL=BROTLI_LEVEL_DYNAMIC,
        COMPRESS_LEVEL=GZIP_LEVEL,
    )
    existing = [f.__self__ for f in server.after_request_funcs.get(None, [])
                if isinstance(getattr(f, "__self__", None), Compress)]
    if existing:
        # Re-read the settings without registering the after_request hook a second time.
        server.config["COMPRESS_REGISTER"] = False
        for compress in existing:
            compress.init_app(server)
        server.config["COMPRESS_REGISTER"] = True
    else:
        Compress(server)


def choose_encoding(accept_encoding: str) -> str | None:
    """The encoding of :data:`ALGORITHMS` the client accepts with the highest quality (ties: server order)."""
    best, best_q = None, 0.0
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip().lower()
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        candidates = ALGORITHMS if name == "*" else ((name,) if name in ALGORITHMS else ())
        for algo in candidates:
            if q > best_q or (q == best_q and best is not None and ALGORITHMS.index(algo) < ALGORITHMS.index(best)):
                best, best_q = algo, q
    return best if best_q > 0 else None


def compress_bytes(data: bytes, algorithm: str, static: bool = False) -> bytes:
    if algorithm == "br":
        import brotli

        return brotli.compress(data, quality=BROTLI_LEVEL_STATIC if static else BROTLI_LEVEL_DYNAMIC)
    if algorithm == "gzip":
        return gzip.compress(data, GZIP_LEVEL, mtime=0)
    raise ValueError(f"unknown encoding {algorithm!r}")


class _Paths:
    def __init__(self, suites: str, assets: str):
        self.suites = suites
        self.assets = assets

    def immutable(self) -> bool:
        """True when the URL of this request names one version of the file for good."""
        from dash.fingerprint import check_fingerprint

        path = request.path
        if path.startswith(self.suites):
            return check_fingerprint(path[len(self.suites):])[1]
        return path.startswith(self.assets) and bool(request.args.get("m"))

    def version(self, response: Response) -> str | None:
        """What identifies this response's content for the compressed cache: the URL of an immutable
        response, the ETag of an ``/assets/`` file (mtime + size) or of a bundle Dash serves without a
        fingerprint (content hash: dcc's lazily loaded chunks and plotly.js), the ETag of any other answer its
        view marked ``immutable`` (the map's ``/geo/…`` layers); None for anything else."""
        if self.immutable():
            return request.args.get("m", "")
        if request.path.startswith((self.assets, self.suites)):
            return response.get_etag()[0]
        if response.cache_control.immutable:
            return response.get_etag()[0]
        return None


class _StaticCompressor:
    """after_request: compress a static response (bundle or asset) once per (URL, version, encoding) and keep
    it (LRU, bounded); a file response is read whole instead of being streamed through the compressor."""

    def __init__(self, paths: _Paths, max_bytes: int = STATIC_CACHE_BYTES):
        self.paths = paths
        self.max_bytes = max_bytes
        self._cache: OrderedDict[tuple[str, str, str], bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def __call__(self, response: Response) -> Response:
        if request.method != "GET" or response.status_code != 200 or "Content-Encoding" in response.headers:
            return response
        if response.mimetype not in (current_app.config.get("COMPRESS_MIMETYPES") or ()):
            return response
        version = self.paths.version(response)
        if version is None:
            return response
        algorithm = choose_encoding(request.headers.get("Accept-Encoding", ""))
        if algorithm is None:
            return response
        key = (request.path, version, algorithm)
        with self._lock:
            body = self._cache.get(key)
            if body is not None:
                self._cache.move_to_end(key)
        response.direct_passthrough = False  # a file response: read (or drop) it here, never stream it
        if body is None:
            body = compress_bytes(response.get_data(), algorithm, static=True)
            self._store(key, body)
        elif callable(getattr(response.response, "close", None)):
            response.call_on_close(response.response.close)  # the unread file is closed with the response
        response.set_data(body)
        response.headers["Content-Encoding"] = algorithm
        vary = response.headers.get("Vary")
        if not vary:
            response.headers["Vary"] = "Accept-Encoding"
        elif "accept-encoding" not in vary.lower():
            response.headers["Vary"] = f"{vary}, Accept-Encoding"
        etag, weak = response.get_etag()
        if etag:
            response.set_etag(f"{etag}:{algorithm}", weak=weak)
            response.make_conditional(request)
        return response

    def _store(self, key, body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        with self._lock:
            old = self._cache.pop(key, None)
            if old is not None:
                self._size -= len(old)
            self._cache[key] = body
            self._size += len(body)
            while self._size > self.max_bytes:
                _, dropped = self._cache.popitem(last=False)
                self._size -= len(dropped)

    def cached(self) -> int:
        """Number of compressed responses held (tests)."""
        with self._lock:
            return len(self._cache)


# ---------------------------------------------------------------------------------------------
# Cache headers and worker id
# ---------------------------------------------------------------------------------------------

class _CacheHeaders:
    def __init__(self, paths: _Paths):
        self.paths = paths

    def __call__(self, response: Response) -> Response:
        if request.method not in ("GET", "HEAD") or response.status_code not in (200, 304):
            return response
        if self.paths.immutable():
            response.headers["Cache-Control"] = IMMUTABLE
        elif request.path.startswith(self.paths.assets):
            response.headers["Cache-Control"] = f"public, max-age={ASSET_MAX_AGE}"
        return response


def _worker_header(response: Response) -> Response:
    response.headers["X-Worker"] = str(os.getpid())
    return response


# ---------------------------------------------------------------------------------------------
# Health
# ---------------------------------------------------------------------------------------------

def healthz() -> Response:
    """Liveness: the process is up and answers."""
    response = jsonify(status="ok")
    response.headers["Cache-Control"] = "no-store"
    return response


def readiness_problems() -> list[str]:
    """Plain reasons why this worker should not get traffic (empty when ready). Never leaks details."""
    problems = []
    try:
        from dashboard import state

        state.current()
    except Exception:  # noqa: BLE001 - any failure means "not ready"; the log keeps the details
        log.warning("readiness: dataset not loaded", exc_info=True)
        problems.append("the dataset is not loaded")
    try:
        from sqlalchemy import text

        from dashboard.lab import db

        with db.get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001
        log.warning("readiness: Integration Lab database unreachable", exc_info=True)
        problems.append("the Integration Lab database does not answer")
    return problems


def readyz() -> Response:
    """Readiness: 200 ``ready`` when the dataset and the Lab database are usable, else 503 and why."""
    problems = readiness_problems()
    body, status = ("ready\n", 200) if not problems else ("not ready: " + "; ".join(problems) + "\n", 503)
    response = Response(body, status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response
