"""The gunicorn worker of production mode: gunicorn's ``gthread`` worker, which, when each worker listens on a
socket of its own (``reuse_port``, :mod:`dashboard.serving.gunicorn_conf`), hands over its socket before it stops
and is replaced only when no other worker is, and which ends a kept-alive connection after
:data:`KEEPALIVE_REQUESTS` requests.

Why a socket per worker: with one listening socket shared by every worker, whichever worker wakes first
accepts a new connection, however busy its threads are, and keeps that client as long as it stays connected
(keep-alive). Clients that connect together then pile up on one worker (39 of 50 on one worker of 5 was seen):
one process, held to one core by Python's GIL, serves them while other workers idle — their requests wait
1-2 s. With ``SO_REUSEPORT`` every worker binds the address itself and the kernel spreads new connections
evenly over the workers' sockets (by a hash of each connection's addresses and ports).

What a socket of its own costs: connections the kernel has queued on a worker's socket are reset when that
socket closes. A worker stopping gracefully (replaced after ``max_requests``, a reload, shutdown) keeps its
socket open while it finishes its requests, so connections keep arriving there for nothing. This worker
therefore, as soon as it stops accepting because it is stopping, takes every connection already queued on its
sockets (it answers them, with ``Connection: close``) and closes the sockets at once: the kernel sends new
connections to the other workers from then on. What is left is a window of microseconds between the last
``accept`` and ``close``; on Linux 5.14 and later, ``sysctl net.ipv4.tcp_migrate_req=1`` closes it too (the
kernel moves such connections to another worker's socket). A worker killed outright (timeout, out of memory)
loses what was queued on its socket, as any process would.

Why connections end after a number of requests (as Apache's ``MaxKeepAliveRequests``, 100, or nginx's
``keepalive_requests``): the kernel places a connection once, when it opens. When a worker is replaced, its
clients reconnect to the others, and the new worker gets only connections opened after it started: clients that
stay connected (a busy proxy, a script) would keep one worker crowded and the other idle for good (measured: page
views fell from ~500 to ~250 per second after such a replacement, one core idle). Ending each connection after
100 requests (with ``Connection: close``, so the client knows before it sends another) lets the kernel place it
again; it costs one new connection per 100 requests.

One worker replaced at a time: when every worker has its own socket and all of them stop together, no socket
listens until a replacement has started, and connections are refused (two workers with even loads reach
``max_requests`` within a second or two of each other). A worker due for replacement therefore first checks that
every worker's socket listens (``/proc/net/tcp``: a replacement forked but not listening yet does not count) and
takes a lock file shared by the server's workers (:func:`restart_lock_path`), held until it exits; if a socket is
missing or the lock is taken, it serves up to :data:`POSTPONE_REQUESTS` more and asks again. It counts its
requests against ``max_requests`` itself (gunicorn's own check would stop it regardless). A worker stopping for
another reason (a signal) takes the lock too, when it is free. Measured (tests/test_serving_worker.py): two workers
replaced every ~40 requests under 8 clients, 82,758 refused or reset requests in 8 s without this, none with it.
"""

from __future__ import annotations

import fcntl
import os
import sys
import tempfile
import threading

from gunicorn.workers.gthread import TConn, ThreadWorker

#: A kept-alive connection is closed after this many requests (``Connection: close`` on the last answer).
KEEPALIVE_REQUESTS = 100

#: A worker due for replacement (``max_requests``) while another worker is being replaced serves this many
#: requests more before it asks again (a tenth of ``max_requests`` when that is fewer).
POSTPONE_REQUESTS = 200

#: At most this many queued connections are taken over by a stopping worker (bounded work; the kernel's
#: backlog is smaller).
MAX_HANDOVER = 4096


def restart_lock_path(master_pid: int) -> str:
    """The lock file the workers of the server whose master is ``master_pid`` take, one at a time, to stop."""
    folder = "/dev/shm" if os.access("/dev/shm", os.W_OK) else tempfile.gettempdir()
    return os.path.join(folder, f"mipexr-restart-{master_pid}.lock")


