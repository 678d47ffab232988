"""Tests for dashboard.geo: folder resolution, the layer built from the dataset's regions (any NUTS level,
unknown codes reported), simplification, map layers, fetch-geo."""

from __future__ import annotations

import ast
import functools
import http.server
import json
import threading
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from dashboard import config, geo
from tests.source import parse

SHARED = Path(config.SHARED_GEO_DIR)
needs_shared = pytest.mark.skipif(
    not all((SHARED / f).is_file() for f in geo.REQUIRED_FILES),
    reason=f"GISCO reference files not found in {SHARED}")

LAEA = "EPSG:3035"  # equal-area projection for area comparisons


@pytest.fixture(scope="module")
def regions(dataset):
    """The embedded dataset's regions table (25 regions at NUTS levels 1-3; PT17 = PT1A;PT1B in 2024)."""
    return dataset.regions[["region_id", "nuts_level", "nuts2024_ids"]]


@pytest.fixture(scope="module")
def pairs(dataset):
    """The same regions as (code, level) pairs, without their NUTS 2024 codes."""
    return list(zip(dataset.regions["region_id"], dataset.regions["nuts_level"]))


@pytest.fixture(autouse=True)
def _fresh_cache():
    geo.clear_cache()
    yield
    geo.clear_cache()


@pytest.fixture
def paths(tmp_path, monkeypatch):
    """Project and shared geo folders pointed at empty tmp folders; no MIPEXR_GEO_DIR."""
    project, shared = tmp_path / "project_geo", tmp_path / "shared_geo"
    project.mkdir()
    shared.mkdir()
    (project / "README.md").write_text("not a boundary file\n")
    monkeypatch.setattr(config, "PROJECT_GEO_DIR", project)
    monkeypatch.setattr(config, "SHARED_GEO_DIR", shared)
    monkeypatch.delenv(geo.ENV_VAR, raising=False)
    return project, shared


def _fill(folder: Path) -> None:
    for name in geo.REQUIRED_FILES:
        (folder / name).write_text('{"type":"FeatureCollection","features":[]}')


# --------------------------------------------------------------------------------------------
# resolution
# --------------------------------------------------------------------------------------------

def test_resolution_order(paths, tmp_path, monkeypatch):
    project, shared = paths
    _fill(shared)
    assert geo.resolve_geo_dir() == shared
    _fill(project)
    assert geo.resolve_geo_dir() == project
    custom = tmp_path / "custom"
    custom.mkdir()
    (custom / "anything.geojson").write_text("{}")
    monkeypatch.setenv(geo.ENV_VAR, str(custom))
    assert geo.resolve_geo_dir() == custom


def test_project_folder_needs_all_files(paths):
    project, shared = paths
    _fill(shared)
    (project / geo.REQUIRED_FILES[0]).write_text("{}")  # only one of the needed files
    assert geo.resolve_geo_dir() == shared


def test_missing_everywhere_lists_three_options(paths):
    with pytest.raises(geo.GeoDataMissing) as err:
        geo.resolve_geo_dir()
    msg = str(err.value)
    assert "MIPEXR_GEO_DIR" in msg
    assert "python -m dashboard fetch-geo" in msg
    assert "../shared/geo" in msg and str(config.SHARED_GEO_DIR) in msg


@pytest.mark.parametrize("kind", ["missing", "empty"])
def test_env_var_set_but_unusable_is_named(paths, tmp_path, monkeypatch, kind):
    project, shared = paths
    _fill(shared)  # a usable fallback exists, but an explicit setting must not be ignored
    folder = tmp_path / "nowhere"
    if kind == "empty":
        folder.mkdir()
    monkeypatch.setenv(geo.ENV_VAR, str(folder))
    with pytest.raises(geo.GeoDataMissing) as err:
        geo.resolve_geo_dir()
    msg = str(err.value)
    assert "MIPEXR_GEO_DIR" in msg and str(folder) in msg
    assert {"missing": "does not exist", "empty": "is empty"}[kind] in msg
    assert "fetch-geo" in msg


def test_missing_file_in_folder_is_named(tmp_path):
    with pytest.raises(geo.GeoDataMissing, match="gisco_nuts_2021_20M_4326_level2.geojson"):
        geo.region_layer([("AT13", 2)], geo_dir=tmp_path)


