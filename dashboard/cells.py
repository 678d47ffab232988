"""Cell values that are safe to open in a spreadsheet (pure): the one formula guard used by every CSV/XLSX
the app writes — data exports and the Integration Lab's practice exports alike.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'`` so that
Excel, LibreOffice and Google Sheets show it as text instead of evaluating it (CSV/formula injection).
Numbers are left alone: ``-3.5`` as a float is data, not a formula.
"""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``"=HYPERLINK(…)"`` → ``"'=HYPERLINK(…)"``; any other value unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
