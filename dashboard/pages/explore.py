"""Explore and rank (`/explore?measure=area:health&country=IT,ES&axis=area&sort=desc`): ranking bars, heat-map and
a filterable table, every filter kept in the URL. With more than :data:`dashboard.views.explore.MAX_ROWS` regions
the ranking gets a page control, the heat-map a row per country and the table pages of its own (its rows reach
the grid once the charts are drawn)."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids, state
from dashboard import query as url_query
from dashboard.callbacks.explore import TABLE_OPTIONS, notes_children, pager_props
from dashboard.components import filters
from dashboard.components.chart_text import chart_figure, words_note
from dashboard.components.controls import measure_selector
from dashboard.components.data_grid import data_grid
from dashboard.components.export_buttons import export_buttons
from dashboard.components.graph import graph
from dashboard.components.notice import source_line
from dashboard.i18n import N_, _
from dashboard.views.columns import columnar
from dashboard.views.explore import MAX_ROWS, ExploreView, explore_view, parse_query

NAME = N_("Explore & rank")


def title() -> str:
    """The browser tab's title, in the language of the request."""
    return "MIPEX-R Explorer — " + _("explore and rank")


dash.register_page(__name__, path="/explore", title=title, name=NAME)


def pager(view: ExploreView) -> html.Nav:
    """"Previous" / "Regions 51–100 of 1,512" / "Next" under a long ranking (hidden when it is drawn whole)."""
    hidden, text, first, last, _page = pager_props(view)
    # ``hidden`` on the outer element: Bootstrap's ``.d-flex`` (display: flex !important) would override it
    return html.Nav(html.Div([
        dbc.Button(_("Previous"), id=ids.EXPLORE_PREV, n_clicks=0, disabled=first, color="secondary",
                   outline=True, size="sm"),
        html.Span(text, id=ids.EXPLORE_PAGER_TEXT, role="status", className="small"),
        dbc.Button(_("Next"), id=ids.EXPLORE_NEXT, n_clicks=0, disabled=last, color="secondary", outline=True,
                   size="sm"),
    ], className="d-flex flex-wrap align-items-center gap-2 my-1"), id=ids.EXPLORE_PAGER, hidden=hidden,
        className="mx-no-print", **{"aria-label": _("Pages of the ranking")})


def layout(**query):
    dataset = state.current()
    shared = state.shared_data()
    st, url_notes = parse_query(query, dataset, cache=shared)
    view = explore_view(dataset, st, cache=shared)
    many = len(dataset.regions) > MAX_ROWS  # the table pages too (every region shown stays in it)
    table_sort = url_query.parse_table_sort(query.get(url_query.TABLE_SORT_KEY), [c.id for c in view.columns])
    selector = measure_selector(ids.EXPLORE_MEASURE, value=st.measure, label=_("Rank regions by"))
    panel = html.Div([
        selector,
        html.Hr(className="my-2"),
        filters.country_filter(ids.EXPLORE_COUNTRY, dataset, st.countries),
        filters.area_filter(ids.EXPLORE_AREA, st.areas),
        filters.target_filter(ids.EXPLORE_TARGET, st.target),
        filters.axis_filter(ids.EXPLORE_AXIS, st.axis),
        filters.sort_control(ids.EXPLORE_SORT, st.sort),
        words_note("TCN", "BIP", "Policy output"),
    ], className="mx-card mx-no-print")
    return html.Div([
        dcc.Location(id=ids.EXPLORE_URL, refresh=False),
        html.H1(_("Explore and rank"), className="h2"),
        html.P(_("All regions on one dimension, and every region on every dimension. Scores run from 0 to 100; "
                 "a rank is a position among all regions, not a judgement. The link of this page keeps your "
                 "filters.")),
        dbc.Alert(notes_children(url_notes), color="info", className="py-2") if url_notes else None,
        dbc.Row([
            dbc.Col(panel, lg=3),
            dbc.Col([
                html.Div(notes_children(view.notes), id=ids.EXPLORE_NOTE, className="text-muted small mb-2",
                         role="status"),
                dcc.Store(id=ids.EXPLORE_PAGE, data=view.page),
                chart_figure(graph(ids.EXPLORE_RANKING, view.ranking), view.ranking_text,
                             text_id=ids.chart_text(ids.EXPLORE_RANKING),
                             extra=html.Div([
                                 pager(view),
                                 export_buttons("ranking", view.search, view="explore", page="/explore",
                                                location=ids.EXPLORE_URL, graph_id=ids.EXPLORE_RANKING,
                                                full_dataset=False)])),
                chart_figure(graph(ids.EXPLORE_HEATMAP, view.heatmap), view.heatmap_text,
                             text_id=ids.chart_text(ids.EXPLORE_HEATMAP),
                             extra=export_buttons("heatmap", view.search, view="explore", page="/explore",
                                                  location=ids.EXPLORE_URL, graph_id=ids.EXPLORE_HEATMAP)),
                html.H2(_("Table"), className="h4 mt-3"),
                # the column sort a visitor chose survives a reload: callbacks.explore writes ``tsort``
                dcc.Store(id=ids.EXPLORE_TABLE_SORT, data=":".join(table_sort) if table_sort else None),
                # many regions: the rows go once, column by column, in this store; the browser hands them to the
                # grid when the charts are drawn (callbacks.explore TABLE_ROWS_JS), so building the grid's rows
                # does not hold up the charts. A few regions: in the grid itself, as before.
                dcc.Store(id=ids.EXPLORE_TABLE_ROWS, data=columnar(view.table, view.columns) if many else None),
                data_grid(ids.EXPLORE_TABLE, view.table, view.columns, **TABLE_OPTIONS, sort=table_sort,
                          page_size=MAX_ROWS if many else None, rows=not many,
                          caption=_("The numbers of the charts above, with the same filters. Click a column header "
                                    "to sort; type in the box under a header to filter.")),
                source_line(dataset),
            ], lg=9),
        ]),
    ])
