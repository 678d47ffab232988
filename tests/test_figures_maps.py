"""figures.maps: the choropleth of the regions (pure function on DataFrame + map layers): insets only
where a region needs one, a frame that follows the regions, regions without a boundary named."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import geo, scoring
from dashboard.constants import ILLUSTRATIVE_MARK, MAP_CREDIT
from dashboard.figures import maps

#: Small on the GISCO layers (longest side under 1°): Vienna, Berlin, Melilla, Vorarlberg, Lisbon.
SMALL = {"AT13", "DE30", "ES64", "AT34", "PT17"}
WEST = {"PT20"}


@dataclass
class FakeLayers:
    regions_geojson: dict
    context_geojson: dict
    label_points: pd.DataFrame
    bounds: tuple = (-30.0, 35.0, 20.0, 60.0)
    credit: str = geo.CREDIT
    missing: dict = field(default_factory=dict)


def _square(fid: str, lon: float, lat: float, size: float) -> dict:
    ring = [[lon, lat], [lon, lat + size], [lon + size, lat + size], [lon + size, lat], [lon, lat]]
    return {"type": "Feature", "id": fid, "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


@pytest.fixture(scope="module")
def fake_layers(dataset):
    """Squares standing in for the boundaries: three small regions, the Azores far west."""
    feats, points = [], []
    for i, rid in enumerate(dataset.regions["region_id"]):
        size = 0.2 if rid in SMALL else 1.0
        lon = -28.0 if rid in WEST else -8.0 + i
        lat = 38.0 if rid in WEST else 40.0 + (i % 5)
        feats.append(_square(rid, lon, lat, size))
        points.append((rid, lon + size / 2, lat + size / 2))
    context = {"type": "FeatureCollection", "features": [_square("FR", -4, 43, 8), _square("MA", -8, 30, 6)]}
    return FakeLayers({"type": "FeatureCollection", "features": feats}, context,
                      pd.DataFrame(points, columns=["region_id", "lon", "lat"]))


@pytest.fixture(scope="module")
def table(dataset):
    return dataset.scores_table()


@pytest.fixture(scope="module")
def fig(table, fake_layers, dataset):
    return maps.choropleth(table, "area:health", fake_layers, dataset.source_line, selected="ES51")


def test_trace_types_and_subplots(fig):
    assert [t.type for t in fig.data] == ["choropleth", "choropleth", "scattergeo", "choropleth", "choropleth"]
    assert [t.geo for t in fig.data] == ["geo", "geo", "geo", "geo2", "geo"]  # the last: regions with no score
    for t in (fig.data[maps.TRACE_CONTEXT], fig.data[maps.TRACE_REGIONS], fig.data[maps.TRACE_INSET]):
        assert t.featureidkey == "id"
        assert t.geojson is not None


def test_all_regions_present_with_their_scores(fig, table, dataset):
    main = fig.data[maps.TRACE_REGIONS]
    assert sorted(main.locations) == sorted(dataset.regions["region_id"])
    assert len(main.locations) == 25
    geo_ids = {f["id"] for f in main.geojson["features"]}
    assert set(main.locations) <= geo_ids
    for rid, z in zip(main.locations, main.z):
        assert z == pytest.approx(table.loc[rid, "area:health"], abs=0.01)


@pytest.mark.parametrize("measure", ["overall", "element:resources", "phase:evaluation", "target:BIP"])
def test_z_follows_the_measure(table, fake_layers, dataset, measure):
    fig = maps.choropleth(table, measure, fake_layers, dataset.source_line)
    main = fig.data[maps.TRACE_REGIONS]
    expected = table.loc[list(main.locations), measure].round(2).tolist()
    assert list(main.z) == pytest.approx(expected)
    assert scoring.dimension_label(measure) in fig.layout.coloraxis.colorbar.title.text
    assert scoring.dimension_label(measure) in fig.layout.title.text


def test_hover_has_name_country_score_and_rank(fig, table):
    main = fig.data[maps.TRACE_REGIONS]
    ranks = scoring.ranks(table, "area:health")
    # name and country never change (customdata); the measure's name is the layout's meta; only the
    # score and rank (hovertext) change with the measure
    assert main.hovertemplate == maps.HOVERTEMPLATE
    assert "%{meta[0]}" in maps.HOVERTEMPLATE and "%{customdata[1]}" in maps.HOVERTEMPLATE
    assert list(fig.layout.meta) == ["Health"]
    for rid, custom, text in zip(main.locations, main.customdata, main.hovertext):
        row = table.loc[rid]
        assert custom[0] == rid and row["name_en"] in custom[1] and custom[2] == row["country_name"]
        assert text == f"{row['area:health']:.0f}, rank {int(ranks.loc[rid])} of 25"


def test_hover_names_the_group_of_the_overall_score(fig, table):
    main = fig.data[maps.TRACE_REGIONS]  # a Health map: the group is still the overall score's
    assert "%{customdata[3]}" in maps.HOVERTEMPLATE
    for rid, custom in zip(main.locations, main.customdata):
        assert custom[3] == f"Group (overall score): {scoring.group_of(table.loc[rid, 'overall'])}"


def test_colour_scale_fitted_to_the_data_and_legend(fig, table, fake_layers):
    ca = fig.layout.coloraxis
    health = table["area:health"]
    assert ca.cmin <= health.min() and health.max() <= ca.cmax  # every score inside the domain…
    assert ca.cmin > health.min() - maps.DOMAIN_STEP and ca.cmax < health.max() + maps.DOMAIN_STEP  # …and no wider
    assert ca.colorbar.title.text == "Health score (0–100)"
    assert ca.colorbar.orientation in (None, "v")  # exports (the default): beside the map
    assert ca.showscale is not False and any(a.name == "nodata-swatch" for a in fig.layout.annotations)
    # the page: no colour bar or swatch in the figure (its HTML legend reads them from the colour axis), ticks as
    # on a horizontal bar (the groups on a second line)
    page = maps.choropleth(table, "overall", fake_layers, "", html_legend=True)
    assert page.layout.coloraxis.showscale is False
    assert not any(a.name == "nodata-swatch" for a in page.layout.annotations)
    assert page.layout.coloraxis.colorbar.title.text == "Overall score (0–100)"
    assert any(t.startswith("<br><b>") for t in page.layout.coloraxis.colorbar.ticktext)
    # colour-blind-safe, no red/green, and no grey along it (the context countries are grey)
    assert ca.colorscale == go.layout.Coloraxis(colorscale="Viridis").colorscale
    # every data trace uses the shared colour axis, so the inset and the markers match the map
    assert fig.data[maps.TRACE_REGIONS].coloraxis == "coloraxis"
    assert fig.data[maps.TRACE_INSET].coloraxis == "coloraxis"
    assert fig.data[maps.TRACE_SMALL].marker.coloraxis == "coloraxis"


def test_credit_and_illustrative_mark(fig):
    texts = [a.text for a in fig.layout.annotations]
    joined = " ".join(t.replace("<br>", " ") for t in texts)
    assert MAP_CREDIT in joined
    assert ILLUSTRATIVE_MARK in joined


def test_no_illustrative_mark_for_real_data(table, fake_layers):
    fig = maps.choropleth(table, "overall", fake_layers, "Source: published MIPEX-R results. Scale 0–100.")
    joined = " ".join(a.text for a in fig.layout.annotations)
    assert "ILLUSTRATIVE" not in joined
    assert MAP_CREDIT in joined


def test_framing_is_fixed_and_west_region_in_inset(fig):
    g = fig.layout.geo
    assert g.fitbounds is False
    assert not any([g.showland, g.showocean, g.showcountries, g.showcoastlines, g.showlakes, g.showrivers])
    inset = fig.data[maps.TRACE_INSET]
    assert list(inset.locations) == ["PT20"]
    assert [f["id"] for f in inset.geojson["features"]] == ["PT20"]
    assert fig.layout.geo2.lonaxis.range[0] < -28 < fig.layout.geo2.lonaxis.range[1]
    # explicit domains: without them plotly.js shrinks the main map when a second geo exists
    assert list(g.domain.x) == maps.MAIN_DOMAIN["x"]
    assert any("inset" in (a.text or "") for a in fig.layout.annotations)


def test_small_regions_get_labelled_clickable_markers(fig, table):
    small = fig.data[maps.TRACE_SMALL]
    small_ids = [c[0] for c in small.customdata]  # a marker click reports customdata[0]
    assert set(small_ids) == SMALL
    assert set(small.text) == {table.loc[r, "name_en"] for r in SMALL}
    assert list(small.marker.color) == pytest.approx(table.loc[small_ids, "area:health"].round(2).tolist())


def test_selected_region_is_outlined(fig):
    main = fig.data[maps.TRACE_REGIONS]
    widths = dict(zip(main.locations, main.marker.line.width))
    assert widths["ES51"] > max(w for r, w in widths.items() if r != "ES51")


def test_missing_score_shows_no_score(table, fake_layers, dataset):
    t = table.copy()
    t.loc["ITF3", "area:health"] = float("nan")
    fig = maps.choropleth(t, "area:health", fake_layers, dataset.source_line)
    main = fig.data[maps.TRACE_REGIONS]
    i = list(main.locations).index("ITF3")
    assert main.z[i] is None
    assert "no score" in main.hovertext[i]
    assert "of 24" in main.hovertext[0 if i else 1]


def test_unknown_measure_raises(table, fake_layers, dataset):
    with pytest.raises(KeyError):
        maps.choropleth(table, "area:nonsense", fake_layers, dataset.source_line)


def _real_layers(regions):
    try:
        return geo.map_layers(regions)
    except geo.GeoDataMissing as exc:
        pytest.skip(f"boundary files not available: {exc}")


def _layout_keys(fig: go.Figure) -> set[str]:
    return set(fig.to_plotly_json()["layout"])


def test_real_boundaries_framing(table, dataset):
    """On the GISCO layers: Melilla, Vienna, Berlin, Vorarlberg and Lisbon are the small ones; the Azores go to
    the inset; the frame is fitted to the other 24 (no empty Eastern Europe or North Africa)."""
    layers = _real_layers(dataset.regions)
    assert set(maps.small_region_ids(layers.regions_geojson)) == SMALL
    assert maps.inset_region_ids(layers.regions_geojson) == ["PT20"]
    fig = maps.choropleth(table, "overall", layers, dataset.source_line)
    lon0, lon1 = maps.MAIN_LON_RANGE
    lat0, lat1 = maps.MAIN_LAT_RANGE
    for feat in layers.regions_geojson["features"]:
        if feat["id"] == "PT20":
            continue
        x0, y0, x1, y1 = maps.feature_bounds(feat)
        assert lon0 <= x0 and x1 <= lon1 and lat0 <= y0 and y1 <= lat1, feat["id"]
    assert len(fig.data[maps.TRACE_REGIONS].locations) == 25
    lon0, lon1 = fig.layout.geo.lonaxis.range
    lat0, lat1 = fig.layout.geo.lataxis.range
    assert lon1 < 20 and lat0 > 34.5  # Apulia is the easternmost, Melilla the southernmost
    assert lon1 - lon0 < 0.85 * (maps.MAIN_LON_RANGE[1] - maps.MAIN_LON_RANGE[0])
    assert [t.geo for t in fig.data] == ["geo", "geo", "geo", "geo2", "geo"]


# ---------------------------------------------------------------------------------------------
# Insets only where a region needs one
# ---------------------------------------------------------------------------------------------

def test_no_inset_without_an_outlying_region(table, fake_layers, dataset):
    """Without the Azores: no inset trace, no second geo subplot (plotly would draw its default world
    map over the main map), no inset label; the main map takes the whole width."""
    feats = [f for f in fake_layers.regions_geojson["features"] if f["id"] not in WEST]
    layers = dataclasses.replace(fake_layers, regions_geojson={"type": "FeatureCollection", "features": feats})
    t = table.drop(index=list(WEST))
    fig = maps.choropleth(t, "overall", layers, dataset.source_line)
    assert [t.type for t in fig.data] == ["choropleth", "choropleth", "scattergeo", "choropleth"]
    assert {t.geo for t in fig.data} == {"geo"}
    assert not any(k.startswith("geo") and k != "geo" for k in _layout_keys(fig))
    assert not any("inset" in (a.text or "") for a in fig.layout.annotations)
    assert list(fig.layout.geo.domain.x) == maps.FULL_DOMAIN["x"]
    assert sorted(maps.trace_region_ids(t, layers.regions_geojson)) == [maps.TRACE_REGIONS, maps.TRACE_SMALL]


def test_no_inset_on_real_boundaries_without_the_azores(dataset):
    regions = dataset.regions[dataset.regions["region_id"] != "PT20"]
    layers = _real_layers(regions)
    t = dataset.scores_table().drop(index="PT20")
    fig = maps.choropleth(t, "overall", layers, dataset.source_line)
    assert len(fig.data) == 4 and {t.geo for t in fig.data} == {"geo"}
    assert "geo2" not in _layout_keys(fig)
    assert len(fig.data[maps.TRACE_REGIONS].locations) == 24


def _fake(ids_boxes: dict[str, tuple[float, float, float]], table: pd.DataFrame) -> tuple[FakeLayers, pd.DataFrame]:
    """Fake layers of squares (id -> lon, lat, size) and the scores table with its first rows renamed to the ids."""
    feats = [_square(rid, lon, lat, size) for rid, (lon, lat, size) in ids_boxes.items()]
    points = [(rid, lon + size / 2, lat + size / 2) for rid, (lon, lat, size) in ids_boxes.items()]
    t = table.iloc[: len(ids_boxes)].copy()
    t.index = pd.Index(list(ids_boxes), name="region_id")
    layers = FakeLayers({"type": "FeatureCollection", "features": feats},
                        {"type": "FeatureCollection", "features": [_square("FR", -4, 43, 8)]},
                        pd.DataFrame(points, columns=["region_id", "lon", "lat"]))
    return layers, t


def test_outlying_regions_grouped_into_insets(table, dataset):
    """Azores and Madeira share an inset; Réunion gets its own; every inset trace is on its own geo."""
    layers, t = _fake({"FR10": (2.0, 48.0, 1.0), "PT20": (-31.0, 37.0, 5.9), "PT30": (-17.0, 32.5, 0.6),
                       "FRY4": (55.2, -21.4, 0.6), "ES51": (1.0, 41.0, 1.0)}, table)
    assert maps.inset_groups(layers.regions_geojson) == [["PT20", "PT30"], ["FRY4"]]
    fig = maps.choropleth(t, "overall", layers, dataset.source_line, selected="FRY4")
    assert [tr.geo for tr in fig.data] == ["geo", "geo", "geo", "geo2", "geo3", "geo"]
    assert list(fig.data[maps.TRACE_INSET].locations) == ["PT20", "PT30"]
    assert list(fig.data[maps.TRACE_INSET + 1].locations) == ["FRY4"]
    assert fig.layout.geo3.lonaxis.range[0] < 55.2 < fig.layout.geo3.lonaxis.range[1]
    top, below = fig.layout.geo2.domain.y, fig.layout.geo3.domain.y
    assert below[1] < top[0] and top[1] <= 1.0 and below[0] >= 0  # stacked, not overlapping
    assert list(fig.layout.geo.domain.x) == maps.MAIN_DOMAIN["x"]
    assert sum("(inset)" in (a.text or "") for a in fig.layout.annotations) == 2
    # the Patch contract: trace_region_ids names exactly the traces and regions of the figure
    per_trace = maps.trace_region_ids(t, layers.regions_geojson)
    assert sorted(per_trace) == [1, 2, 3, 4]
    for index, ids in per_trace.items():
        assert [c[0] for c in fig.data[index].customdata] == ids, index
    # the main frame ignores the outlying regions: fitted to FR10 and ES51 (at least MIN_FRAME_DEG across)
    lon0, lon1 = fig.layout.geo.lonaxis.range
    assert lon0 > -5 and lon1 < 8 and lon1 - lon0 >= maps.MIN_FRAME_DEG


def test_main_frame_fitted_to_the_regions(table, dataset):
    layers, t = _fake({"FI1D7": (20.5, 65.6, 4.0), "CY000": (32.3, 35.0, 1.0), "FR10": (2.0, 48.0, 1.0)}, table)
    fig = maps.choropleth(t, "overall", layers, dataset.source_line)
    lon0, lon1 = fig.layout.geo.lonaxis.range
    lat0, lat1 = fig.layout.geo.lataxis.range
    assert lat1 >= 69.6 and lon1 >= 33.3  # Lapland and Cyprus inside the frame
    assert lon0 == pytest.approx(2.0 - maps.FRAME_MARGIN_DEG) and lat0 == pytest.approx(35.0 - maps.FRAME_MARGIN_DEG)
    assert lat1 <= maps.MAIN_BBOX[3] and lon1 <= maps.MAIN_BBOX[2]
    assert len(fig.data) == 4  # nothing outlying, no inset (the last trace: regions with no score)


def test_many_small_regions_are_markers_without_labels(table, dataset):
    boxes = {f"XX{i:02d}": (0.5 * i, 45.0, 0.1) for i in range(maps.MAX_LABELS + 1)}
    layers, t = _fake(boxes, table)
    small = maps.choropleth(t, "overall", layers, dataset.source_line).data[maps.TRACE_SMALL]
    assert len(small.customdata) == maps.MAX_LABELS + 1
    assert small.mode == "markers" and small.text is None


# ---------------------------------------------------------------------------------------------
# Regions other than the 25, and regions without a boundary
# ---------------------------------------------------------------------------------------------

def _renamed(dataset, old: str, new: str, name: str, country: str):
    """The embedded dataset with region ``old`` replaced by ``new`` (same scores)."""
    regions = dataset.regions.copy()
    row = regions["region_id"] == old
    columns = ["region_id", "name_en", "name_local", "country", "nuts2024_ids"]
    regions.loc[row, columns] = [new, name, name, country, new]
    scores = dataset.scores.copy()
    scores.loc[scores["region_id"] == old, "region_id"] = new
    return dataclasses.replace(dataset, regions=regions, scores=scores)


def test_region_outside_the_25_is_drawn(dataset):
    """A dataset with Île-de-France (FR10, NUTS-2, not one of the 25): the map page's figure draws it."""
    from dashboard.views import map as map_cb

    _real_layers(dataset.regions)
    other = _renamed(dataset, "ES22", "FR10", "Île-de-France", "FR")
    fig, message = map_cb.build_map(other, "overall")
    assert message is None
    main = fig.data[maps.TRACE_REGIONS]
    assert "FR10" in main.locations and "ES22" not in main.locations and len(main.locations) == 25
    feature = next(f for f in main.geojson["features"] if f["id"] == "FR10")
    x0, y0, x1, y1 = maps.feature_bounds(feature)
    assert 1.4 < x0 < x1 < 3.6 and 48.1 < y0 < y1 < 49.3  # Paris region
    assert not any(a.name == "missing-note" for a in fig.layout.annotations)


