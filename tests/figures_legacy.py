"""The figure builders as they were before they built plain dicts through ``figures.common.figure`` (every
property validated by plotly): the reference the tests compare the fast builders' output with
(tests/test_figures_fast.py). Copied from the modules' previous versions; only the imports changed (the
unchanged helpers come from the current modules). Not used by the app."""

# ruff: noqa: E501
from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import i18n, scoring
from dashboard.figures.change import DIVERGING, change_limit, change_title
from dashboard.figures.change import _hover as _change_hover
from dashboard.figures.common import (
    AVERAGE_COLOR,
    SERIES_COLORS,
    TEMPLATE,
    score_text,
    wrap_label,
    wrap_text,
)
from dashboard.figures.compare import (
    AVERAGE_KEY,
    BAR_GROUPS,
    _fmt,
    _wrap,
    all_region_average,
)
from dashboard.figures.compare import _check_regions as _compare_check
from dashboard.figures.lab_map import ACCENT, EMPTY_OUTLINE, SELECTED, _inside, _view
from dashboard.figures.outcomes import HIGHLIGHT_COLOR, POINT_COLOR
from dashboard.figures.outcomes import _hover as _outcome_hover
from dashboard.figures.profile import (
    AVERAGE_NAME,
    PROFILE_RADAR_AXES,
    SCORE_AXIS_TITLE,
    _alpha,
    _check_axis,
    _check_regions,
    _closed,
    _name,
    _polar_layout,
    _top_legend,
    _top_title,
    legend_rows,
    spoke_text_positions,
    target_tick_label,
    uses_radar,
)
from dashboard.i18n import _, ngettext

# --- figures/common.py

def annotate_source(fig: go.Figure, source_line: str, credit: str | None = None, width: int = 100) -> go.Figure:
    """Add the source line (wrapped at about ``width`` characters) and, for maps, the boundary credit under
    the plot area; returns ``fig``."""
    source_line = wrap_text(source_line, width)
    text = source_line if not credit else f"{source_line}<br>{credit}"
    fig.add_annotation(
        text=text, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top", yshift=-28,
        showarrow=False, align="left", font=dict(size=10, color="#5b6675"), name="source",
    )
    return fig


def base_layout(fig: go.Figure, title: str, source_line: str, credit: str | None = None,
                height: int | None = None) -> go.Figure:
    """Template, title and source in one call, so every figure function ends the same way; the numbers use
    the current language's decimal and thousands marks (``layout.separators``, :func:`dashboard.i18n.separators`)."""
    fig.update_layout(template=TEMPLATE, title=dict(text=title), separators=i18n.separators())
    if height:
        fig.update_layout(height=height)
    return annotate_source(fig, source_line, credit)


# --- figures/profile.py