# --------------------------------------------------------------------------------------------
# region layer
# --------------------------------------------------------------------------------------------

def test_dataset_regions_match_shared_table(dataset, pairs):
    """The embedded dataset's ids, levels and NUTS 2024 codes are those of the shared lookup table,
    and NUTS2024_IDS (used when a region comes without NUTS 2024 codes) agrees with it."""
    codes_csv = SHARED / "mipexr25_nuts_codes.csv"
    if not codes_csv.is_file():
        pytest.skip("mipexr25_nuts_codes.csv not present")
    codes = pd.read_csv(codes_csv)
    assert set(pairs) == set(zip(codes["nuts2021_id"], codes["nuts_level"]))
    assert len(pairs) == 25
    ours = dict(zip(dataset.regions["region_id"], dataset.regions["nuts2024_ids"].str.split(";").map(tuple)))
    assert ours == {r: tuple(v.split("+")) for r, v in zip(codes["nuts2021_id"], codes["nuts2024_id"])}
    changed = codes[codes["nuts2024_id"] != codes["nuts2021_id"]]
    assert {r: tuple(v.split("+")) for r, v in zip(changed["nuts2021_id"], changed["nuts2024_id"])} \
        == geo.NUTS2024_IDS


def test_no_hard_coded_region_list(pairs):
    """The map layer comes from the dataset: no list of the 25 regions is left in the geo package
    (a docstring may name a few as examples)."""
    assert not hasattr(geo, "DEFAULT_REGIONS")
    ids = {r for r, _ in pairs}
    in_code = set()
    for path in Path(geo.__file__).parent.glob("*.py"):
        tree = parse(path)
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(node)}
        in_code |= {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
                    and node.value in ids and id(node) not in docstrings}
    assert len(in_code) < 5, sorted(in_code)  # examples in messages and NUTS2024_IDS only


@needs_shared
def test_region_layer_25_regions_valid_at_their_levels(regions, pairs):
    layer = geo.region_layer(regions, geo_dir=SHARED)
    assert list(layer.columns) == ["region_id", "nuts_id", "geometry"]
    assert layer.crs.to_epsg() == 4326
    assert list(layer["region_id"]) == [r for r, _ in pairs]
    assert (layer["region_id"] == layer["nuts_id"]).all()
    assert layer.geometry.is_valid.all() and not layer.geometry.is_empty.any()
    assert set(layer.geom_type) <= {"Polygon", "MultiPolygon"}
    levels = dict(pairs)
    assert {r for r, lv in levels.items() if lv == 1} == {"BE2", "BE3", "DE2"}
    assert {r for r, lv in levels.items() if lv == 3} == {"SE224", "SE232"}
    # each geometry is the one of that code in that level's GISCO file
    for level in (1, 2, 3):
        src = gpd.read_file(SHARED / geo.nuts_file(2021, level)).set_index("NUTS_ID")
        for rid in [r for r, lv in pairs if lv == level]:
            got = layer.set_index("region_id").geometry[rid]
            assert got.equals(src.geometry[rid]), rid


@needs_shared
def test_region_layer_matches_ready_cut_file(regions, pairs):
    ready_cut = SHARED / "mipexr25_nuts2021_20M_4326_mixedlevels.geojson"
    if not ready_cut.is_file():
        pytest.skip("ready-cut cross-check file not present")
    ours = geo.region_layer(regions, geo_dir=SHARED).set_index("region_id").to_crs(LAEA)
    ref = gpd.read_file(ready_cut).set_index("mipex_id").to_crs(LAEA)
    assert set(ours.index) == set(ref.index)
    for rid in ours.index:
        assert ours.geometry[rid].area == pytest.approx(ref.geometry[rid].area, rel=1e-6), rid
        assert ours.geometry[rid].symmetric_difference(ref.geometry[rid]).area < 1e-6 * \
            ref.geometry[rid].area + 1.0, rid
    levels = dict(zip(ref.index, ref["LEVL_CODE"]))
    assert levels == dict(pairs)


