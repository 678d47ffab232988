"""Exports: images, data downloads, briefs and their routes — the files are opened and checked.

Pure parts (CSV/XLSX, views, decoration, links, parameter checks, routes' 4xx answers) run without a
browser. Image and PDF tests share the one warm Chromium of :func:`dashboard.export.get_browser` and skip
with a stated reason when no Chromium is installed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import struct
import xml.etree.ElementTree as ET

import pandas as pd
import plotly.graph_objects as go
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from dashboard import export, scoring
from dashboard.components import export_buttons as eb
from dashboard.query import split_values
from dashboard.views.columns import records

SOURCE = f"Source: {scoring.SOURCE_LINE}. Scale 0–100."
MARK = export.ILLUSTRATIVE_EXPORT_TEXT


# ---------------------------------------------------------------------------------------------
# helpers and fixtures
# ---------------------------------------------------------------------------------------------

def png_size(content: bytes) -> tuple[int, int]:
    assert content[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    width, height = struct.unpack(">II", content[16:24])
    return width, height


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def client():
    """The export routes on a bare Flask app. (Not a Dash app: the first Dash app that serves a request takes
    every global ``dash.callback``, which would leave the browser tests' app without callbacks.)"""
    from flask import Flask

    from dashboard import export_routes

    server = Flask(__name__)
    export_routes.init_app(server)
    return server.test_client()


@pytest.fixture
def no_browser(monkeypatch):
    """A fresh, never-started export browser and a BROWSER_PATH that points nowhere."""
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    fresh = export.ExportBrowser()
    monkeypatch.setattr(export, "_browser", fresh)
    yield fresh
    fresh.shutdown()


# ---------------------------------------------------------------------------------------------
# formula neutralisation, CSV and XLSX
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x", "=HYPERLINK(\"x\")"])
def test_neutralise_prefixes_formula_like_text(value):
    assert export.neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Açores", "a=b", "", 12.5, -3.0, None, "100"])
def test_neutralise_leaves_other_cells(value):
    assert export.neutralise(value) == value


def _hostile_frame() -> pd.DataFrame:
    return pd.DataFrame({"region_id": ["PT20", "ES51"], "note": ["=cmd|'/C calc'!A0", "@SUM(1)"],
                         "score": [56.0, -4.5], "=col": ["+x", "plain"]})


def test_csv_has_header_block_and_neutralised_cells(dataset):
    meta = export.make_meta(dataset, "A test table", url="http://example.org/explore?measure=overall",
                            filters="country = IT")
    content = export.table_to_csv(_hostile_frame(), meta)
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so spreadsheets read accents"
    header, table = export.read_export_csv(content)
    keys = [line.split(":", 1)[0] for line in header]
    for key in ("Title", "Illustrative data", "Source", "Scale", "Provenance", "Filters", "View URL", "Exported"):
        assert key in keys
    assert any("http://example.org/explore?measure=overall" in line for line in header)
    assert any(scoring.SOURCE_LINE in line for line in header)
    assert list(table.columns) == ["region_id", "note", "score", "'=col"]
    assert table["note"].tolist() == ["'=cmd|'/C calc'!A0", "'@SUM(1)"]
    assert table["=col" if "=col" in table else "'=col"].tolist() == ["'+x", "plain"]
    assert table["score"].tolist() == ["56.0", "-4.5"], "numbers are numbers, never neutralised"


def test_xlsx_data_sheet_about_sheet_and_no_formulas(dataset):
    meta = export.make_meta(dataset, "A test table", url="http://example.org/view", columns={"score": "0–100"})
    content = export.table_to_xlsx({"scores": _hostile_frame()}, meta)
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["scores", "About"]
    ws = wb["scores"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("region_id", "note", "score", "'=col")
    assert rows[1] == ("PT20", "'=cmd|'/C calc'!A0", 56.0, "'+x")
    assert rows[2] == ("ES51", "'@SUM(1)", -4.5, "plain")
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row), "no cell is a formula"
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r and r[0]}
    assert scoring.SOURCE_LINE in about["Source"]
    assert "0–100" in about["Scale"]
    assert about["View URL"] == "http://example.org/view"
    assert about["Illustrative data"] == MARK
    assert "Data package" in about["Provenance"]
    assert about["score"] == "0–100"


