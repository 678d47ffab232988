"""Exports: data views and files, images, briefs, their links and routes — the files are opened and checked
against numbers computed here from the dataset, never against the function that made them.

Pure parts (views, CSV/XLSX, decoration, links, parameter checks, routes' 4xx answers) run without a browser.
Image and PDF tests share the one warm Chromium of :func:`dashboard.export.browser.get_browser` and skip with a
stated reason when no Chromium is installed.
"""

from __future__ import annotations

import ast
import csv
import dataclasses
import datetime as dt
import html
import io
import json
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import plotly.graph_objects as go
import pytest
from dash import dcc
from openpyxl import load_workbook
from pypdf import PdfReader

from dashboard import ids, query, scoring
from dashboard.components import export_buttons as eb
from dashboard.constants import ILLUSTRATIVE_EXPORT_TEXT, MAP_CREDIT
from dashboard.errors import ExportError, UnknownOption
from dashboard.export import brief as xbrief
from dashboard.export import browser as chromium
from dashboard.export import images, tables
from dashboard.views import brief as vbrief
from dashboard.views import charts as vcharts
from dashboard.views import tables as vtables
from tests.dash_tree import walk
from tests.source import parse

ROOT = Path(__file__).resolve().parent.parent
SOURCE = f"Source: {scoring.SOURCE_LINE}, edition 2021. Scale 0–100."  # the embedded data are edition 2021
MARK = ILLUSTRATIVE_EXPORT_TEXT


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


def parse_csv(content: bytes) -> tuple[list[str], pd.DataFrame]:
    """(header lines without '# ', table of strings) read with the csv module alone (not the app's reader)."""
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so spreadsheets read accents"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8")[1:])))
    header = [r[0][2:] for r in rows if len(r) == 1 and r[0].startswith("# ")]
    body = rows[len(header):]
    return header, pd.DataFrame(body[1:], columns=body[0])


def close(values, decimals: int):
    """``values`` (one or a list) as a table rounded to ``decimals`` may show them (half a unit either way)."""
    return pytest.approx(values, abs=0.5 * 10 ** -decimals + 1e-9)


def hand_wide(dataset, areas=None) -> pd.DataFrame:
    """region × dimension scores computed here with the scoring rule, on the indicators of ``areas`` (all if None)."""
    fw = dataset.framework if areas is None else dataset.framework[dataset.framework["area"].isin(areas)]
    answers = dataset.answers[dataset.answers["indicator_id"].isin(fw["indicator_id"])]
    return scoring.wide(scoring.compute_scores(answers, fw, dataset.rule))


@pytest.fixture(scope="module")
def client():
    """The export routes on a bare Flask app."""
    from flask import Flask

    from dashboard.routes import export as export_routes

    server = Flask(__name__)
    export_routes.init_app(server)
    export_routes.cache.clear()
    return server.test_client()


@pytest.fixture
def no_browser(monkeypatch):
    """A fresh, never-started export browser and a BROWSER_PATH that points nowhere."""
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    fresh = chromium.ExportBrowser()
    monkeypatch.setattr(chromium, "_browser", fresh)
    yield fresh
    fresh.shutdown()


# ---------------------------------------------------------------------------------------------
# the house: imports point down, the package is light
# ---------------------------------------------------------------------------------------------

KNOWN_TODO: set[tuple[str, str]] = set()  # no exception left to the import rule


