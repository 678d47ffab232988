"""Compare and Explore callbacks as plain functions: URL state round-trips, filters, invalid input."""

from __future__ import annotations

import pytest

from dashboard import scoring
from dashboard.callbacks import explore as explore_callbacks
from dashboard.components.data_grid import grid_props
from dashboard.figures import compare as fc
from dashboard.figures.profile import AVERAGE_NAME
from dashboard.query import parse_search
from dashboard.views import compare as cc
from dashboard.views import explore as ce
from dashboard.views.columns import records


@pytest.fixture(scope="module")
def app():
    """Pages register themselves with Dash Pages, which needs an app; create_app also serves the embedded data."""
    from dashboard.app import create_app

    return create_app()


# --- Compare ---------------------------------------------------------------------------------------


def test_parse_regions_valid_unknown_and_case(dataset):
    ids, notes = cc.parse_regions("PT20,pt17,ES51", dataset)
    assert ids == ["PT20", "PT17", "ES51"] and notes == []
    ids, notes = cc.parse_regions("PT20,XX9,PT17,PT20", dataset)
    assert ids == ["PT20", "PT17"]
    assert len(notes) == 1 and "XX9" in notes[0]


def test_parse_regions_more_than_four_is_truncated_with_note(dataset):
    ids, notes = cc.parse_regions("PT20,PT17,ES51,ES62,SE224,ITF3", dataset)
    assert ids == ["PT20", "PT17", "ES51", "ES62"]
    assert len(notes) == 1 and dataset.region_name("SE224") in notes[0] and "4" in notes[0]


def test_parse_regions_default_only_when_absent(dataset):
    assert cc.parse_regions(None, dataset)[0] == list(cc.DEFAULT_REGIONS)
    assert cc.parse_regions("", dataset) == ([], [])


def test_compare_url_round_trip(dataset):
    for selection in (["ES51", "PT20"], ["PT20", "PT17", "ES51", "SE232"]):
        query = cc.to_query(selection)
        assert query == "?regions=" + ",".join(selection)
        raw = query.split("=", 1)[1]
        assert cc.parse_regions(raw, dataset)[0] == selection


def test_region_options_disable_the_rest_at_four(dataset):
    opts = cc.region_options(dataset, ["PT20", "PT17", "ES51", "ES62"])
    disabled = {o["value"] for o in opts if o["disabled"]}
    assert len(disabled) == len(dataset.regions) - 4 and "PT20" not in disabled
    assert not any(o["disabled"] for o in cc.region_options(dataset, ["PT20", "PT17"]))


def test_compare_view_needs_two_regions(dataset):
    view = cc.compare_view(dataset, ["PT20"])
    assert not view.ready and cc.HINT in view.notes and not view.radars
    assert not cc.compare_view(dataset, []).ready


def test_compare_view_three_regions(dataset):
    view = cc.compare_view(dataset, ["PT20", "PT17", "ES51"])
    assert view.ready and view.search == "?regions=PT20,PT17,ES51"
    names = [dataset.region_name(r) for r in view.region_ids]
    for axis in cc.RADAR_AXES:
        traces = [t.name for t in view.radars[axis].data]
        assert AVERAGE_NAME in traces and all(n in traces for n in names)
    assert set(view.bars) == {"areas", "governance"}
    assert [t.name for t in view.target.data] == names + [AVERAGE_NAME]
    col_ids = [c.id for c in view.columns]
    assert col_ids[:5] == ["label", "PT20", "PT17", "ES51", "average"]
    assert "PT17_vs_PT20" in col_ids and "ES51_vs_average" in col_ids
    data = records(view.table, view.columns)
    overall = next(r for r in data if r["label"] == "Overall score")
    assert overall["PT20"] == pytest.approx(round(dataset.wide_scores.at["PT20", "overall"], 1))
    assert len(data) == len(scoring.DIMENSIONS)
    # the grid shows the score columns under one "Score (0–100)" header group
    defs, rows = grid_props(view.table, view.columns)
    assert [d["field"] for d in defs[1]["children"]] == ["PT20", "PT17", "ES51", "average"] and rows == data


