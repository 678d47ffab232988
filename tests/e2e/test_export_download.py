"""Browser: the export row under the map follows the page's state, and its links deliver real files."""

from __future__ import annotations

import io
import struct
import time
import urllib.request
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from dashboard import ids
from dashboard.constants import ILLUSTRATIVE_EXPORT_TEXT
from dashboard.export.browser import browser_available, browser_problem
from dashboard.export.tables import read_export_csv
from tests.e2e.conftest import (
    assert_no_console_errors,
    external_requests,
    wait_for,
    wait_until,
)

pytestmark = pytest.mark.e2e


def _allow_downloads(browser) -> Path:
    folder = Path(browser.download_dir)
    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})
    return folder


def _download(browser, folder: Path, css: str, name: str, timeout: float = 60) -> bytes:
    target = folder / name
    target.unlink(missing_ok=True)
    link = wait_for(browser, css)
    for _ in range(3):  # the page may still shift while charts render: scroll, let it settle, click
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", link)
        time.sleep(0.3)
        try:
            link.click()
            break
        except Exception:  # noqa: BLE001 - ElementClickIntercepted while the layout moves
            continue
    else:
        raise AssertionError(f"could not click {css}")
    wait_until(lambda: target.exists() and not (folder / f"{name}.crdownload").exists() and target.stat().st_size > 0,
               timeout=timeout, message=f"download of {name}")
    time.sleep(0.2)
    return target.read_bytes()


def _row_link(fmt: str, loc: str = ids.MAP_LOCATION) -> str:
    return f'a[data-fmt="{fmt}"][id*="{loc}"]'


def test_map_row_follows_the_measure_and_downloads_csv_and_png(app_url, browser, dataset):
    from selenium.webdriver.support.ui import Select

    folder = _allow_downloads(browser)
    browser.get(f"{app_url}/?measure=area:health")
    wait_for(browser, f"#{ids.MAP_GRAPH} .js-plotly-plot .choroplethlayer", timeout=30)
    csv_link = wait_for(browser, _row_link("csv"))
    assert "measure=area:health" in csv_link.get_attribute("href")

    Select(wait_for(browser, f"#{ids.MAP_MEASURE}")).select_by_value("phase:evaluation")
    wait_until(lambda: "measure=phase:evaluation" in browser.find_element("css selector", _row_link("csv"))
               .get_attribute("href"), message="the CSV link to follow the measure")

    content = _download(browser, folder, _row_link("csv"), "mipexr-map-phase-evaluation.csv")
    header, table = read_export_csv(content)
    scores = dataset.wide_scores["phase:evaluation"]  # the map's table: every region, by name, scores to 2 dp
    names = dict(zip(dataset.regions["region_id"], dataset.regions["name_en"]))
    assert table["region_id"].tolist() == sorted(scores.index, key=names.get)
    assert table["score"].astype(float).tolist() == pytest.approx([scores[r] for r in table["region_id"]],
                                                                  abs=0.005 + 1e-9)
    # the view link: the page's canonical query, relative (no MIPEXR_PUBLIC_URL), never the browser's Host
    assert "View URL: /?measure=phase:evaluation" in header, header

    if browser_available():
        png = _download(browser, folder, _row_link("png"), "mipexr-map-phase-evaluation-slide.png")
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1920, 1080)
    assert external_requests(browser) == []
    assert_no_console_errors(browser)


def test_region_page_brief_pdf_download(app_url, browser):
    if not browser_available():
        pytest.skip(f"needs Chromium for the PDF brief: {browser_problem()}")
    folder = _allow_downloads(browser)
    browser.get(f"{app_url}/region/PT20")
    wait_for(browser, ".js-plotly-plot", timeout=30)
    content = _download(browser, folder, 'a[data-fmt="brief-pdf"]', "mipexr-brief-pt20.pdf")
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert 1 <= len(reader.pages) <= 2 and "Azores" in text and ILLUSTRATIVE_EXPORT_TEXT in text

    # each radar and the TCN/BIP bars carry their own image row; the phase radar's SVG is that radar
    phase_svg = wait_for(browser, f'a[data-fmt="svg"][id*="{ids.REGION_LOCATION}"][href*="axis=phase"]')
    assert browser.find_elements("css selector", 'a[data-fmt="svg"][href*="chart=target"]')
    with urllib.request.urlopen(phase_svg.get_attribute("href"), timeout=120) as response:
        root = ElementTree.fromstring(response.read())
    texts = " ".join(t for t in root.itertext())
    assert root.tag.endswith("svg") and "Azores" in texts and "Evaluation" in texts
    assert_no_console_errors(browser)


def test_without_chromium_the_row_downloads_from_the_browser(app_url, browser, monkeypatch):
    """No Chromium on the server: PNG/SVG buttons make the image in the browser (plotly.js), CSV still works."""
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    folder = _allow_downloads(browser)
    browser.get(f"{app_url}/?measure=area:housing")
    wait_for(browser, f"#{ids.MAP_GRAPH} .js-plotly-plot .choroplethlayer", timeout=30)
    assert not browser.find_elements("css selector", _row_link("png")), "no server PNG link without Chromium"
    svg = _download(browser, folder, 'button[id*="export-client"][id*="svg"]', "mipexr-map.svg")
    assert svg.lstrip().startswith(b"<svg") and b"Housing" in svg
    csv = _download(browser, folder, _row_link("csv"), "mipexr-map-area-housing.csv")
    assert b"area:housing" in csv
    assert_no_console_errors(browser)