def _polar_traces(scores_wide, region_ids, keys, names, include_average, subplot="polar", showlegend=True,
                  line_width=2.5, values: bool | None = None):
    """The average (dashed grey) and one trace per region; ``values`` prints each region's score beside its
    points (default: when one region is drawn: with several the table beside the chart gives the values)."""
    theta = [wrap_label(scoring.dimension_label(k, short=True), 14) for k in keys]
    values = len(region_ids) == 1 if values is None else values
    traces = []
    if include_average:
        avg = [round(float(v), 1) for v in scores_wide[list(keys)].mean()]
        average_name = _(AVERAGE_NAME)
        traces.append(go.Scatterpolar(
            r=_closed(avg), theta=_closed(theta), name=average_name, mode="lines",
            line=dict(color=AVERAGE_COLOR, dash="dash", width=2), subplot=subplot, legendgroup="average",
            showlegend=showlegend, hovertemplate="%{theta}: %{r:.0f} /100<extra>" + average_name + "</extra>",
        ))
    for i, rid in enumerate(region_ids):
        vals = [None if pd.isna(v) else round(float(v), 1) for v in scores_wide.loc[rid, list(keys)]]
        name = _name(rid, names)
        color = SERIES_COLORS[i % len(SERIES_COLORS)]
        extra = {}
        if values:
            extra = dict(text=_closed(["" if v is None else score_text(v) for v in vals]),
                         textposition=_closed(spoke_text_positions(len(keys))),
                         textfont=dict(size=11, color="#1f2a37"))
        traces.append(go.Scatterpolar(
            r=_closed(vals), theta=_closed(theta), name=name, mode="lines+markers" + ("+text" if values else ""),
            line=dict(color=color, width=line_width), marker=dict(size=6, color=color),
            fill="toself" if len(region_ids) == 1 else "none", fillcolor=_alpha(color, 0.15),
            subplot=subplot, legendgroup=rid, showlegend=showlegend, customdata=[rid] * (len(keys) + 1),
            hovertemplate="%{theta}: %{r:.0f} /100<extra>" + name + "</extra>", **extra,
        ))
    return traces


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
    keys = _check_axis(axis)
    region_ids = _check_regions(scores_wide, region_ids)
    fig = go.Figure(_polar_traces(scores_wide, region_ids, keys, names, include_average))
    rows = legend_rows([t.name for t in fig.data])
    fig.update_layout(polar=_polar_layout(len(keys)), legend=_top_legend(height), title=_top_title(height),
                      margin=dict(l=70, r=70, t=90 + 30 * rows, b=80))  # room for the top spoke's label
    if title is None:  # the legend names the regions: a short title fits a 390 px screen
        title = f"{scoring.AXIS_LABELS[axis]} (0–100)"
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
        fig.update_layout({subplot: _polar_layout(len(keys), tick_size=10)})
    fig.update_annotations(font=dict(size=12), yshift=30)
    fig.update_layout(legend=_top_legend(height), title=_top_title(height), margin=dict(l=60, r=60, t=130, b=70))
    title = _("Governance profile of {region} (score 0–100)").format(region=name or region_id)
    return base_layout(fig, title, wrap_text(source_line, 140), height=height)


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
    fig = go.Figure()
    series: list[tuple[str, list, str, str | None]] = []
    for i, rid in enumerate(region_ids):
        vals = [None if pd.isna(v) else round(float(v), 1) for v in scores_wide.loc[rid, keys]]
        series.append((_name(rid, names), vals, SERIES_COLORS[i % len(SERIES_COLORS)], None))
    if include_average:
        avg = [round(float(v), 1) for v in scores_wide[keys].mean()]
        series.append((_(AVERAGE_NAME), avg, AVERAGE_COLOR, "/"))
    for name, vals, color, pattern in series:
        fig.add_trace(go.Bar(
            y=labels, x=vals, name=name, orientation="h", marker=dict(color=color, pattern_shape=pattern),
            text=[score_text(v) for v in vals], textposition="outside",
            cliponaxis=False, customdata=[scoring.dimension_label(k) for k in keys],
            hovertemplate="%{customdata}: %{x:.0f} /100<extra>" + name + "</extra>",
        ))
    fig.update_layout(
        barmode="group", bargap=0.3,
        xaxis=dict(range=[0, 100], title=dict(text=_(SCORE_AXIS_TITLE), font=dict(size=12)),
                   tickvals=[0, 25, 50, 75, 100], fixedrange=True),
        yaxis=dict(autorange="reversed", fixedrange=True),
        margin=dict(l=40, r=30, t=66 + 26 * legend_rows([name for name, *_rest in series]), b=110),
    )
    fig.update_yaxes(automargin=True)
    if title is None:  # the legend names the regions: a short title fits a 390 px screen
        title = f"{scoring.AXIS_LABELS[axis]} (0–100)"
    height = height or (170 + len(keys) * (18 * len(series) + 24))
    fig.update_layout(legend={**_top_legend(height), "traceorder": "normal"}, title=_top_title(height))
    fig = base_layout(fig, title, wrap_text(source_line, 90), height=height)
    # under the x-axis title, not on it
    return fig.update_annotations(selector=dict(name="source"), yshift=-52)


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
    fig = go.Figure(_polar_traces(scores_wide, [region_id], keys, names, True, line_width=2, values=False))
    fig.update_layout(polar=_polar_layout(len(keys), tick_size=9),
                      legend={**_top_legend(height, 30), "font": dict(size=10)},
                      margin=dict(l=45, r=45, t=80, b=60), font=dict(size=11),
                      title={**_top_title(height), "font": dict(size=13)})
    fig = base_layout(fig, f"{scoring.AXIS_LABELS[axis]} (0–100)", wrap_text(source_line, 95), height=height)
    fig.update_annotations(selector=dict(name="source"), font=dict(size=8))
    return fig