def test_compare_view_cuts_a_fifth_region(dataset):
    view = cc.compare_view(dataset, ["PT20", "PT17", "ES51", "ES62", "SE224"])
    assert view.region_ids == ["PT20", "PT17", "ES51", "ES62"]
    assert any("left out" in n for n in view.notes)
    assert len(fc.compare_table(dataset.wide_scores, view.region_ids).filter(like="_vs_average").columns) == 4


def test_compare_page_layout_reads_url(app):
    from dashboard.pages import compare as page

    text = str(page.layout(regions="PT20,PT17,ES51,XX9"))
    assert "XX9" in text  # the visible note about the unknown id
    assert "Azores" in text and "Catalonia" in text


# --- Explore ---------------------------------------------------------------------------------------

EXAMPLE = {"measure": "area:health", "country": "IT,ES", "axis": "area", "sort": "desc"}


def test_explore_parse_example_url(dataset):
    st, notes = ce.parse_query(EXAMPLE, dataset)
    assert notes == []
    assert st == ce.ExploreState("area:health", ("IT", "ES"), "area", (), "all", "desc")


@pytest.mark.parametrize("query", [
    EXAMPLE,
    {},
    {"measure": "phase:evaluation", "sort": "asc"},
    {"measure": "target:BIP", "target": "BIP", "area": "health,education", "country": "SE"},
    {"measure": "overall", "axis": "element", "sort": "name", "area": "language"},
])
def test_explore_url_round_trip(dataset, query):
    st, _ = ce.parse_query(query, dataset)
    search = ce.to_query(st)
    again, notes = ce.parse_query(parse_search(search), dataset)
    assert again == st and notes == []
    assert ce.to_query(again) == search


def test_explore_query_is_readable(dataset):
    st, _ = ce.parse_query(EXAMPLE, dataset)
    assert ce.to_query(st) == "?measure=area:health&country=IT,ES&axis=area&sort=desc"


def test_explore_invalid_values_fall_back_with_notes(dataset):
    st, notes = ce.parse_query({"measure": "area:nonsense", "country": "IT,QQ", "axis": "zodiac",
                                "area": "health,astrology", "target": "aliens", "sort": "worst"}, dataset)
    assert st == ce.ExploreState("overall", ("IT",), "all", ("health",), "all", "desc")
    joined = " ".join(notes)
    for bad in ("area:nonsense", "QQ", "zodiac", "astrology", "aliens", "worst"):
        assert bad in joined


def test_explore_measure_outside_area_filter_falls_back(dataset):
    st, notes = ce.parse_query({"measure": "area:housing", "area": "health"}, dataset)
    assert st.measure == "overall" and any("Housing" in n for n in notes)
    st, notes = ce.parse_query({"measure": "target:TCN", "target": "BIP"}, dataset)
    assert st.measure == "overall" and notes


def test_state_from_controls_accepts_cleared_dropdowns(dataset):
    st, notes = ce.state_from_controls(dataset, "area:health", None, "all", None, "all", "asc")
    assert st == ce.ExploreState(measure="area:health", sort="asc") and notes == []


def test_scores_for_without_filters_is_the_dataset(dataset):
    wide, n, note = ce.scores_for(dataset)
    assert wide is dataset.wide_scores and n == len(dataset.framework) and note is None


def test_scores_for_area_filter_recomputes_on_those_indicators(dataset):
    wide, n, note = ce.scores_for(dataset, ("health",))
    fw = dataset.framework
    assert n == int((fw["area"] == "health").sum())
    # the health score is unchanged; the overall becomes the health score; axes use health indicators only
    assert wide["area:health"].to_numpy() == pytest.approx(dataset.wide_scores["area:health"].to_numpy())
    assert wide["overall"].to_numpy() == pytest.approx(wide["area:health"].to_numpy())
    assert wide["area:housing"].isna().all()
    health = fw[(fw["area"] == "health") & (fw["element"] == "actions")]["indicator_id"]
    ans = dataset.answers[dataset.answers["indicator_id"].isin(health) & (dataset.answers["region_id"] == "PT20")]
    assert wide.at["PT20", "element:actions"] == pytest.approx(ans["value"].mean())
    assert "recomputed" in note and str(n) in note


