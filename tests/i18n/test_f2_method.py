"""The Methodology page and the glossary in other languages (issue #15, area f2-method).

Run against catalogs filled from ``/work/i18n-parts/f2-method*.json``: the page in Swedish and French has its
headings, paragraphs, rule, groups, generator notes and glossary translated and none of the known English
sentences left; English stays as it was.
"""

from __future__ import annotations

import html
import itertools

import pytest

from dashboard import i18n, scoring

# sentences of the page as written in English: none may be left on the translated page
ENGLISH = [
    "The four axes",
    "Every indicator is tagged on four axes, so each can be read in four ways:",
    "How scores are computed",
    "Unanswered items are left out, never counted as 0.",
    "Where the data come from",
    "The full MIPEX-R score tables are not available offline.",
    "To show real results, load the real files on the ",
    "Words used on these pages",
    "Attributions",
    "MIPEX-R Explorer embedded dataset",
    "Question texts written by the project",
    "Everything else is invented",
    "How the answers are drawn, per region:",
    "Third-country nationals: people living in the region",
    "The code of the Eurostat table a context statistic comes from",
    "With the data now loaded:",
    "Advanced: overall score",
    "A dimension with no answered indicator is missing, never 0.",
    "one number per region (see the rule below).",
]

EXPECTED = {
    "sv": ["De fyra axlarna", "Hur poängen beräknas", "Var uppgifterna kommer ifrån",
           "Ord som används på de här sidorna", "Erkännanden", "Långt framme: totalpoäng 55 eller mer.",
           "Hur svaren lottas, per region:",
           "Allt annat är påhittat", "omkring 2 % av frågorna med tre alternativ",
           "Tredjelandsmedborgare: personer som bor i regionen",
           "En dimension utan någon besvarad indikator saknas, den blir aldrig 0.",
           "Sysselsättningsgrad (20–64)"],
    "fr": ["Les quatre axes", "Comment les scores sont calculés", "D'où viennent les données",
           "Les mots employés sur ces pages", "Crédits", "Avancée : score global de 55 ou plus.",
           "Comment les réponses sont tirées, pour chaque région :", "Tout le reste est inventé",
           "environ 2 % des questions à trois options",
           "Ressortissants de pays tiers : personnes vivant dans la région",
           "Une dimension sans aucun indicateur renseigné est manquante, jamais 0."],
}


@pytest.fixture(scope="module")
def app():
    from dashboard.app import create_app

    return create_app()


def _walk(node):
    if isinstance(node, (list, tuple)):
        for child in node:
            yield from _walk(child)
        return
    yield node
    children = getattr(node, "children", None)
    if children is not None:
        yield from _walk(children)


def _text(node) -> str:
    return " ".join(str(n) for n in _walk(node) if isinstance(n, (str, int, float)))


def _flat(node) -> str:
    """The text as a browser shows it (pieces joined without separators)."""
    return "".join(str(n) for n in _walk(node) if isinstance(n, (str, int, float)))


def _grid_headers(node) -> list[str]:
    return [d["headerName"] for n in _walk(node) if getattr(n, "columnDefs", None) for d in n.columnDefs]


def _page(lang: str):
    from dashboard.pages import methodology

    with i18n.use(lang):
        return methodology.layout(), methodology._title()


@pytest.mark.parametrize("lang", ["sv", "fr"])
def test_methodology_page_is_translated(app, lang):
    layout, title = _page(lang)
    text = _text(layout)
    for phrase in EXPECTED[lang]:
        assert phrase in text, (lang, phrase)
    for sentence in ENGLISH:
        assert sentence not in text, (lang, sentence)
    assert title == {"sv": "MIPEX-R Explorer — metod", "fr": "MIPEX-R Explorer — méthodologie"}[lang]
    headers = _grid_headers(layout)
    assert "Question text" not in headers and "Answer options (points)" not in headers
    assert {"sv": "Frågetext", "fr": "Texte de la question"}[lang] in headers
    # names, codes and numbers are kept
    assert "MIPEX-R" in text and "CIDOB" in text and "lfst_r_lfe2emprtn" in text and "PT20" in text


@pytest.mark.parametrize("lang", ["sv", "fr"])
def test_glossary_answers_in_the_current_language(lang):
    from dashboard import glossary

    with i18n.use(lang):
        entries = glossary.entries()
        tcn = glossary.tip("TCN")
        policy_output = glossary.term("Policy output")
        assert glossary.term("TCN") == "TCN" and glossary.term("NUTS") == "NUTS"
        with pytest.raises(KeyError):
            glossary.tip("not a word")
        with pytest.raises(KeyError):
            glossary.term("not a word")
    assert len(entries) == len(glossary.GLOSSARY)
    english = dict(glossary.GLOSSARY.items())  # outside the block: English
    for (word, definition), key in zip(entries, glossary.GLOSSARY):
        assert definition != english[key], (lang, key)
    assert tcn.startswith({"sv": "Tredjelandsmedborgare:", "fr": "Ressortissants de pays tiers :"}[lang])
    assert policy_output == {"sv": "Politiska insatser", "fr": "Réalisations"}[lang]


