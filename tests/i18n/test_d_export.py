"""Exports in other languages (issue 15): CSV/XLSX headers and About sheet, the HTML brief, the CLI's
``--lang``, export jobs and the export cache keyed by language, export links carrying ``lang=``, chart footers.

These read the compiled catalogs: they pass once the catalogs hold the translations of
``/work/i18n-parts/d-export*.json`` (the lead fills them; locally: ``scripts/i18n_fill.py fill`` + compile).
"""

from __future__ import annotations

import io
import json
import re
import threading

import pytest
from flask import Flask
from openpyxl import load_workbook

from dashboard import i18n
from dashboard.components.export_buttons import export_hrefs, make_spec
from dashboard.constants import MAP_CREDIT
from dashboard.export import jobs, links
from dashboard.export import pool as render_pool
from dashboard.export.brief import brief_footer_template, brief_html
from dashboard.export.images import decorate_for_export, export_footer
from dashboard.export.tables import data_export, read_export_csv
from dashboard.routes import export as export_routes

#: Headings and labels of the English brief that must not survive in another language.
ENGLISH_BRIEF = ["Regions with a similar profile", "Methodology note", "Context statistics",
                 "Strengths and room for development", "Most room for development", "Most developed (vs. average)",
                 "Key figures", "Governance profile", "Position on the overall score", "Print / save as PDF",
                 "Back to the dashboard", "Regional brief"]


def _header(lines: list[str]) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in lines)


def test_csv_in_swedish_has_translated_headers_and_header_block_and_machine_numbers(dataset):
    with i18n.use("sv"):
        content, name = data_export(dataset, "map", "csv", {"measure": ["area:health"]}, url="/?lang=sv")
    assert name == "mipexr-map-area-health.csv"
    lines, table = read_export_csv(content)
    head = _header(lines)
    assert {"Titel", "Skala", "Ursprung", "Filter", "Vyns adress", "Exporterad"} <= set(head)
    assert "Illustrativa data" in head
    assert "Title" not in head and "Scale" not in head
    assert head["Filter"] == "mått = area:health"
    assert list(table.columns)[:4] == ["Måttkod", "Mått", "Regionkod (NUTS)", "Region"]
    assert "Poäng" in table.columns and "score" not in table.columns and "region_id" not in table.columns
    # numbers stay machine numbers: a dot before the decimals, never the Swedish comma
    scores = [v for v in table["Poäng"] if v]
    assert scores and all(re.fullmatch(r"\d+(\.\d+)?", v) for v in scores)


def test_csv_in_english_keeps_the_machine_keys(dataset):
    content, _name = data_export(dataset, "map", "csv", {"measure": ["area:health"]})
    lines, table = read_export_csv(content)
    assert lines[0].startswith("Title: ") and any(line.startswith("Scale: ") for line in lines)
    assert list(table.columns)[:4] == ["measure", "measure_label", "region_id", "name_en"]


def test_xlsx_in_swedish_has_an_about_sheet_in_swedish(dataset):
    with i18n.use("sv"):
        content, _name = data_export(dataset, "region", "xlsx", {"region": ["SE224"]})
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["profile", "Om"]
    headers = [c.value for c in wb["profile"][1]]
    assert headers[:3] == ["Regionkod (NUTS)", "Region", "Dimensionskod"]
    assert "Genomsnitt för alla regioner" in headers and "average_all_regions" not in headers
    rows = [r for r in wb["Om"].iter_rows(values_only=True) if r and r[0]]
    assert rows[0][0] == "Export från MIPEX-R Explorer"
    about = {r[0]: r[1] for r in rows}
    assert about["Titel"] == "MIPEX-R-profil för Skåne län"  # the region's own name in its own language
    assert about["Filter"] == "region = SE224"
    assert about["Vyns adress"] == "(inte angiven)"
    assert about["Kolumn"] == "Betydelse"
    column_rows = {r[0]: (r[1], r[2]) for r in rows if len(r) > 2 and r[2]}
    assert column_rows["Poäng"] == ("poäng 0–100", "score")
    assert "Title" not in about and "Column" not in about