def test_unknown_region_is_named_on_the_map(dataset):
    """An id the boundary files lack is drawn nowhere but named in a note on the map (and its export)."""
    from dashboard.views import map as map_cb

    _real_layers(dataset.regions)
    other = _renamed(dataset, "ES22", "XX99", "Utopia", "XX")
    layers = geo.map_layers(other.regions)
    assert set(layers.missing) == {"XX99"}
    fig, message = map_cb.build_map(other, "overall")
    assert message is None
    assert "XX99" not in fig.data[maps.TRACE_REGIONS].locations and len(fig.data[maps.TRACE_REGIONS].locations) == 24
    notes = [a.text for a in fig.layout.annotations if a.name == "missing-note"]
    assert len(notes) == 1 and "Utopia (XX99)" in notes[0] and "not on the map" in notes[0]


def test_missing_note_wording(table):
    assert maps.missing_note({}) == ""
    assert maps.missing_note({"XX99": "r"}) == "1 region is not on the map (no boundary found): XX99."
    t = table.rename(index={"ES22": "XX99"})
    many = {"XX99": "r", **{f"ZZ{i}": "r" for i in range(5)}}
    note = maps.missing_note(many, t)
    assert note.startswith("6 regions are not on the map") and "Navarre (XX99)" in note and "and 2 more" in note


def test_no_region_with_a_boundary_still_draws(table, fake_layers, dataset):
    """Every region missing from the boundary files: an empty map with the note, no error."""
    layers = dataclasses.replace(
        fake_layers, regions_geojson={"type": "FeatureCollection", "features": []},
        label_points=pd.DataFrame(columns=["region_id", "lon", "lat"]),
        missing={rid: "not found" for rid in table.index})
    fig = maps.choropleth(table, "overall", layers, dataset.source_line)
    assert len(fig.data) == 4 and list(fig.data[maps.TRACE_REGIONS].locations) == []
    note = next(a.text for a in fig.layout.annotations if a.name == "missing-note")
    assert note.startswith("25 regions are not on the map")
