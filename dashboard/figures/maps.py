"""The choropleth map of the regions (pure: DataFrame + map layers → plotly Figure).

Layout of the figure (trace indices are part of the contract: the map callback patches them):

* ``TRACE_CONTEXT`` – surrounding countries, one grey ``Choropleth`` (no hover, no colour scale);
* ``TRACE_REGIONS`` – the regions, ``Choropleth`` on the shared ``coloraxis`` (Viridis on a domain fitted to
  the measure's scores, :func:`color_domain`; for the overall score the colour bar marks the lagging /
  intermediate / advanced groups, :func:`colorbar_ticks`), with a colour bar beside the map (exports) or the page's
  own legend drawn from the colour axis (``html_legend``);
* ``TRACE_SMALL``   – a marker at the label point of each *small* region (longest side under
  :data:`SMALL_REGION_SIDE_DEG`: Melilla, Vienna, Berlin, Vorarlberg, Lisbon with the embedded dataset),
  same colour axis, so they stay visible and clickable; labelled with the region's name when there are at
  most :data:`MAX_LABELS` of them;
* ``TRACE_INSET`` and up – only when a region needs one: one ``Choropleth`` per inset (``geo2``,
  ``geo3``, …) for the regions lying wholly outside :data:`MAIN_BBOX` (the Azores, Madeira, the
  Canary Islands, the French outermost regions); regions close to each other share an inset.
  :func:`trace_region_ids` says which traces exist and what they show.
* the last trace (:func:`nodata_trace_index`) – the main-map regions without a score, filled with
  :data:`NO_DATA_FILL` (its ``locations`` change with the measure); a "no score" swatch sits beside the colour
  bar (or in the page's legend) whether or not a region lacks a score.

The main ``geo`` has a fixed projection and lon/lat ranges (``fitbounds`` off), so a region far
out in the Atlantic never squashes the map: the frame is fitted to the main regions' extent (plus a margin,
at least :data:`MIN_FRAME_DEG` across), never beyond :data:`MAIN_BBOX` (:func:`main_frame`). Base layers
are off (the grey context trace draws the land) and plotly.js only
fetches its topojson from the app (``config.topojsonURL``; it fetches it even with every base layer
off, because a ``geojson`` choropleth has a ``locationmode``). With insets every geo subplot gets an
explicit ``domain`` (the main map the whole width, the insets over its top-left corner, each labelled with a
lone region's score): left to defaults, plotly.js shrinks the main map into a corner as soon as a
second geo subplot exists. Without a region that needs one there is no inset trace and no second
geo subplot (a trace on an undeclared ``geo2`` would draw plotly's default world map over the map).

Regions the boundary files lack (``layers.missing``) are named in a note on the map.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n, scoring
from dashboard.constants import MAP_CREDIT
from dashboard.figures.common import base_layout, wrap_text
from dashboard.geo import layers as geo_layers
from dashboard.i18n import N_, _, ngettext

TRACE_CONTEXT, TRACE_REGIONS, TRACE_SMALL, TRACE_INSET = 0, 1, 2, 3

#: Framing of the main map (lon, lat) when no region lies inside :data:`MAIN_BBOX`; otherwise the frame is
#: fitted to the regions (:func:`main_frame`).
MAIN_LON_RANGE = (-10.6, 24.6)
MAIN_LAT_RANGE = (34.4, 60.4)
#: The fitted frame spans at least this many degrees each way (one small region is not drawn street-size).
MIN_FRAME_DEG = 6.0
#: (lon_min, lat_min, lon_max, lat_max) the main frame may grow to; a region whose bounding box does
#: not meet it is drawn in an inset. One definition, shared with the context layer's clipping.
MAIN_BBOX = geo_layers.MAIN_BBOX
FRAME_MARGIN_DEG = 0.6
#: The main map takes the whole width, with or without insets (a column for the insets left a phone's map
#: 260 px wide); the insets sit over its top-left corner (the Atlantic and the British Isles: no region there
#: with the embedded data).
MAIN_DOMAIN = {"x": [0.0, 1.0], "y": [0.0, 1.0]}
FULL_DOMAIN = MAIN_DOMAIN
#: The first (top) inset; further insets stack below it in the same column.
INSET_DOMAIN = {"x": [0.0, 0.27], "y": [0.72, 0.97]}
INSET_GAP = 0.07
INSET_MARGIN_DEG = 0.25
#: Outlying regions whose bounding boxes are closer than this (degrees) share an inset: the Azores,
#: Madeira and the Canary Islands share one, so do the French Caribbean and Guyane.
INSET_JOIN_DEG = 10.0
#: A region whose bounding box's longest side is under this (degrees) gets a marker and a label: a few
#: pixels at most on a map of Europe, too small to see or click (Lisbon 0.96°, Vorarlberg 0.7°).
SMALL_REGION_SIDE_DEG = 1.0
#: Small-region markers carry their name only up to this many (more would cover the map).
MAX_LABELS = 12
#: Names listed in a note or an inset label before "and N more".
MAX_NAMED = 4

#: Perceptually uniform and colour-blind-safe, with no grey anywhere along it (Cividis' mid tones came
#: close to the grey of the countries around).
MAP_COLORSCALE = "Viridis"
CONTEXT_FILL = "#e9ebee"
#: A region without a score: a mid grey, darker than the context and unlike any colour of the scale.
NO_DATA_FILL = "#9aa0a8"
OCEAN = "#f5f8fb"
BORDER = "#ffffff"
SELECTED_BORDER = "#1f2a37"
NO_SCORE = N_("no score (too few indicators answered)")
NO_DATA_LABEL = N_("no score")
#: The groups of the overall score (:func:`dashboard.scoring.group_of`), as the map and its panel name them.
GROUP_NAMES = scoring.GROUP_LABELS
#: The colour domain is rounded outwards to this step and spans at least :data:`MIN_DOMAIN_SPAN` points.
DOMAIN_STEP = 5
MIN_DOMAIN_SPAN = 20


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
    return np.asarray(points, dtype=float).reshape(-1, 2)


def feature_bounds(feature: dict) -> tuple[float, float, float, float]:
    """(lon_min, lat_min, lon_max, lat_max) of a GeoJSON feature."""
    pts = _coords(feature.get("geometry"))
    if not len(pts):
        return (np.nan, np.nan, np.nan, np.nan)
    return (float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max()))


def small_region_ids(regions_geojson: dict, max_side: float = SMALL_REGION_SIDE_DEG) -> list[str]:
    """Regions whose bounding box's longest side is under ``max_side`` degrees (hard to see or click)."""
    out = []
    for feat in regions_geojson["features"]:
        x0, y0, x1, y1 = feature_bounds(feat)
        if max(x1 - x0, y1 - y0) < max_side:
            out.append(str(feat["id"]))
    return out


