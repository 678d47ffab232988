"""The map's colour domain and colour-bar ticks (fitted to the scores, the groups named), its no-score regions,
the inset label, and "Find my region" (names, codes, accents, partial names, several or no matches)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from dash import no_update

from dashboard import scoring
from dashboard.callbacks import map as map_cb
from dashboard.figures import maps
from dashboard.views import map as map_view

# ---------------------------------------------------------------------------------------------
# Colour domain and ticks
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("values, expected", [
    ([32.36, 73.18], (30.0, 75.0)),          # the embedded overall scores: 33–73, not 0–100
    ([50.0, 50.0], (40.0, 60.0)),            # one score: widened to the minimum span around it
    ([1.0, 3.0], (0.0, 20.0)),               # widened, but never below 0…
    ([97.0, 99.0], (80.0, 100.0)),           # …nor above 100
    ([0.0, 100.0], (0.0, 100.0)),
    ([None, float("nan"), 61.2, 44.9], (40.0, 65.0)),  # missing scores ignored
    ([], (0.0, 100.0)), ([None], (0.0, 100.0)),
])
def test_color_domain(values, expected):
    assert maps.color_domain(values) == expected


def test_color_domain_holds_every_score_and_is_tight():
    rng = np.random.default_rng(7)
    for _ in range(200):
        values = rng.uniform(0, 100, rng.integers(1, 30)).tolist()
        lo, hi = maps.color_domain(values)
        assert 0 <= lo <= min(values) and max(values) <= hi <= 100
        assert hi - lo >= maps.MIN_DOMAIN_SPAN
        # no wider than the rounding and the minimum span need (an independent computation)
        natural = maps.DOMAIN_STEP * (math.ceil(max(values) / 5) - math.floor(min(values) / 5))
        assert hi - lo <= max(natural, maps.MIN_DOMAIN_SPAN) + 1e-9


def test_overall_ticks_name_the_groups_between_their_thresholds():
    vals, texts = maps.colorbar_ticks("overall", (30.0, 75.0))
    assert vals == sorted(vals)
    numbers = {v: t for v, t in zip(vals, texts) if not t.startswith("<br>")}
    assert numbers == {30.0: "30", 45.0: "45", 55.0: "55", 75.0: "75"}
    groups = {t.replace("<br><b>", "").replace("</b>", ""): v for v, t in zip(vals, texts) if t.startswith("<br>")}
    assert groups == {"lagging": 37.5, "intermediate": 50.0, "advanced": 65.0}
    for name, v in groups.items():  # each name sits in its own band, by the scoring rule
        assert scoring.group_of(v) == name


def test_overall_ticks_when_the_domain_holds_one_group_only():
    vals, texts = maps.colorbar_ticks("overall", (60.0, 80.0))
    assert [t for t in texts if "<b>" in t] == ["<br><b>advanced</b>"]
    assert "45" not in texts and "55" not in texts


def test_other_measures_get_numbers_only():
    vals, texts = maps.colorbar_ticks("area:health", (20.0, 70.0))
    assert not any("<b>" in t for t in texts)
    assert vals[0] == 20.0 and vals[-1] == 70.0 and texts == [f"{v:.0f}" for v in vals]


@pytest.mark.parametrize("measure, title", [
    ("overall", "Overall score (0–100)"),
    ("area:health", "Health score (0–100)"),
    ("target:TCN", f"{scoring.dimension_label('target:TCN')} score (0–100)"),
])
def test_colorbar_title_says_score_once(measure, title):
    assert maps.colorbar_title(measure) == title
    assert "score score" not in maps.colorbar_title(measure).lower()


# ---------------------------------------------------------------------------------------------
# No score, inset label
# ---------------------------------------------------------------------------------------------


def test_nodata_regions_and_trace(dataset):
    table = dataset.scores_table().copy()
    table.loc[["ES51", "DE2"], "area:health"] = np.nan
    assert maps.nodata_ids(table, "area:health", list(table.index)) == [r for r in table.index if r in {"ES51", "DE2"}]
    assert maps.nodata_ids(table, "overall", list(table.index)) == []
    assert maps.nodata_trace_index({1: [], 2: [], 3: ["PT20"]}) == 4
    assert maps.nodata_trace_index({1: [], 2: []}) == 3


def test_inset_label():
    assert maps.inset_label(["Azores"], ["56 (advanced), rank 12 of 25"]) == "Azores (inset): 56 (advanced)"
    assert maps.inset_label(["Azores", "Madeira"], ["56, rank 1 of 2", "40, rank 2 of 2"]) == \
        "Azores and Madeira (inset)"


def test_change_map_keeps_its_own_colour_axis(dataset):
    """The change view (two editions) recolours the fitted map: its diverging axis replaces the domain."""
    from dashboard.figures import change

    table = dataset.scores_table()
    square = {"type": "Feature", "id": "ES51", "properties": {},
              "geometry": {"type": "Polygon", "coordinates": [[[1, 41], [2, 41], [2, 42], [1, 42], [1, 41]]]}}

    class Layers:
        regions_geojson = {"type": "FeatureCollection", "features": [square]}
        context_geojson = {"type": "FeatureCollection", "features": []}
        label_points = pd.DataFrame({"region_id": ["ES51"], "lon": [1.5], "lat": [41.5]})

    fig = maps.choropleth(table, "overall", Layers(), dataset.source_line)
    out = change.change_map(fig, table, table, "overall", 2024, 2021)
    assert out.layout.coloraxis.cmin == -out.layout.coloraxis.cmax


# ---------------------------------------------------------------------------------------------
# Find my region
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, region", [
    ("PT17", "PT17"), ("pt17", "PT17"),
    ("Lisbon Metropolitan Area", "PT17"),
    ("Área Metropolitana de Lisboa", "PT17"), ("area metropolitana de lisboa", "PT17"),  # local name, accents
    ("Lisbon Metropolitan Area (PT17)", "PT17"),  # the search box's own suggestion
    ("vorarl", "AT34"), ("  Vorarlberg ", "AT34"),
    ("skane", "SE224"), ("Skåne", "SE224"),
    ("melilla", "ES64"),
])
def test_find_region(dataset, text, region):
    found = map_view.find_region(dataset, text)
    assert found.region == region
    assert found.message == f"Showing {dataset.region_name(region)} ({region})."


def test_find_region_several_none_empty(dataset):
    several = map_view.find_region(dataset, "an")  # many names hold "an"
    assert several.region is None and "regions match" in several.message and "Type more" in several.message
    assert several.message.count("(") <= map_view.SEARCH_SUGGESTIONS + 1
    none = map_view.find_region(dataset, "Atlantis")
    assert none.region is None and none.message.startswith("No region matches “Atlantis”")
    assert map_view.find_region(dataset, "") == map_view.SearchResult(None, "")
    assert map_view.find_region(dataset, None) == map_view.SearchResult(None, "")
    long = map_view.find_region(dataset, "x" * 100_000)  # bounded: cut at 100 characters
    assert long.region is None and len(long.message) < 300


def test_search_callback_sets_the_selection_only_when_it_changes(dataset):
    assert map_cb.search_region(dataset, "vorarlberg", "") == ("AT34", "Showing Vorarlberg (AT34).")
    selection, message = map_cb.search_region(dataset, "AT34", "AT34")
    assert selection is no_update and "Vorarlberg" in message
    selection, message = map_cb.search_region(dataset, "Atlantis", "AT34")
    assert selection is no_update and message.startswith("No region matches")
