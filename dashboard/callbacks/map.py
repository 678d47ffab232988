"""Map page callbacks. The registered callbacks are thin: their bodies call the plain functions
below (and :mod:`dashboard.views.map`), which tests call directly.

State lives in the URL query (``/?measure=area:health&region=PT20``): the page layout reads it
(:func:`dashboard.views.map.parse_map_query`), and every change writes it back (``map_search``) through the
page's own ``dcc.Location`` (``refresh=False``: the address changes, the page is not rebuilt).

What each change sends (no request on mount: the layout already holds the first view):

* **measure**, in the browser (:data:`MEASURE_JS`): the page fetched every measure's change once, after the map
  was drawn (``MAP_VALUES``: ``/map-values/<fingerprint>/<lang>.json``, :func:`dashboard.views.map.map_values`,
  for the shared data with up to ``VALUES_MAX_REGIONS`` regions); a change is then a ``dash_clientside.Patch`` of
  the figure, the list's new order and the URL query, with no request — the server is asked only for the panel's
  measure line when a region is chosen;
* **measure**, on the server (:func:`change_measure`, when the browser has no values: a private workspace, many
  regions, another edition or a change since one, or values not fetched yet): a ``dash.Patch`` of the map's
  values, hover texts and titles (the same operations, :func:`dashboard.views.map.measure_ops`; never the
  geometry, which the browser fetched once from ``/geo/<key>/…``), the region list's new order as a few numbers
  per region (``MAP_LIST_ROWS``), the panel's one measure line when a region is chosen, and the URL query;
* **selection** (:func:`change_selection`): a Patch of the outlines, the side panel and the URL query;
* in the browser only: the region list is drawn, re-ordered and updated in place from ``MAP_LIST_META`` (sent
  once) and a measure's rows (:data:`LIST_JS`, ``assets/30-map-list.js``); a map click sets the selection
  (:data:`CLICK_JS`); a press on a list button too (``assets/30-map-list.js``, one listener for the whole list:
  no per-button id or callback input); the list keeps the focus of a pressed button while it is re-ordered;
* **search** (:func:`search_region`, "Find my region"): the typed name or code → the selection (then as above);
  its suggestions (a ``<datalist>``) are filled in the browser from ``MAP_LIST_META``;
* in the browser: a changed side panel is scrolled into view when it is off screen (:data:`PANEL_JS`).
"""

from __future__ import annotations

from urllib.parse import parse_qs

import dash
from dash import ALL, Input, Output, Patch, State, ctx, no_update

from dashboard import geo, ids, state
from dashboard.callbacks.registry import callback, clientside_callback
from dashboard.components import region_panel as panel
from dashboard.components.export_buttons import DEFAULT_SIZE
from dashboard.constants import EXPORT_SIZES
from dashboard.data import Dataset
from dashboard.query import DEFAULT_MEASURE, NO_SINCE, parse_measure
from dashboard.views import map as map_view
from dashboard.views.editions import parse_editions, shown
from dashboard.views.map import map_search


def graph_config(filename: str = "mipexr-map", image_button: bool = True) -> dict:
    """dcc.Graph config of a map: plotly.js fetches its base-map topojson from the app, never a CDN.
    ``image_button=False`` (the map page, whose colour legend is HTML outside the figure: an image of the figure
    alone would have no legend) leaves plotly's "download as PNG" out; the page's export row makes the images."""
    return {
        "topojsonURL": geo.topojson_url(app_prefix()),
        "displaylogo": False,
        "scrollZoom": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d"] + ([] if image_button else ["toImage"]),
        "toImageButtonOptions": {"filename": filename, "scale": 2},
    }


def app_prefix() -> str:
    """The running app's ``requests_pathname_prefix`` (``"/"`` outside a running app, e.g. in tests)."""
    try:
        return dash.get_app().config.requests_pathname_prefix or "/"
    except Exception:  # noqa: BLE001 - outside a running app (tests)
        return "/"


def as_patch(ops: list[list]) -> Patch:
    """Patch operations (:func:`dashboard.views.map.measure_ops`, ``[verb, location, value]``) as a
    ``dash.Patch``: the same operations ``assets/32-map-values.js`` gives ``dash_clientside.Patch``."""
    patch = Patch()
    for verb, location, value in ops:
        target = patch
        for key in location[:-1]:
            target = target[key]
        if verb == "merge":
            target[location[-1]].update(value)
        else:
            target[location[-1]] = value
    return patch


