"""Gunicorn settings of MIPEX-R Explorer (production mode).

Used by ``./run.sh`` / ``python -m dashboard serve`` and directly by gunicorn::

    gunicorn -c python:dashboard.serving.gunicorn_conf            # serves dashboard.app:server

Environment variables (all optional):

- ``HOST`` / ``PORT``: address to bind (default ``127.0.0.1:8050``: loopback only; put a reverse proxy
  in front, or set ``HOST=0.0.0.0`` deliberately).
- ``MIPEXR_WORKERS``: worker processes (default :func:`default_workers`: one per core, at least 2, at most one
  worker per :data:`WORKER_MEMORY_MB` of half the machine's memory, at most :data:`MAX_WORKERS`).
- ``MIPEXR_THREADS``: threads per worker (default 4; ``gthread`` workers, so a worker waiting on an
  export or the database still answers callbacks).
- ``MIPEXR_TIMEOUT``: a worker silent towards the master for this many seconds is killed and replaced
  (default 120). With ``gthread`` workers this catches a hung process, not a slow request: the worker's
  main thread keeps reporting while a request thread works (exports bound their own render time).
- ``MIPEXR_MAX_REQUESTS``: a worker is replaced gracefully after about this many requests (default
  20000, with a random jitter of up to 10 %, so workers do not all restart at once; ``0`` = never). A guard
  against a slow leak, not a routine: a worker's RSS stayed flat over 8,000 requests each (231-234 MB), and a
  replaced worker sends its connected clients to the others (at 1000, under load, a worker was replaced
  every 1.5-12 s and the page views fell from 500 to 210 per second).
- ``MIPEXR_REUSE_PORT``: ``1`` (default where the system has ``SO_REUSEPORT``): every worker listens on a
  socket of its own and the kernel spreads new connections evenly over them (:mod:`dashboard.serving.worker`
  says why); ``0``: one socket opened by the master and shared by the workers.
- ``MIPEXR_ACCESS_LOG``: ``1`` writes an access log line per request to stdout (default off).
- ``MIPEXR_EXPORT_PREWARM``: ``1`` starts each worker's export browser (Chromium) in the background
  right after the worker starts, so the first export costs no more than a warm one. Read (and removed
  from the environment) when this module loads, before the app: a browser started in the master
  while the app is preloaded would not survive the fork.

The app is preloaded in the master (``preload_app``): data, boundaries and the Integration Lab
migration happen once, and the workers share those pages of memory. :func:`when_ready` warms the
app in the master and then freezes what it holds out of the garbage collector's sight (``gc.freeze()``: a
worker's collections then neither walk nor copy those shared pages), and :func:`pre_fork` closes the
master's database connections so that no worker inherits an open connection.
"""

from __future__ import annotations

import errno
import gc
import logging
import os
import socket
import threading

#: What one worker is budgeted at (MB) when the worker count is derived from memory.
WORKER_MEMORY_MB = 300
#: Upper bound of the derived worker count (set ``MIPEXR_WORKERS`` to go beyond).
MAX_WORKERS = 16

log = logging.getLogger("mipexr.serving")

EXPORT_PREWARM = os.environ.pop("MIPEXR_EXPORT_PREWARM", "").strip().lower() in ("1", "true", "yes")


def _env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value}")
    return value


def _env_flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be 1 or 0, not {raw!r}")


def cpu_count() -> int:
    """Cores this process may use: the CPU affinity, lowered by a cgroup v2 CPU quota (containers)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    try:
        quota, period = open("/sys/fs/cgroup/cpu.max").read().split()[:2]
        if quota != "max":
            cores = min(cores, max(1, int(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return max(1, cores)


def memory_mb() -> int | None:
    """Physical memory in MB (lowered by a cgroup v2 memory limit), or None if unknown."""
    total = None
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        pass
    try:
        limit = open("/sys/fs/cgroup/memory.max").read().strip()
        if limit != "max":
            limit_mb = int(limit) // (1024 * 1024)
            total = min(total, limit_mb) if total else limit_mb
    except (OSError, ValueError):
        pass
    return total


def bind_address(host: str, port: int) -> str:
    """gunicorn's ``host:port`` (an IPv6 address goes in brackets: ``[::1]:8050``)."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


