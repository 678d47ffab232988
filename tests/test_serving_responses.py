"""dashboard.serving.responses: the answers that are the same for every visitor of the shared data (index,
shell, dependencies, the map page's render) are kept per worker, equal to fresh ones, never for a private
workspace; and the cheaper paths around them (geometry revalidation, language from Accept-Language)."""

from __future__ import annotations

import json

import brotli
import pytest

from dashboard import app as app_module
from dashboard import geo, state
from dashboard.i18n import web as i18n_web
from dashboard.serving import responses
from dashboard.serving.warmup import PAGES_ROUTER

BROWSER = {"Accept-Encoding": "br, gzip", "Accept-Language": "en-GB,en;q=0.9"}


@pytest.fixture()
def app():
    return app_module.create_app()


@pytest.fixture()
def client(app):
    return app.server.test_client()


def kept(app) -> responses.ResponseCache:
    return app.server.extensions["mipexr_responses"]


def render_body(pathname: str, search: str = "") -> dict:
    return dict(PAGES_ROUTER, inputs=[{"id": "_pages_location", "property": "pathname", "value": pathname},
                                      {"id": "_pages_location", "property": "search", "value": search}])


def render(client, pathname="/", search="", headers=None):
    return client.post("/_dash-update-component", json=render_body(pathname, search),
                       headers={**BROWSER, **(headers or {})})


def decoded(response) -> bytes:
    data = response.get_data()
    return brotli.decompress(data) if response.headers.get("Content-Encoding") == "br" else data


def comparable(response) -> tuple:
    headers = {k: v for k, v in response.headers.items() if k not in ("Date", "Content-Length")}
    return response.status_code, headers, decoded(response)


REQUESTS = {
    "index": lambda c: c.get("/?measure=area:health", headers=BROWSER),
    "index of a region page": lambda c: c.get("/region/PT20", headers=BROWSER),
    "shell": lambda c: c.get("/_dash-layout", headers={**BROWSER, "Referer": "http://localhost/compare?lang=de"}),
    "dependencies": lambda c: c.get("/_dash-dependencies", headers=BROWSER),
    "map page render": lambda c: render(c, "/", "?measure=area:health&region=PT20"),
}


@pytest.mark.parametrize("name", list(REQUESTS))
def test_a_kept_answer_equals_the_fresh_one(app, client, name):
    request = REQUESTS[name]
    request(client)  # Dash's first-request set-up (it adds the router callback) happens here
    kept(app).cache.clear()
    fresh = request(client)
    assert fresh.status_code == 200
    assert len(kept(app).cache) == 1
    again = request(client)
    assert comparable(again) == comparable(fresh)
    assert again.headers.get("Content-Encoding") == "br"  # the kept copy is compressed like a fresh answer
    assert len(kept(app).cache) == 1


def test_the_map_page_render_comes_from_the_cache(app, client, monkeypatch):
    render(client)
    calls = []
    home = next(p for p in __import__("dash").page_registry.values() if p["path"] == "/")
    original = home["layout"]
    monkeypatch.setitem(home, "layout", lambda **kw: calls.append(kw) or original(**kw))
    kept(app).cache.clear()
    first, second = render(client, "/", "?measure=area:health"), render(client, "/", "?measure=area:health")
    assert len(calls) == 1 and decoded(first) == decoded(second)
    other = render(client, "/", "?measure=area:education")
    assert len(calls) == 2 and decoded(other) != decoded(first)  # another query: another answer


def test_language_is_part_of_every_key(app, client):
    english = render(client, headers={"Accept-Language": "en"})
    german = render(client, headers={"Accept-Language": "de"})
    assert decoded(english) != decoded(german)
    assert render(client, headers={"Accept-Language": "de"}).get_data() == german.get_data()
    index_de = client.get("/", headers={**BROWSER, "Accept-Language": "de"})
    assert b'<html lang="de">' in decoded(index_de)
    assert b'<html lang="en">' in decoded(client.get("/", headers=BROWSER))


def test_the_data_are_part_of_every_key(app, client, monkeypatch):
    render(client)
    with app.server.test_request_context("/_dash-update-component", method="POST", json=render_body("/")):
        app.server.preprocess_request()
        before = kept(app).key(__import__("flask").request)
        monkeypatch.setattr(responses, "data_key", lambda: ("another-fingerprint", 0))
        after = kept(app).key(__import__("flask").request)
    assert before is not None and after is not None and before != after
    assert before[-2] == state.current().fingerprint


def test_a_private_workspace_is_never_kept_nor_served_from_the_cache(app, client, monkeypatch):
    render(client)
    kept(app).cache.clear()
    looked_up = []
    real_get = kept(app).cache.get
    monkeypatch.setattr(kept(app).cache, "get", lambda *a, **k: looked_up.append(a[0]) or real_get(*a, **k))
    client.set_cookie(state.WORKSPACE_COOKIE, "w" * 32)
    for request in REQUESTS.values():
        assert request(client).status_code == 200
    assert looked_up == [] and len(kept(app).cache) == 0
    client.delete_cookie(state.WORKSPACE_COOKIE)
    render(client)
    assert len(kept(app).cache) == 1


