"""Map and region-profile callbacks and layouts, called as plain functions (no browser)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from dash import Patch, dcc, html, no_update

from dashboard import geo, ids, query, scoring
from dashboard.callbacks import map as map_cb
from dashboard.callbacks import region as region_cb
from dashboard.components import controls, region_panel, stats_table
from dashboard.figures import maps
from dashboard.views import map as map_view
from tests.dash_tree import find as _find
from tests.dash_tree import layers_or_skip, page_module
from tests.dash_tree import text as _text
from tests.dash_tree import walk as _walk

ASSETS = Path(__file__).resolve().parents[1] / "assets"

# ------------------------------------------------------------------------------------------------
# helpers: walk a Dash layout
# ------------------------------------------------------------------------------------------------

def _titles(node) -> list[str]:
    return [n.title for n in _walk(node) if getattr(n, "title", None)]


def _hrefs(node) -> list[str]:
    return [n.href for n in _walk(node) if isinstance(n, (dcc.Link, html.A)) and getattr(n, "href", None)]


@pytest.fixture(scope="module")
def app():
    from dashboard.app import create_app

    return create_app()




# ------------------------------------------------------------------------------------------------
# URL state
# ------------------------------------------------------------------------------------------------

def test_parse_map_query_defaults_and_valid_values(dataset):
    assert map_view.parse_map_query(dataset) == map_view.MapState("overall", None, [])
    view = map_view.parse_map_query(dataset, "area:health", "PT20")
    assert (view.measure, view.region, view.notes) == ("area:health", "PT20", [])
    assert map_view.parse_map_query(dataset, "health", "pt20").measure == "area:health"
    assert map_view.parse_map_query(dataset, None, " pt20 ").region == "PT20"


def test_parse_map_query_unknown_values_fall_back_with_notes(dataset):
    view = map_view.parse_map_query(dataset, "area:astrology", "XX99")
    assert view.measure == "overall" and view.region is None
    assert len(view.notes) == 2
    assert "area:astrology" in view.notes[0] and "XX99" in view.notes[1]


@pytest.mark.parametrize("measure,region", [("overall", None), ("area:health", "PT20"), ("phase:evaluation", None),
                                            ("overall", "ES64"), ("target:BIP", "SE224")])
def test_search_round_trip(dataset, measure, region):
    search = map_view.map_search(measure, region)
    query = dict(parse_qsl(search.lstrip("?")))
    view = map_view.parse_map_query(dataset, **query)
    assert (view.measure, view.region, view.notes) == (measure, region, [])
    if measure == "overall" and region is None:
        assert search == ""


def test_search_keeps_measure_readable():
    assert map_view.map_search("area:health", "PT20") == "?measure=area:health&region=PT20"


# ------------------------------------------------------------------------------------------------
# Clicks and selection
# ------------------------------------------------------------------------------------------------

def test_region_from_click(dataset):
    assert map_view.region_from_click({"points": [{"curveNumber": 1, "location": "DE2"}]}, dataset) == "DE2"
    assert map_view.region_from_click({"points": [{"curveNumber": 2, "customdata": "ES64"}]}, dataset) == "ES64"
    assert map_view.region_from_click({"points": [{"curveNumber": 2, "customdata": ["AT13"]}]}, dataset) == "AT13"
    assert map_view.region_from_click({"points": [{"curveNumber": 0, "location": "FR"}]}, dataset) is None
    assert map_view.region_from_click(None, dataset) is None
    assert map_view.region_from_click({"points": []}, dataset) is None


def test_click_js_follows_region_from_click():
    """The browser's click rule (CLICK_JS) reads the same keys as views.map.region_from_click."""
    assert "p.location" in map_cb.CLICK_JS and "p.customdata" in map_cb.CLICK_JS
    assert "meta.ids.indexOf(id)" in map_cb.CLICK_JS  # only regions of the loaded data (not the grey countries)


# ------------------------------------------------------------------------------------------------
# The Patch: values change, geometry is never re-sent
# ------------------------------------------------------------------------------------------------

