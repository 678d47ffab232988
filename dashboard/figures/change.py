"""The change between two editions on a map (pure): a scores map (:func:`dashboard.figures.maps.choropleth`)
recoloured by the change in points on a diverging, colour-blind-safe scale centred on 0.

It touches only what the change changes — each region trace's values and hover texts (found by the region ids
every data trace carries in ``customdata``), the colour axis and the title — so it works whatever the map's
traces and geometry are. It edits the map's plain JSON and builds the result with
:func:`dashboard.figures.common.figure` (no second validation of the whole map).
"""

from __future__ import annotations

import math
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n, scoring
from dashboard.figures.common import figure, merge
from dashboard.figures.maps import country_label, region_label
from dashboard.i18n import _

#: Purple–orange: diverging, colour-blind-safe, no red/green judgement; white at no change.
DIVERGING = "PuOr"


@lru_cache(maxsize=1)
def diverging_scale() -> tuple[tuple[float, str], ...]:
    """:data:`DIVERGING` as the explicit (position, colour) pairs plotly's validation expands it to (plotly.js
    does not know the name)."""
    return tuple((float(p), c) for p, c in go.layout.Coloraxis(colorscale=DIVERGING).colorscale)


def change_limit(values) -> float:
    """The symmetric colour range: the largest absolute change rounded up to 5 points (at least 5)."""
    finite = [abs(float(v)) for v in values if v is not None and not pd.isna(v)]
    return float(max(5, 5 * math.ceil(max(finite, default=0) / 5)))


def change_title(measure: str, edition: int, since: int) -> str:
    return _("{measure}: change from {since} to {edition} (points)").format(
        measure=scoring.dimension_label(measure), since=since, edition=edition)


def _hover(table: pd.DataFrame, region_id: str, then: float, now: float, label: str, edition: int,
           since: int) -> str:
    head = f"<b>{region_label(table, region_id)}</b><br>{country_label(table, region_id)}<br>{label}: "
    if pd.isna(now) or pd.isna(then):
        return head + _("no change shown (a score is missing in {since} or {edition})").format(since=since,
                                                                                              edition=edition)
    diff = float(f"{now - then:.0f}")  # as the sign shows it: "+12", "-3", "+0"
    signed = ("-" if f"{now - then:+.0f}".startswith("-") else "+") + i18n.number(abs(diff), 0)
    return head + _("{then} in {since} → {now} in {edition} ({change} points)").format(
        then=i18n.number(then, 0), since=since, now=i18n.number(now, 0), edition=edition, change=signed)


def change_map(fig: go.Figure, now: pd.DataFrame, then: pd.DataFrame, measure: str, edition: int,
               since: int) -> go.Figure:
    """A copy of the scores map ``fig`` showing ``now[measure] - then[measure]`` per region.

    ``now`` / ``then`` are ``Dataset.scores_table()`` of the two editions (index region_id)."""
    label = scoring.dimension_label(measure)
    current = now[measure]
    before = then[measure].reindex(now.index)
    change = current - before
    # Shallow copies of the traces (figure() deep-copies what it is given: the input figure is not changed, and
    # a map's geometry is copied once, not twice); the layout is merged into, so it is copied deep here.
    data = [dict(t) for t in fig._data]
    for trace in data:
        custom = trace.get("customdata")
        ids = list(custom) if custom is not None and not isinstance(custom, (dict, str)) else []
        ids = [i[0] if isinstance(i, (list, tuple)) else i for i in ids]
        if not ids or not all(isinstance(i, str) and i in now.index for i in ids):
            continue
        values = [None if pd.isna(change.get(r)) else round(float(change[r]), 2) for r in ids]
        hover = [_hover(now, r, before.get(r), current.get(r), label, edition, since) for r in ids]
        if trace.get("type") == "scattergeo":
            trace["marker"] = {**trace.get("marker", {}), "color": values}
        else:
            trace["z"] = values
        trace["hovertext"] = hover
    limit = change_limit(change.tolist())
    layout = merge(fig.layout.to_plotly_json(), {
        "coloraxis": {"colorscale": [list(p) for p in diverging_scale()], "cmin": -limit, "cmid": 0, "cmax": limit,
                      "colorbar": {"title": {"text": _("Change since {since}<br>(points)").format(since=since),
                                             "side": "top"},
                                   "tickvals": [-limit, -limit / 2, 0, limit / 2, limit], "tickformat": "+.0f"}},
        "title": {"text": change_title(measure, edition, since)},
    })
    return figure(data, layout)
