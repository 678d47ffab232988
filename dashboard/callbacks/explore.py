"""Explore & rank callback: the filters → :func:`dashboard.views.explore.explore_view` → figures, grid, URL.

With many regions (more than :data:`dashboard.views.explore.MAX_ROWS` shown) the ranking has a page control:
"Previous"/"Next" redraw the ranking (and a one-country heat-map) only; a filter change goes back to page 1. A
click on a country's row of the by-country heat-map chooses that country in the Country filter (in the browser).
What a change sends is kept per (dataset fingerprint, controls, page, language) for shared data."""

from __future__ import annotations

import dash
from dash import Input, Output, State, ctx, html

from dashboard import i18n, ids, state
from dashboard.callbacks.export import SET_QUERY_KEY_JS
from dashboard.callbacks.registry import callback, clientside_callback
from dashboard.components.chart_text import text_children
from dashboard.components.controls import measure_options
from dashboard.components.data_grid import column_defs
from dashboard.query import TABLE_SORT_KEY, parse_search
from dashboard.views.cache import BoundedCache
from dashboard.views.columns import columnar
from dashboard.views.explore import (
    ExploreView,
    explore_view,
    parse_query,
    state_from_controls,
)

TABLE_OPTIONS = {"filterable": True, "wide_column": "name"}

#: The grid's ``columnDefs``, its rows (:func:`dashboard.views.columns.columnar`) and the measure options per
#: (dataset fingerprint, state, language).
GRIDS = BoundedCache(64)


def measure_choices(view: ExploreView) -> list[dict]:
    """The measure selector's options, those without a meaning under the filters disabled."""
    allowed = set(view.allowed)
    return [opt if opt.get("disabled") else {**opt, "disabled": opt["value"] not in allowed}
            for opt in measure_options()]


def notes_children(notes: list[str]) -> list:
    return [html.Div(n) for n in notes]


def pager_props(view: ExploreView) -> tuple:
    """The page control's ``hidden``, text, "Previous" and "Next" ``disabled``, and the page store."""
    return view.pages <= 1, view.pager_text, view.page <= 1, view.page >= view.pages, view.page


def update(dataset, measure, countries, axis, areas, target, sort, search, page: int = 1, step: int = 0,
           cache: bool = False) -> tuple:
    """Every output of the page for the controls' values (the URL only changes when the state does).

    ``step`` −1/+1: "Previous"/"Next" was pressed on page ``page``: only the charts, their texts and the page
    control change. Otherwise (a filter changed) the first page. ``cache``: shared data (kept per dataset
    version, controls, page and language)."""
    st, notes = state_from_controls(dataset, measure, countries, axis, areas, target, sort, cache=cache)
    view = explore_view(dataset, st, notes, page=(page or 1) + step if step else 1, cache=cache)
    charts = (view.ranking, view.heatmap)
    texts = (text_children(view.ranking_text), text_children(view.heatmap_text))
    if step:
        nu = dash.no_update
        return (nu, nu, *charts, nu, nu, nu, nu, *texts, *pager_props(view))
    url_state, _unused = parse_query(parse_search(search), dataset, cache=cache)
    new_search = dash.no_update if url_state == st else view.search

    def build():
        defs = column_defs(view.columns, filterable=TABLE_OPTIONS["filterable"],
                           wide_column=TABLE_OPTIONS["wide_column"])
        return defs, columnar(view.table, view.columns), measure_choices(view)

    defs, rows, choices = GRIDS.get((dataset.fingerprint, st, i18n.current()), build, cache)
    return (st.measure, choices, *charts, defs, rows, notes_children(view.notes), new_search, *texts,
            *pager_props(view))


@callback(
    Output(ids.EXPLORE_MEASURE, "value"),
    Output(ids.EXPLORE_MEASURE, "options"),
    Output(ids.EXPLORE_RANKING, "figure"),
    Output(ids.EXPLORE_HEATMAP, "figure"),
    Output(ids.EXPLORE_TABLE, "columnDefs"),
    Output(ids.EXPLORE_TABLE_ROWS, "data"),  # to the grid through TABLE_ROWS_JS
    Output(ids.EXPLORE_NOTE, "children"),
    Output(ids.EXPLORE_URL, "search"),
    Output(ids.chart_text(ids.EXPLORE_RANKING), "children"),
    Output(ids.chart_text(ids.EXPLORE_HEATMAP), "children"),
    Output(ids.EXPLORE_PAGER, "hidden"),
    Output(ids.EXPLORE_PAGER_TEXT, "children"),
    Output(ids.EXPLORE_PREV, "disabled"),
    Output(ids.EXPLORE_NEXT, "disabled"),
    Output(ids.EXPLORE_PAGE, "data"),
    Input(ids.EXPLORE_MEASURE, "value"),
    Input(ids.EXPLORE_COUNTRY, "value"),
    Input(ids.EXPLORE_AXIS, "value"),
    Input(ids.EXPLORE_AREA, "value"),
    Input(ids.EXPLORE_TARGET, "value"),
    Input(ids.EXPLORE_SORT, "value"),
    Input(ids.EXPLORE_PREV, "n_clicks"),
    Input(ids.EXPLORE_NEXT, "n_clicks"),
    State(ids.EXPLORE_URL, "search"),
    State(ids.EXPLORE_PAGE, "data"),
    prevent_initial_call=True,
)
def _update(measure, countries, axis, areas, target, sort, _prev, _next, search, page):
    step = {ids.EXPLORE_PREV: -1, ids.EXPLORE_NEXT: 1}.get(ctx.triggered_id, 0)
    return update(state.current(), measure, countries, axis, areas, target, sort, search, page, step,
                  cache=state.shared_data())