def _outside(bounds: tuple[float, float, float, float], bbox: tuple[float, float, float, float]) -> bool:
    x0, y0, x1, y1 = bounds
    return bool(x1 < bbox[0] or x0 > bbox[2] or y1 < bbox[1] or y0 > bbox[3])


def inset_region_ids(regions_geojson: dict, bbox: tuple[float, float, float, float] = MAIN_BBOX) -> list[str]:
    """Regions lying wholly outside ``bbox`` (the Azores, Madeira, the Canaries): drawn in insets."""
    return [str(f["id"]) for f in regions_geojson["features"] if _outside(feature_bounds(f), bbox)]


def inset_groups(regions_geojson: dict, region_ids: Sequence[str] | None = None,
                 join_deg: float = INSET_JOIN_DEG) -> list[list[str]]:
    """The outlying regions grouped into insets: regions whose bounding boxes come within ``join_deg``
    degrees of each other share one. ``region_ids`` (default :func:`inset_region_ids`) keep their order
    inside a group; groups are ordered west to east."""
    ids = inset_region_ids(regions_geojson) if region_ids is None else list(region_ids)
    wanted = set(ids)
    boxes = {str(f["id"]): feature_bounds(f) for f in regions_geojson["features"] if str(f["id"]) in wanted}
    ids = [r for r in ids if r in boxes]
    group_of = {r: i for i, r in enumerate(ids)}

    def near(a, b) -> bool:
        return not (a[2] + join_deg < b[0] or b[2] + join_deg < a[0]
                    or a[3] + join_deg < b[1] or b[3] + join_deg < a[1])

    for i, a in enumerate(ids):  # single linkage: merge the groups of any two near regions
        for b in ids[i + 1:]:
            if group_of[a] != group_of[b] and near(boxes[a], boxes[b]):
                old, new = group_of[b], group_of[a]
                group_of.update({r: new for r, g in group_of.items() if g == old})
    groups: dict[int, list[str]] = {}
    for r in ids:
        groups.setdefault(group_of[r], []).append(r)
    return sorted(groups.values(), key=lambda g: min(boxes[r][0] for r in g))


