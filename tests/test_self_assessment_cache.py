"""What the self-assessment and Methodology pages keep between requests: the same output with and without the
caches, only the loaded (shared) data's parts kept, never the user's answers nor a private workspace's data."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from plotly.utils import PlotlyJSONEncoder

from dashboard import i18n, scoring, state
from dashboard.callbacks import self_assessment as sa_cb
from dashboard.views import self_assessment as sa
from dashboard.views import self_assessment_gains as gains
from tests.dash_tree import page_module


@pytest.fixture(scope="module")
def app():
    from dashboard.app import create_app

    return create_app()


def _json(value) -> str:
    return json.dumps(value, cls=PlotlyJSONEncoder, sort_keys=True, ensure_ascii=False)


def _answers(dataset, region_id: str) -> dict[str, object]:
    scales = dict(zip(dataset.framework["indicator_id"], dataset.framework["scale"]))
    out: dict[str, object] = {}
    for row in dataset.answers[dataset.answers["region_id"] == region_id].itertuples():
        if scales[row.indicator_id] == "percent":
            out[row.indicator_id] = None if pd.isna(row.value) else float(row.value)
        else:
            out[row.indicator_id] = sa.NOT_ANSWERED if pd.isna(row.value) else f"{row.value:g}"
    return out


def _stored_text() -> str:
    """Everything the self-assessment's process-wide cache holds, as text."""
    return " ".join(_json(v.average_traces) + v.average.to_json() for v in sa._SHARED._items.values())


def test_scorer_equals_compute_scores(dataset):
    scorer = scoring.Scorer(dataset.framework, dataset.rule)
    pd.testing.assert_frame_equal(scorer.scores(dataset.answers), scoring.compute_scores(dataset.answers,
                                                                                          dataset.framework))
    rule = scoring.ScoringRule(overall="mean_of_indicators", general_in_axes=False)
    pd.testing.assert_frame_equal(scoring.Scorer(dataset.framework, rule).scores(dataset.answers),
                                  scoring.compute_scores(dataset.answers, dataset.framework, rule))


@pytest.mark.parametrize("region_id", ["PT20", "ES51"])
def test_top_gain_rows_equal_top_gains(dataset, region_id):
    values = _answers(dataset, region_id)
    values.pop(next(iter(values)))  # one question left open
    tables = gains.top_gains(values, dataset.framework, dataset.rule)
    rows = gains.top_gain_rows(values, dataset.framework, dataset.rule)
    assert list(rows) == list(tables) and tables
    for dim, table in tables.items():
        expected = table.to_dict("records")
        assert [{k: r[k] for k in gains.GAIN_COLUMNS if k != "current"} for r in rows[dim]] == [
            {k: r[k] for k in gains.GAIN_COLUMNS if k != "current"} for r in expected]
        assert [r["current"] for r in rows[dim]] == [None if pd.isna(r["current"]) else r["current"]
                                                     for r in expected]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_cached_and_uncached_callbacks_agree(dataset, lang):
    sa._SHARED.clear()
    values = _answers(dataset, "PT20")
    with i18n.use(lang):
        fresh = _json(sa_cb.update(dataset, values, "Açores", "PT20", cache=False))
        assert len(sa._SHARED) == 0  # uncached: nothing kept
        first = _json(sa_cb.update(dataset, values, "Açores", "PT20", cache=True))
        again = _json(sa_cb.update(dataset, values, "Açores", "PT20", cache=True))
        peers_fresh = _json(sa_cb.peer_children(dataset, values, "Açores", ["ES51", "PT17"]))
        peers_cached = _json(sa_cb.peer_children(dataset, values, "Açores", ["ES51", "PT17"], cache=True))
    assert fresh == first == again
    assert peers_fresh == peers_cached
    assert "Açores" in fresh and "Açores" in peers_fresh  # the outputs do carry the user's input


