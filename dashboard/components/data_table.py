"""A plain, accessible ``dash_table.DataTable``: the text alternative shown under charts.

:func:`score_column` / :func:`text_column` build column specs (scores get one decimal, differences a
sign); :func:`table_records` turns a DataFrame into DataTable records (NaN → empty cell);
:func:`data_table` renders the table (native sorting, optional native filtering, neutral styling).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
from dash import dash_table, html
from dash.dash_table.Format import Format, Scheme, Sign

from dashboard.figures.common import FONT

SCORE_FORMAT = Format(precision=1, scheme=Scheme.fixed)
DIFFERENCE_FORMAT = Format(precision=1, scheme=Scheme.fixed, sign=Sign.positive)


def score_column(column_id: str, name: str | Sequence[str], difference: bool = False) -> dict:
    """A numeric column: a score (0–100, one decimal) or a difference in points (signed)."""
    return {"id": column_id, "name": name, "type": "numeric",
            "format": (DIFFERENCE_FORMAT if difference else SCORE_FORMAT).to_plotly_json()}


def text_column(column_id: str, name: str | Sequence[str]) -> dict:
    return {"id": column_id, "name": name, "type": "text"}


def _clean(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    if hasattr(value, "item"):  # numpy scalars → Python
        return value.item()
    return value


def table_records(frame: pd.DataFrame, columns: Sequence[dict] | None = None) -> list[dict]:
    """DataFrame rows → JSON-safe records (only the given columns; NaN/NA → None)."""
    keys = [c["id"] for c in columns] if columns else list(frame.columns)
    return [{k: _clean(row.get(k)) for k in keys} for row in frame.to_dict("records")]


def data_table(id: str | dict, columns: Sequence[dict], data: Sequence[dict] | None = None, *,
               filterable: bool = False, sortable: bool = True, page_size: int | None = None,
               caption: str | None = None, wide_column: str | None = None) -> html.Div:
    """The table in a scrollable wrapper, with an optional caption read before it (for screen readers too)."""
    kwargs = dict(
        id=id, columns=list(columns), data=list(data or []),
        sort_action="native" if sortable else "none", sort_mode="single",
        filter_action="native" if filterable else "none",
        filter_options={"case": "insensitive", "placeholder_text": "filter…"},
        page_action="native" if page_size else "none",
        style_table={"overflowX": "auto"},
        style_cell={"fontFamily": FONT, "fontSize": "0.9rem", "padding": "4px 8px", "textAlign": "right",
                    "whiteSpace": "normal", "height": "auto", "minWidth": "4.5rem"},
        style_cell_conditional=[{"if": {"column_type": "text"}, "textAlign": "left"}],
        style_header={"fontFamily": FONT, "backgroundColor": "#eef1f5", "fontWeight": 600, "color": "#1f2a37", "whiteSpace": "normal"},
        style_data={"backgroundColor": "#ffffff", "color": "#1f2a37"},
        style_data_conditional=[{"if": {"row_index": "odd"}, "backgroundColor": "#f7f8fa"}],
        style_filter={"backgroundColor": "#fbfcfd"},
        merge_duplicate_headers=True,
    )
    if page_size:
        kwargs["page_size"] = page_size
    if wide_column:
        kwargs["style_cell_conditional"] = kwargs["style_cell_conditional"] + [
            {"if": {"column_id": wide_column}, "minWidth": "12rem"}]
    children = []
    if caption:
        children.append(html.P(caption, className="small text-muted mb-1"))
    children.append(dash_table.DataTable(**kwargs))
    return html.Div(children, className="mx-data-table")