def main_frame(regions_geojson: dict, region_ids: Iterable[str],
               bbox: tuple[float, float, float, float] = MAIN_BBOX) -> tuple[tuple[float, float], tuple[float, float]]:
    """(lon range, lat range) of the main map fitted to the parts of ``region_ids`` that lie inside ``bbox``
    (plus :data:`FRAME_MARGIN_DEG`, at least :data:`MIN_FRAME_DEG` across), never beyond ``bbox``; the default
    frame (:data:`MAIN_LON_RANGE`, :data:`MAIN_LAT_RANGE`) when none does. No empty Eastern Europe or North
    Africa around regions of Western Europe: the map is as large as the regions allow."""
    keep = set(region_ids)
    lon0 = lat0 = np.inf
    lon1 = lat1 = -np.inf
    for feat in regions_geojson["features"]:
        if str(feat["id"]) not in keep:
            continue
        pts = _coords(feat.get("geometry"))
        inside = pts[(pts[:, 0] >= bbox[0]) & (pts[:, 0] <= bbox[2]) & (pts[:, 1] >= bbox[1]) & (pts[:, 1] <= bbox[3])]
        if not len(inside):
            continue
        lon0, lon1 = min(lon0, float(inside[:, 0].min())), max(lon1, float(inside[:, 0].max()))
        lat0, lat1 = min(lat0, float(inside[:, 1].min())), max(lat1, float(inside[:, 1].max()))
    if not np.isfinite(lon0):
        return MAIN_LON_RANGE, MAIN_LAT_RANGE

    def fit(lo: float, hi: float, low_limit: float, high_limit: float) -> tuple[float, float]:
        lo, hi = lo - FRAME_MARGIN_DEG, hi + FRAME_MARGIN_DEG
        if hi - lo < MIN_FRAME_DEG:
            mid = (lo + hi) / 2
            lo, hi = mid - MIN_FRAME_DEG / 2, mid + MIN_FRAME_DEG / 2
        return round(max(low_limit, lo), 3), round(min(high_limit, hi), 3)

    return fit(lon0, lon1, bbox[0], bbox[2]), fit(lat0, lat1, bbox[1], bbox[3])


def inset_domains(count: int) -> list[dict]:
    """Domains of ``count`` insets stacked down from the top of the left edge."""
    if count <= 0:
        return []
    y0, y1 = INSET_DOMAIN["y"]
    height = min(y1 - y0, (0.96 - INSET_GAP * (count - 1)) / count)
    return [{"x": list(INSET_DOMAIN["x"]), "y": [y1 - i * (height + INSET_GAP) - height, y1 - i * (height + INSET_GAP)]}
            for i in range(count)]


def inset_label(names: Sequence[str], hovertext: Sequence[str] | None = None) -> str:
    """The label under an inset: ``"Azores (inset): 56 (advanced)"`` for one region (its islands are small: the
    score is written), ``"Azores, Madeira (inset)"`` for several."""
    if len(names) == 1 and hovertext:
        text = hovertext[0]
        score = text if text == _(NO_SCORE) else text.split(",")[0]  # "56, rank 3 of 25" → "56"
        return _("{names} (inset): {score}").format(names=_named(names, limit=2), score=score)
    return _("{names} (inset)").format(names=_named(names, limit=2))


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


