"""Honest labels per resource, for every export type and the page notice: (a) the embedded data (everything
illustrative) and (b) published scores beside illustrative context statistics (tests/conftest.py
``two_editions``). Each asserts the exact mark a reader sees."""

from __future__ import annotations

import html as _html
import io

import pytest
from conftest import TWO_EDITIONS_SOURCE
from openpyxl import load_workbook

from dashboard import scoring
from dashboard.components.notice import illustrative_notice
from dashboard.constants import (
    ILLUSTRATIVE_EXPORT_TEXT,
    ILLUSTRATIVE_MARK,
    ILLUSTRATIVE_TEXT,
)
from dashboard.export import images, tables
from dashboard.export.brief import brief_html
from dashboard.views import notice
from dashboard.views.charts import build_chart

PUBLISHED = f"published — {TWO_EDITIONS_SOURCE}, edition 2024"
SOURCE_A = f"Source: {scoring.SOURCE_LINE}, edition 2021. Scale 0–100."
SOURCE_B = f"Source: {TWO_EDITIONS_SOURCE}, edition 2024 ({scoring.SOURCE_LINE}). Scale 0–100."
SCORES_A = notice.ILLUSTRATIVE_SCORES + " (edition 2021)"


def _footer(fig) -> str:
    return _html.unescape(next(a.text for a in fig.layout.annotations if a.name == "export-footer"))


def _csv(dataset, view, params=None) -> list[str]:
    content, _ = tables.data_export(dataset, view, "csv", params)
    header, _table = tables.read_export_csv(content)
    return header


# ---------------------------------------------------------------------------------------------
# The page notice
# ---------------------------------------------------------------------------------------------

def test_page_notice_embedded(dataset):
    assert notice.notice(dataset) == ("Illustrative data. ", ILLUSTRATIVE_TEXT)
    assert dataset.source_line == f"{SOURCE_A} {ILLUSTRATIVE_MARK}."


def test_page_notice_mixed(two_editions):
    heading, text = notice.notice(two_editions)
    assert heading == "Published scores, illustrative context statistics. "
    assert text == (f"The governance scores are the published MIPEX-R results ({TWO_EDITIONS_SOURCE}, edition 2024). "
                     + notice.CONTEXT_ILLUSTRATIVE)
    assert two_editions.source_line == SOURCE_B  # no illustrative mark on the scores' own line
    rendered = illustrative_notice(two_editions)
    assert rendered.children[0].children == heading and rendered.children[1] == text
    older = two_editions.with_edition(2021)
    assert f"({TWO_EDITIONS_SOURCE}, edition 2021)" in notice.notice(older)[1]


# ---------------------------------------------------------------------------------------------
# Chart images (PNG/SVG/PDF share the decoration; one format rendered for real)
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("chart,kw", [("radar", {"region_ids": ["PT20"]}), ("ranking", {}),
                                      ("compare", {"region_ids": ["PT20", "ES51"]})])
def test_chart_marks_embedded_and_mixed(dataset, two_editions, chart, kw):
    a = build_chart(dataset, chart, **kw)
    deco_a = images.decorate_for_export(a.fig, None, dataset, a.is_map)
    assert _footer(deco_a).split("<br>")[:2] == [
        SOURCE_A, f"{ILLUSTRATIVE_EXPORT_TEXT}: made by a documented generator (see the Methodology page)."]
    # the mark is the subtitle's last line (after the ranking's scope line), bold amber capitals
    assert f"<b>{ILLUSTRATIVE_EXPORT_TEXT.upper()}</b>" in deco_a.layout.title.subtitle.text.split("<br>")[-1]
    b = build_chart(two_editions, chart, **kw)
    deco_b = images.decorate_for_export(b.fig, None, two_editions, b.is_map)
    footer = _footer(deco_b)
    assert footer.split("<br>")[0] == SOURCE_B
    assert ILLUSTRATIVE_EXPORT_TEXT not in footer and ILLUSTRATIVE_MARK not in footer
    assert ILLUSTRATIVE_EXPORT_TEXT.upper() not in (deco_b.layout.title.subtitle.text or "")
    # the on-screen source annotation of the figure itself says the same
    onscreen = next(x.text for x in b.fig.layout.annotations if x.name == "source").replace("<br>", " ")
    assert TWO_EDITIONS_SOURCE in onscreen and "ILLUSTRATIVE" not in onscreen


def test_rendered_svg_carries_the_mark(dataset, two_editions, warm_browser):
    a, _ = images.chart_export(dataset, "target", "svg", region_ids=["PT20"], browser=warm_browser)
    b, _ = images.chart_export(two_editions, "target", "svg", region_ids=["PT20"], browser=warm_browser)
    text_a, text_b = _html.unescape(a.decode()), _html.unescape(b.decode())
    assert ILLUSTRATIVE_EXPORT_TEXT.upper() in text_a and "edition 2021" in text_a
    assert TWO_EDITIONS_SOURCE in text_b and "edition 2024" in text_b
    assert ILLUSTRATIVE_EXPORT_TEXT.upper() not in text_b and ILLUSTRATIVE_EXPORT_TEXT not in text_b


# ---------------------------------------------------------------------------------------------
# CSV and XLSX
# ---------------------------------------------------------------------------------------------

