"""Explore & rank and Policy & outcomes in other languages (issue 15): pages, callbacks, figures, tables and the
outcome catalogue's labels are made in the language of the request; English stays as it was.

These tests read the compiled catalogs (``dashboard/translations``): they pass once the translations of
``/work/i18n-parts/b-explore*.json`` are filled in (``scripts/i18n_fill.py fill`` then ``scripts/i18n.sh compile``).
"""

from __future__ import annotations

import pytest

from dashboard import i18n, ids
from dashboard.callbacks import explore as explore_cb
from dashboard.callbacks import outcomes as outcomes_cb
from dashboard.components import filters
from dashboard.components import outcomes as oc
from dashboard.figures import explore as fx
from dashboard.outcomes.catalogue import DIRECTION_LABELS, FAMILY_LABELS
from dashboard.views import explore as ve
from dashboard.views import outcomes as ov
from tests.dash_tree import find

#: Per language: texts that must appear on the Explore page (filters, titles, table, notes).
EXPLORE = {
    "sv": {"title": "Utforska och rangordna", "rank_by": "Rangordna regionerna efter", "sort": "Högst poäng först",
           "columns": "Kolumner i värmekartan och tabellen", "ranked": "regionerna rangordnade",
           "heat": "Poäng per region och dimension", "on_health": "Totalpoäng utifrån indikatorerna för Hälsa",
           "rank_col": "Plats (", "group": "Grupp efter totalpoängen",
           "groups": {"långt framme", "mellannivå", "efter"},
           "unknown_axis": "Okänd axel", "recomputed": "Poängen har räknats om", "italy": "Italien",
           "table_note": "Tabellen nedan ger alla värden.", "decimal": ","},
    "fr": {"title": "Explorer et classer", "rank_by": "Classer les régions selon",
           "sort": "Score le plus élevé d'abord",
           "columns": "Colonnes de la carte thermique et du tableau", "ranked": "classement des régions",
           "heat": "Scores par région et par dimension", "on_health": "Score global sur les indicateurs de Santé",
           "rank_col": "Rang (", "group": "Groupe selon le score global", "groups": {"avancée", "intermédiaire",
                                                                                      "en retard"},
           "unknown_axis": "Axe inconnu", "recomputed": "Scores recalculés", "italy": "Italie",
           "table_note": "Le tableau ci-dessous donne toutes les valeurs.", "decimal": ","},
}
#: English texts of the two pages that must not be left in another language.
EXPLORE_ENGLISH = ["Explore and rank", "Rank regions by", "Highest score first", "Columns of the heat-map and table",
                   "regions ranked", "Scores by region and dimension", "on the Health indicators",
                   "Group by the overall",
                   "Unknown axis", "Scores recomputed", "All policy areas", "Order of the ranking",
                   "The table below gives"]

OUTCOMES = {
    "sv": {"title": "Politik och utfall",
           "option": "Sysselsättning: Sysselsättningsgrad (20–64), medborgare utanför EU",
           "r": "Korrelation (Pearsons r) = ", "caveat": "inte orsak", "governance": "Styrning:",
           "source": "Utfall: Eurostat", "gap": "minus landets medborgare (skillnad)", "controls": "Markera en region",
           "hover": "Utfall:", "axis": "(styrningspoäng, 0–100)", "profile": "Utfall för medborgare utanför EU",
           "unit": "procentenheter", "direction": "högre är bättre", "family": "Sysselsättning"},
    "de": {"title": "Politik und Ergebnisse", "option": "Beschäftigung: Erwerbstätigenquote (20–64), "
                                                        "Nicht-EU-Bürgerinnen und -Bürger",
           "r": "Korrelation (Pearsons r) = ", "caveat": "keine Ursache", "governance": ", Skala 0–100.",
           "source": "Ergebnisse: Eurostat", "gap": "minus Staatsangehörige (Abstand)",
           "controls": "Eine Region hervorheben", "hover": "Ergebnis:", "axis": "(Governance-Punktzahl, 0–100)",
           "profile": "Ergebnisse für Nicht-EU-Bürgerinnen und -Bürger", "unit": "Prozentpunkte",
           "direction": "höher ist besser", "family": "Beschäftigung"},
}
OUTCOMES_ENGLISH = ["Policy and outcomes", "Correlation (Pearson", "not cause", "Outcomes: Eurostat", "Employment rate",
                    "Highlight a region", "the gap to nationals", "governance score", "Outcomes for non-EU citizens",
                    "higher is better", "Averages of these"]


