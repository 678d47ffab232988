"""The Data page and the import/validation errors in Swedish and French (issue #15, area f1-data).

The page is built under ``i18n.use(lang)`` as a request in that language would build it; the errors are made
where the data are read, in the language current when they are raised: the file, row and column are still
named (the file name, the column name and the value are never translated), the words around them are.
These tests need the catalogs filled from /work/i18n-parts/f1-data*.json (the lead does it when merging).
"""

from __future__ import annotations

import base64

import pandas as pd
import pytest

from dashboard import config, data, i18n, ids
from dashboard.callbacks import data as cd
from dashboard.errors import InputError, UserError
from dashboard.views import data as dv
from tests import dash_tree

#: English texts of the page that must not be left in a translated page.
ENGLISH = ["Your private workspace", "Shared versions", "Load the published MIPEX-R tables",
           "Keep in my private workspace", "Publish for everyone", "Shown now", "choose a file",
           "Back to the previous version", "Or replace one part of the data package (advanced)",
           "Every publication is kept; one is shown to everyone.", "Indicator answers", "Edition (year)",
           "Read the check: what was recognised, what was not, and the first changes.",
           "real (not illustrative)", "No shared version yet"]

#: Texts each language must show (headings, buttons, the drop zone, the summary).
EXPECTED = {
    "sv": ["Din privata arbetsyta", "Delade versioner", "Läs in de publicerade MIPEX-R-tabellerna",
           "Behåll i min privata arbetsyta", "Publicera för alla", "Visas nu", "välj en fil", "Utgåva (år)"],
    "fr": ["Votre espace de travail privé", "Versions partagées", "Charger les tableaux MIPEX-R publiés",
           "Garder dans mon espace de travail privé", "Publier pour tout le monde", "Affiché maintenant",
           "choisissez un fichier", "Édition (année)"],
}
ROW_WORD = {"sv": "rad", "fr": "ligne"}
COLUMN_WORD = {"sv": "kolumn", "fr": "colonne"}


@pytest.fixture(scope="module")
def app():
    """Pages register themselves with Dash Pages, which needs an app."""
    from dashboard.app import create_app

    return create_app()


