"""Region profile charts (pure: wide scores → plotly Figure).

* :func:`radar_axis` – one axis with three or more spokes (elements, policy cycle, policy areas) for
  1–4 regions, with the average of all regions as a dashed grey trace. Reused by Compare.
* :func:`radar` – the three radar axes of one region side by side in one figure (briefs, exports).
* :func:`target_bars` – TCN vs BIP as paired horizontal bars (two spokes make a poor radar).
* :func:`mini_radar` – a compact policy-area radar for the map's side panel.

Every radial/score axis is fixed to 0–100 and labelled "score (0–100)"; every figure gets a title and
the source line (``Dataset.source_line``, with the illustrative mark) through
:func:`~dashboard.figures.common.title_and_source`. Figures are built from plain dicts by
:func:`~dashboard.figures.common.figure` (no per-property validation: the tests validate every builder's output).
"""

from __future__ import annotations

import copy
import math
import textwrap
from collections.abc import Mapping, Sequence
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import i18n, scoring
from dashboard.constants import MAX_COMPARE
from dashboard.figures.common import (  # noqa: F401 (wrap_text re-exported)
    AVERAGE_COLOR,
    SERIES_COLORS,
    figure,
    score_text,
    title_and_source,
    wrap_label,
    wrap_text,
)
from dashboard.i18n import N_, _

RADAR_AXES = tuple(a for a, keys in scoring.AXES.items() if len(keys) >= 3)  # area, element, phase
PROFILE_RADAR_AXES = ("element", "phase", "area")
SCORE_AXIS_TITLE = N_("score (0–100)")  # English; shown through _()
#: Fewer spokes make a triangle, not a profile: such an axis is drawn as bars (:func:`axis_bars`).
MIN_RADAR_SPOKES = 4
#: The labelled rings of every radar (0 is the centre, 100 the outer ring).
RADAR_RINGS = (25, 50, 75)
AVERAGE_NAME = N_("Average of all regions")  # English; shown through _(AVERAGE_NAME)
MAX_REGIONS = MAX_COMPARE
#: The target groups' full names as bar labels (wrapped at about 16 characters by :func:`target_tick_label`).
TARGET_TICK_LABELS = i18n.Labels({"target:TCN": N_("Third-country nationals (TCN)"),
                                  "target:BIP": N_("Beneficiaries of international protection (BIP)")})


def target_tick_label(key: str) -> str | None:
    """A target group's bar label in the current language, on lines of about 16 characters
    ("Third-country<br>nationals (TCN)"); None for a key that is not a target group."""
    if key not in TARGET_TICK_LABELS:
        return None
    label = TARGET_TICK_LABELS[key]
    return "<br>".join(textwrap.wrap(label, 16, break_long_words=False, break_on_hyphens=False)) or label


def _top_legend(height: int, title_px: int = 40) -> dict:
    """A horizontal legend just under the title, placed in container pixels (so it never meets the
    source line under the plot area, nor the angular labels of a radar)."""
    return dict(orientation="h", yref="container", y=1 - title_px / height, yanchor="top", x=0, xanchor="left",
                font=dict(size=11))


def legend_rows(labels: Sequence[str], width: int = 300) -> int:
    """Rows a horizontal legend of ``labels`` takes in ``width`` px (about the legend width on a 390 px screen):
    each entry is about 45 px of symbol and gap plus 7 px a character, packed row by row."""
    rows, used = 1, 0.0
    for label in labels:
        w = 45 + 7 * len(label)
        if used and used + w > width:
            rows, used = rows + 1, 0.0
        used += w
    return rows


def _top_title(height: int) -> dict:
    """Title pinned to the top of the figure (container pixels), above :func:`_top_legend`."""
    return dict(yref="container", y=1 - 10 / height, yanchor="top")


def _name(region_id: str, names: Mapping[str, str] | None) -> str:
    return (names or {}).get(region_id, region_id)


