"""Contribute a practice (`/lab/contribute`): the questionnaire, validated on the server."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import state
from dashboard.components.lab import contribution_form
from dashboard.lab.vocab import Regions
from dashboard.query import one

dash.register_page(__name__, path="/lab/contribute", title="Contribute a practice — Integration Lab",
                   name="Contribute a practice")


def layout(region=None, **_query):
    """The questionnaire; ``?region=ES51`` (any code or name of a region, e.g. FR10) preselects the region."""
    regions = Regions.from_dataset(state.current())
    return html.Div([
        dcc.Link("← Integration Lab", href="/lab"),
        html.H1("Contribute a practice", className="h3 mt-2"),
        html.P("Share a regional integration practice: what was done, what the regional authority contributed, "
               "the problems met and how they were solved. The moderators check every submission before it is "
               "shown; nothing you send is lost — you get either a submission number or the list of fields to fix."),
        dbc.Alert("Please do not enter personal data about the people the practice served.", color="light",
                  className="small border"),
        contribution_form(regions, regions.resolve(one(region))),
    ])