@needs_shared
def test_vintage_2024_dissolves_lisbon(regions, pairs):
    old = geo.region_layer(regions, geo_dir=SHARED).set_index("region_id").to_crs(LAEA)
    new = geo.region_layer(regions, vintage=2024, geo_dir=SHARED)
    # pairs without NUTS 2024 codes give the same layer (NUTS2024_IDS knows PT17's parts)
    assert geo.region_layer(pairs, vintage=2024, geo_dir=SHARED).geom_equals(new).all()
    assert len(new) == 25 and new["region_id"].is_unique
    pt17 = new[new["region_id"] == "PT17"]
    assert len(pt17) == 1 and pt17["nuts_id"].iloc[0] == "PT1A;PT1B"
    assert pt17.geometry.iloc[0].is_valid
    new = new.set_index("region_id").to_crs(LAEA)
    parts = gpd.read_file(SHARED / geo.nuts_file(2024, 2)).set_index("NUTS_ID").to_crs(LAEA)
    lisbon, lisbon_2021 = new.geometry["PT17"], old.geometry["PT17"]
    # the union is exactly PT1A + PT1B
    assert lisbon.area == pytest.approx(parts.geometry[["PT1A", "PT1B"]].area.sum(), rel=1e-6)
    # Same territory, different 1:20M generalisation: the 2021 polygon includes ~415 km² of the
    # Tagus estuary the 2024 one leaves out (see the geo module docstring). So: the 2024 union
    # lies inside the 2021 PT17 (98 %), and its area is 88 % of it (within 15 %).
    assert lisbon.intersection(lisbon_2021).area / lisbon.area > 0.97
    assert lisbon.area == pytest.approx(lisbon_2021.area, rel=0.15)
    # the other regions agree between the vintages' files within a few %
    others = [r for r, _ in pairs if r != "PT17"]
    ratio = new.geometry[others].area / old.geometry[others].area
    assert ratio.between(0.88, 1.08).all(), ratio.sort_values()
    assert (ratio.drop(["ES64", "PT20", "AT13"]) - 1).abs().max() < 0.04


@needs_shared
def test_region_layer_cross_check_2024_ready_cut(regions):
    ready_cut = SHARED / "mipexr25_nuts2024_20M_4326_mixedlevels.geojson"
    if not ready_cut.is_file():
        pytest.skip("ready-cut cross-check file not present")
    ref = gpd.read_file(ready_cut).to_crs(LAEA)
    ref_area = ref.assign(a=ref.area).groupby("mipex_id")["a"].sum()
    ours = geo.region_layer(regions, vintage=2024, geo_dir=SHARED).to_crs(LAEA)
    ours_area = pd.Series(ours.area.to_numpy(), index=ours["region_id"])
    pd.testing.assert_series_equal(ours_area.sort_index(), ref_area.sort_index(),
                                   check_names=False, rtol=1e-6)


@needs_shared
def test_custom_regions_and_dataframe_input():
    layer = geo.region_layer([("de30", 2), ("SE22", 2)], geo_dir=SHARED)
    assert list(layer["region_id"]) == ["DE30", "SE22"]
    table = pd.DataFrame({"region_id": ["BE2", "SE224"], "nuts_level": [1, 3]})
    assert list(geo.region_layer(table, geo_dir=SHARED)["region_id"]) == ["BE2", "SE224"]


@needs_shared
def test_any_unit_at_levels_0_to_3():
    """Regions outside the 25, at every level, each the geometry of that code in its level file."""
    wanted = [("FR10", 2), ("PT", 0), ("FI1", 1), ("ES703", 3), ("CY000", 3), ("FRY4", 2)]
    layer = geo.region_layer(wanted, geo_dir=SHARED).set_index("region_id")
    assert list(layer.index) == [r for r, _ in wanted]
    for rid, level in wanted:
        src = gpd.read_file(SHARED / geo.nuts_file(2021, level)).set_index("NUTS_ID")
        assert layer.geometry[rid].equals(src.geometry[rid]), rid
    # a code given its own NUTS 2024 parts (a triple) is their union in the 2024 files
    v2024 = geo.region_layer([("PT17", 2, "PT1A;PT1B"), ("FR10", 2, ["FR10"])], vintage=2024, geo_dir=SHARED)
    assert list(v2024["nuts_id"]) == ["PT1A;PT1B", "FR10"]


