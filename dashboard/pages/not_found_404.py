"""The page for an address that is not part of the app (HTTP 404, see ``routes/pages.py``)."""

import dash
import dash_bootstrap_components as dbc
from dash import html

dash.register_page(__name__, path="/404", title="Page not found — MIPEX-R Explorer", name="Not found")


def layout(**_ignored):
    return html.Div([
        html.H1("This page does not exist", className="h2"),
        html.P("The address may be mistyped, or the page may have moved. Every view of the dashboard can be "
               "reached from the menu above."),
        html.Ul([
            html.Li(dbc.NavLink("The map of the regions", href="/", className="p-0")),
            html.Li(dbc.NavLink("Compare regions", href="/compare", className="p-0")),
            html.Li(dbc.NavLink("Explore and rank", href="/explore", className="p-0")),
            html.Li(dbc.NavLink("How the scores are made (methodology)", href="/methodology", className="p-0")),
        ]),
    ], className="mx-card")
