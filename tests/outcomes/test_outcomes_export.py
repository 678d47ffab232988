"""Exports of /outcomes: the chart (PNG/SVG/PDF) and the data behind it (CSV/XLSX) equal an independent computation
on the embedded data, carry the source lines of both datasets (and each value's own), and the illustrative marks;
strict parsing; the routes and the command line."""

from __future__ import annotations

import html
import io
import statistics
import xml.etree.ElementTree as ET
from dataclasses import replace

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from dashboard.cli import EXIT_BAD_INPUT, main
from dashboard.constants import (
    ILLUSTRATIVE_EXPORT_TEXT,
    ILLUSTRATIVE_MARK,
    OUTCOMES_ILLUSTRATIVE_TEXT,
)
from dashboard.errors import UnknownOption
from dashboard.export import browser as chromium
from dashboard.export.images import decorate_for_export, export_footer
from dashboard.export.tables import data_export, read_export_csv
from dashboard.views.charts import build_chart, normalise_chart

# ---------------------------------------------------------------------------------------------
# the independent computation, straight from the long tables
# ---------------------------------------------------------------------------------------------

def _expected(dataset, x: str, y: str, gap_with: str | None = None) -> dict[str, tuple[float, float]]:
    """region → (score on x, outcome y in its latest year [minus the counterpart in that same year])."""
    scores = dataset.scores[dataset.scores["dimension"] == x].set_index("region_id")["score"]
    out = {}
    for rid in dataset.regions["region_id"]:
        rows = dataset.outcomes[(dataset.outcomes["region_id"] == rid) & (dataset.outcomes["indicator"] == y)
                                & dataset.outcomes["value"].notna()]
        if gap_with:
            other = dataset.outcomes[(dataset.outcomes["region_id"] == rid)
                                     & (dataset.outcomes["indicator"] == gap_with) & dataset.outcomes["value"].notna()]
            years = sorted(set(rows["year"]) & set(other["year"]))
            if not years:
                continue
            value = (rows[rows["year"] == years[-1]]["value"].iloc[0]
                     - other[other["year"] == years[-1]]["value"].iloc[0])
        else:
            if rows.empty:
                continue
            value = rows.sort_values("year")["value"].iloc[-1]
        if rid in scores.index and pd.notna(scores[rid]):
            out[rid] = (float(scores[rid]), float(value))
    return out


def _points(fig) -> dict[str, tuple[float, float]]:
    out = {}
    for trace in fig.data:
        if trace.customdata is None:
            continue
        for rid, x, y in zip(trace.customdata, trace.x, trace.y):
            out[str(rid)] = (float(x), float(y))
    return out


def test_chart_points_and_r_equal_an_independent_computation(dataset):
    chart = build_chart(dataset, "outcomes", ["azores"], x="area:labour_market", y="unemployment_non_eu", mode="gap")
    expected = _expected(dataset, "area:labour_market", "unemployment_non_eu", gap_with="unemployment_nationals")
    points = _points(chart.fig)
    assert len(expected) == 25 and set(points) == set(expected)
    for rid, (x, y) in expected.items():
        assert points[rid] == pytest.approx((x, y)), rid
    r = statistics.correlation(*zip(*expected.values()))
    assert f"Pearson’s r) = {r:.2f}, n = 25" in chart.title
    highlighted = [t for t in chart.fig.data if t.name == "Selected region"]
    assert list(highlighted[0].customdata) == ["PT20"]
    assert chart.stem == "mipexr-outcomes-area-labour-market-unemployment-non-eu-gap" and not chart.is_map


def test_chart_footer_has_both_source_lines_the_caveat_and_the_marks(dataset):
    chart = build_chart(dataset, "outcomes", y="neet_non_eu")
    governance, outcomes = chart.sources[1], chart.sources[2]
    assert governance.startswith("Governance: MIPEX-R") and "scale 0–100" in governance
    assert ILLUSTRATIVE_MARK in governance  # the embedded scores are illustrative
    assert outcomes.startswith("Outcomes: Eurostat edat_lfse_38") and "ILLUSTRATIVE" in outcomes
    assert "not cause" in chart.sources[0]
    out = decorate_for_export(chart.fig, None, dataset, False, source=chart.sources, illustrative=chart.illustrative,
                              mark=chart.mark)
    footer = " ".join(a.text for a in out.layout.annotations if a.name == "export-footer").replace("<br>", " ")
    flat = " ".join(html.unescape(footer).split())
    for line in chart.sources:
        assert " ".join(line.split()) in flat
    assert ILLUSTRATIVE_EXPORT_TEXT in flat and "EuroGeographics" not in flat  # no map: no map credit
    assert ILLUSTRATIVE_EXPORT_TEXT.upper() in out.layout.title.subtitle.text
    assert not [a for a in out.layout.annotations if a.name == "source"]