# --- figures/compare.py

def compare_bars(scores_wide: pd.DataFrame, region_ids: Sequence[str], source_line: str,
                 dimensions: Sequence[str] | None = None, names: Mapping[str, str] | None = None,
                 title: str | None = None) -> go.Figure:
    """Grouped bars: one group per dimension, one bar per region plus the all-region average (grey).

    ``dimensions`` defaults to the overall score and the policy areas. Values are the scores as given.
    """
    region_ids = _compare_check(scores_wide, region_ids)
    dimensions = list(dimensions or BAR_GROUPS["areas"][1])
    labels = [_wrap(scoring.dimension_label(d, short=True)) for d in dimensions]
    average = all_region_average(scores_wide)
    fig = go.Figure()
    for i, rid in enumerate(region_ids):
        values = [scores_wide.at[rid, d] for d in dimensions]
        fig.add_trace(go.Bar(
            x=labels, y=values, name=_name(rid, names), marker_color=SERIES_COLORS[i % len(SERIES_COLORS)],
            text=[_fmt(v).replace("/100", "") for v in values], textposition="outside", cliponaxis=False,
            customdata=[_fmt(v) for v in values], meta=rid,
            hovertemplate="%{fullData.name}<br>%{x}: %{customdata}<extra></extra>",
        ))
    avg_values = [average[d] for d in dimensions]
    fig.add_trace(go.Bar(
        x=labels, y=avg_values, name=_(AVERAGE_NAME), marker=dict(color=AVERAGE_COLOR, pattern_shape="/"),
        customdata=[_fmt(v) for v in avg_values], meta=AVERAGE_KEY,
        hovertemplate=_(AVERAGE_NAME) + "<br>%{x}: %{customdata}<extra></extra>",
    ))
    fig.update_layout(
        barmode="group", bargap=0.25, bargroupgap=0.05,
        yaxis=dict(range=[0, 100], title=_("Score (0–100)"), fixedrange=True, dtick=25),
        xaxis=dict(fixedrange=True, tickangle=0),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
        uniformtext=dict(minsize=8, mode="hide"),
        margin=dict(t=90, b=110),
    )
    fig = base_layout(fig, title or _("Scores by dimension (0–100)"), source_line, height=460)
    return fig.update_annotations(selector=dict(name="source"), yshift=-62)


# --- figures/outcomes.py

def scatter(table: pd.DataFrame, *, x_label: str, y_label: str, y_unit: str, title: str, source_line: str,
            r_text: str, caveat: str, x_mean: float | None = None, y_mean: float | None = None,
            height: int = 560) -> go.Figure:
    """The scatter; ``table`` has the columns of :data:`dashboard.views.outcomes.TABLE_COLUMNS`."""
    points = table.dropna(subset=["x", "y"])
    fig = go.Figure()
    groups = [
        (_("Regions"), points[~points["highlighted"]], POINT_COLOR, 10),
        (_("Selected region"), points[points["highlighted"]], HIGHLIGHT_COLOR, 16),
    ]
    for name, part, color, size in groups:
        if part.empty:
            continue
        larger = part["proxy"] | part["national"]
        symbols = ["circle-open" if flag else "circle" for flag in larger]
        fig.add_trace(go.Scatter(
            x=part["x"], y=part["y"], mode="markers+text", name=name, text=part["name"],
            textposition="top center", textfont=dict(size=11),
            marker=dict(color=color, size=size, symbol=symbols, line=dict(width=2, color=color)),
            hovertext=[_outcome_hover(row, y_unit) for row in part.itertuples(index=False)], hoverinfo="text",
            customdata=part["region_id"],
        ))
    if x_mean is not None:
        fig.add_vline(x=x_mean, line=dict(color=AVERAGE_COLOR, dash="dash", width=1),
                      annotation_text=_("average {value}").format(value=i18n.number(x_mean, 0)),
                      annotation_position="top",
                      annotation_font=dict(size=10, color=AVERAGE_COLOR))
    if y_mean is not None:
        fig.add_hline(y=y_mean, line=dict(color=AVERAGE_COLOR, dash="dash", width=1),
                      annotation_text=_("average {value}").format(value=i18n.number(y_mean, 1)),
                      annotation_position="right",
                      annotation_font=dict(size=10, color=AVERAGE_COLOR))
    fig.update_xaxes(title_text=_("{dimension} (governance score, 0–100)").format(dimension=x_label), range=[-3, 103],
                     zeroline=False)
    fig.update_yaxes(title_text=f"{y_label} ({y_unit})", zeroline=False)
    fig.update_layout(showlegend=False, margin=dict(l=60, r=30, t=90, b=120), hovermode="closest",
                      separators=i18n.separators())
    full_title = f"{title}<br><sup>{r_text} {caveat}</sup>"
    larger_unit = (points["proxy"] | points["national"]).any()
    note = " " + _("Open markers: value for an enclosing unit or the whole country.") if larger_unit else ""
    return base_layout(fig, full_title, source_line + note, height=height)