def _imports(path: Path) -> list[set[str]]:
    """Per import statement, every dotted name it may load (``from a.b import c`` → a.b and a.b.c)."""
    statements = []
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Import):
            statements += [{a.name} for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            statements += [{node.module, f"{node.module}.{a.name}"} for a in node.names]
    return statements


@pytest.mark.parametrize("package,forbidden", [
    ("views", ("dash", "dashboard.export", "dashboard.components", "dashboard.callbacks", "dashboard.pages",
               "dashboard.routes", "dashboard.cli", "dashboard.app")),
    ("export", ("dash", "dashboard.components", "dashboard.callbacks", "dashboard.pages", "dashboard.routes",
                "dashboard.cli", "dashboard.app")),
])
def test_views_and_export_import_only_downwards(package, forbidden):
    folder = ROOT / "dashboard" / package
    for path in sorted(folder.glob("*.py")):
        rel = f"{package}/{path.name}"
        bad = {name for names in _imports(path) if not any((rel, n) in KNOWN_TODO for n in names)
               for name in names for f in forbidden if name == f or name.startswith(f + ".")}
        assert not bad, f"{rel} imports upwards: {sorted(bad)}"
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 600, f"{rel} is over 600 lines"


def test_importing_the_export_package_loads_no_plotly_or_kaleido():
    code = "import sys, dashboard.export; print(sorted(m for m in ('plotly', 'kaleido') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------------------------------------
# CSV and XLSX files
# ---------------------------------------------------------------------------------------------

def _hostile_frame() -> pd.DataFrame:
    return pd.DataFrame({"region_id": ["PT20", "ES51"], "note": ["=cmd|'/C calc'!A0", "@SUM(1)"],
                         "score": [56.0, -4.5], "=col": ["+x", "plain"]})


def test_neutralise_frame_guards_names_and_text_but_not_numbers():
    out = tables.neutralise_frame(_hostile_frame())
    assert list(out.columns) == ["region_id", "note", "score", "'=col"]
    assert out["note"].tolist() == ["'=cmd|'/C calc'!A0", "'@SUM(1)"]
    assert out["score"].tolist() == [56.0, -4.5]
    assert _hostile_frame()["note"].iloc[0].startswith("="), "the input frame is not changed"


def test_csv_has_header_block_and_neutralised_cells(dataset):
    meta = tables.make_meta(dataset, "A test table", url="http://example.org/explore?measure=overall",
                            filters="country = IT")
    content = tables.table_to_csv(_hostile_frame(), meta)
    header, table = parse_csv(content)
    keys = [line.split(":", 1)[0] for line in header]
    assert keys == ["Title", "Illustrative data", "Source", "Scale", "Provenance", "Filters", "View URL", "Exported"]
    assert "View URL: http://example.org/explore?measure=overall" in header
    assert "Filters: country = IT" in header and f"Illustrative data: {MARK}" in header
    assert any(scoring.SOURCE_LINE in line for line in header)
    assert list(table.columns) == ["region_id", "note", "score", "'=col"]
    assert table["note"].tolist() == ["'=cmd|'/C calc'!A0", "'@SUM(1)"]
    assert table["'=col"].tolist() == ["'+x", "plain"]
    assert table["score"].tolist() == ["56.0", "-4.5"], "numbers are numbers, never neutralised"
    # the app's own reader (used by the e2e test) reads the same file the same way
    back_header, back = tables.read_export_csv(content)
    assert back_header == header and back.equals(table)


def test_xlsx_data_sheet_about_sheet_and_no_formulas(dataset):
    meta = tables.make_meta(dataset, "A test table", url="http://example.org/view", columns={"score": "0–100"})
    content = tables.table_to_xlsx({"scores": _hostile_frame()}, meta)
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


# ---------------------------------------------------------------------------------------------
# data views (views/tables.py), checked against numbers computed here
# ---------------------------------------------------------------------------------------------

def test_scores_view_filters_rows_as_computed_by_hand(dataset):
    dv = vtables.data_view(dataset, "scores", {"country": ["IT"], "group": "advanced"})
    wide = dataset.wide_scores
    country = dict(zip(dataset.regions["region_id"], dataset.regions["country"]))
    expected = [r for r in dataset.regions["region_id"]
                if country[r] == "IT" and wide.at[r, "overall"] >= scoring.GROUP_THRESHOLDS["advanced"]]
    assert expected, "the filter keeps some rows"
    assert dv.table["region_id"].tolist() == expected
    assert dv.table["overall"].tolist() == close([wide.at[r, "overall"] for r in expected], 2)
    assert set(dv.table["group"]) == {"advanced"}
    assert dv.filters == "countries = IT; groups = advanced" and dv.stem == "mipexr-scores"
    # through the CSV: the same numbers come back
    content, name = tables.data_export(dataset, "scores", "csv", {"country": ["IT"], "group": "advanced"})
    _, table = parse_csv(content)
    assert name == "mipexr-scores.csv" and table["region_id"].tolist() == expected
    assert table["overall"].astype(float).tolist() == dv.table["overall"].tolist()


def test_scores_view_axis_limits_columns(dataset):
    table = vtables.data_view(dataset, "scores", {"axis": "phase"}).table
    dims = [c for c in table.columns if c in scoring.DIMENSIONS]
    assert dims == ["overall", *scoring.AXES["phase"]]


def test_map_view_every_region_by_name_with_ranks_among_all(dataset):
    wide = dataset.wide_scores
    names = dict(zip(dataset.regions["region_id"], dataset.regions["name_en"]))
    table = vtables.data_view(dataset, "map", {"measure": "phase:evaluation", "region": "PT20"}).table
    assert table["region_id"].tolist() == sorted(wide.index, key=lambda r: names[r]), "every region, by name"
    scores = wide["phase:evaluation"]
    for rec in table.to_dict("records"):
        assert rec["score"] == close(scores[rec["region_id"]], 2)
        assert rec["rank"] == 1 + int((scores > scores[rec["region_id"]]).sum())
        assert rec["selected"] == (rec["region_id"] == "PT20"), "a region is the selection, not a filter"
    assert set(table["measure"]) == {"phase:evaluation"}


def test_ranking_and_map_views_filter_by_country(dataset):
    wide = dataset.wide_scores
    es = [r for r, c in zip(dataset.regions["region_id"], dataset.regions["country"]) if c == "ES"]
    ranking = vtables.data_view(dataset, "ranking", {"measure": "area:health", "country": "ES"})
    names = dict(zip(dataset.regions["region_id"], dataset.regions["name_en"]))
    by_score = sorted(es, key=lambda r: (-wide.at[r, "area:health"], names[r]))
    assert ranking.table["region_id"].tolist() == by_score
    assert ranking.filters == "countries = ES; measure = area:health" and ranking.stem == "mipexr-ranking-area-health"
    on_map = vtables.data_view(dataset, "map", {"measure": "area:health", "country": "ES"})
    assert sorted(on_map.table["region_id"]) == sorted(es), "the header says countries = ES: the rows agree"
    assert on_map.filters == "countries = ES; measure = area:health"


def test_explore_table_recomputes_scores_on_the_chosen_areas(dataset):
    params = {"measure": "area:health", "country": "IT,ES", "area": "health,education", "sort": "asc"}
    dv = vtables.data_view(dataset, "explore", params)
    wide = hand_wide(dataset, ["health", "education"])
    country = dict(zip(dataset.regions["region_id"], dataset.regions["country"]))
    rows = [r for r in dataset.regions["region_id"] if country[r] in ("IT", "ES")]
    names = dict(zip(dataset.regions["region_id"], dataset.regions["name_en"]))
    expected = sorted(rows, key=lambda r: (wide.at[r, "area:health"], names[r]))
    assert dv.table["region_id"].tolist() == expected
    assert dv.table["area:health"].tolist() == close([wide.at[r, "area:health"] for r in expected], 1)
    assert dv.table["overall"].tolist() == close([wide.at[r, "overall"] for r in expected], 1), \
        "the overall score is recomputed on the chosen areas' indicators"
    all_regions = wide["area:health"]
    assert dv.table["rank"].tolist() == [1 + int((all_regions > all_regions[r]).sum()) for r in expected]
    assert any("recomputed" in note for note in dv.notes)
    assert "policy areas = education, health" in dv.filters or "policy areas = health, education" in dv.filters


def test_region_and_compare_views(dataset):
    wide = dataset.wide_scores
    region = vtables.data_view(dataset, "region", {"region": "PT20"})
    table = region.table
    assert list(table["dimension"]) == list(scoring.DIMENSIONS) and region.stem == "mipexr-region-pt20"
    overall = table.loc[table["dimension"] == "overall"].iloc[0]
    assert overall["score"] == pytest.approx(56, abs=0.5), "Azores' published overall score"
    assert overall["average_all_regions"] == close(wide["overall"].mean(), 2)
    assert overall["rank"] == 1 + int((wide["overall"] > wide.at["PT20", "overall"]).sum())
    compare = vtables.data_view(dataset, "compare", {"regions": "PT20,ES51"})
    assert {"PT20", "ES51", "average"} <= set(compare.table.columns) and compare.stem == "mipexr-compare-pt20-es51"
    row = compare.table.set_index("dimension").loc["area:health"]
    assert row["ES51"] == close(wide.at["ES51", "area:health"], 2)
    with pytest.raises(UnknownOption, match="at least 2"):
        vtables.data_view(dataset, "compare", {"regions": "PT20"})


def test_every_view_has_its_function_and_a_table(dataset):
    params = {"region": "PT20,ES51", "measure": "overall"}
    for name in vtables.VIEWS:
        view_params = {"region": "PT20"} if name in ("region", "policy-outcomes") else params  # one region
        dv = vtables.data_view(dataset, name, view_params)
        assert dv.name == name and len(dv.table) > 0 and dv.stem.startswith(f"mipexr-{name}")
    answers = vtables.data_view(dataset, "answers", {"region": "PT20"}).table
    assert len(answers) == int((dataset.answers["region_id"] == "PT20").sum())


def test_full_dataset_xlsx_has_every_part(dataset):
    content, name = tables.data_export(dataset, "full", "xlsx")
    wb = load_workbook(io.BytesIO(content), read_only=True)
    assert name == "mipexr-full.xlsx"
    assert wb.sheetnames == ["scores", "regions", "answers", "outcomes", "framework", "About"]
    assert wb["answers"].max_row == len(dataset.answers) + 1
    csv_content, csv_name = tables.data_export(dataset, "full", "csv")
    _, table = parse_csv(csv_content)
    assert csv_name == "mipexr-full.csv" and table["region_id"].tolist() == list(dataset.regions["region_id"])


@pytest.mark.parametrize("view,params,match", [
    ("nope", {}, "unknown view"),
    ("scores", {"region": "XX99"}, "unknown region 'XX99'"),
    ("scores", {"country": "FR"}, "unknown country"),
    ("ranking", {"measure": "area:nope"}, "unknown measure"),
    ("scores", {"group": "best"}, "unknown group"),
    ("explore", {"area": "astrology"}, "unknown policy area 'astrology'"),
    ("explore", {"target": "tourists"}, "unknown target group"),
    ("explore", {"axis": "nope"}, "unknown axis"),
])
def test_bad_view_parameters_are_named(dataset, view, params, match):
    with pytest.raises(UnknownOption, match=match):
        vtables.data_view(dataset, view, params)


# ---------------------------------------------------------------------------------------------
# decoration and charts by name
# ---------------------------------------------------------------------------------------------

def _annotation(fig, name):
    return next(a for a in fig.layout.annotations if a.name == name)


def test_decorate_for_export_adds_title_source_date_mark_and_credit(dataset):
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    fig.add_annotation(text="on-screen source", name="source", showarrow=False)
    out = images.decorate_for_export(fig, "My <title>", dataset, is_map=True, date=dt.date(2024, 3, 1),
                                     url="http://x/view")
    assert [a.name for a in fig.layout.annotations] == ["source"], "the input figure is untouched"
    assert "source" not in [a.name for a in out.layout.annotations]
    assert out.layout.title.text == "<b>My &lt;title&gt;</b>"
    footer = html.unescape(_annotation(out, "export-footer").text)
    assert SOURCE in footer and "Exported 2024-03-01" in footer and "http://x/view" in footer
    assert MAP_CREDIT in footer
    assert MARK.upper() in out.layout.title.subtitle.text


def test_decorate_without_illustrative_data_or_map(dataset):
    real = dataclasses.replace(dataset, illustrative=False,
                               resource_illustrative={k: False for k in dataset.resource_illustrative})
    out = images.decorate_for_export(go.Figure(), "T", real, is_map=False)
    footer = _annotation(out, "export-footer").text
    assert MARK not in footer and MAP_CREDIT not in footer
    assert not out.layout.title.subtitle.text


def test_bottom_legend_moves_above_the_footer(dataset):
    fig = go.Figure([go.Scatter(y=[1], name="a"), go.Scatter(y=[2], name="b")])
    fig.update_layout(legend=dict(orientation="h", y=-0.2))
    out = images.decorate_for_export(fig, "T", dataset, is_map=False, size="a4")
    assert out.layout.legend.yref == "container" and 0 < out.layout.legend.y < 0.2
    assert (out.layout.width, out.layout.height) == (1123, 794), "A4 landscape at 96 px/in"


def test_footer_and_decoration_overrides(dataset):
    """A figure built from the user's input says where its numbers come from, and is marked illustrative
    only when told so (the Lab map) or when the dataset is."""
    lines = images.export_footer(dataset, False, source="Source: your answers.", illustrative=False)
    assert lines[0] == "Source: your answers." and not any(MARK in line for line in lines)
    assert any(MARK in line for line in images.export_footer(dataset, False))
    fig = go.Figure(go.Bar(x=["a"], y=[1]), layout=dict(title="T"))
    plain = images.decorate_for_export(fig, None, dataset, False, illustrative=False)
    marked = images.decorate_for_export(fig, None, dataset, False)
    assert not plain.layout.title.subtitle.text
    assert MARK.upper() in marked.layout.title.subtitle.text


@pytest.mark.parametrize("kwargs,match", [
    (dict(chart="pie"), "unknown chart"),
    (dict(chart="radar"), "at least 1"),
    (dict(chart="radar", region_ids=["PT20", "ES51", "ITF3", "SE224", "AT13"]), "at most 4"),
    (dict(chart="compare", region_ids=["PT20"]), "at least 2"),
    (dict(chart="map", measure="nope"), "unknown measure"),
    (dict(chart="radar", region_ids=["PT20"], axis="target"), "unknown axis"),
    (dict(chart="ranking", sort="best"), "unknown sort"),
    (dict(chart="radar", region_ids=["PT20"], countries=["XX"]), "unknown country"),
])
def test_build_chart_rejects_bad_options(dataset, kwargs, match):
    with pytest.raises(UnknownOption, match=match):
        vcharts.build_chart(dataset, **kwargs)


def test_check_helpers():
    assert images.check_format("PNG") == "png" and images.check_format(".csv", ("csv", "xlsx")) == "csv"
    with pytest.raises(UnknownOption):
        images.check_format("gif")
    assert images.check_size("A4").png_pixels == (2246, 1588)
    assert images.check_size(None).name == "slide"
    with pytest.raises(UnknownOption):
        images.check_size("poster")


def test_ranking_chart_follows_the_explore_query(dataset):
    """Without a region filter the ranking is the Explore page's for the same query: Italian regions only,
    scores recomputed on the health indicators, ranked among all regions."""
    spec = vcharts.build_chart(dataset, "ranking", measure="area:health", countries=["IT"], areas=["health"])
    wide = hand_wide(dataset, ["health"])
    names = dict(zip(dataset.regions["region_id"], dataset.regions["name_en"]))
    italy = [r for r, c in zip(dataset.regions["region_id"], dataset.regions["country"]) if c == "IT"]
    expected = sorted(italy, key=lambda r: (-wide.at[r, "area:health"], names[r]))
    scores = wide["area:health"]
    labels = [f"{1 + int((scores > scores[r]).sum())}. {names[r]}" for r in expected]
    assert list(spec.fig.data[0].y) == labels
    assert list(spec.fig.data[0].x) == pytest.approx([scores[r] for r in expected])
    assert spec.stem == "mipexr-ranking-area-health" and "Italy" in spec.title and not spec.is_map


def test_heatmap_chart_with_a_region_filter(dataset):
    spec = vcharts.build_chart(dataset, "heatmap", region_ids=["PT20", "ES51"], axis="phase")
    trace = spec.fig.data[0]
    assert list(trace.y) == ["Azores", "Catalonia"]
    assert list(trace.x) == [scoring.dimension_label(d, short=True) for d in ("overall", *scoring.AXES["phase"])]
    assert trace.z[0][0] == pytest.approx(dataset.wide_scores.at["PT20", "overall"])
    assert spec.stem == "mipexr-heatmap-phase"


# ---------------------------------------------------------------------------------------------
# export links (component), the sync callback and one query parser for page and export
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
    assert moved["brief-questions"] == "/brief/ES51.html?appendix=questions&page=/region/PT20"


def test_export_buttons_layout_with_and_without_server_export():
    row = eb.export_buttons("map", {"measure": "overall"}, page="/", server_export=True)
    text = str(row)
    assert "/export/chart.png?chart=map" in text and "/export/data.xlsx?view=full" in text
    client_row = eb.export_buttons("map", {"measure": "overall"}, page="/", graph_id="g", server_export=False)
    text = str(client_row)
    assert "/export/chart.png" not in text and "export-client" in text and "need Chromium on the server" in text
    assert "/export/data.csv?view=map" in text, "data downloads never need a browser"


def test_rows_without_data_links_and_data_only_rows():
    image_only = eb.export_hrefs(eb.make_spec("compare", {"regions": "PT20,ES51"}, data=False, full_dataset=False))
    assert sorted(image_only) == ["pdf", "png", "svg"]
    data_only = eb.export_hrefs(eb.make_spec(None, "?regions=PT20,ES51", view="compare", brief=True))
    assert sorted(data_only) == ["brief-html", "brief-pdf", "brief-questions", "csv", "full-csv", "full-xlsx", "xlsx"]
    assert data_only["brief-pdf"] == "/brief/PT20,ES51.pdf"
    assert data_only["brief-questions"] == "/brief/PT20,ES51.html?appendix=questions"


@pytest.fixture(scope="module")
def app():
    from dashboard.app import create_app

    return create_app()


def test_region_page_rows_keep_their_region_when_the_query_changes(app):
    """The region is in the profile's path, not its query: a query of other keys (``?size=a4`` once the user
    picks A4, ``?edition=…``) keeps every row's links on that region, brief included."""
    import dash

    entry = next(p for p in dash.page_registry.values() if p["path_template"] == "/region/<region_id>")
    with app.server.test_request_context("/region/PT20"):
        page = sys.modules[entry["module"]].layout(region_id="PT20")
    specs = [n.data for n in walk(page) if isinstance(n, dcc.Store) and isinstance(n.id, dict)
             and n.id.get("type") == ids.EXPORT_SPEC_TYPE]
    assert len(specs) >= 5
    for spec in specs:
        before = eb.export_hrefs(spec, None, "slide")
        for search in ("?size=a4", "?edition=2021&size=a4", "?region=ES51"):
            moved = eb.export_hrefs(spec, search, "a4")
            assert sorted(moved) == sorted(before), (spec, search)
            assert all("region=PT20" in h or h.startswith("/brief/PT20.") or "view=full" in h
                       for h in moved.values()), moved
            assert "region=ES51" not in str(moved)


def test_a_repeated_key_gives_one_measure_on_the_page_and_in_its_exports(app, client, dataset, monkeypatch):
    """``/?measure=area:housing&measure=area:health``: the page shows Housing (first value wins), and so do
    the export links it renders and the ones the browser rebuilds from the page's query string."""
    import dash

    from dashboard.routes import export as export_routes
    from tests import export_links_js

    search = "?measure=area:housing&measure=area:health"
    entry = next(p for p in dash.page_registry.values() if p["path"] == "/")
    home = sys.modules[entry["module"]]
    page = home.layout(**dash._pages._parse_query_string(search))
    shown = next(n for n in walk(page) if getattr(n, "id", None) == ids.MAP_MEASURE).value
    assert shown == "area:housing"

    row = next(n for n in walk(page) if isinstance(n, dcc.Store) and isinstance(n.id, dict)
               and n.id.get("type") == ids.EXPORT_SPEC_TYPE)
    links = {n.id["fmt"]: n.href for n in walk(page)
             if isinstance(getattr(n, "id", None), dict) and n.id.get("type") == ids.EXPORT_LINK_TYPE}
    rebuilt = export_links_js.call("links", search, "slide", json.loads(json.dumps(row.data)),
                                   [{"fmt": "csv"}, {"fmt": "png"}], [None, None])

    seen = []
    monkeypatch.setattr(images, "chart_export",
                        lambda *a, **k: seen.append(k["measure"]) or (b"\x89PNG fake", "x.png"))
    export_routes.cache.clear()
    housing = dataset.wide_scores["area:housing"]
    names = dict(zip(dataset.regions["region_id"], dataset.regions["name_en"]))
    for csv_href, png_href in [(links["csv"], links.get("png")), (rebuilt[0], rebuilt[1])]:
        r = client.get(csv_href)
        assert r.status_code == 200, (csv_href, r.data[:200])
        header, table = parse_csv(r.data)
        assert set(table["measure"]) == {shown}, csv_href
        assert "Filters: measure = area:housing" in header
        assert table["region_id"].tolist() == sorted(housing.index, key=names.get), "the map's table: by name"
        assert table["score"].astype(float).tolist() == close([housing[r] for r in table["region_id"]], 2)
        if png_href:  # the chart route reads the measure the same way (rendering replaced: no Chromium needed)
            assert client.get(png_href).status_code == 200
    assert seen and set(seen) == {"area:housing"}
    assert parse_qs(urlsplit(rebuilt[1]).query)["measure"] == ["area:housing", "area:health"], \
        "the rebuilt link keeps the page's query as it is; the route applies the same rule"
    assert query.first(parse_qs(urlsplit(rebuilt[0]).query), query.MEASURE_KEYS) == shown


# ---------------------------------------------------------------------------------------------
# routes and no Chromium
# ---------------------------------------------------------------------------------------------

def test_no_chromium_is_a_clear_error(dataset, no_browser):
    assert "BROWSER_PATH" in chromium.browser_problem()
    with pytest.raises(ExportError) as err:
        images.render_image(go.Figure(), "png")
    assert err.value.reason == "no-browser" and "/nonexistent/chromium" in str(err.value)
    assert "CSV/XLSX" in str(err.value)


def test_routes_without_chromium(client, no_browser):
    r = client.get("/export/chart.png?chart=radar&region=PT20")
    assert r.status_code == 503 and r.mimetype == "text/plain"
    assert b"Chromium" in r.data and b"Traceback" not in r.data
    assert b"/nonexistent" not in r.data and b"BROWSER_PATH" not in r.data, "no server path in an answer"
    assert client.get("/brief/PT20.pdf").status_code == 503
    page = client.get("/brief/PT20.html")
    assert page.status_code == 200 and b"/export/plotly.min.js" in page.data and b"<svg" not in page.data
    assert b"Azores" in page.data and b"Illustrative data" in page.data
    assert client.get("/export/data.csv?view=scores").status_code == 200
    status = client.get("/export/status").get_json()
    assert status == {"server_export": False, "message": chromium.STATUS_UNAVAILABLE}, \
        "available or not and a plain reason: no path, no version"
    js = client.get("/export/plotly.min.js")
    assert js.status_code == 200 and js.mimetype == "text/javascript" and len(js.data) > 1_000_000
    js.close()


def test_routes_bad_parameters_are_400_with_the_reason(client):
    for url, word in [("/export/chart.png", b"chart"), ("/export/chart.gif?chart=map", b"format"),
                      ("/export/chart.png?chart=map&measure=nope", b"unknown measure"),
                      ("/export/data.csv?view=region&region=XX", b"unknown region"),
                      ("/export/data.txt?view=scores", b"unknown format"),
                      ("/brief/PT20,XX.pdf", b"unknown region 'XX'"),
                      ("/brief/PT20.html?charts=flash", b"charts"),
                      ("/brief/PT20,ES51,ITF3,AT13,SE224.html", b"at most 4")]:
        r = client.get(url)
        assert r.status_code == 400, url
        assert word in r.data and r.mimetype == "text/plain"


def test_data_route_sends_the_filtered_table(client, dataset):
    r = client.get("/export/data.csv?view=ranking&measure=phase:evaluation&country=ES&page=/explore")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.headers["Content-Disposition"] == 'attachment; filename="mipexr-ranking-phase-evaluation.csv"'
    header, table = parse_csv(r.data)
    scores = dataset.wide_scores["phase:evaluation"]
    es = [rid for rid, c in zip(dataset.regions["region_id"], dataset.regions["country"]) if c == "ES"]
    names = dict(zip(dataset.regions["region_id"], dataset.regions["name_en"]))
    expected = sorted(es, key=lambda rid: (-scores[rid], names[rid]))
    assert table["region_id"].tolist() == expected
    assert table["score"].astype(float).tolist() == close([scores[rid] for rid in expected], 2)
    assert "View URL: /explore?measure=phase:evaluation&country=ES" in header, \
        "a relative link from the parsed query, never the request's host"
    x = client.get("/export/data.xlsx?view=scores&region=PT20,ES51")
    assert x.headers["Content-Disposition"] == 'attachment; filename="mipexr-scores.xlsx"'
    wb = load_workbook(io.BytesIO(x.data))
    kept = [rid for rid in dataset.regions["region_id"] if rid in ("PT20", "ES51")]
    assert [r[0] for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True)] == kept


