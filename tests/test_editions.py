"""Editions on screen and in files: ``edition``/``since`` read leniently on pages and strictly for exports, the
profile's scores per edition, compare's change columns, the change map, and every export following the same
parameters. Numbers are checked against the scores the fixture wrote (tests/conftest.py), pivoted here."""

from __future__ import annotations

import html as _html

import dash
import plotly.graph_objects as go
import pytest
from conftest import two_edition_scores
from dash import html

from dashboard import ids, query, scoring
from dashboard.callbacks import compare as compare_cb
from dashboard.callbacks import map as map_cb
from dashboard.callbacks import region as region_cb
from dashboard.components.editions import edition_controls
from dashboard.errors import UnknownOption
from dashboard.export import links
from dashboard.figures import change as change_figures
from dashboard.views import charts, editions
from dashboard.views import map as map_view
from dashboard.views import tables as vtables
from tests.dash_tree import find as _find
from tests.dash_tree import text as _text


@pytest.fixture(scope="module")
def expected(dataset):
    """(edition → region × dimension scores, change 2024 − 2021) computed from the fixture's own table."""
    long = two_edition_scores(dataset)
    wide = {e: part.pivot(index="region_id", columns="dimension", values="score")
            for e, part in long.groupby("edition")}
    return wide, wide[2024] - wide[2021]


# ---------------------------------------------------------------------------------------------
# Parsing: lenient on pages, strict for exports
# ---------------------------------------------------------------------------------------------

def test_edition_parsers_lenient_and_strict():
    eds = (2021, 2024)
    assert query.parse_edition(None, eds, 2024) == (2024, None)
    assert query.parse_edition(["2021", "2024"], eds, 2024) == (2021, None)  # first value of a repeated key
    shown, note = query.parse_edition("1999", eds, 2024)
    assert shown == 2024 and "1999" in note and "2021, 2024" in note
    assert query.parse_since("2021", eds, 2024) == (2021, None)
    assert query.parse_since("2024", eds, 2024)[0] is None and "is the edition shown" in query.parse_since(
        "2024", eds, 2024)[1]
    assert query.check_edition(" 2021 ", eds, 2024) == 2021 and query.check_edition(None, eds, 2024) == 2024
    with pytest.raises(UnknownOption, match="unknown edition 'x'; the data have: 2021, 2024"):
        query.check_edition("x", eds, 2024)
    with pytest.raises(UnknownOption, match="another edition than the one shown \\(2024\\)"):
        query.check_since("2024", eds, 2024)
    assert query.check_since(None, eds, 2024) is None and query.check_since("none", eds, 2024) is None
    assert query.parse_since("None", eds, 2024) == (None, None)


def test_one_edition_adds_nothing_but_the_edition_in_the_source_line(dataset):
    choice = editions.parse_editions(dataset)
    assert (choice.edition, choice.since, choice.several, choice.params()) == (2021, None, False, {})
    assert edition_controls(choice, "a", "b") is None
    assert edition_controls(choice, "a", "b", always=True).className == "d-none"
    assert "edition 2021" in dataset.source_line
    content, rid = region_cb.profile_layout(dataset, "PT20")
    assert rid == "PT20" and _find(content, ids.REGION_EDITIONS) is None
    # a link naming another edition falls back with a note on a page, and is refused by an export
    assert "2024" in editions.parse_editions(dataset, "2024").notes[0]
    with pytest.raises(UnknownOption, match="the data have: 2021"):
        vtables.data_view(dataset, "scores", {"edition": "2024"})


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------

def test_two_edition_fixture_and_change(two_editions, expected):
    wide, change = expected
    assert two_editions.editions == (2021, 2024) and two_editions.edition == 2024
    got = editions.change_wide(two_editions, 2024, 2021)
    for rid in ("PT20", "ES51", "ITF3"):
        for d in scoring.DIMENSIONS:
            assert got.at[rid, d] == pytest.approx(change.at[rid, d])
    assert got.at["ES51", "overall"] == pytest.approx(12)