def test_english_page_and_glossary_are_unchanged(app):
    from dashboard import glossary
    from dashboard.pages import methodology

    layout, title = _page("en")
    text = _text(layout)
    assert title == "MIPEX-R Explorer — methodology"
    for sentence in ENGLISH:
        assert sentence in text, sentence
    flat = _flat(layout)
    assert "as the generator documents below. To show real results, load the real files on the Data page or start " \
           "the app with MIPEXR_DATA_DIR pointing at a data package with “illustrative”: false." in flat
    assert "Context statistics, when real, come from Eurostat regional tables (listed under Words used)." in flat
    assert "Overall score: one number per region (see the rule below)." in flat
    assert methodology.group_lines() == ["Advanced: overall score 55 or more.",
                                         "Intermediate: overall score from 45 up to (not including) 55.",
                                         "Lagging: overall score below 45."]
    assert glossary.tip("TCN") == ("Third-country nationals: people living in the region who are citizens of a country "
                                   "outside the EU (and outside the EFTA countries).")
    assert glossary.entries()[0] == ("TCN", glossary.tip("TCN"))
    assert _grid_headers(layout) == [c.label for c in methodology.FRAMEWORK_COLUMNS]
    # the generator's notes read as the docstring says (2 %, not 2 %%)
    assert "about 2 % of three-option items" in text and "%%" not in text


def test_every_block_of_the_generator_docstring_is_marked_for_translation(app):
    from dashboard.pages import methodology

    doc = methodology.generator_docstring()
    assert doc, "data/generate_illustrative.py has a docstring"
    blocks = [methodology.doc_msgid(text) for paragraph in methodology.doc_blocks(methodology._markdown(doc))
              for _marker, text in paragraph]
    assert set(blocks) == set(methodology.GENERATOR_DOC), "update GENERATOR_DOC when the generator's docstring changes"
    assert len(blocks) == len(methodology.GENERATOR_DOC)


def test_the_embedded_packages_title_and_sources_are_marked_for_translation(dataset):
    from dashboard.pages import methodology

    texts = [dataset.title, *(v for v in dataset.sources.values() if v)]
    assert set(texts) <= set(methodology.PACKAGE_TEXTS), "update PACKAGE_TEXTS when data/datapackage.json changes"
    assert set(dataset.resource_illustrative) <= set(methodology.RESOURCE_TEXT)


def test_every_line_of_every_scoring_rule_is_marked_for_translation(app):
    from dashboard.pages import methodology

    for overall, general in itertools.product(("mean_of_areas", "mean_of_indicators"), (True, False)):
        lines = scoring.ScoringRule(overall=overall, general_in_axes=general).describe()
        assert set(lines) <= set(methodology.RULE_TEXTS), (overall, general)


def test_doc_blocks_keep_markers_and_join_lines(app):
    from dashboard.pages import methodology

    md = "Intro line one\nline two.\n\n* first\n  continued\n* second\n\n1. one\n2. two"
    assert methodology.doc_blocks(md) == [[("", "Intro line one line two.")],
                                          [("* ", "first continued"), ("* ", "second")],
                                          [("1. ", "one"), ("2. ", "two")]]
    assert methodology.translated_markdown(md) == "Intro line one line two.\n\n* first continued\n* second\n\n" \
                                                  "1. one\n2. two"


def test_linked_puts_components_where_the_translation_puts_the_placeholder(app):
    from dash import html as dash_html

    from dashboard.pages import methodology

    link = dash_html.A("x", href="/data")
    parts = methodology.linked("Chargez {page} ou {setting}.", page=link, setting="VAR")
    assert parts[0] == "Chargez " and parts[1] is link and parts[2:] == [" ou ", "VAR", "."]
    assert methodology.linked("{unknown} stays", page=link) == ["{unknown}", " stays"]


def test_thresholds_use_the_languages_decimal_mark(app, monkeypatch):
    from dashboard.pages import methodology

    monkeypatch.setitem(scoring.GROUP_THRESHOLDS, "intermediate", 45.5)
    with i18n.use("fr"):
        assert methodology.group_lines()[2] == "En retard : score global inférieur à 45,5."
    assert methodology.group_lines()[2] == "Lagging: overall score below 45.5."


# --- the Integration Lab's moderation page -------------------------------------------------------------------

