"""The compare and region pages keep what they build for the shared data (per dataset fingerprint, selection,
edition choice and language) and answer the same with and without those caches; a private workspace's
requests keep nothing."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from dash._utils import to_json

from dashboard import i18n, scoring, state
from dashboard.callbacks import compare as compare_cb
from dashboard.callbacks import region as region_cb
from dashboard.views import compare as compare_view
from dashboard.views import drilldown as dd
from dashboard.views import outcomes as ov
from dashboard.views.editions import parse_editions


@pytest.fixture(scope="module")
def app():
    from dashboard.app import create_app

    return create_app()


@pytest.fixture()
def pages(app):
    from tests.dash_tree import page_module

    return page_module("/compare"), page_module("/region/<region_id>")


def _caches(pages):
    compare_page, _region_page = pages
    return (compare_view.VIEWS, compare_cb.PARTS, compare_page.PAGES, region_cb.PROFILES, ov._TABLES, dd._BASES)


@pytest.fixture()
def empty(pages):
    """Every cache of the two pages, emptied before and after the test."""
    caches = _caches(pages)
    for cache in caches:
        cache.clear()
    yield caches
    for cache in caches:
        cache.clear()


def _json(value) -> str:
    return to_json(value)


PRIVATE = {"Cookie": f"{state.WORKSPACE_COOKIE}=a-private-workspace-id"}


def _private(app):
    """A request from a visitor with a private-workspace cookie (gone here: the shared data are shown): nothing
    it builds is kept, so it shows what the pages build without their caches."""
    return app.server.test_request_context("/", headers=PRIVATE)


def _shared(app):
    return app.server.test_request_context("/")


SELECTIONS = (["PT20", "ES51", "ES64"], ["PT20", "PT17"], ["SE224", "DE2", "ITH1", "BE3"], ["PT20"])


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_compare_callback_answers_the_same_from_its_caches(app, dataset, empty, lang):
    with i18n.use(lang):
        with _private(app):
            fresh = [_json(compare_cb.update(dataset, sel, "")) for sel in SELECTIONS]
        assert all(len(c) == 0 for c in empty)
        with _shared(app):  # a visitor of the shared data: kept
            first = [compare_cb.update(dataset, sel, "") for sel in SELECTIONS]
            again = [compare_cb.update(dataset, sel, "") for sel in SELECTIONS]
        assert len(compare_view.VIEWS) == 3 and len(compare_cb.PARTS) == 3  # the single region is not ready
        assert [_json(x) for x in first] == fresh == [_json(x) for x in again]
        assert first[0][4] is again[0][4]  # the same radar object: built once


def test_compare_cache_keys_the_language_and_the_selection(app, dataset, empty):
    with _shared(app):
        english = compare_cb.update(dataset, ["PT20", "ES51"], "")
        with i18n.use("de"):
            german = compare_cb.update(dataset, ["PT20", "ES51"], "")
        other = compare_cb.update(dataset, ["PT20", "ES62"], "")
    assert _json(english) != _json(german) and _json(english) != _json(other)
    with i18n.use("de"):
        assert _json(compare_cb.update(dataset, ["PT20", "ES51"], "")) == _json(german)


def test_compare_page_answers_the_same_from_its_cache(app, pages, empty):
    compare_page, _ = pages
    queries = ({"regions": "PT20,PT17,ES51"}, {"regions": "PT20,xx9,ES51,ES62,SE224"}, {"regions": "PT20"},
               {}, {"regions": "PT20,ES51", "edition": "1999"})
    with _private(app):
        fresh = [_json(compare_page.layout(**q)) for q in queries]
    assert all(len(c) == 0 for c in empty)
    with _shared(app):
        first = [compare_page.layout(**q) for q in queries]
        again = [compare_page.layout(**q) for q in queries]
    assert [_json(x) for x in first] == fresh == [_json(x) for x in again]
    assert all(a is b for a, b in zip(first, again)) and len(compare_page.PAGES) == len(queries)
    assert "xx9" in fresh[1] or "XX9" in fresh[1]  # the note on the unknown id is part of the page (and its key)


def test_region_page_answers_the_same_from_its_cache(app, dataset, pages, empty):
    _, region_page = pages
    with _private(app):
        fresh = [_json(region_page.layout(region_id=r)) for r in ("PT20", "es64", "nowhere")]
    assert all(len(c) == 0 for c in empty)
    with _shared(app):
        first = [region_page.layout(region_id=r) for r in ("PT20", "es64", "nowhere")]
        again = [region_page.layout(region_id=r) for r in ("PT20", "es64", "nowhere")]
        with i18n.use("fr"):
            french = _json(region_page.layout(region_id="PT20"))
    assert [_json(x) for x in first] == fresh == [_json(x) for x in again]
    assert len(region_cb.PROFILES) == 3  # PT20, ES64, PT20 in French; a region not found is not kept
    assert french != fresh[0]
    with i18n.use("fr"):
        assert _json(region_page.layout(region_id="PT20")) == french


def test_a_private_workspace_keeps_nothing(app, dataset, pages, empty):
    compare_page, region_page = pages
    with _private(app):
        assert state.workspace_id() is not None
        compare_cb.update(dataset, ["PT20", "ES51", "ES64"], "")
        compare_page.layout(regions="PT20,PT17")
        region_page.layout(region_id="PT20")
        region_cb.profile_layout(dataset, "ES51", cache=False)
    assert all(len(c) == 0 for c in empty)


def test_a_kept_entry_is_only_reused_for_the_same_data(app, dataset, empty):
    from dataclasses import replace

    changed_scores = dataset.scores.assign(score=dataset.scores["score"].where(
        ~((dataset.scores["region_id"] == "PT20") & (dataset.scores["dimension"] == "overall")), 1.0))
    other = replace(dataset, scores=changed_scores)
    assert other.fingerprint != dataset.fingerprint
    with _shared(app):
        mine = compare_view.compare_view(dataset, ["PT20", "ES51"], cache=True)
        theirs = compare_view.compare_view(other, ["PT20", "ES51"], cache=True)
    assert mine.table.loc[0, "PT20"] != theirs.table.loc[0, "PT20"] == 1.0


# --------------------------------------------------------------------------------------------
# The per-dataset tables give what the per-request code gave
# --------------------------------------------------------------------------------------------

def _reference_region_outcomes(dataset, region_id):
    """The profile's outcome rows as computed before the per-dataset tables (one filter, sort, merge each)."""
    cat = ov.outcome_indicators(dataset)
    rows = []
    for rec in cat[cat["population"] == "non_eu_citizens"].to_dict("records"):
        values = ov.latest_values(dataset.outcomes, rec["id"])
        if region_id not in values.index:
            continue
        gap = None
        if rec["compare_with"]:
            gaps = ov._gap_values(dataset.outcomes, rec["id"], rec["compare_with"])
            gap = float(gaps.loc[region_id, "value"]) if region_id in gaps.index else None
        rows.append((rec["id"], float(values.loc[region_id, "value"]), float(values["value"].mean()), gap))
    return rows


