"""Any NUTS 2021/2024 region of the EU/EFTA in contributions (names and label points from the boundary
files, shown on the Lab map), the fallback without boundary files, and honest badges and export columns."""

from __future__ import annotations

import csv
import io
import json

import pytest

from dashboard.lab import nuts
from dashboard.lab import repository as repo
from dashboard.lab.repository import PracticeFilter
from dashboard.lab.validation import SubmissionInvalid, validate_submission
from dashboard.lab.vocab import Regions

from .helpers import UNLIMITED, lab_flask_app, valid_submission


def text_of(component) -> str:
    from plotly.utils import PlotlyJSONEncoder

    return json.dumps(component, cls=PlotlyJSONEncoder, ensure_ascii=False)

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def no_boundaries(monkeypatch, tmp_path, dataset):
    """A server without boundary files: the regions are the dataset's only."""
    monkeypatch.setenv("MIPEXR_GEO_DIR", str(tmp_path / "no-such-folder"))
    return Regions.from_dataset(dataset)


def test_units_come_from_the_boundary_files():
    units = nuts.units()
    assert units["FR10"].level == 2 and units["FR10"].country == "FR" and units["FR10"].vintages == (2021, 2024)
    assert units["FR101"].name == "Paris"
    lon, lat = units["FR10"].point
    assert 1.5 < lon < 3.5 and 48 < lat < 49.5  # GISCO's label point of Île-de-France
    assert units["NL35"].vintages == (2024,) and units["NL35"].point is not None  # new in NUTS 2024: a point inside
    assert units["CH01"].country == "CH" and "NO08" in units and "LI000" in units  # EFTA
    assert "UKI" not in units and "TR10" not in units and "RS11" not in units  # not EU/EFTA
    assert "FR" not in units and {u.level for u in units.values()} == {1, 2, 3}
    assert all(u.point is not None for u in units.values())
    assert nuts.units() is units  # read once, shared


def test_any_eu_efta_region_is_accepted(regions):
    clean = validate_submission(valid_submission(region_id="FR10"), regions=regions)
    assert clean["region_id"] == "FR10" and clean["country"] == "FR"
    assert validate_submission(valid_submission(region_id="ch01"), regions=regions)["region_id"] == "CH01"
    assert validate_submission(valid_submission(region_id="NL35"), regions=regions)["region_id"] == "NL35"
    assert validate_submission(valid_submission(region_id="Paris"), regions=regions)["region_id"] == "FR101"
    # the dataset's registry goes first: a NUTS 2024 part of Lisbon is Lisbon, a name is the MIPEX-R region
    assert validate_submission(valid_submission(region_id="PT1A"), regions=regions)["region_id"] == "PT17"
    assert validate_submission(valid_submission(region_id="Berlin"), regions=regions)["region_id"] == "DE30"
    with pytest.raises(SubmissionInvalid) as info:
        validate_submission(valid_submission(region_id="Ile-de-France"), regions=regions)
    assert info.value.field_errors["region_id"].startswith("'Ile-de-France' names several regions (FR1, FR10)")
    assert regions.name("FR10") == "Ile-de-France" and regions.country_name("FR") == "France"
    assert regions.is_mipex("ES51") and not regions.is_mipex("FR10")
    assert "PT1A" not in regions and "FR10" in regions and "UKI" not in regions


def test_a_non_mipex_region_is_stored_exported_and_shown_on_the_map(env_db, regions, dataset):
    client = lab_flask_app(UNLIMITED).test_client()
    r = client.post("/lab/api/practices", json=valid_submission(region_id="FR10", title="Paris region welcome"))
    assert r.status_code == 201, r.json
    repo.approve(r.json["id"], url=env_db)
    rec = repo.get_practice(r.json["id"], url=env_db)
    assert rec.region_id == "FR10" and rec.country == "FR"
    found = repo.search_practices(PracticeFilter.from_query({"q": "ile-de-france"}, regions=regions), url=env_db)
    assert [p.id for p in found] == [rec.id]  # the region's name is searchable
    doc = json.loads(client.get("/lab/export.json?region=FR10").data)
    assert doc["count"] == 1 and doc["practices"][0]["region_name"] == "Ile-de-France"
    assert doc["practices"][0]["country_name"] == "France"

    from dashboard.views import lab as lab_views

    view = lab_views.lab_view(dataset, PracticeFilter(), regions)
    assert view.counts == {"FR10": 1} and "FR10" in view.region_ids
    with_practices = view.figure.data[1]
    assert list(with_practices.customdata) == ["FR10"]
    lon, lat = with_practices.lon[0], with_practices.lat[0]
    assert 1.5 < lon < 3.5 and 48 < lat < 49.5
    assert with_practices.text[0] == "Ile-de-France (France) · FR10: 1 practice"
    empty = set(view.figure.data[0].customdata)
    assert empty == set(dataset.regions["region_id"])  # the 25 stay on the map, hollow
    # the map's view takes in the point; the filter offers the region; a click on it filters
    geo = view.figure.layout.geo
    assert geo.lonaxis.range[0] <= lon <= geo.lonaxis.range[1] and geo.lataxis.range[0] <= lat <= geo.lataxis.range[1]
    from dashboard.callbacks import lab as cb
    from dashboard.components import lab as lab_components

    panel = lab_components.filters_panel(PracticeFilter(), regions, view.region_ids)
    options = text_of(panel)
    assert "Ile-de-France (France) · FR10 · NUTS 2" in options and "FR101" not in options  # only regions in use
    assert cb.toggle_region({"points": [{"customdata": "FR10"}]}, []) == ["FR10"]
    chosen = lab_views.lab_view(dataset, PracticeFilter.from_query({"region": "FR10"}, regions=regions), regions)
    assert [r.id for r in chosen.records] == [rec.id]
    # its page: region named from the boundary files, no link to a MIPEX-R profile it does not have
    from dashboard import ids

    page = text_of(lab_components.practice_detail(rec, regions))
    assert "Ile-de-France, France (FR10)" in page and ids.LAB_PRACTICE_PROFILE_LINK not in page
    assert "Contributed by Example Regional Office" in page