def keep_size(search: str, current: str | None) -> str:
    """``search`` (a map view's new query) with the export image size of the address it replaces (``current``)
    kept: ``size=a4`` stays in the address when a measure, selection or edition changes. The map's callbacks keep
    it themselves, so the export rows' size script (:mod:`dashboard.callbacks.export`) need not run after every
    change to write it back."""
    sizes = parse_qs((current or "").lstrip("?")).get("size") or []
    size = sizes[-1] if sizes else None
    if size not in EXPORT_SIZES or size == DEFAULT_SIZE:
        return search
    return (search + "&" if search else "?") + "size=" + size


def _valid(dataset: Dataset, measure: str | None, selected: str | None) -> tuple[str, str | None]:
    measure, _note = parse_measure(measure)
    return measure, (selected if selected and dataset.has_region(selected) else None)


def _edition(dataset: Dataset, edition, since):
    """(the dataset of the edition shown, the edition choice) — lenient: an unknown edition falls back."""
    choice = parse_editions(dataset, edition or None, since or None)
    return shown(dataset, choice), choice


def _whole_figure(dataset: Dataset, measure: str, selected: str | None, since: int | None):
    fig, _error = map_view.page_figure(dataset, measure, selected, app_prefix(), cache=state.shared_data(), since=since)
    return fig if fig is not None else no_update


def change_measure(dataset: Dataset, measure: str | None, selected: str | None, panel_lines: int = 0,
                   edition: str | None = None, since: str | None = None):
    """A measure change: (figure Patch — the whole figure while a change since an earlier edition is shown —
    or ``no_update`` without boundary files, the list's rows, the URL query, the panel's measure line
    ×``panel_lines`` — 1 when a region's panel is shown, else 0). ``edition``/``since``: the edition controls."""
    dataset, choice = _edition(dataset, edition, since)
    measure, selected = _valid(dataset, measure, selected)
    lines = _panel_lines(dataset, measure, selected, panel_lines)
    if choice.since is not None:
        figure = _whole_figure(dataset, measure, selected, choice.since)
        rows = map_view.list_rows(dataset.scores_table(), measure)
    else:
        update = map_view.measure_update(dataset, measure, cache=state.shared_data())
        figure = as_patch(map_view.measure_ops(update)) if update.traces else no_update
        rows = update.rows
    return figure, rows, map_search(measure, selected, choice.params()), lines


def measure_lines(dataset: Dataset, measure: str | None, selected: str | None, panel_lines: int = 0,
                  edition: str | None = None, since: str | None = None) -> list:
    """The panel's measure line ×``panel_lines`` (1 when a region's panel is shown, else 0) after a measure change
    the browser made itself (:data:`MEASURE_JS`): all the server still sends."""
    dataset, _choice = _edition(dataset, edition, since)
    measure, selected = _valid(dataset, measure, selected)
    return _panel_lines(dataset, measure, selected, panel_lines)


def _panel_lines(dataset: Dataset, measure: str, selected: str | None, panel_lines: int) -> list:
    """The panel's measure line ×``panel_lines``, of a measure and selection already checked (:func:`_valid`)."""
    return [panel.panel_measure_line(dataset, selected, measure) if selected else []] * panel_lines


def answer_measure(dataset: Dataset, wanted, selected: str | None, panel_lines: int, edition: str | None,
                   since: str | None, search: str | None):
    """The server's answer to a measure change the browser asks for (``MAP_MEASURE_WANTED``, :data:`MEASURE_JS`):
    ``whole: false`` — the browser changed the map, the list and the address itself — only the panel's measure
    line (the rest ``no_update``); otherwise :func:`change_measure`, the address keeping its image size."""
    wanted = wanted if isinstance(wanted, dict) else {}
    measure = wanted.get("measure")
    if wanted.get("whole") is False:
        return no_update, no_update, no_update, measure_lines(dataset, measure, selected, panel_lines, edition, since)
    figure, rows, new_search, lines = change_measure(dataset, measure, selected, panel_lines, edition, since)
    return figure, rows, keep_size(new_search, search), lines


def change_selection(dataset: Dataset, measure: str | None, selected: str | None, edition: str | None = None,
                     since: str | None = None):
    """A selection change: (figure Patch of the outlines or ``no_update`` without boundary files, the side
    panel, the URL query)."""
    dataset, choice = _edition(dataset, edition, since)
    measure, selected = _valid(dataset, measure, selected)
    styles = map_view.selection_styles(dataset, selected, cache=state.shared_data())
    patch = as_patch(map_view.selection_ops(styles)) if styles is not None else no_update
    side = panel.region_panel(dataset, selected, measure) if selected else panel.panel_placeholder()
    return patch, side, map_search(measure, selected, choice.params())


