"""The visible "illustrative data" notice and the source line every number carries (in the request's language).

The shell's notice also carries the words ``assets/40-a11y.js`` writes into the page (``data-a11y-*``): the
script's fallbacks then follow the page's language too."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard import ids
from dashboard.data import Dataset
from dashboard.i18n import _
from dashboard.views.notice import notice


def a11y_words() -> dict[str, str]:
    """The words ``assets/40-a11y.js`` may write into the page, as ``data-`` attributes (current language)."""
    return {"data-a11y-upload": _("Choose a file to upload"), "data-a11y-table": _("Table")}


def illustrative_notice(dataset: Dataset, id: str | None = ids.NOTICE) -> html.Div:
    """A visible notice when anything shown is illustrative (saying which part); an empty Div otherwise."""
    kwargs = {"id": id, **a11y_words()} if id else {}
    words = notice(dataset)
    if words is None:
        return html.Div(**kwargs)
    heading, text = words
    return html.Div(
        [html.Strong(heading), text, " ",
         dbc.NavLink(_("How the data are made"), href="/methodology#data", className="d-inline p-0")],
        className="mx-notice", role="note", **kwargs,
    )


def workspace_notice() -> html.Div:
    """The banner of a visitor looking at their own files (a private workspace)."""
    return html.Div(
        [html.Strong(_("Your own data.") + " "),
         _("This browser shows the files you loaded (your private workspace); nobody else sees them.") + " ",
         dbc.NavLink(_("Manage or leave"), href="/data", className="d-inline p-0")],
        className="mx-notice mx-notice-private", role="note", id=ids.WORKSPACE_NOTICE,
    )


def source_line(dataset: Dataset, extra: str | None = None) -> html.P:
    """'Source: … Scale 0–100.' under a chart or number, with the illustrative mark when it applies."""
    text = dataset.source_line
    if extra:
        text = f"{text} {extra}"
    return html.P(text, className="mx-source")