def test_profile_scores_per_edition(two_editions, expected):
    wide, change = expected
    table, reference = editions.profile_editions(two_editions, "ES51", 2024, None)
    assert reference == 2021  # no since: the edition before the one shown
    row = table.set_index("dimension")
    for d in scoring.DIMENSIONS:
        assert row.at[d, "2021"] == pytest.approx(wide[2021].at["ES51", d])
        assert row.at[d, "2024"] == pytest.approx(wide[2024].at["ES51", d])
        assert row.at[d, "change"] == pytest.approx(change.at["ES51", d])
    oldest, ref = editions.profile_editions(two_editions, "ES51", 2021, None)
    assert ref is None and "change" not in oldest.columns
    back, ref = editions.profile_editions(two_editions, "ES51", 2021, 2024)
    assert ref == 2024 and back.set_index("dimension").at["overall", "change"] == pytest.approx(-12)


def test_profile_layout_and_edition_search(two_editions, expected):
    wide, _ = expected
    choice = editions.parse_editions(two_editions, "2021", None)
    content, rid = region_cb.profile_layout(two_editions, "es51", choice)
    header = _text(_find(content, ids.REGION_HEADER))
    assert f"{wide[2021].at['ES51', 'overall']:.0f}" in header
    table = _find(content, ids.REGION_EDITIONS)
    assert table is not None and "2021" in _text(table) and "Change since" not in _text(table)
    content, _ = region_cb.profile_layout(two_editions, "ES51", editions.parse_editions(two_editions))
    assert "Change since 2021" in _text(_find(content, ids.REGION_EDITIONS)) and "+12" in _text(content)
    assert region_cb.edition_search(two_editions, "2021", "") == "?edition=2021"
    assert region_cb.edition_search(two_editions, "2024", "2021") == "?since=2021"
    assert region_cb.edition_search(two_editions, "1999", "") == ""


def test_compare_callback_shows_the_edition_and_a_change_column(two_editions, expected):
    wide, change = expected
    out = compare_cb.update(two_editions, ["PT20", "ES51"], "", "2024", "2021")
    n = len(compare_cb.TEXT_CHARTS)  # the charts' text alternatives are the last outputs
    col_defs, rows, search = out[-5 - n], out[-4 - n], out[-3 - n]
    assert search == "?regions=PT20,ES51&since=2021"
    assert any(c.get("field") == "ES51_change" for c in _flat(col_defs))
    overall = next(r for r in rows if r["label"] == scoring.dimension_label("overall"))
    assert overall["ES51_change"] == pytest.approx(round(change.at["ES51", "overall"], 1))
    assert overall["PT20"] == pytest.approx(round(wide[2024].at["PT20", "overall"], 1))
    assert "edition 2024" in _text(out[-1 - n])
    older = compare_cb.update(two_editions, ["PT20", "ES51"], "", "2021", "")
    radar = older[5]  # the phase radar (the element axis, 3 spokes, is bars): its traces are the 2021 scores
    pt20 = next(t for t in radar.data if t.customdata is not None and t.customdata[0] == "PT20")
    keys = scoring.AXES["phase"]
    assert list(pt20.r[:-1]) == pytest.approx([round(wide[2021].at["PT20", k], 1) for k in keys])
    assert older[-3 - n] == "?regions=PT20,ES51&edition=2021"
    assert not any(c.get("field", "").endswith("_change") for c in _flat(older[-4 - n]))


def _flat(col_defs):
    for c in col_defs:
        yield c
        yield from _flat(c.get("children", []))


# ---------------------------------------------------------------------------------------------
# The map
# ---------------------------------------------------------------------------------------------