@pytest.fixture(scope="module")
def app():
    """Pages register themselves with Dash Pages, which needs an app."""
    from dashboard.app import create_app

    return create_app()


def _catalog_ready(lang: str) -> None:
    """Fails (does not skip) when the catalog lacks this area's translations: they are part of the work."""
    with i18n.use(lang):
        assert i18n._("Explore and rank") != "Explore and rank", f"{lang}: catalog without this area's translations"


def _all_text(node) -> str:
    """Everything a layout shows, props included (labels, options, placeholders, figures)."""
    return str(node)


@pytest.mark.parametrize("lang", sorted(EXPLORE))
def test_explore_page_in_another_language(app, lang):
    from dashboard.pages import explore as page

    _catalog_ready(lang)
    want = EXPLORE[lang]
    with i18n.use(lang):
        content = page.layout(measure="overall", area="health", country="IT", axis="bogus")
        tab_title = page.title()
        ranking = find(content, ids.EXPLORE_RANKING).figure
        shown = _all_text(content).replace("<br>", " ")
        heatmap = find(content, ids.EXPLORE_HEATMAP).figure
    for key in ("title", "rank_by", "sort", "columns", "rank_col", "group", "unknown_axis", "recomputed", "italy",
                "table_note"):
        assert want[key] in shown, f"{lang}: {want[key]!r} not on the page"
    for english in EXPLORE_ENGLISH:
        assert english not in shown, f"{lang}: English {english!r} left on the page"
    assert want["title"].lower() in tab_title.lower()
    # figures: titles, axis, and the language's decimal mark for plotly
    assert want["ranked"] in ranking.layout.title.text.replace("<br>", " ")
    assert want["on_health"] in ranking.layout.title.text.replace("<br>", " ")
    assert want["heat"] in heatmap.layout.title.text.replace("<br>", " ")
    assert ranking.layout.separators[0] == heatmap.layout.separators[0] == want["decimal"]


@pytest.mark.parametrize("lang", sorted(EXPLORE))
def test_explore_callback_table_and_text_alternatives(dataset, lang):
    _catalog_ready(lang)
    want = EXPLORE[lang]
    with i18n.use(lang):
        out = explore_cb.update(dataset, "overall", ["IT", "ES"], "area", ["health"], "all", "desc", "")
        st, _unused = ve.parse_query({"measure": "overall", "area": "health"}, dataset)
        view = ve.explore_view(dataset, st)
        title = ve.measure_title(st)
        sort_labels = [o["label"] for o in find(filters.sort_control("s"), "s").options]
    _measure, _options, ranking, heatmap, defs, rows, notes, _search, ranking_text, heatmap_text, *_pager = out
    headers = " ".join(str(d) for d in defs)
    assert want["rank_col"] in headers and want["group"] in headers
    assert set(rows["values"][rows["fields"].index("group")]) <= want["groups"] | {None}
    assert want["recomputed"] in str(notes)
    assert want["table_note"] in str(ranking_text) and "Highest" not in str(ranking_text)
    assert "regions (rows)" not in str(heatmap_text)
    assert title == view.columns[0].label.split("(", 1)[1].rstrip(")") and want["on_health"] == title
    assert want["sort"] in sort_labels and "Highest score first" not in sort_labels
    assert all(english not in ranking.layout.title.text for english in ("regions ranked", "ranks among all"))


def test_explore_text_alternative_in_french(dataset):
    """The ranking's text alternative is one French sentence (its numbers through i18n.number)."""
    _catalog_ready("fr")
    with i18n.use("fr"):
        frame = fx.ranking_frame(dataset.wide_scores, "overall")
        words = fx.ranking_summary(frame, "Score global", 56.4)
    assert words.startswith("Score global, scores de 0 à 100")
    assert "La moyenne de toutes les régions est de 56." in words and "Highest" not in words