def test_scores_for_target_filter(dataset):
    wide, n, _ = ce.scores_for(dataset, (), "TCN")
    assert n == int(dataset.framework["target"].isin(["TCN", "both"]).sum())
    assert wide["target:TCN"].to_numpy() == pytest.approx(dataset.wide_scores["target:TCN"].to_numpy())


def test_explore_view_filters_rows_columns_and_table(dataset):
    st, _ = ce.parse_query(EXAMPLE, dataset)
    view = ce.explore_view(dataset, st)
    data = records(view.table, view.columns)
    countries = set(dataset.regions.loc[dataset.regions["country"].isin(["IT", "ES"]), "region_id"])
    assert len(data) == len(countries)
    names = [r["name"] for r in data]
    scores = [r["area:health"] for r in data]
    assert scores == sorted(scores, reverse=True)
    col_ids = [c.id for c in view.columns]
    assert col_ids[:5] == ["rank", "name", "country", "group", "area:health"]
    assert set(col_ids[5:]) == {"overall"} | (set(scoring.AXES["area"]) - {"area:health"})
    assert "element:actions" not in col_ids
    # figures show the same rows, in the same order
    assert [y.split(". ", 1)[1] for y in view.ranking.data[0].y] == names
    assert list(view.heatmap.data[0].y) == names
    assert len(view.heatmap.data[0].x) == 1 + len(scoring.AXES["area"])
    first = dataset.regions.set_index("name_en").loc[names[0], "region_id"]
    assert data[0]["area:health"] == pytest.approx(round(dataset.wide_scores.at[first, "area:health"], 1))
    assert data[0]["rank"] == int(scoring.ranks(dataset.wide_scores, "area:health")[first])
    assert view.search == ce.to_query(st)


def test_explore_view_measure_options_follow_filters(dataset):
    st, _ = ce.parse_query({"area": "health", "target": "BIP"}, dataset)
    view = ce.explore_view(dataset, st)
    enabled = {o["value"] for o in explore_callbacks.measure_choices(view) if not o.get("disabled")}
    assert "area:health" in enabled and "target:BIP" in enabled
    assert "area:housing" not in enabled and "target:TCN" not in enabled
    assert any("recomputed" in n for n in view.notes)


def test_explore_page_layout_reads_url(app):
    from dashboard.pages import explore as page

    text = str(page.layout(measure="area:health", country="IT,XX", axis="area"))
    assert "XX" in text and "Health" in text


# --- Explore: what a ranking filtered to a policy area shows (issue 14) ------------------------------------

def test_filtered_ranking_says_what_is_shown_on_screen_in_files_and_names(dataset):
    from dashboard.views import charts, tables

    st, _ = ce.parse_query({"measure": "overall", "area": "health"}, dataset)
    assert ce.measure_title(st) == "Overall score on the Health indicators"
    view = ce.explore_view(dataset, st)
    plain = view.ranking.layout.title.text.replace("<br>", " ")  # wrapped at spaces for a phone
    assert plain.startswith("Overall score on the Health indicators: regions ranked")
    assert "on the Health indicators" in view.heatmap.layout.title.text.replace("<br>", " ")
    labels = {c.id: c.label for c in view.columns}
    assert labels["rank"] == "Rank (Overall score on the Health indicators)"
    assert labels["overall"] == "Overall score on the Health indicators (0–100)"
    assert labels["area:health"] == "Health (0–100)"
    # the group is the overall group on every indicator: its header says so, never beside the Health score bare
    assert labels["group"] == ce.GROUP_COLUMN_FILTERED and "all indicators" in labels["group"]
    groups = dataset.wide_scores["overall"].map(scoring.group_of)
    assert view.table.set_index("region_id")["group"].equals(groups.loc[view.table["region_id"]])

    chart = charts.build_chart(dataset, "ranking", areas=["health"])
    assert chart.stem == "mipexr-ranking-overall-health-indicators"
    assert chart.title.replace("<br>", " ").startswith("Overall score on the Health indicators")
    heat = charts.build_chart(dataset, "heatmap", areas=["health", "housing"], target="TCN")
    assert heat.stem == "mipexr-heatmap-health-housing-indicators-tcn"
    assert "the Health and Housing indicators aimed at TCN" in heat.title.replace("<br>", " ")

    dv = tables.data_view(dataset, "explore", {"area": ["health"]})
    assert dv.stem == "mipexr-explore-health-indicators"
    assert dv.title == "Explore and rank: Overall score on the Health indicators"
    assert dv.columns["group"] == ce.GROUP_COLUMN_FILTERED