@needs_shared
@pytest.mark.parametrize("regions, text", [
    ([("XX99", 2)], "XX99"),
    ([("PT1A", 2)], "PT1A"),           # a NUTS 2024 code does not exist in 2021
    ([("BE2", 2)], "BE2"),             # wrong level for the code length
    ([("AT13", 2), ("AT13", 2)], "twice"),
    ([("AT13", 4)], "level 4"),
    ([("AT13",)], "pair"),
    ([], "No regions"),
    (None, "No regions"),
])
def test_unknown_or_bad_code_is_named(regions, text):
    with pytest.raises(geo.UnknownRegionError, match=text):
        geo.region_layer(regions, geo_dir=SHARED)


@needs_shared
def test_region_layer_names_every_unknown_code():
    with pytest.raises(geo.UnknownRegionError) as err:
        geo.region_layer([("XX99", 2), ("AT13", 2), ("YY1", 1), ("PT17", 2, "PT1A;PT9Z")], vintage=2024,
                         geo_dir=SHARED)
    msg = str(err.value)
    assert "XX99" in msg and "YY1" in msg and "PT9Z" in msg and "AT13" not in msg


def test_bad_vintage_or_scale(tmp_path):
    with pytest.raises(ValueError, match="2019"):
        geo.region_layer([("AT13", 2)], vintage=2019, geo_dir=tmp_path)
    with pytest.raises(ValueError, match="60M"):
        geo.region_layer([("AT13", 2)], vintage=2024, scale="60M", geo_dir=tmp_path)
    with pytest.raises(ValueError, match="2019"):
        geo.map_layers([("AT13", 2)], vintage=2019)


@needs_shared
def test_scale_60m(regions):
    layer = geo.region_layer(regions, scale="60M", geo_dir=SHARED)
    assert len(layer) == 25 and layer.geometry.is_valid.all()


# --------------------------------------------------------------------------------------------
# context, simplification, GeoJSON
# --------------------------------------------------------------------------------------------

@needs_shared
def test_context_layer_frames_europe(regions):
    ctx = geo.context_layer(geo_dir=SHARED)
    assert len(ctx) > 30
    assert list(ctx.columns) == ["cntr_id", "geometry"]
    assert {"FR", "PT", "ES", "DE", "IT", "SE", "NO", "UK", "MA"} <= set(ctx["cntr_id"])
    lon0, lat0, lon1, lat1 = ctx.total_bounds
    x0, y0, x1, y1 = geo.EUROPE_BBOX
    assert lon0 >= x0 - 1e-9 and lat0 >= y0 - 1e-9 and lon1 <= x1 + 1e-9 and lat1 <= y1 + 1e-9
    assert ctx.geometry.is_valid.all() and not ctx.geometry.is_empty.any()
    assert set(ctx.geom_type) <= {"Polygon", "MultiPolygon"}
    # the regions (Azores included) sit inside the frame
    rx0, ry0, rx1, ry1 = geo.region_layer(regions, geo_dir=SHARED).total_bounds
    assert x0 <= rx0 and y0 <= ry0 and rx1 <= x1 and ry1 <= y1


def test_context_bbox_follows_the_regions():
    """The context stays EUROPE_BBOX for regions well inside it (the 25: GEOMETRY_SIZES hold), grows
    around regions near its edges, ignores regions drawn in insets, and goes wide for the far north."""
    assert geo.layers.context_bbox([(-9.5, 35.2, 16.9, 59.4), (-31.3, 36.9, -25.01, 39.8)]) == geo.EUROPE_BBOX
    assert geo.layers.context_bbox([(55.2, -21.4, 55.8, -20.9)]) == geo.EUROPE_BBOX  # Réunion: an inset
    x0, y0, x1, y1 = geo.layers.context_bbox([(26.0, 36.0, 44.8, 42.1)])  # eastern Turkey
    assert x1 == pytest.approx(44.8 + geo.layers.CONTEXT_PAD[0]) and (x0, y0, y1) == (-32.0, 26.0, 72.0)
    assert geo.layers.context_bbox([(20.5, 65.6, 29.9, 70.1)]) == geo.layers.WIDE_CONTEXT_BBOX  # Lapland


@needs_shared
def test_map_layers_context_for_the_far_north(monkeypatch):
    monkeypatch.setenv(geo.ENV_VAR, str(SHARED))
    layers = geo.map_layers([("FI1D7", 3)])
    ids = {f["id"] for f in layers.context_geojson["features"]}
    assert {"RU", "GL", "NO"} <= ids
    east = max(shape(f["geometry"]).bounds[2] for f in layers.context_geojson["features"] if f["id"] == "RU")
    assert east > 100  # the top corners of the conic frame show far east