def _named(names: Sequence[str], limit: int = MAX_NAMED) -> str:
    """``a, b and c``; past ``limit`` names ``a, b, c, d and 5 more`` (in the current language)."""
    names = list(names)
    if len(names) > limit:
        more = len(names) - limit
        return ngettext("{names} and {n} more", "{names} and {n} more", more).format(names=", ".join(names[:limit]),
                                                                                   n=more)
    if len(names) == 1:
        return names[0]
    return _("{names} and {last}").format(names=", ".join(names[:-1]), last=names[-1])


def region_label(scores_table: pd.DataFrame, region_id: str) -> str:
    """A region's name in the current language (:func:`dashboard.i18n.region_name`; the local name in the
    region's own language) from a scores table (``name_en``, ``name_local``, ``country``)."""
    row = scores_table.loc[region_id]
    local = row.get("name_local")
    return i18n.region_name(region_id, row["name_en"], local if isinstance(local, str) else None,
                            row.get("country"))


def country_label(scores_table: pd.DataFrame, region_id: str) -> str:
    """The country of a region, named in the current language (Babel's names; the table's own otherwise)."""
    row = scores_table.loc[region_id]
    country = row.get("country")
    return i18n.country_name(country, str(row["country_name"])) if isinstance(country, str) and country \
        else str(row["country_name"])


def missing_note(missing: Mapping[str, str], scores_table: pd.DataFrame | None = None) -> str:
    """Plain words naming the regions left off the map for want of a boundary ("" when none)."""
    if not missing:
        return ""
    names = []
    for rid in missing:
        name = None
        if scores_table is not None and rid in scores_table.index and "name_en" in scores_table.columns:
            name = region_label(scores_table, rid)
        names.append(f"{name} ({rid})" if isinstance(name, str) and name and name != rid else rid)
    return ngettext("{n} region is not on the map (no boundary found): {names}.",
                    "{n} regions are not on the map (no boundary found): {names}.", len(names)).format(
                        n=len(names), names=_named(names))


# ---------------------------------------------------------------------------------------------
# Values and hover text (shared by the figure and the callback's Patch)
# ---------------------------------------------------------------------------------------------

def format_score(value: float | None) -> str:
    """``56`` → ``"56 /100"``; missing → ``"no score"`` (in the current language)."""
    if value is None or pd.isna(value):
        return _(NO_DATA_LABEL)
    return _("{score} /100").format(score=i18n.number(value, 0))


def measure_values(scores_table: pd.DataFrame, measure: str, region_ids: Sequence[str] | None = None) -> dict:
    """z values, hover texts and ranks of ``measure`` for ``region_ids`` (default: all, table order).

    ``scores_table`` is ``Dataset.scores_table()`` (index region_id; name_en, name_local, country,
    country_name, group, one column per dimension key). Returns ``{"region_ids", "z", "hovertext",
    "rank"}``; ``z`` holds ``None`` for a missing score (JSON-safe), ranks are of all regions in the table.
    ``hovertext`` is only what changes with the measure (``"56, rank 3 of 25"`` or :data:`NO_SCORE`): the
    region's name and country are in the trace's ``customdata`` (:func:`region_customdata`) and the measure's
    name in the layout's ``meta`` (:data:`HOVERTEMPLATE`), so a measure change sends little.
    """
    ranks = scoring.ranks(scores_table, measure)
    n_ranked = int(ranks.notna().sum())
    ids = list(scores_table.index) if region_ids is None else list(region_ids)
    values = scores_table[measure].reindex(ids)
    rank_of = ranks.reindex(ids)
    z, text, rank_list = [], [], []
    no_score, ranked = _(NO_SCORE), _("{score}, rank {rank} of {total}")
    for value, rank in zip(values.tolist(), rank_of.tolist()):
        if value is None or pd.isna(value):
            z.append(None)
            rank_list.append(None)
            text.append(no_score)
        else:
            z.append(round(float(value), 2))
            rank_list.append(int(rank))
            text.append(ranked.format(score=i18n.number(value, 0), rank=int(rank), total=n_ranked))
    return {"region_ids": ids, "z": z, "hovertext": text, "rank": rank_list}


