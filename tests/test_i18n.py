"""Translations: complete catalogs in the eight languages, placeholders kept, the language chosen per request.

The catalog checks read the committed files (``dashboard/translations``): a message id without a
translation in any language, a fuzzy entry, a placeholder lost or renamed, a stale ``.mo`` or a template
that no longer matches the code each fail here, naming the message and the language.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from dashboard import i18n
from dashboard.i18n import _

ROOT = Path(__file__).resolve().parent.parent
T = ROOT / "dashboard" / "translations"
OTHER = [code for code in i18n.LANGUAGES if code != i18n.DEFAULT]
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}|%\([A-Za-z_]+\)[sdfr]|%[sd]")


def _read(path: Path, lang: str | None = None):
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def _template():
    return _read(T / "messages.pot")


def _key(message) -> str:
    return " | ".join(message.id) if isinstance(message.id, tuple) else message.id


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def template_ids():
    return {m.id for m in _template() if m.id}


def test_every_language_has_a_catalog():
    for lang in OTHER:
        assert (T / lang / "LC_MESSAGES" / "messages.po").is_file(), f"no catalog for {lang}"
        assert (T / lang / "LC_MESSAGES" / "messages.mo").is_file(), f"{lang}: messages.mo not compiled"


@pytest.mark.parametrize("lang", OTHER)
def test_catalog_translates_every_message(lang, template_ids):
    catalog = _read(T / lang / "LC_MESSAGES" / "messages.po", lang)
    ids = {m.id for m in catalog if m.id}
    missing = sorted(map(str, template_ids - ids))
    assert not missing, f"{lang}: {len(missing)} ids not in the catalog (scripts/i18n.sh update): {missing[:10]}"
    untranslated = []
    for m in catalog:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if m.fuzzy or not all(s.strip() for s in strings):
            untranslated.append(_key(m))
    assert not untranslated, f"{lang}: {len(untranslated)} untranslated or fuzzy: {untranslated[:10]}"


@pytest.mark.parametrize("lang", OTHER)
def test_translations_keep_every_placeholder(lang):
    catalog = _read(T / lang / "LC_MESSAGES" / "messages.po", lang)
    wrong = []
    for m in catalog:
        if not m.id:
            continue
        if isinstance(m.id, tuple):
            wanted = set(placeholders(m.id[0])) | set(placeholders(m.id[1]))
            forms = [s for s in m.string if s]
            # every form uses only the source's placeholders; the plural form(s) use all of them
            if any(not set(placeholders(s)) <= wanted for s in forms) or \
                    (forms and set(placeholders(forms[-1])) != set(placeholders(m.id[1]))):
                wrong.append((_key(m), forms))
        elif m.string and placeholders(m.id) != placeholders(m.string):
            wrong.append((m.id, m.string))
    assert not wrong, f"{lang}: placeholders differ from the source in {len(wrong)} messages: {wrong[:5]}"


@pytest.mark.parametrize("lang", OTHER)
def test_compiled_catalog_matches_the_po(lang):
    po = _read(T / lang / "LC_MESSAGES" / "messages.po", lang)
    with (T / lang / "LC_MESSAGES" / "messages.mo").open("rb") as fh:
        mo = read_mo(fh)
    def hashable(value):
        return tuple(value) if isinstance(value, (list, tuple)) else value

    expect = {hashable(m.id): hashable(m.string) for m in po
              if m.id and not m.fuzzy and all(m.string if isinstance(m.string, (list, tuple)) else (m.string,))}
    got = {hashable(m.id): hashable(m.string) for m in mo if m.id}
    assert got == expect, f"{lang}: messages.mo is stale (run scripts/i18n.sh compile)"


def test_template_matches_the_code(tmp_path):
    """Every text marked in the code, templates and data files is in the committed template (and nothing
    the code no longer says): a new ``_("…")`` without ``scripts/i18n.sh update`` fails here."""
    out = tmp_path / "fresh.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(pybabel), "-q", "extract", "-F", "babel.cfg", "-k", "N_", "-k", "ngettext:1,2",
                    "-k", "pgettext:1c,2", "--no-location", "-o", str(out), "."], cwd=ROOT, check=True)
    fresh = {m.id for m in _read(out) if m.id}
    committed = {m.id for m in _template() if m.id}
    assert not (fresh - committed), f"not in messages.pot: {sorted(map(str, fresh - committed))[:10]}"
    assert not (committed - fresh), f"no longer in the code: {sorted(map(str, committed - fresh))[:10]}"


# --- the translation function and the formats ---

def test_english_is_the_source_and_other_languages_translate():
    assert _("Map") == "Map"
    with i18n.use("sv"):
        assert i18n.current() == "sv"
        assert _("Map") != "Map"
        assert _("a text no catalog has") == "a text no catalog has"
    assert i18n.current() == "en"


def test_numbers_dates_and_separators_follow_the_language():
    from datetime import date

    assert i18n.number(56.25, 1) == "56.2" or i18n.number(56.25, 1) == "56.3"
    with i18n.use("fr"):
        assert i18n.number(1234.5, 1).replace("\u202f", " ") == "1 234,5"
        assert i18n.separators()[0] == ","
        assert "déc." in i18n.date(date(2026, 12, 3))
    with i18n.use("de"):
        assert i18n.number(1234.5, 1) == "1.234,5"
        assert i18n.separators() == ",."
    assert i18n.separators() == ".,"
    assert i18n.number(None) == "–"
    import numpy as np
    import pandas as pd

    assert i18n.number(np.nan) == i18n.number(pd.NA) == i18n.number(float("nan"), 1) == "–"
    assert i18n.number(np.int64(1234)) == "1,234"


def test_region_names_are_local_in_the_regions_own_language(dataset):
    assert dataset.region_name("PT20") == "Azores"
    with i18n.use("pt"):
        assert dataset.region_name("PT20") == "Região Autónoma dos Açores"
        assert dataset.region_name("SE224") == "Skåne"  # not Portuguese: the English name
    with i18n.use("sv"):
        assert dataset.region_name("SE224") == "Skåne län"
        assert i18n.country_name("PT") == "Portugal"
        assert i18n.country_name("DE") == "Tyskland"
        assert i18n.country_name("EL") == "Grekland"  # Eurostat's code for Greece


def test_labels_tables_answer_in_the_current_language():
    from dashboard import scoring

    with i18n.use("de"):
        assert scoring.LABELS["health"] == _("Health") != "Health"
        assert scoring.LABELS.english("health") == "Health"
    assert scoring.dimension_label("area:health") == "Health"


# --- choosing the language per request ---

@pytest.fixture(scope="module")
def app():
    from dashboard.app import create_app

    return create_app()


@pytest.mark.parametrize("headers, url, expect", [
    ({}, "/?lang=sv", "sv"),
    ({"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}, "/", "de"),
    ({"Accept-Language": "nl-NL,pt;q=0.8"}, "/", "pt"),
    ({"Accept-Language": "ja"}, "/", "en"),
    ({"Accept-Language": "de", "Referer": "http://x/region/PT20?lang=it"}, "/_dash-layout", "it"),
    ({"Accept-Language": "de"}, "/?lang=xx", "de"),
])
def test_language_comes_from_the_url_then_the_page_then_the_browser(app, headers, url, expect):
    from dashboard.i18n import web

    with app.server.test_request_context(url, headers=headers):
        assert web.resolve(__import__("flask").request) == expect


def test_the_page_says_its_language_and_a_link_keeps_it(app):
    client = app.server.test_client()
    page = client.get("/region/PT20?lang=sv")
    assert page.status_code == 200
    assert '<html lang="sv">' in page.get_data(as_text=True)
    assert "mipexr_lang=sv" in page.headers.get("Set-Cookie", "")
    assert "Accept-Language" in page.headers.get("Vary", "")
    # the cookie keeps the choice for an address without lang= (typed by hand); a new visitor gets English
    assert '<html lang="sv">' in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    fresh = app.server.test_client()
    assert '<html lang="en">' in fresh.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="de">' in fresh.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)


@pytest.mark.parametrize("lang", ["sv", "el"])
def test_the_menu_has_no_english_left(app, lang):
    from dashboard.app import NAV_LINKS

    client = app.server.test_client()
    layout = client.get("/_dash-layout", headers={"Referer": f"http://localhost/compare?lang={lang}"})
    text = json.dumps(layout.get_json(), ensure_ascii=False)
    with i18n.use(lang):
        for label, _href in NAV_LINKS:
            assert _(label) != label or label in ("Data",), f"{lang}: {label!r} is not translated"
            assert f'"{_(label)}"' in text
    # the switch offers every language by its own name, each link keeping the page and its query
    for code, name in i18n.LANGUAGES.items():
        assert name in text
        assert f"/compare?lang={code}" in text


def test_the_data_grid_speaks_the_language_of_the_page():
    import pandas as pd

    from dashboard.components.data_grid import data_grid
    from dashboard.views.columns import Column

    table = pd.DataFrame({"name": ["a"]})
    columns = [Column("name", "Name")]

    def options(grid):
        return grid.children[-1].dashGridOptions

    assert "localeText" not in options(data_grid("g", table, columns, page_size=10))  # AG Grid's own English
    with i18n.use("sv"):
        words = options(data_grid("g", table, columns, page_size=10))["localeText"]
    assert words["page"] == "Sida" and words["of"] == "av" and words["nextPage"] == "Nästa sida"
    score = [Column("score", "Score", kind="score")]
    english = data_grid("g", pd.DataFrame({"score": [56.25]}), score).children[-1].columnDefs[0]["valueFormatter"]
    with i18n.use("fr"):
        french = data_grid("g", pd.DataFrame({"score": [56.25]}), score).children[-1].columnDefs[0]["valueFormatter"]
    assert ".replace" not in english["function"] and ".replace('.', ',')" in french["function"]


def test_number_is_babels_notation_memo_or_not():
    """i18n.number memoises Babel's notation: the text is Babel's for every value type, language and number of
    decimals, asked once or again (-0.0 prints as 0; an unhashable number is formatted without the memo)."""
    from decimal import Decimal

    import numpy as np
    from babel import numbers as bn

    values = [0, 1, 1.0, 2.675, 1234.5, -3.25, np.float64(55.55), np.int64(7), Decimal("2.5"), 1e6]
    for lang in ("en", "fr", "de", "el"):
        with i18n.use(lang):
            for digits in (0, 1, 2):
                pattern = "#,##0" + ("." + "0" * digits if digits else "")
                for value in values * 2:
                    assert i18n.number(value, digits) == bn.format_decimal(value, format=pattern,
                                                                           locale=i18n.locale(lang))
            assert i18n.number(-0.0) == i18n.number(0.0) == "0"
