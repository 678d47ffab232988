"""figures.maps: the choropleth of the regions (pure function on DataFrame + map layers)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import geo, scoring
from dashboard.constants import ILLUSTRATIVE_MARK
from dashboard.figures import maps
from dashboard.constants import MAP_CREDIT

SMALL = {"AT13", "DE30", "ES64"}
WEST = {"PT20"}


@dataclass
class FakeLayers:
    regions_geojson: dict
    context_geojson: dict
    label_points: pd.DataFrame
    bounds: tuple = (-30.0, 35.0, 20.0, 60.0)
    credit: str = geo.CREDIT


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
    assert [t.type for t in fig.data] == ["choropleth", "choropleth", "scattergeo", "choropleth"]
    assert [t.geo for t in fig.data] == ["geo", "geo", "geo", "geo2"]
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
    assert main.hovertemplate == "%{hovertext}<extra></extra>"
    for rid, text in zip(main.locations, main.hovertext):
        row = table.loc[rid]
        assert row["name_en"] in text and row["country_name"] in text
        assert f"{row['area:health']:.0f} /100" in text
        assert f"Rank {int(ranks.loc[rid])} of 25" in text


def test_fixed_colour_scale_and_legend(fig):
    ca = fig.layout.coloraxis
    assert (ca.cmin, ca.cmax) == (0, 100)
    assert "0–100" in ca.colorbar.title.text
    assert ca.colorscale == go.layout.Coloraxis(colorscale="Cividis").colorscale  # colour-blind-safe, no red/green
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
    assert tuple(g.lonaxis.range) == maps.MAIN_LON_RANGE
    assert tuple(g.lataxis.range) == maps.MAIN_LAT_RANGE
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
    assert set(small.customdata) == SMALL
    assert set(small.text) == {table.loc[r, "name_en"] for r in SMALL}
    assert list(small.marker.color) == pytest.approx(table.loc[list(small.customdata), "area:health"].round(2).tolist())


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


def test_real_boundaries_framing(table, dataset):
    """On the GISCO layers: Melilla, Wien and Berlin are the small ones; the Azores go to the inset."""
    try:
        layers = geo.map_layers()
    except geo.GeoDataMissing as exc:
        pytest.skip(f"boundary files not available: {exc}")
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
