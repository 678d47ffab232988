"""Map page (`/`): "Find my region", the regions coloured by a measure, a clickable sorted list and a side panel.

Layout (a CSS grid, ``assets/31-map.css``): on a desktop the controls, map and list on the left and the chosen
region's panel beside them, sticky; on a phone the map, then the panel, then the list (no scroll box of its own).
The map's height is the page's (the figure sets none).

State in the URL query: ``/?measure=area:health&region=PT20`` (unknown keys ignored; unknown values
fall back to the defaults with a visible note). The layout holds the whole first view (no callback fires
on mount); the figure names its geometry by URL (``/geo/<key>/…``) and is cached per dataset and view
(:func:`dashboard.views.map.page_figure`). What a change sends: :mod:`dashboard.callbacks.map`.
"""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import geo, i18n, ids, state
from dashboard.callbacks.map import app_prefix, graph_config
from dashboard.components import region_panel as panel
from dashboard.components.controls import measure_selector
from dashboard.components.editions import edition_controls
from dashboard.components.export_buttons import export_buttons
from dashboard.figures import maps as map_figures
from dashboard.i18n import _, ngettext
from dashboard.views.editions import shown
from dashboard.views.map import (
    list_meta,
    list_rows,
    map_search,
    page_figure,
    parse_map_query,
    values_source,
)


def title(**_ignored) -> str:
    """The browser tab's title, in the request's language."""
    return _("MIPEX-R Explorer — map")


dash.register_page(__name__, path="/", title=title, name="Map")


def heading(count: int) -> str:
    """The page heading, counting the regions loaded (in the current language)."""
    return ngettext("Migrant integration governance in {n} European region",
                    "Migrant integration governance in {n} European regions", count).format(n=i18n.number(count))


def layout(measure=None, region=None, edition=None, since=None, **_ignored):
    view = parse_map_query(state.current(), measure, region, edition, since)
    dataset = shown(state.current(), view.editions)
    table = dataset.scores_table()
    fig, geo_error = page_figure(dataset, view.measure, view.region, app_prefix(), cache=state.shared_data(),
                                 since=view.editions.since)
    meta, rows = list_meta(table), list_rows(table, view.measure)
    notes = [dbc.Alert(n, color="info", className="py-2 mb-2") for n in view.notes]
    if geo_error:
        notes.append(dbc.Alert([html.Strong(_("The map cannot be drawn:") + " "),
                                html.Pre(geo_error, className="mb-0")],
                               color="warning"))
    graph = dcc.Graph(
        id=ids.MAP_GRAPH, figure=fig or {}, config=graph_config(image_button=False),
        # the figure sets no height: the page does (assets/31-map.css makes it shorter on a phone)
        className="mx-map-graph" if fig else "",
        style={"height": "min(80vh, 760px)", "minHeight": "560px"} if fig else {"display": "none"},
        clear_on_unhover=True, responsive=True,
    )
    return html.Div([
        # search given: a Location without it copies the address into its props on mount, which fires every
        # callback listening to it (the export links) for nothing
        dcc.Location(id=ids.MAP_LOCATION, refresh=False,
                     search=map_search(view.measure, view.region, view.editions.params())),
        # "" rather than None for no selection: a memory dcc.Store with None data resets it on mount and so
        # fires the selection callback for nothing
        dcc.Store(id=ids.MAP_SELECTED, data=view.region or ""),
        dcc.Store(id=ids.MAP_LIST_META, data=meta),
        dcc.Store(id=ids.MAP_LIST_ROWS, data=rows),
        dcc.Store(id=ids.MAP_LIST_DRAWN),
        dcc.Store(id=ids.MAP_PANEL_SHOWN),
        # every measure's change, fetched once after the map is drawn: a measure change then recolours the map
        # in the browser, without a request (None: the server answers each change; see callbacks.map)
        dcc.Store(id=ids.MAP_VALUES, data=values_source(state.current(), app_prefix(), state.shared_data())),
        dcc.Store(id=ids.MAP_VALUES_LOADING),
        dcc.Store(id=ids.MAP_MEASURE_WANTED),
        html.H1(heading(len(table)), id=ids.MAP_HEADING, className="h3"),
        html.P(_("MIPEX-R scores how regions govern migrant integration, from 0 to 100. Find your region, or choose "
                 "a policy area to colour the map; click a region on the map or in the list for its details."),
               className="text-muted mx-map-intro"),
        html.Div(notes, id=ids.MAP_NOTE, role="status"),
        # a grid (assets/31-map.css): on a desktop the map and the list on the left, the panel beside them and
        # sticky; on a phone the map, then the chosen region's panel, then the list
        html.Div([
            html.Div([
                html.Div([search_box(),
                          measure_selector(ids.MAP_MEASURE, view.measure),
                          edition_controls(view.editions, ids.MAP_EDITION, ids.MAP_SINCE,
                                           no_change=_("Scores (no change)"), always=True)],
                         className="mx-card py-2"),
                html.Div([map_legend() if fig else None, graph,
                          html.P(_(geo.CREDIT), className="mx-credit mb-0 px-2")], className="mx-card p-1"),
                export_buttons("map", {"measure": view.measure, "region": view.region, **view.editions.params()},
                               page="/",
                               location=ids.MAP_LOCATION, graph_id=ids.MAP_GRAPH),
            ], className="mx-map-main"),
            html.Div(
                html.Div(panel.region_panel(dataset, view.region, view.measure) if view.region
                         else panel.panel_placeholder(), id=ids.MAP_PANEL, className="mx-card",
                         **{"aria-live": "polite"}),
                className="mx-map-side"),
            html.Div([
                html.H2(_("All regions, by score"), className="h6"),
                html.P(_("Sorted by the selected measure (0–100); press a region to see its details."),
                       className="small text-muted mb-1"),
                # one button per region, drawn in the browser from the two stores above (callbacks.map); no
                # scroll box of its own
                html.Div(id=ids.MAP_REGION_LIST, className="list-group mx-region-list", role="group",
                         **{"aria-label": _("All regions, by score")}),
            ], className="mx-card mx-map-list"),
        ], className="mx-map-layout"),
    ])


def map_legend() -> html.Div:
    """The map's colour legend: drawn in the browser from the figure's colour axis after every plot
    (``assets/33-map-legend.js``); its "no score" words and colour come from here, in the page's language."""
    return html.Div(id=ids.MAP_LEGEND, className="mx-map-legend",
                    **{"data-none-label": _(map_figures.NO_DATA_LABEL), "data-none-color": map_figures.NO_DATA_FILL})


def search_box():
    """"Find my region": a name (any accents) or a code, with the regions as suggestions (a ``<datalist>``
    filled in the browser from the list's data); Enter or leaving the box chooses the region
    (:func:`dashboard.callbacks.map.search_region`)."""
    return html.Div([
        html.Label(_("Find my region"), htmlFor=ids.MAP_SEARCH, className="form-label fw-semibold mb-1"),
        dcc.Input(id=ids.MAP_SEARCH, type="search", list=ids.MAP_SEARCH_OPTIONS, debounce=True,
                  placeholder=_("Region name or code, e.g. Lisbon or PT17"), autoComplete="off", maxLength=100,
                  className="form-control"),
        html.Datalist(id=ids.MAP_SEARCH_OPTIONS),
        html.Div(id=ids.MAP_SEARCH_NOTE, className="small text-muted mt-1", role="status"),
    ], className="mb-2")