def test_explore_english_is_unchanged(dataset):
    st, _unused = ve.parse_query({"measure": "overall", "area": "health"}, dataset)
    assert ve.measure_title(st) == "Overall score on the Health indicators"
    assert list(fx.SORTS.values()) == ["Highest score first", "Lowest score first", "Region name (A–Z)"]
    assert ve.AXIS_CHOICES["all"] == "All axes" and ve.TARGET_CHOICES["all"] == "Both groups"
    view = ve.explore_view(dataset, st)
    assert view.ranking.layout.separators == ".,"


@pytest.mark.parametrize("lang", sorted(OUTCOMES))
def test_outcomes_page_in_another_language(app, dataset, lang):
    from dashboard.pages import outcomes as page

    _catalog_ready(lang)
    want = OUTCOMES[lang]
    with i18n.use(lang):
        content = page.layout(x="area:labour_market", y="employment_rate_non_eu", region="PT20")
        shown = _all_text(content)
        fig = find(content, ids.OUTCOMES_GRAPH).figure
        view = ov.outcomes_view(dataset, ov.OutcomesState(y="employment_rate_non_eu"))
        r_words = ov.r_text(view)
    for key in ("title", "option", "r", "caveat", "governance", "source", "controls"):
        assert want[key] in shown, f"{lang}: {want[key]!r} not on the page"
    for english in OUTCOMES_ENGLISH:
        assert english not in shown, f"{lang}: English {english!r} left on the page"
    # r with the language's decimal mark, the figure's separators, hover and axis titles
    assert f"{abs(view.r):.2f}".replace(".", ",") in r_words
    assert fig.layout.separators[0] == ","
    assert want["axis"] in fig.layout.xaxis.title.text
    assert any(want["hover"] in h for trace in fig.data for h in trace.hovertext)


@pytest.mark.parametrize("lang", sorted(OUTCOMES))
def test_outcomes_callback_gap_and_notes(dataset, lang):
    _catalog_ready(lang)
    want = OUTCOMES[lang]
    with i18n.use(lang):
        fig, summary, table, notes, mode, options, _search = outcomes_cb.update(
            dataset, "phase:evaluation", "unemployment_non_eu", "gap", "PT20", "")
        refused = outcomes_cb.update(dataset, "overall", "population", "gap", "", "")
    assert want["gap"] in fig.layout.yaxis.title.text and want["unit"] in fig.layout.yaxis.title.text
    assert "gap" not in fig.layout.yaxis.title.text
    assert "Averages of these" not in str(summary) and want["r"] in str(summary)
    with i18n.use(lang):
        view = ov.outcomes_view(dataset, ov.OutcomesState("phase:evaluation", "unemployment_non_eu", "gap", "PT20"))
        y_mean = i18n.number(view.y_mean, 1)
    assert "," in y_mean and y_mean in str(summary), "the average with the language's decimal mark"
    assert [o["label"] for o in options][1] != "the gap to nationals"
    assert "no nationals' counterpart" not in str(refused[3]) and refused[4] == "value"
    head = str(table[0].children[1])
    assert "national figure" not in str(table) and "Unit used" not in head and "Year" not in head


@pytest.mark.parametrize("lang", sorted(OUTCOMES))
def test_outcome_labels_profile_and_compare_sections(dataset, lang):
    _catalog_ready(lang)
    want = OUTCOMES[lang]
    with i18n.use(lang):
        assert FAMILY_LABELS["employment"] == want["family"]
        assert DIRECTION_LABELS["higher_better"] == want["direction"]
        profile = oc.profile_section(dataset, "PT20")
        compare = oc.compare_section(dataset, ["PT20", "ES51"])
    shown = _all_text(profile) + _all_text(compare)
    assert want["profile"] in shown
    assert "Outcomes for non-EU citizens" not in shown and "against policy" not in shown
    assert "Average of all regions" not in shown and "Outcomes: Eurostat" not in shown
    # English is untouched outside the block
    assert FAMILY_LABELS["employment"] == "Employment" and DIRECTION_LABELS["higher_better"] == "higher is better"


def test_outcomes_english_is_unchanged(dataset):
    view = ov.outcomes_view(dataset, ov.OutcomesState(y="employment_rate_non_eu"))
    assert ov.r_text(view).startswith(f"Correlation (Pearson’s r) = {view.r:.2f}, n = ")
    assert view.governance_source.startswith("Governance: MIPEX-R") and view.outcomes_source.startswith("Outcomes: ")
    assert view.title == "Labour market and employment rate (20–64), non-EU citizens"
    assert ov.y_options(dataset)[0]["label"].startswith("Employment: Employment rate")


