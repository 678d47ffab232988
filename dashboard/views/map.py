"""The map screen (pure): URL state, region clicks, and the map figure on the loaded boundaries.

State lives in the URL query (``/?measure=area:health&region=PT20``): :func:`parse_map_query` reads it and
:func:`map_search` writes it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from dashboard import geo
from dashboard.data import Dataset
from dashboard.figures import maps as map_figures
from dashboard.query import DEFAULT_MEASURE, parse_measure, parse_region


@dataclass
class MapState:
    measure: str = DEFAULT_MEASURE
    region: str | None = None
    notes: list[str] = field(default_factory=list)


def parse_map_query(dataset: Dataset, measure: str | None = None, region: str | None = None) -> MapState:
    """URL query values → a valid state plus plain-words notes for anything that had to fall back."""
    measure_key, note = parse_measure(measure)
    region_id, region_note = parse_region(region, dataset.resolve_region)
    notes = [n for n in (note, region_note) if n]
    return MapState(measure_key, region_id, notes)


def map_search(measure: str | None, region: str | None) -> str:
    """The query string of a map view (``""`` for the default view)."""
    params = {}
    if measure and measure != DEFAULT_MEASURE:
        params["measure"] = measure
    if region:
        params["region"] = region
    return ("?" + urlencode(params, safe=":")) if params else ""


def region_from_click(click_data: dict | None, dataset: Dataset) -> str | None:
    """The region id of a map click (choropleth ``location`` or marker ``customdata``); None otherwise."""
    if not click_data or not click_data.get("points"):
        return None
    point = click_data["points"][0]
    for key in ("location", "customdata"):
        value = point.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str) and dataset.has_region(value):
            return value
    return None


def build_map(dataset: Dataset, measure: str, selected: str | None = None):
    """The full map figure for the page layout: ``(figure, None)``, or ``(None, message)`` when the
    boundary files are missing (the message says how to get them)."""
    try:
        layers = geo.map_layers(dataset.regions)
    except geo.GeoDataMissing as exc:
        return None, str(exc)
    fig = map_figures.choropleth(dataset.scores_table(), measure, layers, dataset.source_line,
                                 selected=selected, credit=geo.CREDIT, height=640)
    return fig, None