def test_other_pages_callbacks_and_debug_mode_are_not_kept(app, client):
    render(client)
    kept(app).cache.clear()
    assert render(client, "/compare", "?regions=PT20,ES51").status_code == 200
    deps = json.loads(client.get("/_dash-dependencies").get_data())
    assert len(kept(app).cache) == 1  # the dependencies only
    kept(app).cache.clear()
    not_router = next(d for d in deps if d["output"] != PAGES_ROUTER["output"] and not d.get("clientside_function"))
    client.post("/_dash-update-component", json={"output": not_router["output"], "inputs": [], "state": []})
    assert len(kept(app).cache) == 0
    app.server.debug = True
    try:
        render(client)
        client.get("/", headers=BROWSER)
        assert len(kept(app).cache) == 0
    finally:
        app.server.debug = False


def test_an_unknown_page_address_is_still_404_from_the_cache(client):
    first, second = client.get("/no-such-page", headers=BROWSER), client.get("/no-such-page", headers=BROWSER)
    assert first.status_code == second.status_code == 404
    assert decoded(first) == decoded(second)


def test_a_language_chosen_in_the_address_still_sets_the_cookie(client):
    client.get("/?lang=fr", headers=BROWSER)
    again = client.get("/?lang=fr", headers=BROWSER)
    assert "mipexr_lang=fr" in again.headers.get("Set-Cookie", "")
    assert b'<html lang="fr">' in decoded(again)


# ------------------------------------------------------------------------------------------------
# Geometry revalidation and the language of a request
# ------------------------------------------------------------------------------------------------

def test_geometry_revalidates_with_the_tag_of_the_compressed_copy(app, client, dataset):
    try:
        layers = geo.map_layers(dataset.regions)
    except geo.GeoDataMissing as exc:
        pytest.skip(f"boundary files not available: {exc}")
    url = geo.geojson_urls(layers)["regions"]
    static = app.server.extensions["mipexr_serving"]
    held = static.cached()
    first = client.get(url, headers=BROWSER)
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "br"
    tag = first.headers["ETag"]
    assert tag.endswith(':br"')
    assert static.cached() == held + 1  # compressed once per worker, kept
    again = client.get(url, headers={**BROWSER, "If-None-Match": tag})
    assert again.status_code == 304 and again.headers["ETag"] == tag
    weak = client.get(url, headers={**BROWSER, "If-None-Match": f'"other", W/{tag}'})
    assert weak.status_code == 304
    other = client.get(url, headers={**BROWSER, "If-None-Match": '"0123456789abcdef0123-regions:br"'})
    assert other.status_code == 200


def test_matching_tag():
    from dashboard.routes.geo import matching_tag

    assert matching_tag('"abc-regions"', '"abc-regions"') == '"abc-regions"'
    assert matching_tag('"abc-regions"', '"x", "abc-regions:gzip"') == '"abc-regions:gzip"'
    assert matching_tag('"abc-regions"', 'W/"abc-regions:br"') == 'W/"abc-regions:br"'
    assert matching_tag('"abc-regions"', '"abc-context:br"') is None
    assert matching_tag('"abc-regions"', "") is None


@pytest.mark.parametrize("header", ["", "de", "fr-CH, fr;q=0.9, en;q=0.8", "xx, pt-BR;q=0.5", "*", "en-GB,en;q=0.9",
                                    "sv;q=0, it", "garbage;;;q=x"])
def test_language_from_accept_language_is_werkzeugs_best_match(header):
    from werkzeug.datastructures import LanguageAccept
    from werkzeug.http import parse_accept_header

    from dashboard import i18n

    expected = parse_accept_header(header, LanguageAccept).best_match(list(i18n.LANGUAGES)) or i18n.DEFAULT
    assert i18n_web.from_accept_language(header) == expected


def test_the_master_warms_every_page_once(app):
    """Production mode's warm-up (in the gunicorn master, before the fork) renders every page without a
    parameter in its address and the first region's profile, each answering 200, so that no worker's first
    visitor of a page pays for building what the page keeps."""
    import flask

    from dashboard.serving import warmup

    paths = warmup.page_paths()
    first = state.shared().regions["region_id"].iloc[0]
    assert {"/", "/compare", "/explore", "/lab", "/methodology", "/self-assessment", f"/region/{first}"} <= set(paths)
    assert "/404" not in paths and not any("<" in p for p in paths)
    rendered = []

    @app.server.before_request
    def _seen():
        body = flask.request.get_json(silent=True) if flask.request.method == "POST" else None
        if isinstance(body, dict) and body.get("output") == PAGES_ROUTER["output"]:
            rendered.append(body["inputs"][0]["value"])

    assert warmup.warm(app.server) == []
    assert rendered == list(dict.fromkeys(["/", *paths]))
