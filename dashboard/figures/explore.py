"""Explore and rank: ranking bars for one dimension and the regions × dimensions heat-map.

Pure functions (wide scores → Figure or DataFrame). Ranks and the all-region average are computed over
*all* rows of ``scores_wide``; ``regions`` only chooses which rows are drawn, so a country filter shows
each region's place among all regions ("rank 3 of 25"), not a re-ranked subset.
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
    base_layout,
    wrap_title,
)
from dashboard.figures.profile import AVERAGE_NAME
from dashboard.i18n import N_, _

#: The orders of the ranking: keys are the URL values, labels answer in the current language.
SORTS = i18n.Labels({"desc": N_("Highest score first"), "asc": N_("Lowest score first"),
                     "name": N_("Region name (A–Z)")})
DEFAULT_SORT = "desc"


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
                 sort: str = DEFAULT_SORT, title: str | None = None, label: str | None = None) -> go.Figure:
    """Horizontal bars of every region's score on ``dimension`` (0–100 axis), labelled "63/100", with the rank
    in the region label and the all-region average drawn as a dashed line. ``label`` names the measure in the
    title and the hover text (default: the dimension's label; Explore passes "Overall score on the Health
    indicators" when the scores are recomputed on part of the indicators)."""
    frame = ranking_frame(scores_wide, dimension, names, regions, sort)
    average = float(scores_wide[dimension].mean())
    label = label or scoring.dimension_label(dimension)
    y = [f"{int(r)}. {n}" if not pd.isna(r) else f"– {n}" for r, n in zip(frame["rank"], frame["name"])]
    text = [_("no score") if pd.isna(s) else f"{s:.0f}/100" for s in frame["score"]]
    ranks = [_("Rank {rank} of {total}").format(rank=int(r), total=o) if not pd.isna(r) else _("Rank") + " –"
             for r, o in zip(frame["rank"], frame["of"])]
    fig = go.Figure(go.Bar(
        x=frame["score"].fillna(0), y=y, orientation="h", name=label, meta="ranking",
        marker_color=SERIES_COLORS[0], text=text, textposition="outside", cliponaxis=False,
        customdata=np.stack([text, ranks], axis=-1) if len(frame) else None,
        hovertemplate="%{y}<br>" + label + ": %{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        showlegend=False,
    ))
    if not np.isnan(average):
        fig.add_vline(x=average, line=dict(color=AVERAGE_COLOR, dash="dash", width=2), name="average",
                      annotation=dict(text=f"{_(AVERAGE_NAME)}: {average:.0f}/100", font=dict(color="#374151", size=11),
                                      bgcolor="rgba(255,255,255,0.85)", name="average"),
                      annotation_position="bottom right")
    n = max(len(frame), 1)
    title = wrap_title(title or _("{measure}: regions ranked (0–100)").format(measure=label))
    extra = title.count("<br>")  # each further title line needs room above the top axis
    fig.update_layout(
        separators=i18n.separators(),
        xaxis=dict(range=[0, 100], title=_("Score (0–100)"), fixedrange=True, dtick=25, side="top"),
        yaxis=dict(autorange="reversed", fixedrange=True, type="category"),
        margin=dict(l=10, r=75, t=90 + 20 * extra, b=60),
        bargap=0.25,
    )
    fig.update_yaxes(automargin=True)
    return base_layout(fig, title, source_line, height=max(320, 26 * n + 190 + 20 * extra))


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
    text = [["–" if np.isnan(v) else f"{v:.0f}" for v in row] for row in z]
    score = _("Score")
    x = [scoring.dimension_label(d, short=True) for d in dimensions]
    y = [(names or {}).get(r, r) for r in regions]
    fig = go.Figure(go.Heatmap(
        z=z, x=x, y=y, zmin=0, zmax=100, colorscale=COLORSCALE, text=text, texttemplate="%{text}",
        xgap=1, ygap=1, hoverongaps=False, meta="heatmap",
        colorbar=dict(title=dict(text=f"{score}<br>(0–100)"), tickvals=[0, 25, 50, 75, 100], len=0.8),
        hovertemplate="%{y}<br>%{x}: %{z:.0f}/100<extra></extra>",
    ))
    title = wrap_title(title or _("Scores by region and dimension (0–100)"))
    extra = title.count("<br>")
    fig.update_layout(
        separators=i18n.separators(),
        xaxis=dict(side="top", tickangle=-40, fixedrange=True, type="category"),
        yaxis=dict(autorange="reversed", fixedrange=True, type="category"),
        margin=dict(l=10, r=10, t=170 + 20 * extra, b=70),
    )
    fig.update_yaxes(automargin=True)
    return base_layout(fig, title, source_line, height=max(300, 24 * len(regions) + 250 + 20 * extra))
