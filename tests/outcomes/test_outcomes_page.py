"""The /outcomes page, its callback (as a plain function) and the profile's outcomes section."""

from __future__ import annotations

import dash
import pytest

from dashboard import ids
from dashboard.callbacks import outcomes as cb
from dashboard.callbacks import region as region_cb
from dashboard.components import outcomes as oc
from dashboard.components import stats_table
from dashboard.views import outcomes as ov

from .test_profile_sections import _find, _text


@pytest.fixture(scope="module")
def app():
    """Pages register themselves with Dash Pages, which needs an app."""
    from dashboard.app import create_app

    return create_app()


def test_callback_updates_figure_words_table_and_url(dataset):
    fig, summary, table, notes, mode, options, search = cb.update(
        dataset, "phase:evaluation", "unemployment_non_eu", "gap", "PT20", "?x=area:labour_market")
    assert search == "?x=phase:evaluation&y=unemployment_non_eu&mode=gap&region=PT20"
    assert mode == "gap" and not options[1]["disabled"] and notes == []
    view = ov.outcomes_view(dataset, ov.OutcomesState("phase:evaluation", "unemployment_non_eu", "gap", "PT20"))
    assert f"{view.r:.2f}" in _text(summary[0]) and "not cause" in _text(summary[-1])
    assert "Azores" in _text(table[0]) and "gap" in fig.layout.yaxis.title.text
    # the same state as the URL: the URL is left alone
    again = cb.update(dataset, "phase:evaluation", "unemployment_non_eu", "gap", "PT20", search)
    assert again[-1] is dash.no_update
    # an outcome without a nationals' counterpart: the gap is refused with a note, the option disabled
    _, _, _, notes, mode, options, _ = cb.update(dataset, "overall", "population", "gap", "", "")
    assert mode == "value" and options[1]["disabled"] and "no nationals' counterpart" in _text(notes[0])


def test_page_layout_reads_the_url(app, dataset):
    from dashboard.pages import outcomes as page

    content = page.layout(x="area:education", y="neet_non_eu", region="pt20", mode="gap")
    assert _find(content, ids.OUTCOMES_X).value == "area:education"
    assert _find(content, ids.OUTCOMES_Y).value == "neet_non_eu"
    assert _find(content, ids.OUTCOMES_REGION).value == "PT20"
    assert _find(content, ids.OUTCOMES_MODE).value == "gap"
    fig = _find(content, ids.OUTCOMES_GRAPH).figure
    assert any(t.name == "Selected region" for t in fig.data)
    table = _text(_find(content, ids.OUTCOMES_TABLE))
    assert "Governance:" in table and "Outcomes: Eurostat edat_lfse_38" in table and "ILLUSTRATIVE" in table
    bad = page.layout(x="nope", y="nope")
    assert "does not exist" in _text(bad) and "not in the loaded data" in _text(bad)


def test_profile_section_lists_non_eu_outcomes_with_links(dataset):
    content, _ = region_cb.profile_layout(dataset, "SE224")
    block = _find(content, ids.REGION_OUTCOMES)
    text = _text(block)
    assert "Unemployment rate, non-EU citizens" in text and "enclosing unit" in text
    rows = ov.region_outcomes(dataset, "SE224")
    row = rows.set_index("indicator").loc["unemployment_non_eu"]
    nat = dataset.outcomes.query("region_id == 'SE224' and indicator == 'unemployment_nationals'")["value"].iloc[0]
    assert row["gap"] == row["value"] - nat
    assert row["href"] == "/outcomes?x=area:labour_market&y=unemployment_non_eu&region=SE224"
    assert oc.profile_section(dataset, "SE224") is not None


def test_side_panel_keeps_the_panel_statistics_and_flags_national_values(dataset):
    compact = stats_table.stats_table(dataset, "PT20", compact=True)
    rows = compact.children[0].children.children[2].children  # scroll box → table → tbody
    assert len(rows) == len(stats_table.PANEL_INDICATORS)
    full = stats_table.stats_table(dataset, "PT20")
    text = _text(full)
    assert "national" in text and "Naturalisation rate" in text