@needs_shared
def test_simplified_smaller_and_small_regions_survive(regions):
    layer = geo.region_layer(regions, geo_dir=SHARED)
    raw = geo.json_size(geo.to_geojson(layer, precision=None))
    simple = geo.simplify_layer(layer)
    out = geo.to_geojson(simple)
    assert geo.json_size(out) < raw
    assert len(out["features"]) == 25
    by_id = {f["id"]: shape(f["geometry"]) for f in out["features"]}
    before = layer.set_index("region_id").geometry
    for rid in ("ES64", "AT13", "DE30"):
        g = by_id[rid]
        assert g.is_valid and not g.is_empty and g.geom_type in ("Polygon", "MultiPolygon"), rid
        assert g.area == pytest.approx(before[rid].area, rel=0.1), rid
    assert all(g.is_valid and not g.is_empty for g in by_id.values())


@needs_shared
def test_geometry_sizes_note_is_current(regions):
    """GEOMETRY_SIZES (quoted in the module docstring) matches what the code produces."""
    layers = {
        "regions": (geo.region_layer(regions, geo_dir=SHARED), "region_id", geo.REGION_TOLERANCE),
        "context": (geo.context_layer(geo_dir=SHARED), "cntr_id", geo.CONTEXT_TOLERANCE),
    }
    for name, (gdf, id_field, tol) in layers.items():
        note = geo.GEOMETRY_SIZES[name]
        raw = geo.json_size(geo.to_geojson(gdf, id_field, precision=None))
        simplified = geo.json_size(geo.to_geojson(geo.simplify_layer(gdf, tol), id_field))
        assert note["tolerance"] == tol and note["features"] == len(gdf)
        assert raw == pytest.approx(note["raw"], rel=0.02), name
        assert simplified == pytest.approx(note["simplified"], rel=0.02), name
        assert simplified < raw


def test_to_geojson_ids_rounding_and_winding():
    square = shapely.Polygon([(0, 0), (1.23456, 0), (1.23456, 1), (0, 1)])  # counter-clockwise
    gdf = gpd.GeoDataFrame({"region_id": ["XX1"], "nuts_id": ["XX1"]}, geometry=[square],
                           crs="EPSG:4326")
    out = geo.to_geojson(gdf, precision=3)
    feat = out["features"][0]
    assert out["type"] == "FeatureCollection"
    assert feat["id"] == "XX1" and feat["properties"] == {"region_id": "XX1", "nuts_id": "XX1"}
    coords = [c for ring in feat["geometry"]["coordinates"] for pt in ring for c in pt]
    assert all(round(c, 3) == c for c in coords) and 1.235 in coords
    assert not shapely.Polygon(feat["geometry"]["coordinates"][0]).exterior.is_ccw  # d3/plotly
    rfc = geo.to_geojson(gdf, precision=3, rfc7946=True)["features"][0]
    assert shapely.Polygon(rfc["geometry"]["coordinates"][0]).exterior.is_ccw
    json.dumps(out)  # plain JSON types only


@needs_shared
def test_map_layers_cached_and_complete(monkeypatch, regions, pairs):
    monkeypatch.setenv(geo.ENV_VAR, str(SHARED))
    layers = geo.map_layers(regions)
    assert geo.map_layers(regions) is layers
    assert geo.map_layers(pairs) is layers  # same regions, same cache entry (PT17's parts from NUTS2024_IDS)
    assert [f["id"] for f in layers.regions_geojson["features"]] == [r for r, _ in pairs]
    assert layers.missing == {}
    assert len(layers.context_geojson["features"]) > 30
    lp = layers.label_points
    assert list(lp.columns) == ["region_id", "lon", "lat"] and len(lp) == 25
    layer = geo.region_layer(regions, geo_dir=SHARED).set_index("region_id")
    for row in lp.itertuples():
        assert layer.geometry[row.region_id].buffer(0.05).contains(
            shapely.Point(row.lon, row.lat)), row.region_id
    lon0, lat0, lon1, lat1 = layers.bounds
    assert lon0 == pytest.approx(-31.27, abs=0.01) and lat1 < 60
    assert layers.credit == geo.CREDIT == "© EuroGeographics for the administrative boundaries"
    v2024 = geo.map_layers(regions, 2024)
    assert v2024 is not layers and len(v2024.regions_geojson["features"]) == 25
    pt17 = next(f for f in v2024.regions_geojson["features"] if f["id"] == "PT17")
    assert pt17["properties"]["nuts_id"] == "PT1A;PT1B"
    other = geo.map_layers(pairs[:3])
    assert other is not layers and len(other.regions_geojson["features"]) == 3
    geo.clear_cache()
    assert geo.map_layers(regions) is not layers