def _ops(patch: Patch) -> dict:
    out = {}
    for op in patch.to_plotly_json()["operations"]:
        value = op["params"].get("value")
        if op["operation"] == "Merge":
            out.update({(*op["location"], k): v for k, v in value.items()})
        else:
            out[tuple(op["location"])] = value
    return out


def _wire(value) -> int:
    """Bytes of a callback output as Dash sends it (plotly's JSON encoder)."""
    from plotly.utils import PlotlyJSONEncoder

    value = value.to_plotly_json() if hasattr(value, "to_plotly_json") else value
    return len(json.dumps(value, cls=PlotlyJSONEncoder).encode())


def test_measure_patch_updates_values_without_geometry(dataset):
    layers = layers_or_skip(dataset)
    table = dataset.scores_table()
    patch = map_cb.as_patch(map_view.measure_ops(map_view.measure_update(dataset, "area:labour_market")))
    assert isinstance(patch, Patch)
    dumped = json.dumps(patch.to_plotly_json())
    assert "geojson" not in dumped and "coordinates" not in dumped
    assert "line" not in dumped and "size" not in dumped  # outlines belong to the selection, not the measure
    ops = _ops(patch)
    # locations change only on the no-score trace (the regions without a score for this measure)
    nodata = maps.nodata_trace_index(maps.trace_region_ids(table, layers.regions_geojson))
    assert [k for k in ops if "locations" in k] == [("data", nodata, "locations")]
    assert ops[("data", nodata, "locations")] == maps.nodata_ids(table, "area:labour_market", table.index)
    fig = maps.choropleth(table, "overall", layers, dataset.source_line)
    main_ids = list(fig.data[maps.TRACE_REGIONS].locations)
    z = ops[("data", maps.TRACE_REGIONS, "z")]
    assert z == pytest.approx(table.loc[main_ids, "area:labour_market"].round(2).tolist())
    assert ops[("data", maps.TRACE_INSET, "z")] == pytest.approx([round(table.loc["PT20", "area:labour_market"], 2)])
    assert "Labour market" in ops[("layout", "coloraxis", "colorbar", "title", "text")]
    assert ops[("layout", "meta")] == ["Labour market"]
    assert all("rank" in t or t == maps.NO_SCORE for t in ops[("data", maps.TRACE_REGIONS, "hovertext")])
    # the patched figure equals a freshly built one on every patched value
    fresh = maps.choropleth(table, "area:labour_market", layers, dataset.source_line, selected="ES64")
    assert list(fresh.data[maps.TRACE_REGIONS].z) == z
    assert list(fresh.data[maps.TRACE_REGIONS].hovertext) == ops[("data", maps.TRACE_REGIONS, "hovertext")]
    assert list(fresh.layout.meta) == ops[("layout", "meta")]
    small_ids = [c[0] for c in fresh.data[maps.TRACE_SMALL].customdata]
    assert ops[("data", maps.TRACE_SMALL, "marker", "color")] == pytest.approx(
        table.loc[small_ids, "area:labour_market"].round(2).tolist())


def test_selection_patch_outlines_only(dataset):
    layers = layers_or_skip(dataset)
    patch = map_cb.as_patch(map_view.selection_ops(map_view.selection_styles(dataset, "ES64")))
    ops = _ops(patch)
    dumped = json.dumps(patch.to_plotly_json())
    assert "geojson" not in dumped and "hovertext" not in dumped and '"z"' not in dumped
    fresh = maps.choropleth(dataset.scores_table(), "overall", layers, dataset.source_line, selected="ES64")
    small_ids = [c[0] for c in fresh.data[maps.TRACE_SMALL].customdata]
    sizes = dict(zip(small_ids, ops[("data", maps.TRACE_SMALL, "marker", "size")]))
    assert sizes["ES64"] > sizes["AT13"]
    assert ops[("data", maps.TRACE_REGIONS, "marker", "line")]["width"] == list(
        fresh.data[maps.TRACE_REGIONS].marker.line.width)