def test_scores_view_filters_and_csv_round_trip(dataset):
    dv = export.data_view(dataset, "scores", {"country": ["IT"], "group": "advanced"})
    table = dv.table
    expected = dataset.scores_table().reset_index()
    expected = expected[(expected["country"] == "IT") & (expected["group"] == "advanced")]
    assert list(table["region_id"]) == list(expected["region_id"]) and len(table) > 0
    assert table["overall"].tolist() == expected["overall"].round(2).tolist()
    _, back = export.read_export_csv(export.table_to_csv(table, dv.meta))
    assert back["region_id"].tolist() == table["region_id"].tolist()
    assert back["overall"].astype(float).tolist() == table["overall"].tolist()
    assert "countries = IT" in dv.meta.filters and "groups = advanced" in dv.meta.filters


def test_scores_view_axis_limits_columns(dataset):
    table = export.data_view(dataset, "scores", {"axis": "phase"}).table
    dims = [c for c in table.columns if c in scoring.DIMENSIONS]
    assert dims == ["overall", *scoring.AXES["phase"]]


def test_explore_view_equals_the_page_table(dataset):
    from dashboard.views import explore as page

    params = {"measure": "area:health", "country": "IT,ES", "area": "health,education", "sort": "asc"}
    dv = export.data_view(dataset, "explore", params)
    st, _ = page.parse_query(params, dataset)
    shown = page.explore_view(dataset, st)
    keys = [c.id for c in shown.columns]
    assert dv.table[keys].astype(object).where(dv.table[keys].notna(), None).to_dict("records") == records(
        shown.table, shown.columns)
    assert set(dv.table["region_id"].str[:2]) <= {"IT", "ES"}
    assert any("recomputed" in note for note in dv.meta.notes)


def test_region_and_compare_views(dataset):
    region = export.data_view(dataset, "region", {"region": "PT20"}).table
    assert list(region["dimension"]) == list(scoring.DIMENSIONS)
    assert region.loc[region["dimension"] == "overall", "score"].item() == pytest.approx(56, abs=0.5)
    compare = export.data_view(dataset, "compare", {"regions": "PT20,ES51"}).table
    assert {"PT20", "ES51", "average"} <= set(compare.columns)
    with pytest.raises(export.UnknownOption, match="at least 2"):
        export.data_view(dataset, "compare", {"regions": "PT20"})


def test_full_dataset_xlsx_has_every_part(dataset):
    content, name = export.data_export(dataset, "full", "xlsx")
    wb = load_workbook(io.BytesIO(content), read_only=True)
    assert name == "mipexr-full.xlsx"
    assert wb.sheetnames == ["scores", "regions", "answers", "outcomes", "framework", "About"]
    assert wb["answers"].max_row == len(dataset.answers) + 1
    csv_content, csv_name = export.data_export(dataset, "full", "csv")
    _, table = export.read_export_csv(csv_content)
    assert csv_name == "mipexr-full.csv" and len(table) == len(dataset.regions)


@pytest.mark.parametrize("view,params,match", [
    ("nope", {}, "unknown view"),
    ("scores", {"region": "XX99"}, "unknown region 'XX99'"),
    ("scores", {"country": "FR"}, "unknown country"),
    ("ranking", {"measure": "area:nope"}, "unknown measure"),
    ("scores", {"group": "best"}, "unknown group"),
])
def test_bad_view_parameters_are_named(dataset, view, params, match):
    with pytest.raises(export.UnknownOption, match=match):
        export.data_view(dataset, view, params)


