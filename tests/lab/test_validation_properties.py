"""Property-based tests (Hypothesis) of the Lab's questionnaire validation: for any input, the only
exception is :class:`SubmissionInvalid`; clean values are always within the limits; messages stay short.
Bounded: ``max_examples`` ≈ 100 and a deadline per example; no example database is written."""

from __future__ import annotations

import datetime as dt
import json
import string
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.lab.validation import (
    ASPECT_TEXT_MAX,
    FIELD_LABELS,
    MAX_LINKS,
    MAX_UNKNOWN,
    MIN_YEAR,
    TEXT_LIMITS,
    SubmissionInvalid,
    honeypot_filled,
    validate_submission,
)
from dashboard.lab.vocab import (
    ASPECTS,
    CONTRIBUTION_MODES,
    LANGUAGES,
    POLICY_AREAS,
    TARGET_GROUPS,
)

from .helpers import valid_submission

pytestmark = pytest.mark.timeout(120)

BOUNDED = settings(max_examples=100, deadline=dt.timedelta(milliseconds=1500), database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# text with everything a client can send: control characters, lone surrogates, combining marks, long runs
any_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()), max_size=40),
    st.text(alphabet=st.sampled_from("\x00\r\n\t\ud800\udfff\u0301e =+-@"), max_size=40),
    st.builds(lambda c, n: c * n, st.sampled_from(["a", "é", "\u0301", "x "]), st.integers(0, 12_000)),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=10**4300, max_value=10**4400),
                    st.floats(allow_nan=True, allow_infinity=True), any_text)
json_like = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                         st.dictionaries(st.text(max_size=20), inner, max_size=5)),
                         max_leaves=20)
# what json.dumps can write (no integer too long to print) for request bodies
printable_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), any_text)
json_body = st.recursive(printable_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=20), inner, max_size=5)), max_leaves=20)

vocab_or_junk = {
    "region_id": st.one_of(st.sampled_from(["ES51", "FR10", "fr10", "PT1A", "Berlin", "Paris", "XX99", "UKI", ""]),
                           json_like),
    "policy_areas": st.one_of(st.lists(st.sampled_from([*POLICY_AREAS, "astrology"]), max_size=12), json_like),
    "target_group": st.one_of(st.sampled_from([*TARGET_GROUPS, "EU"]), json_like),
    "contribution_mode": st.one_of(st.sampled_from([*CONTRIBUTION_MODES, "x"]), json_like),
    "language": st.one_of(st.sampled_from([*LANGUAGES, "zz"]), json_like),
    "year_start": st.one_of(st.integers(1980, 2040), st.sampled_from(["2020", "2020.0", "1e3", "nan", "inf"]),
                            json_like),
    "year_end": st.one_of(st.integers(1980, 2040), json_like),
    "links": st.one_of(st.lists(st.sampled_from(["https://example.org/a", "http://[::1", "ftp://x", "javascript:1",
                                                 "https://" + "a" * 600, "http://ok.example/é"]), max_size=14),
                       json_like),
    "consent": st.one_of(st.sampled_from([True, False, "on", "yes", "0", 1, 0, ["on"]]), json_like),
    "aspects": st.one_of(st.dictionaries(st.sampled_from([*ASPECTS, "astrology"]),
                                         st.one_of(any_text, st.dictionaries(
                                             st.sampled_from(["inspiring", "improvement", "other"]), json_like,
                                             max_size=3)), max_size=8), json_like),
    **{field: st.one_of(any_text, json_like) for field in TEXT_LIMITS},
}


@st.composite
def submissions(draw):
    """A valid submission with some fields replaced by anything, some removed, some unknown ones added."""
    data = valid_submission()
    for field in draw(st.lists(st.sampled_from(sorted(vocab_or_junk)), max_size=8, unique=True)):
        data[field] = draw(vocab_or_junk[field])
    for field in draw(st.lists(st.sampled_from(sorted(data)), max_size=3, unique=True)):
        data.pop(field, None)
    data.update(draw(st.dictionaries(st.text(max_size=80), json_like, max_size=3)))
    return data


