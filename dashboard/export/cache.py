"""A bounded cache of rendered export files (thread-safe LRU, limited in entries **and** bytes).

Keys are built by the caller from the parsed, validated request only (chart or view, format, size,
canonical regions, measure, …, the link the file quotes, the date and the dataset), never from the raw
query string, so ``&bust=1``, key order, repeated keys or the case of a region id cannot bypass the cache
or fill it with copies (:mod:`dashboard.routes.export`). Each entry holds the dataset it was made from,
so ``id(dataset)`` in a key cannot be reused by a newer dataset while the entry lives.

Limits: ``MIPEXR_EXPORT_CACHE_ENTRIES`` (default 64) and ``MIPEXR_EXPORT_CACHE_MB`` (default 64 MB); a
file larger than a quarter of the byte limit is not cached. With ``MIPEXR_REDIS_URL`` the routes use
:class:`SharedExportCache` (Redis, shared by every worker) instead.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

log = logging.getLogger(__name__)

DEFAULT_ENTRIES = 64
DEFAULT_MB = 64


def _env_int(name: str, default: int, low: int = 0) -> int:
    try:
        return max(low, int(os.environ.get(name, default)))
    except ValueError:
        return default


def size_of(value: Any) -> int:
    """Bytes of a cached value: bytes/str, or a tuple/list of them (e.g. ``(content, file name)``)."""
    if isinstance(value, (bytes, bytearray, str)):
        return len(value)
    if isinstance(value, (tuple, list)):
        return sum(size_of(v) for v in value)
    return 64


class ExportCache:
    """LRU of ``key → value`` with at most ``max_entries`` entries and ``max_bytes`` bytes in total."""

    def __init__(self, max_entries: int | None = None, max_bytes: int | None = None):
        self.max_entries = max_entries if max_entries is not None else \
            _env_int("MIPEXR_EXPORT_CACHE_ENTRIES", DEFAULT_ENTRIES)
        self.max_bytes = max_bytes if max_bytes is not None else \
            _env_int("MIPEXR_EXPORT_CACHE_MB", DEFAULT_MB) * 1024 * 1024
        self._data: OrderedDict[Hashable, tuple[Any, Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            entry = self._data.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return entry[1]

    def put(self, key: Hashable, dataset: Any, value: Any) -> bool:
        """Store ``value`` (False when it is too large to cache); the oldest entries make room."""
        size = size_of(value)
        if self.max_entries <= 0 or size > self.max_bytes // 4:
            return False
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= old[2]
            self._data[key] = (dataset, value, size)
            self._bytes += size
            while self._data and (len(self._data) > self.max_entries or self._bytes > self.max_bytes):
                _key, (_dataset, _value, freed) = self._data.popitem(last=False)
                self._bytes -= freed
        return True

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._bytes = 0
            self.hits = self.misses = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)

    @property
    def bytes(self) -> int:
        with self._lock:
            return self._bytes


class SharedExportCache:
    """The export cache in Redis (Flask-Caching's Redis backend), shared by every worker on every machine.

    Same interface as :class:`ExportCache`; keys are strings (:func:`dashboard.export.jobs.key`). Entries
    live ``MIPEXR_EXPORT_CACHE_TTL`` seconds (default one day); a file over ``MIPEXR_EXPORT_CACHE_MB`` / 4 is
    not cached; Redis's own ``maxmemory`` policy bounds the whole. Redis unreachable = a miss (logged), so
    exports still work, made again.
    """

    def __init__(self, url: str, ttl: int | None = None, max_bytes: int | None = None):
        import redis
        from flask_caching.backends.rediscache import RedisCache

        self.url = url
        self.ttl = ttl if ttl is not None else _env_int("MIPEXR_EXPORT_CACHE_TTL", 86400, 1)
        self.max_bytes = max_bytes if max_bytes is not None else \
            _env_int("MIPEXR_EXPORT_CACHE_MB", DEFAULT_MB) * 1024 * 1024
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._backend = RedisCache(host=client, default_timeout=self.ttl, key_prefix="mipexr:")
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Any | None:
        try:
            value = self._backend.get(key)
        except Exception as exc:  # noqa: BLE001 - the cache is an optimisation
            log.warning("export cache unavailable (%s): %s", type(exc).__name__, exc)
            value = None
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        return tuple(value) if isinstance(value, list) else value

    def put(self, key: str, dataset: Any, value: Any) -> bool:
        if size_of(value) > self.max_bytes // 4:
            return False
        try:
            return bool(self._backend.set(key, value, timeout=self.ttl))
        except Exception as exc:  # noqa: BLE001
            log.warning("export cache unavailable (%s): %s", type(exc).__name__, exc)
            return False

    def clear(self) -> None:
        try:
            self._backend.clear()  # only the keys with this cache's prefix
        except Exception as exc:  # noqa: BLE001
            log.warning("export cache unavailable (%s): %s", type(exc).__name__, exc)
        self.hits = self.misses = 0

    def __len__(self) -> int:
        try:
            return sum(1 for _key in self._backend._write_client.scan_iter(match="mipexr:*"))
        except Exception:  # noqa: BLE001
            return 0
