"""The map screen (pure): URL state, region clicks, and the map figure on the loaded boundaries.

State lives in the URL query (``/?measure=area:health&region=PT20``, with two or more editions also
``edition=2024`` and ``since=2021``: the change since an earlier edition): :func:`parse_map_query` reads it and
:func:`map_search` writes it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from dashboard import geo
from dashboard.data import Dataset
from dashboard.figures import change as change_figures
from dashboard.figures import maps as map_figures
from dashboard.query import DEFAULT_MEASURE, parse_measure, parse_region
from dashboard.views.editions import EditionChoice, parse_editions


@dataclass
class MapState:
    measure: str = DEFAULT_MEASURE
    region: str | None = None
    notes: list[str] = field(default_factory=list)
    editions: EditionChoice = field(default_factory=lambda: EditionChoice(None), compare=False)


def parse_map_query(dataset: Dataset, measure: str | None = None, region: str | None = None,
                    edition: str | None = None, since: str | None = None) -> MapState:
    """URL query values → a valid state plus plain-words notes for anything that had to fall back."""
    measure_key, note = parse_measure(measure)
    region_id, region_note = parse_region(region, dataset.resolve_region)
    choice = parse_editions(dataset, edition, since)
    notes = [n for n in (note, region_note, *choice.notes) if n]
    return MapState(measure_key, region_id, notes, choice)


def map_search(measure: str | None, region: str | None, editions: dict[str, str] | None = None) -> str:
    """The query string of a map view (``""`` for the default view); ``editions`` =
    :meth:`EditionChoice.params`."""
    params = {}
    if measure and measure != DEFAULT_MEASURE:
        params["measure"] = measure
    if region:
        params["region"] = region
    params.update(editions or {})
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


def build_map(dataset: Dataset, measure: str, selected: str | None = None, since: int | None = None):
    """The full map figure for the page layout: ``(figure, None)``, or ``(None, message)`` when the
    boundary files are missing (the message says how to get them). ``dataset`` shows the chosen edition;
    ``since`` (an earlier edition) colours the change since it instead of the scores."""
    try:
        layers = geo.map_layers(dataset.regions)
    except geo.GeoDataMissing as exc:
        return None, str(exc)
    fig = map_figures.choropleth(dataset.scores_table(), measure, layers, dataset.source_line,
                                 selected=selected, credit=geo.CREDIT, height=640)
    if since is not None:
        fig = change_figures.change_map(fig, dataset.scores_table(), dataset.with_edition(since).scores_table(),
                                        measure, dataset.edition, since)
    return fig, None
