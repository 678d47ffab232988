"""Page building blocks and callback bodies, called directly (no browser)."""

from __future__ import annotations

import json

import pytest

from dashboard import ids
from dashboard.callbacks import lab as cb
from dashboard.lab import regions as lab_regions
from dashboard.lab import repository as repo
from dashboard.lab import seed, ui
from dashboard.lab.repository import PracticeFilter
from dashboard.lab.validation import FIELD_LABELS

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


@pytest.fixture
def seeded_env(env_db):
    seed.seed(env_db)
    return env_db


def test_results_view_and_lab_page(seeded_env):
    f = PracticeFilter.from_query({"region": "SE224"})
    view = cb.results_view(f)
    assert view["status"] is None
    assert view["count"] == "2 practices match the filters"
    assert view["csv"] == "/lab/export.csv?region=SE224" and view["share"] == "/lab?region=SE224"
    page = ui.lab_page(f, view)
    text = text_of(page)
    assert "© EuroGeographics for the administrative boundaries" in text
    assert "Source-based" in text and "Illustrative" in text  # badge legend / note
    assert find(page, ids.LAB_FILTER_REGION).value == ["SE224"]
    graph = find(page, ids.LAB_MAP)
    assert graph.config["topojsonURL"].endswith("/assets/topojson/")
    every = cb.results_view(PracticeFilter())
    assert "Illustrative" in text_of(html_div(every["results"]))


def html_div(children):
    from dash import html

    return html.Div(children)


def test_map_figure_shows_every_region_with_counts():
    fig = ui.map_figure({"SE224": 3, "PT20": 1}, selected=("SE224",))
    assert fig.data[0].type == "scattergeo"
    shown = set(fig.data[0].customdata) | set(fig.data[1].customdata)
    assert shown == set(lab_regions.regions())  # all 25 regions have a point
    assert set(fig.data[1].customdata) == {"SE224", "PT20"}
    sizes = dict(zip(fig.data[1].customdata, fig.data[1].marker.size))
    assert sizes["SE224"] > sizes["PT20"]
    assert fig.layout.geo.scope == "europe"


def test_label_points_cover_all_regions():
    pts = lab_regions.label_points()
    assert set(lab_regions.regions()) <= set(pts)
    lon, lat = pts["PT20"]
    assert -32 < lon < -24 and 36 < lat < 40  # the Azores, in the Atlantic
    assert lab_regions._points_from({"features": [
        {"properties": {"NUTS_ID": "ES51"}, "geometry": {"coordinates": [1.5, 41.8]}}]}) == {"ES51": (1.5, 41.8)}


def test_toggle_region_from_map_click():
    click = {"points": [{"customdata": "ES51"}]}
    assert cb.toggle_region(click, []) == ["ES51"]
    assert cb.toggle_region(click, ["SE224", "ES51"]) == ["SE224"]
    assert cb.toggle_region({"points": [{"customdata": ["PT20"]}]}, None) == ["PT20"]
    assert cb.toggle_region(None, ["SE224"]) == ["SE224"]


def test_filter_from_inputs():
    f = cb.filter_from_inputs("  guide ", ["PT20"], None, ["general"], ["TCN"], ["communication"])
    assert f == PracticeFilter(regions=("PT20",), policy_areas=("general",), target_groups=("TCN",),
                               aspects=("communication",), text="  guide ")
    assert cb.filter_from_inputs() == PracticeFilter()


def test_practice_view(seeded_env):
    rec = repo.search_practices(PracticeFilter.from_query({"q": "migrant's guide"}), url=seeded_env)[0]
    page = cb.practice_view(rec.id)
    text = text_of(page)
    assert find(page, ids.LAB_PRACTICE_PROFILE_LINK).href == "/region/PT20"
    assert "Regional Directorate for Communities" in text and "REGIN project website" in text
    table = find(page, ids.LAB_PRACTICE_ASPECTS)
    for label in ("Communication", "Inclusion", "Innovation", "Multi-level governance",
                  "Multi-stakeholder approach", "Monitoring & evaluation", "Sustainability"):
        assert label in text_of(table)
    assert "Source-based" in text and ui.NOT_DOCUMENTED in text
    illustrative = repo.search_practices(PracticeFilter(illustrative=True), url=seeded_env)[0]
    assert "Illustrative practice" in text_of(cb.practice_view(illustrative.id))
    assert "Practice not found" in text_of(cb.practice_view("999"))
    assert "Practice not found" in text_of(cb.practice_view("../etc"))


def test_pending_practice_is_not_shown(env_db):
    rec = repo.create_submission(valid_submission(), url=env_db)
    assert "Practice not found" in text_of(cb.practice_view(rec.id))


def test_contribution_form_has_an_input_and_error_slot_per_field():
    form = ui.contribute_page("es51")
    field_ids = {c.id["field"] for c in walk(form) if isinstance(getattr(c, "id", None), dict)
                 and c.id["type"] == ids.LAB_FORM_FIELD}
    feedback_ids = {c.id["field"] for c in walk(form) if isinstance(getattr(c, "id", None), dict)
                    and c.id["type"] == ids.LAB_FORM_FEEDBACK}
    assert field_ids == set(FIELD_LABELS) - {"aspects"}
    assert feedback_ids == set(FIELD_LABELS)
    assert find(form, ids.lab_field("region_id")).value == "ES51"
    # labels point at the rendered DOM id of pattern-matching inputs
    assert ui.dom_id(ids.lab_field("title")) == '{"field":"title","type":"lab-form-field"}'


def test_submit_contribution_outcomes(env_db):
    msg, errors, stored = cb.submit_contribution({"title": "x", "consent": False})
    assert not stored and "title" in errors and "consent" in errors
    assert "need attention" in text_of(msg)
    values = valid_submission()
    values.pop("aspects")
    values["aspect_innovation_inspiring"] = "New idea"
    msg, errors, stored = cb.submit_contribution(values)
    assert stored and errors == {}
    assert "#" in text_of(msg) and "waiting for a moderator" in text_of(msg)
    assert len(repo.list_pending(url=env_db)) == 1


def test_database_down_is_shown_not_raised(monkeypatch):
    monkeypatch.setenv("MIPEXR_DB_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    view = cb.results_view(PracticeFilter())
    assert view["status"] is not None and "unavailable" in text_of(view["status"])
    assert "unavailable" in text_of(cb.practice_view(1))
    msg, errors, stored = cb.submit_contribution(valid_submission())
    assert not stored and "Not stored" in text_of(msg)


def test_map_image_is_the_filtered_map_with_source_and_marks(seeded_env, warm_browser):
    """The Lab map's PNG/SVG/PDF buttons: the map of the filter, its source line, the credit, and the
    illustrative mark only when an illustrative practice is counted."""
    from xml.etree import ElementTree

    def svg_text(region: str) -> str:
        data, status = cb.map_image(PracticeFilter.from_query({"region": region}), "svg")
        assert status == "" and data["filename"] == "mipexr-lab-map-slide.svg"
        import base64

        root = ElementTree.fromstring(base64.b64decode(data["content"]))
        return " ".join(" ".join(root.itertext()).split())

    skane = svg_text("SE224")  # two source-based practices
    assert ui.MAP_TITLE in skane and "2 practices match the filters; filters: region=SE224" in skane
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