def _published_scores_real_outcome(dataset):
    """Scores published (not illustrative) and one region's outcome value real, with its retrieval date."""
    outcomes = dataset.outcomes.copy()
    mask = (outcomes["region_id"] == "PT20") & (outcomes["indicator"] == "employment_rate_non_eu")
    outcomes.loc[mask, "illustrative"] = False
    outcomes.loc[mask, "retrieved"] = "2026-11-30"
    flags = {**dataset.resource_illustrative, "scores": False}
    sources = {**dataset.sources, "scores": "Published MIPEX-R table (test)"}
    return replace(dataset, outcomes=outcomes, scores_published=True, resource_illustrative=flags, sources=sources)


def test_published_scores_and_a_real_value_are_said_apart(dataset):
    mixed = _published_scores_real_outcome(dataset)
    chart = build_chart(mixed, "outcomes", ["PT20"])
    governance, outcomes = chart.sources[1], chart.sources[2]
    assert "Published MIPEX-R table (test)" in governance and "ILLUSTRATIVE" not in governance
    assert "retrieved 2026-11-30" in outcomes and "24 of 25 outcome values ILLUSTRATIVE" in outcomes
    assert chart.illustrative and chart.mark == OUTCOMES_ILLUSTRATIVE_TEXT
    lines = export_footer(mixed, False, source=chart.sources, illustrative=chart.illustrative, mark=chart.mark)
    assert any(line.startswith(OUTCOMES_ILLUSTRATIVE_TEXT) for line in lines)
    assert not any(ILLUSTRATIVE_EXPORT_TEXT in line for line in lines)

    content, _ = data_export(mixed, "policy-outcomes", "csv", {"region": "PT20"})
    header, table = read_export_csv(content)
    rows = table.set_index("region_id")
    assert rows.loc["PT20", "outcome_source"] == "Eurostat lfst_r_lfe2emprtn, 2021, retrieved 2026-11-30"
    assert rows.loc["AT13", "outcome_source"].startswith("ILLUSTRATIVE (generated, not a Eurostat figure")
    assert f"Illustrative data: {OUTCOMES_ILLUSTRATIVE_TEXT}" in header


def test_csv_numbers_sources_and_marks(dataset):
    content, name = data_export(dataset, "policy-outcomes", "csv",
                                {"x": "area:education", "y": "neet_non_eu", "region": "ES51"})
    assert name == "mipexr-policy-outcomes-area-education-neet-non-eu.csv"
    header, table = read_export_csv(content)
    expected = _expected(dataset, "area:education", "neet_non_eu")
    rows = table.set_index("region_id")
    assert len(rows) == 25
    for rid, (x, y) in expected.items():
        assert float(rows.loc[rid, "area:education"]) == pytest.approx(round(x, 2))
        assert float(rows.loc[rid, "neet_non_eu"]) == pytest.approx(y)
    assert rows.loc["ES51", "highlighted"] == "True" and (rows["highlighted"] == "True").sum() == 1
    assert (rows["outcome_source"].str.startswith("ILLUSTRATIVE")).all()
    lines = {line.split(": ", 1)[0]: line.split(": ", 1)[1] for line in header}
    assert lines["Illustrative data"] == ILLUSTRATIVE_EXPORT_TEXT
    assert lines["Source (governance scores)"].startswith("Governance: MIPEX-R")
    assert lines["Source (outcomes)"].startswith("Outcomes: Eurostat edat_lfse_38")
    r = statistics.correlation(*zip(*expected.values()))
    assert any(f"= {r:.2f}, n = 25" in line for line in header) and any("not cause" in line for line in header)


def test_xlsx_has_the_table_a_summary_and_the_about_sheet(dataset):
    content, name = data_export(dataset, "policy-outcomes", "xlsx", {"y": "arope_non_eu"})
    wb = load_workbook(io.BytesIO(content), read_only=True)
    assert wb.sheetnames == ["policy-outcomes", "summary", "About"]
    summary = {row[0]: row[1] for row in wb["summary"].iter_rows(min_row=2, values_only=True)}
    expected = _expected(dataset, "area:labour_market", "arope_non_eu")
    assert summary["Pearson's r"] == pytest.approx(round(statistics.correlation(*zip(*expected.values())), 4))
    assert summary["n (regions with both values)"] == len(expected)
    about = {row[0]: row[1] for row in wb["About"].iter_rows(values_only=True) if row and row[0]}
    assert "Source (governance scores)" in about and about["Source (outcomes)"].startswith("Outcomes: Eurostat")
    assert about["Illustrative data"] == ILLUSTRATIVE_EXPORT_TEXT


