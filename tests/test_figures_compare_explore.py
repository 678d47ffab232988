"""Compare and Explore figures: values equal the data, the average is present, ranking order, heat-map shape."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import scoring
from dashboard.figures import compare as fc
from dashboard.figures import explore as fx
from dashboard.figures.common import AVERAGE_COLOR, COLORSCALE

SRC = "Source: test. Scale 0–100. ILLUSTRATIVE DATA — not the published MIPEX-R results."


def _source_text(fig) -> str:
    return " ".join(a.text for a in fig.layout.annotations if a.name == "source")


@pytest.fixture
def tiny():
    """Three regions, hand-made scores (one missing) so expected values are obvious."""
    table = pd.DataFrame(np.nan, index=["AA1", "BB2", "CC3"], columns=list(scoring.DIMENSIONS))
    table["overall"] = [60.0, 40.0, 50.0]
    table["area:health"] = [10.0, 90.0, np.nan]
    table["target:TCN"] = [30.0, 50.0, 70.0]
    table["target:BIP"] = [20.0, 40.0, 60.0]
    table.index.name = "region_id"
    return table


# --- Compare --------------------------------------------------------------------------------------

def test_compare_bars_values_equal_data_and_average_present(wide, names):
    regions = ["PT20", "PT17", "ES51"]
    dims = fc.BAR_GROUPS["areas"][1]
    fig = fc.compare_bars(wide, regions, SRC, dimensions=dims, names=names)
    bars = {t.meta: t for t in fig.data}
    assert list(bars) == regions + [fc.AVERAGE_KEY]
    for rid in regions:
        assert bars[rid].name == names[rid]
        assert list(bars[rid].y) == pytest.approx([wide.at[rid, d] for d in dims])
    assert list(bars[fc.AVERAGE_KEY].y) == pytest.approx([wide[d].mean() for d in dims])
    assert bars[fc.AVERAGE_KEY].name == fc.AVERAGE_NAME
    assert bars[fc.AVERAGE_KEY].marker.color == AVERAGE_COLOR
    assert tuple(fig.layout.yaxis.range) == (0, 100)
    assert fig.layout.title.text and "0–100" in fig.layout.title.text
    assert "ILLUSTRATIVE" in _source_text(fig)


def test_compare_bars_missing_score_is_labelled_not_zero(tiny):
    fig = fc.compare_bars(tiny, ["AA1", "CC3"], SRC, dimensions=["overall", "area:health"])
    cc3 = next(t for t in fig.data if t.meta == "CC3")
    assert math.isnan(cc3.y[1])
    assert cc3.customdata[1] == "no score"
    avg = next(t for t in fig.data if t.meta == fc.AVERAGE_KEY)
    assert list(avg.y) == pytest.approx([50.0, 50.0])  # health average skips the missing score


def test_compare_bars_unknown_region_is_an_error(wide):
    with pytest.raises(KeyError, match="XX9"):
        fc.compare_bars(wide, ["PT20", "XX9"], SRC)


def test_compare_table_scores_and_differences(tiny):
    table = fc.compare_table(tiny, ["BB2", "AA1"]).set_index("dimension")
    assert list(table.index) == list(scoring.DIMENSIONS)
    assert table.at["overall", "BB2"] == 40.0
    assert table.at["overall", "average"] == pytest.approx(50.0)
    assert table.at["overall", "BB2_vs_average"] == pytest.approx(-10.0)
    assert table.at["overall", "AA1_vs_average"] == pytest.approx(10.0)
    assert table.at["overall", "AA1_vs_BB2"] == pytest.approx(20.0)  # second minus first
    assert "BB2_vs_BB2" not in table.columns
    assert table.at["target:TCN", "AA1_vs_BB2"] == pytest.approx(-20.0)
    assert table.at["overall", "label"] == "Overall score"


def test_compare_table_matches_real_data(wide):
    table = fc.compare_table(wide, ["PT20", "PT17", "ES51"]).set_index("dimension")
    assert table.at["overall", "PT20"] == pytest.approx(wide.at["PT20", "overall"])
    assert table.at["area:health", "ES51_vs_PT20"] == pytest.approx(
        wide.at["ES51", "area:health"] - wide.at["PT20", "area:health"])
    assert table.at["phase:evaluation", "PT17_vs_average"] == pytest.approx(
        wide.at["PT17", "phase:evaluation"] - wide["phase:evaluation"].mean())


# --- Explore: ranking --------------------------------------------------------------------------------

def test_ranking_frame_orders_and_ranks_among_all(tiny):
    desc = fx.ranking_frame(tiny, "overall", sort="desc")
    assert list(desc["region_id"]) == ["AA1", "CC3", "BB2"]
    assert list(desc["rank"]) == [1, 2, 3]
    asc = fx.ranking_frame(tiny, "overall", sort="asc")
    assert list(asc["region_id"]) == ["BB2", "CC3", "AA1"]
    by_name = fx.ranking_frame(tiny, "overall", names={"AA1": "Zeta", "BB2": "Alpha", "CC3": "Mu"}, sort="name")
    assert list(by_name["name"]) == ["Alpha", "Mu", "Zeta"]
    # a subset keeps the ranks among all regions
    sub = fx.ranking_frame(tiny, "overall", regions=["BB2", "CC3"])
    assert list(sub["region_id"]) == ["CC3", "BB2"] and list(sub["rank"]) == [2, 3]
    assert set(sub["of"]) == {3}


def test_ranking_frame_missing_scores_come_last_unranked(tiny):
    for sort in ("desc", "asc"):
        frame = fx.ranking_frame(tiny, "area:health", sort=sort)
        assert frame["region_id"].iloc[-1] == "CC3"
        assert pd.isna(frame["rank"].iloc[-1])
    assert fx.ranking_frame(tiny, "area:health")["of"].iloc[0] == 2


def test_ranking_frame_rejects_unknown_dimension_and_sort(tiny):
    with pytest.raises(KeyError):
        fx.ranking_frame(tiny, "area:nonsense")
    with pytest.raises(ValueError):
        fx.ranking_frame(tiny, "overall", sort="worst")


def test_ranking_bars_values_labels_and_average(wide, names):
    fig = fx.ranking_bars(wide, "area:health", SRC, names=names)
    bar = next(t for t in fig.data if t.meta == "ranking")
    expected = wide["area:health"].sort_values(ascending=False)
    assert list(bar.x) == pytest.approx(list(expected))
    assert len(bar.y) == len(wide)
    assert bar.y[0] == f"1. {names[expected.index[0]]}"
    assert all(t.endswith("/100") for t in bar.text)
    assert bar.text[0] == f"{expected.iloc[0]:.0f}/100"
    avg_line = [s for s in fig.layout.shapes if s.name == "average"]
    assert len(avg_line) == 1 and avg_line[0].x0 == pytest.approx(wide["area:health"].mean())
    assert any(fx.AVERAGE_NAME in (a.text or "") for a in fig.layout.annotations)
    assert tuple(fig.layout.xaxis.range) == (0, 100)
    assert fig.layout.yaxis.autorange == "reversed"  # first row at the top
    assert "ILLUSTRATIVE" in _source_text(fig)


def test_ranking_bars_subset_and_ascending(wide, names, dataset):
    italian = list(dataset.regions.loc[dataset.regions["country"] == "IT", "region_id"])
    fig = fx.ranking_bars(wide, "overall", SRC, names=names, regions=italian, sort="asc")
    bar = fig.data[0]
    assert len(bar.x) == len(italian)
    assert list(bar.x) == sorted(bar.x)
    # average line is still the all-region average
    assert fig.layout.shapes[0].x0 == pytest.approx(wide["overall"].mean())


# --- Explore: heat-map ---------------------------------------------------------------------------------

def test_heatmap_shape_range_and_values(wide, names):
    fig = fx.heatmap(wide, SRC, names=names)
    hm = fig.data[0]
    z = np.array(hm.z, dtype=float)
    assert z.shape == (len(wide), len(scoring.DIMENSIONS))
    assert np.allclose(z, wide[list(scoring.DIMENSIONS)].to_numpy(), equal_nan=True)
    assert (hm.zmin, hm.zmax) == (0, 100)
    assert hm.colorscale == go.Heatmap(colorscale=COLORSCALE).colorscale  # Cividis, colour-blind-safe
    assert fig.layout.title.text
    assert "ILLUSTRATIVE" in _source_text(fig)


def test_heatmap_filters_rows_and_columns_in_given_order(wide, names):
    dims = ["overall"] + list(scoring.AXES["phase"])
    regions = ["ES51", "PT20"]
    fig = fx.heatmap(wide, SRC, dimensions=dims, regions=regions, names=names)
    hm = fig.data[0]
    assert np.array(hm.z).shape == (2, 5)
    assert list(hm.y) == [names["ES51"], names["PT20"]]
    assert list(hm.x)[1:] == [scoring.dimension_label(d, short=True) for d in scoring.AXES["phase"]]
    assert hm.z[1][0] == pytest.approx(wide.at["PT20", "overall"])


def test_heatmap_missing_cell_is_blank_with_dash(tiny):
    fig = fx.heatmap(tiny, SRC, dimensions=["overall", "area:health"])
    hm = fig.data[0]
    assert math.isnan(hm.z[2][1]) and hm.text[2][1] == "–"
    with pytest.raises(KeyError):
        fx.heatmap(tiny, SRC, regions=["ZZ9"])


def test_long_ranking_and_heatmap_titles_wrap_for_a_phone(wide, names):
    """A title longer than a 390 px screen holds is broken at spaces; the top margin grows with it."""
    from dashboard.figures.common import wrap_title

    long = "Overall score on the Health and Housing indicators: regions ranked (0–100)<br><sup>Italy</sup>"
    wrapped = wrap_title(long)
    assert wrapped.endswith("<br><sup>Italy</sup>")
    assert all(len(line) <= 44 for line in wrapped.split("<br>")[:-1]) and wrapped.count("<br>") == 2
    assert wrapped.replace("<br>", " ").replace(" <sup>", "<br><sup>") == long
    short = fx.ranking_bars(wide, "overall", SRC, names=names)
    fig = fx.ranking_bars(wide, "overall", SRC, names=names, title=long)
    assert fig.layout.title.text == wrapped
    assert fig.layout.margin.t == short.layout.margin.t + 20 * wrapped.count("<br>")


# --- Explore: built from plain dicts, many regions (issues 12 and 16) ------------------------------------

def _explore_figures(wide, names, tiny):
    by = fx.country_frame(wide, {r: r[:2] for r in wide.index}, list(wide.index), ["overall", "area:health"])
    return {
        "ranking": fx.ranking_bars(wide, "area:health", SRC, names=names),
        "ranking-page": fx.ranking_bars(wide, "overall", SRC, names=names, start=5, stop=10),
        "ranking-empty": fx.ranking_bars(tiny, "area:health", SRC, regions=[]),
        "ranking-no-score": fx.ranking_bars(tiny, "area:housing", SRC),
        "heatmap": fx.heatmap(wide, SRC, names=names),
        "heatmap-missing": fx.heatmap(tiny, SRC, dimensions=["overall", "area:health"]),
        "countries": fx.country_heatmap(by, ["overall", "area:health"], SRC),
    }


def test_explore_figures_are_valid_plotly(wide, names, tiny):
    """Built without plotly's validation: every property is one plotly knows, and validation changes nothing."""
    import json

    import plotly.io as pio

    from dashboard.figures.common import validated

    for name, fig in _explore_figures(wide, names, tiny).items():
        checked = validated(fig)  # raises ValueError on an unknown property
        assert json.loads(pio.to_json(checked)) == json.loads(pio.to_json(fig)), name


