"""Region profile callbacks: the "another region" selector navigates to ``/region/<id>``.

The profile itself is built from the URL by the page layout (:func:`profile_layout`), so a copied
link always reproduces it; the registered callback's body calls :func:`region_path`.
"""

from __future__ import annotations

import dash
from dash import Input, Output, html, no_update

from dashboard import ids, state
from dashboard.callbacks.registry import callback
from dashboard.components import region_panel as panel
from dashboard.data import Dataset


def normalise_region_id(region_id: str | None) -> str:
    """``" pt20 "`` → ``"PT20"`` (codes are upper case; a stray slash or space is ignored)."""
    return str(region_id or "").strip().strip("/").upper()


def profile_layout(dataset: Dataset, region_id: str | None) -> tuple[html.Div, str | None]:
    """(content, resolved region id): the profile of a known region, else the friendly not-found page."""
    rid = dataset.resolve_region(normalise_region_id(region_id))
    if rid is None:
        return panel.region_not_found(dataset, str(region_id or "")), None
    return panel.region_profile(dataset, rid), rid


def region_path(selected: str | None, current: str | None, dataset: Dataset):
    """Path to navigate to when the selector changes (``no_update`` for the same or an unknown region)."""
    if not selected or selected == current or not dataset.has_region(selected):
        return no_update
    return panel.profile_href(selected)


@callback(
    Output(ids.REGION_LOCATION, "pathname"),
    Input(ids.REGION_SELECT, "value"),
    Input(ids.REGION_LOCATION, "pathname"),
    prevent_initial_call=True,
)
def _go_to_region(selected, pathname):
    if dash.ctx.triggered_id != ids.REGION_SELECT:
        return no_update
    current = (pathname or "").rstrip("/").rsplit("/", 1)[-1]
    return region_path(selected, normalise_region_id(current), state.current())
