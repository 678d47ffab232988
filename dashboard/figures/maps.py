"""The choropleth map of the regions (pure: DataFrame + map layers → plotly Figure).

Layout of the figure (trace indices are part of the contract: the map callback patches them):

* ``TRACE_CONTEXT`` – surrounding countries, one grey ``Choropleth`` (no hover, no colour scale);
* ``TRACE_REGIONS`` – the regions, ``Choropleth`` on the shared ``coloraxis`` (Cividis, 0–100);
* ``TRACE_SMALL``   – a marker with a label at the label point of each *small* region (Melilla,
  Wien, Berlin with the default layers), same colour axis, so they stay visible and clickable;
* ``TRACE_INSET``   – the Azores (or any region west of ``MAIN_LON_RANGE``) in an inset ``geo2``.

The main ``geo`` has a fixed projection and fixed lon/lat ranges (``fitbounds`` off), so a region
far out in the Atlantic never squashes the map; base layers are off (the grey context trace draws
the land) and plotly.js only fetches its topojson from the app (``config.topojsonURL``; it fetches
it even with every base layer off, because a ``geojson`` choropleth has a ``locationmode``).
Both geo subplots get an explicit ``domain``: left to defaults, plotly.js shrinks the main map
into a corner as soon as a second geo subplot exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import scoring
from dashboard.constants import MAP_CREDIT
from dashboard.figures.common import COLORSCALE, base_layout, wrap_text

TRACE_CONTEXT, TRACE_REGIONS, TRACE_SMALL, TRACE_INSET = 0, 1, 2, 3

#: Framing of the main map (lon, lat); the Azores go to the inset.
MAIN_LON_RANGE = (-10.6, 24.6)
MAIN_LAT_RANGE = (34.4, 60.4)
MAIN_DOMAIN = {"x": [0.2, 1.0], "y": [0.0, 1.0]}
INSET_DOMAIN = {"x": [0.0, 0.19], "y": [0.02, 0.3]}
INSET_MARGIN_DEG = 0.45
#: A region whose bounding box is smaller than this (square degrees) gets a marker and a label.
SMALL_REGION_AREA = 0.3

CONTEXT_FILL = "#dfe2e6"
OCEAN = "#f3f6f9"
BORDER = "#ffffff"
SELECTED_BORDER = "#1f2a37"
NO_SCORE = "no score (too few indicators answered)"


# ---------------------------------------------------------------------------------------------
# Geometry helpers (pure, on GeoJSON dicts)
# ---------------------------------------------------------------------------------------------

def _coords(geometry: dict | None) -> np.ndarray:
    if not geometry:
        return np.empty((0, 2))
    points: list[Sequence[float]] = []

    def walk(obj: Any) -> None:
        if obj and isinstance(obj[0], (int, float)):
            points.append(obj[:2])
        else:
            for item in obj:
                walk(item)

    walk(geometry["coordinates"])
    return np.asarray(points, dtype=float)


def feature_bounds(feature: dict) -> tuple[float, float, float, float]:
    """(lon_min, lat_min, lon_max, lat_max) of a GeoJSON feature."""
    pts = _coords(feature.get("geometry"))
    if not len(pts):
        return (np.nan, np.nan, np.nan, np.nan)
    return (float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max()))


def small_region_ids(regions_geojson: dict, max_area: float = SMALL_REGION_AREA) -> list[str]:
    """Regions whose bounding box is under ``max_area`` square degrees (hard to see or click)."""
    out = []
    for feat in regions_geojson["features"]:
        x0, y0, x1, y1 = feature_bounds(feat)
        if (x1 - x0) * (y1 - y0) < max_area:
            out.append(str(feat["id"]))
    return out


def inset_region_ids(regions_geojson: dict, lon_range: tuple[float, float] = MAIN_LON_RANGE) -> list[str]:
    """Regions lying wholly west of the main map's frame (the Azores): drawn in the inset."""
    return [str(f["id"]) for f in regions_geojson["features"] if feature_bounds(f)[2] < lon_range[0]]


def _subset(geojson: dict, keep: Iterable[str]) -> dict:
    keep = set(keep)
    return {"type": "FeatureCollection", "features": [f for f in geojson["features"] if str(f["id"]) in keep]}


def _inset_ranges(geojson: dict) -> tuple[list[float], list[float]]:
    boxes = [feature_bounds(f) for f in geojson["features"]]
    x0 = min(b[0] for b in boxes) - INSET_MARGIN_DEG
    x1 = max(b[2] for b in boxes) + INSET_MARGIN_DEG
    y0 = min(b[1] for b in boxes) - INSET_MARGIN_DEG
    y1 = max(b[3] for b in boxes) + INSET_MARGIN_DEG
    return [x0, x1], [y0, y1]


