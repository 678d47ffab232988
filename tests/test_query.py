"""The one parser of URL and command-line parameters (``dashboard.query``)."""

from __future__ import annotations

import pytest

from dashboard import query
from dashboard.errors import UnknownOption


def test_repeated_key_takes_the_first_value_in_both_modes():
    params = query.parse_search("?measure=area:housing&measure=area:health")
    assert query.parse_measure(params["measure"]) == ("area:housing", None)
    assert query.check_measure(query.first(params, query.MEASURE_KEYS)) == "area:housing"


def test_measure_lenient_and_strict():
    assert query.parse_measure("health") == ("area:health", None)
    assert query.parse_measure(None) == ("overall", None)
    key, note = query.parse_measure("nonsense")
    assert key == "overall" and "nonsense" in note
    assert query.check_measure("") == "overall"
    with pytest.raises(UnknownOption, match="nonsense"):
        query.check_measure("nonsense")


def test_regions_resolve_codes_names_and_nuts2024(dataset):
    ids, notes = query.parse_regions("pt20,PT1A,Catalonia,XX9", dataset.resolve_region, maximum=4)
    assert ids == ["PT20", "PT17", "ES51"] and "XX9" in notes[0]
    assert dataset.resolve_region("região autónoma dos açores") == "PT20"
    assert dataset.resolve_region("Cataluna") == "ES51"
    assert query.parse_region("Berlin", dataset.resolve_region) == ("DE30", None)
    rid, note = query.parse_region("FR10", dataset.resolve_region)
    assert rid is None and "FR10" in note


def test_regions_strict_counts_and_unknown(dataset):
    check = lambda values, lo, hi: query.check_regions(values, dataset.resolve_region, lo, hi, "a brief")  # noqa: E731
    assert check(["pt20", "PT20", "PT1B"], 1, 4) == ["PT20", "PT17"]
    with pytest.raises(UnknownOption, match="at least 1"):
        check([], 1, 4)
    with pytest.raises(UnknownOption, match="at most 4"):
        check(["PT20", "PT17", "ES51", "ES62", "SE224"], 1, 4)
    with pytest.raises(UnknownOption, match="XX9"):
        check(["XX9"], 0, None)


def test_lenient_regions_cut_to_maximum_with_names(dataset):
    ids, notes = query.parse_regions(["PT20,PT17", "ES51,ES62,SE224"], dataset.resolve_region, 4, dataset.region_name)
    assert ids == ["PT20", "PT17", "ES51", "ES62"] and "Skåne" in notes[0]


def test_values_split_and_one():
    assert query.split_values(["A,B", "B;C", "D+E", " "]) == ["A", "B", "C", "D", "E"]
    assert query.one(["", " x ", "y"]) == "x" and query.one("  ") is None and query.one(None) is None
    assert query.target_key("tcn") == "TCN" and query.target_key("target:BIP") == "BIP"
    assert query.area_key("area:health") == "health" and query.area_key("nope") is None
    with pytest.raises(UnknownOption):
        query.check_axis("target", radar=True)
    assert query.check_axis("phase", radar=True) == "phase"
    assert query.check_groups(["Advanced", "advanced"]) == ["advanced"]
