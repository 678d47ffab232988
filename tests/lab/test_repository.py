"""Repository: submissions, moderation, filters, full-text search, seed and export."""

from __future__ import annotations

import csv
import io
import json

import pytest

from dashboard.cells import neutralise
from dashboard.lab import repository as repo
from dashboard.lab import seed
from dashboard.lab.repository import PracticeFilter
from dashboard.lab.vocab import ASPECTS

from .helpers import valid_submission

pytestmark = pytest.mark.timeout(60)


def titles(records) -> set[str]:
    return {r.title for r in records}


def test_submission_is_pending_until_approved(sqlite_url, regions):
    rec = repo.create_submission(valid_submission(), regions=regions, url=sqlite_url)
    assert rec.status == "pending" and rec.id > 0 and not rec.illustrative
    assert "contributed by Example Regional Office through the Integration Lab form" in rec.provenance
    assert rec.provenance.startswith("Evaluation report")
    assert repo.search_practices(url=sqlite_url) == []
    with pytest.raises(repo.PracticeNotFound):
        repo.get_practice(rec.id, url=sqlite_url)
    assert [r.id for r in repo.list_pending(url=sqlite_url)] == [rec.id]
    assert repo.get_practice(rec.id, include_unapproved=True, url=sqlite_url).status == "pending"

    approved = repo.approve(rec.id, note="checked", url=sqlite_url)
    assert approved.status == "approved" and approved.reviewed_at is not None
    assert [r.id for r in repo.search_practices(url=sqlite_url)] == [rec.id]
    got = repo.get_practice(str(rec.id), url=sqlite_url)
    assert got.aspects["communication"]["inspiring"] == "Leaflets in eight languages."
    assert got.aspects["sustainability"] == {"inspiring": "", "improvement": ""}
    assert got.links == ("https://example.org/welcome-desks",)
    assert repo.list_pending(url=sqlite_url) == []


def test_reject_hides_but_keeps(sqlite_url, regions):
    rec = repo.create_submission(valid_submission(), regions=regions, url=sqlite_url)
    rejected = repo.reject(rec.id, reason="duplicate of #3", url=sqlite_url)
    assert rejected.status == "rejected" and rejected.review_note == "duplicate of #3"
    assert repo.search_practices(url=sqlite_url) == []
    assert repo.list_all("rejected", url=sqlite_url)[0].id == rec.id


@pytest.mark.parametrize("bad", [999, "abc", "", None, -1, "1; DROP TABLE lab_practice", 2**40])
def test_unknown_ids_raise_not_found(sqlite_url, bad):
    with pytest.raises(repo.PracticeNotFound):
        repo.get_practice(bad, url=sqlite_url)
    with pytest.raises(repo.PracticeNotFound):
        repo.approve(bad if bad != 2**40 else 999, url=sqlite_url)


def test_invalid_submission_stores_nothing(sqlite_url, regions):
    with pytest.raises(repo.SubmissionInvalid):
        repo.create_submission(valid_submission(title=""), regions=regions, url=sqlite_url)
    assert repo.list_all(url=sqlite_url) == []