def test_region_names_and_countries_follow_the_language(dataset):
    """Local region names where the language is the region's own; countries by Babel."""
    with i18n.use("pt"):
        names = dict(zip(ve.country_choices(dataset).keys(), ve.country_choices(dataset).values()))
        view = ov.outcomes_view(dataset, ov.OutcomesState(y="employment_rate_non_eu"))
    assert names["DE"] == "Alemanha" and names["IT"] == "Itália"
    local = dataset.regions.set_index("region_id").loc["PT20", "name_local"]
    assert view.table.set_index("region_id").loc["PT20", "name"] == local


def test_refresh_errors_in_the_language_of_the_run(tmp_path):
    """The refresh's messages a person reads are translated; the data it writes (provenance) is not its concern."""
    from dashboard.outcomes import refresh

    _catalog_ready("sv")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.csv").write_text("x\n")
    with i18n.use("sv"), pytest.raises(refresh.RefreshError) as err:
        refresh.check_out(tmp_path / "full")
    assert "finns redan och är inte en tom mapp" in str(err.value) and "already exists" not in str(err.value)
    with pytest.raises(refresh.RefreshError, match="already exists and is not an empty folder"):
        refresh.check_out(tmp_path / "full")


def test_strict_export_errors_are_translated(dataset):
    """An export's unknown value is refused with a message in the language of the request (the keys stay)."""
    from dashboard.errors import UnknownOption

    _catalog_ready("fr")
    with i18n.use("fr"), pytest.raises(UnknownOption) as err:
        ve.parse_query({"axis": "nope"}, dataset, strict=True)
    assert "axe inconnu 'nope'" in str(err.value) and "element" in str(err.value)
    with pytest.raises(UnknownOption, match="unknown axis 'nope'"):
        ve.parse_query({"axis": "nope"}, dataset, strict=True)


#: Per language: the texts of Explore with many regions (page control, heat-map by country).
MANY = {
    "sv": {"pager": "Regioner 1–50 av 120", "prev": "Föregående", "next": "Nästa", "nav": "Rangordningens sidor",
           "heat": "Genomsnittliga poäng per land och dimension", "rows": "3 länder (rader)",
           "germany": "Tyskland (70)",
           "hover": "genomsnitt för 70 regioner", "showing": "visar 1–50 av 120", "chart": "Diagrammet visar region 1"},
    "fr": {"pager": "Régions 1–50 sur 120", "prev": "Précédent", "next": "Suivant", "nav": "Pages du classement",
           "heat": "Scores moyens par pays et par dimension", "rows": "3 pays (lignes)", "germany": "Allemagne (70)",
           "hover": "moyenne de 70 régions", "showing": "affichées : 1–50 sur 120",
           "chart": "Le graphique montre les régions 1 à 50"},
}
MANY_ENGLISH = ["Regions 1–50", "Previous", "Next", "Pages of the ranking", "Average scores by country",
                "countries (rows)", "average of", "showing", "The chart shows"]


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    from dashboard import data
    from tests.test_explore_many_regions import make_package

    folder = tmp_path_factory.mktemp("many") / "package"
    make_package(folder)
    return data.load_dataset(folder)


@pytest.mark.parametrize("lang", sorted(MANY))
def test_explore_with_many_regions_in_another_language(app, many, lang):
    from dashboard.pages import explore as page

    _catalog_ready(lang)
    want = MANY[lang]
    with i18n.use(lang):
        st, _unused = ve.parse_query({}, many)
        view = ve.explore_view(many, st)
        nav = str(page.pager(view))
    heat = view.heatmap
    shown = " ".join([nav, view.ranking.layout.title.text, heat.layout.title.text, view.heatmap_text,
                      view.ranking_text, *heat.data[0].y, str(heat.data[0].customdata)])
    for key in ("pager", "prev", "next", "nav", "heat", "rows", "germany", "hover", "showing", "chart"):
        assert want[key] in shown, f"{lang}: {want[key]!r} not shown"
    for english in MANY_ENGLISH:
        assert english not in shown, f"{lang}: English {english!r} left"