def test_change_measure_sends_little_and_no_panel(dataset):
    layers_or_skip(dataset)
    patch, rows, search, lines = map_cb.change_measure(dataset, "area:health", "PT20", 1)
    assert isinstance(patch, Patch)
    assert search == "?measure=area:health&region=PT20"
    scores = dataset.scores_table()["area:health"]
    meta = map_view.list_meta(dataset.scores_table())
    listed = [meta["ids"][pos] for pos, _, _ in rows]
    assert listed == sorted(listed, key=lambda r: (-scores[r], dataset.region_name(r)))
    assert [rank for _, rank, _ in rows] == list(range(1, 26))
    assert rows[0][2] == round(scores.max())
    assert len(lines) == 1 and "Health" in _text(html.P(lines[0])) and "Rank" in _text(html.P(lines[0]))
    # issue 12: at most 3 KB per measure change (here: every output, as plotly's encoder writes it)
    assert sum(_wire(v) for v in (patch, rows, search, lines)) <= 3_000
    # without a chosen region: no panel line, the URL without region
    patch, rows, search, lines = map_cb.change_measure(dataset, "nonsense", "XX99", 0)
    assert isinstance(patch, Patch) and search == "" and lines == []


def test_change_selection_sends_panel_outline_and_url(dataset):
    layers_or_skip(dataset)
    patch, side, search = map_cb.change_selection(dataset, "area:health", "PT20")
    assert "hovertext" not in json.dumps(patch.to_plotly_json())
    assert "Azores" in _text(side)
    assert "/region/PT20" in _hrefs(side) and "/lab?region=PT20" in _hrefs(side)
    assert "Health" in _text(_find(side, ids.map_panel_measure()))
    assert search == "?measure=area:health&region=PT20"
    patch, side, search = map_cb.change_selection(dataset, "overall", "XX99")
    assert "Choose a region" in _text(side) and search == ""


def test_region_list_data_and_browser_markup(dataset):
    table = dataset.scores_table()
    meta, rows = map_view.list_meta(table), map_view.list_rows(table, "area:health")
    assert meta["ids"] == list(table.index) and meta["names"] == table["name_en"].tolist()
    scores = table["area:health"]
    assert [rank for _, rank, _ in rows] == list(range(1, 26))
    assert [score for _, _, score in rows] == [round(scores[meta["ids"][p]]) for p, _, _ in rows]
    t = table.copy()
    t.loc["ITF3", "area:health"] = float("nan")
    last = map_view.list_rows(t, "area:health")[-1]
    assert meta["ids"][last[0]] == "ITF3" and last[1:] == [None, None]  # no score: last, no rank
    # the browser draws native buttons with the list classes, data-region and ARIA state, no ids
    script = (ASSETS / "30-map-list.js").read_text()
    for text in (f'item: "{region_panel.LIST_ITEM_CLASS}"', f'list: "{ids.MAP_REGION_LIST}"',
                 f'options: "{ids.MAP_SEARCH_OPTIONS}"', f'selected: "{ids.MAP_SELECTED}"', "data-region",
                 "aria-pressed", "aria-label", '" active"', 'createElement("button")', 'button.type = "button"',
                 "words.none", "words.score"):
        assert text in script, text
    # its words come from the server, in the page's language (tests/i18n/test_a_map.py: in Swedish)
    assert meta["words"] == {"none": "no score", "score": "{score} /100"}
    assert "no score" not in script and "/100" not in script
    assert ".id =" not in script
    # a selection change only marks the chosen region; anything else (mount, rows) draws the list
    assert f'"{ids.MAP_SELECTED}.data"' in map_cb.LIST_JS and "list.select(" in map_cb.LIST_JS


def test_changes_survive_missing_boundaries(dataset, monkeypatch):
    def missing(*a, **k):
        raise geo.GeoDataMissing("No GISCO boundary files found.")

    monkeypatch.setattr(geo, "map_layers", missing)
    map_view.UPDATES.clear()
    try:
        patch, rows, search, lines = map_cb.change_measure(dataset, "overall", "DE30", 1)
        assert patch is no_update and len(rows) == 25
        patch, side, search = map_cb.change_selection(dataset, "overall", "DE30")
        assert patch is no_update and "Berlin" in _text(side)
        fig, message = map_view.build_map(dataset, "overall")
        assert fig is None and "No GISCO boundary files" in message
        fig, message = map_view.page_figure(dataset, "overall")
        assert fig is None and "No GISCO boundary files" in message
    finally:
        map_view.UPDATES.clear()


