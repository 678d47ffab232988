"""The Lab screens without a browser: the view, the map figure and its label points, the page layouts,
the components and the callback bodies, called directly."""

from __future__ import annotations

import json

import pytest

from dashboard import ids
from dashboard.callbacks import lab as cb
from dashboard.components import lab as lab_components
from dashboard.figures import lab_map
from dashboard.lab import repository as repo
from dashboard.lab import seed
from dashboard.lab.repository import PracticeFilter
from dashboard.lab.validation import FIELD_LABELS
from dashboard.views import lab as lab_views

from .helpers import valid_submission

pytestmark = pytest.mark.timeout(60)


def walk(component):
    """Every component in a Dash tree."""
    stack = [component]
    while stack:
        c = stack.pop()
        if c is None or isinstance(c, (str, int, float)):
            continue
        if isinstance(c, (list, tuple)):
            stack.extend(c)
            continue
        yield c
        stack.append(getattr(c, "children", None))


def text_of(component) -> str:
    from plotly.utils import PlotlyJSONEncoder

    return json.dumps(component, cls=PlotlyJSONEncoder, ensure_ascii=False)


def find(component, cid):
    for c in walk(component):
        if getattr(c, "id", None) == cid:
            return c
    raise AssertionError(f"no component with id {cid!r}")


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The Lab page modules (Dash Pages registers them on an app first; the module names are the same)."""
    from dashboard.app import create_app

    with pytest.MonkeyPatch.context() as mp:  # the app's own database: a throw-away one
        mp.setenv("MIPEXR_DB_URL", f"sqlite:///{tmp_path_factory.mktemp('lab-app') / 'lab.sqlite3'}")
        create_app()
    from dashboard.pages import lab, lab_contribute, lab_practice

    return lab, lab_contribute, lab_practice


@pytest.fixture
def seeded_env(env_db, regions):
    seed.seed(env_db, regions=regions)
    return env_db


def test_lab_view_and_page(seeded_env, regions, dataset, pages):
    f = PracticeFilter.from_query({"region": "SE224"}, regions=regions)
    view = lab_views.lab_view(dataset, f)
    assert view.error is None and len(view.records) == 2 and view.counts == {"SE224": 2}
    assert view.count_text == "2 practices match the filters"
    assert view.links == ("/lab/export.csv?region=SE224", "/lab/export.json?region=SE224", "/lab?region=SE224")
    assert not view.illustrative
    page = pages[0].layout(region="SE224")
    text = text_of(page)
    assert "© EuroGeographics for the administrative boundaries" in text
    assert "Source-based" in text and "Illustrative" in text  # badge legend / note
    assert find(page, ids.LAB_FILTER_REGION).value == ["SE224"]
    assert find(page, ids.LAB_RESULT_COUNT).children == "2 practices match the filters"
    assert find(page, ids.LAB_EXPORT_CSV).href == "/lab/export.csv?region=SE224"
    graph = find(page, ids.LAB_MAP)
    assert graph.config["topojsonURL"].endswith("/assets/topojson/")
    assert set(graph.figure.data[1].customdata) == {"SE224"}
    countries = find(page, ids.LAB_FILTER_COUNTRY).options
    assert {"label": "Sweden", "value": "SE"} in countries and len(countries) == 31  # the EU and EFTA
    every = lab_views.lab_view(dataset, PracticeFilter())
    assert every.illustrative and every.count_text == "17 practices in the Integration Lab"
    assert "Illustrative" in text_of(lab_components.results_list(every, regions))
    nothing = lab_views.lab_view(dataset, PracticeFilter.from_query({"q": "zzz-nothing"}, regions=regions))
    assert "Try removing a filter" in text_of(lab_components.results_list(nothing, regions))


def test_map_figure_shows_every_region_with_counts(dataset):
    points = dict(lab_views.FALLBACK_LABEL_POINTS)
    fig = lab_map.lab_map(dataset.regions, {"SE224": 3, "PT20": 1}, points, selected=("SE224",))
    assert fig.data[0].type == "scattergeo"
    shown = set(fig.data[0].customdata) | set(fig.data[1].customdata)
    assert shown == set(dataset.regions["region_id"])  # all 25 regions have a point
    assert set(fig.data[1].customdata) == {"SE224", "PT20"}
    sizes = dict(zip(fig.data[1].customdata, fig.data[1].marker.size))
    assert sizes["SE224"] > sizes["PT20"]
    colours = dict(zip(fig.data[1].customdata, fig.data[1].marker.color))
    assert colours["SE224"] == lab_map.SELECTED and colours["PT20"] == lab_map.ACCENT
    assert "Skåne (Sweden): 3 practices" in fig.data[1].text and "Azores (Portugal): 1 practice" in fig.data[1].text
    assert fig.layout.geo.scope == "europe"
    del points["ES64"]  # a region without a label point is left out, not drawn at (0, 0)
    fig = lab_map.lab_map(dataset.regions, {}, points)
    assert "ES64" not in fig.data[0].customdata and len(fig.data[0].customdata) == 24 and not fig.data[1].customdata


def test_label_points_come_from_the_boundary_files(dataset, monkeypatch, tmp_path):
    ids_ = list(dataset.regions["region_id"])
    pts = lab_views.label_points(ids_)
    assert set(pts) == set(ids_)
    lon, lat = pts["PT20"]
    assert -32 < lon < -24 and 36 < lat < 40  # the Azores, in the Atlantic
    # a boundary folder whose label file places ES51 elsewhere: that point is used, the rest fall back
    labels = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "ES51", "properties": {"NUTS_ID": "ES51"},
         "geometry": {"type": "Point", "coordinates": [1.25, 41.5]}}]}
    from dashboard import geo

    (tmp_path / geo.LABEL_POINTS_FILE).write_text(json.dumps(labels), encoding="utf-8")
    monkeypatch.setenv("MIPEXR_GEO_DIR", str(tmp_path))
    pts = lab_views.label_points(["ES51", "PT20"])
    assert pts == {"ES51": (1.25, 41.5), "PT20": lab_views.FALLBACK_LABEL_POINTS["PT20"]}
    # no boundary folder at all: the fallback table
    monkeypatch.setenv("MIPEXR_GEO_DIR", str(tmp_path / "missing"))
    assert lab_views.label_points(ids_) == {r: lab_views.FALLBACK_LABEL_POINTS[r] for r in ids_}


def test_toggle_region_from_map_click():
    click = {"points": [{"customdata": "ES51"}]}
    assert cb.toggle_region(click, []) == ["ES51"]
    assert cb.toggle_region(click, ["SE224", "ES51"]) == ["SE224"]
    assert cb.toggle_region({"points": [{"customdata": ["PT20"]}]}, None) == ["PT20"]
    assert cb.toggle_region(None, ["SE224"]) == ["SE224"]


def test_filter_from_inputs(regions):
    f = cb.filter_from_inputs(regions, "  guide ", ["PT20"], None, ["general"], ["TCN"], ["communication"])
    assert f == PracticeFilter(regions=("PT20",), policy_areas=("general",), target_groups=("TCN",),
                               aspects=("communication",), text="guide")
    assert cb.filter_from_inputs(regions) == PracticeFilter()


def test_practice_page(seeded_env, regions, pages):
    practice_page = pages[2].layout
    f = PracticeFilter.from_query({"q": "migrant's guide"}, regions=regions)
    rec = repo.search_practices(f, url=seeded_env)[0]
    page = practice_page(practice_id=str(rec.id))
    text = text_of(page)
    assert find(page, ids.LAB_PRACTICE_PROFILE_LINK).href == "/region/PT20"
    assert "Azores (Região Autónoma dos Açores), Portugal (PT20)" in text
    assert "Regional Directorate for Communities" in text and "REGIN project website" in text
    table = find(page, ids.LAB_PRACTICE_ASPECTS)
    for label in ("Communication", "Inclusion", "Innovation", "Multi-level governance",
                  "Multi-stakeholder approach", "Monitoring & evaluation", "Sustainability"):
        assert label in text_of(table)
    assert "Source-based" in text and lab_components.NOT_DOCUMENTED in text
    illustrative = repo.search_practices(PracticeFilter(illustrative=True), url=seeded_env)[0]
    assert "Illustrative practice" in text_of(practice_page(practice_id=str(illustrative.id)))
    assert "Practice not found" in text_of(practice_page(practice_id="999"))
    assert "Practice not found" in text_of(practice_page(practice_id="../etc"))
    assert find(practice_page(practice_id="contribute", region="PT20"), ids.lab_choice("region_id")).value == "PT20"


def test_pending_practice_is_not_shown(env_db, regions, pages):
    rec = repo.create_submission(valid_submission(), regions=regions, url=env_db)
    assert "Practice not found" in text_of(pages[2].layout(practice_id=str(rec.id)))


def test_contribution_form_has_an_input_and_error_slot_per_field(pages):
    form = pages[1].layout(region="es51")

    def of_type(kind):
        return {c.id["field"] for c in walk(form) if isinstance(getattr(c, "id", None), dict)
                and c.id["type"] == kind}

    assert of_type(ids.LAB_FORM_FIELD) | of_type(ids.LAB_FORM_CHOICE) == set(FIELD_LABELS) - {"aspects"} | {"website"}
    assert of_type(ids.LAB_FORM_CHOICE) == {"region_id"}  # the searchable dropdown
    assert of_type(ids.LAB_FORM_FEEDBACK) == set(FIELD_LABELS)
    select = find(form, ids.lab_choice("region_id"))
    assert select.value == "ES51" and select.searchable
    # the 25 MIPEX-R regions first, marked, by country then name; then every other EU/EFTA NUTS 1-3 region
    assert select.options[0] == {"label": "Tyrol (Austria) · AT33 · MIPEX-R region", "value": "AT33"}
    assert all("MIPEX-R region" in o["label"] for o in select.options[:25])
    assert select.options[25] == {"label": lab_components.OTHER_REGIONS_HEADING, "value": "", "disabled": True}
    values = [o["value"] for o in select.options]
    assert "FR10" in values and "CH01" in values and "NO08" in values and len(values) > 1500
    assert "UKI" not in values and "TR10" not in values and "FR" not in values  # not EU/EFTA; no level 0
    assert "PT1A" not in values  # a NUTS 2024 part of Lisbon (PT17): the registry sends it there
    assert len(values) == len(set(values))
    paris = next(o for o in select.options if o["value"] == "FR10")
    assert paris["label"] == "Ile-de-France (France) · FR10 · NUTS 2" or paris["label"].startswith("Île-de-France")
    assert find(pages[1].layout(region="Lisbon Metropolitan Area"), ids.lab_choice("region_id")).value == "PT17"
    assert find(pages[1].layout(region="fr10"), ids.lab_choice("region_id")).value == "FR10"
    assert find(pages[1].layout(region="nowhere"), ids.lab_choice("region_id")).value is None
    # labels point at the rendered DOM id of pattern-matching inputs
    assert lab_components.dom_id(ids.lab_field("title")) == '{"field":"title","type":"lab-form-field"}'


def test_submit_contribution_outcomes(env_db, regions):
    msg, errors, stored = cb.submit_contribution({"title": "x", "consent": False}, regions)
    assert not stored and "title" in errors and "consent" in errors
    assert "need attention" in text_of(msg)
    values = valid_submission()
    values.pop("aspects")
    values["aspect_innovation_inspiring"] = "New idea"
    msg, errors, stored = cb.submit_contribution(values, regions)
    assert stored and errors == {}
    assert "#" in text_of(msg) and "waiting for a moderator" in text_of(msg)
    assert len(repo.list_pending(url=env_db)) == 1


def test_database_down_is_shown_not_raised(monkeypatch, regions, dataset, pages):
    monkeypatch.setenv("MIPEXR_DB_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    view = lab_views.lab_view(dataset, PracticeFilter())
    assert view.error == "The practices database is unavailable." and view.records == ()
    assert view.figure.data  # the map is still drawn
    page = pages[0].layout()
    assert "The practices database is unavailable." in text_of(find(page, ids.LAB_STATUS))
    assert "No practices can be shown right now." in text_of(find(page, ids.LAB_RESULTS))
    practice = text_of(pages[2].layout(practice_id="1"))
    assert "The practices database is unavailable." in practice
    msg, errors, stored = cb.submit_contribution(valid_submission(), regions)
    assert not stored and "Not stored" in text_of(msg) and "the practices database is unavailable." in text_of(msg)
    data, status = cb.map_image(PracticeFilter(), "png")
    assert data is cb.no_update and status == "Not exported: the practices database is unavailable."
    for shown in (text_of(page), practice, text_of(msg), status):  # no connection detail reaches the page
        for secret in ("127.0.0.1", "nobody", "none?", "port 1", ":1/", "psycopg", "OperationalError", "postgresql"):
            assert secret not in shown, (secret, shown[:300])


def test_map_image_is_the_filtered_map_with_source_and_marks(seeded_env, regions, warm_browser):
    """The Lab map's PNG/SVG/PDF buttons: the map of the filter, its source line, the credit, and the
    illustrative mark only when an illustrative practice is counted."""
    from xml.etree import ElementTree

    def svg_text(region: str) -> str:
        data, status = cb.map_image(PracticeFilter.from_query({"region": region}, regions=regions), "svg")
        assert status == "" and data["filename"] == "mipexr-lab-map-slide.svg"
        import base64

        root = ElementTree.fromstring(base64.b64decode(data["content"]))
        return " ".join(" ".join(root.itertext()).split())

    skane = svg_text("SE224")  # two source-based practices
    assert lab_map.TITLE in skane and "2 practices match the filters; filters: region=SE224" in skane
    assert "© EuroGeographics for the administrative boundaries" in skane
    assert "ILLUSTRATIVE DATA" not in skane.upper()
    berlin = svg_text("DE30")  # an illustrative practice
    assert "ILLUSTRATIVE DATA" in berlin.upper()


def test_map_image_without_chromium_explains(seeded_env, monkeypatch):
    from dashboard.errors import ExportError
    from dashboard.export import images

    def refuse(*_a, **_k):
        raise ExportError("Server-side export needs the Chromium browser, which was not found.")

    monkeypatch.setattr(images, "figure_download", refuse)
    data, status = cb.map_image(PracticeFilter(), "png")
    assert data is cb.no_update
    assert "Chromium" in status and "camera button" in status