def test_xlsx_in_greek(dataset):
    with i18n.use("el"):
        content, _name = data_export(dataset, "scores", "xlsx", {"country": ["PT"]})
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["scores", "Πληροφορίες"]
    headers = [c.value for c in wb["scores"][1]]
    assert "Κωδικός περιφέρειας (NUTS)" in headers and "Συνολική βαθμολογία" in headers
    about = {r[0]: r[1] for r in wb["Πληροφορίες"].iter_rows(values_only=True) if r and r[0]}
    assert about["Τίτλος"] == "Βαθμολογίες MIPEX-R ανά περιφέρεια και διάσταση"


@pytest.mark.parametrize("lang, heading, similar", [
    ("sv", "Metodanmärkning", "Regioner med liknande profil"),
    ("fr", "Note méthodologique", "Régions au profil similaire"),
])
def test_html_brief_in_another_language(dataset, lang, heading, similar):
    with i18n.use(lang):
        page = brief_html(dataset, ["PT20"], charts="js", plotly_js_url="/export/plotly.min.js",
                          view_url="/region/PT20")
    assert f'<html lang="{lang}">' in page
    assert heading in page and similar in page
    left = [text for text in ENGLISH_BRIEF if text in page]
    assert not left, f"English left in the {lang} brief: {left}"


def test_html_comparison_brief_in_portuguese_names_the_azores_in_portuguese(dataset):
    with i18n.use("pt"):
        page = brief_html(dataset, ["PT20", "SE224"], charts="js", plotly_js_url="/export/plotly.min.js")
    assert '<html lang="pt">' in page
    assert "Relatório comparativo: Região Autónoma dos Açores, Skåne" in page
    assert "Estatísticas de contexto" in page and "Comparison brief" not in page


def test_english_brief_is_still_english(dataset):
    page = brief_html(dataset, ["PT20"], charts="js", plotly_js_url="/export/plotly.min.js")
    assert '<html lang="en">' in page and "Regions with a similar profile" in page


def test_pdf_footer_in_swedish(dataset):
    with i18n.use("sv"):
        footer = brief_footer_template(dataset)
    assert 'Sida <span class="pageNumber"></span> av <span class="totalPages"></span>' in footer
    assert "Page " not in footer


def test_jobs_carry_the_language_through_json_and_threads(dataset, monkeypatch):
    with i18n.use("sv"):
        job = jobs.brief_html_job(["PT20"], "/region/PT20?lang=sv", "/brief/PT20.pdf?lang=sv")
    assert job["lang"] == "sv"
    wired = json.loads(json.dumps(job))  # what a Celery worker receives
    seen = []

    def fake_brief_html(dataset, region_ids, **options):
        seen.append(i18n.current())
        return i18n._("Regions with a similar profile")

    import dashboard.export.brief as export_brief

    monkeypatch.setattr(export_brief, "brief_html", fake_brief_html)
    pool = render_pool.RenderPool(workers=1, queue=1, wait=30)
    try:
        made = pool.run(lambda: jobs.make(dataset, wired))  # a pool thread: no request sets its language
    finally:
        pool.shutdown()
    assert seen == ["sv"] and made == "Regioner med liknande profil"
    assert i18n.current() == "en"
    made_here = []
    thread = threading.Thread(target=lambda: made_here.append(jobs.make(dataset, {**wired, "lang": "fr"})))
    thread.start()
    thread.join()
    assert made_here == ["Régions au profil similaire"]


def test_cache_keys_differ_by_language():
    with i18n.use("en"):
        en = jobs.brief_pdf_job(["PT20"], "/region/PT20", appendix=None)
    with i18n.use("sv"):
        sv = jobs.brief_pdf_job(["PT20"], "/region/PT20", appendix=None)
    assert jobs.key(en, "data") != jobs.key(sv, "data")
    assert jobs.key(sv, "data") == jobs.key(json.loads(json.dumps(sv)), "data")


@pytest.fixture
def client(monkeypatch):
    monkeypatch.delenv(links.PUBLIC_URL_ENV, raising=False)
    server = Flask(__name__)
    export_routes.init_app(server)
    from dashboard.i18n import web

    class _App:  # dashboard.i18n.web wants a Dash app; its request hooks are all the routes need
        def __init__(self, server):
            self.server = server
            self.interpolate_index = lambda **kw: ""

    web.init_app(_App(server))
    export_routes.cache.clear()
    pool = render_pool.RenderPool(workers=1, queue=1, wait=30)
    monkeypatch.setattr(render_pool, "_pool", pool)
    yield server.test_client()
    pool.shutdown()
    export_routes.cache.clear()


