"""Export rows follow the page: when a page rewrites its query (``dcc.Location`` with ``refresh=False``) or
the user picks another image size, the row's links are rebuilt in the browser (``links`` in
``assets/45-export-links.js``, a copy of :func:`dashboard.components.export_buttons.export_hrefs`; no request to
the server), in the page's language (a page in another language than English gets links ending in ``lang=xx``).
A page's first draw changes nothing: the links the layout holds are kept (the function returns ``no_update`` for
an unchanged link).
Without Chromium on the server the row's PNG/SVG buttons download the chart from the browser (a
clientside callback calling ``Plotly.downloadImage``).

A row follows the ``dcc.Location`` named in its ids (``loc``); one set of (clientside) callbacks is registered
for each location the pages use (:data:`LOCATIONS`).

The image size (slide / A4) lives in the address bar as ``size=a4`` (:data:`SIZE_IN_URL_JS`, in the browser,
with ``history.replaceState``: no navigation, no request): choosing a size in any row writes it and sets every
row of the page to it; a page opened or reloaded with ``size=a4`` starts its rows at A4 (and their links follow);
when a page's own callback rewrites its query without ``size``, the chosen size is written back. The default
size is never written.
"""

from __future__ import annotations

from dash import ALL, MATCH, ClientsideFunction, Input, Output, State

from dashboard import ids
from dashboard.callbacks.registry import clientside_callback
from dashboard.components.export_buttons import DEFAULT_SIZE
from dashboard.constants import EXPORT_SIZES
from dashboard.export.images import SIZES

LOCATIONS: tuple[str, ...] = tuple(dict.fromkeys(
    getattr(ids, name)
    for name in ("URL", "MAP_LOCATION", "REGION_LOCATION", "COMPARE_URL", "EXPLORE_URL", "OUTCOMES_URL")
    if hasattr(ids, name)
))


#: Locations whose page's own callbacks keep ``size=`` in the query they write (so the size script does not
#: listen to their ``search``).
KEEP_SIZE: tuple[str, ...] = tuple(getattr(ids, name) for name in ("MAP_LOCATION",) if hasattr(ids, name))


#: The browser function that rebuilds a row's links (``assets/45-export-links.js``).
LINKS_JS = ClientsideFunction(namespace="mx_export", function_name="links")


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


#: ``mxSetQueryKey(search, key, value)``: ``search`` with ``key`` set to ``value`` (or removed when ``value`` is
#: empty), other pairs kept exactly as written (commas stay commas), in order; ``mxReplaceQueryKey(key, value)``
#: does it to the address bar and returns the ``[search, href]`` the page's ``dcc.Location`` must then hold.
#: Shared by the URL-state scripts.
SET_QUERY_KEY_JS = """
function mxSetQueryKey(search, key, value) {
    const pairs = (search || "").replace(/^\\?/, "").split("&").filter(p => p && p.split("=")[0] !== key);
    if (value) { pairs.push(key + "=" + encodeURIComponent(value).replace(/%3A/gi, ":").replace(/%2C/gi, ",")); }
    return pairs.length ? "?" + pairs.join("&") : "";
}
function mxReplaceQueryKey(key, value) {
    // [search, href] for the page's dcc.Location after replacing the address (no navigation, no new history
    // entry); the Location is told the new values so that its next push starts from them, not from a stale href
    const nu = window.dash_clientside.no_update, now = window.location.search;
    const wanted = mxSetQueryKey(now, key, value);
    if (wanted === now) { return [nu, nu]; }
    window.history.replaceState(window.history.state, "", window.location.pathname + wanted + window.location.hash);
    return [window.location.search, window.location.href];
}
"""

SIZE_IN_URL_JS = """
function (sizes, search) {
    %(helper)s
    const nu = window.dash_clientside.no_update;
    const valid = %(valid)s, fallback = "%(default)s";
    const trig = (window.dash_clientside.callback_context.triggered || []).filter(t => t.prop_id !== ".");
    const chosen = trig.find(t => t.prop_id.endsWith(".value"));
    const now = window.location.search;
    const inUrl = new URLSearchParams(now).get("size");
    let size;
    if (chosen && valid.includes(chosen.value)) {
        size = chosen.value;                                   // a row's selector: every row and the address
    } else if (valid.includes(inUrl)) {
        size = inUrl;                                          // opened or reloaded with size=...
    } else {
        const held = sizes.find(v => v && v !== fallback);     // a page's callback dropped it from the query
        if (!held) { return [sizes.map(() => nu), nu, nu]; }
        size = held;
    }
    return [sizes.map(v => v === size ? nu : size), ...mxReplaceQueryKey("size", size === fallback ? "" : size)];
}
"""


def size_in_url_js() -> str:
    """The browser's half of the image size in the address bar (see the module docstring)."""
    import json

    return SIZE_IN_URL_JS % {"helper": SET_QUERY_KEY_JS.strip(), "valid": json.dumps(list(EXPORT_SIZES)),
                             "default": DEFAULT_SIZE}


def _register(loc: str) -> None:
    # In the browser: the row's links from its spec, the address and the size (no request to the server).
    clientside_callback(
        LINKS_JS,
        Output({"type": ids.EXPORT_LINK_TYPE, "loc": loc, "key": MATCH, "fmt": ALL}, "href"),
        Input(loc, "search"),
        Input({"type": ids.EXPORT_SIZE_TYPE, "loc": loc, "key": MATCH}, "value"),
        State({"type": ids.EXPORT_SPEC_TYPE, "loc": loc, "key": MATCH}, "data"),
        State({"type": ids.EXPORT_LINK_TYPE, "loc": loc, "key": MATCH, "fmt": ALL}, "id"),
        State({"type": ids.EXPORT_LINK_TYPE, "loc": loc, "key": MATCH, "fmt": ALL}, "href"),
        prevent_initial_call=True,
    )

    clientside_callback(
        CLIENT_DOWNLOAD_JS,
        Output({"type": ids.EXPORT_CLIENT_DONE_TYPE, "loc": loc, "key": MATCH}, "data"),
        Input({"type": ids.EXPORT_CLIENT_TYPE, "loc": loc, "key": MATCH, "fmt": ALL}, "n_clicks"),
        State({"type": ids.EXPORT_SPEC_TYPE, "loc": loc, "key": MATCH}, "data"),
        prevent_initial_call=True,
    )

    # Runs in the browser, also on the page's first draw (no request to the server): the size in the address.
    # The map's callbacks keep size= in the query they write (callbacks.map.keep_size): there the script need not
    # run after every measure or selection change (a clientside callback costs ~20-30 ms of the browser's time).
    clientside_callback(
        size_in_url_js(),
        Output({"type": ids.EXPORT_SIZE_TYPE, "loc": loc, "key": ALL}, "value"),
        Output(loc, "search", allow_duplicate=True),
        Output(loc, "href", allow_duplicate=True),
        Input({"type": ids.EXPORT_SIZE_TYPE, "loc": loc, "key": ALL}, "value"),
        *([] if loc in KEEP_SIZE else [Input(loc, "search")]),
        prevent_initial_call="initial_duplicate",
    )


for _loc in LOCATIONS:
    _register(_loc)