def default_workers(cores: int | None = None, mem_mb: int | None = None) -> int:
    """``min(max(cores, 2), (memory / 2) // WORKER_MEMORY_MB, MAX_WORKERS)``, at least 1.

    One worker per core: a callback is CPU work in Python, and a worker, held to one core by the GIL, already
    waits on exports and the database with its threads, not with more processes. Measured on 2 cores with a
    socket per worker (50 clients without a pause): 2 workers 490-520 req/s, p99 140-160 ms; 3 workers
    410-435 req/s, p99 205-250 ms; 5 workers 400-430 req/s, p99 230-305 ms — more processes than cores only
    share the cores among more queues. At least two, so that one answers while the other is replaced."""
    cores = cpu_count() if cores is None else cores
    mem_mb = memory_mb() if mem_mb is None else mem_mb
    workers = max(cores, 2)
    if mem_mb:
        workers = min(workers, (mem_mb // 2) // WORKER_MEMORY_MB)
    return max(1, min(workers, MAX_WORKERS))


# ---------------------------------------------------------------------------------------------
# Settings (gunicorn reads the module-level names it knows)
# ---------------------------------------------------------------------------------------------

wsgi_app = "dashboard.app:server"
bind = [bind_address(os.environ.get("HOST") or "127.0.0.1", _env_int("PORT", 8050, 1))]
workers = _env_int("MIPEXR_WORKERS", 0, 0) or default_workers()
worker_class = "dashboard.serving.worker.Worker"
reuse_port = _env_flag("MIPEXR_REUSE_PORT", True) and hasattr(socket, "SO_REUSEPORT")
threads = _env_int("MIPEXR_THREADS", 4, 1)
preload_app = True
timeout = _env_int("MIPEXR_TIMEOUT", 120, 1)
graceful_timeout = 30
keepalive = 5
max_requests = _env_int("MIPEXR_MAX_REQUESTS", 20000, 0)
max_requests_jitter = max_requests // 10
# A request line or header bigger than these is refused by gunicorn itself (bounded memory per request).
limit_request_line = 8190
limit_request_fields = 100
# Heartbeat files in memory when /dev/shm exists (a disk-backed /tmp can stall the heartbeat).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
# gunicorn >= 25 opens a control socket at one fixed path per user: two servers would fight over it.
control_socket_disable = True
proc_name = "mipexr"
errorlog = "-"
accesslog = "-" if os.environ.get("MIPEXR_ACCESS_LOG", "").strip() in ("1", "true", "yes") else None


# ---------------------------------------------------------------------------------------------
# Server hooks
# ---------------------------------------------------------------------------------------------

def on_starting(server) -> None:
    """In the master, first: a socket per worker (``reuse_port``) only with two workers or more; then check that
    the address is free. Sockets with ``SO_REUSEPORT`` may share a port, so a second server started on the same
    port would otherwise silently take half of the first one's visitors; a socket without the flag cannot bind
    beside them."""
    if server.cfg.reuse_port and server.cfg.workers < 2:
        # one worker alone: while it is replaced no socket would listen (refused connections); the master's
        # shared socket keeps them waiting instead
        server.cfg.set("reuse_port", False)
    if server.cfg.reuse_port:
        for address in server.cfg.address:
            address_free(address)
        server.log.info("every worker listens on %s itself (SO_REUSEPORT)", ", ".join(server.cfg.bind))


def address_free(address) -> None:
    """Raise ``RuntimeError`` when ``address`` (``(host, port)``) is taken — by any socket, even one that
    allows port sharing."""
    if not isinstance(address, tuple):  # a Unix socket path: gunicorn's own checks apply
        return
    family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
    probe = socket.socket(family, socket.SOCK_STREAM)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            host, port = address[0], address[1]
            raise RuntimeError(f"{bind_address(host, port)} is already in use (another server running? "
                               f"stop it or set PORT)") from None
        raise
    finally:
        probe.close()


def on_exit(server) -> None:
    """In the master, last: remove the workers' restart lock file
    (:func:`dashboard.serving.worker.restart_lock_path`)."""
    from dashboard.serving.worker import restart_lock_path

    try:
        os.unlink(restart_lock_path(server.pid))
    except OSError:
        pass


def when_ready(server) -> None:
    """In the master, after the preloaded app is built: remove export folders left by processes killed
    outright earlier, then warm the app once, so every worker starts warm, and freeze the heap (``gc.freeze``)."""
    _remove_export_folders(server.log, None)
    if not server.cfg.preload_app:
        return
    from dashboard.serving import warmup

    try:
        failed = warmup.warm(server.app.wsgi())
        if failed:
            server.log.warning("warm-up: no 200 from %s", ", ".join(failed))
    except Exception:  # noqa: BLE001 - a failed warm-up only costs the first request some time
        server.log.warning("warm-up failed; workers start cold", exc_info=True)
    # everything loaded so far lives as long as the process: out of the collector's sight, a worker's
    # collections do not walk (and so copy-on-write) the pages it shares with the master
    gc.collect()
    gc.freeze()


def pre_fork(server, worker) -> None:
    """In the master, before every fork: close the database connections the master opened (migration,
    warm-up), so that no worker shares a connection (or SQLite file handle) with another."""
    try:
        from dashboard.lab import db

        db.dispose_engines()
    except Exception:  # noqa: BLE001 - nothing to close
        server.log.debug("no database engines to dispose", exc_info=True)


def post_fork(server, worker) -> None:
    """In each new worker: start its export browser in the background when ``MIPEXR_EXPORT_PREWARM`` asked."""
    if EXPORT_PREWARM:
        threading.Thread(target=_warm_export, args=(server.log,), name="mipexr-export-prewarm", daemon=True).start()


def child_exit(server, worker) -> None:
    """In the master, after a worker ended (also when killed: SIGKILL, the out-of-memory killer): stop what
    is left of its export browser and remove its export temp folder, which the worker could not do."""
    _remove_export_folders(server.log, worker.pid)


def _remove_export_folders(logger, pid: int | None) -> None:
    try:
        from dashboard.export.cleanup import remove_folders_of

        for path in remove_folders_of(pid):
            logger.info("removed export folder %s left by process %s", path.name, pid or "no longer running")
    except Exception:  # noqa: BLE001 - cleaning up must never stop the master
        logger.warning("could not remove export folders of process %s", pid, exc_info=True)


def _warm_export(logger) -> None:
    try:
        from dashboard.export import browser

        if not browser.warm_up():
            logger.warning("export browser not started (no Chromium?): the first export will say why")
    except Exception:  # noqa: BLE001 - exports still start their browser on first use
        logger.warning("export browser warm-up failed", exc_info=True)
