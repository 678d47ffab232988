"""Region profile callbacks: the "another region" selector navigates to ``/region/<id>`` (keeping the
edition query), the edition controls to ``?edition=…&since=…``.

The profile itself is built from the URL by the page layout (:func:`profile_layout`), so a copied
link always reproduces it; the registered callbacks' bodies call :func:`region_path` and :func:`edition_search`.
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import Input, Output, html, no_update

from dashboard import i18n, ids, state
from dashboard.callbacks.registry import callback
from dashboard.components import region_panel as panel
from dashboard.data import Dataset
from dashboard.export.browser import browser_available
from dashboard.views.cache import BoundedCache, frozen
from dashboard.views.editions import EditionChoice, parse_editions, shown


def normalise_region_id(region_id: str | None) -> str:
    """``" pt20 "`` → ``"PT20"`` (codes are upper case; a stray slash or space is ignored)."""
    return str(region_id or "").strip().strip("/").upper()


#: Whole profiles per (dataset fingerprint, region, edition, change since, language, server-side export),
#: for the shared data only; the component trees are read-only once built.
PROFILES = BoundedCache(64)


def profile_layout(dataset: Dataset, region_id: str | None, choice: EditionChoice | None = None,
                   cache: bool = False) -> tuple[html.Div, str | None]:
    """(content, resolved region id): the profile of a known region (in the chosen edition, with the scores
    of every edition when there are several), else the friendly not-found page. ``cache`` (shared data only:
    :func:`dashboard.state.shared_data`) keeps the profile, and what it is built from, for the next
    request; a cached profile is the same object for every request: never change it."""
    rid = dataset.resolve_region(normalise_region_id(region_id))
    if rid is None:
        return panel.region_not_found(dataset, str(region_id or "")), None
    choice = choice or parse_editions(dataset)
    def build() -> html.Div:
        profile = panel.region_profile(shown(dataset, choice), rid, choice, cache=cache)
        return frozen(profile) if cache else profile  # kept: its JSON made once

    key = (dataset.fingerprint, rid, choice.edition, choice.since, i18n.current(), browser_available())
    return PROFILES.get(key, build, cache), rid


def edition_search(dataset: Dataset, edition: str | None, since: str | None):
    """The profile's query for the chosen edition and "change since" (``""`` for the latest edition and the
    default reference); values the data do not have fall back as on a page (lenient)."""
    choice = parse_editions(dataset, edition or None, since or None)
    params = choice.params()
    return ("?" + urlencode(params)) if params else ""


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


@callback(
    Output(ids.REGION_LOCATION, "search"),
    Input(ids.REGION_EDITION, "value"),
    Input(ids.REGION_SINCE, "value"),
    prevent_initial_call=True,
)
def _choose_edition(edition, since):
    return edition_search(state.current(), edition, since)