def test_section_tables_match_the_per_indicator_computation(dataset):
    tables = ov._section_tables(dataset)
    for rec in tables.indicators:
        reference = ov.latest_values(dataset.outcomes, rec["id"])
        mine = tables.latest[rec["id"]]
        assert list(mine) == list(reference.index)
        assert [r["value"] for r in mine.values()] == reference["value"].tolist()
        assert [r["year"] for r in mine.values()] == reference["year"].tolist()
        assert tables.average[rec["id"]] == float(reference["value"].mean())
        if rec["compare_with"]:
            gaps = ov._gap_values(dataset.outcomes, rec["id"], rec["compare_with"])
            assert tables.gaps[rec["id"]] == gaps["value"].astype(float).to_dict()
    assert any(tables.gaps.values())  # the embedded data have gaps to compare
    for region_id in dataset.regions["region_id"]:
        frame = ov.region_outcomes(dataset, region_id)
        assert list(zip(frame["indicator"], frame["value"], frame["average"],
                        [None if pd.isna(g) else g for g in frame["gap"]])) == \
            _reference_region_outcomes(dataset, region_id)


def test_section_tables_take_the_latest_year_and_the_latest_common_year_for_gaps(dataset):
    rows = dataset.outcomes[dataset.outcomes["region_id"] == "PT20"]
    indicator = "employment_rate_non_eu"
    old = rows[rows["indicator"] == indicator].assign(year=1990, value=1.0)
    theirs = rows[rows["indicator"] == "employment_rate_nationals"].assign(year=1990, value=50.0)
    from dataclasses import replace

    older = replace(dataset, outcomes=pd.concat([old, theirs, dataset.outcomes], ignore_index=True))
    tables = ov._section_tables(older)
    latest = ov.latest_values(dataset.outcomes, indicator).loc["PT20"]
    assert tables.latest[indicator]["PT20"]["year"] == latest["year"] != 1990
    newest_gap = ov._gap_values(dataset.outcomes, indicator, "employment_rate_nationals").loc["PT20", "value"]
    assert tables.gaps[indicator]["PT20"] == float(newest_gap) != -49.0