# ---------------------------------------------------------------------------------------------
# decoration and parameters
# ---------------------------------------------------------------------------------------------

def _annotation(fig, name):
    return next(a for a in fig.layout.annotations if a.name == name)


def test_decorate_for_export_adds_title_source_date_mark_and_credit(dataset):
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    fig.add_annotation(text="on-screen source", name="source", showarrow=False)
    out = export.decorate_for_export(fig, "My <title>", dataset, is_map=True, date=dt.date(2024, 3, 1),
                                     url="http://x/view")
    assert [a.name for a in fig.layout.annotations] == ["source"], "the input figure is untouched"
    assert "source" not in [a.name for a in out.layout.annotations]
    assert out.layout.title.text == "<b>My &lt;title&gt;</b>"
    footer = html.unescape(_annotation(out, "export-footer").text)
    assert SOURCE in footer and "Exported 2024-03-01" in footer and "http://x/view" in footer
    assert export.MAP_CREDIT in footer
    assert MARK.upper() in out.layout.title.subtitle.text


def test_decorate_without_illustrative_data_or_map(dataset):
    real = dataclasses.replace(dataset, illustrative=False)
    out = export.decorate_for_export(go.Figure(), "T", real, is_map=False)
    footer = _annotation(out, "export-footer").text
    assert MARK not in footer and export.MAP_CREDIT not in footer
    assert not out.layout.title.subtitle.text


def test_bottom_legend_moves_above_the_footer(dataset):
    fig = go.Figure([go.Scatter(y=[1], name="a"), go.Scatter(y=[2], name="b")])
    fig.update_layout(legend=dict(orientation="h", y=-0.2))
    out = export.decorate_for_export(fig, "T", dataset, is_map=False, size="a4")
    assert out.layout.legend.yref == "container" and 0 < out.layout.legend.y < 0.2
    assert out.layout.height == export.SIZES["a4"].height


@pytest.mark.parametrize("kwargs,match", [
    (dict(chart="pie"), "unknown chart"),
    (dict(chart="radar"), "at least 1"),
    (dict(chart="radar", region_ids=["PT20", "ES51", "ITF3", "SE224", "AT13"]), "at most 4"),
    (dict(chart="compare", region_ids=["PT20"]), "at least 2"),
    (dict(chart="map", measure="nope"), "unknown measure"),
    (dict(chart="radar", region_ids=["PT20"], axis="target"), "unknown axis"),
    (dict(chart="ranking", sort="best"), "unknown sort"),
])
def test_build_chart_rejects_bad_options(dataset, kwargs, match):
    with pytest.raises(export.UnknownOption, match=match):
        export.build_chart(dataset, **kwargs)


def test_check_helpers():
    assert export.check_measure("health") == "area:health"
    assert export.check_format("PNG") == "png"
    with pytest.raises(export.UnknownOption):
        export.check_format("gif")
    with pytest.raises(export.UnknownOption):
        export.check_size("poster")
    assert split_values(["PT20,ES51", "PT20", " "]) == ["PT20", "ES51"]


def test_ranking_and_heatmap_are_the_explore_page_figures(dataset):
    from dashboard.views import explore as page

    spec = export.build_chart(dataset, "ranking", measure="area:health", countries=["IT"], areas=["health"])
    st, _ = page.parse_query({"measure": "area:health", "country": "IT", "area": "health"}, dataset)
    shown = page.explore_view(dataset, st)
    assert list(spec.fig.data[0].y) == list(shown.ranking.data[0].y)
    assert spec.title == shown.ranking.layout.title.text


# ---------------------------------------------------------------------------------------------
# export links (component) and the sync callback
# ---------------------------------------------------------------------------------------------

