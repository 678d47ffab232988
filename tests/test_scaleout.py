"""Scale-out on Redis and Celery (``MIPEXR_REDIS_URL``), against a real ``redis-server`` and a real Celery
worker process (``celery -A dashboard.worker worker``) on loopback.

Two Flask apps with the export routes stand for two web servers on two machines. Checked: an image asked of
the first is made by the Celery worker (not by a Chromium of the web process) and answered; the second gets
the same file from the shared Redis cache without a second job; a PDF brief the same way; with no worker on
the queue the answer is a plain 503 after the configured wait; with Redis unreachable a plain 503 within
seconds (the cache then misses), while CSV downloads still work.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import redis
from flask import Flask

from dashboard import config
from dashboard.export import browser as chromium
from dashboard.export import pool as render_pool
from dashboard.routes import export as export_routes
from dashboard.worker import client as worker_client

pytestmark = pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"), reason="needs Debian's chromium")

CHART = "/export/chart.svg?chart=radar&region=PT20&axis=phase"


def _flush(url: str) -> None:
    redis.Redis.from_url(url).flushdb()


@pytest.fixture(scope="module")
def worker(redis_server, tmp_path_factory):
    """A Celery worker process on ``redis_server`` (its own var folder; the embedded data); its log file."""
    var = tmp_path_factory.mktemp("celery-var")
    log = var / "worker.log"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(var), "MIPEXR_VAR_DIR": str(var), "MIPEXR_REDIS_URL": redis_server,
           "PYTHONPATH": str(config.PROJECT_ROOT)}
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "dashboard.worker", "worker",
                                 "--queues", "mipexr-exports", "--pool", "threads", "--concurrency", "1",
                                 "--loglevel", "INFO", "--hostname", "test-exports@%h", "--without-gossip",
                                 "--without-mingle", "--without-heartbeat"],
                                cwd=config.PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while "ready." not in log.read_text():
            if proc.poll() is not None or time.time() > deadline:
                raise AssertionError(f"the Celery worker did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield log
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert "Traceback" not in log.read_text(), log.read_text()[-3000:]


def _web(monkeypatch, url: str | None, **env):
    """A fresh web server (Flask app with the export routes) configured with ``MIPEXR_REDIS_URL=url``."""
    if url:
        monkeypatch.setenv("MIPEXR_REDIS_URL", url)
    else:
        monkeypatch.delenv("MIPEXR_REDIS_URL", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    server = Flask(__name__)
    export_routes.init_app(server)
    return server.test_client()


def _jobs_done(log, at_least: int = 0) -> int:
    """Jobs the worker logged as done, waiting up to 10 s for ``at_least`` (it logs a job after storing its
    result, so the web side may have the file a moment before the line is written)."""
    deadline = time.time() + 10
    while True:
        done = log.read_text().count("succeeded in")
        if done >= at_least or time.time() > deadline:
            return done
        time.sleep(0.1)


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.setattr(render_pool, "_pool", render_pool.RenderPool(workers=1, queue=1, wait=30))
    monkeypatch.setattr(export_routes, "_waiting", None)
    yield
    monkeypatch.delenv("MIPEXR_REDIS_URL", raising=False)
    export_routes.init_app(Flask("reset"))  # back to this process's own cache


def test_images_and_briefs_are_made_by_the_worker_and_shared_through_redis(monkeypatch, redis_server, worker):
    _flush(redis_server)
    browser = chromium.get_browser()
    starts = browser.starts
    before = _jobs_done(worker)
    first = _web(monkeypatch, redis_server)
    assert worker_client.enabled() and type(export_routes.cache).__name__ == "SharedExportCache"
    r = first.get(CHART)
    assert r.status_code == 200, r.data[:300]
    assert r.data.lstrip().startswith(b"<svg") and b"Azores" in r.data and b"llustrative" in r.data
    assert _jobs_done(worker, before + 1) == before + 1, "the worker made the image"
    assert browser.starts == starts, "no Chromium was started in the web process"

    second = _web(monkeypatch, redis_server)  # another machine: a new cache object on the same Redis
    r2 = second.get(CHART + "&bust=7")
    assert r2.status_code == 200 and r2.data == r.data
    assert export_routes.cache.hits == 1 and _jobs_done(worker) == before + 1, "from the shared cache, no new job"

    pdf = second.get("/brief/PT20.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF"), pdf.data[:300]
    assert _jobs_done(worker, before + 2) == before + 2 and browser.starts == starts


def test_no_worker_on_the_queue_is_a_plain_503_after_the_wait(monkeypatch, redis_server, worker):
    empty = redis_server.rsplit("/", 1)[0] + "/5"  # a Redis database no worker listens on
    _flush(empty)
    client = _web(monkeypatch, empty, MIPEXR_EXPORT_WAIT="2")
    started = time.monotonic()
    r = client.get(CHART)
    assert r.status_code == 503 and r.headers["Retry-After"]
    assert r.get_data(as_text=True) == export_routes.TIMEOUT_TEXT + "\n"
    assert time.monotonic() - started < 15


def test_redis_unreachable_is_a_plain_503_within_seconds(monkeypatch):
    from tests.redis_server import free_port

    client = _web(monkeypatch, f"redis://127.0.0.1:{free_port()}/0", MIPEXR_EXPORT_WAIT="5")
    started = time.monotonic()
    r = client.get(CHART)
    assert r.status_code == 503 and r.get_data(as_text=True) == export_routes.FAILED_TEXT + "\n"
    assert time.monotonic() - started < 20
    # CSV needs neither Redis nor a worker
    assert client.get("/export/data.csv?view=scores").status_code == 200