def _check_regions(scores_wide: pd.DataFrame, region_ids: Sequence[str]) -> list[str]:
    region_ids = list(dict.fromkeys(region_ids))
    if not 1 <= len(region_ids) <= MAX_REGIONS:
        raise ValueError(f"give 1 to {MAX_REGIONS} regions, got {len(region_ids)}")
    unknown = [r for r in region_ids if r not in scores_wide.index]
    if unknown:
        raise KeyError(f"unknown region(s): {', '.join(unknown)}")
    return region_ids


def _check_axis(axis: str) -> tuple[str, ...]:
    if axis not in scoring.AXES:
        raise KeyError(f"unknown axis {axis!r}; expected one of {', '.join(scoring.AXES)}")
    keys = scoring.AXES[axis]
    if len(keys) < 3:
        raise ValueError(f"the {scoring.AXIS_LABELS[axis].lower()} axis has {len(keys)} spokes; a radar needs "
                         "three or more (use target_bars for TCN vs BIP)")
    return keys


def _closed(values: list) -> list:
    return values + values[:1]


def spoke_text_positions(n: int) -> list[str]:
    """Where each spoke's value is printed so that it sits outside the polygon's corner: above the top
    spoke, right of the right-hand ones, below the bottom one, diagonally beside diagonal ones (spokes run
    clockwise from the top)."""
    out = []
    for i in range(n):
        a = math.radians(90 - i * 360 / n)
        side = "right" if math.cos(a) > 0 else "left"
        if math.sin(a) > 0.9:
            out.append("top center")
        elif math.sin(a) < -0.9:
            out.append("bottom center")
        elif abs(math.sin(a)) < 0.4:
            out.append(f"middle {side}")
        else:
            out.append(f"{'top' if math.sin(a) > 0 else 'bottom'} {side}")
    return out


def _polar_traces(scores_wide, region_ids, keys, names, include_average, subplot="polar", showlegend=True,
                  line_width=2.5, values: bool | None = None) -> list[dict]:
    """The average (dashed grey) and one trace per region, as plain ``scatterpolar`` dicts; ``values`` prints
    each region's score beside its points (default: when one region is drawn: with several the table beside
    the chart gives the values)."""
    theta = _closed([wrap_label(scoring.dimension_label(k, short=True), 14) for k in keys])
    values = len(region_ids) == 1 if values is None else values
    traces = []
    if include_average:
        avg = [round(float(v), 1) for v in scores_wide[list(keys)].mean()]
        average_name = _(AVERAGE_NAME)
        traces.append({
            "type": "scatterpolar", "r": _closed(avg), "theta": list(theta), "name": average_name, "mode": "lines",
            "line": {"color": AVERAGE_COLOR, "dash": "dash", "width": 2}, "subplot": subplot,
            "legendgroup": "average", "showlegend": showlegend,
            "hovertemplate": "%{theta}: %{r:.0f} /100<extra>" + average_name + "</extra>",
        })
    for i, rid in enumerate(region_ids):
        vals = [None if pd.isna(v) else round(float(v), 1) for v in scores_wide.loc[rid, list(keys)]]
        name = _name(rid, names)
        color = SERIES_COLORS[i % len(SERIES_COLORS)]
        trace = {
            "type": "scatterpolar", "r": _closed(vals), "theta": list(theta), "name": name,
            "mode": "lines+markers" + ("+text" if values else ""),
            "line": {"color": color, "width": line_width}, "marker": {"size": 6, "color": color},
            "fill": "toself" if len(region_ids) == 1 else "none", "fillcolor": _alpha(color, 0.15),
            "subplot": subplot, "legendgroup": rid, "showlegend": showlegend, "customdata": [rid] * (len(keys) + 1),
            "hovertemplate": "%{theta}: %{r:.0f} /100<extra>" + name + "</extra>",
        }
        if values:
            trace.update(text=_closed(["" if v is None else score_text(v) for v in vals]),
                         textposition=_closed(spoke_text_positions(len(keys))),
                         textfont={"size": 11, "color": "#1f2a37"})
        traces.append(trace)
    return traces


