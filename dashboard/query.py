"""Reading values out of URL queries and parameters (pure): one place for how "A,B" lists are split, so
page links, callbacks, export routes and the command line read ``?regions=PT20,PT17`` the same way."""

from __future__ import annotations

from typing import Any


def split_values(values: Any) -> list[str]:
    """``["A,B", "C"]`` / ``"A,B"`` / None → ``["A", "B", "C"]`` (blank parts dropped, order kept, no duplicates).

    Commas, semicolons and ``+`` all separate values."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values:
        for part in str(value).replace(";", ",").replace("+", ",").split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out
