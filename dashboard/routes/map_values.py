"""``GET /map-values/<fingerprint>/<lang>.json``: every measure's change of the map at once, so that the browser
recolours the map and re-orders the region list without asking the server (:func:`dashboard.views.map.map_values`;
applied by ``assets/32-map-values.js``).

Only for the shared data, in its latest edition, with up to :data:`~dashboard.views.map.VALUES_MAX_REGIONS`
regions (:func:`dashboard.views.map.values_source` gives None otherwise, and the page asks the server per change as
it does for a visitor's private workspace). ``<fingerprint>`` is the dataset's
:attr:`~dashboard.data.Dataset.fingerprint`: the answer never changes under one URL (``Cache-Control: public,
max-age=31536000, immutable``, an ``ETag``; compressed once per worker by :mod:`dashboard.serving.http`). A
fingerprint the shared data no longer have (the page was made before new data were published) → 404, and that page
falls back to asking the server.
"""

from __future__ import annotations

import re

from flask import Response, abort

from dashboard import i18n, state
from dashboard.routes.geo import immutable_json
from dashboard.views import map as map_view

FINGERPRINT = re.compile(r"^[0-9a-f]{8,64}$")


def values_response(fingerprint: str, lang: str) -> Response:
    if not FINGERPRINT.match(fingerprint) or i18n.normalise(lang) != lang:
        abort(404)

    def body() -> bytes:
        # the data the page was made from (the shared data: never a visitor's workspace, whose values the page
        # does not name and which must not be cached as public)
        data = map_view.values_dataset(state.current()) if state.shared_data() else None
        if data is None or data.fingerprint != fingerprint or len(data.regions) > map_view.VALUES_MAX_REGIONS:
            abort(404)
        with i18n.use(lang):
            return map_view.map_values(data)

    return immutable_json(f"{fingerprint}-{lang}-values", body)


def init_app(app) -> None:
    prefix = app.config.routes_pathname_prefix or "/"

    @app.server.route(f"{prefix}{map_view.VALUES_PATH}<fingerprint>/<lang>.json")
    def _map_values(fingerprint: str, lang: str):
        return values_response(fingerprint, lang)
