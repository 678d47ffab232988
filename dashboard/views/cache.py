"""A small in-process cache for what views build per dataset version and parameters.

Keys start with a dataset's :attr:`~dashboard.data.Dataset.fingerprint`, so an entry is only ever reused for the
very same data. Callers keep entries only for shared data (``cache=state.shared_data()``): a visitor's private workspace
is built fresh each time and never kept in process memory.

:func:`frozen` makes a kept Dash component or plotly figure's JSON once, so that sending it again (the same
profile or chart to many requests) does not walk the whole object each time."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict

from plotly.io.json import to_json_plotly


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


def frozen(value):
    """``value`` — a Dash component or a plotly figure, or a list or tuple of them — with its JSON made now,
    once: what Dash sends for it (``to_plotly_json``) is from then on that JSON as plain dicts and lists, which
    the encoder writes without walking the components and copying the figures again. The bytes sent are the
    same. Only for values that never change afterwards (kept entries of a :class:`BoundedCache`); the objects
    themselves stay as they are for the code that reads them."""
    if isinstance(value, (list, tuple)):
        for item in value:
            frozen(item)
    elif hasattr(value, "to_plotly_json"):
        plain = json.loads(to_json_plotly(value))
        object.__setattr__(value, "to_plotly_json", lambda: plain)  # past plotly's attribute check on figures
    return value
