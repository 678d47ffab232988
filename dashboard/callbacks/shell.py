"""Callbacks of the app shell: the menu button opens and closes the menu on narrow screens (in the browser)."""

from __future__ import annotations

from dash import Input, Output, State

from dashboard import ids
from dashboard.callbacks.registry import clientside_callback

clientside_callback(
    """function (clicks, open) { return clicks ? !open : open; }""",
    Output(ids.NAV_COLLAPSE, "is_open"),
    Input(ids.NAV_TOGGLER, "n_clicks"),
    State(ids.NAV_COLLAPSE, "is_open"),
    prevent_initial_call=True,
)
