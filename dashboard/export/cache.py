"""A bounded cache of rendered export files (thread-safe LRU, limited in entries **and** bytes).

Keys are built by the caller from the parsed, validated request only (chart or view, format, size,
canonical regions, measure, …, the link the file quotes, the date and the dataset), never from the raw
query string, so ``&bust=1``, key order, repeated keys or the case of a region id cannot bypass the cache
or fill it with copies (:mod:`dashboard.routes.export`). Each entry holds the dataset it was made from,
so ``id(dataset)`` in a key cannot be reused by a newer dataset while the entry lives.

Limits: ``MIPEXR_EXPORT_CACHE_ENTRIES`` (default 64) and ``MIPEXR_EXPORT_CACHE_MB`` (default 64 MB); a
file larger than a quarter of the byte limit is not cached.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

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
                _, (_, _, freed) = self._data.popitem(last=False)
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