#: A click on a country's row of the by-country heat-map chooses that country in the Country filter; a click on a
#: region's cell does nothing. ``dcc.Graph`` leaves a heat-map cell's ``customdata`` out of ``clickData`` (its
#: point number is a [row, column] pair), so the row is found from the clicked label in the figure itself, whose
#: cells carry ``[country code, hover text]`` (:func:`dashboard.figures.explore.country_heatmap`).
HEATMAP_DRILL_JS = """
function (click, figure) {
    const nu = window.dash_clientside.no_update;
    const point = click && click.points && click.points[0];
    const trace = figure && figure.data && figure.data[point ? point.curveNumber || 0 : 0];
    if (!point || !trace || !Array.isArray(trace.y) || !Array.isArray(trace.customdata)) { return nu; }
    const row = trace.customdata[trace.y.indexOf(point.y)];
    const cell = Array.isArray(row) ? row[0] : null;
    if (!Array.isArray(cell) || typeof cell[0] !== "string") { return nu; }
    return [cell[0]];
}
"""

clientside_callback(
    HEATMAP_DRILL_JS,
    Output(ids.EXPLORE_COUNTRY, "value"),
    Input(ids.EXPLORE_HEATMAP, "clickData"),
    State(ids.EXPLORE_HEATMAP, "figure"),
    prevent_initial_call=True,
)


#: The table's rows (column by column, :func:`dashboard.views.columns.columnar`, in the store the page and the
#: filters' callback fill) → the grid's records, once both charts are drawn:
#: with many regions, building a page of the grid's rows (~1,100 cells, each column sized to fit) costs about as
#: much main-thread time as drawing the charts, and the charts are what a visitor reads first. Waits at most
#: 10 s for the charts (the rows come anyway). A store without rows (the page with few regions, whose grid holds
#: its rows already) changes nothing.
TABLE_ROWS_JS = """
function (table) {
    if (table == null) { return window.dash_clientside.no_update; }
    const fields = table.fields, values = table.values, n = values.length ? values[0].length : 0;
    const rows = Array.from({length: n}, (_, i) => Object.fromEntries(fields.map((f, j) => [f, values[j][i]])));
    const sel = ["#%(ranking)s .main-svg", "#%(heatmap)s .main-svg"];
    const drawn = () => sel.every(s => document.querySelector(s));
    return new Promise(resolve => {
        const done = () => {
            obs.disconnect();
            clearTimeout(timer);
            requestAnimationFrame(() => setTimeout(() => resolve(rows), 0));  // after the charts' first paint
        };
        const obs = new MutationObserver(() => { if (drawn()) { done(); } });
        const timer = setTimeout(done, 10000);
        if (drawn()) { done(); } else { obs.observe(document.body, {childList: true, subtree: true}); }
    });
}
""" % {"ranking": ids.EXPLORE_RANKING, "heatmap": ids.EXPLORE_HEATMAP}

clientside_callback(
    TABLE_ROWS_JS,
    Output(ids.EXPLORE_TABLE, "rowData"),
    Input(ids.EXPLORE_TABLE_ROWS, "data"),
)


#: The table's column sort in the address bar (``tsort=<column>:<asc|desc>``), in the browser with
#: ``history.replaceState`` (no navigation, no request): written when a header is clicked (the grid reports its
#: ``columnState``), written back when the filters' callback rewrites the query without it, removed when the
#: sort is cleared. :func:`dashboard.pages.explore.layout` opens the table sorted that way.
TABLE_SORT_JS = """
function (columnState, search, held) {
    %(helper)s
    const nu = window.dash_clientside.no_update;
    const now = window.location.search;
    let value;
    if (Array.isArray(columnState)) {
        const sorted = columnState.filter(c => c.sort).sort((a, b) => (a.sortIndex || 0) - (b.sortIndex || 0));
        value = sorted.length ? sorted[0].colId + ":" + sorted[0].sort : "";
    } else {
        value = new URLSearchParams(now).get("%(key)s") || held || "";
    }
    return [(value || null) === (held || null) ? nu : (value || null), ...mxReplaceQueryKey("%(key)s", value)];
}
""" % {"helper": SET_QUERY_KEY_JS.strip(), "key": TABLE_SORT_KEY}

clientside_callback(
    TABLE_SORT_JS,
    Output(ids.EXPLORE_TABLE_SORT, "data"),
    Output(ids.EXPLORE_URL, "search", allow_duplicate=True),
    Output(ids.EXPLORE_URL, "href", allow_duplicate=True),
    Input(ids.EXPLORE_TABLE, "columnState"),
    Input(ids.EXPLORE_URL, "search"),
    State(ids.EXPLORE_TABLE_SORT, "data"),
    prevent_initial_call=True,
)