def change_edition(dataset: Dataset, measure: str | None, selected: str | None, edition: str | None,
                   since: str | None):
    """An edition control changed: (the whole figure of that edition — or of the change since an earlier
    one — or ``no_update`` without boundary files, the list's rows, the side panel, the URL query)."""
    dataset, choice = _edition(dataset, edition, since)
    measure, selected = _valid(dataset, measure, selected)
    figure = _whole_figure(dataset, measure, selected, choice.since)
    side = panel.region_panel(dataset, selected, measure) if selected else panel.panel_placeholder()
    return (figure, map_view.list_rows(dataset.scores_table(), measure), side,
            map_search(measure, selected, choice.params()))


def search_region(dataset: Dataset, text: str | None, selected: str | None):
    """"Find my region": (the selection store — the region found, or ``no_update`` when nothing was found or
    it is already chosen — and the message under the box)."""
    found = map_view.find_region(dataset, text)
    if found.region is None or found.region == selected:
        return no_update, found.message
    return found.region, found.message


#: The region list beside the map, drawn in the browser (``assets/30-map-list.js``) from ``MAP_LIST_META`` (sent once)
#: in the order of ``MAP_LIST_ROWS`` (``[position, rank, score]`` per region): when the page mounts (no request),
#: after a measure change the server answered (:func:`change_measure`) or an edition change; a selection change
#: only marks the chosen region (the order stays: a measure change made in the browser, :data:`MEASURE_JS`, draws
#: the list itself and leaves the store as it was).
LIST_JS = """
function (rows, selected, meta) {
    const list = window.mipexrMapList, ctx = window.dash_clientside.callback_context;
    const trig = (ctx && ctx.triggered) || [];
    if (list && trig.length && trig.every(function (t) { return t.prop_id === "%(selected)s.data"; })) {
        list.select(selected);
    } else if (list) {
        list.draw(rows, selected, meta);
    }
    return window.dash_clientside.no_update;
}
""" % {"selected": ids.MAP_SELECTED}

#: A measure chosen: when the page holds every measure's change (``MAP_VALUES``, fetched by ``assets/32-map-values.js``
#: after the map was drawn) and shows the edition they are of, with no change since an earlier one, the figure's
#: Patch, the list's rows and the URL query are made here, with no request; the server is then asked only for the
#: panel's measure line, when a region is chosen (``whole: false``). Otherwise the server answers the whole change
#: (``whole: true``, :func:`change_measure`). ``at`` makes every ask a new value. The list is drawn here directly
#: (one callback per change, not two: each costs the browser 15–25 ms).
MEASURE_JS = """
function (measure, values, edition, since, selected, search, meta) {
    const dc = window.dash_clientside, nu = dc.no_update, mv = window.mipexrMapValues;
    const scores = since === null || since === undefined || since === "" || since === "%(no_since)s";
    const change = values && mv && window.mipexrMapList && scores && String(edition) === values.edition
        ? mv.change(values.url, measure) : null;
    if (!change) { return [nu, nu, {measure: measure, whole: true, at: Date.now()}]; }
    window.mipexrMapList.draw(change.rows, selected, meta);
    return [mv.patch(change.ops), mv.search(search, measure, "%(default)s"),
            selected ? {measure: measure, whole: false, at: Date.now()} : nu];
}
""" % {"no_since": NO_SINCE, "default": DEFAULT_MEASURE}

#: On mount: fetch every measure's change (``MAP_VALUES``) once the browser is idle (after the map is drawn).
VALUES_JS = """
function (values) {
    if (values && window.mipexrMapValues) { window.mipexrMapValues.load(values.url); }
    return window.dash_clientside.no_update;
}
"""

#: After the side panel changed (a region chosen on the map, in the list or by the search): bring the panel into
#: view when it is not (on a phone it sits under the map; on a desktop it is sticky and seldom moves). Focus
#: stays where it was.
PANEL_JS = """
function (children) {
    const panel = document.getElementById("%(panel)s");
    if (panel) {
        const box = panel.getBoundingClientRect();
        const seen = box.top >= 0 && box.top < window.innerHeight - 80;
        if (!seen) { panel.scrollIntoView({block: "start", behavior: "instant"}); }
    }
    return window.dash_clientside.no_update;
}
""" % {"panel": ids.MAP_PANEL}

#: A click on the map selects the region under it (a choropleth reports ``location``, a marker its
#: ``customdata[0]``); the grey countries around are no region. Same rule as ``views.map.region_from_click``.
CLICK_JS = """
function (click, meta) {
    const nu = window.dash_clientside.no_update;
    if (!click || !click.points || !click.points.length || !meta) { return nu; }
    const p = click.points[0];
    for (const v of [p.location, p.customdata]) {
        const id = Array.isArray(v) ? v[0] : v;
        if (typeof id === "string" && meta.ids.indexOf(id) >= 0) { return id; }
    }
    return nu;
}
"""