@needs_shared
def test_map_layers_of_other_regions(monkeypatch):
    """A dataset of other regions (FR10, a NUTS-0 country, NUTS-3 units) gets exactly those on the map."""
    monkeypatch.setenv(geo.ENV_VAR, str(SHARED))
    table = pd.DataFrame({"region_id": ["FR10", "CY", "SE224", "FI1D7"], "nuts_level": [2, 0, 3, 3]})
    layers = geo.map_layers(table)
    assert [f["id"] for f in layers.regions_geojson["features"]] == ["FR10", "CY", "SE224", "FI1D7"]
    assert layers.missing == {}
    assert list(layers.label_points["region_id"]) == ["FR10", "CY", "SE224", "FI1D7"]
    lon0, lat0, lon1, lat1 = layers.bounds
    assert lon1 > 34 and lat1 > 64  # Cyprus and northern Finland


@needs_shared
def test_map_layers_lists_regions_without_boundary(monkeypatch):
    """An id the boundary files lack is not dropped silently: it is listed with the reason, the rest drawn."""
    monkeypatch.setenv(geo.ENV_VAR, str(SHARED))
    table = pd.DataFrame({"region_id": ["AT13", "XX99", "BE2", "DE3"], "nuts_level": [2, 2, 2, 1]})
    layers = geo.map_layers(table)
    assert [f["id"] for f in layers.regions_geojson["features"]] == ["AT13", "DE3"]
    assert set(layers.missing) == {"XX99", "BE2"}
    assert "not found at NUTS level 2" in layers.missing["XX99"]
    assert "NUTS-2 code" in layers.missing["BE2"]
    assert list(layers.label_points["region_id"]) == ["AT13", "DE3"]
    # nothing found at all: an empty layer, no bounds, every region listed
    none = geo.map_layers([("XX99", 2), ("ZZ1", 1)])
    assert none.regions_geojson["features"] == [] and none.bounds is None and set(none.missing) == {"XX99", "ZZ1"}
    assert none.label_points.empty


@needs_shared
def test_label_points_fall_back_without_file(tmp_path, regions):
    for name in geo.REQUIRED_FILES:
        (tmp_path / name).symlink_to(SHARED / name)
    layers = geo.layers._map_layers(tmp_path, 2021, geo.normalise_regions(regions))
    assert len(layers.label_points) == 25
    layer = geo.region_layer(regions, geo_dir=SHARED).set_index("region_id")
    for row in layers.label_points.itertuples():  # points inside their regions, without the GISCO file
        assert layer.geometry[row.region_id].buffer(0.01).contains(shapely.Point(row.lon, row.lat))


def test_topojson_url_and_assets():
    assert geo.topojson_url() == "/assets/topojson/"
    assert geo.topojson_url("/mipex/") == "/mipex/assets/topojson/"
    assert geo.topojson_url("mipex") == "/mipex/assets/topojson/"
    for name in ("europe_110m", "europe_50m", "world_110m", "world_50m"):
        path = geo.TOPOJSON_DIR / f"{name}.json"
        assert path.is_file(), path
        topo = json.loads(path.read_text())
        assert topo["type"] == "Topology"
        assert {"land", "countries", "coastlines", "ocean"} <= set(topo["objects"])
    assert (geo.TOPOJSON_DIR / "README.md").is_file()


# --------------------------------------------------------------------------------------------
# fetch-geo against a local HTTP server
# --------------------------------------------------------------------------------------------

def _square(x, y, d=1.0):
    return {"type": "Polygon",
            "coordinates": [[[x, y], [x, y + d], [x + d, y + d], [x + d, y], [x, y]]]}