def _data_url(content: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(content).decode("ascii")


def _resource(dataset, resource: str, name: str, content: bytes):
    ids_ = [{"type": ids.DATA_UPLOAD_TYPE, "resource": r} for r in cd.RESOURCES]
    contents = [_data_url(content) if r == resource else None for r in cd.RESOURCES]
    names = [name if r == resource else None for r in cd.RESOURCES]
    return cd.check_upload(dataset, {"kind": "resource", "resource": resource}, None, None, contents, ids_, names)


def _answers_with(row: int, value: str) -> bytes:
    lines = (config.EMBEDDED_DATA_DIR / "answers.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[row - 1].split(",")
    cells[-1] = value
    lines[row - 1] = ",".join(cells)
    return ("\n".join(lines) + "\n").encode()


def _page_text(node) -> str:
    """Visible text plus the texts in props a reader meets (placeholder, label, data-* words of the uploads)."""
    parts = [dash_tree.text(node)]
    for n in dash_tree.walk(node):
        for prop in ("placeholder", "label", "data-too-big-lead", "data-too-big"):
            value = getattr(n, prop, None)
            if isinstance(value, str):
                parts.append(value)
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["sv", "fr"])
def test_data_page_in_the_visitors_language(app, lang):
    from dashboard.pages import data as page

    with i18n.use(lang):
        layout = page.layout()
        title = page.title()
    text = _page_text(layout)
    for expected in EXPECTED[lang]:
        assert expected in text, f"{lang}: {expected!r} missing"
    for english in ENGLISH:
        assert english not in text, f"{lang}: English {english!r} left on the page"
    assert title == {"sv": "MIPEX-R Explorer — data", "fr": "MIPEX-R Explorer — données"}[lang]  # "data" is Swedish too
    # the untranslated page is still English
    with i18n.use("en"):
        english = _page_text(page.layout())
    assert "Your private workspace" in english and "Load the published MIPEX-R tables" in english


@pytest.mark.parametrize("lang", ["sv", "fr"])
def test_malformed_answers_upload_names_file_row_and_column(dataset, lang):
    with i18n.use(lang), pytest.raises(UserError) as info:
        _resource(dataset, "answers", "svar_fel.csv", _answers_with(7, "abc"))
    message = str(info.value)
    assert "svar_fel.csv" in message
    assert f"{ROW_WORD[lang]} 7" in message and f"{COLUMN_WORD[lang]} 'value'" in message
    assert "'abc'" in message  # the value is quoted as written, never translated
    assert "row 7" not in message and "column 'value'" not in message and "is not a number" not in message
    # shown on the page with the translated "nothing changed" sentence
    with i18n.use(lang):
        shown = dash_tree.text(cd.preview_children(None, message)[0])
    assert dv.NOT_CHANGED not in shown and i18n.translations(lang).gettext(dv.NOT_CHANGED) in shown


def test_out_of_range_answer_in_swedish(dataset):
    with i18n.use("sv"), pytest.raises(UserError) as info:
        _resource(dataset, "answers", "answers.csv", _answers_with(9, "150"))
    message = str(info.value)
    assert message.startswith("answers.csv, rad 9, kolumn 'value': ")
    assert "150" in message and "0–100" in message
    assert "is outside" not in message and "allowed range" not in message


def test_out_of_range_published_score_in_swedish(dataset):
    """A published score table (the import on /data): 150 in a score column is refused, row and column named."""
    table = pd.DataFrame({"region": ["PT20", "PT17"], "Overall score": [56, 150]})
    content = table.to_csv(index=False).encode()
    with i18n.use("sv"):
        checked = cd.check_upload(dataset, {"kind": "tables"}, [_data_url(content)], ["poäng.csv"], [], [], [],
                                  edition=2021)
        shown = dash_tree.text(cd.preview_children(checked)[0])
    assert not checked.ok
    text = "\n".join(checked.lines)
    assert "poäng.csv, rad 3, kolumn 'Overall score': " in text  # file, row, column as written in the file
    assert "150" in text and "value 150 is outside" not in text
    assert "Not everything was recognised" not in text and "Regions recognised" not in text
    assert "Check: not everything was recognised." not in shown


def test_errors_are_made_in_the_language_current_when_raised():
    """An error raised in English (CLI, app start) stays English; one raised in Swedish is Swedish."""
    english = InputError("a.csv", "the file is empty", row=3, column="score")
    with i18n.use("sv"):
        swedish = InputError("a.csv", i18n.gettext("the file is empty"), row=3, column="score")
        too_big = data.too_big("big.csv", 30 * 1024 * 1024)
    assert str(english) == "a.csv, row 3, column 'score': the file is empty"
    assert str(swedish).startswith("a.csv, rad 3, kolumn 'score': ") and "the file is empty" not in str(swedish)
    assert str(too_big).startswith("big.csv: ") and "30,0" in str(too_big)  # Swedish decimal comma


def test_import_preview_and_reading_errors_in_swedish(dataset):
    from dashboard import importing

    semicolons = b"region;Overall score\nPT20;56,5\nPT17;61\n"
    with i18n.use("sv"):
        preview = importing.preview_import([("tabell.csv", semicolons)], dataset, edition=2021)
        lines = preview.lines()
        with pytest.raises(InputError) as info:
            importing.read_table(b"just some words\nwithout a header\n", name="anteckning.csv")
    text = "\n".join(lines)
    assert preview.ok
    assert "semikolon" in text and "Everything was recognised." not in text and "columns separated by" not in text
    assert str(info.value).startswith("anteckning.csv: ") and "no header row found" not in str(info.value)


def test_dataset_routes_answer_in_the_request_language(app):
    client = app.server.test_client()
    response = client.post("/datasets/rollback?lang=sv")
    assert response.status_code in (403, 503)
    message = response.get_json()["error"]
    assert message and "is disabled" not in message and "admin token" not in message and "unavailable" not in message


def test_english_messages_unchanged(dataset):
    """English stays byte-identical (what the CLI and the existing tests read)."""
    with pytest.raises(UserError) as info:
        _resource(dataset, "answers", "answers.csv", _answers_with(9, "150"))
    assert str(info.value).startswith("answers.csv, row 9, column 'value': value 150 is outside the allowed range "
                                      "0–100")
    frame = pd.DataFrame({"region": ["PT20"], "Overall score": [56]}).to_csv(index=False).encode()
    from dashboard import importing

    lines = importing.preview_import([("t.csv", frame)], dataset, edition=2021).lines()
    assert lines[0].startswith("Read 1 file(s): 1 scores for 1 region(s) × 1 dimension(s), edition(s) 2021.")
    assert "Everything was recognised." in lines and any("columns separated by commas" in line for line in lines)
