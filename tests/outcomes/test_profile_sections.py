"""The region profile shows the drill-down and, for the Azores only, the published description."""

from __future__ import annotations

from dashboard import ids
from dashboard.callbacks import region as region_cb
from dashboard.published import published_description
from tests.dash_tree import find as _find
from tests.dash_tree import text as _text


def test_azores_profile_shows_the_published_description_with_its_source(dataset):
    content, _ = region_cb.profile_layout(dataset, "PT20")
    block = _find(content, ids.REGION_PUBLISHED)
    text = _text(block)
    published = published_description("PT20")
    assert published.text in text and published.source in text
    assert "well-developed mechanisms for the inclusion of different actors" in text
    assert "illustrative generator" in text  # beside the generated numbers, and says which is which


def test_other_profiles_have_no_published_description(dataset):
    content, _ = region_cb.profile_layout(dataset, "PT17")
    assert _find(content, ids.REGION_PUBLISHED) is None
    assert published_description("PT17") is None


def test_profile_drilldown_opens_each_dimension_to_its_questions(dataset):
    content, _ = region_cb.profile_layout(dataset, "PT20")
    block = _find(content, ids.REGION_DRILLDOWN)
    details = [c for c in block.children if getattr(c, "data-dimension", None)]
    assert len(details) == 8 + 3 + 4
    labour = next(d for d in details if getattr(d, "data-dimension") == "area:labour_market")
    text = _text(labour)
    questions = dataset.framework.loc[dataset.framework["area"] == "labour_market", "question"]
    assert all(q in text for q in questions)
    assert "Average of all regions" in text and "ILLUSTRATIVE" in _text(block)