def test_change_map_recolours_every_region_trace(two_editions, expected):
    _, change = expected
    now, then = two_editions.scores_table(), two_editions.with_edition(2021).scores_table()
    fig = go.Figure([
        go.Choropleth(locations=["FR"], z=[0]),  # a context trace: no region ids, left alone
        go.Choropleth(locations=["ES51", "PT20"], z=[1, 2], customdata=["ES51", "PT20"], coloraxis="coloraxis"),
        go.Scattergeo(lon=[0], lat=[0], customdata=["ITF3"], marker=dict(color=[3], coloraxis="coloraxis")),
    ])
    out = change_figures.change_map(fig, now, then, "overall", 2024, 2021)
    assert list(out.data[0].z) == [0]
    assert list(out.data[1].z) == pytest.approx([change.at["ES51", "overall"], change.at["PT20", "overall"]])
    assert list(out.data[2].marker.color) == pytest.approx([change.at["ITF3", "overall"]])
    assert "in 2021 →" in out.data[1].hovertext[0] and "(+12 points)" in out.data[1].hovertext[0]
    axis = out.layout.coloraxis
    assert axis.colorscale[0][1] != axis.colorscale[-1][1] and axis.cmid == 0 and axis.cmin == -axis.cmax
    assert axis.cmax >= abs(change["overall"]).max()
    assert out.layout.title.text == "Overall score: change from 2021 to 2024 (points)"
    assert list(fig.data[1].z) == [1, 2], "the input figure is untouched"


def test_map_state_and_callback(two_editions, expected):
    _, change = expected
    view = map_view.parse_map_query(two_editions, "overall", None, "2024", "2021")
    assert (view.editions.edition, view.editions.since, view.notes) == (2024, 2021, [])
    assert map_view.map_search("overall", "PT20", view.editions.params()) == "?region=PT20&since=2021"
    bad = map_view.parse_map_query(two_editions, None, None, "1999", None)
    assert bad.editions.edition == 2024 and "1999" in bad.notes[0]
    from dashboard import geo

    try:
        geo.map_layers(two_editions.regions)
    except geo.GeoDataMissing:
        pytest.skip("needs the boundary files")
    fig, _rows, _side, search = map_cb.change_edition(two_editions, "overall", "ES51", "2024", "2021")
    assert search == "?region=ES51&since=2021"
    assert "change from 2021 to 2024" in fig["layout"]["title"]["text"]

    def region_of(item):
        return item[0] if isinstance(item, list) else item

    main = next(t for t in fig["data"] if "ES51" in [region_of(c) for c in t.get("customdata") or []])
    at = [region_of(c) for c in main["customdata"]].index("ES51")
    value = main["z"][at] if "z" in main else main["marker"]["color"][at]
    assert value == pytest.approx(change.at["ES51", "overall"])
    # a measure change keeps the change view (a whole figure), and without "since" it is a small Patch
    whole, _rows, search, _lines = map_cb.change_measure(two_editions, "area:health", None, 0, "2024", "2021")
    assert isinstance(whole, dict) and "change from 2021 to 2024" in whole["layout"]["title"]["text"]
    assert search == "?measure=area:health&since=2021"
    patch, _rows, search, _lines = map_cb.change_measure(two_editions, "overall", None, 0, "2021", "")
    assert search == "?edition=2021" and isinstance(patch, dash.Patch)


# ---------------------------------------------------------------------------------------------
# Exports follow the same parameters
# ---------------------------------------------------------------------------------------------

def test_chart_exports_follow_edition_and_since(two_editions, expected):
    wide, _ = expected
    radar = charts.build_chart(two_editions, "radar", ["PT20"], axis="area", edition="2021")
    pt20 = next(t for t in radar.fig.data if t.name == "Azores")
    assert list(pt20.r[:-1]) == pytest.approx([round(wide[2021].at["PT20", k], 1) for k in scoring.AXES["area"]])
    assert "edition 2021" in radar.fig.layout.annotations[0].text.replace("<br>", " ")
    name, q = charts.normalise_chart(two_editions, "map", edition="2024", since="2021")
    assert (q.edition, q.since) == (None, 2021)  # the latest is the default: one cache key for both spellings
    assert charts.chart_params(q)["since"] == 2021
    assert links.view_link("/", charts.chart_params(q)) == "/?measure=overall&since=2021"
    for bad in ({"edition": "1999"}, {"since": "2024"}, {"since": "soon"}):
        with pytest.raises(UnknownOption):
            charts.build_chart(two_editions, "target", ["PT20"], **bad)


