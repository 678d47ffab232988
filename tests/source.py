"""Parse the project's own Python files, for the tests that read imports and constants from the source."""

from __future__ import annotations

import ast
from pathlib import Path


def parse(path: Path) -> ast.Module:
    """``ast.parse`` of a file, tried again on CPython 3.11's spurious ``SystemError: AST constructor
    recursion depth mismatch`` (python/cpython#106905, fixed in 3.11.8 and 3.12): another thread building
    an AST at the same moment — Python 3.11 parses source lines to draw a traceback's carets — upsets a
    counter the two share. The next attempt starts from a clean count."""
    text = path.read_text(encoding="utf-8")
    for attempt in range(3):
        try:
            return ast.parse(text)
        except SystemError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
