"""Scatter of a governance dimension against an outcome indicator (DataFrame → plotly Figure).

Every region is a labelled point; the highlighted region is drawn larger in a second colour; values for an
enclosing unit (proxy) or for the whole country are drawn as open markers and say so on hover; dashed
lines mark the two averages; the title carries Pearson's r with n and the caveat; the source annotation
names both datasets and which of them are illustrative.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.figures.common import AVERAGE_COLOR, SERIES_COLORS, base_layout
from dashboard.i18n import _

POINT_COLOR = SERIES_COLORS[0]
HIGHLIGHT_COLOR = SERIES_COLORS[1]




def _hover(row, y_unit: str) -> str:
    flags = []
    if row.national:
        flags.append(_("national figure ({unit})").format(unit=row.nuts_used))
    elif row.proxy:
        flags.append(_("value for the enclosing unit {unit} (proxy)").format(unit=row.nuts_used))
    if row.illustrative:
        flags.append(_("illustrative value"))
    year = "" if pd.isna(row.year) else f" ({int(row.year)})"
    text = (f"<b>{row.name}</b> ({row.country})<br>"
            + _("Governance: {score} /100").format(score=i18n.number(row.x, 0)) + "<br>"
            + _("Outcome: {value} {unit}").format(value=i18n.number(row.y, 1), unit=y_unit) + year)
    return text + ("".join(f"<br>{f}" for f in flags))


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
            hovertext=[_hover(row, y_unit) for row in part.itertuples(index=False)], hoverinfo="text",
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
