"""The Integration Lab in Swedish and French (issue #15): /lab, a practice page, the contribution form with its
guidelines and glossary, the validation messages, the rate-limit message, the API's errors and the map.

Rendered with ``i18n.use(lang)``, the way a request in that language renders them; these pass once the
catalogs carry the translations of ``/work/i18n-parts/e1-lab*.json`` (the lead fills and compiles them).
English stays as it was: tests/lab/ checks it.
"""

from __future__ import annotations

import json

import pytest

from dashboard import i18n, ids
from dashboard.lab import db, migrations, seed
from dashboard.lab.guard import Throttled
from dashboard.lab.repository import PracticeFilter, search_practices
from dashboard.lab.validation import (
    SubmissionInvalid,
    describe_errors,
    validate_submission,
)
from dashboard.lab.vocab import (
    ASPECTS,
    KIND_CONTRIBUTED,
    POLICY_AREAS,
    TARGET_GROUPS,
    Regions,
    badge_text,
)
from tests.dash_tree import find, text, walk

pytestmark = pytest.mark.timeout(120)

#: English texts of the Lab that must not be left on a Swedish or French page.
ENGLISH_LAB = ["Search the practices", "Clear filters", "Contribute a practice", "About these practices",
               "Link to this view", "Download CSV", "practices in the Integration Lab", "Inspiring on aspect"]
ENGLISH_FORM = ["How to fill in this form", "Words used in this form", "Title of the practice", "Submit the practice",
                "Language of the answers", "1. The practice", "5. About you", "Leave empty if ongoing.",
                "Describe one practice", "Social actors", "inspiring element", "Multi-level governance"]
ENGLISH_PRACTICE = ["Lessons learnt", "Tips for transferability", "Source and provenance", "Responsible body",
                    "Room for improvement", "Other practices in", "Written in"]


def _all_text(node) -> str:
    """Visible text plus the texts people read in properties (placeholders, labels, options, titles)."""
    parts = [text(node)]
    for c in walk(node):
        for prop in ("placeholder", "title", "label", "aria-label"):
            value = getattr(c, prop, None)
            if isinstance(value, str):
                parts.append(value)
        options = getattr(c, "options", None)
        if isinstance(options, list):
            parts.extend(str(o.get("label", "")) for o in options if isinstance(o, dict))
    return " ".join(parts)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    from dashboard.app import create_app

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MIPEXR_DB_URL", f"sqlite:///{tmp_path_factory.mktemp('i18n-lab-app') / 'lab.sqlite3'}")
        create_app()
    from dashboard.pages import lab, lab_contribute, lab_practice

    return lab, lab_contribute, lab_practice


@pytest.fixture(scope="module")
def regions(dataset):
    return Regions.from_dataset(dataset)


@pytest.fixture
def seeded(tmp_path, monkeypatch, regions):
    url = f"sqlite:///{tmp_path / 'lab.sqlite3'}"
    migrations.upgrade(url)
    seed.seed(url, regions=regions)
    monkeypatch.setenv("MIPEXR_DB_URL", url)
    yield url
    db.dispose_engines()


def test_catalogs_answer_for_the_lab():
    """The guard for the rest: the compiled catalogs carry the Lab's texts (else every test here would fail
    for that one reason)."""
    with i18n.use("sv"):
        assert i18n.gettext("Contribute a practice") == "Bidra med en praxis"
    with i18n.use("fr"):
        assert i18n.gettext("Contribute a practice") == "Proposer une pratique"


