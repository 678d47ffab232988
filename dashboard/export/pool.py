"""The bounded pool that makes images and PDFs, apart from the threads that answer requests.

Rendering an image or a brief costs seconds of CPU (building the figures, then Chromium). Done on the
request threads, a few heavy exports would hold every thread of the server and a CSV download or a page
would wait behind them. :class:`RenderPool` keeps that work on a few worker threads of its own
(``MIPEXR_EXPORT_WORKERS``, default 1: they all feed the one warm Chromium) with a short, bounded
waiting line (``MIPEXR_EXPORT_QUEUE``, default 3). When the line is full a new export is refused at once
with :class:`ExportBusy` (HTTP 503 "the export service is busy, try again in a moment" with
``Retry-After``) instead of piling up; so at most *workers + queue* request threads ever wait for
exports and the rest stay free for cheap requests.

The same export asked for twice while it is being made is made once: the second request waits for the
first one's result (``key``). A request waits at most ``MIPEXR_EXPORT_WAIT`` seconds (default 90) for its
turn and its result; each render has its own time limit in :class:`dashboard.export.browser.ExportBrowser`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from dashboard.errors import ExportError
from dashboard.i18n import N_

T = TypeVar("T")
#: N_-marked (raised on any thread; the routes show ``_(str(exc))`` in the request's language).
BUSY_MESSAGE = N_("The export service is busy, try again in a moment.")
STOPPING_MESSAGE = N_("The export service is stopping; try again in a moment.")
RETRY_AFTER = 5  # seconds a refused client is asked to wait


def _env_int(name: str, default: int, low: int, high: int) -> int:
    try:
        return min(high, max(low, int(os.environ.get(name, default))))
    except ValueError:
        return default


def wait_setting() -> float:
    """``MIPEXR_EXPORT_WAIT``: seconds a request waits for its export (default 90, 1–3600), read now."""
    return float(_env_int("MIPEXR_EXPORT_WAIT", 90, 1, 3600))


class ExportBusy(ExportError):
    """No room in the render pool's waiting line (or the wait for a result ran out): try again later."""

    def __init__(self, message: str = BUSY_MESSAGE, retry_after: int = RETRY_AFTER):
        super().__init__(message, reason="busy")
        self.retry_after = retry_after


class RenderPool:
    """``workers`` threads and at most ``queue`` waiting jobs; :meth:`run` refuses more with ExportBusy."""

    def __init__(self, workers: int | None = None, queue: int | None = None, wait: float | None = None):
        self.workers = workers if workers is not None else _env_int("MIPEXR_EXPORT_WORKERS", 1, 1, 4)
        self.queue = queue if queue is not None else _env_int("MIPEXR_EXPORT_QUEUE", 3, 0, 64)
        self.wait = wait if wait is not None else wait_setting()
        self._executor: ThreadPoolExecutor | None = None
        self._slots = threading.BoundedSemaphore(self.workers + self.queue)
        self._lock = threading.Lock()
        self._pending: dict[Hashable, Future] = {}
        self._active = 0
        self._closed = False
        self.refused = 0  # how many jobs were turned away (tests and the benchmark read it)

    def _pool(self) -> ThreadPoolExecutor:
        if self._closed:
            raise RuntimeError("the render pool is shut down")
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="mipexr-render")
        return self._executor

    @property
    def pending(self) -> int:
        """Jobs running or waiting now."""
        with self._lock:
            return self._active

    def submit(self, fn: Callable[[], T], key: Hashable | None = None) -> Future:
        """The future of ``fn()`` on the pool (the running one when ``key`` is already being made);
        ExportBusy when the waiting line is full."""
        with self._lock:
            if key is not None and key in self._pending:
                return self._pending[key]
            if not self._slots.acquire(blocking=False):
                self.refused += 1
                raise ExportBusy()
            try:
                future = self._pool().submit(fn)
            except RuntimeError:  # the pool was shut down (the process is stopping)
                self._slots.release()
                raise ExportBusy(STOPPING_MESSAGE) from None
            self._active += 1
            if key is not None:
                self._pending[key] = future
        future.add_done_callback(lambda f: self._done(key, f))
        return future

    def _done(self, key: Hashable | None, future: Future) -> None:
        with self._lock:
            self._active -= 1
            if key is not None and self._pending.get(key) is future:
                del self._pending[key]
        self._slots.release()

    def run(self, fn: Callable[[], T], key: Hashable | None = None, wait: float | None = None) -> T:
        """``fn()`` made on the pool; the calling (request) thread only waits. ExportBusy when there is no
        room or no result within ``wait`` seconds (a job still waiting is then cancelled); the job's own
        exceptions (e.g. UnknownOption, ExportError) are raised here."""
        future = self.submit(fn, key)
        try:
            return future.result(timeout=self.wait if wait is None else wait)
        except FutureTimeout:
            future.cancel()  # only succeeds while it waits; a running render stops at its own time limit
            raise ExportBusy() from None

    def shutdown(self, wait: bool = False) -> None:
        """Stop taking jobs; waiting jobs are cancelled."""
        with self._lock:
            executor, self._executor = self._executor, None
            self._closed = True
        if executor is not None:
            executor.shutdown(wait=wait, cancel_futures=True)


_pool: RenderPool | None = None
_pool_lock = threading.Lock()


def get_pool() -> RenderPool:
    """The process-wide render pool (made on first use, with the ``MIPEXR_EXPORT_*`` settings)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = RenderPool()
        return _pool


def run(fn: Callable[[], Any], key: Hashable | None = None) -> Any:
    """``get_pool().run(fn, key)``."""
    return get_pool().run(fn, key)
