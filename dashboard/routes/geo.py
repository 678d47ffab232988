"""``GET /geo/<key>/<layer>.json``: the map's boundary layers as static, cacheable GeoJSON.

The map figure on the page names its geometry by URL (plotly.js fetches a ``geojson`` given as a string once and
keeps it), so the page layout and every callback stay free of geometry. ``<key>`` is
:func:`dashboard.geo.layers_key`: the same on every worker and machine for the same regions and boundary files,
a new key (a new URL) when either changes; so the answer never changes under one URL and is sent with
``Cache-Control: public, max-age=31536000, immutable`` and an ``ETag`` (``If-None-Match`` → 304, whatever the
encoding of the copy the browser holds; :mod:`dashboard.serving.http` compresses each layer once per worker).

A worker that has not built the layers of ``<key>`` yet (another worker rendered the page) builds those of the
dataset the request sees and of the shared dataset; a key neither has → 404. ``<layer>`` is ``regions`` or
``context``. Exports never use this route: images embed their geometry (kaleido renders offline).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Response, abort, request

from dashboard import geo, state
from dashboard.geo import layers as geo_layers

KEY = re.compile(r"^[0-9a-f]{8,64}$")
CACHE_CONTROL = "public, max-age=31536000, immutable"


def find_layers(key: str):
    """The layers named ``key``: built by this process lately, else those of the request's or the shared data."""
    layers = geo.keyed_layers(key)
    if layers is not None:
        return layers
    for dataset in dict.fromkeys((state.current(), state.shared())):
        try:
            built = geo.map_layers(dataset.regions)
        except (geo.GeoDataMissing, geo.UnknownRegionError):
            continue
        if built.key == key:
            return built
    return None


def matching_tag(tag: str, if_none_match: str) -> str | None:
    """The entity tag of ``If-None-Match`` that names ``tag`` (``"<key>-<layer>"``), as the browser sent it: the
    compressed answer's tag carries the encoding (``"<key>-<layer>:br"``, added by the compression layer), and
    any encoding of the same layer is the same geometry. None when none does."""
    bare = tag.strip('"')
    for sent in (t.strip() for t in if_none_match.split(",")):
        value = sent[2:] if sent.startswith("W/") else sent
        if value.strip('"').split(":", 1)[0] == bare:
            return sent
    return None


def immutable_json(tag: str, body: Callable[[], bytes]) -> Response:
    """An answer that never changes under its URL: 304 when ``If-None-Match`` names ``tag`` (in any encoding),
    else ``body()`` (which may abort) as JSON; either way ``Cache-Control`` :data:`CACHE_CONTROL` and the ETag."""
    etag = f'"{tag}"'
    sent = matching_tag(etag, request.headers.get("If-None-Match", ""))
    if sent is not None:
        response = Response(status=304)
        etag = sent  # the tag the browser holds (with its encoding)
    else:
        response = Response(body(), mimetype="application/json")
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["ETag"] = etag if etag.startswith(('"', "W/")) else f'"{etag}"'
    return response


def geojson_response(key: str, layer: str) -> Response:
    if layer not in geo.GEOJSON_LAYERS or not KEY.match(key):
        abort(404)

    def body() -> bytes:
        layers = find_layers(key)
        if layers is None:
            abort(404)
        return layers.geojson_bytes(layer)

    return immutable_json(f"{key}-{layer}", body)


def init_app(app) -> None:
    prefix = app.config.routes_pathname_prefix or "/"

    @app.server.route(f"{prefix}{geo_layers.GEOJSON_PATH}<key>/<layer>.json")
    def _geojson(key: str, layer: str):
        return geojson_response(key, layer)