def test_export_cache_never_serves_one_language_to_another(client, monkeypatch):
    made = []

    def fake_make(dataset, job):
        made.append(job["lang"])
        with i18n.use(job["lang"]):
            return f"<html lang=\"{job['lang']}\">{i18n._('Regions with a similar profile')}</html>"

    monkeypatch.setattr(jobs, "make", fake_make)
    en = client.get("/brief/PT20.html?charts=svg")
    sv = client.get("/brief/PT20.html?charts=svg&lang=sv")
    sv_again = client.get("/brief/PT20.html?charts=svg", headers={"Accept-Language": "sv-SE,sv;q=0.9"})
    assert en.status_code == sv.status_code == sv_again.status_code == 200
    assert "Regions with a similar profile" in en.get_data(as_text=True)
    assert "Regioner med liknande profil" in sv.get_data(as_text=True)
    assert sv_again.get_data() == sv.get_data()
    assert made == ["en", "sv"], "the Swedish file is made once, then served from the cache to Swedish requests"


def test_data_route_and_errors_follow_the_request_language(client):
    csv = client.get("/export/data.csv?view=scores&country=PT&lang=de")
    lines, table = read_export_csv(csv.data)
    assert _header(lines)["Titel"] == "MIPEX-R-Punktzahlen nach Region und Dimension"
    assert "Regionscode (NUTS)" in table.columns
    bad = client.get("/export/data.csv?view=nonsense&lang=fr")
    assert bad.status_code == 400 and bad.get_data(as_text=True).startswith("Requête incorrecte : ")


def test_export_links_carry_the_language():
    spec = make_spec("map", {"measure": "overall"}, page="/", brief=True, fixed={"region": "PT20"})
    with i18n.use("sv"):
        hrefs = export_hrefs(spec, "?measure=overall&lang=sv&region=PT20")
        link = links.view_link("/", {"measure": "overall"})
    assert all(href.endswith("lang=sv") and href.count("lang=") == 1 for href in hrefs.values()), hrefs
    assert link == "/?measure=overall&lang=sv"
    english = export_hrefs(spec, "?measure=overall&region=PT20", lang="en")
    assert not any("lang=" in href for href in english.values())


def test_chart_footer_in_swedish(dataset):
    import plotly.graph_objects as go

    with i18n.use("sv"):
        lines = export_footer(dataset, is_map=True)
        fig = decorate_for_export(go.Figure(go.Bar(x=["a"], y=[1.5])), "Titel", dataset, True)
        separators = i18n.separators()
    assert i18n.translations("sv").gettext(MAP_CREDIT) in lines
    assert any(line.startswith("Exporterad ") and " från MIPEX-R Explorer" in line for line in lines)
    assert fig.layout.separators == separators and separators.startswith(",")  # Swedish decimal comma
    footer = next(a.text for a in fig.layout.annotations if a.name == "export-footer")
    assert "Exported" not in footer and "made by a documented generator" not in footer


def test_chart_svg_in_swedish(dataset, warm_browser):
    from dashboard.export.images import chart_export

    with i18n.use("sv"):
        svg, name = chart_export(dataset, "ranking", "svg", measure="overall", countries=("SE", "PT"))
    text = svg.decode("utf-8")
    assert name.endswith(".svg")
    assert "Exporterad" in text and "Exported" not in text


def test_cli_brief_in_swedish(tmp_path, capsys, warm_browser):
    from dashboard.cli import main

    out = tmp_path / "skane.html"
    assert main(["brief", "--region", "SE224", "--lang", "sv", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert '<html lang="sv">' in page and "Regional sammanfattning" in page and "Metodanmärkning" in page
    assert not [text for text in ENGLISH_BRIEF if text in page]
    assert i18n.current() == "en"


def test_cli_rejects_an_unknown_language(tmp_path, capsys):
    from dashboard.cli import main

    with pytest.raises(SystemExit):
        main(["brief", "--region", "PT20", "--lang", "xx", "--out", str(tmp_path / "b.html")])
