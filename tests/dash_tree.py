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