@pytest.mark.parametrize("params,message", [
    ({"y": "nope"}, "unknown outcome 'nope'"),
    ({"mode": "ratio"}, "unknown mode 'ratio'"),
    ({"x": "area:nope"}, "unknown measure 'area:nope'"),
    ({"y": "population", "mode": "gap"}, "no nationals' counterpart"),
    ({"region": "PT20,ES51"}, "at most 1"),
    ({"region": "XX99"}, "unknown region 'XX99'"),
])
def test_strict_parsing_names_the_bad_value(dataset, params, message):
    with pytest.raises(UnknownOption, match=message):
        data_export(dataset, "policy-outcomes", "csv", params)
    with pytest.raises(UnknownOption, match=message):
        normalise_chart(dataset, "outcomes", [r for r in params.get("region", "").split(",") if r],
                        x=params.get("x"), y=params.get("y"), mode=params.get("mode"))


def test_chart_query_is_canonical(dataset):
    a = normalise_chart(dataset, "outcomes", ["azores"], measure="area:health", y="neet_non_eu")
    b = normalise_chart(dataset, "OUTCOMES", ["PT20"], x="area:labour_market", y="neet_non_eu", mode="value")
    assert a == b and a[1].measure is None


# ---------------------------------------------------------------------------------------------
# routes and the command line
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def client():
    from flask import Flask

    from dashboard.routes import export as export_routes

    server = Flask(__name__)
    export_routes.init_app(server)
    export_routes.cache.clear()
    yield server.test_client()
    export_routes.cache.clear()


QUERY = "x=area:labour_market&y=unemployment_non_eu&mode=gap&region=PT20&page=/outcomes"


def test_data_routes_csv_and_xlsx(client):
    r = client.get(f"/export/data.csv?view=policy-outcomes&{QUERY}")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    header, table = read_export_csv(r.data)
    assert len(table) == 25 and "unemployment_non_eu" in table.columns
    assert any(line.startswith("View URL: /outcomes?x=area:labour_market&y=unemployment_non_eu&mode=gap&region=PT20")
               for line in header)
    r = client.get(f"/export/data.xlsx?view=policy-outcomes&{QUERY}")
    assert r.status_code == 200 and r.headers["Content-Disposition"].endswith(
        'filename="mipexr-policy-outcomes-area-labour-market-unemployment-non-eu-gap.xlsx"')
    assert load_workbook(io.BytesIO(r.data), read_only=True).sheetnames == ["policy-outcomes", "summary", "About"]


@pytest.mark.parametrize("url", ["/export/chart.png?chart=outcomes&mode=nope",
                                 "/export/data.csv?view=policy-outcomes&y=nope"])
def test_routes_refuse_an_unknown_option_with_400(client, url):
    r = client.get(url)
    assert r.status_code == 400 and r.get_data(as_text=True).startswith("Bad request: unknown")


def test_chart_routes_png_svg_pdf(client, warm_browser, monkeypatch):
    monkeypatch.setattr(chromium, "_browser", warm_browser)
    r = client.get(f"/export/chart.png?chart=outcomes&{QUERY}")
    assert r.status_code == 200 and r.mimetype == "image/png" and r.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert 'filename="mipexr-outcomes-area-labour-market-unemployment-non-eu-gap-slide.png"' in \
        r.headers["Content-Disposition"]
    r = client.get(f"/export/chart.svg?chart=outcomes&{QUERY}")
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    text = " ".join(" ".join(ET.fromstring(r.data).itertext()).split())
    assert "Governance: MIPEX-R" in text and "Outcomes: Eurostat lfst_r_lfur2gan" in text and "Azores" in text
    assert ILLUSTRATIVE_EXPORT_TEXT.upper() in text
    r = client.get(f"/export/chart.pdf?chart=outcomes&{QUERY}&size=a4")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.data)).pages).split())
    assert "Governance: MIPEX-R" in pdf and "Outcomes: Eurostat" in pdf and "not cause" in pdf


def test_cli_export_outcomes(tmp_path, capsys, warm_browser):
    out = tmp_path / "outcomes.svg"
    code = main(["export", "--chart", "outcomes", "--x", "area:education", "--y", "neet_non_eu", "--region", "PT20",
                 "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0 and "wrote outcomes chart" in captured.out
    text = " ".join(" ".join(ET.parse(out).getroot().itertext()).split())
    assert "Outcomes: Eurostat edat_lfse_38" in text and "Governance: MIPEX-R" in text


def test_cli_export_outcomes_bad_option_is_one_line(tmp_path, capsys):
    out = tmp_path / "outcomes.png"
    code = main(["export", "--chart", "outcomes", "--y", "nope", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT and err.startswith("error: unknown outcome 'nope'") and err.count("\n") == 1
    assert not out.exists()
