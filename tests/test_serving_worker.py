"""The production worker (`dashboard.serving.worker`): a socket per worker (``SO_REUSEPORT``), handed over when a
worker stops, so that replacing a worker loses no connection; the master's checks before it starts."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import signal
import socket
import threading
import time
import urllib.error
import urllib.request
from types import SimpleNamespace

import psutil
import pytest
from gunicorn.config import Config
from gunicorn.sock import TCPSocket

from dashboard.serving import gunicorn_conf
from dashboard.serving.worker import Worker, listening, restart_lock_path
from tests.serving import running_server

pytestmark = pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="no SO_REUSEPORT on this system")


def _config(**settings) -> Config:
    cfg = Config()
    for name, value in settings.items():
        cfg.set(name, value)
    return cfg


def _stopping_worker(cfg: Config, listener) -> tuple[Worker, list]:
    """A Worker as its run loop leaves it when it stops (``alive`` False), its thread pool replaced by a list."""
    worker = Worker.__new__(Worker)
    taken: list = []
    worker.cfg, worker.sockets, worker.log = cfg, [listener], logging.getLogger("test-worker")
    worker.alive, worker.nr_conns, worker._accepting = False, 0, False
    worker.ppid = os.getpid()  # the restart lock is this test process's
    worker.enqueue_req = taken.append
    return worker, taken


@pytest.fixture(autouse=True)
def _no_lock_left():
    yield
    with contextlib.suppress(OSError):
        os.unlink(restart_lock_path(os.getpid()))


def _queued_clients(address, n: int) -> list[socket.socket]:
    """``n`` connections the kernel completed and queued on the listener, none accepted yet."""
    clients = [socket.create_connection(address, timeout=5) for _ in range(n)]
    for c in clients:
        c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    return clients


def test_a_stopping_worker_takes_its_queued_connections_then_closes_its_socket():
    cfg = _config(reuse_port=True)
    listener = TCPSocket(("127.0.0.1", 0), cfg, logging.getLogger("test"))
    address = listener.getsockname()
    clients = _queued_clients(address, 3)
    try:
        worker, taken = _stopping_worker(cfg, listener)
        worker.set_accept_enabled(False)  # what gthread's run loop does when it stops
        assert len(taken) == 3 and worker.nr_conns == 3  # every queued connection goes to the thread pool
        assert {c.client for c in taken} == {c.getsockname() for c in clients}
        assert listener.sock is None  # closed: the kernel sends new connections to the other workers
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(address, timeout=5).close()
        assert worker.hand_over() == 0  # a second call finds the socket closed and does nothing
        assert worker._stop_lock is not None  # it holds the restart lock: no sibling stops before its replacement
    finally:
        if worker._stop_lock is not None:
            os.close(worker._stop_lock)
        for c in clients + [t.sock for t in taken]:
            c.close()
        listener.close()


def test_a_worker_that_only_pauses_accepting_keeps_its_socket():
    for cfg, alive in ((_config(reuse_port=True), True), (_config(reuse_port=False), False)):
        listener = TCPSocket(("127.0.0.1", 0), cfg, logging.getLogger("test"))
        clients = _queued_clients(listener.getsockname(), 1)
        try:
            worker, taken = _stopping_worker(cfg, listener)
            worker.alive = alive  # alive: a full worker (worker_connections); not reuse_port: a shared socket
            worker.set_accept_enabled(False)
            assert taken == [] and listener.sock is not None
        finally:
            for c in clients:
                c.close()
            listener.close()


def test_a_worker_due_for_replacement_waits_while_another_is_replaced():
    """``may_stop``: not while a worker's socket is missing (stopped, its replacement not listening yet), not
    while another worker holds the restart lock; then yes, keeping the lock."""
    cfg = _config(reuse_port=True, workers=2)
    log = logging.getLogger("test")
    mine = TCPSocket(("127.0.0.1", 0), cfg, log)
    port = mine.getsockname()[1]
    sibling = TCPSocket(("127.0.0.1", port), cfg, log)  # the other worker's socket (SO_REUSEPORT)
    try:
        assert listening(port) == 2
        worker, _ = _stopping_worker(cfg, mine)
        worker.alive = True
        other = os.open(restart_lock_path(os.getpid()), os.O_RDWR | os.O_CREAT)
        fcntl.flock(other, fcntl.LOCK_EX)  # another worker is being replaced
        assert worker.may_stop() is False
        os.close(other)  # it exited: the lock is free
        sibling.close()  # ... and its socket is gone
        assert listening(port) == 1
        assert worker.may_stop() is False  # its replacement does not listen yet
        sibling = TCPSocket(("127.0.0.1", port), cfg, log)  # it does
        assert worker.may_stop() is True and worker._stop_lock is not None
        assert worker.may_stop() is True  # decided: it keeps the lock until it exits
        os.close(worker._stop_lock)
        shared, _ = _stopping_worker(_config(reuse_port=False, workers=2), mine)
        shared.alive = True
        assert shared.may_stop() is True  # one shared socket: connections wait in it, nothing to coordinate
    finally:
        sibling.close()
        mine.close()


def test_the_master_refuses_an_address_in_use_and_shares_no_socket_with_one_worker():
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    address = busy.getsockname()
    try:
        server = SimpleNamespace(cfg=_config(reuse_port=True, workers=2, bind=["%s:%d" % address]),
                                 log=logging.getLogger("test"))
        with pytest.raises(RuntimeError, match=r"127\.0\.0\.1:\d+ is already in use"):
            gunicorn_conf.on_starting(server)
    finally:
        busy.close()
    gunicorn_conf.address_free(address)  # free again: no error
    server = SimpleNamespace(cfg=_config(reuse_port=True, workers=1, bind=["%s:%d" % address]),
                             log=logging.getLogger("test"))
    gunicorn_conf.on_starting(server)
    assert server.cfg.reuse_port is False  # one worker: the master's shared socket keeps connections waiting


def test_a_kept_alive_connection_ends_after_keepalive_requests(tmp_path):
    """The 100th answer on one connection says ``Connection: close`` and the server closes it; the 99 before keep it
    open. (Without the limit a connection lives as long as its client wants.)"""
    from dashboard.serving.worker import KEEPALIVE_REQUESTS

    with running_server(tmp_path, MIPEXR_WORKERS="2") as (base, _):
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as conn:
            reader = conn.makefile("rb")
            for n in range(1, KEEPALIVE_REQUESTS + 1):
                conn.sendall(f"GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
                head = []
                while (line := reader.readline()) not in (b"\r\n", b""):
                    head.append(line.decode("latin-1").strip().lower())
                assert head and head[0].startswith("http/1.1 200"), (n, head)
                length = next(int(h.split(":", 1)[1]) for h in head if h.startswith("content-length:"))
                reader.read(length)
                assert ("connection: close" in head) == (n == KEEPALIVE_REQUESTS), (n, head)
            assert reader.read(1) == b""  # closed by the server


def test_workers_replaced_after_max_requests_one_at_a_time(tmp_path):
    """Two workers replaced every ~40 requests (``max_requests``) while 8 clients send requests on new connections
    for 8 s: with even loads both reach the limit together; one waits until the other's replacement listens, so a
    socket always listens (without this, 82,758 requests were refused or reset in such a run)."""
    failures: list[str] = []
    answered: list[int] = []
    with running_server(tmp_path, MIPEXR_WORKERS="2", MIPEXR_MAX_REQUESTS="40", MIPEXR_EXPOSE_WORKER="1") as (base, _):
        until = time.time() + 8

        def client() -> None:
            while time.time() < until:
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=30) as resp:
                        answered.append(int(resp.headers["X-Worker"]))
                except (OSError, urllib.error.URLError) as exc:
                    failures.append(repr(exc))

        threads = [threading.Thread(target=client) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    replaced = len(set(answered)) - 2
    assert replaced >= 3, replaced  # workers were replaced several times meanwhile
    # the microseconds between a stopping worker's last accept and its close (dashboard/serving/worker.py) may cost
    # a connection now and then, not more
    assert len(failures) <= (0 if _migrates() else replaced), (len(failures), replaced, failures[:3])


def _migrates() -> bool:
    """Linux moves the connections queued on a closing socket to another one of the group
    (``net.ipv4.tcp_migrate_req``, Linux 5.14+)."""
    try:
        with open("/proc/sys/net/ipv4/tcp_migrate_req") as f:
            return f.read().strip() == "1"
    except OSError:
        return False


def test_a_stopping_worker_closes_its_socket_while_it_finishes_its_requests(tmp_path):
    """A worker told to stop (SIGTERM: the same graceful stop as after ``max_requests``) while one of its requests is
    still arriving (half its headers sent) stays alive to finish it, but its socket closes at once: only the other
    worker's socket listens, and every new request is answered by the other worker. Without the hand-over the
    stopping worker's socket kept listening, unpolled, until the worker exited, and the connections the kernel put
    there waited for nothing and were reset. (This replaces a count of resets under load, which a busy machine
    blurred: 0-7 with the hand-over, 16-28 without.)"""
    with running_server(tmp_path, MIPEXR_WORKERS="2", MIPEXR_EXPOSE_WORKER="1") as (base, proc):
        host, port = base.removeprefix("http://").split(":")
        port = int(port)
        victim = min(c.pid for c in psutil.Process(proc.pid).children())
        held = None
        for _ in range(200):  # a kept-alive connection to the victim (the kernel places connections by hash)
            conn = socket.create_connection((host, port), timeout=10)
            conn.sendall(f"GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            head = conn.recv(65536).decode("latin-1").lower()
            if f"x-worker: {victim}" in head:
                held = conn
                break
            conn.close()
        assert held is not None, "no connection reached the chosen worker"
        try:
            held.sendall(f"GET /healthz HTTP/1.1\r\nHost: {host}\r\n".encode())  # half a request: it waits
            time.sleep(0.3)
            os.kill(victim, signal.SIGTERM)
            deadline = time.time() + 10
            while listening(port) != 1:
                assert time.time() < deadline, f"{listening(port)} sockets still listen on {port}"
                time.sleep(0.05)
            assert psutil.pid_exists(victim) and psutil.Process(victim).status() != psutil.STATUS_ZOMBIE
            answered = set()
            for _ in range(40):  # new connections: none may land on the stopping worker's socket
                with urllib.request.urlopen(base + "/healthz", timeout=5) as resp:
                    answered.add(int(resp.headers["X-Worker"]))
            assert victim not in answered and len(answered) == 1
            assert psutil.Process(victim).status() != psutil.STATUS_ZOMBIE  # still finishing meanwhile
        finally:
            held.close()