def listening(port: int, ipv6: bool = False) -> int | None:
    """How many sockets listen on TCP ``port`` (``/proc/net/tcp`` or ``tcp6``: with a socket per worker, one per
    worker that accepts connections), or None when ``/proc`` cannot tell."""
    try:
        with open("/proc/net/tcp6" if ipv6 else "/proc/net/tcp") as f:
            lines = f.read().splitlines()[1:]
    except OSError:
        return None
    wanted = f":{port:04X}"
    count = 0
    for line in lines:
        fields = line.split()
        count += len(fields) > 3 and fields[1].endswith(wanted) and fields[3] == "0A"  # 0A: LISTEN
    return count


class Worker(ThreadWorker):
    """``gthread`` that closes its own listening sockets as soon as it stops accepting to stop, and ends a
    kept-alive connection after :data:`KEEPALIVE_REQUESTS` requests (see the module)."""

    _stop_lock: int | None = None  # the restart lock's descriptor, once this worker holds it (until it exits)
    _deciding = threading.Lock()

    def init_process(self):
        # this worker counts requests against max_requests itself (handle_request), not gunicorn's check
        self.requests_limit, self.requests_served = self.max_requests, 0
        self.max_requests = sys.maxsize
        super().init_process()

    def handle_request(self, req, conn):
        with self._deciding:
            self.requests_served += 1
            if self.alive and self.requests_served >= self.requests_limit:
                if self._may_stop():
                    self.log.info("Autorestarting worker after current request.")
                    self.alive = False  # as gunicorn's own max_requests: this answer closes, the loop ends
                else:  # another worker is being replaced: ask again later
                    later = min(POSTPONE_REQUESTS, max(1, self.cfg.max_requests // 10))
                    self.requests_limit = self.requests_served + later
        served = getattr(conn, "mx_requests", 0) + 1
        conn.mx_requests = served
        if served >= KEEPALIVE_REQUESTS:
            req.must_close = True  # the answer says "Connection: close", then the connection ends
        return super().handle_request(req, conn)

    def may_stop(self) -> bool:
        """Whether this worker may stop now to be replaced: no other worker is being replaced (every worker's socket
        listens, and this worker got the restart lock, which it then keeps). Always with a shared socket."""
        with self._deciding:
            return self._may_stop()

    def _may_stop(self) -> bool:
        if not self.cfg.reuse_port or self._stop_lock is not None:
            return True
        for listener in self.sockets:
            address = listener.getsockname()
            if isinstance(address, tuple):
                count = listening(address[1], ipv6=":" in address[0])
                if count is not None and count < self.cfg.workers:
                    return False  # a worker has stopped and its replacement does not listen yet
        return self._take_stop_lock()

    def _take_stop_lock(self) -> bool:
        fd = os.open(restart_lock_path(self.ppid), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._stop_lock = fd
        return True

    def set_accept_enabled(self, enabled: bool) -> None:
        super().set_accept_enabled(enabled)
        if not enabled and not self.alive and self.cfg.reuse_port:
            with self._deciding:
                if self._stop_lock is None:
                    self._take_stop_lock()  # stopping for a signal: others wait for the replacement if they can
            self.hand_over()

    def hand_over(self) -> int:
        """Take the connections queued on this worker's sockets into its thread pool, then close the sockets.
        Returns how many were taken."""
        taken = 0
        for listener in self.sockets:
            if getattr(listener, "sock", None) is None:  # closed already
                continue
            listener.setblocking(False)
            name = listener.getsockname()
            while taken < MAX_HANDOVER:
                try:
                    client, address = listener.accept()
                except OSError:  # nothing queued any more (BlockingIOError), or the socket failed
                    break
                self.nr_conns += 1
                client.setblocking(True)
                self.enqueue_req(TConn(self.cfg, client, address, name))
                taken += 1
            listener.close()
        if taken:
            self.log.info("stopping: took %d queued connection(s) from this worker's socket", taken)
        return taken
