"""A worker killed mid-request (production mode, 2 gunicorn workers, export browsers pre-warmed).

While Integration Lab submissions and PDF briefs are in flight, every worker process is sent SIGKILL (what
the kernel's out-of-memory killer does). The submissions come from many client addresses behind one
trusted proxy, so that the rate limits do not refuse them. Checked: every request ends (an answer or a
dropped connection, never a hang); no acknowledged submission is lost; the master starts new workers and
they answer; the killed workers' Chromium processes and export temp folders do not outlive them (the
master's ``child_exit`` removes them); a SIGTERM afterwards still ends the server cleanly with nothing left
in the temp folder.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import sqlite3
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest

from tests.lab.helpers import valid_submission
from tests.serving import get, running_server

pytestmark = pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"), reason="needs Debian's chromium")


def _workers(proc) -> list[psutil.Process]:
    """gunicorn's live workers (the master's children; a killed worker not yet reaped is a zombie)."""
    alive = []
    for p in psutil.Process(proc.pid).children():
        try:
            if p.status() != psutil.STATUS_ZOMBIE:
                alive.append(p)
        except psutil.NoSuchProcess:
            pass
    return alive


def _export_folders(tmp) -> dict[int, list]:
    folders: dict[int, list] = {}
    for path in tmp.glob("mipexr-export-*"):
        folders.setdefault(int(path.name.split("-")[2]), []).append(path)
    return folders


def _chromium_of(pids: set[int]) -> list[psutil.Process]:
    """Live Chromium processes started by the workers ``pids`` (their profile is in the worker's folder)."""
    found = []
    for p in psutil.process_iter(["cmdline", "status"]):
        try:
            cmd = " ".join(p.info["cmdline"] or [])
        except psutil.Error:
            continue
        if p.info["status"] != psutil.STATUS_ZOMBIE and any(f"mipexr-export-{pid}-" in cmd for pid in pids):
            found.append(p)
    return found


def _until(condition, within: float, what: str):
    deadline = time.time() + within
    while True:
        value = condition()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError(f"not within {within:.0f} s: {what}")  # the server's output: var/server.log
        time.sleep(0.2)


def _client(n: int) -> dict:
    """Headers of submission ``n``, from its own client address behind the one trusted proxy (the rate
    limits count per client: one address would be throttled after a few submissions)."""
    return {"Content-Type": "application/json", "X-Forwarded-For": f"10.0.{n // 250}.{n % 250 + 1}"}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    var = tmp_path_factory.mktemp("faults-var")
    tmp = tmp_path_factory.mktemp("faults-tmp")
    with running_server(var, MIPEXR_WORKERS="2", MIPEXR_EXPOSE_WORKER="1", MIPEXR_EXPORT_PREWARM="1",
                        MIPEXR_TRUSTED_PROXIES="1", TMPDIR=str(tmp)) as (base, proc):
        yield base, proc, var, tmp
    assert not list(tmp.glob("mipexr-export-*")), "export folders left after SIGTERM"


def test_workers_killed_mid_request(served):
    base, proc, var, tmp = served
    old = _until(lambda: {p.pid for p in _workers(proc)} if len(_workers(proc)) == 2 else None, 60, "two workers")
    # both workers have started their export browser (pre-warm) before the kill
    _until(lambda: len(_chromium_of(old)) and set(_export_folders(tmp)) >= old, 90, "export browsers started")

    acknowledged: list[int] = []
    outcomes: list[str] = []
    lock = threading.Lock()
    killed = threading.Event()

    def submit(n: int) -> None:
        data = json.dumps(valid_submission(title=f"Practice {n} submitted while workers are killed")).encode()
        try:
            status, _, body = get(base + "/lab/api/practices", _client(n), data, timeout=60)
        except (OSError, http.client.HTTPException) as exc:  # the worker died with the request: the connection drops
            with lock:
                outcomes.append(f"dropped: {type(exc).__name__}")
            return
        with lock:
            outcomes.append(str(status))
            if status == 201:
                acknowledged.append(json.loads(body)["id"])

    def brief() -> None:
        try:
            status, _, body = get(base + "/brief/PT20.pdf", timeout=90)
            with lock:
                outcomes.append(f"brief {status}")
        except (OSError, http.client.HTTPException) as exc:
            with lock:
                outcomes.append(f"brief dropped: {type(exc).__name__}")

    started = time.time()
    with ThreadPoolExecutor(max_workers=6) as pool:
        futures = [pool.submit(brief), pool.submit(brief)]
        futures += [pool.submit(submit, n) for n in range(40)]
        time.sleep(0.8)  # submissions and the briefs are under way
        for pid in old:
            os.kill(pid, signal.SIGKILL)
        killed.set()
        for f in futures:
            f.result(timeout=120)  # every request ends: an answer or a dropped connection, never a hang
    assert time.time() - started < 120
    assert any("dropped" in o for o in outcomes), outcomes  # some requests died with their worker
    answers = ("201", "brief 200", "brief 503")
    assert all(o in answers or "dropped" in o for o in outcomes), outcomes

    # the master replaced both workers, and the new ones answer
    new = _until(lambda: {p.pid for p in _workers(proc)} - old if len(_workers(proc)) == 2 and
                 not ({p.pid for p in _workers(proc)} & old) else None, 60, "two new workers")
    assert len(new) == 2
    status, headers, _ = get(base + "/healthz")
    assert status == 200 and int(headers["X-Worker"]) in new

    # nothing acknowledged was lost: every 201 is in the database (read directly, not through the app)
    with sqlite3.connect(var / "lab.sqlite3") as db:
        stored = {row[0] for row in db.execute("select id from lab_practice")}
    assert set(acknowledged) <= stored, sorted(set(acknowledged) - stored)

    # the killed workers' Chromium did not outlive them, and their export folders were removed
    _until(lambda: not _chromium_of(old), 20, f"no Chromium of the killed workers: {_chromium_of(old)}")
    _until(lambda: not (set(_export_folders(tmp)) & old), 20,
           f"export folders of the killed workers removed\n{(var / 'server.log').read_text()[-3000:]}")

    # and the service works again: a submission is stored, a brief renders
    data = json.dumps(valid_submission(title="Practice submitted after the workers came back")).encode()
    status, _, body = get(base + "/lab/api/practices", _client(1000), data)
    assert status == 201, body[:300]
    status, headers, body = get(base + "/brief/PT20.pdf", timeout=90)
    assert status == 200 and body.startswith(b"%PDF"), (status, body[:300])


def test_remove_folders_of_stops_what_uses_the_folder_and_removes_it(tmp_path):
    """The master's clean-up, without a server: a folder of a process that is gone (with a process still
    using it) and one of a live process; ``pid=None`` removes only the first."""
    import subprocess

    from dashboard.export.browser import TMP_PREFIX
    from dashboard.export.cleanup import remove_folders_of

    gone = subprocess.Popen(["true"])
    gone.wait()
    dead_folder = tmp_path / f"{TMP_PREFIX}{gone.pid}-abc"
    (dead_folder / "chromium").mkdir(parents=True)
    (dead_folder / "chromium" / "Preferences").write_text("{}")
    user = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", str(dead_folder / "chromium")])
    time.sleep(0.3)  # the process exists with its command line naming the folder
    live_folder = tmp_path / f"{TMP_PREFIX}{os.getpid()}-def"
    live_folder.mkdir()
    try:
        assert remove_folders_of(None, tmp_root=tmp_path) == [dead_folder]
        assert user.wait(timeout=10) == -signal.SIGKILL
        assert not dead_folder.exists() and live_folder.exists()
        assert remove_folders_of(os.getpid(), tmp_root=tmp_path) == [live_folder] and not live_folder.exists()
    finally:
        user.kill()