def region_customdata(scores_table: pd.DataFrame, region_ids: Sequence[str]) -> list[list[str]]:
    """``[region_id, "<b>name</b> (local name)", country name, "Group (overall score): advanced"]`` per region:
    what the hover shows whatever the measure (``customdata[0]`` is also what a click on a marker reports). The
    group is the overall score's (:func:`dashboard.scoring.group_of`), so a measure change never re-sends it."""
    out = []
    group_text = _("Group (overall score): {group}")
    for rid in region_ids:
        row = scores_table.loc[rid]
        name, english, local = region_label(scores_table, rid), row["name_en"], row.get("name_local")
        other = english if name != english else local  # the name not shown first, in brackets
        title = f"<b>{name}</b>" + (f" ({other})" if isinstance(other, str) and other and other != name else "")
        group = scoring.group_of(row["overall"]) if "overall" in row.index else None
        out.append([rid, title, country_label(scores_table, rid),
                    group_text.format(group=GROUP_NAMES[group] if group else _(NO_DATA_LABEL))])
    return out


#: Hover of a region, the same for every measure: name, country, then the measure's name (the layout's
#: ``meta[0]``, which plotly.js offers every trace's templates) with :func:`measure_values`' hover text, and the
#: region's group (advanced / intermediate / lagging, by its overall score).
HOVERTEMPLATE = ("%{customdata[1]}<br>%{customdata[2]}<br>%{meta[0]} (0–100): %{hovertext}"
                 "<br>%{customdata[3]}<extra></extra>")


def hover_meta(measure: str) -> list[str]:
    """The figure's ``layout.meta`` for ``measure`` (what :data:`HOVERTEMPLATE` reads)."""
    return [scoring.dimension_label(measure)]


def colorbar_title(measure: str) -> str:
    """``"Overall score (0–100)"``, ``"Health score (0–100)"``: the measure's name says "score" once."""
    label = scoring.dimension_label(measure)
    if measure == "overall":  # "Overall score" says it already
        return _("{measure} (0–100)").format(measure=label)
    return _("{measure} score (0–100)").format(measure=label)


def color_domain(values: Iterable[float | None]) -> tuple[float, float]:
    """The colour axis' ``(cmin, cmax)`` fitted to the scores shown: their range rounded outwards to
    :data:`DOMAIN_STEP` points, widened to at least :data:`MIN_DOMAIN_SPAN` (a handful of close scores are not
    stretched into the whole scale), within 0–100; ``(0, 100)`` when no value is finite."""
    finite = [float(v) for v in values if v is not None and not pd.isna(v)]
    if not finite:
        return 0.0, 100.0
    lo = DOMAIN_STEP * np.floor(min(finite) / DOMAIN_STEP)
    hi = DOMAIN_STEP * np.ceil(max(finite) / DOMAIN_STEP)
    if hi - lo < MIN_DOMAIN_SPAN:
        grow = (MIN_DOMAIN_SPAN - (hi - lo)) / 2
        lo, hi = lo - grow, hi + grow
        if lo < 0:
            lo, hi = 0.0, float(MIN_DOMAIN_SPAN)
        if hi > 100:
            lo, hi = 100.0 - MIN_DOMAIN_SPAN, 100.0
    return float(max(0.0, lo)), float(min(100.0, hi))


