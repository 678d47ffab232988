"""Callbacks are recorded here and registered on each app by :func:`register` (a real app factory).

``dash.callback`` puts callbacks in one process-wide list that the *first* app to serve a request takes
for itself: a second ``create_app()`` in the same process (a test, a second WSGI mount) would get none.
The modules of :mod:`dashboard.callbacks` therefore decorate with :func:`callback` /
:func:`clientside_callback` from this module, which only record the arguments, and ``create_app()``
calls :func:`register` to attach every recorded callback to its own app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_ENTRIES: list[tuple[str, tuple, dict, Callable | None]] = []


def callback(*args: Any, **kwargs: Any) -> Callable:
    """Like ``dash.callback``: record a server callback; the function is returned unchanged."""
    def decorate(func: Callable) -> Callable:
        _ENTRIES.append(("server", args, kwargs, func))
        return func
    return decorate


def clientside_callback(*args: Any, **kwargs: Any) -> None:
    """Like ``dash.clientside_callback``: record a clientside callback."""
    _ENTRIES.append(("client", args, kwargs, None))


def register(app) -> int:
    """Attach every recorded callback to ``app``; returns how many were registered."""
    for kind, args, kwargs, func in _ENTRIES:
        if kind == "server":
            app.callback(*args, **kwargs)(func)
        else:
            app.clientside_callback(*args, **kwargs)
    return len(_ENTRIES)


def count() -> int:
    return len(_ENTRIES)
