"""The brief's question appendix (only when asked) and the comparison page's outcome table."""

from __future__ import annotations

import re
from html import unescape

import pytest

from dashboard.callbacks import compare as compare_callbacks
from dashboard.cli import EXIT_BAD_INPUT, main
from dashboard.components.outcomes import compare_section
from dashboard.errors import UnknownOption
from dashboard.export.brief import brief_filename, brief_html
from dashboard.views import brief as vbrief
from dashboard.views import outcomes as ov
from tests.outcomes.test_drilldown import _small


def _text(page: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_appendix_lists_each_dimensions_questions_answers_points_and_average(dataset):
    small = _small(dataset)
    ctx = vbrief.brief_context(small, ["PT20"], appendix="questions")
    (region,) = ctx["appendix"]
    dims = {d["label"]: d for d in region["dimensions"]}
    labour = dims["Labour market"]
    assert [q["question"] for q in labour["rows"]] == ["Question B?", "Share C?", "Question A?"]  # weakest first
    assert [(q["answer"], q["points"], q["average"]) for q in labour["rows"]] == [
        ("NO", "0", "0"), ("40 %", "40", "60"), ("YES systematically/regularly", "100", "75")]
    assert [q["id"] for q in dims["Health"]["rows"]] == ["he.a"]
    assert vbrief.brief_context(small, ["PT20"])["appendix"] == []  # the default brief stays short


def test_appendix_in_the_html_brief_only_when_asked(dataset):
    short = _text(brief_html(dataset, ["PT20"], charts="js"))
    long = _text(brief_html(dataset, ["PT20"], charts="js", appendix="questions"))
    assert "Appendix: the questions behind each dimension" not in short
    assert "Appendix: the questions behind each dimension — Azores" in long
    first = dataset.framework.iloc[0]["question"]
    assert first in long and first not in short
    assert brief_filename(dataset, ["PT20"], "pdf", "questions") == "mipexr-brief-pt20-questions.pdf"
    with pytest.raises(UnknownOption, match="unknown appendix 'answers'"):
        vbrief.brief_context(dataset, ["PT20"], appendix="answers")


def test_brief_route_takes_the_appendix(monkeypatch):
    from flask import Flask

    from dashboard.routes import export as export_routes

    server = Flask(__name__)
    export_routes.init_app(server)
    client = server.test_client()
    r = client.get("/brief/PT20.html?charts=js&appendix=questions")
    assert r.status_code == 200 and "Appendix: the questions behind each dimension" in r.get_data(as_text=True)
    assert 'filename="mipexr-brief-pt20-questions.html"' in r.headers["Content-Disposition"]
    r = client.get("/brief/PT20.html?charts=js")
    assert "Appendix: the questions" not in r.get_data(as_text=True)
    r = client.get("/brief/PT20.pdf?appendix=everything")
    assert r.status_code == 400 and "unknown appendix 'everything'" in r.get_data(as_text=True)


def test_cli_brief_appendix_refuses_an_unknown_name(tmp_path, capsys):
    out = tmp_path / "brief.html"
    code = main(["brief", "--region", "PT20", "--appendix", "answers", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT and "unknown appendix 'answers'" in err and not out.exists()


def test_cli_brief_with_the_appendix(tmp_path, capsys, warm_browser):
    out = tmp_path / "brief.html"
    assert main(["brief", "--region", "PT20", "--appendix", "questions", "--out", str(out)]) == 0
    assert "Appendix: the questions behind each dimension — Azores" in _text(out.read_text(encoding="utf-8"))


def test_compare_outcomes_values_and_average_equal_the_long_table(dataset):
    co = ov.compare_outcomes(dataset, ["PT20", "ES51"])
    row = co.table.set_index("indicator").loc["unemployment_non_eu"]
    outcomes = dataset.outcomes
    rows = outcomes[(outcomes["indicator"] == "unemployment_non_eu") & outcomes["value"].notna()]
    latest = rows.sort_values("year").groupby("region_id").tail(1).set_index("region_id")["value"]
    assert row["PT20"] == pytest.approx(latest["PT20"]) and row["ES51"] == pytest.approx(latest["ES51"])
    assert row["average"] == pytest.approx(latest.mean())
    assert "illustrative" in row["PT20_flags"]
    assert "lfst_r_lfur2gan" in co.source and "ILLUSTRATIVE" in co.source
    assert co.href == "/outcomes?x=area:labour_market&y=employment_rate_non_eu&region=PT20"
    assert set(dataset.outcome_indicators.set_index("id").loc[co.table["indicator"], "population"]) == {
        "non_eu_citizens"}


def test_compare_page_section_follows_the_selection(dataset):
    text = str(compare_section(dataset, ["PT20", "ES51"]))
    assert "Outcomes for non-EU citizens" in text and "Azores" in text and "Catalonia" in text
    assert "need not come from a difference in policy" in text and "ILLUSTRATIVE" in text
    assert compare_section(dataset, ["PT20"]) == []
    out = compare_callbacks.update(dataset, ["PT20", "ITF3"], "?regions=PT20,ES51")
    assert "Campania" in str(out[-2])
