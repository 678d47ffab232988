"""Integration Lab (`/lab`): map of practices, filters, full-text search, result list, export."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids, state
from dashboard.components import lab as lab_components
from dashboard.i18n import _
from dashboard.lab.repository import PracticeFilter
from dashboard.views.lab import dataset_regions, lab_view


def _title(**_ignored) -> str:
    return _("Integration Lab — MIPEX-R Explorer")


dash.register_page(__name__, path="/lab", title=_title, name="Integration Lab")


def layout(**query):
    dataset = state.current()
    shared = state.shared_data()
    regions = dataset_regions(dataset, cache=shared)
    f = PracticeFilter.from_query(query, regions=regions)
    view = lab_view(dataset, f, regions, cache=shared)
    return html.Div([
        # the filters' state in the address bar (callbacks.lab writes it; this layout reads it on a reload)
        dcc.Location(id=ids.LAB_URL, refresh=False),
        dbc.Row([
            dbc.Col([
                html.H1(_("Integration Lab"), className="h3 mb-1"),
                html.P(_("A mutual-learning database of regional integration practices: what a region did, directly "
                         "or through social actors, the lessons learnt and tips for transferability, each assessed on "
                         "7 aspects."), className="mb-2"),
            ], lg=9),
            dbc.Col(dbc.Button(_("Contribute a practice"), href="/lab/contribute", color="primary",
                               id=ids.LAB_CONTRIBUTE_LINK, className="mt-2"), lg=3, className="text-lg-end"),
        ]),
        lab_components.status(view),
        lab_components.provenance_note(),
        dbc.Row([
            dbc.Col(lab_components.filters_panel(f, regions, view.region_ids), lg=4),
            dbc.Col([
                lab_components.map_card(view.figure),
                lab_components.results_toolbar(view),
                html.Div(lab_components.results_list(view, regions), id=ids.LAB_RESULTS),
            ], lg=8),
        ]),
    ])
