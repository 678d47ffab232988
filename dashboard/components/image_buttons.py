"""PNG · SVG · PDF buttons for a figure the page builds from the user's input (the self-assessment radars,
the Integration Lab map), where no URL can describe the chart for the ``/export`` routes.

A page puts :func:`image_buttons` under each such chart and :func:`image_download_area` once; its callback
rebuilds the figure from the page's state and returns :func:`image_response`. The image carries the same
title, source, date and illustrative mark as every other export.
"""

from __future__ import annotations

from typing import Any

import dash
import plotly.graph_objects as go
from dash import dcc, html

from dashboard import ids
from dashboard.components.export_buttons import IMAGE_HELP, LINK_CLASS, ROW_CLASS
from dashboard.constants import IMAGE_FORMATS
from dashboard.data import Dataset
from dashboard.errors import ExportError
from dashboard.export import images
from dashboard.export.browser import STATUS_UNAVAILABLE
from dashboard.i18n import N_, _

NO_BROWSER_TIP = N_("Use the camera button at the top right of the chart for a PNG made in your browser.")
DOWNLOAD = N_("Download:")


def image_buttons(scope: str, key: str, label: str | None = None) -> html.Div:
    """The row of PNG, SVG and PDF buttons under one chart (``key`` names the chart within the page; ``label``
    defaults to "Download:" in the current language)."""
    label = _(DOWNLOAD) if label is None else label
    buttons = [html.Button(fmt.upper(), id=ids.image_button(scope, key, fmt), n_clicks=0, type="button",
                           className=LINK_CLASS, title=IMAGE_HELP[fmt], **{"data-fmt": fmt})
               for fmt in IMAGE_FORMATS]
    return html.Div([html.Span(label, className="text-muted me-1"), *buttons],
                    className=ROW_CLASS)


def image_download_area(scope: str) -> html.Div:
    """The page's one dcc.Download for these buttons, and where a refusal is explained."""
    return html.Div([dcc.Download(id=ids.image_download(scope)),
                     html.Div(id=ids.image_status(scope), role="status", className="small text-muted")])


def pressed(triggered_id: Any, clicks: list | None) -> tuple[str, str] | None:
    """(chart key, format) of the button that fired, or None when nothing was clicked (a button appearing)."""
    if not isinstance(triggered_id, dict) or not any(clicks or []):
        return None
    return triggered_id.get("key"), triggered_id.get("fmt")


def image_response(fig: go.Figure, fmt: str, stem: str, dataset: Dataset, **options: Any) -> tuple[Any, str]:
    """(``dcc.Download`` data, status text) for a callback; without Chromium: (no_update, why + tip)."""
    try:
        content, name = images.figure_download(fig, fmt, stem, dataset, **options)
    except ExportError as exc:
        # no Chromium: the plain status sentence (the exception names the browser's path, for the log)
        problem = _(STATUS_UNAVAILABLE) if exc.reason == "no-browser" else _(str(exc))
        return dash.no_update, f"{problem} {_(NO_BROWSER_TIP)}"
    return dcc.send_bytes(content, name), ""
