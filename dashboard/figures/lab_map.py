"""The Integration Lab map: one point per region at its label point, sized by its number of matching practices.

Pure: the regions table, the counts and the label points in, a plotly Figure out (no Dash, no I/O).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard import i18n
from dashboard.figures.common import figure
from dashboard.i18n import N_, _, ngettext

#: Title and source line of the map when it is downloaded as an image (English source: ``_(TITLE)``,
#: ``_(SOURCE).format(...)`` where shown).
TITLE = N_("Integration Lab: practices by region")
SOURCE = N_("Source: MIPEX-R Explorer Integration Lab, published practices. {count}; filters: {filters}.")

ACCENT = "#2c4a6e"
SELECTED = "#c9a227"
EMPTY_OUTLINE = "#8a94a3"

#: The view of Europe the map starts from (lon, lat ranges), grown to take in the points shown …
DEFAULT_LON: tuple[float, float] = (-29.0, 24.0)
DEFAULT_LAT: tuple[float, float] = (34.0, 61.0)
#: … as far as this box (lon_min, lat_min, lon_max, lat_max); points outside it (the outermost regions
#: in the Caribbean or the Indian Ocean) are named in a note under the map instead.
VIEW_LIMIT: tuple[float, float, float, float] = (-32.0, 26.0, 45.0, 72.0)
PAD = 1.5


def _view(points: Sequence[tuple[float, float]]) -> tuple[list[float], list[float]]:
    lon0, lon1 = DEFAULT_LON
    lat0, lat1 = DEFAULT_LAT
    for lon, lat in points:
        lon0, lon1 = min(lon0, lon - PAD), max(lon1, lon + PAD)
        lat0, lat1 = min(lat0, lat - PAD), max(lat1, lat + PAD)
    x0, y0, x1, y1 = VIEW_LIMIT
    return [max(lon0, x0), min(lon1, x1)], [max(lat0, y0), min(lat1, y1)]


def _inside(point: tuple[float, float]) -> bool:
    x0, y0, x1, y1 = VIEW_LIMIT
    return x0 <= point[0] <= x1 and y0 <= point[1] <= y1


def lab_map(
    regions: pd.DataFrame,
    counts: Mapping[str, int],
    points: Mapping[str, tuple[float, float]],
    selected: Sequence[str] = (),
) -> go.Figure:
    """Points at each region's label point (``points``: region_id → (lon, lat)), sized by its count.

    ``regions`` has ``region_id``, ``name_en`` and ``country_name`` columns and optionally ``name`` (the name
    to show, else ``name_en``) and ``mipex`` (True for the dataset's MIPEX-R regions, said in the hover text);
    a region without a label point is left out.
    Regions with no matching practice stay visible as small hollow markers, so the map always shows where
    the Lab can grow. Each point's ``customdata`` is its region id (a click filters the list to that
    region); ``selected`` regions are drawn in a second colour. The view takes in every point inside
    :data:`VIEW_LIMIT`; regions with practices outside it are named in a note. Texts are in the current
    language (:mod:`dashboard.i18n`).
    """
    records = regions.to_dict("records")
    rows = [(r["region_id"], r.get("name") or r["name_en"], r["country_name"], bool(r.get("mipex", True)))
            for r in records if r["region_id"] in points]
    with_p = [row for row in rows if counts.get(row[0], 0) > 0]
    without = [row for row in rows if counts.get(row[0], 0) == 0]
    biggest = max(counts.values(), default=1) or 1

    def hover(row: tuple[str, str, str, bool]) -> str:
        n = counts.get(row[0], 0)
        count = ngettext("{n} practice", "{n} practices", n).format(n=n)
        if row[3]:
            return _("{region} ({country}): {count}").format(region=row[1], country=row[2], count=count)
        return _("{region} ({country}) · {code}: {count}").format(region=row[1], country=row[2], code=row[0],
                                                                  count=count)

    def coords(group: list[tuple[str, str, str, bool]], axis: int) -> list[float]:
        return [points[row[0]][axis] for row in group]

    empty = {
        "type": "scattergeo", "lon": coords(without, 0), "lat": coords(without, 1),
        "customdata": [row[0] for row in without], "text": [hover(row) for row in without],
        "hoverinfo": "text", "mode": "markers", "name": _("No matching practice"),
        "marker": {"size": 7, "color": "rgba(0,0,0,0)", "line": {"color": EMPTY_OUTLINE, "width": 1.2}},
    }
    matching = {
        "type": "scattergeo", "lon": coords(with_p, 0), "lat": coords(with_p, 1),
        "customdata": [row[0] for row in with_p], "text": [hover(row) for row in with_p],
        "hoverinfo": "text", "mode": "markers+text", "name": _("Practices (size = number)"),
        "textposition": "top center", "textfont": {"size": 11, "color": ACCENT},
        "marker": {
            "size": [10 + 18 * (counts[row[0]] / biggest) ** 0.5 for row in with_p],
            "color": [(SELECTED if row[0] in selected else ACCENT) for row in with_p],
            "opacity": 0.85, "line": {"color": "white", "width": 1},
        },
    }
    if with_p:
        matching["texttemplate"] = [str(counts[row[0]]) for row in with_p]
    lon_range, lat_range = _view([points[row[0]] for row in rows if _inside(points[row[0]])])
    layout = {
        # plotly's default template, as ``go.Figure()`` gives it (the Lab map never took the app's TEMPLATE)
        "template": _default_template(),
        "geo": {
            "scope": "europe", "resolution": 50, "projection": {"type": "mercator"},
            "lonaxis": {"range": lon_range}, "lataxis": {"range": lat_range},
            "showland": True, "landcolor": "#eef0f3", "showcountries": True, "countrycolor": "#ffffff",
            "showocean": True, "oceancolor": "#f7f8fa", "showlakes": False, "showframe": False,
            "coastlinecolor": "#c5cbd3",
        },
        "height": 420, "margin": {"l": 0, "r": 0, "t": 10, "b": 0}, "showlegend": True,
        "legend": {"orientation": "h", "y": -0.02, "x": 0, "font": {"size": 11}},
        "paper_bgcolor": "rgba(0,0,0,0)", "clickmode": "event", "separators": i18n.separators(),
    }
    outside = [row for row in with_p if not _inside(points[row[0]])]
    if outside:
        names = "; ".join(hover(row) for row in outside[:6]) + (" …" if len(outside) > 6 else "")
        layout["annotations"] = [{
            "text": _("Not in this view: {regions}").format(regions=names), "showarrow": False,
            "xref": "paper", "yref": "paper", "x": 0, "y": 1, "xanchor": "left", "yanchor": "top", "align": "left",
            "font": {"size": 11}, "bgcolor": "rgba(255,255,255,0.85)",
        }]
    return figure([empty, matching], layout)


_TEMPLATES: dict[str, dict] = {}


def _default_template() -> dict:
    """plotly's default template (``pio.templates.default``) as plain JSON, converted once per name."""
    name = pio.templates.default
    if name not in _TEMPLATES:
        _TEMPLATES[name] = pio.templates[name].to_plotly_json()
    return _TEMPLATES[name]
