"""The serving layer in one process: compression, cache headers, health routes, gunicorn settings, CLI flags."""

from __future__ import annotations

import gzip
import importlib
import re

import brotli
import pytest

from dashboard.serving import http


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MIPEXR_VAR_DIR", str(tmp_path_factory.mktemp("http-var")))
        mp.delenv("MIPEXR_DB_URL", raising=False)
        mp.setenv(http.EXPOSE_WORKER_ENV, "1")
        from dashboard.app import create_app

        app = create_app()
        yield app.server.test_client()


@pytest.mark.parametrize("accept, expected", [
    ("gzip, deflate, br, zstd", "br"),
    ("gzip", "gzip"),
    ("br;q=0.5, gzip", "gzip"),
    ("*", "br"),
    ("identity", None),
    ("", None),
    ("br;q=0, gzip;q=0", None),
    ("gzip;q=bad, br", "br"),
])
def test_choose_encoding(accept, expected):
    assert http.choose_encoding(accept) == expected


def test_index_and_callbacks_compressed(client):
    plain = client.get("/")
    assert plain.headers.get("Content-Encoding") is None
    for accept, decode in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        r = client.get("/", headers={"Accept-Encoding": accept})
        assert r.headers["Content-Encoding"] == accept and b"MIPEX-R Explorer" in decode(r.data)
        deps = client.get("/_dash-dependencies", headers={"Accept-Encoding": accept})
        assert deps.headers["Content-Encoding"] == accept and decode(deps.data).startswith(b"[")


def test_bundles_and_assets_cache_headers_and_compressed_once(client):
    html = client.get("/").get_data(as_text=True)
    bundle = re.findall(r'src="(/_dash-component-suites/[^"]+\.v[\w-]+m[0-9a-f]+\.[^"]+)"', html)[0]
    compressor = client.application.extensions["mipexr_serving"]
    before = compressor.cached()
    first = client.get(bundle, headers={"Accept-Encoding": "br"})
    again = client.get(bundle, headers={"Accept-Encoding": "br"})
    assert first.headers["Cache-Control"] == http.IMMUTABLE == again.headers["Cache-Control"]
    assert first.headers["Content-Encoding"] == "br" and first.data == again.data
    assert compressor.cached() in (before, before + 1)  # once per (URL, encoding); warm-ups may have filled it
    gz = client.get(bundle, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.data) == brotli.decompress(first.data)
    plain = client.get(bundle)
    assert plain.headers.get("Content-Encoding") is None and plain.data == brotli.decompress(first.data)

    css = re.findall(r'href="(/assets/[^"?]+)\?m=([^"]+)"', html)[0]
    versioned = client.get(f"{css[0]}?m={css[1]}", headers={"Accept-Encoding": "gzip"})
    assert versioned.headers["Cache-Control"] == http.IMMUTABLE and versioned.headers["Content-Encoding"] == "gzip"
    unversioned = client.get(css[0], headers={"Accept-Encoding": "br"})
    assert unversioned.headers["Cache-Control"] == f"public, max-age={http.ASSET_MAX_AGE}"
    assert unversioned.headers["Content-Encoding"] == "br"
    assert brotli.decompress(unversioned.data) == gzip.decompress(versioned.data)
    # revalidation with the compressed ETag answers 304
    etag = unversioned.headers["ETag"]
    assert etag.endswith(':br"')
    assert client.get(css[0], headers={"Accept-Encoding": "br", "If-None-Match": etag}).status_code == 304


def test_worker_header_only_when_asked(client, monkeypatch):
    assert client.get("/healthz").headers["X-Worker"].isdigit()
    from flask import Flask

    plain = Flask("plain")
    monkeypatch.delenv(http.EXPOSE_WORKER_ENV, raising=False)
    http.init_app(plain)
    http.init_app(plain)  # idempotent
    r = plain.test_client().get("/healthz", headers={"Accept-Encoding": "br"})
    assert r.status_code == 200 and "X-Worker" not in r.headers and r.get_json() == {"status": "ok"}