# ---------------------------------------------------------------------------------------------
# Registration
# ---------------------------------------------------------------------------------------------

clientside_callback(
    CLICK_JS,
    Output(ids.MAP_SELECTED, "data"),
    Input(ids.MAP_GRAPH, "clickData"),
    State(ids.MAP_LIST_META, "data"),
    prevent_initial_call=True,
)

clientside_callback(  # fires on mount too: draws the list (in the browser, no request)
    LIST_JS,
    Output(ids.MAP_LIST_DRAWN, "data"),
    Input(ids.MAP_LIST_ROWS, "data"),
    Input(ids.MAP_SELECTED, "data"),
    State(ids.MAP_LIST_META, "data"),
)


clientside_callback(
    PANEL_JS,
    Output(ids.MAP_PANEL_SHOWN, "data"),
    Input(ids.MAP_PANEL, "children"),
    prevent_initial_call=True,
)


@callback(
    Output(ids.MAP_SELECTED, "data", allow_duplicate=True),
    Output(ids.MAP_SEARCH_NOTE, "children"),
    Input(ids.MAP_SEARCH, "value"),
    State(ids.MAP_SELECTED, "data"),
    prevent_initial_call=True,
)
def _search(text, selected):
    return search_region(state.current(), text, selected)


clientside_callback(  # fires on mount: fetches the values (in the browser, when idle)
    VALUES_JS,
    Output(ids.MAP_VALUES_LOADING, "data"),
    Input(ids.MAP_VALUES, "data"),
)

clientside_callback(
    MEASURE_JS,
    Output(ids.MAP_GRAPH, "figure", allow_duplicate=True),
    Output(ids.MAP_LOCATION, "search", allow_duplicate=True),
    Output(ids.MAP_MEASURE_WANTED, "data"),
    Input(ids.MAP_MEASURE, "value"),
    State(ids.MAP_VALUES, "data"),
    State(ids.MAP_EDITION, "value"),
    State(ids.MAP_SINCE, "value"),
    State(ids.MAP_SELECTED, "data"),
    State(ids.MAP_LOCATION, "search"),
    State(ids.MAP_LIST_META, "data"),
    prevent_initial_call=True,
)


@callback(
    Output(ids.MAP_GRAPH, "figure"),
    Output(ids.MAP_LIST_ROWS, "data"),
    Output(ids.MAP_LOCATION, "search"),
    Output({"type": ids.MAP_PANEL_MEASURE_TYPE, "index": ALL}, "children"),
    Input(ids.MAP_MEASURE_WANTED, "data"),
    State(ids.MAP_SELECTED, "data"),
    State(ids.MAP_EDITION, "value"),
    State(ids.MAP_SINCE, "value"),
    State(ids.MAP_LOCATION, "search"),
    prevent_initial_call=True,
)
def _change_measure(wanted, selected, edition, since, search):
    lines = len(ctx.outputs_list[3]) if ctx.outputs_list else 0
    return answer_measure(state.current(), wanted, selected, lines, edition, since, search)


@callback(
    Output(ids.MAP_GRAPH, "figure", allow_duplicate=True),
    Output(ids.MAP_PANEL, "children"),
    Output(ids.MAP_LOCATION, "search", allow_duplicate=True),
    Input(ids.MAP_SELECTED, "data"),
    State(ids.MAP_MEASURE, "value"),
    State(ids.MAP_EDITION, "value"),
    State(ids.MAP_SINCE, "value"),
    State(ids.MAP_LOCATION, "search"),
    prevent_initial_call=True,
)
def _change_selection(selected, measure, edition, since, search):
    patch, side, new_search = change_selection(state.current(), measure, selected, edition, since)
    return patch, side, keep_size(new_search, search)


@callback(
    Output(ids.MAP_GRAPH, "figure", allow_duplicate=True),
    Output(ids.MAP_LIST_ROWS, "data", allow_duplicate=True),
    Output(ids.MAP_PANEL, "children", allow_duplicate=True),
    Output(ids.MAP_LOCATION, "search", allow_duplicate=True),
    Input(ids.MAP_EDITION, "value"),
    Input(ids.MAP_SINCE, "value"),
    State(ids.MAP_MEASURE, "value"),
    State(ids.MAP_SELECTED, "data"),
    State(ids.MAP_LOCATION, "search"),
    prevent_initial_call=True,
)
def _change_edition(edition, since, measure, selected, search):
    figure, rows, side, new_search = change_edition(state.current(), measure, selected, edition, since)
    return figure, rows, side, keep_size(new_search, search)