def test_a_region_outside_the_european_view_is_named_under_the_map(env_db, regions, dataset):
    rec = repo.create_submission(valid_submission(region_id="FRY4", title="Welcome in La Réunion"), regions=regions,
                                 url=env_db)
    repo.approve(rec.id, url=env_db)
    from dashboard.views import lab as lab_views

    fig = lab_views.lab_view(dataset, PracticeFilter(), regions).figure
    assert "FRY4" in fig.data[1].customdata
    notes = [a.text for a in fig.layout.annotations]
    assert notes == ["Not in this view: La Réunion (France) · FRY4: 1 practice"]
    assert fig.layout.geo.lonaxis.range[1] <= 45  # the view did not stretch to the Indian Ocean


def test_without_boundary_files_the_dataset_regions_with_a_note(no_boundaries, dataset, monkeypatch):
    regions = no_boundaries
    assert regions.note and "boundary files" in regions.note
    assert len(regions) == 25 and "FR10" not in regions
    with pytest.raises(SubmissionInvalid) as info:
        validate_submission(valid_submission(region_id="FR10"), regions=regions)
    assert "is not a MIPEX-R region" in info.value.field_errors["region_id"]
    assert validate_submission(valid_submission(region_id="ES51"), regions=regions)["region_id"] == "ES51"
    from dashboard.components import lab as lab_components

    form = text_of(lab_components.contribution_form(regions))
    assert regions.note in form and "Other NUTS regions" not in form


# --------------------------------------------------------------------------------------------
# badges


def test_contributed_practice_gets_its_own_badge(seeded_url, regions, monkeypatch):
    from dashboard.components import lab as lab_components

    monkeypatch.setenv("MIPEXR_DB_URL", seeded_url)
    rec = repo.create_submission(valid_submission(), regions=regions, url=seeded_url)
    repo.approve(rec.id, url=seeded_url)
    rec = repo.get_practice(rec.id, url=seeded_url)
    assert rec.kind == "contributed" and rec.badge == "Contributed by Example Regional Office"
    badge = lab_components.kind_badge(rec)
    assert badge.children == "Contributed by Example Regional Office" and "contributed" in badge.className
    card = text_of(lab_components.practice_card(rec, regions))
    assert "Contributed by Example Regional Office" in card and "Source-based" not in card
    anonymous = repo.create_submission(valid_submission(submitter_organisation=""), regions=regions, url=seeded_url)
    assert repo.get_practice(anonymous.id, include_unapproved=True, url=seeded_url).badge == "Contributed by a visitor"
    # the seed keeps its two kinds
    kinds = {r.kind: r.badge for r in repo.search_practices(url=seeded_url)}
    assert kinds == {"source-based": "Source-based", "illustrative": "Illustrative",
                     "contributed": "Contributed by Example Regional Office"}
    source = next(r for r in repo.search_practices(url=seeded_url) if r.kind == "source-based")
    assert lab_components.kind_badge(source).children == "Source-based"


def test_export_columns_say_the_kind(seeded_url, regions):
    rec = repo.create_submission(valid_submission(title="A contributed practice"), regions=regions, url=seeded_url)
    repo.approve(rec.id, url=seeded_url)
    rows = list(csv.DictReader(io.StringIO(repo.export_csv(regions=regions, url=seeded_url))))
    assert {"kind", "badge", "illustrative", "contributed_by_organisation"} <= set(rows[0])
    by_title = {r["title"]: r for r in rows}
    mine = by_title["A contributed practice"]
    assert mine["kind"] == "contributed" and mine["badge"] == "Contributed by Example Regional Office"
    assert mine["contributed_by_organisation"] == "Example Regional Office" and mine["illustrative"] == "False"
    assert {r["kind"] for r in rows} == {"source-based", "illustrative", "contributed"}
    assert all(r["contributed_by_organisation"] == "" for r in rows if r["kind"] != "contributed")
    assert all(r["badge"] == "Illustrative" for r in rows if r["kind"] == "illustrative")
    doc = json.loads(repo.export_json(regions=regions, url=seeded_url))
    assert doc["vocabularies"]["kinds"]["contributed"] == "Contributed by <organisation>"
    assert "Contributed by" in doc["note"]
    assert {p["kind"] for p in doc["practices"]} == {"source-based", "illustrative", "contributed"}
