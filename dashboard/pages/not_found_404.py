"""The page for an address that is not part of the app (HTTP 404, see ``routes/pages.py``), in the request's
language."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard.i18n import _


def title(**_ignored) -> str:
    """The browser tab's title, in the request's language."""
    return _("Page not found — MIPEX-R Explorer")


dash.register_page(__name__, path="/404", title=title, name="Not found")


def layout(**_ignored):
    return html.Div([
        html.H1(_("This page does not exist"), className="h2"),
        html.P(_("The address may be mistyped, or the page may have moved. Every view of the dashboard can be "
                 "reached from the menu above.")),
        html.Ul([
            html.Li(dbc.NavLink(_("The map of the regions"), href="/", className="p-0")),
            html.Li(dbc.NavLink(_("Compare regions"), href="/compare", className="p-0")),
            html.Li(dbc.NavLink(_("Explore and rank"), href="/explore", className="p-0")),
            html.Li(dbc.NavLink(_("How the scores are made (methodology)"), href="/methodology", className="p-0")),
        ]),
    ], className="mx-card")