def test_page_figure_names_geometry_by_url_and_is_cached(dataset):
    layers = layers_or_skip(dataset)
    fig, _ = map_view.page_figure(dataset, "area:health", "PT20")
    urls = geo.geojson_urls(layers)
    assert [t.get("geojson") for t in fig["data"] if t["type"] == "choropleth"] == \
        [urls["context"], urls["regions"], urls["regions"], urls["regions"]]
    assert "coordinates" not in json.dumps(fig)
    assert map_view.page_figure(dataset, "area:health", "PT20")[0] is fig  # cached per dataset and view
    assert map_view.page_figure(dataset, "area:health", None)[0] is not fig
    # a private workspace's figure is built, never kept
    assert map_view.page_figure(dataset, "target:BIP", "PT20", cache=False)[0] is not \
        map_view.page_figure(dataset, "target:BIP", "PT20", cache=False)[0]
    embedded, _ = map_view.build_map(dataset, "area:health", "PT20")  # exports embed the geometry
    assert isinstance(embedded.data[maps.TRACE_REGIONS].geojson, dict)


def test_bounded_cache_keeps_the_newest():
    cache = map_view.BoundedCache(2)
    for key in "abc":
        cache.get(key, lambda key=key: key.upper())
    assert len(cache) == 2
    calls = []
    assert cache.get("a", lambda: calls.append(1) or "A") == "A" and calls == [1]  # "a" was dropped


def test_graph_config_keeps_plotly_offline():
    config = map_cb.graph_config()
    assert config["topojsonURL"] == "/assets/topojson/"


# ------------------------------------------------------------------------------------------------
# Side panel, stats table, controls
# ------------------------------------------------------------------------------------------------

def test_region_panel_contents(dataset):
    side = region_panel.region_panel(dataset, "SE224", "area:health")
    text = _text(side)
    assert "Skåne" in text and "/100" in text and "Rank" in text
    assert "Health" in text
    graph = _find(side, ids.MAP_PANEL_RADAR)
    assert graph is not None and len(graph.figure.data) == 2
    assert "proxy" in text  # SE224 statistics come from the enclosing NUTS-2 unit SE22
    assert "SE22" in text
    assert set(_hrefs(side)) >= {"/region/SE224", "/lab?region=SE224"}


def test_stats_rows_units_years_sources_and_proxy(dataset):
    rows = stats_table.stats_rows(dataset.outcomes, "SE224", indicators=None)
    assert len(rows) == len(dataset.outcomes_for("SE224"))
    by = {r["indicator"]: r for r in rows}
    assert by["population"]["proxy"] is False and by["population"]["value"].endswith("persons")
    assert by["non_eu_citizens"]["proxy"] is True and by["non_eu_citizens"]["nuts_used"] == "SE22"
    assert by["unemployment_total"]["value"].endswith("% of labour force")
    assert by["unemployment_total"]["year"] == "2021" and by["unemployment_total"]["source"] == "lfst_r_lfu3rt"
    assert by["unemployment_total"]["illustrative"] is True
    assert "intermediate" in by["urban_rural_type"]["value"] or "urban" in by["urban_rural_type"]["value"]


def test_format_value():
    assert stats_table.format_value(1911000.0, "persons") == "1,911,000 persons"
    assert stats_table.format_value(8.6, "% of labour force") == "8.6 % of labour force"
    assert stats_table.format_value(float("nan"), "persons") == "not available"
    assert stats_table.format_value(None, "persons") == "not available"
    assert stats_table.format_value(1.0, "1 = urban", "urban_rural_type") == "1 (predominantly urban)"


def test_measure_options_cover_every_dimension_areas_first():
    opts = controls.measure_options()
    values = [o["value"] for o in opts if not o.get("disabled")]
    assert sorted(values) == sorted(scoring.DIMENSIONS) and len(values) == len(set(values))
    assert values[: 1 + len(scoring.AXES["area"])] == ["overall", *scoring.AXES["area"]]
    headings = [o for o in opts if o.get("disabled")]
    assert len(headings) == 4 and all(h["value"] not in scoring.DIMENSIONS for h in headings)
    assert query.parse_measure("phase:evaluation") == ("phase:evaluation", None)
    measure, note = query.parse_measure("__heading__:area")
    assert measure == "overall" and note


