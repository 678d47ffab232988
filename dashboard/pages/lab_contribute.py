"""Contribute a practice (`/lab/contribute`): the questionnaire, validated on the server."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import i18n, state
from dashboard.components.lab import contribution_form
from dashboard.i18n import _
from dashboard.query import one
from dashboard.views.lab import dataset_regions


def _title(**_ignored) -> str:
    return _("Contribute a practice — Integration Lab")


dash.register_page(__name__, path="/lab/contribute", title=_title, name="Contribute a practice")


def layout(region=None, **_query):
    """The questionnaire in the page's language; ``?region=ES51`` (any code or name of a region, e.g. FR10)
    preselects the region; "Language of the answers" starts at the page's language."""
    regions = dataset_regions(state.current(), cache=state.shared_data())
    return html.Div([
        dcc.Link(_("← Integration Lab"), href="/lab"),
        html.H1(_("Contribute a practice"), className="h3 mt-2"),
        html.P(_("Share a regional integration practice: what was done, what the regional authority contributed, "
                 "the problems met and how they were solved. The moderators check every submission before it is "
                 "shown; nothing you send is lost — you get either a submission number or the list of fields to "
                 "fix.")),
        dbc.Alert(_("Please do not enter personal data about the people the practice served."), color="light",
                  className="small border"),
        contribution_form(regions, regions.resolve(one(region)), language=i18n.current()),
    ])
