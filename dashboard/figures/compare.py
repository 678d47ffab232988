"""Compare 2–4 regions side by side: grouped bars per dimension and the score table with differences.

Pure functions (wide scores → Figure or DataFrame). The all-region average is always the mean over
*every* region of ``scores_wide`` (pass the dataset's full ``wide_scores``), so it stays the same
reference whichever regions are compared. The overlaid radars (:func:`dashboard.figures.profile.radar_axis`)
and the TCN/BIP paired bars (:func:`dashboard.figures.profile.target_bars`) are shared with the region
profile and are not repeated here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n, scoring
from dashboard.constants import MAX_COMPARE, MIN_COMPARE
from dashboard.figures.common import (
    AVERAGE_COLOR,
    SERIES_COLORS,
    figure,
    title_and_source,
)
from dashboard.figures.profile import (
    AVERAGE_NAME,  # "Average of all regions", the same words on every page (N_-marked: shown through _())
)
from dashboard.i18n import N_, _

AVERAGE_KEY = "average"
MAX_REGIONS = MAX_COMPARE
MIN_REGIONS = MIN_COMPARE

# The dimension groups Compare shows as grouped bars (TCN/BIP has its own paired bars); the titles are English
# (N_-marked): show them through _().
BAR_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "areas": (N_("Overall and policy areas"), ("overall",) + scoring.AXES["area"]),
    "governance": (N_("Governance system and process"), scoring.AXES["element"] + scoring.AXES["phase"]),
}


def all_region_average(scores_wide: pd.DataFrame) -> pd.Series:
    """Mean score of all regions per dimension (missing scores are skipped)."""
    return scores_wide.mean(axis=0, skipna=True)


def _name(region_id: str, names: Mapping[str, str] | None) -> str:
    return (names or {}).get(region_id, region_id)


def _check_regions(scores_wide: pd.DataFrame, region_ids: Sequence[str]) -> list[str]:
    unknown = [r for r in region_ids if r not in scores_wide.index]
    if unknown:
        raise KeyError(f"unknown region(s): {', '.join(unknown)}")
    return list(region_ids)


def _wrap(label: str, width: int = 12) -> str:
    """Break a long tick label onto two lines at the space nearest its middle ("Labour<br>market")."""
    if len(label) <= width or " " not in label:
        return label
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return label[:cut] + "<br>" + label[cut + 1:]


def _fmt(value: float) -> str:
    return _("no score") if pd.isna(value) else f"{i18n.number(value, 0)}/100"


def compare_bars(scores_wide: pd.DataFrame, region_ids: Sequence[str], source_line: str,
                 dimensions: Sequence[str] | None = None, names: Mapping[str, str] | None = None,
                 title: str | None = None) -> go.Figure:
    """Grouped bars: one group per dimension, one bar per region plus the all-region average (grey).

    ``dimensions`` defaults to the overall score and the policy areas. Values are the scores as given.
    """
    region_ids = _check_regions(scores_wide, region_ids)
    dimensions = list(dimensions or BAR_GROUPS["areas"][1])
    labels = [_wrap(scoring.dimension_label(d, short=True)) for d in dimensions]
    average = all_region_average(scores_wide)
    traces = []
    for i, rid in enumerate(region_ids):
        values = [float(scores_wide.at[rid, d]) for d in dimensions]
        traces.append({
            "type": "bar", "x": list(labels), "y": values, "name": _name(rid, names),
            "marker": {"color": SERIES_COLORS[i % len(SERIES_COLORS)]},
            "text": [_fmt(v).replace("/100", "") for v in values], "textposition": "outside", "cliponaxis": False,
            "customdata": [_fmt(v) for v in values], "meta": rid,
            "hovertemplate": "%{fullData.name}<br>%{x}: %{customdata}<extra></extra>",
        })
    avg_values = [float(average[d]) for d in dimensions]
    traces.append({
        "type": "bar", "x": list(labels), "y": avg_values, "name": _(AVERAGE_NAME),
        "marker": {"color": AVERAGE_COLOR, "pattern": {"shape": "/"}},
        "customdata": [_fmt(v) for v in avg_values], "meta": AVERAGE_KEY,
        "hovertemplate": _(AVERAGE_NAME) + "<br>%{x}: %{customdata}<extra></extra>",
    })
    layout = title_and_source(title or _("Scores by dimension (0–100)"), source_line, height=460)
    layout["annotations"][0]["yshift"] = -62
    layout.update(
        barmode="group", bargap=0.25, bargroupgap=0.05,
        yaxis=dict(range=[0, 100], title=dict(text=_("Score (0–100)")), fixedrange=True, dtick=25),
        xaxis=dict(fixedrange=True, tickangle=0),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
        uniformtext=dict(minsize=8, mode="hide"),
        margin=dict(t=90, b=110),
    )
    return figure(traces, layout)


def bars_summary(scores_wide: pd.DataFrame, region_ids: Sequence[str], dimensions: Sequence[str],
                 names: Mapping[str, str] | None = None) -> str:
    """The text alternative of :func:`compare_bars`: per dimension, the region with the highest score; and how
    many dimensions each region is above the all-region average on. The full numbers are in the page's table."""
    region_ids = _check_regions(scores_wide, region_ids)
    average = all_region_average(scores_wide)
    # plain values: pandas selections per dimension and region cost more than the rest of the sentence
    values = {r: [scores_wide.at[r, d] for d in dimensions] for r in region_ids}
    leaders = []
    for j, d in enumerate(dimensions):
        col = [(r, values[r][j]) for r in region_ids if not pd.isna(values[r][j])]
        if col:
            leader, top = max(col, key=lambda item: item[1])  # the first of equal ones, as idxmax
            leaders.append(f"{scoring.dimension_label(d)}: {_name(leader, names)} ({i18n.number(top, 0)})")
    means = [average[d] for d in dimensions]
    above = [_("{region} on {n}").format(
        region=_name(r, names), n=sum(bool(v > m) for v, m in zip(values[r], means)))  # NaN is never above
        for r in region_ids]
    return _("Scores from 0 to 100 of {regions} regions on {dimensions} dimensions. Highest per dimension: "
             "{leaders}. Dimensions above the average of all regions: {above} of {dimensions}.").format(
        regions=len(region_ids), dimensions=len(dimensions), leaders="; ".join(leaders), above=", ".join(above))


def compare_table(scores_wide: pd.DataFrame, region_ids: Sequence[str]) -> pd.DataFrame:
    """One row per dimension (display order) with each region's score, the all-region average, each region's
    difference from the average, and each further region's difference from the first region.

    Columns: ``dimension``, ``label``, ``<region_id>`` …, ``average``, ``<region_id>_vs_average`` …,
    ``<region_id>_vs_<first_id>`` for the 2nd… regions. Differences are region minus reference, in points.
    """
    region_ids = _check_regions(scores_wide, region_ids)
    dims = [d for d in scoring.DIMENSIONS if d in scores_wide.columns]
    average = all_region_average(scores_wide)
    table = pd.DataFrame({"dimension": dims, "label": [scoring.dimension_label(d) for d in dims]})
    for rid in region_ids:
        table[rid] = [scores_wide.at[rid, d] for d in dims]
    table[AVERAGE_KEY] = [average[d] for d in dims]
    for rid in region_ids:
        table[f"{rid}_vs_average"] = table[rid] - table[AVERAGE_KEY]
    if region_ids:
        first = region_ids[0]
        for rid in region_ids[1:]:
            table[f"{rid}_vs_{first}"] = table[rid] - table[first]
    return table
