"""What a brief shows (pure): :func:`brief_context` is the dict the template ``templates/brief.html.j2`` gets,
for one region (regional brief) or 2–4 regions (comparison brief). Charts are plotly figures fitted to a
half-width cell of an A4 page; :mod:`dashboard.export.brief` renders them to SVG and the page to HTML/PDF.

The brief stays short by default; ``appendix="questions"`` (when asked: ``?appendix=questions``, ``--appendix
questions``) adds, per region, the questions behind each dimension (:mod:`dashboard.views.drilldown`): the
question, the region's answer, its points and the average points of all regions, weakest first.

Every text is made in the current language (:mod:`dashboard.i18n`): titles, captions, group names, country
names (Babel's), region names (the local name where the language is the region's own); the template
translates its own words with the same ``_``.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly
import plotly.graph_objects as go

from dashboard import i18n, scoring
from dashboard.constants import APP_NAME, ILLUSTRATIVE_EXPORT_TEXT, MAX_COMPARE
from dashboard.data import Dataset
from dashboard.errors import UnknownOption
from dashboard.i18n import N_, _
from dashboard.query import shorten
from dashboard.views import drilldown as dd
from dashboard.views.charts import is_source_annotation
from dashboard.views.common import check_regions, provenance, region_names
from dashboard.views.editions import change_wide
from dashboard.views.notice import (
    RESOURCE_LABELS,
    any_illustrative,
    resource_illustrative,
    resource_marks,
)
from dashboard.views.stats import format_value, stats_rows

#: The appendices a brief can add when asked (none by default).
APPENDICES = ("questions",)
BRIEF_CHART_W = 340  # CSS px of a half-width chart on an A4 page with 14 mm margins (182 mm ≈ 688 px)
BRIEF_CHART_H = 250
RADAR_CAPTION = N_("Score 0–100 on each spoke; dashed grey line: average of all regions.")
BARS_CAPTION = N_("Score 0–100 per dimension; hatched grey bar: average of all regions.")
TARGET_CAPTION = N_("Third-country nationals (TCN) and beneficiaries of international protection (BIP); "
                    "score 0–100; hatched bar: average of all regions.")
TARGET_TITLE = N_("Target population (TCN and BIP)")
#: The groups on the overall score, as the brief names them.
GROUP_LABELS = scoring.GROUP_LABELS | {"none": N_("no group")}


@dataclass
class BriefChart:
    """One chart of a brief: the fitted figure and, once rendered, its inline SVG."""

    key: str
    title: str
    caption: str
    fig: go.Figure
    width: int = BRIEF_CHART_W
    height: int = BRIEF_CHART_H
    svg: str | None = None

    def spec_json(self) -> str:
        """The figure as JSON for plotly.js (the printable page's ``charts=js`` mode)."""
        return json.dumps(self.fig.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)


def fit_brief_figure(fig: go.Figure, kind: str) -> go.Figure:
    """Fit an app figure into a half-width cell of the A4 brief: no title, no legend (the brief prints one
    legend in HTML), no on-screen source annotation (the page carries the source), tight margins.
    ``kind`` is ``radar`` or ``bars`` (the horizontal bars: TCN / BIP, and the three governance elements).
    The input figure is not changed."""
    out = go.Figure(fig)
    out.layout.annotations = [a for a in out.layout.annotations if not is_source_annotation(a)]
    out.update_layout(title=dict(text=""), showlegend=False, font=dict(size=11), height=BRIEF_CHART_H,
                      width=BRIEF_CHART_W, separators=i18n.separators())
    if kind == "radar":
        out.update_layout(margin=dict(l=78, r=78, t=26, b=22))
        spokes = max((len(getattr(tr, "theta", None) or ()) - 1 for tr in out.data), default=4)
        # radial tick labels between the first two spokes, so they never sit on the top spoke's label
        angle = 90 - 180 / max(spokes, 2)  # equal tick angle: horizontal labels
        out.update_polars(radialaxis_title_text="", angularaxis_tickfont_size=10, radialaxis_tickfont_size=8,
                          radialaxis_angle=angle, radialaxis_tickangle=angle)
    else:  # horizontal TCN / BIP bars: short category labels
        cats = list(dict.fromkeys(c for tr in out.data for c in (getattr(tr, "y", None) or []) if isinstance(c, str)))
        short = [next((t for t in scoring.TARGETS if f"({t})" in c), c) for c in cats]
        out.update_yaxes(tickvals=cats, ticktext=short, automargin=True)
        out.update_xaxes(title_text=_("score (0–100)"), tickangle=0, title_font_size=10)
        out.update_traces(textfont_size=10)
        out.update_layout(margin=dict(l=40, r=34, t=10, b=40), bargap=0.25)
    return out


def fmt_score(value: Any) -> str:
    """A score as the brief prints it: ``56`` or ``no score`` (in the current language)."""
    return _("no score") if value is None or pd.isna(value) else f"{float(value):.0f}"


def region_context(dataset: Dataset, rid: str) -> dict:
    """One region's header facts: names, country, NUTS level, overall score, group and rank (the name and the
    country in the current language; the local name besides when it differs)."""
    wide = dataset.wide_scores
    row = dataset.region(rid)
    overall = wide.at[rid, "overall"]
    rank = scoring.ranks(wide, "overall").get(rid)
    name = i18n.region_name(rid, row["name_en"], row["name_local"], row["country"])
    return {
        "id": rid,
        "name": name,
        "name_local": row["name_local"] if row["name_local"] not in (row["name_en"], name) else None,
        "country": (row["country_name"] if i18n.current() == i18n.DEFAULT
                    else i18n.country_name(row["country"], row["country_name"])),
        "nuts_level": None if pd.isna(row["nuts_level"]) else row["nuts_level"],  # None: a self-assessment
                                                                                  # without a NUTS code
        "partner": bool(row["partner_region"]),
        "overall": fmt_score(overall),
        "group": GROUP_LABELS[scoring.group_of(None if pd.isna(overall) else float(overall)) or "none"],
        "rank": None if rank is None or pd.isna(rank) else int(rank),
        "ranked": int(wide["overall"].notna().sum()),
    }


def brief_charts(dataset: Dataset, ids: Sequence[str]) -> list[BriefChart]:
    """The three radars (area, element, phase) and the TCN / BIP bars, fitted to the brief."""
    from dashboard.figures import profile

    wide, names, source = dataset.wide_scores, region_names(dataset), dataset.source_line
    charts = []
    for axis in ("area", "element", "phase"):  # a radar with four or more spokes, else bars (not a triangle)
        radar = profile.uses_radar(axis)
        fig = profile.axis_chart(wide, ids, axis, source, include_average=True, names=names)
        charts.append(BriefChart(f"radar-{axis}", scoring.AXIS_LABELS[axis],
                                 _(RADAR_CAPTION) if radar else _(BARS_CAPTION),
                                 fit_brief_figure(fig, "radar" if radar else "bars")))
    target = profile.target_bars(wide, ids, source, include_average=True, names=names)
    charts.append(BriefChart("target", _(TARGET_TITLE), _(TARGET_CAPTION), fit_brief_figure(target, "bars")))
    return charts


def _legend(dataset: Dataset, ids: Sequence[str]) -> list[dict]:
    from dashboard.figures.common import AVERAGE_COLOR, SERIES_COLORS

    names = region_names(dataset)
    legend = [{"name": names[r], "color": SERIES_COLORS[i % len(SERIES_COLORS)], "dash": False}
              for i, r in enumerate(ids)]
    legend.append({"name": _("Average of all regions"), "color": AVERAGE_COLOR, "dash": True})
    return legend


def _single_context(dataset: Dataset, rid: str) -> dict:
    """What only a regional brief shows: summary, strengths, room for development, similar regions, stats."""
    wide = dataset.wide_scores
    avg = wide.mean()
    strengths, weaknesses = scoring.strengths_weaknesses(wide, rid, n=3)
    similar = scoring.similar_regions(wide, rid, n=3)
    stats = stats_rows(dataset.outcomes, rid)
    return {
        "summary": scoring.summary_sentence(region_names(dataset)[rid], wide, rid),
        "strengths": strengths.to_dict("records"),
        "weaknesses": weaknesses.to_dict("records"),
        "similar": [dict(region_context(dataset, s), distance=i18n.number(d, 1))
                    for s, d in zip(similar["region_id"], similar["distance"])],
        "stats": stats,
        "dimensions": [
            {"label": scoring.dimension_label(d), "score": fmt_score(wide.at[rid, d]), "average": fmt_score(avg[d]),
             "axis": scoring.AXIS_LABELS.get(scoring.axis_of(d), "")}
            for d in scoring.DIMENSIONS],
        "stats_illustrative": any(r["illustrative"] for r in stats),
    }


def _stats_compare(dataset: Dataset, ids: Sequence[str]) -> list[dict]:
    """The context statistics of several regions, one entry per indicator (a cell per region; * = proxy)."""
    by_indicator: dict[str, dict] = {}
    for rid in ids:
        for rec in dataset.outcomes_for(rid).to_dict("records"):
            unit = str(rec.get("unit") or "")
            entry = by_indicator.setdefault(rec["indicator"], {
                "label": rec.get("label") or rec["indicator"], "unit": unit, "values": {}, "years": set(),
                "source": rec.get("eurostat_table") or ""})
            cell_unit = "%" if unit.startswith("%") else ""
            text = format_value(rec.get("value"), cell_unit, rec.get("indicator"))
            entry["values"][rid] = text + (" *" if bool(rec.get("proxy")) else "")
            if rec.get("year") is not None and not pd.isna(rec.get("year")):
                entry["years"].add(str(int(rec["year"])))
    missing = _("not available")
    return [dict(e, cells=[e["values"].get(r, missing) for r in ids], year=", ".join(sorted(e["years"])))
            for e in by_indicator.values()]


def _comparison_context(dataset: Dataset, ids: Sequence[str]) -> dict:
    """What only a comparison brief shows: the scores table and the context statistics side by side."""
    from dashboard.figures import compare

    table = compare.compare_table(dataset.wide_scores, ids)
    stats = _stats_compare(dataset, ids)
    return {
        "table": [
            {"label": row["label"], "scores": [fmt_score(row[r]) for r in ids], "average": fmt_score(row["average"]),
             "axis": scoring.AXIS_LABELS.get(scoring.axis_of(row["dimension"]), "")}
            for row in table.to_dict("records")],
        "stats_compare": stats,
        "stats_sources": sorted({e["source"] for e in stats if e["source"]}),
        "stats_illustrative": bool(dataset.resource_illustrative.get("outcomes")),
    }


def check_appendix(value: Any) -> str | None:
    """Strict: None (no appendix, also for a blank value) or one of :data:`APPENDICES`; UnknownOption otherwise."""
    if value is None or not str(value).strip() or str(value).strip().lower() == "none":
        return None
    name = str(value).strip().lower()
    if name not in APPENDICES:
        raise UnknownOption(f"unknown appendix {shorten(value)!r}; expected one of: none, {', '.join(APPENDICES)}")
    return name


def _num(value: Any) -> str:
    return "–" if value is None or pd.isna(value) else f"{float(value):.0f}"


def questions_appendix(dataset: Dataset, ids: Sequence[str]) -> list[dict]:
    """Per region, per dimension (policy areas, governance system, policy cycle): the questions behind the
    score, weakest first, with the region's answer, its points and the average points of all regions."""
    out = []
    for rid in ids:
        dims = []
        for d in dd.drilldowns(dataset, rid):
            dims.append({
                "label": d.label, "score": _num(d.score), "average": _num(d.average),
                "axis": scoring.AXIS_LABELS.get(scoring.axis_of(d.dimension), ""),
                "rows": [{"id": r["indicator_id"], "question": r["question"], "answer": r["answer"],
                          "points": _num(r["points"]), "average": _num(r["average"])}
                         for r in d.rows.to_dict("records")],
            })
        out.append({"id": rid, "name": dataset.region_name(rid), "dimensions": dims})
    return out


def brief_context(dataset: Dataset, region_ids: Sequence[str], appendix: str | None = None,
                  since: int | None = None, self_assessment: str | None = None) -> dict:
    """Everything the brief template shows (charts as figures, not yet rendered). Validates the ids
    (1–4 regions) and the appendix (:func:`check_appendix`): :class:`~dashboard.errors.UnknownOption`.
    ``dataset`` shows the brief's edition; ``since`` (another edition) adds each region's change of the
    overall score and of every dimension. ``self_assessment``: the mark of a brief whose first region is a
    self-assessment (:func:`dashboard.views.self_assessment.with_self_assessment`), printed at the top."""
    ids = check_regions(dataset, region_ids, 1, MAX_COMPARE, "a brief")
    appendix = check_appendix(appendix)
    wide = dataset.wide_scores
    regions = [region_context(dataset, r) for r in ids]
    change = change_wide(dataset, dataset.edition, since) if since is not None else None
    if change is not None:
        for r in regions:
            r["change"] = fmt_change(change.at[r["id"], "overall"])
    shown_parts = ("scores", "outcomes")
    marks = resource_marks(dataset, shown_parts)
    comparison = len(ids) > 1
    ctx: dict[str, Any] = {
        "app": APP_NAME,
        "comparison": comparison,
        "regions": regions,
        "title": _("Comparison brief: {regions}").format(regions=", ".join(r["name"] for r in regions))
        if comparison else _("Regional brief: {region}").format(region=regions[0]["name"]),
        "lang": i18n.current(),
        # the mark follows what the brief shows: the scores' own flag, and a line per part (notice.resource_marks)
        "illustrative": dataset.scores_illustrative,
        "illustrative_text": _(ILLUSTRATIVE_EXPORT_TEXT),
        "marks": marks,
        "any_illustrative": any_illustrative(dataset, shown_parts),
        "all_illustrative": all(resource_illustrative(dataset, n) for n in shown_parts
                                if n == "scores" or not getattr(dataset, n).empty),
        "source_line": dataset.source_text,
        "edition": dataset.edition,
        "several_editions": len(dataset.editions) >= 2,
        "since": since,
        "average_overall": fmt_score(wide.mean()["overall"]),
        "date": _dt.date.today().isoformat(),
        "charts": brief_charts(dataset, ids),
        "legend": _legend(dataset, ids),
        "rule": dataset.rule.describe(),
        "thresholds": scoring.GROUP_THRESHOLDS,
        "sources": [(_(RESOURCE_LABELS[k]) if k in RESOURCE_LABELS and i18n.current() != i18n.DEFAULT else k, v)
                    for k, v in dataset.sources.items() if v],
        "provenance": provenance(dataset),
        "n_regions": len(wide),
        "n_indicators": len(dataset.framework),
        "appendix": questions_appendix(dataset, ids) if appendix == "questions" else [],
        "self_assessment": self_assessment,
    }
    ctx.update(_comparison_context(dataset, ids) if comparison else _single_context(dataset, ids[0]))
    if change is not None and not comparison:
        for row, d in zip(ctx["dimensions"], scoring.DIMENSIONS):
            row["change"] = fmt_change(change.at[ids[0], d])
    return ctx


def fmt_change(value: Any) -> str:
    """A change in points as the brief prints it: ``+4``, ``-2``, ``0`` or ``–`` (a score missing)."""
    if value is None or pd.isna(value):
        return "–"
    n = round(float(value))
    return f"{n:+d}" if n else "0"