# --- figures/lab_map.py

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

    fig = go.Figure()
    fig.add_trace(go.Scattergeo(
        lon=coords(without, 0), lat=coords(without, 1),
        customdata=[row[0] for row in without], text=[hover(row) for row in without],
        hoverinfo="text", mode="markers", name=_("No matching practice"),
        marker={"size": 7, "color": "rgba(0,0,0,0)", "line": {"color": EMPTY_OUTLINE, "width": 1.2}},
    ))
    fig.add_trace(go.Scattergeo(
        lon=coords(with_p, 0), lat=coords(with_p, 1),
        customdata=[row[0] for row in with_p], text=[hover(row) for row in with_p],
        hoverinfo="text", mode="markers+text", name=_("Practices (size = number)"),
        textposition="top center", textfont={"size": 11, "color": ACCENT},
        texttemplate=[str(counts[row[0]]) for row in with_p] if with_p else None,
        marker={
            "size": [10 + 18 * (counts[row[0]] / biggest) ** 0.5 for row in with_p],
            "color": [(SELECTED if row[0] in selected else ACCENT) for row in with_p],
            "opacity": 0.85, "line": {"color": "white", "width": 1},
        },
    ))
    lon_range, lat_range = _view([points[row[0]] for row in rows if _inside(points[row[0]])])
    fig.update_geos(
        scope="europe", resolution=50, projection_type="mercator",
        lonaxis_range=lon_range, lataxis_range=lat_range,
        showland=True, landcolor="#eef0f3", showcountries=True, countrycolor="#ffffff",
        showocean=True, oceancolor="#f7f8fa", showlakes=False, showframe=False, coastlinecolor="#c5cbd3",
    )
    outside = [row for row in with_p if not _inside(points[row[0]])]
    if outside:
        names = "; ".join(hover(row) for row in outside[:6]) + (" …" if len(outside) > 6 else "")
        fig.add_annotation(text=_("Not in this view: {regions}").format(regions=names), showarrow=False,
                           xref="paper", yref="paper",
                           x=0, y=1, xanchor="left", yanchor="top", align="left", font={"size": 11},
                           bgcolor="rgba(255,255,255,0.85)")
    fig.update_layout(
        height=420, margin={"l": 0, "r": 0, "t": 10, "b": 0}, showlegend=True,
        legend={"orientation": "h", "y": -0.02, "x": 0, "font": {"size": 11}},
        paper_bgcolor="rgba(0,0,0,0)", clickmode="event", separators=i18n.separators(),
    )
    return fig


# --- figures/change.py

