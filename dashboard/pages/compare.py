"""Compare page (`/compare?regions=PT20,PT17,ES51`): 2–4 regions side by side with the all-region average."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids, state
from dashboard.callbacks.compare import RADAR_AXES, compare_view, note_children, parse_regions, region_options
from dashboard.components.data_table import data_table
from dashboard.components.export_buttons import export_buttons
from dashboard.components.notice import source_line
from dashboard.figures.compare import MAX_REGIONS

dash.register_page(__name__, path="/compare", title="MIPEX-R Explorer — compare regions", name="Compare")

GRAPH_CONFIG = {"displaylogo": False, "responsive": True}


def _graph(id, figure):
    return dcc.Graph(id=id, figure=figure or {}, config=GRAPH_CONFIG)


def layout(regions=None, **query):
    dataset = state.current()
    region_ids, url_notes = parse_regions(regions, dataset)
    view = compare_view(dataset, region_ids)
    return html.Div([
        dcc.Location(id=ids.COMPARE_URL, refresh=False),
        html.H1("Compare regions", className="h2"),
        html.P("Choose two to four regions. Each is shown against the average of all "
               f"{len(dataset.regions)} regions; every score is on a 0–100 scale."),
        dbc.Alert(note_children(url_notes), color="info", className="py-2") if url_notes else None,
        html.Div([
            dbc.Label("Regions to compare (2–4)", html_for=ids.COMPARE_REGIONS, className="fw-semibold mb-1"),
            dcc.Dropdown(id=ids.COMPARE_REGIONS, options=region_options(dataset, view.region_ids),
                         value=view.region_ids, multi=True, placeholder="Choose regions…"),
            dbc.FormText(f"Up to {MAX_REGIONS} regions; the link of this page keeps your choice."),
        ], className="mb-2 mx-no-print", style={"maxWidth": "48rem"}),
        html.Div(note_children(view.notes), id=ids.COMPARE_NOTE, className="text-muted mb-2", role="status"),
        html.Div([
            export_buttons(None, {"regions": view.region_ids}, view="compare", page="/compare",
                           location=ids.COMPARE_URL, brief=True),
            dbc.Row([dbc.Col(_graph(ids.compare_radar(a), view.radars.get(a)), lg=6) for a in RADAR_AXES]
                    + [dbc.Col(_graph(ids.COMPARE_TARGET, view.target), lg=6)], className="g-2"),
            _graph(ids.COMPARE_BARS_AREAS, view.bars.get("areas")),
            export_buttons("compare", {"regions": view.region_ids}, page="/compare", location=ids.COMPARE_URL,
                           graph_id=ids.COMPARE_BARS_AREAS, data=False, full_dataset=False),
            _graph(ids.COMPARE_BARS_GOVERNANCE, view.bars.get("governance")),
            html.H2("Scores and differences", className="h4 mt-3"),
            data_table(ids.COMPARE_TABLE, view.columns, view.data, sortable=False, wide_column="label",
                       caption="The same numbers as the charts, as a table. Differences are in points on the "
                               "0–100 scale: the region's score minus the reference."),
            source_line(dataset),
        ], id=ids.COMPARE_CONTENT, hidden=not view.ready),
    ])
