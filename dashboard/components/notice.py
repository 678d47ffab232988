"""The visible "illustrative data" notice and the source line every number carries."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard import ids
from dashboard.data import Dataset
from dashboard.views.notice import notice


def illustrative_notice(dataset: Dataset, id: str | None = ids.NOTICE) -> html.Div:
    """A visible notice when anything shown is illustrative (saying which part); an empty Div otherwise."""
    kwargs = {"id": id} if id else {}
    words = notice(dataset)
    if words is None:
        return html.Div(**kwargs)
    heading, text = words
    return html.Div(
        [html.Strong(heading), text, " ",
         dbc.NavLink("How the data are made", href="/methodology#data", className="d-inline p-0")],
        className="mx-notice", role="note", **kwargs,
    )


def workspace_notice() -> html.Div:
    """The banner of a visitor looking at their own files (a private workspace)."""
    return html.Div(
        [html.Strong("Your own data. "), "This browser shows the files you loaded (your private workspace); "
         "nobody else sees them. ", dbc.NavLink("Manage or leave", href="/data", className="d-inline p-0")],
        className="mx-notice mx-notice-private", role="note", id=ids.WORKSPACE_NOTICE,
    )


def source_line(dataset: Dataset, extra: str | None = None) -> html.P:
    """'Source: … Scale 0–100.' under a chart or number, with the illustrative mark when it applies."""
    text = dataset.source_line
    if extra:
        text = f"{text} {extra}"
    return html.P(text, className="mx-source")
