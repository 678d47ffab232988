"""The Watcher: cached per process, refreshed every few seconds, safe with threads, after fork, and with
several worker processes that all switch to a newly published version without a restart."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dashboard.datasets import (
    Published,
    StoreUnavailable,
    Watcher,
    publish,
    save_version,
)
from dashboard.datasets import watcher as watcher_module

from .conftest import validate

pytestmark = pytest.mark.timeout(120)
PROJECT = Path(__file__).resolve().parents[2]


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_answers_from_cache_within_the_poll_interval(sqlite_store, package, monkeypatch):
    calls = []
    real = watcher_module.published

    def counting(*, url=None):
        calls.append(url)
        return real(url=url)

    monkeypatch.setattr(watcher_module, "published", counting)
    clock = FakeClock()
    w = Watcher(sqlite_store, poll=2.0, clock=clock)
    assert w.current() == (None, 0) and len(calls) == 1
    v = save_version(package, validate=validate, created_by="x", url=sqlite_store)
    publish(v.id, by="x", url=sqlite_store)
    clock.now += 1.9
    assert w.current_generation() == 0 and len(calls) == 1  # cached: no query
    clock.now += 0.2
    assert w.current() == (v.id, 1) and w.current_version() == v.id and len(calls) == 2
    w.invalidate()
    assert w.current_generation() == 1 and len(calls) == 3


def test_poll_interval_from_the_environment(monkeypatch):
    monkeypatch.delenv("MIPEXR_DATASET_POLL_SECONDS", raising=False)
    assert watcher_module.poll_seconds() == 2.0
    for raw, expected in (("0.5", 0.5), ("0", 0.0), ("-3", 0.0), ("1e9", 3600.0), ("soon", 2.0), ("nan", 2.0)):
        monkeypatch.setenv("MIPEXR_DATASET_POLL_SECONDS", raw)
        assert watcher_module.poll_seconds() == expected
    assert Watcher(poll=None).poll == 2.0


def test_database_down_keeps_the_last_value_and_says_why(sqlite_store, monkeypatch):
    clock = FakeClock()
    w = Watcher(sqlite_store, poll=1.0, clock=clock)
    assert w.current() == (None, 0)

    def down(*, url=None):
        raise StoreUnavailable("the dataset store is unavailable (test)")

    monkeypatch.setattr(watcher_module, "published", down)
    clock.now += 5
    assert w.current() == (None, 0) and "unavailable" in w.last_error
    fresh = Watcher(sqlite_store, poll=1.0, clock=clock)
    with pytest.raises(StoreUnavailable):  # nothing known yet: the caller shows the embedded data
        fresh.current()


def test_threads_share_one_watcher(sqlite_store, monkeypatch):
    calls = []
    gate = threading.Event()

    def slow(*, url=None):
        calls.append(1)
        gate.wait(5)
        return Published(None, 0)

    w = Watcher(sqlite_store, poll=0.0)
    w._value, w._value_url, w._checked_at = Published(None, 0), watcher_module.db.resolve_url(sqlite_store), 0.0
    monkeypatch.setattr(watcher_module, "published", slow)
    results = []
    threads = [threading.Thread(target=lambda: results.append(w.current())) for _ in range(8)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    gate.set()
    for t in threads:
        t.join(10)
    assert len(results) == 8 and set(results) == {(None, 0)}
    assert len(calls) == 1  # one thread refreshed; the others answered the known value without waiting


def _start_worker(url: str, mode: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(Path(__file__).with_name("worker_probe.py")), url, mode, "20"],
                            cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_two_worker_processes_switch_to_a_new_publication_within_seconds(backend, request, package):
    url = request.getfixturevalue("sqlite_store" if backend == "sqlite" else "pg_store")
    version = save_version(package, validate=validate, created_by="x", url=url)
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "MIPEXR_DATASET_POLL_SECONDS": "1"}
    workers = [_start_worker(url, "plain", env), _start_worker(url, "fork", env)]
    try:
        for w in workers:
            line = w.stdout.readline().strip()
            assert line == "ready 0", (line, w.stderr.read() if w.poll() is not None else "")
        published_at = time.time()
        publish(version.id, by="test", url=url)
        for w in workers:
            out, err = w.communicate(timeout=30)
            assert w.returncode == 0, (out, err)
            word, vid, generation, seen_at = out.split()
            assert (word, int(vid), int(generation)) == ("switched", version.id, 1)
            assert float(seen_at) - published_at < 5.0  # within a few seconds, no restart
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
                w.wait()