def _fc(features):
    return {"type": "FeatureCollection", "features": features}


def _fake_gisco(root: Path) -> None:
    """Small files under GISCO's names and folder layout."""
    for remote, _local, id_property in geo.FETCH_FILES:
        path = root / remote
        path.parent.mkdir(parents=True, exist_ok=True)
        if id_property == "CNTR_ID":
            doc = _fc([
                {"type": "Feature", "properties": {"CNTR_ID": "FR"}, "geometry": _square(2, 46)},
                {"type": "Feature", "properties": {"CNTR_ID": "US"},
                 "geometry": _square(-179, 20, 300)},
                {"type": "Feature", "properties": {"CNTR_ID": "JP"}, "geometry": _square(139, 35)},
            ])
        elif "_LB_" in remote:
            doc = _fc([{"type": "Feature", "properties": {"NUTS_ID": "AT13"},
                        "geometry": {"type": "Point", "coordinates": [16.4, 48.2]}}])
        else:
            doc = _fc([{"type": "Feature", "properties": {"NUTS_ID": "AT13"},
                        "geometry": _square(16, 48, 0.5)}])
        path.write_text(json.dumps(doc))


@pytest.fixture
def gisco_server(tmp_path):
    root = tmp_path / "gisco"
    root.mkdir()
    _fake_gisco(root)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_fetch_geo_success(gisco_server, tmp_path, monkeypatch, paths):
    _root, url = gisco_server
    project, _shared = paths
    written = geo.fetch_geo(base_url=url, timeout=5)  # default dest: the project's geo/
    names = {p.name for p in written}
    assert names == {local for _r, local, _i in geo.FETCH_FILES} | {geo.CONTEXT_FILE}
    assert all(p.parent == project and p.is_file() for p in written)
    assert sorted(p.name for p in project.iterdir()) == sorted(names | {"README.md"})
    context = json.loads((project / geo.CONTEXT_FILE).read_text())
    assert [f["properties"]["CNTR_ID"] for f in context["features"]] == ["FR"]
    # the fetched folder now resolves (same file names as ../shared/geo)
    assert geo.resolve_geo_dir() == project


@pytest.mark.parametrize("damage", ["404", "corrupt", "not-geojson"])
def test_fetch_geo_failure_leaves_nothing(gisco_server, tmp_path, damage):
    root, url = gisco_server
    remote = geo.FETCH_FILES[-2][0]  # a late file: earlier ones were downloaded already
    if damage == "404":
        (root / remote).unlink()
    elif damage == "corrupt":
        text = (root / remote).read_text()
        (root / remote).write_text(text[: len(text) // 2])
    else:
        (root / remote).write_text(json.dumps({"type": "Feature", "geometry": None}))
    dest = tmp_path / "dest"
    dest.mkdir()
    keep = dest / geo.nuts_file(2021, 2)
    keep.write_text("previous good file")
    with pytest.raises(geo.GeoFetchError) as err:
        geo.fetch_geo(dest, base_url=url, timeout=5)
    msg = str(err.value)
    assert remote in msg and "Nothing was written" in msg
    assert {"404": "404", "corrupt": "not valid JSON",
            "not-geojson": "FeatureCollection"}[damage] in msg
    assert [p.name for p in dest.iterdir()] == [keep.name]  # no partial or temporary files
    assert keep.read_text() == "previous good file"


def test_fetch_geo_unreachable(tmp_path):
    dest = tmp_path / "dest"
    with pytest.raises(geo.GeoFetchError, match="could not download"):
        geo.fetch_geo(dest, base_url="http://127.0.0.1:9/", timeout=2)
    assert list(dest.iterdir()) == []


def test_derive_europe_context_matches_shared():
    world, ctx = SHARED / geo.WORLD_FILE, SHARED / geo.CONTEXT_FILE
    if not (world.is_file() and ctx.is_file()):
        pytest.skip("world/context files not present")
    derived = geo.derive_europe_context(json.loads(world.read_text()))
    expected = json.loads(ctx.read_text())
    ids = [f["properties"]["CNTR_ID"] for f in derived["features"]]
    assert sorted(ids) == sorted(f["properties"]["CNTR_ID"] for f in expected["features"])
    assert "US" not in ids