# ---------------------------------------------------------------------------------------------
# with Chromium: images
# ---------------------------------------------------------------------------------------------

def test_png_sizes_slide_and_a4(dataset, warm_browser):
    fig = go.Figure(go.Bar(x=["a", "b"], y=[20, 80]))
    fig = images.decorate_for_export(fig, "Bars", dataset, is_map=False)
    assert png_size(images.render_image(fig, "png", "slide", browser=warm_browser)) == (1920, 1080)
    assert png_size(images.render_image(fig, "png", "a4", browser=warm_browser)) == (2246, 1588)
    assert warm_browser.starts == 1, "the second export reuses the warm browser"


def test_map_svg_parses_and_carries_credit_and_mark(dataset, warm_browser):
    content, name = images.chart_export(dataset, "map", "svg", measure="area:health", region_ids=["PT20"],
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
    content, _ = images.chart_export(dataset, "radar", "pdf", "a4", region_ids=["PT20", "ES51"],
                                     browser=warm_browser)
    pages, text = pdf_text(content)
    text = flat(text)
    assert pages == 1
    assert "Policy areas" in text and "Azores" in text and "Catalonia" in text
    assert SOURCE in text and MARK.upper() in text
    box = PdfReader(io.BytesIO(content)).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (297, 210)


def test_chart_route_returns_an_attachment(client, warm_browser, monkeypatch):
    monkeypatch.setattr(chromium, "_browser", warm_browser)
    r = client.get("/export/chart.png?chart=ranking&measure=overall&country=IT&page=/explore")
    assert r.status_code == 200 and r.mimetype == "image/png"
    assert r.headers["Content-Disposition"] == 'attachment; filename="mipexr-ranking-overall-slide.png"'
    assert png_size(r.data) == (1920, 1080)


# ---------------------------------------------------------------------------------------------
# briefs
# ---------------------------------------------------------------------------------------------

def test_brief_context_region_and_charts(dataset):
    ctx = vbrief.brief_context(dataset, ["PT20"])
    wide = dataset.wide_scores
    assert ctx["regions"][0]["name"] == "Azores" and ctx["regions"][0]["overall"] == "56"
    assert ctx["regions"][0]["group"] == "advanced" and not ctx["comparison"]
    assert ctx["regions"][0]["rank"] == 1 + int((wide["overall"] > wide.at["PT20", "overall"]).sum())
    assert [c.key for c in ctx["charts"]] == ["radar-area", "radar-element", "radar-phase", "target"]
    kinds = {c.key: {t.type for t in c.fig.data} for c in ctx["charts"]}
    assert kinds["radar-element"] == {"bar"} and kinds["radar-area"] == {"scatterpolar"}  # no bare triangle
    target = ctx["charts"][-1].fig
    assert tuple(target.layout.yaxis.ticktext) == ("TCN", "BIP"), "short labels fit the half-width chart"
    for chart in ctx["charts"]:
        assert chart.fig.layout.showlegend is False and not chart.fig.layout.title.text
        assert not [a for a in chart.fig.layout.annotations if a.name == "source"]
    assert len(ctx["similar"]) == 3 and ctx["strengths"]
    from dashboard.views.stats import PANEL_INDICATORS

    held = set(dataset.outcomes_for("PT20")["indicator"])
    # the brief keeps the regional information panel's statistics (domain.md), as the map panel does
    assert {row["indicator"] for row in ctx["stats"]} == held & set(PANEL_INDICATORS)
    assert [entry["name"] for entry in ctx["legend"]] == ["Azores", "Average of all regions"]


def test_comparison_context_lists_every_indicator_per_region(dataset):
    ids_ = ["PT20", "ES51"]
    ctx = vbrief.brief_context(dataset, ids_)
    assert ctx["comparison"] and ctx["title"] == "Comparison brief: Azores, Catalonia"
    indicators = set(dataset.outcomes[dataset.outcomes["region_id"].isin(ids_)]["indicator"])
    assert len(ctx["stats_compare"]) == len(indicators)
    assert all(len(entry["cells"]) == 2 for entry in ctx["stats_compare"])
    assert [row["label"] for row in ctx["table"]][0] == scoring.dimension_label("overall")


def test_brief_file_names_and_bad_ids(dataset):
    assert xbrief.brief_filename(dataset, ["pt20"], "pdf") == "mipexr-brief-pt20.pdf"
    assert xbrief.brief_filename(dataset, ["PT20", "ES51"], "html") == "mipexr-comparison-pt20-es51.html"
    with pytest.raises(UnknownOption, match="unknown region"):
        vbrief.brief_context(dataset, ["PT20", "XX"])
    with pytest.raises(UnknownOption, match="chart mode"):
        xbrief.brief_html(dataset, ["PT20"], charts="png")


def test_region_brief_pdf(dataset, warm_browser):
    content = xbrief.brief_pdf(dataset, ["PT20"], browser=warm_browser)
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
    ids_ = ["PT20", "ES51", "ITF3"]
    page = xbrief.brief_html(dataset, ids_, for_print=True, browser=warm_browser)
    assert page.count("<svg") >= 4 and "cdn" not in page.lower()
    pages, text = pdf_text(warm_browser.print_pdf(page, xbrief.brief_footer_template(dataset)))
    text = flat(text)
    assert 2 <= pages <= 3
    for name in ("Azores", "Catalonia", "Campania"):
        assert name in text
    assert "Scores on every dimension" in text and MARK in text and SOURCE in text
    assert "Page 1 of" in text, "the print footer numbers the pages"