def change_map(fig: go.Figure, now: pd.DataFrame, then: pd.DataFrame, measure: str, edition: int,
               since: int) -> go.Figure:
    """A copy of the scores map ``fig`` showing ``now[measure] - then[measure]`` per region.

    ``now`` / ``then`` are ``Dataset.scores_table()`` of the two editions (index region_id)."""
    label = scoring.dimension_label(measure)
    current = now[measure]
    before = then[measure].reindex(now.index)
    change = current - before
    out = go.Figure(fig)
    for trace in out.data:
        ids = list(trace.customdata) if trace.customdata is not None else []
        ids = [i[0] if isinstance(i, (list, tuple)) else i for i in ids]
        if not ids or not all(isinstance(i, str) and i in now.index for i in ids):
            continue
        values = [None if pd.isna(change.get(r)) else round(float(change[r]), 2) for r in ids]
        hover = [_change_hover(now, r, before.get(r), current.get(r), label, edition, since) for r in ids]
        if isinstance(trace, go.Scattergeo):
            trace.marker.color = values
        else:
            trace.z = values
        trace.hovertext = hover
    limit = change_limit(change.tolist())
    out.update_layout(
        coloraxis=dict(colorscale=DIVERGING, cmin=-limit, cmid=0, cmax=limit,
                       colorbar=dict(title=dict(text=_("Change since {since}<br>(points)").format(since=since),
                                                side="top"),
                                     tickvals=[-limit, -limit / 2, 0, limit / 2, limit], tickformat="+.0f")),
        title=dict(text=change_title(measure, edition, since)),
    )
    return out


# --- views/self_assessment.py (the average trace added to each radar)

def _average_trace(average: pd.Series, axis: str) -> go.Scatterpolar:
    keys = list(scoring.AXES[axis])
    theta = [scoring.dimension_label(k, short=True) for k in keys]
    r = [round(float(average[k]), 1) for k in keys]
    avg_name = _(AVERAGE_NAME)
    return go.Scatterpolar(
        r=r + r[:1], theta=theta + theta[:1], name=avg_name, mode="lines",
        line=dict(color=AVERAGE_COLOR, dash="dash", width=2),
        hovertemplate="%{theta}: %{r:.0f} /100<extra>" + avg_name + "</extra>",
    )


# --- the text alternatives (figures/profile.py axis_summary, figures/compare.py bars_summary)

def axis_summary(scores_wide: pd.DataFrame, region_ids: Sequence[str], axis: str,
                 names: Mapping[str, str] | None = None) -> str:
    region_ids = _check_regions(scores_wide, region_ids)
    keys = list(scoring.AXES[axis])
    parts = []
    for rid in region_ids:
        row = scores_wide.loc[rid, keys].dropna()
        if row.empty:
            parts.append(_("{region}: no score").format(region=_name(rid, names)))
            continue
        hi, lo = row.idxmax(), row.idxmin()
        parts.append(_("{region}: highest {high} ({high_score}), lowest {low} ({low_score})").format(
            region=_name(rid, names), high=scoring.dimension_label(hi), high_score=score_text(row[hi]),
            low=scoring.dimension_label(lo), low_score=score_text(row[lo])))
    avg = scores_wide[keys].mean()
    return _("{axis}, scores from 0 to 100. {regions}. The average of all regions runs from {low} to {high}.").format(
        axis=scoring.AXIS_LABELS[axis], regions="; ".join(parts), low=score_text(avg.min()),
        high=score_text(avg.max()))


def bars_summary(scores_wide: pd.DataFrame, region_ids: Sequence[str], dimensions: Sequence[str],
                 names: Mapping[str, str] | None = None) -> str:
    region_ids = _compare_check(scores_wide, region_ids)
    average = all_region_average(scores_wide)
    leaders = []
    for d in dimensions:
        col = scores_wide.loc[region_ids, d].dropna()
        if len(col):
            leaders.append(f"{scoring.dimension_label(d)}: {_name(col.idxmax(), names)} ({i18n.number(col.max(), 0)})")
    above = [_("{region} on {n}").format(
        region=_name(r, names), n=int((scores_wide.loc[r, list(dimensions)] > average[list(dimensions)]).sum()))
        for r in region_ids]
    return _("Scores from 0 to 100 of {regions} regions on {dimensions} dimensions. Highest per dimension: "
             "{leaders}. Dimensions above the average of all regions: {above} of {dimensions}.").format(
        regions=len(region_ids), dimensions=len(dimensions), leaders="; ".join(leaders), above=", ".join(above))
