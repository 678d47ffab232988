"""Map page callbacks. The registered callbacks are thin: their bodies call the plain functions
below (and :mod:`dashboard.views.map`), which tests call directly.

State lives in the URL query (``/?measure=area:health&region=PT20``): the page layout reads it
(:func:`dashboard.views.map.parse_map_query`), and every change writes it back (``map_search``) through the
page's own ``dcc.Location`` (``refresh=False``: the address changes, the page is not rebuilt).

What each change sends (no request on mount: the layout already holds the first view):

* **measure** (:func:`change_measure`): a ``dash.Patch`` of the map's values, hover texts and titles (never the
  geometry, which the browser fetched once from ``/geo/<key>/…``), the region list's new order as a few numbers
  per region (``MAP_LIST_ROWS``), the panel's one measure line when a region is chosen, and the URL query;
* **selection** (:func:`change_selection`): a Patch of the outlines, the side panel and the URL query;
* in the browser only: the region list is drawn, re-ordered and updated in place from ``MAP_LIST_META`` (sent
  once) and ``MAP_LIST_ROWS`` (:data:`LIST_JS`); a map click sets the selection
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
from dashboard.figures import maps as map_figures
from dashboard.query import parse_measure
from dashboard.views import map as map_view
from dashboard.views.editions import parse_editions, shown
from dashboard.views.map import map_search


def graph_config(filename: str = "mipexr-map") -> dict:
    """dcc.Graph config of a map: plotly.js fetches its base-map topojson from the app, never a CDN."""
    return {
        "topojsonURL": geo.topojson_url(app_prefix()),
        "displaylogo": False,
        "scrollZoom": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        "toImageButtonOptions": {"filename": filename, "scale": 2},
    }


def app_prefix() -> str:
    """The running app's ``requests_pathname_prefix`` (``"/"`` outside a running app, e.g. in tests)."""
    try:
        return dash.get_app().config.requests_pathname_prefix or "/"
    except Exception:  # noqa: BLE001 - outside a running app (tests)
        return "/"


def measure_patch(update: map_view.MeasureUpdate) -> Patch:
    """A Patch of the map figure for a new measure: values, hover texts, the measure's name for the hover
    (``layout.meta``), the colour axis fitted to the measure (range, ticks, title), the no-score trace's
    regions and the figure title. It never carries geometry or outlines."""
    patch = Patch()
    for trace, values in update.traces.items():
        if trace == map_figures.TRACE_SMALL:
            patch["data"][trace]["marker"]["color"] = values["z"]
            patch["data"][trace]["hovertext"] = values["hovertext"]
        else:  # one merge per trace (fewer, shorter operations than one per attribute)
            patch["data"][trace].update({"z": values["z"], "hovertext": values["hovertext"]})
    if update.nodata is not None:
        trace, missing = update.nodata
        patch["data"][trace].update({"locations": missing, "z": [0] * len(missing)})
    for k, text in update.inset_labels.items():
        patch["layout"]["annotations"][k]["text"] = text
    patch["layout"]["meta"] = update.meta
    axis = update.coloraxis
    if axis:
        patch["layout"]["coloraxis"].update({"cmin": axis["cmin"], "cmax": axis["cmax"]})
        patch["layout"]["coloraxis"]["colorbar"].update({"tickvals": axis["colorbar"]["tickvals"],
                                                         "ticktext": axis["colorbar"]["ticktext"]})
    patch["layout"]["coloraxis"]["colorbar"]["title"]["text"] = update.colorbar_title
    patch["layout"]["title"]["text"] = update.title
    return patch


def selection_patch(styles: dict[int, dict]) -> Patch:
    """A Patch of the outlines for a new selection (borders; size and outline of the small-region markers)."""
    patch = Patch()
    for trace, style in styles.items():
        if trace == map_figures.TRACE_SMALL:
            patch["data"][trace]["marker"]["size"] = style["size"]
            patch["data"][trace]["marker"]["line"] = style["line"]
        else:
            patch["data"][trace]["marker"]["line"] = style["line"]
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
    if choice.since is not None:
        figure = _whole_figure(dataset, measure, selected, choice.since)
        rows = map_view.list_rows(dataset.scores_table(), measure)
    else:
        update = map_view.measure_update(dataset, measure, cache=state.shared_data())
        figure = measure_patch(update) if update.traces else no_update
        rows = update.rows
    line = panel.panel_measure_line(dataset, selected, measure) if selected else []
    return figure, rows, map_search(measure, selected, choice.params()), [line] * panel_lines


