"""Table columns as plain data (pure): what a column holds and how its numbers read, so that the page's data
grid (:mod:`dashboard.components.data_grid`) and the CSV/XLSX exports show the same table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

Kind = Literal["text", "score", "difference", "integer"]


@dataclass(frozen=True)
class Column:
    """One column: ``id`` (the DataFrame column), ``label`` (plain words, with the scale), ``kind`` (``score``:
    0–100 with one decimal; ``difference``: signed points; ``integer``; ``text``), optional header ``group``."""

    id: str
    label: str
    kind: Kind = "text"
    group: str | None = None

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


def clean(value):
    """A JSON-safe cell: NaN/NA → None, numpy scalars → Python."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    if hasattr(value, "item"):
        return value.item()
    return value


def columnar(frame: pd.DataFrame, columns: Sequence[Column]) -> dict:
    """The same cells as :func:`records`, column by column: ``{"fields": [column id, ...], "values": [[cell of
    each row, ...] per column]}`` (JSON-safe; NaN/NA → None). A third of the bytes of the records of a long table
    (each key once, not once per row) and built without a Python loop per cell; the browser turns it back into
    records (:data:`dashboard.callbacks.explore.TABLE_ROWS_JS`)."""
    keys = [c.id for c in columns]
    values = []
    for key in keys:
        if key not in frame.columns:
            values.append([None] * len(frame))
            continue
        col = frame[key]
        values.append(col.astype(object).where(col.notna(), None).tolist())
    return {"fields": keys, "values": values}


def records(frame: pd.DataFrame, columns: Sequence[Column]) -> list[dict]:
    """DataFrame rows → JSON-safe records holding only the given columns."""
    keys = [c.id for c in columns]
    return [{k: clean(row.get(k)) for k in keys} for row in frame.to_dict("records")]
