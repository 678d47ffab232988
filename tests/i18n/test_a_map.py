"""The map page (/), its callbacks, figure, side panel, the shell's notices and the 404 page in Swedish and
German (issue #15): translated texts appear, the English ones of the area do not, numbers use the language's
decimal mark, region names are local in the region's own language, and caches of text keep one entry per
language. These read the compiled catalogs (``scripts/i18n.sh compile`` after filling ``i18n-parts``)."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from dash import html, no_update

from dashboard import i18n, ids
from dashboard.callbacks import map as map_cb
from dashboard.components import notice as notice_component
from dashboard.components import region_panel, stats_table
from dashboard.constants import ILLUSTRATIVE_TEXT, MAP_CREDIT
from dashboard.figures import change as change_figures
from dashboard.figures import maps
from dashboard.views import map as map_view
from dashboard.views import stats as stats_view
from tests.dash_tree import find, layers_or_skip, page_module, text, walk

#: English texts of the area that must not be left in a translated page.
ENGLISH = ("Migrant integration governance", "Find my region", "All regions, by score", "Region name or code",
           "Sorted by the selected measure", "Choose a region", "Open the full profile", "Context statistics",
           "Overall score", "Policy area or dimension", "Scale 0–100", "Source:", MAP_CREDIT, "no score",
           "Rank ", "Statistic", "How the data are made")

SV = {
    "heading": "Styrningen av migranters integration i 25 europeiska regioner",
    "search": "Hitta min region",
    "placeholder": "Regionens namn eller kod, t.ex. Lisbon eller PT17",
    "list": "Alla regioner, efter poäng",
    "credit": "© EuroGeographics för de administrativa gränserna",
    "selector": "Politikområde eller dimension",
    "panel": ("Öppna hela profilen →", "Kontextstatistik", "Totalpoäng", "Plats 12 av 25 regioner"),
    "source": "Källa: ",
    "title": "MIPEX-R Explorer — karta",
}
DE = {
    "heading": "Steuerung der Integration von Migrantinnen und Migranten in 25 europäischen Regionen",
    "search": "Meine Region finden",
    "placeholder": "Name oder Code der Region, z. B. Lisbon oder PT17",
    "list": "Alle Regionen nach Punktzahl",
    "credit": "© EuroGeographics für die Verwaltungsgrenzen",
    "selector": "Politikbereich oder Dimension",
    "panel": ("Vollständiges Profil öffnen →", "Kontextstatistiken", "Gesamtpunktzahl", "Rang 12 von 25 Regionen"),
    "source": "Quelle: ",
    "title": "MIPEX-R Explorer — Karte",
}
WORDS = {"sv": SV, "de": DE}


@pytest.fixture(scope="module")
def app():
    from dashboard.app import create_app

    return create_app()


@pytest.fixture(autouse=True)
def _catalog_or_skip():
    with i18n.use("sv"):
        if i18n.gettext("Find my region") == "Find my region":
            pytest.skip("the catalogs are not compiled with the a-map translations yet")





def _english_left(page_text: str) -> list[str]:
    return [e for e in ENGLISH if e in page_text]


@pytest.mark.parametrize("lang", ["sv", "de"])
def test_map_page_layout_is_translated(app, dataset, lang):
    words = WORDS[lang]
    with i18n.use(lang):
        page = page_module("/").layout(region="PT20")
        title = page_module("/").title()
    seen = text(page)
    assert text(find(page, ids.MAP_HEADING)) == words["heading"]
    for key in ("search", "list", "credit", "selector"):
        assert words[key] in seen, key
    for piece in words["panel"]:
        assert piece in text(find(page, ids.MAP_PANEL)), piece
    assert words["source"] in seen
    assert find(page, ids.MAP_SEARCH).placeholder == words["placeholder"]
    assert find(page, ids.MAP_REGION_LIST).to_plotly_json()["props"]["aria-label"] == words["list"]
    assert title == words["title"]
    assert _english_left(seen) == []
    # the selector's options: the overall score and every axis heading in the language
    labels = [o["label"] for o in find(page, ids.MAP_MEASURE).options]
    assert words["panel"][2] in labels and not any("Overall score" in label for label in labels)


def test_map_page_stays_english_in_english(app, dataset):
    with i18n.use("en"):
        page = page_module("/").layout(region="PT20")
    assert text(find(page, ids.MAP_HEADING)) == "Migrant integration governance in 25 European regions"
    assert "Find my region" in text(page) and MAP_CREDIT in text(page)


def test_region_list_words_and_names_follow_the_language(app, dataset):
    table = dataset.scores_table()
    with i18n.use("sv"):
        meta = map_view.list_meta(table)
    assert meta["words"] == {"none": "inga poäng", "score": "{score} /100"}
    sweden = next(i for i, code in enumerate(meta["codes"]) if code == "SE")
    assert meta["countries"][sweden] == "Sverige"
    assert meta["names"][meta["ids"].index("SE224")] == "Skåne län"  # a Swedish region's own name, in Swedish
    assert meta["countries"][meta["ids"].index("AT13")] == "Österrike"
    with i18n.use("pt"):
        meta_pt = map_view.list_meta(table)
    # a region's local name in its own language, the English name elsewhere
    assert meta_pt["names"][meta_pt["ids"].index("PT20")] == dataset.region("PT20")["name_local"]
    assert meta["names"][meta["ids"].index("PT20")] == dataset.region("PT20")["name_en"]


@pytest.mark.parametrize("lang", ["sv", "de"])
def test_map_figure_texts_are_translated(dataset, lang):
    layers_or_skip(dataset)
    with i18n.use(lang):
        fig, error = map_view.page_figure(dataset, "overall", "PT20", cache=False)
        expected_group = maps.GROUP_NAMES["advanced"]
        title = maps.map_title("overall")
        separators = i18n.separators()
    assert error is None
    layout = fig["layout"]
    assert layout["title"]["text"] == title and "by region" not in title
    bar = layout["coloraxis"]["colorbar"]
    assert "Overall score" not in bar["title"]["text"] and "(0–100)" in bar["title"]["text"]
    assert any(expected_group in t for t in bar["ticktext"]) and not any("advanced" in t for t in bar["ticktext"])
    notes = " ".join(a["text"] for a in layout["annotations"])
    assert WORDS[lang]["credit"] in notes and MAP_CREDIT not in notes
    assert "no score" not in notes and "(inset)" not in notes
    assert WORDS[lang]["source"] in notes and "Source:" not in notes
    regions = fig["data"][maps.TRACE_REGIONS]
    assert not any("rank" in t for t in regions["hovertext"])
    assert all(c[3].split(":")[0] in ("Grupp (totalpoäng)", "Gruppe (Gesamtpunktzahl)") for c in regions["customdata"])
    assert layout["separators"] == separators and separators[0] == ","


def test_figure_cache_keeps_one_entry_per_language(dataset):
    layers_or_skip(dataset)
    map_view.FIGURES.clear()
    map_view.UPDATES.clear()
    with i18n.use("en"):
        en, _error = map_view.page_figure(dataset, "area:health", None)
        en_update = map_view.measure_update(dataset, "area:health")
    with i18n.use("sv"):
        sv, _error = map_view.page_figure(dataset, "area:health", None)
        sv_update = map_view.measure_update(dataset, "area:health")
    with i18n.use("en"):
        again, _error = map_view.page_figure(dataset, "area:health", None)
    assert en["layout"]["title"]["text"] == "Health by region (score 0–100)"
    assert sv["layout"]["title"]["text"] == "Hälsa per region (poäng 0–100)"
    assert again is en, "each language is cached apart; English came back from the cache"
    assert en_update.title != sv_update.title and sv_update.colorbar_title == "Poäng för Hälsa (0–100)"
    assert "plats" in sv_update.traces[maps.TRACE_REGIONS]["hovertext"][0]


def test_callbacks_answer_in_the_language(dataset):
    with i18n.use("sv"):
        figure, rows, search, lines = map_cb.change_measure(dataset, "area:health", "PT20", panel_lines=1)
        patch, side, search = map_cb.change_selection(dataset, "overall", "")
        found = map_cb.search_region(dataset, "Lisbon", None)
        none = map_cb.search_region(dataset, "Atlantis", None)
        many = map_cb.search_region(dataset, "a", None)
    line = text(html.Div(lines[0]))
    assert "Hälsa: 31 /100." in line and "Plats 21 av 25 regioner; 2 av 2 i Portugal." in line
    assert text(side).startswith("Välj en region")
    assert found[1].startswith("Visar ") and found[0] != no_update
    assert none == (no_update,
                    "Ingen region matchar ”Atlantis”. Prova ett namn (Lisbon, Vorarlberg) eller en kod (PT17).")
    assert "regioner matchar ”a”" in many[1] and "Skriv mer av namnet." in many[1]
    if figure is not no_update:
        ops = str(figure.to_plotly_json())
        assert "Hälsa per region (poäng 0–100)" in ops and "by region" not in ops


def test_side_panel_numbers_and_statistics_in_german(dataset):
    with i18n.use("de"):
        side = region_panel.region_panel(dataset, "PT20", "area:health")
        value = stats_view.format_value(8.64, "% of age group")
        big = stats_view.format_value(1911000, "persons")
        missing = stats_view.format_value(None, "%")
        urban = stats_view.format_value(2.0, "1 = urban", "urban_rural_type")
    seen = text(side)
    assert "Gesamtpunktzahl" in seen and "Rang 12 von 25 Regionen" in seen and "fortgeschritten" in seen
    assert "Statistik" in seen and "Wert" in seen and "Jahr" in seen and "Quelle (NUTS-Einheit)" in seen
    assert value.startswith("8,6 %") and big.startswith("1.911.000") and missing == "nicht verfügbar"
    assert urban == "2 (mittel)"
    assert _english_left(seen) == []


def test_region_profile_sections_in_swedish(dataset):
    with i18n.use("sv"):
        page = region_panel.region_profile(dataset, "ES64")
        missing = region_panel.region_not_found(dataset, "XX99")
    seen = text(page)
    for words in ("Styrkor", "Utvecklingsområden", "Regioner med liknande profil", "Styrningsprofil",
                  "Visa på kartan", "I korthet"):
        assert words in seen, words
    for english in ("Strengths", "Room for development", "Show on the map", "Governance profile", "In short"):
        assert english not in seen, english
    assert text(missing).startswith("Regionen hittades inte")


def test_change_map_in_swedish(two_editions):
    now, then = two_editions.scores_table(), two_editions.with_edition(2021).scores_table()
    fig = go.Figure([go.Choropleth(locations=["ES51"], z=[1], customdata=["ES51"], coloraxis="coloraxis")])
    with i18n.use("sv"):
        out = change_figures.change_map(fig, now, then, "overall", 2024, 2021)
    assert out.layout.title.text == "Totalpoäng: förändring från 2021 till 2024 (poäng)"
    assert "år 2021 →" in out.data[0].hovertext[0] and "(+12 poäng)" in out.data[0].hovertext[0]
    assert out.layout.coloraxis.colorbar.title.text == "Förändring sedan 2021<br>(poäng)"


@pytest.mark.parametrize("lang", ["sv", "de"])
def test_notices_and_script_words(dataset, lang):
    with i18n.use(lang):
        shell = notice_component.illustrative_notice(dataset)
        workspace = notice_component.workspace_notice()
        expected = i18n.gettext(ILLUSTRATIVE_TEXT)
        source = dataset.source_line
    props = shell.to_plotly_json()["props"]
    assert expected != ILLUSTRATIVE_TEXT and expected in text(shell)
    assert props["data-a11y-table"] == {"sv": "Tabell", "de": "Tabelle"}[lang]
    assert props["data-a11y-upload"] not in ("", "Choose a file to upload")
    assert "How the data are made" not in text(shell) and "Your own data" not in text(workspace)
    assert source.startswith(WORDS[lang]["source"]) and "ILLUSTRATIVE DATA" not in source


def test_the_a11y_script_writes_only_words_from_the_page():
    from pathlib import Path

    script = (Path(__file__).resolve().parents[2] / "assets" / "40-a11y.js").read_text(encoding="utf-8")
    assert "data-a11y-" in script
    assert '"Choose a file to upload"' not in script and '"Table"' not in script


@pytest.mark.parametrize("lang, heading", [("sv", "Den här sidan finns inte"), ("de", "Diese Seite gibt es nicht")])
def test_not_found_page(app, lang, heading):
    not_found = page_module("/404")
    with i18n.use(lang):
        page = not_found.layout()
        title = not_found.title()
    assert text(page).startswith(heading)
    assert "This page does not exist" not in text(page) and "Compare regions" not in text(page)
    assert "MIPEX-R Explorer" in title and "Page not found" not in title


def test_stats_table_tooltips_in_swedish(dataset):
    with i18n.use("sv"):
        table = stats_table.stats_table(dataset, "PT20", compact=False)
    titles = [n.title for n in walk(table) if getattr(n, "title", None)]
    assert titles and all("Eurostat-tabell" in t or "Illustrativt" in t or "Närmevärde" in t or "Nationell" in t
                          for t in titles)
    assert "Methodology page" not in text(table) and "sidan Metod" in text(table)