def change_selection(dataset: Dataset, measure: str | None, selected: str | None, edition: str | None = None,
                     since: str | None = None):
    """A selection change: (figure Patch of the outlines or ``no_update`` without boundary files, the side
    panel, the URL query)."""
    dataset, choice = _edition(dataset, edition, since)
    measure, selected = _valid(dataset, measure, selected)
    styles = map_view.selection_styles(dataset, selected, cache=state.shared_data())
    patch = selection_patch(styles) if styles is not None else no_update
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


#: The region list, drawn in the browser from ``MAP_LIST_META`` (ids, names, countries: sent once with the page)
#: in the order of ``MAP_LIST_ROWS`` (``[position, rank, score]``, a few bytes per region): one native button per
#: region (``data-region``; DOM order is reading and tab order), made once and then re-ordered and updated in place
#: (rank, score, ``aria-label``, the chosen one's ``active`` / ``aria-pressed``); its words ("no score", "56 /100")
#: come translated in ``MAP_LIST_META.words`` (:func:`dashboard.views.map.list_meta`). Plain DOM, not Dash components:
#: the page's layout stays small at any number of regions (1,512 buttons as components were ~0.9 MB of layout)
#: and re-rendering them through Dash took about half a second even for 25. Runs when the page mounts (in the
#: browser only: no request) and after every measure or selection change.
LIST_JS = """
function (rows, selected, meta) {
    const nu = window.dash_clientside.no_update;
    const list = document.getElementById("%(list)s");
    if (!list || !rows || !meta) { return nu; }
    // re-ordering moves every button out of the document and back, which drops the focus to the page's top:
    // note the focused one first, focus it again after
    const focused = list.contains(document.activeElement) ? document.activeElement : null;
    const byId = {};
    list.querySelectorAll("button[data-region]").forEach(function (b) { byId[b.getAttribute("data-region")] = b; });
    const span = function (cls) { const s = document.createElement("span"); s.className = cls; return s; };
    const ordered = document.createDocumentFragment();
    rows.forEach(function (row) {
        const i = row[0], rank = row[1], score = row[2], id = meta.ids[i];
        let button = byId[id];
        if (!button) {
            button = document.createElement("button");
            button.type = "button";
            button.setAttribute("data-region", id);
            const name = span("flex-grow-1 text-start"), code = span("text-muted me-2");
            name.textContent = meta.names[i];
            code.textContent = " (" + meta.codes[i] + ")";
            button.append(span("mx-rank text-muted me-2"), name, code, span("fw-semibold"));
        }
        const spans = button.children, words = meta.words || {};
        const scoreText = score === null ? words.none : (words.score || "{score}").replace("{score}", score);
        spans[0].textContent = rank === null ? "\u2013" : rank + ".";
        spans[3].textContent = scoreText;
        const active = id === selected;
        button.className = "%(cls)s" + (active ? " active" : "");
        button.setAttribute("aria-pressed", active ? "true" : "false");
        button.setAttribute("aria-label", meta.names[i] + ", " + meta.countries[i] + ": " + scoreText);
        ordered.appendChild(button);
        delete byId[id];
    });
    Object.keys(byId).forEach(function (id) { byId[id].remove(); });
    list.appendChild(ordered);
    if (focused && focused.isConnected && document.activeElement !== focused) { focused.focus({preventScroll: true}); }
    const options = document.getElementById("%(options)s");
    if (options && !options.childElementCount) {  // the search box's suggestions, once: "Name (CODE)"
        const all = document.createDocumentFragment();
        meta.ids.forEach(function (id, i) {
            const o = document.createElement("option");
            o.value = meta.names[i] + " (" + id + ")";
            all.appendChild(o);
        });
        options.appendChild(all);
    }
    return nu;
}
""" % {"list": ids.MAP_REGION_LIST, "cls": panel.LIST_ITEM_CLASS, "options": ids.MAP_SEARCH_OPTIONS}

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


@callback(
    Output(ids.MAP_GRAPH, "figure"),
    Output(ids.MAP_LIST_ROWS, "data"),
    Output(ids.MAP_LOCATION, "search"),
    Output({"type": ids.MAP_PANEL_MEASURE_TYPE, "index": ALL}, "children"),
    Input(ids.MAP_MEASURE, "value"),
    State(ids.MAP_SELECTED, "data"),
    State(ids.MAP_EDITION, "value"),
    State(ids.MAP_SINCE, "value"),
    State(ids.MAP_LOCATION, "search"),
    prevent_initial_call=True,
)
def _change_measure(measure, selected, edition, since, search):
    lines = len(ctx.outputs_list[3]) if ctx.outputs_list else 0
    figure, rows, new_search, panel_lines = change_measure(state.current(), measure, selected, lines, edition, since)
    return figure, rows, keep_size(new_search, search), panel_lines


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