def test_the_cache_keeps_one_entry_per_dataset_and_language_and_no_answers(dataset):
    sa._SHARED.clear()
    for name, region in (("Secret name", "PT20"), ("Other name", "ES51")):
        sa_cb.update(dataset, _answers(dataset, region), name, "ES51", cache=True)
        sa_cb.peer_children(dataset, _answers(dataset, region), name, ["PT20"], cache=True)
    with i18n.use("de"):
        sa_cb.update(dataset, {}, "Secret name", "", cache=True)
    assert sorted(sa._SHARED._items) == sorted([(dataset.fingerprint, "shared", "en"),
                                                (dataset.fingerprint, "shared", "de")])
    assert "Secret name" not in _stored_text() and "Other name" not in _stored_text()
    for parts in sa._SHARED._items.values():
        assert set(vars(parts)) == {"average", "average_traces", "scorer"}
        assert set(vars(parts.scorer)) == {
            "rule", "indicators", "membership"}  # the framework's structure, no answers
        pd.testing.assert_series_equal(parts.average, dataset.wide_scores.mean())


def test_page_layouts_cached_per_language_for_shared_data_only(app, dataset):
    sa_page, method_page = page_module("/self-assessment"), page_module("/methodology")
    for page in (sa_page, method_page):
        page._LAYOUTS.clear()
        with app.server.test_request_context("/"):
            first = page.layout()
            with i18n.use("sv"):
                swedish = page.layout()
            assert page.layout() is first  # kept and reused
            assert _json(first) == _json(page.page_layout(dataset))  # as made afresh
            with i18n.use("sv"):
                assert _json(swedish) == _json(page.page_layout(dataset))
        assert _json(first) != _json(swedish)
        assert sorted(page._LAYOUTS._items) == sorted([(dataset.fingerprint, "en"), (dataset.fingerprint, "sv")])
        page._LAYOUTS.clear()
        cookie = {"Cookie": f"{state.WORKSPACE_COOKIE}={'w' * 32}"}  # a private workspace's request
        with app.server.test_request_context("/", headers=cookie):
            assert state.workspace_id() == "w" * 32
            page.layout()
        assert len(page._LAYOUTS) == 0


def test_data_page_load_card_kept_for_shared_data_only(app, dataset):
    data_page = page_module("/data")
    data_page._LOAD_CARDS.clear()
    with app.server.test_request_context("/"):
        first = _json(data_page.layout())
        assert _json(data_page.layout()) == first and len(data_page._LOAD_CARDS) == 1
        assert [key[:2] for key in data_page._LOAD_CARDS._items] == [(dataset.fingerprint, "en")]
        data_page._LOAD_CARDS.clear()
        assert _json(data_page.layout()) == first  # rebuilt: the same page
        with i18n.use("fr"):
            assert _json(data_page.layout()) != first and len(data_page._LOAD_CARDS) == 2
    data_page._LOAD_CARDS.clear()
    cookie = {"Cookie": f"{state.WORKSPACE_COOKIE}={'w' * 32}"}
    with app.server.test_request_context("/", headers=cookie):
        assert _json(data_page.layout()) == first  # the workspace is gone: the shared data, made afresh
    assert len(data_page._LOAD_CARDS) == 0


def test_frozen_writes_the_same_json_and_keeps_the_tree():
    import math

    import numpy as np
    import plotly.graph_objects as go
    from dash import dcc, html
    from plotly.io.json import to_json_plotly

    from dashboard.views.cache import frozen

    def tree():
        fig = go.Figure(go.Bar(x=np.array([1.5, 2.0]), y=[math.nan, 3], name="ä"))
        return html.Div([html.H1("Titre é", id="t"), dcc.Graph(id="g", figure=fig),
                         html.Div(**{"aria-label": "x", "data-n": 3})])

    kept = frozen(tree())
    assert to_json_plotly({"children": kept}) == to_json_plotly({"children": tree()})
    assert kept.children[0].id == "t" and kept.children[1].figure.data[0].name == "ä"