def test_data_exports_follow_edition_and_since(two_editions, expected):
    wide, change = expected
    region = vtables.data_view(two_editions, "region", {"region": "ES51", "since": "2021"}).table.set_index("dimension")
    assert region.at["overall", "score_2021"] == pytest.approx(wide[2021].at["ES51", "overall"], abs=0.01)
    assert region.at["overall", "change_since_2021"] == pytest.approx(12, abs=0.01)
    ranked = vtables.data_view(two_editions, "map", {"measure": "area:health", "since": "2021"})
    frame = ranked.table.set_index("region_id")
    for rid in ("PT20", "ES51"):
        assert frame.at[rid, "change_since_2021"] == pytest.approx(change.at[rid, "area:health"], abs=0.01)
    assert "since = 2021" in ranked.filters and "edition = 2024" in ranked.filters
    old = vtables.data_view(two_editions, "scores", {"edition": "2021"})
    assert old.table.set_index("region_id").at["PT20", "overall"] == pytest.approx(wide[2021].at["PT20", "overall"])
    assert old.title.endswith("(edition 2021)")
    cmp = vtables.data_view(two_editions, "compare", {"regions": "PT20,ES51", "since": "2021"}).table
    assert cmp.set_index("dimension").at["overall", "ES51_change"] == pytest.approx(12, abs=0.01)
    with pytest.raises(UnknownOption):
        vtables.data_view(two_editions, "region", {"region": "ES51", "since": "2024"})
    assert vtables.link_params(two_editions, {"edition": "2021", "since": "2024"})["since"] == "2024"


def test_brief_follows_edition_and_since(two_editions, expected):
    from dashboard.export.brief import brief_html

    wide, _ = expected
    page = _html.unescape(brief_html(two_editions, ["ES51"], charts="js", plotly_js_url="/p.js", since=2021))
    assert "Change of the overall score since 2021 (points)" in page and ">+12<" in page
    assert "edition 2024" in page
    old = _html.unescape(brief_html(two_editions, ["ES51", "PT20"], charts="js", plotly_js_url="/p.js",
                                    edition="2021"))
    assert f"<b>{wide[2021].at['ES51', 'overall']:.0f}</b>" in old and "Change since" not in old
    with pytest.raises(UnknownOption):
        brief_html(two_editions, ["ES51"], charts="js", edition="1999")
    assert links.brief_link(["ES51"], {"since": "2021"}) == "/region/ES51?since=2021"


def test_export_routes_take_edition_and_since(two_editions, monkeypatch):
    from flask import Flask

    from dashboard import state
    from dashboard.routes import export as routes

    monkeypatch.setattr(state, "current", lambda: two_editions)
    app = Flask(__name__)
    app.register_blueprint(routes.bp)
    client = app.test_client()
    ok = client.get("/export/data.csv?view=region&region=ES51&since=2021&page=/region/ES51")
    assert ok.status_code == 200 and b"change_since_2021" in ok.data and b"/region/ES51?since=2021" in ok.data
    bad = client.get("/export/data.csv?view=region&region=ES51&edition=1999")
    assert bad.status_code == 400 and b"unknown edition '1999'" in bad.data
    assert client.get("/export/chart.png?chart=map&since=2024").status_code == 400
    page = client.get("/brief/ES51.html?charts=js&since=2021")
    assert page.status_code == 200 and "since 2021" in page.data.decode()


def test_edition_controls_render_with_several_editions(two_editions):
    choice = editions.parse_editions(two_editions, None, "2021")
    controls = edition_controls(choice, ids.COMPARE_EDITION, ids.COMPARE_SINCE, always=True)
    assert "d-flex" in controls.className
    assert _find(controls, ids.COMPARE_EDITION).value == "2024"
    since = _find(controls, ids.COMPARE_SINCE)
    assert since.value == "2021" and [o["value"] for o in since.options] == ["none", "2021"]
    assert isinstance(controls, html.Div)
