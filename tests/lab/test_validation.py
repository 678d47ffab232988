"""Server-side validation of the questionnaire: every field, every problem, nothing silently dropped."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.errors import InputError
from dashboard.lab.validation import (
    SubmissionInvalid,
    describe_errors,
    validate_submission,
)

from .helpers import valid_submission

pytestmark = pytest.mark.timeout(30)


def errors_of(regions, **overrides) -> dict[str, str]:
    with pytest.raises(SubmissionInvalid) as info:
        validate_submission(valid_submission(**overrides), regions=regions)
    return info.value.field_errors


def test_valid_submission_is_cleaned(regions):
    raw = valid_submission(title="  Welcome desks\r\nfor newcomers  ", region_id="es51")
    clean = validate_submission(raw, regions=regions)
    assert clean["title"] == "Welcome desks\nfor newcomers"
    assert clean["region_id"] == "ES51" and clean["country"] == "ES"
    assert clean["policy_areas"] == ["language", "general"]  # vocabulary order
    assert clean["aspects"]["communication"] == {"inspiring": "Leaflets in eight languages.",
                                                 "improvement": "No website."}
    assert set(clean["aspects"]) == {"communication", "inclusion", "innovation", "multilevel_governance",
                                     "multistakeholder", "monitoring_evaluation", "sustainability"}


def test_empty_submission_lists_every_required_field(regions):
    with pytest.raises(SubmissionInvalid) as info:
        validate_submission({}, regions=regions)
    errs = info.value.field_errors
    for field in ("title", "region_id", "year_start", "policy_areas", "target_group", "responsible_body",
                  "description", "regional_contribution", "contribution_mode", "lessons_learnt",
                  "transferability_tips", "provenance", "aspects", "consent"):
        assert field in errs, field
    assert "year_end" not in errs and "links" not in errs and "submitter_email" not in errs  # optional
    # it is the project's InputError, naming field and rule
    assert isinstance(info.value, InputError)
    assert "column 'title'" in str(info.value)
    assert describe_errors({"title": "is required"}) == ["Title of the practice: is required"]


@pytest.mark.parametrize(
    "overrides, field, words",
    [
        ({"region_id": "XX99"}, "region_id", "not a NUTS region (level 1–3) of the EU or EFTA"),
        ({"region_id": "UKI"}, "region_id", "not a NUTS region"),  # London: no longer in the EU
        ({"region_id": "TR10"}, "region_id", "not a NUTS region"),  # a candidate country, not EU/EFTA
        ({"region_id": "Berlin, Kreisfreie Stadt x"}, "region_id", "not a NUTS region"),
        ({"year_start": "twenty"}, "year_start", "year"),
        ({"year_start": 1800}, "year_start", "between"),
        ({"year_start": 2021.5}, "year_start", "whole"),
        ({"year_start": 2020, "year_end": 2019}, "year_end", "before the start year"),
        ({"policy_areas": ["health", "astrology"]}, "policy_areas", "astrology"),
        ({"policy_areas": []}, "policy_areas", "at least one"),
        ({"target_group": "EU"}, "target_group", "TCN, BIP, both"),
        ({"contribution_mode": "magic"}, "contribution_mode", "direct"),
        ({"title": "abc"}, "title", "too short"),
        ({"title": "x" * 201}, "title", "too long"),
        ({"description": "short"}, "description", "too short"),
        ({"links": ["javascript:alert(1)"]}, "links", "http"),
        ({"links": [f"https://e.org/{i}" for i in range(11)]}, "links", "at most 10"),
        ({"submitter_email": "not-an-email"}, "submitter_email", "e-mail"),
        ({"language": "xx"}, "language", "en"),
        ({"consent": False}, "consent", "confirm"),
        ({"consent": "no"}, "consent", "confirm"),
        ({"aspects": {}}, "aspects", "at least one"),
        ({"aspects": {"karma": {"inspiring": "x"}}}, "aspects", "unknown aspect"),
        ({"aspect_innovation_inspiring": "x" * 3001}, "aspect_innovation_inspiring", "too long"),
        ({"favourite_colour": "blue"}, "favourite_colour", "not a field"),
        ({"title": ["one", "two"]}, "title", "single"),
    ],
)
def test_each_problem_is_named(overrides, field, words, regions):
    errs = errors_of(regions, **overrides)
    assert field in errs, errs
    assert words in errs[field]


def test_future_start_year_refused_but_planned_end_year_allowed(regions):
    this_year = dt.date.today().year
    assert "year_start" in errors_of(regions, year_start=this_year + 2)
    clean = validate_submission(valid_submission(year_start=this_year, year_end=this_year + 3), regions=regions)
    assert clean["year_end"] == this_year + 3


def test_nuts_2024_code_and_region_name_resolve_to_the_nuts_2021_region(regions):
    """The dataset's one registry resolves the region (NUTS 2024 code, English or local name, any accents)."""
    for typed, expected in (("PT1A", "PT17"), ("Skåne", "SE224"), ("skane", "SE224"), ("Cataluña", "ES51"),
                            ("  valencian community ", "ES52")):
        clean = validate_submission(valid_submission(region_id=typed), regions=regions)
        assert (clean["region_id"], clean["country"]) == (expected, expected[:2]), typed


def test_html_form_shape_is_accepted(regions):
    """An HTML form arrives as a dict of lists (werkzeug ``to_dict(flat=False)``)."""
    form = {k: [str(v)] for k, v in valid_submission().items() if k not in ("aspects", "policy_areas", "links")}
    form.update(
        policy_areas=["health", "housing"],
        links=["https://a.example/x\nhttps://b.example/y"],
        aspect_sustainability_inspiring=["Budget line secured."],
        consent=["on"],
    )
    clean = validate_submission(form, regions=regions)
    assert clean["year_start"] == 2019 and clean["policy_areas"] == ["health", "housing"]
    assert clean["links"] == ["https://a.example/x", "https://b.example/y"]
    assert clean["aspects"]["sustainability"]["inspiring"] == "Budget line secured."


def test_semicolon_lists_and_empty_strings(regions):
    raw = valid_submission(policy_areas="health; education", year_end="", links="")
    clean = validate_submission(raw, regions=regions)
    assert clean["policy_areas"] == ["education", "health"]
    assert clean["year_end"] is None and clean["links"] == []


def test_control_characters_and_nul_are_removed(regions):
    clean = validate_submission(valid_submission(title="Welcome\x00 desks\x07 for all"), regions=regions)
    assert clean["title"] == "Welcome desks for all"


def test_not_a_mapping(regions):
    with pytest.raises(SubmissionInvalid):
        validate_submission(["title"], regions=regions)  # type: ignore[arg-type]