def test_csv_marks_embedded(dataset):
    header = _csv(dataset, "scores")
    assert header[1] == f"Illustrative data: {ILLUSTRATIVE_EXPORT_TEXT}"
    assert header[2] == f"Scores: {SCORES_A}"
    outcomes = _csv(dataset, "outcomes")
    assert outcomes[1:3] == [f"Illustrative data: {ILLUSTRATIVE_EXPORT_TEXT}",
                             f"Context statistics: {notice.ILLUSTRATIVE_CONTEXT}"]


def test_csv_marks_mixed(two_editions):
    header = _csv(two_editions, "scores")
    assert header[1] == f"Scores: {PUBLISHED}"
    assert not any(line.startswith("Illustrative data") for line in header)
    assert not any(ILLUSTRATIVE_EXPORT_TEXT in line for line in header)
    outcomes = _csv(two_editions, "outcomes")
    assert outcomes[1:3] == [f"Illustrative data: {ILLUSTRATIVE_EXPORT_TEXT}",
                             f"Context statistics: {notice.ILLUSTRATIVE_CONTEXT}"]
    full = _csv(two_editions, "full")
    assert full[1:6] == [
        "Illustrative data: only the context statistics, indicator answers, questionnaire (each part below says "
        "what it is)",
        f"Scores: {PUBLISHED}",
        f"Context statistics: {notice.ILLUSTRATIVE_CONTEXT}",
        f"Indicator answers: {notice.ILLUSTRATIVE_ANSWERS}",
        f"Questionnaire: {notice.ILLUSTRATIVE_FRAMEWORK}",
    ]
    older = _csv(two_editions, "region", {"region": "PT20", "edition": "2021"})
    assert older[1] == f"Scores: published — {TWO_EDITIONS_SOURCE}, edition 2021"


def _xlsx(dataset, view, params=None):
    content, _ = tables.data_export(dataset, view, "xlsx", params)
    wb = load_workbook(io.BytesIO(content))
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r and r[0]}
    return wb, about


def test_xlsx_marks_embedded(dataset):
    wb, about = _xlsx(dataset, "map", {"measure": "overall"})
    assert about["Illustrative data"] == ILLUSTRATIVE_EXPORT_TEXT and about["Scores"] == SCORES_A
    sheet = wb[wb.sheetnames[0]]
    assert sheet["A1"].value == "measure", "the table still starts in row 1"
    assert sheet["A1"].comment.text == f"Scores: {SCORES_A}"
    assert sheet.oddHeader.center.text == f"Scores: {SCORES_A}"
    assert wb.properties.description == ILLUSTRATIVE_EXPORT_TEXT


def test_xlsx_marks_mixed(two_editions):
    wb, about = _xlsx(two_editions, "full")
    assert about["Scores"] == PUBLISHED
    assert about["Context statistics"] == notice.ILLUSTRATIVE_CONTEXT
    assert about["Illustrative data"].startswith("only the context statistics")
    assert wb["scores"]["A1"].comment.text == f"Scores: {PUBLISHED}"
    assert wb["outcomes"]["A1"].comment.text == f"Context statistics: {notice.ILLUSTRATIVE_CONTEXT}"
    assert wb["answers"]["A1"].comment.text == f"Indicator answers: {notice.ILLUSTRATIVE_ANSWERS}"
    scores_only, about = _xlsx(two_editions, "scores")
    assert "Illustrative data" not in about and about["Scores"] == PUBLISHED
    assert scores_only["scores"]["A1"].comment.text == f"Scores: {PUBLISHED}"


# ---------------------------------------------------------------------------------------------
# The brief (HTML; the PDF prints the same page with the same footer)
# ---------------------------------------------------------------------------------------------

def test_brief_marks_embedded(dataset):
    page = _html.unescape(brief_html(dataset, ["PT20"], charts="js", plotly_js_url="/p.js"))
    assert f"<strong>{ILLUSTRATIVE_EXPORT_TEXT}.</strong>" in page
    assert "These scores and statistics are made by a documented generator" in page
    assert f"{SOURCE_A} <b>{ILLUSTRATIVE_EXPORT_TEXT}.</b>" in page
    assert "Partly illustrative" not in page


def test_brief_marks_mixed(dataset, two_editions):
    from dashboard.export.brief import brief_footer_template

    page = _html.unescape(brief_html(two_editions, ["PT20", "ES51"], charts="js", plotly_js_url="/p.js"))
    assert "<strong>Partly illustrative.</strong>" in page
    assert f"<b>Scores:</b> {PUBLISHED}." in page
    assert f"<b>Context statistics:</b> {notice.ILLUSTRATIVE_CONTEXT}." in page
    assert ILLUSTRATIVE_EXPORT_TEXT not in page
    assert SOURCE_B in page
    footer = _html.unescape(brief_footer_template(two_editions))
    assert SOURCE_B in footer and ILLUSTRATIVE_EXPORT_TEXT not in footer
    assert ILLUSTRATIVE_EXPORT_TEXT in brief_footer_template(dataset)


# ---------------------------------------------------------------------------------------------
# Raw downloads (the Data page): the bytes as stored, the mark in the name
# ---------------------------------------------------------------------------------------------

def test_raw_download_names(dataset, two_editions):
    from dashboard.views import data as dv

    assert dv.raw_file(dataset, "answers")[0] == "answers-ILLUSTRATIVE.csv"
    assert dv.raw_file(two_editions, "scores")[0] == "scores.csv"
    assert dv.raw_file(two_editions, "outcomes")[0] == "outcomes-ILLUSTRATIVE.csv"