@pytest.mark.parametrize("lang, expected", [
    ("sv", ["Sök bland praxisexemplen", "Rensa filter", "Bidra med en praxis", "Om dessa praxisexempel",
            "praxisexempel matchar filtren", "Ladda ned CSV", "Källbaserad", "Alla länder", "Hälsa",
            "Integrationslabbet", "MIPEX-R-region", "Sverige"]),
    ("fr", ["Rechercher dans les pratiques", "Effacer les filtres", "Proposer une pratique",
            "pratiques correspondent aux filtres", "Télécharger en CSV", "Fondée sur des sources", "Tous les pays",
            "Santé", "Laboratoire d'intégration", "région MIPEX-R", "Suède"]),
])
def test_lab_page_is_translated(seeded, pages, lang, expected):
    with i18n.use(lang):
        page = pages[0].layout(region="SE224")
        title = pages[0]._title()
    shown = _all_text(page)
    for phrase in expected:
        assert phrase in shown, f"{lang}: {phrase!r} not on /lab"
    for phrase in ENGLISH_LAB:
        assert phrase not in shown, f"{lang}: English {phrase!r} left on /lab"
    assert find(page, ids.LAB_RESULT_COUNT).children.startswith("2 ")
    assert title != "Integration Lab — MIPEX-R Explorer" and "MIPEX-R Explorer" in title
    figure = find(page, ids.LAB_MAP).figure
    names = {trace.name for trace in figure.data}
    assert "No matching practice" not in names and "Practices (size = number)" not in names
    hover = " ".join(t for trace in figure.data for t in trace.text)
    assert ("praxisexempel" if lang == "sv" else "pratiques") in hover
    assert figure.layout.separators[0] == ","  # the decimal comma of both languages


def test_region_names_are_local_in_their_own_language(seeded, pages):
    """Region names via i18n.region_name: Swedish readers see Skåne in Swedish, Spanish readers Cataluña."""
    with i18n.use("es"):
        page = pages[0].layout()
    regions_opts = [o["label"] for o in find(page, ids.LAB_FILTER_REGION).options]
    assert any(label.startswith("Cataluña (España)") for label in regions_opts), regions_opts[:5]


@pytest.mark.parametrize("lang", ["sv", "fr"])
def test_practice_page_is_translated_and_keeps_the_contributors_text(seeded, pages, lang):
    rec = next(r for r in search_practices(PracticeFilter(), url=seeded) if r.lessons_learnt)
    with i18n.use(lang):
        page = pages[2].layout(practice_id=str(rec.id))
    shown = _all_text(page)
    expected = {"sv": ["Lärdomar", "Tips för överförbarhet", "Källa och ursprung", "Ansvarigt organ",
                       "Förbättringsområden", "Andra praxisexempel i", "Skriven på", "Bedömning"],
                "fr": ["Enseignements tirés", "Conseils de transférabilité", "Source et provenance",
                       "Organisme responsable", "Points à améliorer", "Autres pratiques", "Rédigée en"]}[lang]
    for phrase in expected:
        assert phrase in shown, f"{lang}: {phrase!r} not on the practice page"
    for phrase in ENGLISH_PRACTICE:
        assert phrase not in shown, f"{lang}: English {phrase!r} left on the practice page"
    # the practice's own content stays as written, marked with its language
    assert rec.title in shown and rec.lessons_learnt in shown
    marked = [c for c in walk(page) if getattr(c, "lang", None) == rec.language]
    assert any(getattr(c, "children", None) == rec.lessons_learnt for c in marked)
    assert find(page, "lab-practice-written-in") is not None  # "shown as written, in English"
    assert find(page, "lab-practice-language").children == i18n.LANGUAGES[rec.language]


@pytest.mark.parametrize("lang, expected", [
    ("sv", ["Så fyller du i formuläret", "Ord som används i formuläret", "Praxisens titel", "Skicka in praxisen",
            "Svarens språk", "1. Praxisen", "5. Om dig", "Lämna tomt om den pågår.", "Sociala aktörer",
            "Inkludering: inspirerande inslag", "Flernivåstyrning", "Ett kort namn på praxisen",
            "Skriv ett namn eller en NUTS-kod …", "Bedömningens 7 aspekter", "Tredjelandsmedborgare (TCN)"]),
    ("de", ["So füllen Sie dieses Formular aus", "Begriffe in diesem Formular", "Titel des Praxisbeispiels",
            "Praxisbeispiel absenden", "Sprache der Antworten", "1. Das Praxisbeispiel", "Gesellschaftliche Akteure",
            "Inklusion: vorbildliches Element", "Mehrebenen-Governance", "Drittstaatsangehörige (TCN)"]),
])
def test_contribution_form_guidelines_and_glossary_are_translated(pages, lang, expected):
    with i18n.use(lang):
        page = pages[1].layout()
    shown = _all_text(page)
    for phrase in expected:
        assert phrase in shown, f"{lang}: {phrase!r} not on the form"
    for phrase in ENGLISH_FORM:
        assert phrase not in shown, f"{lang}: English {phrase!r} left on the form"
    assert find(page, "lab-guidelines") is not None and find(page, "lab-glossary") is not None


