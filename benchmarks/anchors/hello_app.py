"""Anchor: a hello-world Dash app with one ``dcc.Graph``, served exactly like the dashboard.

Same Dash, ``compress=True`` and :func:`dashboard.serving.http.init_app` (brotli/gzip, cache headers,
health routes), run by gunicorn with :mod:`dashboard.serving.gunicorn_conf`::

    gunicorn -c python:dashboard.serving.gunicorn_conf --pythonpath benchmarks/anchors hello_app:server
"""

from __future__ import annotations

import plotly.graph_objects as go
from dash import Dash, dcc, html

from dashboard.serving import http

app = Dash(__name__, serve_locally=True, compress=True, title="Hello Dash")
app.layout = html.Div([
    html.H1("Hello Dash"),
    dcc.Graph(id="graph", figure=go.Figure(go.Bar(x=["a", "b", "c"], y=[4, 1, 2]))),
])
http.init_app(app)
server = app.server
