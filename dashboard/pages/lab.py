"""Integration Lab (`/lab`): map of practices, filters, full-text search, result list, export."""

from __future__ import annotations

import dash

from dashboard.lab import ui
from dashboard.lab.repository import PracticeFilter

dash.register_page(__name__, path="/lab", title="Integration Lab — MIPEX-R Explorer", name="Integration Lab")


def layout(**query):
    from dashboard.callbacks.lab import results_view

    f = PracticeFilter.from_query(query)
    return ui.lab_page(f, results_view(f))
