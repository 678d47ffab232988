"""Warm a preloaded app once in the gunicorn master, before the workers are forked.

Dash does its set-up on the first request (asset walk, script tags, the Pages router); the map page
builds its boundary layers on first use. Done here, in the master, every worker inherits the result
(copy-on-write) instead of its first visitor paying for it. The fingerprinted bundles the index page
names (and plotly.js) are requested with brotli and gzip, which fills the compressed-bundle cache of
:mod:`dashboard.serving.http` for every worker too.
"""

from __future__ import annotations

import re

PAGES_ROUTER = {
    "output": ".._pages_content.children..._pages_store.data..",
    "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
    "changedPropIds": ["_pages_location.pathname"],
    "state": [],
}
#: Bundles dcc loads lazily once a page has a graph (plain names: the index does not list them).
LAZY_BUNDLES = ("/_dash-component-suites/plotly/package_data/plotly.min.js",
                "/_dash-component-suites/dash/dcc/async-graph.js")
_LINK = re.compile(r'(?:src|href)="(/_dash-component-suites/[^"]+)"')


def page_paths() -> list[str]:
    """Every Dash page of the app without a parameter in its address (not the 404 page), and the profile of the
    first loaded region when the app has region profiles: their first render costs 30–200 ms (a page's own
    caches, the Lab's database, the methodology's texts); made once in the master, no worker (also none recycled
    by ``max_requests``) makes its first visitor of a page wait for it."""
    import dash

    pages = list(dash.page_registry.values())
    paths = [p["path"] for p in pages if not p.get("path_template") and p["path"] != "/404"]
    if any(p.get("path_template") == "/region/<region_id>" for p in pages):
        from dashboard import state

        try:
            paths.append(f"/region/{state.shared().regions['region_id'].iloc[0]}")
        except Exception:  # noqa: BLE001 - no data to show: the page's first visitor builds it
            pass
    return paths


def warm(flask_app, paths=None) -> list[str]:
    """Request the index, layout, dependencies, bundles and ``paths`` (default: :func:`page_paths`, the map page
    among them, which loads the boundary layers) through the Flask test client.

    Returns the URLs requested that did not answer 200 (empty when everything warmed)."""
    client = flask_app.test_client()
    failed = []
    index = client.get("/")
    if index.status_code != 200:
        return ["/"]
    for url in ("/_dash-layout", "/_dash-dependencies"):
        if client.get(url).status_code != 200:
            failed.append(url)
    for url in sorted(set(_LINK.findall(index.get_data(as_text=True)))):
        for encoding in ("br", "gzip"):
            if client.get(url, headers={"Accept-Encoding": encoding}).status_code != 200:
                failed.append(url)
    for url in LAZY_BUNDLES:  # an app without graphs does not serve them: not a failure
        for encoding in ("br", "gzip"):
            client.get(url, headers={"Accept-Encoding": encoding})
    deps = client.get("/_dash-dependencies").get_json() or []
    if any(d.get("output") == PAGES_ROUTER["output"] for d in deps):
        paths = paths if paths is not None else page_paths()
        for path in paths:
            body = dict(PAGES_ROUTER, inputs=[
                {"id": "_pages_location", "property": "pathname", "value": path},
                {"id": "_pages_location", "property": "search", "value": ""},
            ])
            if client.post("/_dash-update-component", json=body).status_code != 200:
                failed.append(path)
    return failed