def colorbar_ticks(measure: str, domain: tuple[float, float],
                   horizontal: bool = True) -> tuple[list[float], list[str]]:
    """Tick values and texts of the colour bar: the domain's ends, and for the overall score the group
    thresholds (:data:`dashboard.scoring.GROUP_THRESHOLDS`) with each group's name at the middle of its
    band (on a horizontal bar on a second line, so names never collide with the numbers)."""
    lo, hi = domain
    if measure != "overall":
        step = 5 if hi - lo <= 30 else 10
        vals = [float(v) for v in np.arange(np.ceil(lo / step) * step, hi + 0.001, step)]
        vals = sorted({lo, *vals, hi})
        return vals, [f"{v:.0f}" for v in vals]
    cuts = sorted(v for v in scoring.GROUP_THRESHOLDS.values() if lo < v < hi)
    edges = [lo, *cuts, hi]
    vals, texts = [], []
    for v in edges:
        vals.append(float(v))
        texts.append(f"{v:.0f}")
    for a, b in zip(edges[:-1], edges[1:]):
        group = GROUP_NAMES[scoring.group_of((a + b) / 2)]
        vals.append((a + b) / 2)
        texts.append(f"<br><b>{group}</b>" if horizontal else f"<b>{group}</b>")
    order = sorted(range(len(vals)), key=vals.__getitem__)
    return [vals[i] for i in order], [texts[i] for i in order]


def coloraxis_update(measure: str, values: Iterable[float | None]) -> dict:
    """What the colour axis changes per measure: ``cmin``, ``cmax``, tick values and texts, title."""
    domain = color_domain(values)
    tickvals, ticktext = colorbar_ticks(measure, domain)
    return {"cmin": domain[0], "cmax": domain[1],
            "colorbar": {"title": {"text": colorbar_title(measure)}, "tickvals": tickvals, "ticktext": ticktext}}


def nodata_trace_index(per_trace: Mapping[int, list[str]]) -> int:
    """The index of the no-score trace: after the last data trace (the insets, when there are any)."""
    return max(per_trace) + 1


def nodata_ids(scores_table: pd.DataFrame, measure: str, region_ids: Sequence[str]) -> list[str]:
    """The regions of ``region_ids`` without a score for ``measure`` (filled with :data:`NO_DATA_FILL`)."""
    values = scores_table[measure].reindex(list(region_ids))
    return [r for r, v in zip(region_ids, values.tolist()) if v is None or pd.isna(v)]


