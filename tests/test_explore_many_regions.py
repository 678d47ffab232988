"""Explore & rank with many regions (issue 16): above ``MAX_ROWS`` regions shown the ranking is drawn a page at a
time and the heat-map one row per country (drill down by choosing a country); at 25 regions nothing changes.

The package is made here (120 made-up regions in three countries, seeded answers on the embedded framework) in a
temporary folder: 70 in DE (more than one page on their own), 30 in FR, 20 in IT."""

from __future__ import annotations

import json
import shutil

import dash
import numpy as np
import pandas as pd
import pytest

from dashboard import config, scoring
from dashboard.callbacks import explore as cx
from dashboard.views import explore as ve

COUNTS = {"DE": 70, "FR": 30, "IT": 20}


def make_package(folder, counts=COUNTS, seed=3):
    """regions, framework, answers of ``sum(counts)`` made-up regions (``DE0A0`` …), answers seeded."""
    folder.mkdir(parents=True, exist_ok=True)
    codes = [f"{c}{i // 26 % 10}{chr(65 + i % 26)}{i // 260}" for c, n in counts.items() for i in range(n)]
    country = [c for c, n in counts.items() for _i in range(n)]
    pd.DataFrame({"region_id": codes, "name_local": codes, "name_en": [f"Region {c}" for c in codes],
                  "country": country, "country_name": country, "nuts_level": 3, "nuts2024_ids": codes,
                  "partner_region": False}).to_csv(folder / "regions.csv", index=False)
    shutil.copy(config.EMBEDDED_DATA_DIR / "framework.csv", folder / "framework.csv")
    ids = pd.read_csv(folder / "framework.csv")["indicator_id"].to_numpy()
    values = np.random.default_rng(seed).choice([0.0, 50.0, 100.0], size=(len(codes), len(ids)))
    pd.DataFrame({"region_id": np.repeat(codes, len(ids)), "indicator_id": np.tile(ids, len(codes)),
                  "value": values.ravel()}).to_csv(folder / "answers.csv", index=False)
    desc = json.loads((config.EMBEDDED_DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    desc["resources"] = [r for r in desc["resources"] if r["name"] in ("regions", "framework", "answers")]
    (folder / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    from dashboard import data

    folder = tmp_path_factory.mktemp("many") / "package"
    make_package(folder)
    return data.load_dataset(folder)


def _bars(view) -> list[str]:
    return list(view.ranking.data[0].y)


def _whole(dataset, measure: str, sort: str = "desc") -> list[str]:
    """Every bar label of the whole ranking ("12. Region DE0A0": ties share a rank)."""
    from dashboard.figures import explore as fx
    from dashboard.views.common import region_names

    frame = fx.ranking_frame(dataset.wide_scores, measure, region_names(dataset), sort=sort)
    return [f"{int(r)}. {n}" for r, n in zip(frame["rank"], frame["name"])]


def test_all_regions_page_one_and_countries_in_the_heatmap(many):
    st, _notes = ve.parse_query({}, many)
    view = ve.explore_view(many, st)
    assert (view.page, view.pages, view.by_country) == (1, 3, True)
    assert view.pager_text == "Regions 1–50 of 120"
    bars = _bars(view)
    whole = _whole(many, "overall")
    assert bars == whole[:50] and bars[0].startswith("1. ")
    assert "showing 1–50 of 120" in view.ranking.layout.title.text
    assert view.ranking.layout.shapes[0].x0 == pytest.approx(many.wide_scores["overall"].mean())
    heat = view.heatmap.data[0]
    assert heat.meta == "heatmap-countries"
    assert sorted(heat.y) == ["France (30)", "Germany (70)", "Italy (20)"]
    means = many.wide_scores.groupby(many.regions.set_index("region_id")["country"]).mean()
    row = list(heat.y).index("France (30)")
    assert heat.z[row][0] == pytest.approx(means.at["FR", "overall"])
    codes = [c[0][0] for c in heat.customdata]  # a click gives the country code
    assert [y.split(" ")[0] for y in heat.y] == [{"DE": "Germany", "FR": "France", "IT": "Italy"}[c] for c in codes]
    order = [means.at[c, "overall"] for c in codes]
    assert order == sorted(order, reverse=True)  # the countries follow the ranking's order
    assert len(view.table) == 120  # the table keeps every region
    assert "3 countries (rows)" in view.heatmap_text and "Country filter" in view.heatmap_text
    assert "regions 1 to 50 of 120" in view.ranking_text and "120 regions shown" in view.ranking_text


def test_later_pages_keep_the_ranks_among_all_and_clamp(many):
    st, _notes = ve.parse_query({"sort": "asc"}, many)
    last = ve.explore_view(many, st, page=3)
    assert (last.page, last.pager_text) == (3, "Regions 101–120 of 120")
    assert _bars(last) == _whole(many, "overall", "asc")[100:]  # lowest first: the best come last
    assert _bars(last)[-1].startswith("1. ")
    assert ve.explore_view(many, st, page=99).page == 3
    assert ve.explore_view(many, st, page=0).page == 1


def test_one_country_with_many_regions_pages_its_heatmap_with_the_ranking(many):
    st, _notes = ve.parse_query({"country": "DE", "axis": "phase"}, many)
    view = ve.explore_view(many, st, page=2)
    assert (view.page, view.pages, view.by_country) == (2, 2, False)
    names = [y.split(". ", 1)[1] for y in _bars(view)]
    assert len(names) == 20 and list(view.heatmap.data[0].y) == names
    assert len(view.heatmap.data[0].x) == 1 + len(scoring.AXES["phase"])
    assert "20 regions (rows)" in view.heatmap_text and "page above" in view.heatmap_text
    assert len(view.table) == 70


def test_a_country_with_few_regions_is_drawn_whole(many):
    st, _notes = ve.parse_query({"country": "FR"}, many)
    view = ve.explore_view(many, st, page=2)
    assert (view.page, view.pages, view.by_country, view.pager_text) == (1, 1, False, "")
    assert len(_bars(view)) == 30 and len(view.heatmap.data[0].y) == 30
    assert view.heatmap.data[0].meta == "heatmap"
    assert "showing" not in view.ranking.layout.title.text and "buttons" not in view.ranking_text


def test_callback_pages_send_only_the_charts_and_a_filter_goes_back_to_page_one(many):
    args = (many, "overall", [], "all", [], "all", "desc", "?measure=overall&sort=desc")
    first = cx.update(*args)
    assert first[-5:] == (False, "Regions 1–50 of 120", True, False, 1)
    nxt = cx.update(*args, page=1, step=1)
    assert nxt[-5:] == (False, "Regions 51–100 of 120", False, False, 2)
    assert nxt[0] is dash.no_update and nxt[4] is dash.no_update and nxt[5] is dash.no_update
    assert list(nxt[2].data[0].y) == _whole(many, "overall")[50:100]
    last = cx.update(*args, page=2, step=1)
    assert last[-5:] == (False, "Regions 101–120 of 120", False, True, 3)
    back = cx.update(*args, page=3, step=-1)
    assert back[-1] == 2
    changed = cx.update(many, "area:health", [], "all", [], "all", "desc", "?measure=overall&sort=desc", page=3)
    assert changed[-1] == 1 and all(len(v) == 120 for v in changed[5]["values"])  # page 1, the whole table
    assert changed[5]["fields"][:2] == ["rank", "name"]


def test_views_are_cached_only_for_shared_data(many):
    st, _notes = ve.parse_query({"measure": "area:health"}, many)
    ve.VIEWS.clear()
    private = ve.explore_view(many, st, cache=False)
    assert len(ve.VIEWS) == 0 and ve.explore_view(many, st, cache=False) is not private
    shared = ve.explore_view(many, st, cache=True)
    assert ve.explore_view(many, st, cache=True) is shared
    assert ve.explore_view(many, st, page=2, cache=True) is not shared
    assert _bars(shared) == _bars(private)


def test_columnar_rows_hold_the_cells_of_the_records(many):
    from dashboard.views.columns import Column, columnar, records

    st, _notes = ve.parse_query({}, many)
    view = ve.explore_view(many, st)
    table = view.table.copy()
    table.loc[table.index[0], "overall"] = np.nan  # a missing score stays a blank cell
    cols = list(view.columns) + [Column("absent", "Absent")]
    packed = columnar(table, cols)
    assert packed["fields"] == [c.id for c in cols]
    rebuilt = [dict(zip(packed["fields"], cells)) for cells in zip(*packed["values"])]
    assert rebuilt == records(table, cols) and rebuilt[0]["overall"] is None and rebuilt[0]["absent"] is None
    assert json.dumps(packed)  # JSON-safe
    assert len(json.dumps(packed)) < len(json.dumps(records(table, cols))) / 2


def test_page_sends_the_rows_once_in_a_store_with_many_regions(many, monkeypatch):
    """Above MAX_ROWS regions the grid opens without rows and the store holds them (handed over in the browser
    once the charts are drawn); with the embedded 25 regions the grid holds its rows and the store nothing."""
    from dashboard import ids, state
    from dashboard.app import create_app

    create_app()  # the pages register themselves with Dash Pages, which needs an app
    from dashboard.pages import explore as page
    from tests.dash_tree import find

    few = page.layout()
    assert len(find(few, ids.EXPLORE_TABLE).rowData) == 25 and find(few, ids.EXPLORE_TABLE_ROWS).data is None
    monkeypatch.setattr(state, "current", lambda: many)
    layout = page.layout()
    grid, store = find(layout, ids.EXPLORE_TABLE), find(layout, ids.EXPLORE_TABLE_ROWS)
    assert getattr(grid, "rowData", None) is None and grid.dashGridOptions["paginationPageSize"] == ve.MAX_ROWS
    assert all(len(v) == 120 for v in store.data["values"]) and "name" in store.data["fields"]
    assert f"#{ids.EXPLORE_RANKING} .main-svg" in cx.TABLE_ROWS_JS and f"#{ids.EXPLORE_HEATMAP} .main-svg" in \
        cx.TABLE_ROWS_JS  # the rows wait for both charts
