"""Anchor: the naive map app — one measure selector and one ``px.choropleth`` of the same 25 regions,
rebuilt whole (geometry included) on every change. Same boundary layer (:func:`dashboard.geo.map_layers`),
same data, same serving as the dashboard (``compress=True``, :func:`dashboard.serving.http.init_app`,
gunicorn with :mod:`dashboard.serving.gunicorn_conf`)::

    gunicorn -c python:dashboard.serving.gunicorn_conf --pythonpath benchmarks/anchors naive_app:server
"""

from __future__ import annotations

import plotly.express as px
from dash import Dash, Input, Output, dcc, html

from dashboard import config, data, scoring
from dashboard.serving import http

try:
    from dashboard.geo import map_layers, topojson_url
except ImportError:  # the geo package keeps the layers in a submodule
    from dashboard.geo.layers import map_layers, topojson_url

DATASET = data.load_dataset()
TABLE = DATASET.scores_table().reset_index()
MEASURES = ["overall"] + [key for axis in scoring.AXES.values() for key in axis]

# The dashboard's assets folder: the same CSS, and plotly.js's base-map topojson served locally (no CDN).
app = Dash(__name__, serve_locally=True, compress=True, title="Naive map", assets_folder=str(config.ASSETS_DIR))
app.layout = html.Div([
    html.H1("Naive choropleth"),
    dcc.Dropdown(id="measure", options=[{"label": scoring.dimension_label(m), "value": m} for m in MEASURES],
                 value="overall", clearable=False),
    dcc.Graph(id="map", style={"height": "640px"}, config={"topojsonURL": topojson_url()}),
])


@app.callback(Output("map", "figure"), Input("measure", "value"))
def update(measure):
    fig = px.choropleth(TABLE, geojson=map_layers(DATASET.regions).regions_geojson, locations="region_id",
                        featureidkey="id",
                        color=measure, range_color=(0, 100), color_continuous_scale="Cividis",
                        hover_name="name_en", title=scoring.dimension_label(measure))
    fig.update_geos(fitbounds="locations", visible=False)
    return fig


http.init_app(app)
server = app.server