@pytest.mark.parametrize("lang", ["sv", "de", "en"])
def test_language_of_the_answers_defaults_to_the_page_language(pages, lang):
    with i18n.use(lang):
        page = pages[1].layout()
    select = find(page, ids.lab_field("language"))
    assert select.value == lang
    # each language named in its own language, the same on every page
    assert [o["label"] for o in select.options] == list(i18n.LANGUAGES.values())


def test_validation_messages_in_swedish(regions):
    with i18n.use("sv"):
        with pytest.raises(SubmissionInvalid) as info:
            validate_submission({"title": "Hej", "region_id": "Atlantis", "year_start": "abc"}, regions=regions)
        errors = info.value.field_errors
        lines = describe_errors(errors)
        payload = info.value.as_dict()
    assert errors["title"] == "är för kort: minst 5 tecken (nu 3)"
    assert "är inte en NUTS-region" in errors["region_id"] or "är inte en MIPEX-R-region" in errors["region_id"]
    assert errors["year_start"].startswith("måste vara ett årtal som 2021")
    assert errors["consent"] == "bekräfta att svaren får publiceras i Integrationslabbet"
    assert "Praxisens titel: är för kort: minst 5 tecken (nu 3)" in lines
    assert payload["error"] == "Praxisen sparades inte: rätta de fält som anges."
    assert not any("is required" in line or "must be" in line for line in lines)


def test_refusal_box_and_rate_limit_in_swedish():
    from dashboard.components import lab as lab_components

    with i18n.use("sv"):
        box = lab_components.submission_refused(["a", "b"])
        throttled = Throttled("submit", 40).message
        minutes = Throttled("submit", 3000).wait
    assert "Inte sparat än: 2 fält behöver åtgärdas." in text(box)
    assert throttled == "Inte sparat: för många bidrag från din adress på kort tid. Vänta ungefär 40 sekunder och " \
                        "försök igen."
    assert minutes == "ungefär 50 minuter"


def test_vocabularies_translate_and_stay_serialisable():
    with i18n.use("sv"):
        assert POLICY_AREAS["health"] == "Hälsa" and ASPECTS["inclusion"] == "Inkludering"
        assert TARGET_GROUPS["both"] == "Både TCN och BIP"
        assert badge_text(KIND_CONTRIBUTED, "Region Skåne") == "Bidrag från Region Skåne"
        assert json.loads(json.dumps(ASPECTS))["sustainability"] == "Hållbarhet"
    assert ASPECTS["inclusion"] == "Inclusion" and ASPECTS.english("inclusion") == "Inclusion"


def test_api_errors_follow_the_request_language(seeded):
    """The routes answer people in the request's language (``?lang=``); keys and codes stay as they are."""
    from flask import Flask

    from dashboard.i18n import web
    from dashboard.routes import lab_api

    app = Flask("i18n-lab")
    lab_api.init_app(app, seed_missing=False)

    @app.before_request
    def _lang():  # what dashboard.i18n.web installs on the Dash app
        import flask

        flask.g.token = i18n.set_current(web.resolve(flask.request))

    @app.teardown_request
    def _reset(_exc=None):
        import flask

        i18n.reset(flask.g.pop("token"))

    client = app.test_client()
    r = client.post("/lab/api/practices?lang=sv", json={"title": "Hej"})
    assert r.status_code == 422
    body = r.get_json()
    assert body["error"] == "Praxisen sparades inte: rätta de fält som anges."
    assert body["labels"]["title"] == "Praxisens titel" and "title" in body["errors"]
    r = client.get("/lab/api/practices/999999", headers={"Accept-Language": "fr"})
    assert r.status_code == 404 and r.get_json()["error"].startswith("Aucune pratique publiée")
