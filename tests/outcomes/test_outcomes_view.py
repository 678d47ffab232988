"""Policy against outcomes: the scatter's numbers equal an independent computation on a small fixture."""

from __future__ import annotations

import statistics
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from dashboard.figures import outcomes as outcome_figures
from dashboard.views import outcomes as ov

REGIONS = ["AT13", "BE2", "PT20", "PT17", "SE224"]


def _small(dataset):
    """Five regions with hand-set scores and outcome values (one missing, one proxy, one national)."""
    regions = dataset.regions[dataset.regions["region_id"].isin(REGIONS)].reset_index(drop=True)
    x = {"AT13": 40.0, "BE2": 55.0, "PT20": 56.0, "PT17": 70.0, "SE224": 62.0}
    scores = pd.DataFrame([(r, "area:labour_market", v) for r, v in x.items()]
                          + [(r, "overall", v) for r, v in x.items()], columns=["region_id", "dimension", "score"])
    rows = []
    nat = {"AT13": 70.0, "BE2": 68.0, "PT20": 74.0, "PT17": 76.0, "SE224": 80.0}
    non_eu = {"AT13": 55.0, "BE2": None, "PT20": 66.0, "PT17": 64.0, "SE224": 71.0}
    for rid in REGIONS:
        for ind, val in (("employment_rate_nationals", nat[rid]), ("employment_rate_non_eu", non_eu[rid])):
            rows.append({"region_id": rid, "indicator": ind, "year": 2022, "value": val,
                         "nuts_used": "SE22" if rid == "SE224" else rid, "proxy": rid == "SE224", "national": False,
                         "source": "test", "retrieved": None, "provenance": "test", "illustrative": rid == "PT20"})
    # an older year must not be used
    rows.append({"region_id": "AT13", "indicator": "employment_rate_non_eu", "year": 2019, "value": 99.0,
                 "nuts_used": "AT13", "proxy": False, "national": False, "source": "test", "retrieved": None,
                 "provenance": "test", "illustrative": False})
    outcomes = pd.DataFrame(rows)
    small = replace(dataset, regions=regions, scores=scores, outcomes=outcomes)
    small.__dict__.pop("wide_scores", None)
    return small, x, nat, non_eu


def test_values_r_n_and_averages_match_an_independent_computation(dataset):
    small, x, nat, non_eu = _small(dataset)
    state = ov.OutcomesState(x="area:labour_market", y="employment_rate_non_eu", region="PT20")
    view = ov.outcomes_view(small, state)
    table = view.table.set_index("region_id")
    assert table.loc["AT13", "y"] == 55.0  # latest year, not 2019's 99
    assert pd.isna(table.loc["BE2", "y"]) and not table.loc["BE2", "proxy"]
    assert table.loc["SE224", "y"] == 71.0 and table.loc["SE224", "proxy"] and table.loc["SE224", "nuts_used"] == "SE22"
    assert table.loc["PT20", "highlighted"] and table["highlighted"].sum() == 1
    pairs = [(x[r], non_eu[r]) for r in REGIONS if non_eu[r] is not None]
    xs, ys = zip(*pairs)
    assert view.n == 4
    assert view.r == pytest.approx(statistics.correlation(xs, ys))
    assert view.r == pytest.approx(np.corrcoef(xs, ys)[0, 1])
    assert view.x_mean == pytest.approx(statistics.fmean(xs)) and view.y_mean == pytest.approx(statistics.fmean(ys))
    assert "Association across 4 regions, not cause" in view.caveat
    assert "ILLUSTRATIVE" in view.outcomes_source and "1 of 4" in view.outcomes_source
    assert "lfst_r_lfe2emprtn" in view.outcomes_source and "Governance:" in view.governance_source


def test_gap_to_nationals(dataset):
    small, x, nat, non_eu = _small(dataset)
    view = ov.outcomes_view(small, ov.OutcomesState(x="area:labour_market", y="employment_rate_non_eu", mode="gap"))
    table = view.table.set_index("region_id")
    for rid in ("AT13", "SE224", "PT20", "PT17"):
        assert table.loc[rid, "y"] == pytest.approx(non_eu[rid] - nat[rid])
    pairs = [(x[r], non_eu[r] - nat[r]) for r in REGIONS if non_eu[r] is not None]
    assert view.r == pytest.approx(statistics.correlation(*zip(*pairs)))
    assert view.y_unit == "percentage points" and "gap" in view.y_label


def test_pearson_edge_cases():
    assert ov.pearson([1, 2], [3, 4]) == (None, 2)
    assert ov.pearson([1, 1, 1], [1, 2, 3]) == (None, 3)
    r, n = ov.pearson([1, 2, np.nan, 4], [2, 4, 5, 8])
    assert n == 3 and r == pytest.approx(1.0)


def test_parse_query_lenient(dataset):
    state, notes = ov.parse_outcomes_query("?x=area:labour_market&y=unemployment_non_eu&region=pt20&mode=gap",
                                           dataset)
    assert state == ov.OutcomesState("area:labour_market", "unemployment_non_eu", "gap", "PT20")
    assert notes == []
    state, notes = ov.parse_outcomes_query("?x=nonsense&y=nope&mode=gap&region=XX", dataset)
    assert state.x == "area:labour_market" and state.y == ov.DEFAULT_Y and state.region is None
    assert len(notes) == 3  # x, y and region; gap is fine for the default outcome
    state, notes = ov.parse_outcomes_query({"y": ["population"], "mode": ["gap"]}, dataset)
    assert state.mode == "value" and any("no nationals' counterpart" in n for n in notes)
    assert ov.OutcomesState(y="arope", region="PT20").query() == {"x": "area:labour_market", "y": "arope",
                                                                  "region": "PT20"}


def test_embedded_dataset_view_and_figure(dataset):
    state, _ = ov.parse_outcomes_query("?x=phase:evaluation&y=neet_non_eu&region=SE224", dataset)
    view = ov.outcomes_view(dataset, state)
    assert len(view.table) == 25 and view.n == 25
    fig = outcome_figures.scatter(view.table, x_label=view.x_label, y_label=view.y_label, y_unit=view.y_unit,
                                  title=view.title, source_line=view.source_line, r_text=ov.r_text(view),
                                  caveat=view.caveat, x_mean=view.x_mean, y_mean=view.y_mean)
    labels = [t for trace in fig.data for t in trace.text]
    assert len(labels) == 25 and set(labels) == set(dataset.regions["name_en"])
    selected = next(t for t in fig.data if t.name == "Selected region")
    assert list(selected.customdata) == ["SE224"] and selected.marker.symbol[0] == "circle-open"
    shapes = {s.type for s in fig.layout.shapes}
    assert shapes == {"line"} and len(fig.layout.shapes) == 2
    annotations = " ".join(a.text for a in fig.layout.annotations)
    assert "Governance:" in annotations and "Outcomes: Eurostat edat_lfse_38" in annotations
    assert "ILLUSTRATIVE" in annotations and "not cause" in fig.layout.title.text
