"""Which version every worker should show, asked of the database at most every few seconds per process.

A :class:`Watcher` caches :func:`~dashboard.datasets.repository.published` for ``MIPEXR_DATASET_POLL_SECONDS``
(default 2 s), so each worker switches to a newly published version within that time, without a restart,
at the cost of one tiny query per interval. It holds no connection of its own (the per-process engines
of :mod:`dashboard.datasets.db` are dropped in a forked child) and after a fork it forgets its cache and
its lock, so a worker forked from a pre-loaded parent asks the database itself.

Threads: one thread refreshes while the others keep answering the cached value (they never queue behind
a slow database once a value is known). A database that cannot be reached keeps the last known value
(:attr:`Watcher.last_error` says why); before any value is known, :meth:`Watcher.current` raises
:class:`~dashboard.datasets.errors.StoreUnavailable` and the caller shows the embedded data.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections.abc import Callable

from dashboard.datasets import db
from dashboard.datasets.errors import StoreUnavailable
from dashboard.datasets.repository import Published, published

log = logging.getLogger(__name__)

POLL_ENV = "MIPEXR_DATASET_POLL_SECONDS"
DEFAULT_POLL_SECONDS = 2.0
MAX_POLL_SECONDS = 3600.0

_watchers: weakref.WeakSet[Watcher] = weakref.WeakSet()


def poll_seconds() -> float:
    """``MIPEXR_DATASET_POLL_SECONDS`` (0 … 3600; default 2; a bad value is logged and ignored)."""
    raw = os.environ.get(POLL_ENV, "").strip()
    if not raw:
        return DEFAULT_POLL_SECONDS
    try:
        value = float(raw)
    except ValueError:
        log.warning("%s=%r is not a number; polling every %s s", POLL_ENV, raw, DEFAULT_POLL_SECONDS)
        return DEFAULT_POLL_SECONDS
    if value != value:  # NaN
        return DEFAULT_POLL_SECONDS
    return min(max(value, 0.0), MAX_POLL_SECONDS)


class Watcher:
    """A per-process cache of the published pointer. Make one per process (e.g. module level in ``state``)."""

    def __init__(self, url: str | None = None, *, poll: float | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self._url = url
        self._poll = poll
        self._clock = clock
        self._reset()
        _watchers.add(self)

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._value: Published | None = None
        self._value_url: str | None = None
        self._checked_at = float("-inf")
        self._refreshing = False
        self.last_error: str | None = None

    @property
    def poll(self) -> float:
        return poll_seconds() if self._poll is None else self._poll

    def current(self) -> Published:
        """The published ``(version_id, generation)``, at most :attr:`poll` seconds old."""
        url = db.resolve_url(self._url)
        now = self._clock()
        with self._lock:
            value = self._value if self._value_url == url else None
            if value is not None and (now - self._checked_at < self.poll or self._refreshing):
                return value
            self._refreshing = True
        try:
            fresh = published(url=url)
        except StoreUnavailable as exc:
            with self._lock:
                self._refreshing = False
                self._checked_at = now
                self.last_error = str(exc)
            if value is None:
                raise
            return value
        except BaseException:
            with self._lock:
                self._refreshing = False
            raise
        with self._lock:
            self._refreshing = False
            self._checked_at = now
            self.last_error = None
            if fresh != self._value:
                log.info("published dataset is now %s (generation %d)", fresh.version_id, fresh.generation)
            self._value, self._value_url = fresh, url
        return fresh

    def current_generation(self) -> int:
        return self.current().generation

    def current_version(self) -> int | None:
        return self.current().version_id

    def invalidate(self) -> None:
        """Ask the database on the next call (e.g. right after this process published)."""
        with self._lock:
            self._checked_at = float("-inf")


def _after_fork_in_child() -> None:
    for watcher in list(_watchers):
        watcher._reset()


os.register_at_fork(after_in_child=_after_fork_in_child)
