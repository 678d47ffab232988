"""Policy against outcomes (`/outcomes?x=area:labour_market&y=employment_rate_non_eu&mode=gap&region=PT20`): a
governance dimension against an outcome indicator for the 25 regions, with r, n, averages, the caveat, a table
alternative and both source lines; every choice kept in the URL. The export row under the scatter gives the chart
(PNG/SVG/PDF, both source lines in the footer) and the data behind it (CSV/XLSX, view ``policy-outcomes``)."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids, state
from dashboard.callbacks.outcomes import results
from dashboard.components import outcomes as oc
from dashboard.components.export_buttons import export_buttons
from dashboard.components.graph import graph
from dashboard.i18n import N_, _
from dashboard.views import outcomes as ov

NAME = N_("Policy & outcomes")


def title() -> str:
    """The browser tab's title, in the language of the request."""
    return "MIPEX-R Explorer — " + _("policy and outcomes")


dash.register_page(__name__, path="/outcomes", title=title, name=NAME)


def layout(**query):
    dataset = state.current()
    st, notes = ov.parse_outcomes_query({k: [v] for k, v in query.items()}, dataset)
    figure, summary, table = results(dataset, st, notes, cache=state.shared_data())
    return html.Div([
        dcc.Location(id=ids.OUTCOMES_URL, refresh=False),
        html.H1(_("Policy and outcomes"), className="h2"),
        html.P(_("Set a governance score of the 25 regions against how migrants fare there (Eurostat outcome "
                 "indicators). Each point is a region. A pattern across regions is an association, not a cause: "
                 "outcomes depend on much more than regional policy. The link of this page keeps your choices.")),
        dbc.Alert([html.Div(n) for n in notes], color="info", className="py-2") if notes else None,
        dbc.Row([
            dbc.Col(oc.controls(dataset, st), lg=3),
            dbc.Col([
                html.Div(id=ids.OUTCOMES_NOTE, className="text-muted small mb-2", role="status"),
                graph(ids.OUTCOMES_GRAPH, figure),
                export_buttons("outcomes", st.query(), view="policy-outcomes", page="/outcomes",
                               location=ids.OUTCOMES_URL, graph_id=ids.OUTCOMES_GRAPH),
                html.Div(summary, id=ids.OUTCOMES_SUMMARY, className="mx-card", **{"aria-live": "polite"}),
                html.H2(_("Table"), className="h4 mt-3"),
                html.Div(table, id=ids.OUTCOMES_TABLE),
            ], lg=9),
        ]),
    ])