def test_seed_data_file(regions):
    """The 17 seed practices come from the data file, with their texts and kinds as written."""
    entries = seed.seed_entries()
    assert len(entries) == 17 and len({e["seed_key"] for e in entries}) == 17
    assert sum(1 for e in entries if not e["illustrative"]) == 9
    assert [e["illustrative"] for e in entries] == sorted(e["illustrative"] for e in entries)  # source-based first
    by_key = {e["seed_key"]: e for e in entries}
    azores = by_key["regin-pilot-azores-migrant-guide"]
    assert azores["title"] == "A migrant's guide to the Azores" and azores["region_id"] == "PT20"
    assert azores["provenance"].startswith("REGIN project website (CPMR), 'Integration Lab' page (Regionernas "
                                           "resurser › Integrationslabb)")
    assert azores["provenance"].endswith("within which the pilot actions ran. The TCN focus follows the MIPEX-R "
                                         "regional profile prototype of the Azores (REGIN WP3 slides, 'REGIN "
                                         "External Network Encounter').")
    skane = by_key["regin-pilot-skane-health-communication"]
    assert skane["provenance"].endswith("pilot actions ran. Target group not stated in the source (newly arrived "
                                        "migrants).")
    assert skane["aspects"]["innovation"] == {
        "inspiring": "The REGIN pages single it out as a special innovative action of the project.", "improvement": ""}
    vienna = by_key["illustrative-at13-language-childcare"]
    assert vienna["illustrative"] is True and vienna["year_end"] is None
    assert vienna["provenance"] == ("Illustrative example written for the MIPEX-R Explorer demo. It is not a "
                                    "documented practice of this region and its body, dates and assessment are "
                                    "invented.")
    assert vienna["lessons_learnt"] == ("Attendance of mothers rose once childcare sat in the same building as the "
                                        "course.")
    assert all(e["status"] == "approved" and e["language"] == "en" and e["region_id"] in regions for e in entries)


def test_seed_is_idempotent_and_marks_sources(sqlite_url, regions):
    added = seed.seed(sqlite_url, regions=regions)
    assert added == len(seed.seed_entries()) == 17
    assert seed.seed(sqlite_url, regions=regions) == 0
    records = repo.search_practices(url=sqlite_url)
    assert len(records) == added
    partner = {"PT20", "ITF3", "ES51", "ES62", "ITF4", "SE224"}
    source_based = [r for r in records if not r.illustrative]
    assert {r.region_id for r in source_based} == partner  # all six partner regions
    for r in source_based:
        assert "REGIN project website" in r.provenance
    for r in records:
        if r.illustrative:
            assert "Illustrative example" in r.provenance and "(illustrative)" in r.responsible_body
    # the responsible bodies named in the source
    bodies = " ".join(r.responsible_body for r in source_based)
    for body in ("Regional Directorate for Communities", "General Directorate for Social and Welfare Policies",
                 "Secretariat for Equality, Migration and Citizenship",
                 "Directorate General for Social Services and Relations with the Third Sector",
                 "Division for Citizen Security, Migration and Social Anti-mafia Policies",
                 "County Administrative Board of Skåne"):
        assert body in bodies
    # source-based first in the list
    assert records[0].illustrative is False and records[-1].illustrative is True


def test_rejected_seed_is_not_re_added(sqlite_url, regions):
    seed.seed(sqlite_url, regions=regions)
    first = repo.search_practices(url=sqlite_url)[0]
    repo.reject(first.id, url=sqlite_url)
    assert seed.seed(sqlite_url, regions=regions) == 0


@pytest.fixture
def filter_db(sqlite_url, regions):
    """Four approved practices with distinct facets, plus one pending."""
    rows = [
        dict(title="Alpha health peers", region_id="SE224", policy_areas=["health"], target_group="TCN",
             aspects={"communication": {"inspiring": "Peers talk", "improvement": ""}}),
        dict(title="Beta housing agency", region_id="ITH5", policy_areas=["housing"], target_group="both",
             aspects={"sustainability": {"inspiring": "Budget", "improvement": "Staff"}},
             description="Mediation between landlords and tenants with a 100% rent guarantee fund."),
        dict(title="Gamma schools", region_id="ES52", policy_areas=["education", "language"], target_group="BIP",
             aspects={"inclusion": {"inspiring": "", "improvement": "Girls"},
                      "innovation": {"inspiring": "Peer mentors", "improvement": ""}},
             responsible_body="Conselleria d'Educació"),
        dict(title="Delta schools", region_id="ES51", policy_areas=["education"], target_group="TCN",
             aspects={"communication": {"inspiring": "Plain language", "improvement": ""}}),
    ]
    for row in rows:
        rec = repo.create_submission(valid_submission(**row), regions=regions, url=sqlite_url)
        repo.approve(rec.id, url=sqlite_url)
    repo.create_submission(valid_submission(title="Epsilon pending", region_id="SE224"), regions=regions,
                           url=sqlite_url)
    return sqlite_url


