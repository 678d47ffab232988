"""``/geo/<key>/<layer>.json``: the map's geometry served once per layers key, cacheable for a year, found by any
worker (a worker that never built the layers builds those of the data it serves), and nothing else."""

from __future__ import annotations

import json

import pytest

from dashboard import geo
from dashboard.app import create_app


@pytest.fixture(scope="module")
def client():
    return create_app().server.test_client()


@pytest.fixture(scope="module")
def layers(dataset):
    try:
        return geo.map_layers(dataset.regions)
    except geo.GeoDataMissing as exc:
        pytest.skip(f"boundary files not available: {exc}")


def test_layers_served_once_with_long_cache_and_etag(client, layers):
    urls = geo.geojson_urls(layers)
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        body = json.loads(response.get_data())
        expected = layers.regions_geojson if name == "regions" else layers.context_geojson
        assert [f["id"] for f in body["features"]] == [f["id"] for f in expected["features"]]
        again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304 and not again.get_data()


def test_any_worker_finds_the_layers_of_its_data(client, layers, dataset):
    geo.clear_cache()  # as on a worker that has not drawn the map yet
    assert geo.keyed_layers(layers.key) is None
    assert client.get(geo.geojson_urls(layers)["regions"]).status_code == 200
    assert geo.map_layers(dataset.regions).key == layers.key  # the key does not depend on the process


def test_unknown_keys_and_layers_are_404(client, layers):
    assert client.get("/geo/0123456789abcdef0123/regions.json").status_code == 404
    assert client.get(f"/geo/{layers.key}/labels.json").status_code == 404
    assert client.get("/geo/..%2F..%2Fetc/regions.json").status_code == 404


def test_key_changes_with_the_regions(layers, dataset):
    fewer = dataset.regions.iloc[:5]
    assert geo.map_layers(fewer).key != layers.key
