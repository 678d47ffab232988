"""Region profile charts (pure: wide scores → plotly Figure).

* :func:`radar_axis` – one axis with three or more spokes (elements, policy cycle, policy areas) for
  1–4 regions, with the average of all regions as a dashed grey trace. Reused by Compare.
* :func:`radar` – the three radar axes of one region side by side in one figure (briefs, exports).
* :func:`target_bars` – TCN vs BIP as paired horizontal bars (two spokes make a poor radar).
* :func:`mini_radar` – a compact policy-area radar for the map's side panel.

Every radial/score axis is fixed to 0–100 and labelled "score (0–100)"; every figure gets a title and
the source line (``Dataset.source_line``, with the illustrative mark) through ``base_layout``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import scoring
from dashboard.constants import MAX_COMPARE
from dashboard.figures.common import (  # noqa: F401 (wrap_text re-exported)
    AVERAGE_COLOR,
    SERIES_COLORS,
    base_layout,
    wrap_text,
)

RADAR_AXES = tuple(a for a, keys in scoring.AXES.items() if len(keys) >= 3)  # area, element, phase
PROFILE_RADAR_AXES = ("element", "phase", "area")
SCORE_AXIS_TITLE = "score (0–100)"
AVERAGE_NAME = "Average of all regions"
MAX_REGIONS = MAX_COMPARE
TARGET_TICK_LABELS = {"target:TCN": "Third-country<br>nationals (TCN)",
                      "target:BIP": "Beneficiaries of<br>international<br>protection (BIP)"}


def _top_legend(height: int, title_px: int = 40) -> dict:
    """A horizontal legend just under the title, placed in container pixels (so it never meets the
    source line under the plot area, nor the angular labels of a radar)."""
    return dict(orientation="h", yref="container", y=1 - title_px / height, yanchor="top", x=0, xanchor="left",
                font=dict(size=11))


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


def _polar_traces(scores_wide, region_ids, keys, names, include_average, subplot="polar", showlegend=True,
                  line_width=2.5):
    theta = [scoring.dimension_label(k, short=True) for k in keys]
    traces = []
    if include_average:
        avg = [round(float(v), 1) for v in scores_wide[list(keys)].mean()]
        traces.append(go.Scatterpolar(
            r=_closed(avg), theta=_closed(theta), name=AVERAGE_NAME, mode="lines",
            line=dict(color=AVERAGE_COLOR, dash="dash", width=2), subplot=subplot, legendgroup="average",
            showlegend=showlegend, hovertemplate="%{theta}: %{r:.0f} /100<extra>" + AVERAGE_NAME + "</extra>",
        ))
    for i, rid in enumerate(region_ids):
        vals = [None if pd.isna(v) else round(float(v), 1) for v in scores_wide.loc[rid, list(keys)]]
        name = _name(rid, names)
        color = SERIES_COLORS[i % len(SERIES_COLORS)]
        traces.append(go.Scatterpolar(
            r=_closed(vals), theta=_closed(theta), name=name, mode="lines+markers",
            line=dict(color=color, width=line_width), marker=dict(size=6, color=color),
            fill="toself" if len(region_ids) == 1 else "none", fillcolor=_alpha(color, 0.15),
            subplot=subplot, legendgroup=rid, showlegend=showlegend, customdata=[rid] * (len(keys) + 1),
            hovertemplate="%{theta}: %{r:.0f} /100<extra>" + name + "</extra>",
        ))
    return traces


def _alpha(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _polar_layout(title_text: bool = True, tick_size: int = 11) -> dict:
    return dict(
        radialaxis=dict(range=[0, 100], tickvals=[0, 25, 50, 75, 100], angle=90, tickangle=90, side="counterclockwise",
                        title=dict(text=SCORE_AXIS_TITLE if title_text else "", font=dict(size=10)),
                        tickfont=dict(size=9), gridcolor="#d5d9df"),
        angularaxis=dict(direction="clockwise", rotation=90, tickfont=dict(size=tick_size), gridcolor="#d5d9df"),
        bgcolor="#ffffff",
    )


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
    is fixed to 0–100. A single region's area is filled; several regions are drawn as outlines.
    """
    keys = _check_axis(axis)
    region_ids = _check_regions(scores_wide, region_ids)
    fig = go.Figure(_polar_traces(scores_wide, region_ids, keys, names, include_average))
    n_legend_rows = 1 + (len(region_ids) + include_average > 2)
    fig.update_layout(polar=_polar_layout(), legend=_top_legend(height), title=_top_title(height),
                      margin=dict(l=60, r=60, t=75 + 20 * n_legend_rows, b=75))
    if title is None:
        title = (f"{scoring.AXIS_LABELS[axis]}: {_name(region_ids[0], names)}" if len(region_ids) == 1
                 else scoring.AXIS_LABELS[axis])
    return base_layout(fig, title, wrap_text(source_line, 70), height=height)


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
    fig = make_subplots(rows=1, cols=len(axes), specs=[[{"type": "polar"}] * len(axes)],
                        subplot_titles=[scoring.AXIS_LABELS[a] for a in axes], horizontal_spacing=0.12)
    for i, keys in enumerate(keys_per_axis):
        subplot = "polar" if i == 0 else f"polar{i + 1}"
        for tr in _polar_traces(scores_wide, [region_id], keys, names, include_average, subplot=subplot,
                                showlegend=(i == 0)):
            fig.add_trace(tr)
        fig.update_layout({subplot: _polar_layout(title_text=(i == 0), tick_size=10)})
    fig.update_annotations(font=dict(size=12), yshift=30)
    fig.update_layout(legend=_top_legend(height), title=_top_title(height), margin=dict(l=60, r=60, t=130, b=70))
    title = f"Governance profile of {name or region_id} (score 0–100)"
    return base_layout(fig, title, wrap_text(source_line, 140), height=height)


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
    region_ids = _check_regions(scores_wide, region_ids)
    keys = list(scoring.AXES["target"])
    labels = [TARGET_TICK_LABELS.get(k, scoring.dimension_label(k)) for k in keys]
    fig = go.Figure()
    series: list[tuple[str, list, str, str | None]] = []
    for i, rid in enumerate(region_ids):
        vals = [None if pd.isna(v) else round(float(v), 1) for v in scores_wide.loc[rid, keys]]
        series.append((_name(rid, names), vals, SERIES_COLORS[i % len(SERIES_COLORS)], None))
    if include_average:
        avg = [round(float(v), 1) for v in scores_wide[keys].mean()]
        series.append((AVERAGE_NAME, avg, AVERAGE_COLOR, "/"))
    for name, vals, color, pattern in series:
        fig.add_trace(go.Bar(
            y=labels, x=vals, name=name, orientation="h", marker=dict(color=color, pattern_shape=pattern),
            text=[("no score" if v is None else f"{v:.0f}") for v in vals], textposition="outside",
            cliponaxis=False, customdata=[scoring.dimension_label(k) for k in keys],
            hovertemplate="%{customdata}: %{x:.0f} /100<extra>" + name + "</extra>",
        ))
    fig.update_layout(
        barmode="group", bargap=0.3,
        xaxis=dict(range=[0, 100], title=dict(text=SCORE_AXIS_TITLE, font=dict(size=12)), tickvals=[0, 25, 50, 75, 100], fixedrange=True),
        yaxis=dict(autorange="reversed", fixedrange=True),
        margin=dict(l=40, r=30, t=95, b=110),
    )
    fig.update_yaxes(automargin=True)
    if title is None:
        title = (f"Target population: {_name(region_ids[0], names)} (score 0–100)" if len(region_ids) == 1
                 else "Target population (score 0–100)")
    height = height or (240 + 36 * len(series))
    fig.update_layout(legend={**_top_legend(height), "traceorder": "normal"}, title=_top_title(height))
    fig = base_layout(fig, title, wrap_text(source_line, 90), height=height)
    # under the x-axis title, not on it
    return fig.update_annotations(selector=dict(name="source"), yshift=-52)


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
    fig = go.Figure(_polar_traces(scores_wide, [region_id], keys, names, True, line_width=2))
    fig.update_layout(polar=_polar_layout(title_text=True, tick_size=9),
                      legend={**_top_legend(height, 30), "font": dict(size=10)},
                      margin=dict(l=45, r=45, t=80, b=60), font=dict(size=11),
                      title={**_top_title(height), "font": dict(size=13)})
    fig = base_layout(fig, f"{scoring.AXIS_LABELS[axis]} (0–100)", wrap_text(source_line, 95), height=height)
    fig.update_annotations(selector=dict(name="source"), font=dict(size=8))
    return fig
