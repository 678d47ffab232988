"""The shared look of every figure: template, neutral colour-blind-safe colours, source annotations."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

# Sequential, colour-blind-safe, no red/green judgement.
COLORSCALE = "Cividis"
# Qualitative colours for 2–4 compared regions plus the average (Okabe–Ito, colour-blind-safe).
SERIES_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9")
AVERAGE_COLOR = "#6b7280"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

TEMPLATE = go.layout.Template(pio.templates["plotly_white"])
TEMPLATE.layout.font = dict(family=FONT, size=13, color="#1f2a37")
TEMPLATE.layout.title = dict(font=dict(size=16), x=0.0, xanchor="left")
TEMPLATE.layout.colorway = list(SERIES_COLORS)
TEMPLATE.layout.margin = dict(l=40, r=20, t=60, b=70)

MAP_CREDIT = "© EuroGeographics for the administrative boundaries"


def annotate_source(fig: go.Figure, source_line: str, credit: str | None = None) -> go.Figure:
    """Add the source line (and the boundary credit for maps) under the plot area; returns ``fig``."""
    text = source_line if not credit else f"{source_line}<br>{credit}"
    fig.add_annotation(
        text=text, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top", yshift=-28,
        showarrow=False, align="left", font=dict(size=10, color="#5b6675"), name="source",
    )
    return fig


def base_layout(fig: go.Figure, title: str, source_line: str, credit: str | None = None, height: int | None = None) -> go.Figure:
    """Template, title and source in one call, so every figure function ends the same way."""
    fig.update_layout(template=TEMPLATE, title=dict(text=title))
    if height:
        fig.update_layout(height=height)
    return annotate_source(fig, source_line, credit)