def _alpha(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def radial_axis_angle(n_spokes: int) -> float:
    """The angle (degrees, counter-clockwise from east, as plotly reads ``radialaxis.angle``) halfway between
    the top spoke and the next one clockwise: the 25/50/75 tick labels sit between two spokes, off the
    spokes' labels and off the polygon corners."""
    return 90 - 180 / n_spokes


def _polar_layout(n_spokes: int, tick_size: int = 11) -> dict:
    """One radar's axes: 0–100 with labelled rings at 25, 50 and 75 only (the outer ring is 100 and the
    centre 0, so no "100" meets the top spoke's label), tick labels between two spokes, horizontal and
    small, no rotated axis title (the scale is in the chart's title), spoke labels wrapped."""
    return dict(
        radialaxis=dict(range=[0, 100], tickvals=list(RADAR_RINGS), ticktext=[str(v) for v in RADAR_RINGS],
                        angle=radial_axis_angle(n_spokes), tickangle=radial_axis_angle(n_spokes), showline=False,
                        title=dict(text=""),
                        tickfont=dict(size=9, color="#5b6675"), gridcolor="#d5d9df"),
        angularaxis=dict(direction="clockwise", rotation=90, tickfont=dict(size=tick_size), gridcolor="#d5d9df"),
        bgcolor="#ffffff",
    )


def uses_radar(axis: str) -> bool:
    """True when ``axis`` has enough spokes for a radar (:data:`MIN_RADAR_SPOKES`); fewer are drawn as bars."""
    return len(scoring.AXES[axis]) >= MIN_RADAR_SPOKES


def radar_traces(scores_wide: pd.DataFrame, region_ids: Sequence[str], axis: str, include_average: bool = True,
                 *, names: Mapping[str, str] | None = None) -> list[dict]:
    """The traces of :func:`radar_axis` alone (plain dicts, the same): for a change that keeps the chart's layout
    (a ``dash.Patch`` of its data)."""
    keys = _check_axis(axis)
    region_ids = _check_regions(scores_wide, region_ids)
    return _polar_traces(scores_wide, region_ids, keys, names, include_average)


def radar_axis(
    scores_wide: pd.DataFrame,
    region_ids: Sequence[str],
    axis: str,
    source_line: str,
    include_average: bool = True,
    *,
    names: Mapping[str, str] | None = None,
    title: str | None = None,
    height: int = 420,
) -> go.Figure:
    """Radar of one axis (``"element"``, ``"phase"`` or ``"area"``) for 1–4 regions.

    ``scores_wide`` is ``Dataset.wide_scores`` (index region_id, columns dimension keys); ``names`` maps
    region_id → display name (default: the id). With ``include_average`` the mean of all regions in
    ``scores_wide`` is drawn first as a dashed grey trace named :data:`AVERAGE_NAME`. The radial axis
    is fixed to 0–100 with rings labelled 25/50/75 between two spokes; the title names the scale. A single
    region's area is filled and its scores are printed at the corners; several regions are drawn as
    outlines (their values are in the table beside the chart, :func:`axis_table`). Pages draw an axis
    with fewer than :data:`MIN_RADAR_SPOKES` spokes as bars instead (:func:`axis_chart`).
    """
    traces = radar_traces(scores_wide, region_ids, axis, include_average, names=names)
    rows = legend_rows([t["name"] for t in traces])
    if title is None:  # the legend names the regions: a short title fits a 390 px screen
        title = f"{scoring.AXIS_LABELS[axis]} (0–100)"
    layout = title_and_source(title, wrap_text(source_line, 70), height=height)
    layout.update(polar=_polar_layout(len(scoring.AXES[axis])), legend=_top_legend(height),
                  title={**_top_title(height), **layout["title"]},
                  margin=dict(l=70, r=70, t=90 + 30 * rows, b=80))  # room for the top spoke's label
    return figure(traces, layout)


def radar(
    scores_wide: pd.DataFrame,
    region_id: str,
    source_line: str,
    *,
    name: str | None = None,
    axes: Sequence[str] = PROFILE_RADAR_AXES,
    include_average: bool = True,
    height: int = 440,
) -> go.Figure:
    """One region's profile on every axis with ≥ 3 spokes, as side-by-side radars in one figure."""
    axes = list(axes)
    keys_per_axis = [_check_axis(a) for a in axes]
    _check_regions(scores_wide, [region_id])
    names = {region_id: name} if name else None
    grid = _subplot_grid(len(axes))
    traces: list[dict] = []
    layout: dict = {}
    for i, keys in enumerate(keys_per_axis):
        subplot = "polar" if i == 0 else f"polar{i + 1}"
        traces += _polar_traces(scores_wide, [region_id], keys, names, include_average, subplot=subplot,
                                showlegend=(i == 0))
        layout[subplot] = {**_polar_layout(len(keys), tick_size=10), "domain": copy.deepcopy(grid[subplot])}
    titles = [{**copy.deepcopy(a), "text": scoring.AXIS_LABELS[axis], "font": {"size": 12}, "yshift": 30}
              for a, axis in zip(grid["annotations"], axes)]
    title = _("Governance profile of {region} (score 0–100)").format(region=name or region_id)
    base = title_and_source(title, wrap_text(source_line, 140), height=height)
    layout.update(base, legend=_top_legend(height), title={**_top_title(height), **base["title"]},
                  margin=dict(l=60, r=60, t=130, b=70), annotations=titles + base["annotations"])
    return figure(traces, layout)


@lru_cache(maxsize=8)
def _subplot_grid(columns: int) -> dict:
    """The polar domains (``polar``, ``polar2`` …) and subplot-title annotations plotly's ``make_subplots``
    lays out for one row of ``columns`` radars (computed once per column count; deep-copy before use)."""
    
    layout = make_subplots(rows=1, cols=columns, specs=[[{"type": "polar"}] * columns],
                           subplot_titles=[" "] * columns, horizontal_spacing=0.12).to_dict()["layout"]
    grid = {k: v["domain"] for k, v in layout.items() if k.startswith("polar")}
    grid["annotations"] = layout["annotations"]
    return grid


def axis_bars(
    scores_wide: pd.DataFrame,
    region_ids: Sequence[str],
    axis: str,
    source_line: str,
    include_average: bool = True,
    *,
    names: Mapping[str, str] | None = None,
    title: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """One axis as grouped horizontal bars: a group per dimension, one bar per region (and the average,
    hatched grey), each bar labelled with its score. The bar view of any axis, and the only view of the
    axes with fewer than :data:`MIN_RADAR_SPOKES` spokes (elements: 3, target population: 2)."""
    if axis not in scoring.AXES:
        raise KeyError(f"unknown axis {axis!r}; expected one of {', '.join(scoring.AXES)}")
    region_ids = _check_regions(scores_wide, region_ids)
    keys = list(scoring.AXES[axis])
    labels = [target_tick_label(k) or wrap_label(scoring.dimension_label(k, short=True), 14) for k in keys]
    series: list[tuple[str, list, str, str | None]] = []
    for i, rid in enumerate(region_ids):
        vals = [None if pd.isna(v) else round(float(v), 1) for v in scores_wide.loc[rid, keys]]
        series.append((_name(rid, names), vals, SERIES_COLORS[i % len(SERIES_COLORS)], None))
    if include_average:
        avg = [round(float(v), 1) for v in scores_wide[keys].mean()]
        series.append((_(AVERAGE_NAME), avg, AVERAGE_COLOR, "/"))
    full_labels = [scoring.dimension_label(k) for k in keys]
    traces = []
    for name, vals, color, pattern in series:
        traces.append({
            "type": "bar", "y": list(labels), "x": vals, "name": name, "orientation": "h",
            "marker": {"color": color, **({"pattern": {"shape": pattern}} if pattern else {})},
            "text": [score_text(v) for v in vals], "textposition": "outside",
            "cliponaxis": False, "customdata": list(full_labels),
            "hovertemplate": "%{customdata}: %{x:.0f} /100<extra>" + name + "</extra>",
        })
    if title is None:  # the legend names the regions: a short title fits a 390 px screen
        title = f"{scoring.AXIS_LABELS[axis]} (0–100)"
    height = height or (170 + len(keys) * (18 * len(series) + 24))
    layout = title_and_source(title, wrap_text(source_line, 90), height=height)
    layout["annotations"][0]["yshift"] = -52  # under the x-axis title, not on it
    layout.update(
        barmode="group", bargap=0.3,
        xaxis=dict(range=[0, 100], title=dict(text=_(SCORE_AXIS_TITLE), font=dict(size=12)),
                   tickvals=[0, 25, 50, 75, 100], fixedrange=True),
        yaxis=dict(autorange="reversed", fixedrange=True, automargin=True),
        margin=dict(l=40, r=30, t=66 + 26 * legend_rows([name for name, *_rest in series]), b=110),
        legend={**_top_legend(height), "traceorder": "normal"}, title={**_top_title(height), **layout["title"]},
    )
    return figure(traces, layout)


def target_bars(
    scores_wide: pd.DataFrame,
    region_ids: Sequence[str],
    source_line: str,
    include_average: bool = True,
    *,
    names: Mapping[str, str] | None = None,
    title: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """TCN vs BIP as paired horizontal bars: one bar per region (and the average) in each group."""
    if title is None:
        region_ids = _check_regions(scores_wide, region_ids)
        title = (_("Target population: {region} (score 0–100)").format(region=_name(region_ids[0], names))
                 if len(region_ids) == 1 else _("Target population (score 0–100)"))
    height = height or (240 + 36 * (len(list(dict.fromkeys(region_ids))) + include_average))
    return axis_bars(scores_wide, region_ids, "target", source_line, include_average, names=names, title=title,
                     height=height)


def axis_chart(
    scores_wide: pd.DataFrame,
    region_ids: Sequence[str],
    axis: str,
    source_line: str,
    include_average: bool = True,
    *,
    names: Mapping[str, str] | None = None,
    title: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """The chart of one axis as the pages show it: a radar (:func:`radar_axis`) when the axis has
    :data:`MIN_RADAR_SPOKES` or more spokes, else bars (:func:`axis_bars`), never a bare triangle."""
    if axis not in scoring.AXES:
        raise KeyError(f"unknown axis {axis!r}; expected one of {', '.join(scoring.AXES)}")
    if uses_radar(axis):
        return radar_axis(scores_wide, region_ids, axis, source_line, include_average, names=names, title=title,
                          height=height or 420)
    return axis_bars(scores_wide, region_ids, axis, source_line, include_average, names=names, title=title,
                     height=height)


def mini_radar(
    scores_wide: pd.DataFrame,
    region_id: str,
    source_line: str,
    *,
    name: str | None = None,
    axis: str = "area",
    height: int = 330,
) -> go.Figure:
    """A small radar of one region (policy areas by default) with the all-region average."""
    keys = _check_axis(axis)
    _check_regions(scores_wide, [region_id])
    names = {region_id: name} if name else None
    traces = _polar_traces(scores_wide, [region_id], keys, names, True, line_width=2, values=False)
    layout = title_and_source(f"{scoring.AXIS_LABELS[axis]} (0–100)", wrap_text(source_line, 95), height=height)
    layout["annotations"][0]["font"]["size"] = 8
    layout.update(polar=_polar_layout(len(keys), tick_size=9),
                  legend={**_top_legend(height, 30), "font": dict(size=10)},
                  margin=dict(l=45, r=45, t=80, b=60), font=dict(size=11),
                  title={**_top_title(height), "font": dict(size=13), **layout["title"]})
    return figure(traces, layout)


# ---------------------------------------------------------------------------------------------
# Text alternatives: the numbers of a chart as a table and as one plain-words sentence
# ---------------------------------------------------------------------------------------------

#: The axis ("group") a dimension belongs to, in the profile's score table (answers in the current language).
GROUP_LABELS = i18n.Labels({"overall": N_("Overall")}) | scoring.AXIS_LABELS


def axis_table(scores_wide: pd.DataFrame, region_ids: Sequence[str], axis: str,
               names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The numbers of one axis chart: column ``Dimension``, one column per region (its display name) and
    ``Average of all regions`` (the column names in the current language: they are the table's headers);
    scores rounded to whole points (NaN: no score). The table beside a radar."""
    region_ids = _check_regions(scores_wide, region_ids)
    keys = list(scoring.AXES[axis])
    table = pd.DataFrame({_("Dimension"): [scoring.dimension_label(k) for k in keys]})
    for rid in region_ids:
        table[_name(rid, names)] = [scores_wide.at[rid, k] for k in keys]
    table[_(AVERAGE_NAME)] = [scores_wide[k].mean() for k in keys]
    return table.round(0)


def score_table(scores_wide: pd.DataFrame, region_id: str) -> pd.DataFrame:
    """The region profile's score table, one row per dimension in display order: ``group`` (the axis:
    Overall, Policy areas, …), ``dimension`` (plain words), ``score``, ``average`` (of all regions) and
    ``difference`` (score minus average, points); scores to one decimal, NaN when missing."""
    _check_regions(scores_wide, [region_id])
    dims = [d for d in scoring.DIMENSIONS if d in scores_wide.columns]
    average = scores_wide[dims].mean()
    table = pd.DataFrame({
        "group": [GROUP_LABELS[scoring.axis_of(d)] for d in dims],
        "dimension": [scoring.dimension_label(d) for d in dims],
        "score": [scores_wide.at[region_id, d] for d in dims],
        "average": [average[d] for d in dims],
    })
    table["difference"] = table["score"] - table["average"]
    return table.round(1)


def _value(item: tuple[str, float]) -> float:
    return item[1]


def axis_summary(scores_wide: pd.DataFrame, region_ids: Sequence[str], axis: str,
                 names: Mapping[str, str] | None = None) -> str:
    """One plain-words sentence for the chart of ``axis`` (its text alternative): per region the highest and
    the lowest dimension with their scores, and the range of the all-region average."""
    region_ids = _check_regions(scores_wide, region_ids)
    keys = list(scoring.AXES[axis])
    parts = []
    for rid in region_ids:  # plain values (a pandas row per region cost more than the rest of the sentence)
        row = [(k, v) for k in keys if not pd.isna(v := scores_wide.at[rid, k])]
        if not row:
            parts.append(_("{region}: no score").format(region=_name(rid, names)))
            continue
        (hi, high), (lo, low) = max(row, key=_value), min(row, key=_value)  # the first of equal ones, as idxmax
        parts.append(_("{region}: highest {high} ({high_score}), lowest {low} ({low_score})").format(
            region=_name(rid, names), high=scoring.dimension_label(hi), high_score=score_text(high),
            low=scoring.dimension_label(lo), low_score=score_text(low)))
    avg = scores_wide[keys].mean()
    return _("{axis}, scores from 0 to 100. {regions}. The average of all regions runs from {low} to {high}.").format(
        axis=scoring.AXIS_LABELS[axis], regions="; ".join(parts), low=score_text(avg.min()),
        high=score_text(avg.max()))