def test_health_and_ready(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.get_json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200 and r.data == b"ready\n" and r.headers["Cache-Control"] == "no-store"


def test_not_ready_when_dataset_missing(client, monkeypatch):
    from dashboard import state

    def broken():
        raise RuntimeError("/secret/path/datapackage.json is unreadable")

    monkeypatch.setattr(state, "current", broken)
    r = client.get("/readyz")
    assert r.status_code == 503 and r.mimetype == "text/plain"
    assert r.data == b"not ready: the dataset is not loaded\n"


def test_not_ready_when_lab_database_does_not_answer(monkeypatch, tmp_path):
    """A database that refuses connections: the app starts, /readyz says 503 without the URL or password."""
    monkeypatch.setenv("MIPEXR_DB_URL", "postgresql://lab:s3cret-pw@127.0.0.1:1/lab")
    from dashboard.app import create_app
    from dashboard.lab import db

    try:
        r = create_app().server.test_client().get("/readyz")
    finally:
        db.dispose_engines()
    text = r.get_data(as_text=True)
    assert r.status_code == 503 and text == "not ready: the Integration Lab database does not answer\n"
    assert "s3cret" not in text and "127.0.0.1" not in text


def test_default_workers_formula():
    from dashboard.serving import gunicorn_conf as conf

    assert conf.default_workers(cores=2, mem_mb=24 * 1024) == 2  # one per core
    assert conf.default_workers(cores=6, mem_mb=24 * 1024) == 6
    assert conf.default_workers(cores=1, mem_mb=None) == 2  # at least two: one answers while the other is replaced
    assert conf.default_workers(cores=8, mem_mb=2048) == 3  # memory-bound: 1 GB budget / 300 MB
    assert conf.default_workers(cores=4, mem_mb=256) == 1
    assert conf.default_workers(cores=64, mem_mb=10**6) == conf.MAX_WORKERS
    assert conf.cpu_count() >= 1
    assert conf.bind_address("127.0.0.1", 80) == "127.0.0.1:80" and conf.bind_address("::1", 80) == "[::1]:80"


def test_gunicorn_settings(monkeypatch):
    from dashboard.serving import gunicorn_conf, runner

    monkeypatch.setenv("MIPEXR_WORKERS", "3")
    monkeypatch.setenv("MIPEXR_MAX_REQUESTS", "500")
    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    try:
        importlib.reload(gunicorn_conf)
        cfg = runner.settings()
        assert cfg["bind"] == ["127.0.0.1:8050"] and cfg["workers"] == 3
        assert cfg["preload_app"] is True and cfg["worker_class"] == "dashboard.serving.worker.Worker"
        assert cfg["reuse_port"] is True and cfg["threads"] == 4
        assert cfg["max_requests"] == 500 and cfg["max_requests_jitter"] == 50
        assert cfg["timeout"] > 30 and cfg["graceful_timeout"] > 0 and cfg["control_socket_disable"] is True
        cfg = runner.settings({"bind": ["127.0.0.1:9999"], "workers": 2})
        assert cfg["bind"] == ["127.0.0.1:9999"] and cfg["workers"] == 2
        monkeypatch.setenv("MIPEXR_REUSE_PORT", "0")
        importlib.reload(gunicorn_conf)
        assert runner.settings()["reuse_port"] is False
        monkeypatch.setenv("MIPEXR_REUSE_PORT", "maybe")
        with pytest.raises(ValueError, match="MIPEXR_REUSE_PORT must be 1 or 0"):
            importlib.reload(gunicorn_conf)
        monkeypatch.delenv("MIPEXR_REUSE_PORT")
        monkeypatch.setenv("MIPEXR_WORKERS", "many")
        with pytest.raises(ValueError, match="MIPEXR_WORKERS must be a whole number"):
            importlib.reload(gunicorn_conf)
    finally:
        monkeypatch.delenv("MIPEXR_WORKERS")
        monkeypatch.delenv("MIPEXR_REUSE_PORT", raising=False)
        monkeypatch.delenv("MIPEXR_MAX_REQUESTS")
        importlib.reload(gunicorn_conf)


def test_serve_flags():
    from dashboard.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["serve"]).dev is False
    assert parser.parse_args(["serve", "--dev"]).dev is True
    assert parser.parse_args(["serve", "--debug"]).dev is True
    assert parser.parse_args(["serve", "--workers", "4"]).workers == 4
    for bad in (["serve", "--workers", "0"], ["serve", "--port", "70000"]):
        with pytest.raises(SystemExit):
            parser.parse_args(bad)


def test_export_prewarm_moves_from_master_to_workers(monkeypatch):
    """MIPEXR_EXPORT_PREWARM is taken out of the environment before the app is preloaded (a browser thread
    started in the master would not survive the fork) and honoured in each worker after the fork."""
    import logging
    import os
    import threading

    from dashboard.export import browser as export
    from dashboard.serving import gunicorn_conf

    calls = []
    monkeypatch.setattr(export, "warm_up", lambda: calls.append(threading.current_thread().name) or True)
    monkeypatch.setenv("MIPEXR_EXPORT_PREWARM", "1")
    try:
        importlib.reload(gunicorn_conf)
        assert gunicorn_conf.EXPORT_PREWARM is True and "MIPEXR_EXPORT_PREWARM" not in os.environ

        class FakeServer:
            log = logging.getLogger("test")

        before = set(threading.enumerate())
        gunicorn_conf.post_fork(FakeServer(), None)
        for thread in set(threading.enumerate()) - before:
            thread.join(10)
        assert calls == ["mipexr-export-prewarm"]
    finally:
        monkeypatch.delenv("MIPEXR_EXPORT_PREWARM", raising=False)
        importlib.reload(gunicorn_conf)
    assert gunicorn_conf.EXPORT_PREWARM is False
    calls.clear()
    gunicorn_conf.post_fork(FakeServer(), None)
    assert calls == []
