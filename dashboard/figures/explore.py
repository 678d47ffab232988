"""Explore and rank: ranking bars for one dimension and the regions × dimensions heat-map.

Pure functions (wide scores → Figure or DataFrame). Ranks and the all-region average are computed over
*all* rows of ``scores_wide``; ``regions`` only chooses which rows are drawn, so a country filter shows
each region's place among all regions ("rank 3 of 25"), not a re-ranked subset.

Many regions (issue 16): :func:`ranking_bars` draws a page of the ranking (``start``/``stop``, ranks and the
average still over all regions) and :func:`country_heatmap` one row per country (the average of its regions,
with their number) instead of one row per region (:func:`country_frame`).

Figures are built from plain dicts (:func:`dashboard.figures.common.figure`, no per-property validation);
the tests pass each through :func:`dashboard.figures.common.validated`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n, scoring
from dashboard.figures.common import (
    AVERAGE_COLOR,
    COLORSCALE,
    SERIES_COLORS,
    figure,
    title_and_source,
    wrap_title,
)
from dashboard.figures.profile import AVERAGE_NAME
from dashboard.i18n import N_, _, ngettext

#: The orders of the ranking: keys are the URL values, labels answer in the current language.
SORTS = i18n.Labels({"desc": N_("Highest score first"), "asc": N_("Lowest score first"),
                     "name": N_("Region name (A–Z)")})
DEFAULT_SORT = "desc"

#: :data:`COLORSCALE` as the list of [position, colour] pairs plotly's validation makes of its name (plotly.js
#: has a "Cividis" of its own, a little different: the chart keeps plotly.py's).
COLORSCALE_STOPS = [list(stop) for stop in go.Heatmap(colorscale=COLORSCALE).colorscale]
_COLORBAR_TICKS = [0, 25, 50, 75, 100]


def ranking_frame(scores_wide: pd.DataFrame, dimension: str, names: Mapping[str, str] | None = None,
                  regions: Sequence[str] | None = None, sort: str = DEFAULT_SORT) -> pd.DataFrame:
    """Rows to draw, in drawing order: ``region_id, name, score, rank, of`` (rank among all regions, 1 = highest;
    ``of`` = number of regions with a score). Regions without a score come last, unranked."""
    if dimension not in scores_wide.columns:
        raise KeyError(f"unknown dimension {dimension!r}")
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; expected one of {', '.join(SORTS)}")
    rank = scoring.ranks(scores_wide, dimension)
    frame = pd.DataFrame({
        "region_id": scores_wide.index,
        "name": [(names or {}).get(r, r) for r in scores_wide.index],
        "score": scores_wide[dimension].to_numpy(dtype=float),
        "rank": rank.to_numpy(),
    })
    frame["of"] = int(scores_wide[dimension].notna().sum())
    if regions is not None:
        wanted = set(regions)
        frame = frame[frame["region_id"].isin(wanted)]
    if sort == "name":
        frame = frame.sort_values("name", kind="stable")
    else:
        frame = frame.sort_values(["score", "name"], ascending=[sort == "asc", True], na_position="last", kind="stable")
    return frame.reset_index(drop=True)


def ranking_bars(scores_wide: pd.DataFrame, dimension: str, source_line: str,
                 names: Mapping[str, str] | None = None, regions: Sequence[str] | None = None,
                 sort: str = DEFAULT_SORT, title: str | None = None, label: str | None = None,
                 frame: pd.DataFrame | None = None, start: int = 0, stop: int | None = None) -> go.Figure:
    """Horizontal bars of every region's score on ``dimension`` (0–100 axis), labelled "63/100", with the rank
    in the region label and the all-region average drawn as a dashed line. ``label`` names the measure in the
    title and the hover text (default: the dimension's label; Explore passes "Overall score on the Health
    indicators" when the scores are recomputed on part of the indicators).

    ``frame``: the :func:`ranking_frame` of the same arguments when the caller has it already. ``start`` and
    ``stop`` draw only those rows of it (a page of a long ranking); ranks and the average stay those of all
    regions."""
    if frame is None:
        frame = ranking_frame(scores_wide, dimension, names, regions, sort)
    if start or stop is not None:
        frame = frame.iloc[start:stop]
    average = float(scores_wide[dimension].mean())
    label = label or scoring.dimension_label(dimension)
    scores = frame["score"].to_numpy(dtype=float)
    y = [f"{int(r)}. {n}" if not pd.isna(r) else f"– {n}" for r, n in zip(frame["rank"], frame["name"])]
    no_score = _("no score")
    text = [no_score if np.isnan(s) else f"{s:.0f}/100" for s in scores]
    rank_word = _("Rank") + " –"
    ranks = [_("Rank {rank} of {total}").format(rank=int(r), total=o) if not pd.isna(r) else rank_word
             for r, o in zip(frame["rank"], frame["of"])]
    bar = {"type": "bar", "x": np.nan_to_num(scores, nan=0.0), "y": y, "orientation": "h", "name": label,
           "meta": "ranking", "marker": {"color": SERIES_COLORS[0]}, "text": text, "textposition": "outside",
           "cliponaxis": False,
           "hovertemplate": "%{y}<br>" + label + ": %{customdata[0]}<br>%{customdata[1]}<extra></extra>",
           "showlegend": False}
    if len(frame):
        bar["customdata"] = np.stack([text, ranks], axis=-1)
    n = max(len(frame), 1)
    title = wrap_title(title or _("{measure}: regions ranked (0–100)").format(measure=label))
    extra = title.count("<br>")  # each further title line needs room above the top axis
    layout = {
        "xaxis": {"range": [0, 100], "title": {"text": _("Score (0–100)")}, "fixedrange": True, "dtick": 25,
                  "side": "top"},
        "yaxis": {"autorange": "reversed", "fixedrange": True, "type": "category", "automargin": True},
        "margin": {"l": 10, "r": 75, "t": 90 + 20 * extra, "b": 60},
        "bargap": 0.25,
        **title_and_source(title, source_line, height=max(320, 26 * n + 190 + 20 * extra)),
    }
    if not np.isnan(average):
        layout["shapes"] = [{"type": "line", "name": "average", "xref": "x", "yref": "y domain", "x0": average,
                             "x1": average, "y0": 0, "y1": 1,
                             "line": {"color": AVERAGE_COLOR, "dash": "dash", "width": 2}}]
        layout["annotations"].append({
            "text": f"{_(AVERAGE_NAME)}: {average:.0f}/100", "name": "average", "xref": "x", "yref": "y domain",
            "x": average, "y": 0, "xanchor": "left", "yanchor": "bottom", "showarrow": False,
            "font": {"color": "#374151", "size": 11}, "bgcolor": "rgba(255,255,255,0.85)"})
    return figure([bar], layout)


def ranking_summary(frame: pd.DataFrame, label: str, average: float) -> str:
    """The text alternative of a ranking (:func:`ranking_frame` rows as drawn): how many regions, the highest and
    the lowest with their scores, and the all-region average."""
    scored = frame.dropna(subset=["score"])
    if scored.empty:
        return _("{measure}: no region shown has a score.").format(measure=label)
    top = scored.loc[scored["score"].idxmax()]
    low = scored.loc[scored["score"].idxmin()]
    text = _("{measure}, scores from 0 to 100, {n} regions shown. Highest: {top} ({top_score}, rank {top_rank} of "
             "{top_of}); lowest: {low} ({low_score}, rank {low_rank} of {low_of}).").format(
        measure=label, n=len(frame), top=top["name"], top_score=i18n.number(top["score"]), top_rank=int(top["rank"]),
        top_of=int(top["of"]), low=low["name"], low_score=i18n.number(low["score"]), low_rank=int(low["rank"]),
        low_of=int(low["of"]))
    if not np.isnan(average):
        text += " " + _("The average of all regions is {average}.").format(average=i18n.number(average))
    return text


def _grid(z: np.ndarray, x: list[str], y: list[str], source_line: str, title: str, hover: str,
          customdata=None, meta: str = "heatmap") -> go.Figure:
    """The heat-map of rows ``y`` × columns ``x`` on the fixed 0–100 scale, each cell labelled with its score."""
    text = [["–" if np.isnan(v) else f"{v:.0f}" for v in row] for row in z]
    trace = {"type": "heatmap", "z": z, "x": x, "y": y, "zmin": 0, "zmax": 100, "colorscale": COLORSCALE_STOPS,
             "text": text, "texttemplate": "%{text}", "xgap": 1, "ygap": 1, "hoverongaps": False,
             "meta": meta,
             "colorbar": {"title": {"text": f"{_('Score')}<br>(0–100)"}, "tickvals": _COLORBAR_TICKS, "len": 0.8},
             "hovertemplate": hover}
    if customdata is not None:
        trace["customdata"] = customdata
    title = wrap_title(title)
    extra = title.count("<br>")
    layout = {
        "xaxis": {"side": "top", "tickangle": -40, "fixedrange": True, "type": "category"},
        "yaxis": {"autorange": "reversed", "fixedrange": True, "type": "category", "automargin": True},
        "margin": {"l": 10, "r": 10, "t": 170 + 20 * extra, "b": 70},
        **title_and_source(title, source_line, height=max(300, 24 * len(y) + 250 + 20 * extra)),
    }
    return figure([trace], layout)


def heatmap(scores_wide: pd.DataFrame, source_line: str, dimensions: Sequence[str] | None = None,
            regions: Sequence[str] | None = None, names: Mapping[str, str] | None = None,
            title: str | None = None) -> go.Figure:
    """Regions (rows, in the order of ``regions``) × dimensions (columns) coloured on a fixed 0–100 Cividis scale,
    each cell labelled with its score; missing scores are blank cells labelled "–"."""
    dimensions = [d for d in (dimensions or scoring.DIMENSIONS) if d in scores_wide.columns]
    regions = list(regions) if regions is not None else list(scores_wide.index)
    unknown = [r for r in regions if r not in scores_wide.index]
    if unknown:
        raise KeyError(f"unknown region(s): {', '.join(unknown)}")
    z = scores_wide.loc[regions, dimensions].to_numpy(dtype=float)
    x = [scoring.dimension_label(d, short=True) for d in dimensions]
    y = [(names or {}).get(r, r) for r in regions]
    return _grid(z, x, y, source_line, title or _("Scores by region and dimension (0–100)"),
                 "%{y}<br>%{x}: %{z:.0f}/100<extra></extra>")


def country_frame(scores_wide: pd.DataFrame, region_country: Mapping[str, str], regions: Sequence[str],
                  dimensions: Sequence[str], order: str | None = None, sort: str = DEFAULT_SORT,
                  country_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per country of ``regions``: the mean of its regions' scores on each of ``dimensions`` (regions
    without a score left out of that mean) and ``regions`` (how many of its regions are counted), indexed by
    country code. Rows follow ``sort`` on the country mean of ``order`` (highest first, lowest first, or
    ``"name"``: by ``country_names``), ties and ``"name"`` by name."""
    regions = list(regions)
    countries = [region_country[r] for r in regions]
    frame = scores_wide.loc[regions, list(dimensions)].astype(float)
    frame.index = pd.Index(countries, name="country")
    means = frame.groupby(level=0, sort=False).mean()
    means["regions"] = pd.Series(countries).value_counts().reindex(means.index).to_numpy()
    means["name"] = [(country_names or {}).get(c, c) for c in means.index]
    if sort == "name" or order is None or order not in means.columns:
        means = means.sort_values("name", key=lambda s: s.str.casefold(), kind="stable")
    else:
        means = means.sort_values([order, "name"], ascending=[sort == "asc", True], na_position="last",
                                  kind="stable")
    return means


def country_heatmap(frame: pd.DataFrame, dimensions: Sequence[str], source_line: str,
                    title: str | None = None) -> go.Figure:
    """Countries (rows of :func:`country_frame`, in its order) × dimensions: each cell the average score of the
    country's regions, the row labelled "Germany (401)" (the number of its regions); the hover says it is an
    average of how many regions. Each cell carries its country code as ``customdata`` (a click on a row can
    show that country's regions)."""
    dimensions = [d for d in dimensions if d in frame.columns]
    z = frame[dimensions].to_numpy(dtype=float)
    x = [scoring.dimension_label(d, short=True) for d in dimensions]
    y = [_("{country} ({n})").format(country=name, n=i18n.number(n, 0))
         for name, n in zip(frame["name"], frame["regions"])]
    custom = [[[code, ngettext("average of {n} region", "average of {n} regions", int(n)).format(
                  n=i18n.number(n, 0))]] * len(dimensions)
              for code, n in zip(frame.index, frame["regions"])]
    return _grid(z, x, y, source_line, title or _("Average scores by country and dimension (0–100)"),
                 "%{y}<br>%{x}: %{z:.0f}/100 (%{customdata[1]})<extra></extra>", customdata=custom,
                 meta="heatmap-countries")