def test_export_hrefs_follow_the_page_query():
    spec = eb.make_spec("radar", {"region": "PT20"}, fixed={"axis": "phase"}, page="/region/PT20", brief=True)
    hrefs = eb.export_hrefs(spec)
    assert hrefs["png"] == "/export/chart.png?chart=radar&region=PT20&axis=phase&size=slide&page=/region/PT20"
    assert hrefs["csv"] == "/export/data.csv?view=region&region=PT20&axis=phase&page=/region/PT20"
    assert hrefs["full-xlsx"] == "/export/data.xlsx?view=full&page=/region/PT20"
    assert hrefs["brief-pdf"] == "/brief/PT20.pdf?page=/region/PT20"
    moved = eb.export_hrefs(spec, "?region=ES51&axis=area", size="a4")
    assert "region=ES51" in moved["svg"] and "axis=phase" in moved["svg"] and "size=a4" in moved["svg"]
    assert moved["brief-html"].startswith("/brief/ES51.html")


def test_update_hrefs_keeps_link_order_and_state():
    from dashboard.callbacks.export import update_hrefs

    spec = eb.make_spec("ranking", {"measure": "overall"}, view="explore", page="/explore")
    link_ids = [{"fmt": "csv"}, {"fmt": "png"}, {"fmt": "brief-pdf"}]
    csv, png, brief = update_hrefs("?measure=area:health&country=IT", "a4", spec, link_ids)
    assert csv == "/export/data.csv?view=explore&measure=area:health&country=IT&page=/explore"
    assert png.endswith("measure=area:health&country=IT&size=a4&page=/explore")
    assert brief is not None and not isinstance(brief, str)  # no_update for a link the row does not have
    assert update_hrefs("", None, spec, link_ids)[0].endswith("measure=overall&page=/explore")


def test_export_buttons_layout_with_and_without_server_export():
    row = eb.export_buttons("map", {"measure": "overall"}, page="/", server_export=True)
    text = str(row)
    assert "/export/chart.png?chart=map" in text and "/export/data.xlsx?view=full" in text
    client_row = eb.export_buttons("map", {"measure": "overall"}, page="/", graph_id="g", server_export=False)
    text = str(client_row)
    assert "/export/chart.png" not in text and "export-client" in text and "need Chromium on the server" in text
    assert "/export/data.csv?view=map" in text, "data downloads never need a browser"


def test_client_image_config_is_slide_sized():
    cfg = eb.client_image_config("mipexr-map", base={"topojsonURL": "/assets/topojson/"})
    assert cfg["topojsonURL"] == "/assets/topojson/"
    assert cfg["toImageButtonOptions"] == {"format": "png", "filename": "mipexr-map", "width": 1280,
                                           "height": 720, "scale": 1.5}


# ---------------------------------------------------------------------------------------------
# without Chromium
# ---------------------------------------------------------------------------------------------

def test_no_chromium_is_a_clear_error(dataset, no_browser):
    assert "BROWSER_PATH" in export.browser_problem()
    with pytest.raises(export.ExportError) as err:
        export.render_image(go.Figure(), "png")
    assert err.value.reason == "no-browser" and "/nonexistent/chromium" in str(err.value)
    assert "CSV/XLSX" in str(err.value)


def test_routes_without_chromium(client, no_browser):
    r = client.get("/export/chart.png?chart=radar&region=PT20")
    assert r.status_code == 503 and r.mimetype == "text/plain"
    assert b"Chromium" in r.data and b"Traceback" not in r.data
    assert client.get("/brief/PT20.pdf").status_code == 503
    page = client.get("/brief/PT20.html")
    assert page.status_code == 200 and b"/export/plotly.min.js" in page.data and b"<svg" not in page.data
    assert b"Azores" in page.data and b"Illustrative data" in page.data
    assert client.get("/export/data.csv?view=scores").status_code == 200
    status = client.get("/export/status").get_json()
    assert status["server_export"] is False and "BROWSER_PATH" in status["message"]


