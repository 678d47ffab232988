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
from dashboard.figures.common import (
    AVERAGE_COLOR,
    SERIES_COLORS,
    figure,
    title_and_source,
)
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
    traces = []
    groups = [
        (_("Regions"), points[~points["highlighted"]], POINT_COLOR, 10),
        (_("Selected region"), points[points["highlighted"]], HIGHLIGHT_COLOR, 16),
    ]
    for name, part, color, size in groups:
        if part.empty:
            continue
        larger = part["proxy"] | part["national"]
        symbols = ["circle-open" if flag else "circle" for flag in larger]
        traces.append({  # numpy columns: sent as plotly's typed arrays, as plotly's validation would
            "type": "scatter", "x": part["x"].to_numpy(), "y": part["y"].to_numpy(), "mode": "markers+text",
            "name": name, "text": part["name"].to_numpy(), "textposition": "top center", "textfont": {"size": 11},
            "marker": {"color": color, "size": size, "symbol": symbols, "line": {"width": 2, "color": color}},
            "hovertext": [_hover(row, y_unit) for row in part.itertuples(index=False)], "hoverinfo": "text",
            "customdata": part["region_id"].to_numpy(),
        })
    shapes, averages = [], []
    line = {"color": AVERAGE_COLOR, "dash": "dash", "width": 1}
    font = {"size": 10, "color": AVERAGE_COLOR}
    if x_mean is not None:  # what fig.add_vline(annotation_position="top") draws
        shapes.append({"type": "line", "line": dict(line), "x0": x_mean, "x1": x_mean, "xref": "x",
                       "y0": 0, "y1": 1, "yref": "y domain"})
        averages.append({"text": _("average {value}").format(value=i18n.number(x_mean, 0)), "font": dict(font),
                         "showarrow": False, "x": x_mean, "xanchor": "center", "xref": "x", "y": 1,
                         "yanchor": "bottom", "yref": "y domain"})
    if y_mean is not None:  # … and fig.add_hline(annotation_position="right")
        shapes.append({"type": "line", "line": dict(line), "x0": 0, "x1": 1, "xref": "x domain",
                       "y0": y_mean, "y1": y_mean, "yref": "y"})
        averages.append({"text": _("average {value}").format(value=i18n.number(y_mean, 1)), "font": dict(font),
                         "showarrow": False, "x": 1, "xanchor": "left", "xref": "x domain", "y": y_mean,
                         "yanchor": "middle", "yref": "y"})
    full_title = f"{title}<br><sup>{r_text} {caveat}</sup>"
    larger_unit = (points["proxy"] | points["national"]).any()
    note = " " + _("Open markers: value for an enclosing unit or the whole country.") if larger_unit else ""
    layout = title_and_source(full_title, source_line + note, height=height)
    layout.update(
        annotations=averages + layout["annotations"],
        xaxis={"title": {"text": _("{dimension} (governance score, 0–100)").format(dimension=x_label)},
               "range": [-3, 103], "zeroline": False},
        yaxis={"title": {"text": f"{y_label} ({y_unit})"}, "zeroline": False},
        showlegend=False, margin=dict(l=60, r=30, t=90, b=120), hovermode="closest",
    )
    if shapes:
        layout["shapes"] = shapes
    return figure(traces, layout)