# ------------------------------------------------------------------------------------------------
# Region profile
# ------------------------------------------------------------------------------------------------

def test_region_position_within_country_and_overall(dataset):
    table = dataset.scores_table()
    azores = region_panel.region_position(table, "PT20")
    lisbon = region_panel.region_position(table, "PT17")
    assert azores["of"] == 25 and azores["country_of"] == 2
    assert lisbon["rank"] < azores["rank"]  # published fact: Lisbon above Azores
    assert (lisbon["country_rank"], azores["country_rank"]) == (1, 2)
    assert azores["score"] == pytest.approx(56, abs=0.5)  # published overall score of the Azores


def test_profile_layout_known_region(dataset):
    content, rid = region_cb.profile_layout(dataset, "pt20")
    assert rid == "PT20"
    text = _text(content)
    assert "Azores" in text and "56" in text and "advanced" in text
    assert "Rank" in text and "in Portugal" in text
    assert scoring.summary_sentence("Azores", dataset.wide_scores, "PT20") in text
    for axis in ("element", "phase", "area"):
        graph = _find(content, ids.region_radar(axis))
        assert graph is not None and len(graph.figure.data) == 2
    assert [t.type for t in _find(content, ids.REGION_TARGET_BARS).figure.data] == ["bar"] * 2
    strengths, weaknesses = scoring.strengths_weaknesses(dataset.wide_scores, "PT20")
    assert all(label in _text(_find(content, ids.REGION_STRENGTHS)) for label in strengths["label"])
    assert all(label in _text(_find(content, ids.REGION_WEAKNESSES)) for label in weaknesses["label"])
    similar = scoring.similar_regions(dataset.wide_scores, "PT20")["region_id"].tolist()
    hrefs = _hrefs(content)
    for other in similar:
        assert f"/region/{other}" in hrefs
        assert f"/compare?regions=PT20,{other}" in hrefs
    assert "/compare?regions=" + ",".join(["PT20", *similar]) in hrefs
    assert "/lab?region=PT20" in hrefs
    stats = _find(content, ids.REGION_STATS)
    # plain words on screen: the Eurostat codes and the NUTS unit are tooltips, the provenance is said once
    assert "demo_r_pjanaggr3" not in _text(stats) and "NUTS unit used" not in _text(stats)
    assert any("demo_r_pjanaggr3" in t and "NUTS unit PT20" in t for t in _titles(stats))
    assert _text(stats).count("Provenance:") == len({r["provenance"] for r in stats_table.stats_rows(
        dataset.outcomes, "PT20", stats_table.ALL_INDICATORS)})
    assert "/methodology#glossary" in _hrefs(stats)


def test_profile_layout_unknown_region_lists_all(dataset):
    content, rid = region_cb.profile_layout(dataset, "<script>XX99")
    assert rid is None
    assert content.id == ids.REGION_NOT_FOUND
    assert "not found" in _text(content).lower()
    links = [h for h in _hrefs(content) if h.startswith("/region/")]
    assert sorted(links) == sorted(f"/region/{r}" for r in dataset.regions["region_id"])


def test_region_path(dataset):
    assert region_cb.region_path("ES64", "PT20", dataset) == "/region/ES64"
    assert region_cb.region_path("PT20", "PT20", dataset) is no_update
    assert region_cb.region_path("XX", "PT20", dataset) is no_update
    assert region_cb.region_path(None, "PT20", dataset) is no_update


# ------------------------------------------------------------------------------------------------
# Page layouts read the URL and ignore unknown keys
# ------------------------------------------------------------------------------------------------