@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, {"Alpha health peers", "Beta housing agency", "Gamma schools", "Delta schools"}),
        ({"region": "SE224"}, {"Alpha health peers"}),
        ({"region": "se224,ES51"}, {"Alpha health peers", "Delta schools"}),
        ({"region": ["ITH5", "nonsense"]}, {"Beta housing agency"}),
        ({"country": "ES"}, {"Gamma schools", "Delta schools"}),
        ({"country": "es"}, {"Gamma schools", "Delta schools"}),
        ({"area": "education"}, {"Gamma schools", "Delta schools"}),
        ({"area": "language,housing"}, {"Beta housing agency", "Gamma schools"}),
        ({"target": "TCN"}, {"Alpha health peers", "Beta housing agency", "Delta schools"}),  # both counts
        ({"target": "BIP"}, {"Beta housing agency", "Gamma schools"}),
        ({"target": "both"}, {"Beta housing agency"}),
        ({"aspect": "communication"}, {"Alpha health peers", "Delta schools"}),
        ({"aspect": "inclusion"}, set()),  # only a room-for-improvement text: not "inspiring on"
        ({"aspect": "innovation,sustainability"}, {"Beta housing agency", "Gamma schools"}),
        ({"country": "ES", "area": "language"}, {"Gamma schools"}),  # AND across facets
        ({"q": "schools"}, {"Gamma schools", "Delta schools"}),
        ({"q": "SCHOOLS delta"}, {"Delta schools"}),  # every word, any case
        ({"q": "educacio"}, {"Gamma schools"}),  # accents folded
        ({"q": "skane"}, {"Alpha health peers"}),  # region names are searchable
        ({"q": "Valencian"}, {"Gamma schools"}),
        ({"q": "100%"}, {"Beta housing agency"}),  # LIKE wildcards are literal
        ({"q": "%"}, {"Beta housing agency"}),
        ({"q": "_"}, set()),
        ({"q": "peer mentors"}, {"Gamma schools"}),  # aspect texts are searchable
        ({"q": "Epsilon"}, set()),  # pending never shows
        ({"q": "zzz-nothing"}, set()),
    ],
)
def test_filters(filter_db, query, expected, regions):
    f = PracticeFilter.from_query(query, regions=regions)
    assert titles(repo.search_practices(f, url=filter_db)) == expected
    assert repo.count_practices(f, url=filter_db) == len(expected)


def test_counts_by_region_follow_filters(filter_db, regions):
    assert repo.counts_by_region(url=filter_db) == {"SE224": 1, "ITH5": 1, "ES52": 1, "ES51": 1}
    education = PracticeFilter.from_query({"area": "education"}, regions=regions)
    assert repo.counts_by_region(education, url=filter_db) == {"ES52": 1, "ES51": 1}
    assert repo.counts_by_region(PracticeFilter(status="any"), url=filter_db)["SE224"] == 2


def test_filter_query_round_trip(regions):
    f = PracticeFilter.from_query({"region": "PT1A", "area": "health", "q": " guide ", "bogus": "x",
                                   "aspect": "nope"}, regions=regions)
    assert f.regions == ("PT17",) and f.aspects == ()
    assert f.to_query() == {"region": "PT17", "area": "health", "q": "guide"}
    assert PracticeFilter.from_query(f.to_query(), regions=regions) == PracticeFilter(
        regions=("PT17",), policy_areas=("health",), text="guide")
    assert PracticeFilter().query_string() == "" and PracticeFilter().is_empty


def test_filter_reads_links_with_the_apps_query_parser(regions):
    """Regions by any code or name the dataset knows (accents folded), the query module's separators,
    the first of a repeated ``q``, unknown countries dropped."""
    f = PracticeFilter.from_query({"region": ["Skane;catalonia", "PT1B", "nowhere"], "country": "se,xx",
                                   "area": "health+education", "q": ["first words", "second"]}, regions=regions)
    assert f.regions == ("SE224", "ES51", "PT17")
    assert f.countries == ("SE",)
    assert f.policy_areas == ("health", "education")
    assert f.text == "first words"