# ---------------------------------------------------------------------------------------------
# Values and hover text (shared by the figure and the callback's Patch)
# ---------------------------------------------------------------------------------------------

def format_score(value: float | None) -> str:
    """``56`` → ``"56 /100"``; missing → ``"no score"``."""
    if value is None or pd.isna(value):
        return "no score"
    return f"{value:.0f} /100"


def measure_values(scores_table: pd.DataFrame, measure: str, region_ids: Sequence[str] | None = None) -> dict:
    """z values, hover texts and ranks of ``measure`` for ``region_ids`` (default: all, table order).

    ``scores_table`` is ``Dataset.scores_table()`` (index region_id; name_en, name_local, country,
    country_name, group, one column per dimension key). Returns ``{"region_ids", "z", "hovertext",
    "rank"}``; ``z`` holds ``None`` for a missing score (JSON-safe), ranks are of all regions in the table.
    """
    label = scoring.dimension_label(measure)
    ranks = scoring.ranks(scores_table, measure)
    n_ranked = int(ranks.notna().sum())
    ids = list(scores_table.index) if region_ids is None else list(region_ids)
    z, text, rank_list = [], [], []
    for rid in ids:
        row = scores_table.loc[rid]
        value = row[measure]
        rank = ranks.loc[rid]
        name = row["name_en"]
        local = row.get("name_local")
        title = f"<b>{name}</b>" + (f" ({local})" if isinstance(local, str) and local and local != name else "")
        if pd.isna(value):
            z.append(None)
            rank_list.append(None)
            body = f"{label}: {NO_SCORE}"
        else:
            z.append(round(float(value), 2))
            rank_list.append(int(rank))
            body = f"{label}: {format_score(value)}<br>Rank {int(rank)} of {n_ranked}"
        text.append(f"{title}<br>{row['country_name']}<br>{body}")
    return {"region_ids": ids, "z": z, "hovertext": text, "rank": rank_list}


def colorbar_title(measure: str) -> str:
    return f"{scoring.dimension_label(measure)}<br>score (0–100)"


def map_title(measure: str) -> str:
    return f"{scoring.dimension_label(measure)} by region (score 0–100)"


def border_style(region_ids: Sequence[str], selected: str | None) -> dict:
    """Per-region border colour and width: the selected region is outlined."""
    return {
        "color": [SELECTED_BORDER if rid == selected else BORDER for rid in region_ids],
        "width": [2.5 if rid == selected else 0.6 for rid in region_ids],
    }


def marker_style(region_ids: Sequence[str], selected: str | None) -> dict:
    """Size and outline of the small-region markers: the selected one is larger and bolder."""
    return {
        "size": [15 if rid == selected else 10 for rid in region_ids],
        "line": {"color": SELECTED_BORDER, "width": [3 if rid == selected else 1 for rid in region_ids]},
    }


def trace_region_ids(scores_table: pd.DataFrame, regions_geojson: dict) -> dict[int, list[str]]:
    """Which regions each data-carrying trace shows, in trace order (used to build Patches)."""
    geo_ids = {str(f["id"]) for f in regions_geojson["features"]}
    ids = [r for r in scores_table.index if r in geo_ids]
    small = set(small_region_ids(regions_geojson))
    inset = set(inset_region_ids(regions_geojson))
    return {
        TRACE_REGIONS: ids,
        TRACE_SMALL: [r for r in ids if r in small and r not in inset],
        TRACE_INSET: [r for r in ids if r in inset],
    }


# ---------------------------------------------------------------------------------------------
# The figure
# ---------------------------------------------------------------------------------------------

def _geo_layout(lon_range, lat_range, domain: dict | None = None, frame: bool = False) -> dict:
    lon_mid = (lon_range[0] + lon_range[1]) / 2
    lat_mid = (lat_range[0] + lat_range[1]) / 2
    layout = dict(
        scope="europe",
        projection=dict(type="conic conformal", rotation=dict(lon=lon_mid),
                        parallels=[lat_range[0] + 5, lat_range[1] - 5]),
        center=dict(lon=lon_mid, lat=lat_mid),
        lonaxis=dict(range=list(lon_range), showgrid=False),
        lataxis=dict(range=list(lat_range), showgrid=False),
        fitbounds=False,
        showland=False, showocean=False, showcountries=False, showcoastlines=False,
        showlakes=False, showrivers=False, showsubunits=False,
        showframe=frame, framecolor="#9aa4b1", framewidth=1,
        bgcolor=OCEAN,
    )
    if domain:
        layout["domain"] = domain
    return layout