def test_routes_bad_parameters_are_400_with_the_reason(client):
    for url, word in [("/export/chart.png", b"chart"), ("/export/chart.gif?chart=map", b"format"),
                      ("/export/chart.png?chart=map&measure=nope", b"unknown measure"),
                      ("/export/data.csv?view=region&region=XX", b"unknown region"),
                      ("/brief/PT20,XX.pdf", b"unknown region 'XX'"),
                      ("/brief/PT20,ES51,ITF3,AT13,SE224.html", b"at most 4")]:
        r = client.get(url)
        assert r.status_code == 400, url
        assert word in r.data and r.mimetype == "text/plain"


def test_data_route_sends_the_filtered_table(client, dataset):
    r = client.get("/export/data.csv?view=map&measure=phase:evaluation&country=ES&page=/")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.headers["Content-Disposition"] == 'attachment; filename="mipexr-map-phase-evaluation.csv"'
    header, table = export.read_export_csv(r.data)
    expected = export.data_view(dataset, "map", {"measure": "phase:evaluation", "country": "ES"}).table
    assert table["region_id"].tolist() == expected["region_id"].tolist()
    assert table["score"].astype(float).tolist() == expected["score"].tolist()
    assert any(line.startswith("View URL: http://localhost/?") and "measure=phase%3Aevaluation" in line
               for line in header)
    x = client.get("/export/data.xlsx?view=scores&region=PT20,ES51")
    wb = load_workbook(io.BytesIO(x.data))
    assert [r[0] for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True)] == ["ES51", "PT20"] or \
        [r[0] for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True)] == ["PT20", "ES51"]


# ---------------------------------------------------------------------------------------------
# with Chromium: images
# ---------------------------------------------------------------------------------------------

def test_png_sizes_slide_and_a4(dataset, warm_browser):
    fig = go.Figure(go.Bar(x=["a", "b"], y=[20, 80]))
    fig = export.decorate_for_export(fig, "Bars", dataset, is_map=False)
    assert png_size(export.render_image(fig, "png", "slide", browser=warm_browser)) == (1920, 1080)
    assert png_size(export.render_image(fig, "png", "a4", browser=warm_browser)) == (2246, 1588)
    assert warm_browser.starts == 1, "the second export reuses the warm browser"


def test_map_svg_parses_and_carries_credit_and_mark(dataset, warm_browser):
    content, name = export.chart_export(dataset, "map", "svg", measure="area:health", region_ids=["PT20"],
                                        browser=warm_browser)
    assert name == "mipexr-map-area-health-slide.svg"
    root = ET.fromstring(content)
    assert root.tag.endswith("svg")
    text = flat(" ".join(t for t in root.itertext()))
    assert "Health by region" in text
    assert "EuroGeographics for the administrative boundaries" in text
    assert MARK.upper() in text and scoring.SOURCE_LINE in text
    assert f"Exported {dt.date.today().isoformat()}" in text


def test_chart_pdf_is_one_page_with_text(dataset, warm_browser):
    content, _ = export.chart_export(dataset, "radar", "pdf", "a4", region_ids=["PT20", "ES51"],
                                     browser=warm_browser)
    pages, text = pdf_text(content)
    text = flat(text)
    assert pages == 1
    assert "Policy areas" in text and "Azores" in text and "Catalonia" in text
    assert SOURCE in text and MARK.upper() in text
    box = PdfReader(io.BytesIO(content)).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (297, 210)


def test_chart_route_returns_an_attachment(client, warm_browser, monkeypatch):
    monkeypatch.setattr(export, "_browser", warm_browser)
    r = client.get("/export/chart.png?chart=ranking&measure=overall&country=IT&page=/explore")
    assert r.status_code == 200 and r.mimetype == "image/png"
    assert r.headers["Content-Disposition"] == 'attachment; filename="mipexr-ranking-overall-slide.png"'
    assert png_size(r.data) == (1920, 1080)


# ---------------------------------------------------------------------------------------------
# with Chromium: briefs
# ---------------------------------------------------------------------------------------------

