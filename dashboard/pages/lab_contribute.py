"""Contribute a practice (`/lab/contribute`): the questionnaire, validated on the server."""

from __future__ import annotations

import dash

from dashboard.lab import ui

dash.register_page(__name__, path="/lab/contribute", title="Contribute a practice — Integration Lab",
                   name="Contribute a practice")


def layout(region=None, **query):
    return ui.contribute_page(region)
