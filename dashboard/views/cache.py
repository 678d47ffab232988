"""A small in-process cache for what views build per dataset version and parameters.

Keys start with a dataset's :attr:`~dashboard.data.Dataset.fingerprint`, so an entry is only ever reused for the
very same data. Callers keep entries only for shared data (``cache=shared_data()``): a visitor's private workspace
is built fresh each time and never kept in process memory."""

from __future__ import annotations

import threading
from collections import OrderedDict


class BoundedCache:
    """A thread-safe least-recently-used cache of at most ``size`` entries. Keys start with a dataset's
    :attr:`~dashboard.data.Dataset.fingerprint` (a hash of its content, the same on every worker), so an
    entry is shared only by requests that see the very same data, and nothing else is kept."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, build, store: bool = True):
        """The value of ``key``, built (and kept, unless ``store`` is false) when it is not there."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()
        if not store:
            return value
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