def test_region_brief_pdf(dataset, warm_browser):
    content = export.brief_pdf(dataset, ["PT20"], browser=warm_browser)
    pages, text = pdf_text(content)
    text = flat(text)
    assert 1 <= pages <= 2
    assert "Azores" in text and "56 / 100" in text and "advanced" in text
    assert SOURCE in text and MARK in text
    for section in ("Governance profile", "Most developed", "Context statistics", "Regions with a similar profile",
                    "Methodology note", "Sources"):
        assert section in text
    assert "Anti-discrimination" in text and "Formulation" in text, "chart labels are text: charts are vector"
    reader = PdfReader(io.BytesIO(content))
    assert not any(page.images for page in reader.pages), "no raster images: charts are vector"
    assert reader.metadata.title.startswith("Regional brief: Azores")


def test_comparison_brief_pdf(dataset, warm_browser):
    ids = ["PT20", "ES51", "ITF3"]
    page = export.brief_html(dataset, ids, for_print=True, browser=warm_browser)
    assert page.count("<svg") >= 4 and "cdn" not in page.lower()
    pages, text = pdf_text(warm_browser.print_pdf(page, export.brief_footer_template(dataset)))
    text = flat(text)
    assert 2 <= pages <= 3
    for name in ("Azores", "Catalonia", "Campania"):
        assert name in text
    assert "Scores on every dimension" in text and MARK in text and SOURCE in text
    assert "Page 1 of" in text, "the print footer numbers the pages"


def test_brief_context_region_and_charts(dataset):
    ctx = export.brief_context(dataset, ["PT20"])
    assert ctx["regions"][0]["name"] == "Azores" and ctx["regions"][0]["overall"] == "56"
    assert ctx["regions"][0]["group"] == "advanced" and not ctx["comparison"]
    assert [c.key for c in ctx["charts"]] == ["radar-area", "radar-element", "radar-phase", "target"]
    target = ctx["charts"][-1].fig
    assert tuple(target.layout.yaxis.ticktext) == ("TCN", "BIP"), "short labels fit the half-width chart"
    for chart in ctx["charts"]:
        assert chart.fig.layout.showlegend is False and not chart.fig.layout.title.text
        assert not [a for a in chart.fig.layout.annotations if a.name == "source"]
    assert len(ctx["similar"]) == 3 and ctx["stats"] and ctx["strengths"]
    assert [entry["name"] for entry in ctx["legend"]] == ["Azores", "Average of all regions"]


def test_rows_without_data_links_and_data_only_rows():
    image_only = eb.export_hrefs(eb.make_spec("compare", {"regions": "PT20,ES51"}, data=False, full_dataset=False))
    assert sorted(image_only) == ["pdf", "png", "svg"]
    data_only = eb.export_hrefs(eb.make_spec(None, "?regions=PT20,ES51", view="compare", brief=True))
    assert sorted(data_only) == ["brief-html", "brief-pdf", "csv", "full-csv", "full-xlsx", "xlsx"]
    assert data_only["brief-pdf"] == "/brief/PT20,ES51.pdf"


def test_footer_and_decoration_overrides(dataset):
    """A figure built from the user's input says where its numbers come from, and is marked illustrative
    only when told so (the Lab map) or when the dataset is."""
    lines = export.export_footer(dataset, False, source="Source: your answers.", illustrative=False)
    assert lines[0] == "Source: your answers." and not any(export.ILLUSTRATIVE_EXPORT_TEXT in line for line in lines)
    assert any(export.ILLUSTRATIVE_EXPORT_TEXT in line for line in export.export_footer(dataset, False))
    fig = go.Figure(go.Bar(x=["a"], y=[1]), layout=dict(title="T"))
    plain = export.decorate_for_export(fig, None, dataset, False, illustrative=False)
    marked = export.decorate_for_export(fig, None, dataset, False)
    assert not plain.layout.title.subtitle.text
    assert export.ILLUSTRATIVE_EXPORT_TEXT.upper() in marked.layout.title.subtitle.text
