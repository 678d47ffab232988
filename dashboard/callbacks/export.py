"""Export rows follow the page: when a page rewrites its query (``dcc.Location`` with ``refresh=False``) or
the user picks another image size, the row's links are rebuilt (:func:`update_hrefs`, a plain function).
Without Chromium on the server the row's PNG/SVG buttons download the chart from the browser (a
clientside callback calling ``Plotly.downloadImage``).

A row follows the ``dcc.Location`` named in its ids (``loc``); one callback pair is registered for each
location the pages use (:data:`LOCATIONS`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import dash
from dash import ALL, MATCH, Input, Output, State

from dashboard import ids
from dashboard.callbacks.registry import callback, clientside_callback
from dashboard.components.export_buttons import DEFAULT_SIZE, export_hrefs
from dashboard.export.images import SIZES

LOCATIONS: tuple[str, ...] = tuple(dict.fromkeys(
    getattr(ids, name)
    for name in ("URL", "MAP_LOCATION", "REGION_LOCATION", "COMPARE_URL", "EXPLORE_URL", "OUTCOMES_URL")
    if hasattr(ids, name)
))


def update_hrefs(search: str | None, size: str | None, spec: Mapping | None, link_ids: Sequence[Mapping]) -> list:
    """New hrefs for a row's links, in the order of ``link_ids`` (an empty query keeps the row's own state)."""
    if not spec:
        return [dash.no_update] * len(link_ids)
    search = search if search and search.strip("?") else None
    hrefs = export_hrefs(spec, search, size or DEFAULT_SIZE)
    return [hrefs.get(link["fmt"], dash.no_update) for link in link_ids]


CLIENT_DOWNLOAD_JS = """
function (clicks, spec) {
    const ctx = window.dash_clientside.callback_context;
    const nu = window.dash_clientside.no_update;
    if (!ctx.triggered.length || !ctx.triggered[0].value || !spec) { return nu; }
    const pid = ctx.triggered[0].prop_id;
    const trig = JSON.parse(pid.slice(0, pid.lastIndexOf(".")));
    const fmt = trig.fmt;
    const root = spec.graph_id ? document.getElementById(spec.graph_id) : null;
    const gd = root && (root.classList.contains("js-plotly-plot") ? root : root.querySelector(".js-plotly-plot"));
    if (!gd || !window.Plotly) { return "no-graph"; }
    window.Plotly.downloadImage(gd, {format: fmt, filename: spec.filename, width: %(w)d, height: %(h)d,
                                     scale: fmt === "png" ? %(s)s : 1});
    return fmt + ":" + Date.now();
}
""" % {"w": SIZES[DEFAULT_SIZE].width, "h": SIZES[DEFAULT_SIZE].height, "s": SIZES[DEFAULT_SIZE].scale}


def _register(loc: str) -> None:
    @callback(
        Output({"type": ids.EXPORT_LINK_TYPE, "loc": loc, "key": MATCH, "fmt": ALL}, "href"),
        Input(loc, "search"),
        Input({"type": ids.EXPORT_SIZE_TYPE, "loc": loc, "key": MATCH}, "value"),
        State({"type": ids.EXPORT_SPEC_TYPE, "loc": loc, "key": MATCH}, "data"),
        State({"type": ids.EXPORT_LINK_TYPE, "loc": loc, "key": MATCH, "fmt": ALL}, "id"),
        prevent_initial_call=True,
    )
    def _sync(search, size, spec, link_ids):
        return update_hrefs(search, size, spec, link_ids)

    clientside_callback(
        CLIENT_DOWNLOAD_JS,
        Output({"type": ids.EXPORT_CLIENT_DONE_TYPE, "loc": loc, "key": MATCH}, "data"),
        Input({"type": ids.EXPORT_CLIENT_TYPE, "loc": loc, "key": MATCH, "fmt": ALL}, "n_clicks"),
        State({"type": ids.EXPORT_SPEC_TYPE, "loc": loc, "key": MATCH}, "data"),
        prevent_initial_call=True,
    )


for _loc in LOCATIONS:
    _register(_loc)
