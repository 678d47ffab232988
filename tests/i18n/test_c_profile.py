"""Region profile and Compare in Swedish and French (issue #15, area c-profile): page texts, chart titles,
hover and legend names, text alternatives, tables, edition controls, drill-down, URL notes and strict
error messages are translated; figures use the language's decimal mark (``layout.separators``).

Runs against catalogs filled from /work/i18n-parts/c-profile-*.json (the lead compiles them on main)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import i18n, ids, query
from dashboard.errors import InputError, InputErrors, UnknownOption
from dashboard.figures import compare as fc
from dashboard.figures import profile
from dashboard.i18n import _
from tests.dash_tree import find, text

LANGS = ("sv", "fr")
#: English words of this area that must not be left on a translated page.
ENGLISH = ("Another region", "The questions behind each score", "Published description", "Compare regions",
           "Scores and differences", "Choose two to four regions", "Regions to compare", "Average of all regions",
           "Open a dimension to see", "the questions behind the score of", "average of all regions")


@pytest.fixture(scope="module")
def app():
    from dashboard.app import create_app

    return create_app()


def _expected(lang: str, english: str, same: tuple[str, ...] = ()) -> str:
    """``english`` in ``lang``; it must differ from the English unless ``lang`` is in ``same`` (French "Dimension")."""
    with i18n.use(lang):
        out = _(english)
    if lang not in same:
        assert out != english, f"{english!r} has no {lang} translation"
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_figures_use_the_language_decimal_mark_and_words(lang, wide, names):
    ids = ["PT20", "PT17"]
    with i18n.use(lang):
        figs = [profile.axis_chart(wide, ids, "area", "Source", names=names),
                profile.axis_chart(wide, ids, "element", "Source", names=names),
                profile.target_bars(wide, ids[:1], "Source", names=names),
                profile.radar(wide, "PT20", "Source", name="Azores"),
                profile.mini_radar(wide, "PT20", "Source"),
                fc.compare_bars(wide, ids, "Source", names=names)]
        separators = i18n.separators()
    assert separators[0] == ","
    average = _expected(lang, "Average of all regions")
    for fig in figs:
        assert fig.layout.separators == separators
        trace_names = [t.name for t in fig.data]
        assert average in trace_names and "Average of all regions" not in trace_names
    assert figs[1].layout.xaxis.title.text == _expected(lang, "score (0–100)", same=("fr",))
    assert figs[2].layout.title.text.startswith(_expected(lang, "Target population: {region} (score 0–100)")
                                                .split("{region}")[0])
    tcn = _expected(lang, "Third-country nationals (TCN)")
    assert list(figs[2].data[0].y)[0].replace("<br>", " ") == tcn
    assert figs[3].layout.title.text.startswith(_expected(lang, "Governance profile of {region} (score 0–100)")
                                                .split("{region}")[0])
    assert figs[5].layout.yaxis.title.text == _expected(lang, "Score (0–100)", same=("fr",))
    assert figs[5].layout.title.text == _expected(lang, "Scores by dimension (0–100)")


def test_english_figures_keep_the_point():
    with i18n.use("en"):
        assert i18n.separators() == ".,"


@pytest.mark.parametrize("lang", LANGS)
def test_text_alternatives_and_tables(lang, wide, names):
    ids = ["PT20", "PT17"]
    with i18n.use(lang):
        summary = profile.axis_summary(wide, ids, "area", names)
        bars = fc.bars_summary(wide, ids, fc.BAR_GROUPS["areas"][1], names)
        table = profile.axis_table(wide, ids, "area", names)
        scores = profile.score_table(wide, "PT20")
    assert "scores from 0 to 100" not in summary and "The average of all regions" not in summary
    assert _expected(lang, "{axis}, scores from 0 to 100. {regions}. The average of all regions runs from {low} to "
                           "{high}.").split("{regions}")[1].split("{low}")[0].strip(" .") in summary
    assert not bars.startswith("Scores from 0 to 100") and "Highest per dimension" not in bars
    assert list(table.columns)[0] == _expected(lang, "Dimension", same=LANGS)
    assert list(table.columns)[-1] == _expected(lang, "Average of all regions")
    assert scores["group"].iloc[0] == _expected(lang, "Overall")


@pytest.mark.parametrize("lang", LANGS)
def test_region_page_is_translated(lang, app):
    from dashboard.pages import region

    with i18n.use(lang):
        page = region.layout(region_id="PT20")
        title = region._title(region_id="PT20")
        missing = region._title(region_id="XX99")
    shown = text(page)
    assert _expected(lang, "Another region") in shown
    assert _expected(lang, "The questions behind each score") in shown
    assert _expected(lang, "Published description") in shown
    select = find(page, ids.REGION_SELECT)
    assert select.placeholder == _expected(lang, "Choose a region")
    for english in ("Another region", "The questions behind each score", "Published description",
                    "questions answered", "The region's answer") + (("Points (0–100)",) if lang != "fr" else ()):
        assert english not in shown, english
    assert title.endswith("MIPEX-R Explorer") and missing == _expected(lang, "Region profile — MIPEX-R Explorer")


@pytest.mark.parametrize("lang", LANGS)
def test_compare_page_and_callback_are_translated(lang, app, dataset):
    from dashboard.callbacks import compare as callbacks
    from dashboard.pages import compare

    with i18n.use(lang):
        page = compare.layout(regions="PT20,PT17,XX9")
        outputs = callbacks.update(dataset, ["PT20", "PT17", "ES51"], "?regions=PT20,PT17")
        lonely = callbacks.update(dataset, ["PT20"], "?regions=PT20")
        separators = i18n.separators()
        page_title = compare._title()
    shown = text(page)
    for english in ("Compare regions", "Scores and differences", "Choose two to four regions",
                    "Regions to compare (2–4)", "Unknown region code(s) in the link", "Difference from the average"):
        assert english not in shown, english
    assert _expected(lang, "Scores and differences") in shown
    assert _expected(lang, "Regions to compare (2–4)") in shown
    assert _expected(lang, "Unknown region code(s) in the link, left out: {codes}.").split("{codes}")[0] in shown
    assert page_title == _expected(lang, "MIPEX-R Explorer — compare regions")
    figures = [o for o in outputs if hasattr(o, "layout")]
    assert len(figures) == 6 and all(f.layout.separators == separators for f in figures)
    column_defs = next(o for o in outputs if isinstance(o, list) and o and isinstance(o[0], dict)
                       and ("headerName" in o[0] or "children" in o[0]))
    headers = repr(column_defs)
    assert _expected(lang, "Difference from the average (points)") in headers
    assert "Difference from the average" not in headers
    hint = _expected(lang, "Choose at least {minimum} regions to compare (up to {maximum}).")
    assert " ".join(text(d) for d in lonely[2]) == hint.format(minimum=2, maximum=4)
    captions = " ".join(text(o) for o in outputs[-5:])
    assert "scores (0–100)" not in captions and "scores from 0 to 100" not in captions


@pytest.mark.parametrize("lang", LANGS)
def test_url_notes_and_strict_errors_are_translated(lang):
    resolve = {"PT20": "PT20", "PT17": "PT17"}.get
    with i18n.use(lang):
        _key, measure_note = query.parse_measure("nonsense")
        _ids, region_notes = query.parse_regions("PT20,XX1", resolve, 4)
        _year, edition_note = query.parse_edition("1999", [2021, 2024], 2024)
        with pytest.raises(UnknownOption) as unknown_axis:
            query.check_axis("sideways")
        with pytest.raises(UnknownOption) as too_few:
            query.check_regions([], resolve, 2, 4, "the comparison chart")
    assert "The link asked for" not in measure_note and "nonsense" in measure_note
    assert "Unknown region code" not in region_notes[0] and "XX1" in region_notes[0]
    assert "The link asked for" not in edition_note and "1999" in edition_note
    assert str(unknown_axis.value).startswith(_expected(lang, "unknown axis {value}; expected one of: {allowed}")
                                              .split("{value}")[0]) and "'sideways'" in str(unknown_axis.value)
    assert "needs at least" not in str(too_few.value)
    assert str(too_few.value).startswith(_expected(lang, "the comparison chart"))


def test_english_notes_and_errors_are_unchanged():
    resolve = {"PT20": "PT20"}.get
    with i18n.use("en"):
        assert query.parse_regions("PT20,XX1", resolve, 4)[1] == ["Unknown region code(s) in the link, left out: XX1."]
        with pytest.raises(UnknownOption, match=r"^the map needs at least 1 region\(s\) "):
            query.check_regions([], resolve, 1, None, "the map")
        assert InputErrors([InputError("a.csv", "bad", 7, "value")] * 2, total=1502).message.endswith(
            "… and 1,500 more problem(s)")


@pytest.mark.parametrize("lang", LANGS)
def test_drilldown_answers_editions_and_input_errors(lang):
    from dash import html

    from dashboard.components import editions as ce
    from dashboard.views.drilldown import answer_label
    from dashboard.views.editions import EditionChoice
    from dashboard.views.editions import change_label as change_label_of

    with i18n.use(lang):
        missing = answer_label(None, "YES=100|NO=0", "three_option")
        share = answer_label(12.5, None, "percent")
        points = answer_label(33.0, "YES=100|NO=0", "three_option")
        controls = ce.edition_controls(EditionChoice(2024, 2021, (2021, 2024)), "ed", "since")
        table = ce.editions_table(pd.DataFrame({"label": ["Health"], "2021": [50.0], "2024": [53.4],
                                                "change": [3.4]}), (2021, 2024), 2024, 2021)
        error = InputError("answers.csv", "x", row=7, column="value").message
        change_label = change_label_of(2021)
    assert missing == _expected(lang, "not answered")
    assert share.startswith("12,5")
    assert "points" not in points or lang == "fr"
    shown = text(controls)
    assert _expected(lang, "Edition shown") in shown and "Edition shown" not in shown
    assert _expected(lang, "No change shown") in repr(controls)
    caption = text(table)
    assert "Scores 0–100 in each edition" not in caption and "+3" in caption
    assert change_label == _expected(lang, "Change since {edition}").format(edition=2021)
    assert "row 7" not in error and "7" in error
    assert isinstance(controls, html.Div)
