"""Callback registration. Each module records its callbacks with :mod:`dashboard.callbacks.registry`;
:func:`register_all` imports them all and attaches every callback to the given app (once per app)."""

from __future__ import annotations

import importlib
import pkgutil


def register_all(app) -> int:
    """Import every callbacks module and register its callbacks on ``app``; returns the count."""
    from dashboard.callbacks import registry

    for info in pkgutil.iter_modules(__path__):
        if info.name != "registry":
            importlib.import_module(f"{__name__}.{info.name}")
    return registry.register(app)