def test_ranking_bars_page_keeps_ranks_and_the_all_region_average(wide, names):
    whole = fx.ranking_bars(wide, "overall", SRC, names=names)
    page = fx.ranking_bars(wide, "overall", SRC, names=names, start=5, stop=10)
    assert list(page.data[0].y) == list(whole.data[0].y)[5:10]
    assert page.data[0].y[0].startswith("6. ")  # the rank among all regions, not the place on the page
    assert page.layout.shapes[0].x0 == pytest.approx(wide["overall"].mean())
    assert page.layout.height < whole.layout.height
    frame = fx.ranking_frame(wide, "overall", names)
    assert fx.ranking_bars(wide, "overall", SRC, names=names, frame=frame).to_json() == whole.to_json()


def test_country_frame_averages_counts_and_order(tiny):
    countries = {"AA1": "AA", "BB2": "AA", "CC3": "CC"}
    frame = fx.country_frame(tiny, countries, ["AA1", "BB2", "CC3"], ["overall", "area:health"], order="overall",
                             country_names={"AA": "Alphaland", "CC": "Ceeland"})
    assert list(frame.index) == ["AA", "CC"]  # AA (60 + 40) / 2 = 50, CC 50: a tie, by name
    frame = fx.country_frame(tiny, countries, ["AA1", "BB2", "CC3"], ["overall", "area:health"], order="area:health",
                             country_names={"AA": "Alphaland", "CC": "Ceeland"})
    assert list(frame.index) == ["AA", "CC"]  # AA health 50; CC has no health score: last
    assert frame.at["AA", "overall"] == pytest.approx(50.0) and frame.at["AA", "regions"] == 2
    assert frame.at["AA", "area:health"] == pytest.approx(50.0) and math.isnan(frame.at["CC", "area:health"])
    asc = fx.country_frame(tiny, countries, ["AA1", "CC3"], ["overall"], order="overall", sort="asc")
    assert list(asc.index) == ["CC", "AA"] and list(asc["regions"]) == [1, 1]  # 50 < 60
    named = fx.country_frame(tiny, countries, ["AA1", "BB2", "CC3"], ["overall"], sort="name",
                             country_names={"AA": "Zed", "CC": "Ceeland"})
    assert list(named["name"]) == ["Ceeland", "Zed"]


def test_country_heatmap_rows_say_how_many_regions_and_carry_the_code(tiny):
    countries = {"AA1": "AA", "BB2": "AA", "CC3": "CC"}
    frame = fx.country_frame(tiny, countries, ["AA1", "BB2", "CC3"], ["overall", "area:health"], order="overall",
                             sort="name", country_names={"AA": "Alphaland", "CC": "Ceeland"})
    fig = fx.country_heatmap(frame, ["overall", "area:health"], SRC)
    hm = fig.data[0]
    assert hm.meta == "heatmap-countries"
    assert list(hm.y) == ["Alphaland (2)", "Ceeland (1)"]
    assert hm.z[0][0] == pytest.approx(50.0) and hm.text[1][1] == "–"
    assert hm.customdata[0][1][0] == "AA" and hm.customdata[1][0] == ["CC", "average of 1 region"]
    assert hm.customdata[0][0][1] == "average of 2 regions"
    assert "Average scores by country" in fig.layout.title.text
    assert "ILLUSTRATIVE" in _source_text(fig)
