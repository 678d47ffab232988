"""The Lab map kept between requests is keyed by what the database answered to the request (the counts per
region), so a practice approved on any worker shows on the next request; the practices are read afresh."""

from __future__ import annotations

import json

import pytest
from plotly.utils import PlotlyJSONEncoder

from dashboard import i18n
from dashboard.lab import repository as repo
from dashboard.lab import seed
from dashboard.lab.repository import PracticeFilter
from dashboard.views import lab as lab_views

from .helpers import valid_submission

pytestmark = pytest.mark.timeout(60)


def _json(value) -> str:
    return json.dumps(value, cls=PlotlyJSONEncoder, sort_keys=True, ensure_ascii=False)


def test_cached_map_equals_fresh_and_follows_the_database(env_db, regions, dataset):
    seed.seed(env_db, regions=regions)
    lab_views._MAPS.clear()
    f = PracticeFilter.from_query({"country": "ES"}, regions=regions)
    fresh = lab_views.lab_view(dataset, f, regions)
    assert len(lab_views._MAPS) == 0
    cached = lab_views.lab_view(dataset, f, regions, cache=True)
    assert lab_views.lab_view(dataset, f, regions, cache=True).figure is cached.figure  # kept and reused
    assert _json(cached.figure) == _json(fresh.figure)
    assert cached.figure.to_plotly_json() is cached.figure.to_plotly_json()  # its JSON made once (frozen)
    with i18n.use("de"):
        german = lab_views.lab_view(dataset, f, regions, cache=True)
        assert _json(german.figure) == _json(lab_views.lab_view(dataset, f, regions).figure)
    assert _json(german.figure) != _json(fresh.figure)
    # a new practice, approved (as by an administrator on another worker): the next request shows it
    record = repo.create_submission(valid_submission(region_id="ES51"), regions=regions)
    repo.approve(record.id)
    after = lab_views.lab_view(dataset, f, regions, cache=True)
    assert after.counts["ES51"] == cached.counts.get("ES51", 0) + 1
    assert len(after.records) == len(cached.records) + 1
    assert _json(after.figure) == _json(lab_views.lab_view(dataset, f, regions).figure)
    assert _json(after.figure) != _json(cached.figure)
    assert all(key[0] == dataset.fingerprint for key in lab_views._MAPS._items)