def map_title(measure: str) -> str:
    return _("{measure} by region (score 0–100)").format(measure=scoring.dimension_label(measure))


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
    """Which regions each data-carrying trace shows, in trace order (used to build Patches).

    Always ``TRACE_REGIONS`` and ``TRACE_SMALL``; ``TRACE_INSET + k`` for the k-th inset only when
    some region needs an inset (:func:`inset_groups`)."""
    geo_ids = {str(f["id"]) for f in regions_geojson["features"]}
    ids = [r for r in scores_table.index if r in geo_ids]
    small = set(small_region_ids(regions_geojson))
    outlying = set(inset_region_ids(regions_geojson))
    groups = inset_groups(regions_geojson, [r for r in ids if r in outlying])
    inset = {r for g in groups for r in g}
    out = {
        TRACE_REGIONS: ids,
        TRACE_SMALL: [r for r in ids if r in small and r not in inset],
    }
    out.update({TRACE_INSET + k: group for k, group in enumerate(groups)})
    return out


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
    height: int | None = 600,
    html_legend: bool = False,
    geojson_urls: Mapping[str, str] | None = None,
    per_trace: Mapping[int, list[str]] | None = None,
) -> go.Figure:
    """The map of ``measure`` (a dimension key, e.g. ``"overall"`` or ``"area:health"``) by region.

    ``layers`` is ``geo.map_layers(dataset.regions)`` (``regions_geojson``, ``context_geojson``,
    ``label_points``, optionally ``missing``); ``source_line`` is ``Dataset.source_line`` (with the
    illustrative mark when it applies); ``credit`` defaults to ``layers.credit`` / the EuroGeographics
    credit. Colours: Viridis on a domain fitted to the scores (:func:`coloraxis_update`), the colour bar
    horizontal under the map with the groups marked for the overall score, a "no score" swatch and fill.
    Hover: region, country, score /100 and rank, the region's group.
    ``height=None`` leaves the height to the page (larger on a desktop than on a phone).
    ``html_legend`` (the page: :func:`dashboard.views.map.page_figure`): no colour bar or "no score" swatch in the
    figure — the page draws them in HTML from the figure's colour axis (``assets/33-map-legend.js``: real text, and
    plotly.js redraws a colour bar on every change, a quarter of a measure change's cost); the colour axis keeps the
    bar's title and ticks for it, as on a horizontal bar. By default (exports: wide images) the colour bar and the
    swatch stand beside the map.
    Insets only for regions that need one; regions without a boundary are named in a note.
    ``geojson_urls`` (``{"regions": url, "context": url}``, :func:`dashboard.geo.geojson_urls`): the traces
    name their geometry by URL (the page: plotly.js fetches it once) instead of embedding it (exports: kaleido
    renders offline). ``per_trace``: :func:`trace_region_ids` when the caller has it already.
    Raises KeyError for an unknown measure.
    """
    scoring.dimension_label(measure)  # KeyError for an unknown measure, before any work
    credit = _(credit or getattr(layers, "credit", None) or MAP_CREDIT)  # a message id, or translated already
    regions_geojson = layers.regions_geojson
    per_trace = trace_region_ids(scores_table, regions_geojson) if per_trace is None else per_trace
    hovertemplate = HOVERTEMPLATE
    region_geo = geojson_urls["regions"] if geojson_urls else regions_geojson

    fig = go.Figure()
    ctx_ids = [str(f["id"]) for f in layers.context_geojson["features"]]
    fig.add_trace(go.Choropleth(
        geojson=geojson_urls["context"] if geojson_urls else layers.context_geojson, featureidkey="id",
        locations=ctx_ids, z=[0] * len(ctx_ids),
        colorscale=[[0, CONTEXT_FILL], [1, CONTEXT_FILL]], showscale=False, hoverinfo="skip",
        marker=dict(line=dict(color=BORDER, width=0.5)), name=_("Other regions and countries"), geo="geo",
    ))

    main_ids = per_trace[TRACE_REGIONS]
    values = measure_values(scores_table, measure, main_ids)
    fig.add_trace(go.Choropleth(
        geojson=region_geo, featureidkey="id", locations=main_ids, z=values["z"],
        hovertext=values["hovertext"], hovertemplate=hovertemplate,
        customdata=region_customdata(scores_table, main_ids),
        coloraxis="coloraxis", marker=dict(line=border_style(main_ids, selected)),
        name=scoring.dimension_label(measure), geo="geo",
    ))

    small_ids = per_trace[TRACE_SMALL]
    points = layers.label_points.set_index("region_id").reindex(small_ids)
    small = measure_values(scores_table, measure, small_ids) if small_ids else {"z": [], "hovertext": []}
    labelled = len(small_ids) <= MAX_LABELS
    fig.add_trace(go.Scattergeo(
        lon=points["lon"].tolist(), lat=points["lat"].tolist(), mode="markers+text" if labelled else "markers",
        text=[region_label(scores_table, r) for r in small_ids] if labelled else None,
        textposition="middle right", textfont=dict(size=11, color="#1f2a37"),
        marker=dict(color=small["z"], coloraxis="coloraxis", **marker_style(small_ids, selected)),
        hovertext=small["hovertext"], hovertemplate=hovertemplate,
        customdata=region_customdata(scores_table, small_ids),
        name=_("Small regions"), geo="geo", showlegend=False,
    ))

    groups = [per_trace[t] for t in sorted(per_trace) if t >= TRACE_INSET]
    lon_range, lat_range = main_frame(regions_geojson, [r for r in main_ids if not any(r in g for g in groups)])
    main_domain = MAIN_DOMAIN if groups else FULL_DOMAIN
    axis = coloraxis_update(measure, scores_table[measure].reindex(main_ids).tolist())
    if html_legend:  # the page draws it in HTML from the axis's title and ticks (a horizontal bar's): no placement
        bar = {}
        swatch = None
        margin = dict(l=6, r=6, t=44, b=64)
    else:  # exports (wide images): beside the map, the group names beside their bands
        ticks = colorbar_ticks(measure, (axis["cmin"], axis["cmax"]), horizontal=False)
        axis["colorbar"].update(tickvals=ticks[0], ticktext=ticks[1])
        bar = dict(orientation="v", x=1.0, xanchor="left", y=0.55, yanchor="middle", len=0.6)
        swatch = dict(x=1.0, y=0.2, xanchor="left", yanchor="top", yshift=0)
        margin = dict(l=10, r=10, t=60, b=80)
    layout: dict[str, Any] = dict(
        geo=_geo_layout(lon_range, lat_range, domain=main_domain),
        coloraxis=dict(
            colorscale=MAP_COLORSCALE, cmin=axis["cmin"], cmax=axis["cmax"], showscale=not html_legend,
            colorbar=dict(title=dict(text=axis["colorbar"]["title"]["text"], side="top"),
                          tickvals=axis["colorbar"]["tickvals"], ticktext=axis["colorbar"]["ticktext"],
                          lenmode="fraction", thickness=12, outlinewidth=0, tickfont=dict(size=11), **bar),
        ),
        margin=margin,
        showlegend=False,
        dragmode=False,
        clickmode="event",
        meta=hover_meta(measure),
        uirevision="map",
        separators=i18n.separators(),  # the language's decimal and thousands marks
    )
    for k, (group, domain) in enumerate(zip(groups, inset_domains(len(groups)))):
        subplot = f"geo{k + 2}"
        inset_geojson = _subset(regions_geojson, group)
        inset = measure_values(scores_table, measure, group)
        fig.add_trace(go.Choropleth(  # the whole regions layer by URL: only ``locations`` are drawn
            geojson=region_geo if geojson_urls else inset_geojson, featureidkey="id", locations=group,
            z=inset["z"], hovertext=inset["hovertext"], hovertemplate=hovertemplate,
            customdata=region_customdata(scores_table, group),
            coloraxis="coloraxis", marker=dict(line=border_style(group, selected)),
            name=_("Inset"), geo=subplot,
        ))
        lon_r, lat_r = _inset_ranges(inset_geojson)
        layout[subplot] = _geo_layout(lon_r, lat_r, domain=domain, frame=True)
        label = inset_label([region_label(scores_table, r) for r in group], inset["hovertext"])
        fig.add_annotation(text=label, xref="paper", yref="paper",  # annotation k: patched per measure
                           x=domain["x"][0], y=domain["y"][0], xanchor="left", yanchor="top",
                           showarrow=False, font=dict(size=11, color="#1f2a37"), bgcolor="rgba(255,255,255,0.85)",
                           name="inset-label")
    # regions without a score: filled on top of the context, so "no score" never reads as "not studied"
    missing = nodata_ids(scores_table, measure, main_ids)
    fig.add_trace(go.Choropleth(
        geojson=region_geo, featureidkey="id", locations=missing, z=[0] * len(missing),
        colorscale=[[0, NO_DATA_FILL], [1, NO_DATA_FILL]], showscale=False,
        hovertemplate=f"%{{location}}: {_(NO_SCORE)}<extra></extra>",
        marker=dict(line=dict(color=BORDER, width=0.6)), name=_(NO_DATA_LABEL), geo="geo",
    ))
    if swatch is not None:  # the "no score" swatch, beside the colour bar
        fig.add_annotation(
            text=f"<span style='color:{NO_DATA_FILL}'>■</span> {_(NO_DATA_LABEL)}", xref="paper", yref="paper",
            showarrow=False, font=dict(size=12, color="#1f2a37"), name="nodata-swatch", **swatch)
    note = missing_note(getattr(layers, "missing", None) or {}, scores_table)
    if note:
        fig.add_annotation(text=wrap_text(note, 70), xref="paper", yref="paper", x=main_domain["x"][0], y=1.0,
                           xanchor="left", yanchor="top", align="left", showarrow=False,
                           bgcolor="rgba(255,255,255,0.9)", font=dict(size=11, color="#1f2a37"),
                           name="missing-note")
    fig.update_layout(**layout)
    fig = base_layout(fig, title or map_title(measure), wrap_text(source_line, 110), credit=credit, height=height)
    return fig