def test_unfiltered_ranking_keeps_its_plain_names(dataset):
    from dashboard.views import charts

    st, _ = ce.parse_query({"measure": "area:health"}, dataset)
    assert ce.measure_title(st) == "Health" and ce.file_suffix(st) == ""
    view = ce.explore_view(dataset, st)
    assert view.ranking.layout.title.text.replace("<br>", " ").startswith("Health: regions ranked")
    assert {c.id: c.label for c in view.columns}["group"] == ce.GROUP_COLUMN
    assert charts.build_chart(dataset, "ranking", measure="area:health").stem == "mipexr-ranking-area-health"
    target_only, _ = ce.parse_query({"target": "BIP"}, dataset)
    assert ce.measure_title(target_only) == "Overall score on the indicators aimed at BIP (or both groups)"
    assert ce.file_suffix(target_only) == "-indicators-bip"
    # the Health score on the Health indicators is the Health score: no extra words
    own, _ = ce.parse_query({"measure": "area:health", "area": "health"}, dataset)
    assert ce.measure_title(own) == "Health" and ce.file_suffix(own) == ""
    assert ce.file_suffix(own, measure=False) == "-health-indicators"  # the heat-map's other columns do change


# --- Text alternatives of the compare and explore charts (issue 14) ---------------------------------------

def _walk(node):
    if isinstance(node, (list, tuple)):
        for c in node:
            yield from _walk(c)
        return
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, (list, tuple)):
        for c in children:
            yield from _walk(c)
    elif children is not None:
        yield from _walk(children)


def _text(node) -> str:
    return " ".join(str(n) for n in _walk(node) if isinstance(n, (str, int, float)))


def test_compare_charts_have_summaries_and_value_tables(dataset):
    from dashboard import ids
    from dashboard.callbacks import compare as compare_callbacks
    from dashboard.figures import profile

    view = cc.compare_view(dataset, ["PT20", "PT17", "ES51"])
    assert {t.type for t in view.radars["element"].data} == {"bar"}, "three spokes: bars, not a triangle"
    assert {t.type for t in view.radars["area"].data} == {"scatterpolar"}
    assert set(view.summaries) == {*cc.RADAR_AXES, "target", "areas", "governance"}
    wide, names = dataset.wide_scores, dict(zip(dataset.regions["region_id"], dataset.regions["name_en"]))
    assert view.summaries["phase"] == profile.axis_summary(wide, ["PT20", "PT17", "ES51"], "phase", names)
    areas = fc.BAR_GROUPS["areas"][1]
    leader = wide.loc[["PT20", "PT17", "ES51"], "overall"].idxmax()
    assert f"Overall score: {names[leader]} ({wide.at[leader, 'overall']:.0f})" in view.summaries["areas"]
    assert f"of {len(areas)}" in view.summaries["areas"]
    table = view.axis_tables["element"]
    assert list(table.columns) == ["Dimension", "Azores", "Lisbon Metropolitan Area", "Catalonia", AVERAGE_NAME]

    # the callback replaces every chart's text with the new selection's
    out = compare_callbacks.update(dataset, ["PT20", "ES51"], "?regions=PT20,PT17,ES51")
    texts = out[-len(compare_callbacks.TEXT_CHARTS):]
    assert [gid for _k, gid in compare_callbacks.TEXT_CHARTS][0] == ids.compare_radar("element")
    assert "Catalonia" in _text(texts[0]) and "Lisbon" not in _text(texts[0])
    assert "Scores from 0 to 100 of 2 regions" in _text(texts[-1])