def test_home_layout_reads_query_and_ignores_unknown_keys(app):
    home = page_module("/")
    page = home.layout(measure="area:health", region="ES64", utm_source="mail")
    assert _find(page, ids.MAP_MEASURE).value == "area:health"
    assert _find(page, ids.MAP_SELECTED).data == "ES64"
    assert "Melilla" in _text(_find(page, ids.MAP_PANEL))
    assert _text(_find(page, ids.MAP_NOTE)) == ""
    graph = _find(page, ids.MAP_GRAPH)
    assert graph.config["topojsonURL"].endswith("/assets/topojson/")
    assert geo.CREDIT in _text(page)
    assert _text(_find(page, ids.MAP_HEADING)) == "Migrant integration governance in 25 European regions"
    rows, meta = _find(page, ids.MAP_LIST_ROWS).data, _find(page, ids.MAP_LIST_META).data
    assert len(rows) == 25 and len(meta["ids"]) == 25  # the list is drawn in the browser from these
    assert _find(page, ids.MAP_REGION_LIST).children is None


def test_home_layout_bad_values_show_a_note(app):
    home = page_module("/")
    page = home.layout(measure="area:astrology", region="XX99")
    assert _find(page, ids.MAP_MEASURE).value == "overall"
    assert _find(page, ids.MAP_SELECTED).data == ""  # not None: a memory Store resets None on mount
    note = _text(_find(page, ids.MAP_NOTE))
    assert "area:astrology" in note and "XX99" in note


def test_region_page_layout(app):
    region = page_module("/region/<region_id>")
    page = region.layout(region_id="ES64", extra="ignored")
    assert _find(page, ids.REGION_SELECT).value == "ES64"
    assert "Melilla" in _text(_find(page, ids.REGION_HEADER))
    missing = region.layout(region_id="nowhere")
    assert _find(missing, ids.REGION_NOT_FOUND) is not None
    assert region._title(region_id="es64").startswith("Melilla")
    assert region._title(region_id="nowhere") == "Region profile — MIPEX-R Explorer"


def test_profile_charts_have_text_alternatives_and_a_score_table(dataset):
    """Every chart of the profile sits in a <figure> whose <figcaption> sums it up; the element axis (three
    spokes) is bars, not a triangle; the score table gives every dimension beside the average (issue 14)."""
    from dashboard.figures import profile

    content, _ = region_cb.profile_layout(dataset, "PT20")
    figures = [n for n in _walk(content) if isinstance(n, html.Figure)]
    graph_ids = {c.id for f in figures for c in _walk(f) if isinstance(getattr(c, "id", None), str)}
    for gid in [ids.region_radar(a) for a in profile.PROFILE_RADAR_AXES] + [ids.REGION_TARGET_BARS]:
        assert gid in graph_ids, f"{gid} has no <figure>"
        caption = _find(content, ids.chart_text(gid))
        assert isinstance(caption, html.Figcaption) and "scores from 0 to 100" in _text(caption)
    assert {t.type for t in _find(content, ids.region_radar("element")).figure.data} == {"bar"}
    table = _find(content, ids.REGION_SCORE_TABLE)
    text = _text(table)
    for d in scoring.DIMENSIONS:
        assert scoring.dimension_label(d) in text
    assert f"{dataset.wide_scores.at['PT20', 'area:health']:.0f}" in text
    assert "Average" in text and all(g in text for g in ("Overall", "Policy areas", "Target population"))
    groups = [n for n in _walk(table) if isinstance(n, html.Th) and getattr(n, "scope", None) == "colgroup"]
    assert [g.children for g in groups] == ["Overall", *scoring.AXIS_LABELS.values()]
    summary = _find(content, ids.REGION_SUMMARY)
    assert "lead" not in (summary.className or "").split(), "Bootstrap's .lead is font weight 300: pale"


def test_keep_size_keeps_the_chosen_export_size_in_the_map_query():
    from dashboard.callbacks.map import keep_size

    assert keep_size("?measure=area:health", "?measure=overall&size=a4") == "?measure=area:health&size=a4"
    assert keep_size("", "?size=a4") == "?size=a4"
    assert keep_size("?region=PT20", "?size=slide") == "?region=PT20"      # the default size is never written
    assert keep_size("?region=PT20", "?size=huge") == "?region=PT20"       # nor an unknown one
    assert keep_size("?region=PT20", None) == "?region=PT20"
