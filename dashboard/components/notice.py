"""The visible "illustrative data" notice and the source line every number carries."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard import ids
from dashboard.constants import ILLUSTRATIVE_TEXT
from dashboard.data import Dataset


def illustrative_notice(dataset: Dataset, id: str | None = ids.NOTICE) -> html.Div:
    """A visible notice when the loaded data are illustrative; an empty Div otherwise."""
    kwargs = {"id": id} if id else {}
    if not dataset.illustrative:
        return html.Div(**kwargs)
    return html.Div(
        [html.Strong("Illustrative data. "), ILLUSTRATIVE_TEXT, " ",
         dbc.NavLink("How the data are made", href="/methodology#data", className="d-inline p-0")],
        className="mx-notice", role="note", **kwargs,
    )


def source_line(dataset: Dataset, extra: str | None = None) -> html.P:
    """'Source: … Scale 0–100.' under a chart or number, with the illustrative mark when it applies."""
    text = dataset.source_line
    if extra:
        text = f"{text} {extra}"
    return html.P(text, className="mx-source")