LAB_ENGLISH = ["Moderator token", "Show pending submissions", "waiting for approval", "Reason (optional)",
               "Responsible body", "Lessons learnt", "Tips for transferability", "Submitted by", ">Approve #",
               "That token is not valid."]
LAB_EXPECTED = {
    "sv": ['<html lang="sv">', "Integrationslabbet — moderering", "Moderatortoken", "Visa inskick som väntar",
           "2 inskick väntar på godkännande.", "Ansvarigt organ", "Lärdomar", "Godkänn #", "Avvisa #",
           "Den här token är inte giltig."],
    "fr": ['<html lang="fr">', "Laboratoire d'intégration — modération", "Jeton de modérateur",
           "Afficher les soumissions en attente", "2 soumissions en attente d'approbation.", "Organisme responsable",
           "Enseignements tirés", "Approuver le n° ", "Rejeter le n° ", "Ce jeton n'est pas valide."],
}


@pytest.fixture
def lab_client(tmp_path, monkeypatch):
    from dashboard.lab import db, migrations
    from tests.lab.helpers import UNLIMITED, lab_flask_app

    url = f"sqlite:///{tmp_path / 'lab.sqlite3'}"
    migrations.upgrade(url)
    monkeypatch.setenv("MIPEXR_DB_URL", url)
    monkeypatch.setenv("MIPEXR_ADMIN_TOKEN", "moderator-token-for-i18n")
    yield lab_flask_app(UNLIMITED).test_client()
    db.dispose_engines()


def _lab_pages(client) -> tuple[str, str, str, str]:
    """The moderation page (wrong token, the pending list, after an approval) and the disabled page."""
    from tests.lab.helpers import admin_form_token, valid_submission

    ids = [client.post("/lab/api/practices", json=valid_submission(title=f"Practice {n}")).json["id"]
           for n in (1, 2)]
    csrf = admin_form_token(client)
    wrong = client.post("/lab/admin", data={"token": "wrong", "csrf_token": csrf}).data.decode()
    token = "moderator-token-for-i18n"
    pending = client.post("/lab/admin", data={"token": token, "csrf_token": csrf}).data.decode()
    approved = client.post(f"/lab/admin/{ids[0]}/approve", data={"token": token, "csrf_token": csrf}).data.decode()
    return wrong, pending, approved, str(ids[0])


@pytest.mark.parametrize("lang", ["sv", "fr"])
def test_lab_moderation_page_is_translated(lab_client, lang, monkeypatch):
    with i18n.use(lang):
        wrong, pending, approved, first = _lab_pages(lab_client)
        monkeypatch.delenv("MIPEXR_ADMIN_TOKEN")
        disabled = lab_client.get("/lab/admin").data.decode()
    text = html.unescape(wrong + pending)  # autoescaped: "d&#39;intégration"
    for phrase in LAB_EXPECTED[lang]:
        assert phrase in text, (lang, phrase)
    for phrase in LAB_ENGLISH:
        assert phrase not in text, (lang, phrase)
    assert {"sv": f"Godkände #{first}", "fr": f"Le n° {first}"}[lang] in html.unescape(approved)
    assert f"/lab/{first}" in approved
    # the commands stay in <code>, the sentence around them is translated and escaped
    assert "<code>python -m dashboard lab list --pending</code>" in disabled and "MIPEXR_ADMIN_TOKEN" in disabled
    assert "Moderation over the web is disabled" not in disabled


def test_lab_moderation_page_in_english_is_unchanged(lab_client, monkeypatch):
    wrong, pending, approved, first = _lab_pages(lab_client)
    assert '<html lang="en">' in pending and "That token is not valid." in wrong
    assert "2 submissions waiting for approval." in pending
    assert 'Approved practices appear on <a href="/lab">/lab</a> at once; rejected ones are kept but never shown.' \
        in pending
    assert f">Approve #{first}</button>" in pending and f'aria-label="Reason for rejecting #{first}"' in pending
    assert f"Approved #{first} “Practice 1”: it is now shown on /lab/{first}." in approved
    monkeypatch.delenv("MIPEXR_ADMIN_TOKEN")
    disabled = lab_client.get("/lab/admin").data.decode()
    assert ("Moderation over the web is disabled. Set MIPEXR_ADMIN_TOKEN on the server to enable it, or use "
            "<code>python -m dashboard lab list --pending</code> and <code>lab approve ID</code>.") in disabled


def test_pieces_cut_a_sentence_around_its_placeholders():
    from dashboard.routes.lab_admin import pieces

    assert pieces("Voir {lab} maintenant", lab="/lab") == [("text", "Voir "), ("lab", "/lab"), ("text", " maintenant")]
    assert pieces("{other} <b>", lab="/lab") == [("text", "{other}"), ("text", " <b>")]
