"""The gunicorn worker of production mode: gunicorn's ``gthread`` worker, which, when each worker listens on a
socket of its own (``reuse_port``, :mod:`dashboard.serving.gunicorn_conf`), hands over its socket before it stops.

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
"""

from __future__ import annotations

from gunicorn.workers.gthread import TConn, ThreadWorker

#: At most this many queued connections are taken over by a stopping worker (bounded work; the kernel's
#: backlog is smaller).
MAX_HANDOVER = 4096


class Worker(ThreadWorker):
    """``gthread`` that closes its own listening sockets as soon as it stops accepting to stop (see the module)."""

    def set_accept_enabled(self, enabled: bool) -> None:
        super().set_accept_enabled(enabled)
        if not enabled and not self.alive and self.cfg.reuse_port:
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
                except (BlockingIOError, InterruptedError):
                    break
                except OSError:
                    break
                self.nr_conns += 1
                client.setblocking(True)
                self.enqueue_req(TConn(self.cfg, client, address, name))
                taken += 1
            listener.close()
        if taken:
            self.log.info("stopping: took %d queued connection(s) from this worker's socket", taken)
        return taken
