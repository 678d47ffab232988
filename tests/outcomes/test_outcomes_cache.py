"""The /outcomes page keeps (scatter, summary, table) per (dataset, state, language) for the shared data only:
the same output as made afresh, nothing kept for a request whose values needed a note."""

from __future__ import annotations

import json

from plotly.utils import PlotlyJSONEncoder

from dashboard import i18n
from dashboard.callbacks import outcomes as cb


def _json(value) -> str:
    return json.dumps(value, cls=PlotlyJSONEncoder, sort_keys=True, ensure_ascii=False)


def test_cached_results_equal_fresh_ones_per_language(dataset):
    cb._RESULTS.clear()
    args = ("phase:evaluation", "unemployment_non_eu", "gap", "PT20", "")
    fresh = _json(cb.update(dataset, *args))
    assert len(cb._RESULTS) == 0
    cached = cb.update(dataset, *args, cache=True)
    assert cb.update(dataset, *args, cache=True)[0] is cached[0]  # kept and reused
    assert _json(cached) == fresh
    with i18n.use("fr"):
        french = _json(cb.update(dataset, *args, cache=True))
        assert french == _json(cb.update(dataset, *args))
    assert french != fresh and len(cb._RESULTS) == 2
    other = _json(cb.update(dataset, "overall", "unemployment_non_eu", "gap", "PT20", "", cache=True))
    assert other != fresh and len(cb._RESULTS) == 3


def test_requests_with_notes_are_not_kept(dataset):
    cb._RESULTS.clear()
    fresh = cb.update(dataset, "overall", "population", "gap", "", "")
    assert fresh[3]  # a note: population has no nationals' counterpart
    assert _json(cb.update(dataset, "overall", "population", "gap", "", "", cache=True)) == _json(fresh)
    assert len(cb._RESULTS) == 0
