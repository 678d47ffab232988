"""Explore & rank callback: the filters → :func:`dashboard.views.explore.explore_view` → figures, grid, URL."""

from __future__ import annotations

import dash
from dash import Input, Output, State, html

from dashboard import ids, state
from dashboard.callbacks.export import SET_QUERY_KEY_JS
from dashboard.callbacks.registry import callback, clientside_callback
from dashboard.components.chart_text import text_children
from dashboard.components.controls import measure_options
from dashboard.components.data_grid import grid_props
from dashboard.query import TABLE_SORT_KEY, parse_search
from dashboard.views.explore import (
    ExploreView,
    explore_view,
    parse_query,
    state_from_controls,
)

TABLE_OPTIONS = {"filterable": True, "wide_column": "name"}


def measure_choices(view: ExploreView) -> list[dict]:
    """The measure selector's options, those without a meaning under the filters disabled."""
    allowed = set(view.allowed)
    return [opt if opt.get("disabled") else {**opt, "disabled": opt["value"] not in allowed}
            for opt in measure_options()]


def notes_children(notes: list[str]) -> list:
    return [html.Div(n) for n in notes]


def update(dataset, measure, countries, axis, areas, target, sort, search) -> tuple:
    """Every output of the page for the controls' values (the URL only changes when the state does)."""
    st, notes = state_from_controls(dataset, measure, countries, axis, areas, target, sort)
    view = explore_view(dataset, st, notes)
    url_state, _unused = parse_query(parse_search(search), dataset)
    new_search = dash.no_update if url_state == st else view.search
    defs, rows = grid_props(view.table, view.columns, **TABLE_OPTIONS)
    return (st.measure, measure_choices(view), view.ranking, view.heatmap, defs, rows,
            notes_children(view.notes), new_search, text_children(view.ranking_text),
            text_children(view.heatmap_text))


@callback(
    Output(ids.EXPLORE_MEASURE, "value"),
    Output(ids.EXPLORE_MEASURE, "options"),
    Output(ids.EXPLORE_RANKING, "figure"),
    Output(ids.EXPLORE_HEATMAP, "figure"),
    Output(ids.EXPLORE_TABLE, "columnDefs"),
    Output(ids.EXPLORE_TABLE, "rowData"),
    Output(ids.EXPLORE_NOTE, "children"),
    Output(ids.EXPLORE_URL, "search"),
    Output(ids.chart_text(ids.EXPLORE_RANKING), "children"),
    Output(ids.chart_text(ids.EXPLORE_HEATMAP), "children"),
    Input(ids.EXPLORE_MEASURE, "value"),
    Input(ids.EXPLORE_COUNTRY, "value"),
    Input(ids.EXPLORE_AXIS, "value"),
    Input(ids.EXPLORE_AREA, "value"),
    Input(ids.EXPLORE_TARGET, "value"),
    Input(ids.EXPLORE_SORT, "value"),
    State(ids.EXPLORE_URL, "search"),
    prevent_initial_call=True,
)
def _update(measure, countries, axis, areas, target, sort, search):
    return update(state.current(), measure, countries, axis, areas, target, sort, search)


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