def test_compare_outcomes_from_the_tables_match_the_reference(dataset):
    regions = list(dataset.regions["region_id"])
    for chosen in list(itertools.combinations(regions, 2))[::7] + [tuple(regions[:4])]:
        co = ov.compare_outcomes(dataset, list(chosen))
        for rec in co.table.to_dict("records"):
            values = ov.latest_values(dataset.outcomes, rec["indicator"])
            for rid in chosen:
                expected = float(values.loc[rid, "value"]) if rid in values.index else None
                assert (None if pd.isna(rec[rid]) else rec[rid]) == expected
            assert rec["average"] == float(values["value"].mean())
        assert co.illustrative and "ILLUSTRATIVE" in co.source


def test_drilldowns_match_the_frame_by_frame_computation(dataset):
    """The per-dataset lookups give exactly what the pandas path (kept for unusual frameworks) gives."""
    for lang in ("en", "fr"):
        with i18n.use(lang):
            for region_id in ("PT20", "ES64", "SE232"):
                for view in dd.drilldowns(dataset, region_id, axes=("area", "element", "phase", "target")):
                    label = scoring.dimension_label(view.dimension)
                    members = scoring.indicators_of(dataset.framework, view.dimension, dataset.rule)
                    slow = dd._drilldown_frames(dataset, region_id, view.dimension, label, members)
                    pd.testing.assert_frame_equal(view.rows, slow.rows)
                    assert (view.score, view.average, view.label, view.region_name) == \
                        (slow.score, slow.average, slow.label, slow.region_name)


def test_drilldown_cache_is_per_dataset(app, dataset, empty):
    first = dd.drilldowns(dataset, "PT20", cache=True)
    assert len(dd._BASES) == 1
    again = dd.drilldowns(dataset, "PT20", cache=True)
    assert [v.rows.equals(w.rows) for v, w in zip(first, again)] == [True] * len(first)
    assert dd.drilldowns(dataset, "PT17", cache=False) and len(dd._BASES) == 1


def test_profile_layout_keys_the_edition_choice(app, dataset, empty):
    choice = parse_editions(dataset)
    with _shared(app):
        content, rid = region_cb.profile_layout(dataset, "PT20", choice, cache=True)
        again, _ = region_cb.profile_layout(dataset, "pt20", choice, cache=True)
    assert rid == "PT20" and again is content


def test_frozen_sends_the_same_json_and_leaves_the_objects_readable(dataset):
    from dash import html

    from dashboard.figures import profile
    from dashboard.views.cache import frozen

    fig = profile.axis_chart(dataset.wide_scores, ["PT20", "ES51"], "area", dataset.source_line)
    tree = html.Div([html.P("Açores <b> & NaN", id="x"), html.Span([1.5, None]), fig.data[0].name])
    before = (_json(tree), _json(fig), _json([tree, fig]))
    assert frozen([tree, fig]) == [tree, fig]
    assert (_json(tree), _json(fig), _json([tree, fig])) == before
    assert tree.children[0].children == "Açores <b> & NaN" and fig.data[0].type == profile.axis_chart(
        dataset.wide_scores, ["PT20", "ES51"], "area", dataset.source_line).data[0].type
    assert tree.to_plotly_json() is tree.to_plotly_json()  # made once
