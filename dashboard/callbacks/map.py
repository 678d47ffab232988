"""Map page callbacks. The registered callbacks are thin: their bodies call the plain functions
below (and :mod:`dashboard.views.map`), which tests call directly.

State lives in the URL query (``/?measure=area:health&region=PT20``): the page layout reads it
(:func:`dashboard.views.map.parse_map_query`), and every change writes it back (``map_search``) through the
page's own ``dcc.Location`` (``refresh=False``: the address changes, the page is not rebuilt).

Changing the measure or the selection never re-sends the geometry: :func:`map_patch` returns a
``dash.Patch`` that only touches ``z``, hover texts, borders, the colour-bar title and the title.
"""

from __future__ import annotations

import dash
import pandas as pd
from dash import ALL, Input, Output, Patch, ctx, no_update

from dashboard import geo, ids, state
from dashboard.callbacks.registry import callback
from dashboard.components import region_panel as panel
from dashboard.data import Dataset
from dashboard.figures import maps as map_figures
from dashboard.query import parse_measure
from dashboard.views.editions import parse_editions, shown
from dashboard.views.map import build_map, map_search, region_from_click


def select_region(triggered_id, triggered_value, click_data: dict | None, dataset: Dataset):
    """New selected region after a map click or a list-button press (``no_update`` if nothing valid).

    ``triggered_id``/``triggered_value``: the id and new value of the input that fired (``ctx``).
    """
    if isinstance(triggered_id, dict) and triggered_id.get("type") == ids.MAP_LIST_ITEM_TYPE:
        if not triggered_value:  # a re-rendered list (n_clicks 0), not a press
            return no_update
        rid = triggered_id.get("index")
        return rid if dataset.has_region(rid) else no_update
    if triggered_id == ids.MAP_GRAPH:
        rid = region_from_click(click_data, dataset)
        return rid if rid else no_update
    return no_update


def graph_config(filename: str = "mipexr-map") -> dict:
    """dcc.Graph config of a map: plotly.js fetches its base-map topojson from the app, never a CDN."""
    try:
        prefix = dash.get_app().config.requests_pathname_prefix
    except Exception:  # outside a running app (tests)
        prefix = "/"
    return {
        "topojsonURL": geo.topojson_url(prefix),
        "displaylogo": False,
        "scrollZoom": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        "toImageButtonOptions": {"filename": filename, "scale": 2},
    }


def map_patch(scores_table: pd.DataFrame, regions_geojson: dict, measure: str, selected: str | None) -> Patch:
    """A Patch of the map figure for a new measure/selection: values, hover texts, borders, colour-bar
    title and figure title. It never carries geometry."""
    patch = Patch()
    for trace, region_ids in map_figures.trace_region_ids(scores_table, regions_geojson).items():
        values = map_figures.measure_values(scores_table, measure, region_ids)
        if trace == map_figures.TRACE_SMALL:
            patch["data"][trace]["marker"]["color"] = values["z"]
            style = map_figures.marker_style(region_ids, selected)
            patch["data"][trace]["marker"]["size"] = style["size"]
            patch["data"][trace]["marker"]["line"] = style["line"]
        else:
            patch["data"][trace]["z"] = values["z"]
            patch["data"][trace]["marker"]["line"] = map_figures.border_style(region_ids, selected)
        patch["data"][trace]["hovertext"] = values["hovertext"]
    patch["layout"]["coloraxis"]["colorbar"]["title"]["text"] = map_figures.colorbar_title(measure)
    patch["layout"]["title"]["text"] = map_figures.map_title(measure)
    return patch


def update_map(dataset: Dataset, measure: str | None, selected: str | None, edition: str | None = None,
               since: str | None = None, redraw: bool = False):
    """Everything that follows a measure, selection or edition change: (figure Patch — a whole new figure
    when ``redraw`` (the edition controls changed) or a change since an earlier edition is shown — or
    no_update when the boundaries are unavailable, region list, side panel, URL query)."""
    measure, _ = parse_measure(measure)
    choice = parse_editions(dataset, edition or None, since or None)
    dataset = shown(dataset, choice)
    if selected and not dataset.has_region(selected):
        selected = None
    table = dataset.scores_table()
    try:
        layers = geo.map_layers(dataset.regions)
        if redraw or choice.since is not None:
            patch, _ = build_map(dataset, measure, selected, choice.since)
        else:
            patch = map_patch(table, layers.regions_geojson, measure, selected)
    except geo.GeoDataMissing:
        patch = no_update
    items = panel.region_list(table, measure, selected)
    side = panel.region_panel(dataset, selected, measure) if selected else panel.panel_placeholder()
    return patch, items, side, map_search(measure, selected, choice.params())


# ---------------------------------------------------------------------------------------------
# Registration
# ---------------------------------------------------------------------------------------------

@callback(
    Output(ids.MAP_SELECTED, "data"),
    Input(ids.MAP_GRAPH, "clickData"),
    Input(ids.map_list_item(ALL), "n_clicks"),
    prevent_initial_call=True,
)
def _select_region(click_data, _list_clicks):
    value = ctx.triggered[0]["value"] if ctx.triggered else None
    return select_region(ctx.triggered_id, value, click_data, state.current())


@callback(
    Output(ids.MAP_GRAPH, "figure"),
    Output(ids.MAP_REGION_LIST, "children"),
    Output(ids.MAP_PANEL, "children"),
    Output(ids.MAP_LOCATION, "search"),
    Input(ids.MAP_MEASURE, "value"),
    Input(ids.MAP_SELECTED, "data"),
    Input(ids.MAP_EDITION, "value"),
    Input(ids.MAP_SINCE, "value"),
    prevent_initial_call=True,
)
def _update_map(measure, selected, edition, since):
    redraw = ctx.triggered_id in (ids.MAP_EDITION, ids.MAP_SINCE)
    return update_map(state.current(), measure, selected, edition, since, redraw)
