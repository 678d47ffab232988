"""The self-assessment in other languages (issue #15): the 61 questions and their answers, guidance, progress,
summary, gains, peers, radars, saved files and resume errors come in the language of the request.

These tests read the compiled catalogs (``dashboard/translations``); the translations of this area are in
``/work/i18n-parts/e2-self*.json`` until the lead merges them into the catalogs.
"""

from __future__ import annotations

import base64
import re

import pytest

from dashboard import i18n
from dashboard.callbacks import self_assessment as cb
from dashboard.views import self_assessment_guide as guide
from dashboard.views.self_assessment import parse_options
from dashboard.views.self_assessment_file import read_saved
from tests.dash_tree import text, walk

LANGS = ("sv", "fr")
#: English texts of this area that must not be left on a translated page.
ENGLISH = (
    "How to answer this question", "Evidence to cite", "Save my answers (CSV)", "Not answered",
    "Save and resume", "Compare with other regions and make a brief", "Leave empty if not answered",
    "questions answered", "What would move the score most", "Self-assessment: the scores of this region",
    "Guidance written for this dashboard", "A standing arrangement", "YES systematically/regularly",
    "Has the region adopted", "Does the region", "(self-assessment)", "My region",
)


@pytest.fixture(scope="module")
def page():
    from dashboard.app import create_app

    create_app()  # pages register themselves on an app
    from dashboard.pages import self_assessment

    return self_assessment


def _all_text(node) -> str:
    """Visible text plus the texts a reader meets in attributes (placeholders, option labels, titles)."""
    parts = [text(node)]
    for n in walk(node):
        for attr in ("placeholder", "title", "label"):
            value = getattr(n, attr, None)
            if isinstance(value, str):
                parts.append(value)
        for option in getattr(n, "options", None) or []:
            if isinstance(option, dict) and isinstance(option.get("label"), str):
                parts.append(option["label"])
        figure = getattr(n, "figure", None)
        if figure is not None and getattr(figure, "layout", None) is not None:
            parts.append(str(figure.layout.title.text))
    return "\n".join(parts)


def _texts(parts) -> str:
    return "\n".join(text(part) for part in parts)


def _answers(dataset, n: int = 20) -> dict[str, object]:
    values = {}
    for row in dataset.framework.head(n).to_dict("records"):
        values[row["indicator_id"]] = "37.5" if row["scale"] == "percent" else "50"
    return values


@pytest.mark.parametrize("lang", ("fr", "de", "es", "it", "el", "pt", "sv"))
def test_every_question_has_a_translation(dataset, lang):
    with i18n.use(lang):
        untranslated = [q for q in dataset.framework["question"] if i18n._(q) == q]
        share = i18n._("share in percent, 0-100")
        yes = i18n._("YES systematically/regularly")
    assert untranslated == []
    assert share != "share in percent, 0-100" and yes != "YES systematically/regularly"


@pytest.mark.parametrize("lang", LANGS)
def test_page_shows_translated_questions_and_no_english(page, dataset, lang):
    with i18n.use(lang):
        layout = page.layout()
        questions = [i18n._(q) for q in dataset.framework["question"]]
        options = [i18n._(label) for label, _pts in parse_options(dataset.framework["options"].iloc[0])]
    shown = _all_text(layout)
    for number, question in enumerate(questions, start=1):
        assert f"{number}. {question}" in shown
    for option in options:
        assert f"{option} (100)" in shown or f"{option} (50)" in shown or f"{option} (0)" in shown
    for english in ENGLISH:
        assert english not in shown, english
    for question in dataset.framework["question"]:
        assert question not in shown


def test_page_texts_in_swedish(page):
    with i18n.use("sv"):
        shown = _all_text(page.layout())
    for sv in ("Självskattning", "Så svarar du på frågan", "Spara mina svar (CSV)", "Inte besvarad",
               "Framsteg: 0 av 61 frågor besvarade", "Underlag att hänvisa till:", "Min region (självskattning)",
               "Politikområden (0–100)", "JA systematiskt/regelbundet (100)"):
        assert sv in shown, sv


def test_page_title_follows_the_language(page):
    import dash

    entry = next(p for p in dash.page_registry.values() if p["path"] == "/self-assessment")
    with i18n.use("sv"):
        assert entry["title"]() == "MIPEX-R Explorer — självskattning"
    assert entry["title"]() == "MIPEX-R Explorer — self-assessment"


