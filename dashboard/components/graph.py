"""The dashboard's chart component: a responsive ``dcc.Graph`` with one modebar configuration.

Each graph sits in its own wrapper ``div``. With ``responsive`` on, dcc.Graph takes ``height: 100%`` of its
parent; when the parent also holds other content (an export row under the chart), the browser resolved that
to a few pixels and plotly.js failed with "Something went wrong with axis scaling". Alone in a wrapper, the
graph takes the figure's own height, also when a callback later sends a figure of another height.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dash import dcc, html

GRAPH_CONFIG: dict[str, Any] = {"displaylogo": False, "responsive": True,
                                "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"]}


def graph(id: str | dict, figure: Any = None, config: Mapping[str, Any] | None = None, **kwargs: Any) -> html.Div:
    """``dcc.Graph(id=id, figure=figure, config=GRAPH_CONFIG + config, **kwargs)`` in its wrapper div."""
    return html.Div(dcc.Graph(id=id, figure=figure if figure is not None else {},
                              config={**GRAPH_CONFIG, **(config or {})}, **kwargs),
                    className="mx-graph")
