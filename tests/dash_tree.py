"""Reading a Dash layout in tests: every component under a node, the one with an id, its visible text."""

from __future__ import annotations


def walk(node):
    """``node`` and every component below it (depth first; strings and numbers are not components)."""
    yield node
    children = getattr(node, "children", None)
    if children is None:
        return
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            yield from walk(child)


def find(node, id_):
    """The first component under ``node`` whose id is ``id_`` (None when there is none)."""
    return next((n for n in walk(node) if getattr(n, "id", None) == id_), None)


def text(node) -> str:
    """The text a reader sees under ``node``, pieces joined by spaces ("" for None)."""
    if node is None:
        return ""
    if isinstance(node, (str, int, float)):
        return str(node)
    parts = []
    for n in walk(node):
        children = getattr(n, "children", None)
        if isinstance(children, (str, int, float)):
            parts.append(str(children))
        elif isinstance(children, (list, tuple)):
            parts.extend(str(c) for c in children if isinstance(c, (str, int, float)))
    return " ".join(parts)


def page_module(path_template: str):
    """The page module as Dash Pages loaded it. Importing ``dashboard.pages.<name>`` again would register
    a second page on the same path, and Dash then refuses every request of any app in the process."""
    import sys

    import dash

    entry = next(p for p in dash.page_registry.values() if p.get("path_template", p["path"]) == path_template
                 or p["path"] == path_template)
    return sys.modules[entry["module"]]


def layers_or_skip(dataset):
    """The dataset's map layers, or a skip naming why the boundary files are missing."""
    import pytest

    from dashboard import geo

    try:
        return geo.map_layers(dataset.regions)
    except geo.GeoDataMissing as exc:
        pytest.skip(f"boundary files not available: {exc}")