def choropleth(
    scores_table: pd.DataFrame,
    measure: str,
    layers: Any,
    source_line: str,
    *,
    selected: str | None = None,
    title: str | None = None,
    credit: str | None = None,
    height: int = 600,
) -> go.Figure:
    """The map of ``measure`` (a dimension key, e.g. ``"overall"`` or ``"area:health"``) by region.

    ``layers`` is ``geo.map_layers()`` (``regions_geojson``, ``context_geojson``, ``label_points``);
    ``source_line`` is ``Dataset.source_line`` (with the illustrative mark when it applies); ``credit``
    defaults to ``layers.credit`` / the EuroGeographics credit. Colours: Cividis on a fixed 0–100 scale.
    Hover: region, country, score /100 and rank. Raises KeyError for an unknown measure.
    """
    scoring.dimension_label(measure)  # KeyError for an unknown measure, before any work
    credit = credit or getattr(layers, "credit", None) or MAP_CREDIT
    regions_geojson = layers.regions_geojson
    per_trace = trace_region_ids(scores_table, regions_geojson)
    hovertemplate = "%{hovertext}<extra></extra>"

    fig = go.Figure()
    ctx_ids = [str(f["id"]) for f in layers.context_geojson["features"]]
    fig.add_trace(go.Choropleth(
        geojson=layers.context_geojson, featureidkey="id", locations=ctx_ids, z=[0] * len(ctx_ids),
        colorscale=[[0, CONTEXT_FILL], [1, CONTEXT_FILL]], showscale=False, hoverinfo="skip",
        marker=dict(line=dict(color=BORDER, width=0.5)), name="Other regions and countries", geo="geo",
    ))

    main_ids = per_trace[TRACE_REGIONS]
    values = measure_values(scores_table, measure, main_ids)
    fig.add_trace(go.Choropleth(
        geojson=regions_geojson, featureidkey="id", locations=main_ids, z=values["z"],
        hovertext=values["hovertext"], hovertemplate=hovertemplate, customdata=main_ids,
        coloraxis="coloraxis", marker=dict(line=border_style(main_ids, selected)),
        name=scoring.dimension_label(measure), geo="geo",
    ))

    small_ids = per_trace[TRACE_SMALL]
    points = layers.label_points.set_index("region_id").reindex(small_ids)
    small = measure_values(scores_table, measure, small_ids) if small_ids else {"z": [], "hovertext": []}
    fig.add_trace(go.Scattergeo(
        lon=points["lon"].tolist(), lat=points["lat"].tolist(), mode="markers+text",
        text=[scores_table.loc[r, "name_en"] for r in small_ids], textposition="middle right",
        textfont=dict(size=11, color="#1f2a37"),
        marker=dict(color=small["z"], coloraxis="coloraxis", **marker_style(small_ids, selected)),
        hovertext=small["hovertext"], hovertemplate=hovertemplate, customdata=small_ids,
        name="Small regions", geo="geo", showlegend=False,
    ))

    inset_ids = per_trace[TRACE_INSET]
    inset_geojson = _subset(regions_geojson, inset_ids)
    inset = measure_values(scores_table, measure, inset_ids) if inset_ids else {"z": [], "hovertext": []}
    fig.add_trace(go.Choropleth(
        geojson=inset_geojson, featureidkey="id", locations=inset_ids, z=inset["z"],
        hovertext=inset["hovertext"], hovertemplate=hovertemplate, customdata=inset_ids,
        coloraxis="coloraxis", marker=dict(line=border_style(inset_ids, selected)),
        name="Inset", geo="geo2",
    ))

    layout: dict[str, Any] = dict(
        geo=_geo_layout(MAIN_LON_RANGE, MAIN_LAT_RANGE, domain=MAIN_DOMAIN),
        coloraxis=dict(
            colorscale=COLORSCALE, cmin=0, cmax=100,
            colorbar=dict(title=dict(text=colorbar_title(measure), side="top"), tickvals=[0, 25, 50, 75, 100],
                          len=0.6, thickness=14, x=1.0, y=0.55),
        ),
        margin=dict(l=10, r=10, t=60, b=80),
        showlegend=False,
        dragmode=False,
        clickmode="event",
        uirevision="map",
    )
    if inset_ids:
        lon_r, lat_r = _inset_ranges(inset_geojson)
        layout["geo2"] = _geo_layout(lon_r, lat_r, domain=INSET_DOMAIN, frame=True)
        names = ", ".join(scores_table.loc[r, "name_en"] for r in inset_ids)
        fig.add_annotation(text=f"{names} (inset)", xref="paper", yref="paper",
                           x=INSET_DOMAIN["x"][0], y=INSET_DOMAIN["y"][1], xanchor="left", yanchor="bottom",
                           showarrow=False, font=dict(size=11, color="#5b6675"), name="inset-label")
    fig.update_layout(**layout)
    return base_layout(fig, title or map_title(measure), wrap_text(source_line, 110), credit=credit, height=height)