@pytest.mark.parametrize("lang", LANGS)
def test_live_update_summary_progress_gains_and_radars(dataset, lang):
    with i18n.use(lang):
        summary, *radars, notes, progress, gains = cb.update(dataset, _answers(dataset), "Testregion", "x-1")
        expected_gain_head = i18n._("What would move the score most")
        expected_q = i18n._(dataset.framework["question"].iloc[25])
    shown = _texts([*summary, *notes, *progress, *gains])
    assert expected_gain_head in shown
    for english in ENGLISH + ("is not a NUTS-style code", "Progress:", "of 61", "from “", "gives a first score"):
        assert english not in shown, english
    if lang == "sv":
        assert "Testregion: totalpoäng" in shown
        assert "20 av 61 frågor besvarade" in shown
        assert "Framsteg: 20 av 61 frågor besvarade" in shown
        assert "Antidiskriminering: 7 av 7" in shown
        assert "”X-1” är inte en kod i NUTS-format" in shown
        # the gains: translated sentence, question and labels; decimals with the Swedish comma
        assert re.search(r"Fråga \d+: från ”JA tillfälligt/ad hoc” till ”JA systematiskt/regelbundet”: \d+ → \d+ "
                         r"\(\+\d+,\d poäng\)", shown)
        assert [fig.layout.title.text for fig in radars] == ["Politikområden (0–100)", "Styrningssystem (element) "
                                                            "(0–100)", "Styrningsprocess (policycykel) (0–100)"]
    else:
        assert "Testregion : score global" in shown
        assert "20 questions sur 61 ont reçu une réponse." in shown
    # a question of the first open policy area is named in the gains, translated
    assert expected_q in shown or "—" in shown


def test_peer_table_in_german_and_swedish(dataset):
    peers = list(dataset.regions["region_id"][:2])
    with i18n.use("de"):
        shown = _texts(cb.peer_children(dataset, _answers(dataset), "", peers + ["NOPE"]))
    assert "Meine Region (Selbstbewertung)" in shown
    assert "„NOPE“ ist keine geladene Region; weggelassen." in shown
    assert "Punktzahlen 0–100; – = noch keine Punktzahl." in shown
    with i18n.use("sv"):
        shown = _texts(cb.peer_children(dataset, {}, "X", []))
    assert "X (självskattning)" in shown and "Välj upp till tre regioner att jämföra." in shown
    assert "Choose up to three regions" not in shown


def test_guidance_is_translated_for_every_question(dataset):
    with i18n.use("sv"):
        for row in dataset.framework.to_dict("records"):
            g = guide.question_guidance(row)
            assert g.evidence != guide.EVIDENCE.english(guide.kind_of(row["indicator_id"])) if guide.kind_of(
                row["indicator_id"]) in guide.EVIDENCE else g.evidence != guide.GENERIC_EVIDENCE
            for label, meaning in g.levels:
                assert label not in ("YES systematically/regularly", "YES occasionally/ad hoc", "NO",
                                     "Share in percent (0–100)")
                assert meaning not in (*guide.LEVELS.values(), guide.PERCENT_LEVEL)


def _upload(content: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(content).decode()


def test_resume_error_names_row_and_column_in_swedish(dataset):
    order = list(dataset.framework["indicator_id"])
    bad = b"indicator_id,points\nnot.a.question,50\nhealth.strategy,70\n"
    with i18n.use("sv"):
        values, name, code, status = cb.restore(dataset, _upload(bad), "svar.csv", order)
    shown = text(status)
    assert "Filen lästes inte in; dina svar är oförändrade." in shown
    assert "svar.csv, rad 2, kolumn 'indicator_id': 'not.a.question' är inte en fråga i frågeformuläret" in shown
    assert ("svar.csv, rad 3, kolumn 'points': '70' är inte ett svar på health.strategy; förväntat: 0, 50 eller 100 "
            "(eller tomt)") in shown
    assert "row" not in shown and "column" not in shown and "not loaded" not in shown
    with i18n.use("fr"):
        shown = text(cb.restore(dataset, _upload(b"indicator_id,points\n"), "a.csv", order)[3])
    assert "a.csv, ligne 1 : le fichier a un en-tête mais aucune réponse" in shown


def test_saved_file_in_swedish_reads_back_in_any_language(dataset):
    values = _answers(dataset, 61)
    with i18n.use("sv"):
        content, filename = cb.answers_file(dataset, values, "Testregion", "ES51", "csv")
        loaded = cb.restore(dataset, _upload(content), filename, list(dataset.framework["indicator_id"]))
    body = content.decode("utf-8-sig")
    assert "Svar i självskattningen: Testregion" in body
    assert i18n.translations("sv").gettext(dataset.framework["question"].iloc[0]) in body
    assert "JA tillfälligt/ad hoc" in body
    assert "region_name,region_id,number,indicator_id,area,question,answer,points" in body  # machine keys kept
    assert "61 av 61 frågor besvarade" in text(loaded[3])
    saved = read_saved(content, filename, dataset.framework)  # read back in English too
    assert saved.answered == 61


def test_answer_words_are_read_in_english_or_the_current_language(dataset):
    rows = ("indicator_id,answer\nhealth.strategy,JA systematiskt/regelbundet\nhealth.measures,NO\n"
            "housing.data,inte besvarad\n")
    with i18n.use("sv"):
        saved = read_saved(rows.encode(), "svar.csv", dataset.framework)
        bad = rows.replace("NO", "KANSKE").encode()
        with pytest.raises(Exception) as err:
            read_saved(bad, "svar.csv", dataset.framework)
    assert saved.values["health.strategy"] == "100" and saved.values["health.measures"] == "0"
    assert "förväntat ett av: JA systematiskt/regelbundet; JA tillfälligt/ad hoc; NEJ" in str(err.value)