def test_search_paging(filter_db):
    first = repo.search_practices(url=filter_db, limit=2)
    rest = repo.search_practices(url=filter_db, offset=2)
    assert len(first) == 2 and len(rest) == 2 and not ({r.id for r in first} & {r.id for r in rest})


def test_export_csv_neutralises_formulas_and_hides_contacts(sqlite_url, regions):
    evil = valid_submission(
        title="=HYPERLINK(\"http://evil\",\"click\")",
        responsible_body="+SUM(A1:A2)",
        description="-2+3 looks like a formula but is a description of the practice indeed",
        lessons_learnt="@cmd lessons were learnt here",
    )
    rec = repo.create_submission(evil, regions=regions, url=sqlite_url)
    pending_only = repo.create_submission(valid_submission(title="Not yet approved"), regions=regions,
                                          url=sqlite_url)
    repo.approve(rec.id, url=sqlite_url)
    text = repo.export_csv(regions=regions, url=sqlite_url)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1 and rows[0]["id"] == str(rec.id)
    row = rows[0]
    assert row["title"].startswith("'=")
    assert row["responsible_body"] == "'+SUM(A1:A2)"
    assert row["description"].startswith("'-2+3")
    assert row["lessons_learnt"].startswith("'@")
    assert row["year_start"] == "2019" and row["policy_areas"] == "language;general"
    assert row["communication_inspiring"] == "Leaflets in eight languages."
    assert "ana@example.org" not in text and "Ana Example" not in text
    assert "Not yet approved" not in text and str(pending_only.id) != row["id"]
    for key in ASPECTS:
        assert f"{key}_inspiring" in row and f"{key}_improvement" in row


def test_export_json_structure(seeded_url, regions):
    doc = json.loads(repo.export_json(regions=regions, url=seeded_url))
    assert doc["count"] == len(doc["practices"]) == len(seed.seed_entries())
    assert "Illustrative" in doc["note"]
    p = doc["practices"][0]
    assert set(p["aspects"]) == set(ASPECTS) and p["aspects"]["communication"]["label"] == "Communication"
    assert "submitter_email" not in p and "submitter_name" not in p
    assert p["path"] == f"/lab/{p['id']}"
    azores = PracticeFilter.from_query({"region": "PT20"}, regions=regions)
    only = json.loads(repo.export_json(azores, regions=regions, url=seeded_url))
    assert {x["region_id"] for x in only["practices"]} == {"PT20"} and only["filters"] == {"region": "PT20"}


def test_neutralise_cell_is_the_shared_formula_guard():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("\tcmd") == "'\tcmd" and neutralise("\rx") == "'\rx"
    assert neutralise("plain") == "plain"
    assert neutralise(-3) == -3  # numbers are not text
    assert neutralise("") == ""


def test_record_labels(sqlite_url, regions):
    rec = repo.create_submission(valid_submission(year_end=None), regions=regions, url=sqlite_url)
    assert rec.years_label == "since 2019"
    public = rec.to_public_dict(regions)
    assert public["region_name"] == "Catalonia" and public["country_name"] == "Spain"
    assert regions.label("ES51") == "Catalonia (Cataluña)" and regions.label("DE30") == "Berlin"
    assert repo.summarise([rec]).split()[0] == str(rec.id)


def test_seed_skips_regions_missing_from_the_data(sqlite_url, regions):
    from dashboard.lab.vocab import Regions

    without_skane = Regions({k: v for k, v in regions.by_id.items() if k != "SE224"}, regions.resolver)
    assert seed.seed(sqlite_url, regions=without_skane) == 15  # the two Skåne practices wait for their region
    assert seed.seed(sqlite_url, regions=regions) == 2
    with pytest.raises(ValueError, match="unknown region"):
        repo.create_practice(seed.seed_entries()[0] | {"seed_key": "x"}, regions=without_skane, url=sqlite_url)