def assert_within_limits(clean: dict, regions) -> None:
    for field, (lo, hi) in TEXT_LIMITS.items():
        text = clean[field]
        assert isinstance(text, str) and len(text) <= hi and (lo == 0 or len(text) >= lo), field
    texts = [clean[f] for f in TEXT_LIMITS] + [p[k] for p in clean["aspects"].values() for k in p] + clean["links"]
    for text in texts:
        text.encode("utf-8")  # no lone surrogate: every database can store it
        assert text == text.strip() or text == ""
        assert not any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in text)
        assert unicodedata.is_normalized("NFC", text)
    assert clean["region_id"] in regions and clean["country"] == regions.country_of(clean["region_id"])
    this_year = dt.date.today().year
    assert MIN_YEAR <= clean["year_start"] <= this_year + 1
    assert clean["year_end"] is None or clean["year_start"] <= clean["year_end"] <= this_year + 10
    assert clean["policy_areas"] and set(clean["policy_areas"]) <= set(POLICY_AREAS)
    assert clean["target_group"] in TARGET_GROUPS and clean["contribution_mode"] in CONTRIBUTION_MODES
    assert clean["language"] in LANGUAGES
    assert set(clean["aspects"]) == set(ASPECTS)
    assert all(len(t) <= ASPECT_TEXT_MAX for p in clean["aspects"].values() for t in p.values())
    assert any(p["inspiring"] for p in clean["aspects"].values())
    assert len(clean["links"]) <= MAX_LINKS
    assert all(link.startswith(("http://", "https://")) and len(link) <= 500 for link in clean["links"])


def assert_refusal_is_bounded(exc: SubmissionInvalid) -> None:
    errors = exc.field_errors
    assert errors and len(errors) <= len(FIELD_LABELS) + len(ASPECTS) * 2 + MAX_UNKNOWN + 2
    for field, message in errors.items():
        assert isinstance(field, str) and len(field) <= 60
        assert isinstance(message, str) and 0 < len(message) <= 400
    json.dumps(exc.as_dict())  # the API can always send it


@BOUNDED
@given(data=submissions())
def test_any_submission_is_either_clean_or_refused_field_by_field(data, regions):
    try:
        clean = validate_submission(data, regions=regions)
    except SubmissionInvalid as exc:
        assert_refusal_is_bounded(exc)
    else:
        assert_within_limits(clean, regions)
    assert isinstance(honeypot_filled(data), bool)


@BOUNDED
@given(raw=json_like)
def test_anything_at_all_is_refused_cleanly(raw, regions):
    with pytest.raises(SubmissionInvalid) as info:
        validate_submission(raw, regions=regions)
    assert_refusal_is_bounded(info.value)


@BOUNDED
@given(title=st.text(alphabet=string.printable + "éß\u0301\x00\ud800", min_size=0, max_size=260))
def test_titles_at_the_edges(title, regions):
    try:
        clean = validate_submission(valid_submission(title=title), regions=regions)
    except SubmissionInvalid as exc:
        assert "title" in exc.field_errors and len(exc.field_errors) == 1
    else:
        assert 5 <= len(clean["title"]) <= 200
        clean["title"].encode("utf-8")  # a lone surrogate never reaches the database
        assert "\x00" not in clean["title"]


@settings(max_examples=40, deadline=dt.timedelta(seconds=3), database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(body=st.one_of(json_body.map(lambda v: json.dumps(v).encode()), st.binary(max_size=200),
                      st.sampled_from([b"1" * 5000, b'{"title": ' + b"9" * 5000 + b"}", b'{"title": "\\ud800"}']),
                      st.fixed_dictionaries({k: json_body for k in ("title", "region_id", "links", "aspects")})
                      .map(lambda d: json.dumps({**valid_submission(), **d}).encode())))
def test_the_api_never_answers_500(body, env_db):
    from .helpers import UNLIMITED, lab_flask_app

    client = _client(env_db, lab_flask_app, UNLIMITED)
    r = client.post("/lab/api/practices", data=body, content_type="application/json")
    assert r.status_code in (201, 400, 413, 422), (r.status_code, r.get_data(as_text=True)[:200])
    assert r.is_json and "error" in r.json or r.status_code == 201


_clients: dict[str, object] = {}


def _client(url, factory, limits):
    if url not in _clients:
        _clients.clear()
        _clients[url] = factory(limits).test_client()
    return _clients[url]