def test_compare_page_wraps_each_chart_in_a_figure(app):
    from dash import html

    from dashboard import ids
    from dashboard.pages import compare as page

    layout = page.layout(regions="PT20,PT17")
    figures = [n for n in _walk(layout) if isinstance(n, html.Figure)]
    assert len(figures) == 6
    for fig in figures:
        caption = fig.children[-1]
        assert isinstance(caption, html.Figcaption) and caption.id.endswith("-text") and _text(caption)
    assert ids.chart_text(ids.compare_radar("area")) in {f.children[-1].id for f in figures}


def test_explore_charts_have_summaries(dataset):
    st, _ = ce.parse_query({"measure": "overall", "area": "health", "country": "IT"}, dataset)
    view = ce.explore_view(dataset, st)
    wide, _n, _note = ce.scores_for(dataset, st.areas, st.target)
    italy = [r for r, c in zip(dataset.regions["region_id"], dataset.regions["country"]) if c == "IT"]
    top = wide.loc[italy, "overall"].idxmax()
    assert view.ranking_text.startswith(f"Overall score on the Health indicators, scores from 0 to 100, "
                                        f"{len(italy)} regions shown.")
    assert f"Highest: {dataset.region_name(top)} ({wide.at[top, 'overall']:.0f}" in view.ranking_text
    assert f"average of all regions is {wide['overall'].mean():.0f}" in view.ranking_text
    assert view.heatmap_text.startswith(f"{len(italy)} regions (rows)")
    assert "on the Health indicators" in view.heatmap_text
    out = explore_callbacks.update(dataset, "overall", [], "all", ["health"], "all", "desc", "")
    assert "Overall score on the Health indicators" in _text(out[8]) and "25 regions shown" in _text(out[8])
    assert out[-5:] == (True, "", True, True, 1)  # 25 regions: drawn whole, the page control hidden


def test_glossary_defines_the_jargon_on_the_methodology_page(app, dataset):
    from dashboard.glossary import GLOSSARY, tip
    from dashboard.pages import methodology

    for word in ("TCN", "BIP", "Policy output", "NUTS unit used", "Eurostat table"):
        assert len(tip(word)) > 30
    text = _text(methodology.layout())
    assert all(term in text and GLOSSARY[term] in text for term in GLOSSARY)
    sources = methodology.context_sources(dataset)
    assert len(sources) > 0 and all(code in text for code in sources["table"])  # every code listed once
    assert "lfst_r_lfe2emprtn" in text
    with pytest.raises(KeyError):
        tip("not a word")


def test_kept_explore_view_sends_the_same_json_made_once(dataset):
    """A kept view's figures (the shared data) have their JSON made once, and it is the JSON a fresh view sends."""
    from dash._utils import to_json

    st, _ = ce.parse_query(EXAMPLE, dataset)
    ce.VIEWS.clear()
    try:
        fresh = ce.explore_view(dataset, st)
        kept = ce.explore_view(dataset, st, cache=True)
        assert ce.explore_view(dataset, st, cache=True) is kept
        for name in ("ranking", "heatmap"):
            figure = getattr(kept, name)
            assert to_json(figure) == to_json(getattr(fresh, name))
            assert figure.to_plotly_json() is figure.to_plotly_json()
        assert fresh.ranking.to_plotly_json() is not fresh.ranking.to_plotly_json()  # a fresh view is left alone
    finally:
        ce.VIEWS.clear()
