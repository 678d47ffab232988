"""Every measure's change of the map, served once (``/map-values/<fingerprint>/<lang>.json``) so that the browser
recolours the map without a request: the same patch operations and list order the server sends per change, for
the shared data only, cacheable for a year, and nothing for a private workspace or too many regions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dash import no_update

from dashboard import i18n, ids, state
from dashboard.app import create_app
from dashboard.callbacks import map as map_cb
from dashboard.figures import maps
from dashboard.views import map as map_view
from tests.dash_tree import layers_or_skip

ASSETS = Path(__file__).resolve().parents[1] / "assets"


@pytest.fixture(scope="module")
def client():
    return create_app().server.test_client()


@pytest.fixture(scope="module")
def source(dataset):
    layers_or_skip(dataset)
    found = map_view.values_source(dataset, "/", shared=True)
    assert found is not None
    return found


def test_values_hold_every_measure_as_the_server_would_send_it(dataset, source):
    table = json.loads(map_view.map_values(dataset, cache=False))["measures"]
    assert list(table) == list(map_view.scoring.DIMENSIONS)
    assert len(table) == 1 + sum(map(len, map_view.scoring.AXES.values()))
    for measure, change in table.items():
        update = map_view.measure_update(dataset, measure, cache=False)
        assert change["ops"] == json.loads(json.dumps(map_view.measure_ops(update)))
        assert change["rows"] == map_view.list_rows(dataset.scores_table(), measure)
    dumped = json.dumps(table)
    assert "coordinates" not in dumped and "geojson" not in dumped  # values only, never geometry
    # the ops become the same Patch the server sends for that measure
    ops = table["area:health"]["ops"]
    server = map_cb.as_patch(map_view.measure_ops(map_view.measure_update(dataset, "area:health")))
    assert map_cb.as_patch(ops).to_plotly_json() == server.to_plotly_json()
    assert any(op[1] == ["layout", "title", "text"] and "Health" in op[2] for op in ops)


def test_values_are_in_the_language_asked(dataset):
    with i18n.use("sv"):
        sv = json.loads(map_view.map_values(dataset, cache=False))["measures"]["area:health"]["ops"]
    titles = [op[2] for op in sv if op[1] == ["layout", "coloraxis", "colorbar", "title", "text"]]
    assert titles == ["Poäng för Hälsa (0–100)"]


def test_served_once_immutable_with_etag_and_only_for_the_current_data(client, dataset, source):
    assert source["url"] == f"/map-values/{map_view.values_dataset(dataset).fingerprint}/en.json"
    assert source["edition"] == str(map_view.parse_editions(dataset).edition)
    response = client.get(source["url"])
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert json.loads(response.get_data()) == json.loads(map_view.map_values(dataset))
    again = client.get(source["url"], headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and not again.get_data()
    french = client.get(source["url"].replace("/en.json", "/fr.json"))
    assert french.status_code == 200 and french.get_data() != response.get_data()
    # a page made before other data were published, an unknown language, anything else: 404 (the page then asks
    # the server per change)
    assert client.get("/map-values/0123456789abcdef/en.json").status_code == 404
    assert client.get(source["url"].replace("/en.json", "/xx.json")).status_code == 404
    assert client.get(source["url"].replace("/en.json", "/EN.json")).status_code == 404
    assert client.get("/map-values/..%2Fetc/en.json").status_code == 404
    # a visitor with a private workspace is never sent values by this (public, cached) address
    with create_app().server.test_client() as private:
        private.set_cookie(state.WORKSPACE_COOKIE, "w" * 32)
        assert private.get(source["url"]).status_code == 404


def test_no_values_for_a_workspace_or_many_regions(dataset, source, monkeypatch):
    assert map_view.values_source(dataset, "/", shared=False) is None  # a visitor's own files: never served
    assert map_view.values_source(dataset, "/app/")["url"].startswith("/app/map-values/")
    monkeypatch.setattr(map_view, "VALUES_MAX_REGIONS", 10)
    assert map_view.values_source(dataset, "/") is None


def test_page_names_the_values_and_has_the_legend_box(dataset, source):
    from tests.dash_tree import find, page_module

    home = page_module("/")
    with create_app().server.test_request_context("/"):
        layout = home.layout()
    assert find(layout, ids.MAP_VALUES).data == {**source, "url": source["url"]}
    legend = find(layout, ids.MAP_LEGEND)
    assert legend is not None and getattr(legend, "data-none-label") == "no score"
    graph = find(layout, ids.MAP_GRAPH)
    assert "toImage" in graph.config["modeBarButtonsToRemove"]  # an image without the HTML legend: none
    assert graph.figure["layout"]["coloraxis"]["showscale"] is False


def test_a_change_the_browser_made_asks_the_server_only_for_the_panel_line(dataset):
    assert state.current().fingerprint == dataset.fingerprint
    lines = map_cb.measure_lines(dataset, "area:health", "PT20", 1)
    assert len(lines) == 1 and lines[0]  # the chosen region's line on Health
    assert map_cb.measure_lines(dataset, "overall", "PT20", 1) == [[]]  # the overall score: no line
    assert map_cb.measure_lines(dataset, "area:health", None, 0) == []
    out = map_cb.answer_measure(dataset, {"measure": "area:health", "whole": False, "at": 1}, "PT20", 1, None,
                                None, "?region=PT20")
    assert out[:3] == (no_update, no_update, no_update) and len(out[3]) == 1 and out[3][0]
    # not changed in the browser (no values yet, a workspace, another edition): the server sends it all
    figure, rows, search, lines = map_cb.answer_measure(dataset, {"measure": "area:health", "whole": True, "at": 2},
                                                        "PT20", 1, None, None, "?region=PT20&size=a4")
    assert figure is not no_update and rows == map_view.list_rows(dataset.scores_table(), "area:health")
    assert search == "?measure=area:health&region=PT20&size=a4" and len(lines) == 1


def test_browser_scripts_name_the_same_ids(dataset):
    values = (ASSETS / "32-map-values.js").read_text()
    legend = (ASSETS / "33-map-legend.js").read_text()
    assert f'graph: "{ids.MAP_GRAPH}"' in legend and f'legend: "{ids.MAP_LEGEND}"' in legend
    assert "window.mipexrMapValues" in values and "dash_clientside.Patch" in values
    for verb in {op[0] for m in map_view.scoring.DIMENSIONS
                 for op in map_view.measure_ops(map_view.measure_update(dataset, m))}:
        assert verb in ("assign", "merge")  # the verbs dash_clientside.Patch has under the same names
    # the browser's change needs the values of the edition shown, and no change since another one
    assert "values.edition" in map_cb.MEASURE_JS and f'"{map_view.DEFAULT_MEASURE}"' in map_cb.MEASURE_JS
    assert maps.NO_DATA_FILL and "data-none-color" in legend
