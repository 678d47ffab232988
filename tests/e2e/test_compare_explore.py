"""Compare, Explore, Methodology, Data and Self-assessment in a real browser (few, quick)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from dashboard import config, data, ids, scoring
from dashboard.export.browser import browser_available
from tests.e2e.conftest import (
    assert_no_console_errors,
    click,
    external_requests,
    wait_for,
    wait_until,
)

pytestmark = pytest.mark.e2e


def _css_id(component_id) -> str:
    """CSS selector of a (possibly pattern-matching) Dash id."""
    if isinstance(component_id, dict):
        text = json.dumps(component_id, sort_keys=True, separators=(",", ":"))
        return f"[id='{text}']"
    return f"#{component_id}"


def _table_text(browser, table_id: str) -> str:
    return browser.find_element(By.CSS_SELECTOR, f"#{table_id}").text


def test_compare_three_regions_from_the_url(app_url, browser):
    browser.get(app_url + "/compare?regions=PT20,PT17,ES51")
    wait_for(browser, f"#{ids.compare_radar('area')} .legendtext", timeout=45)
    names = ("Azores", "Lisbon Metropolitan Area", "Catalonia")
    for axis in ("element", "phase", "area"):
        legend = [e.text for e in browser.find_elements(By.CSS_SELECTOR, f"#{ids.compare_radar(axis)} .legendtext")]
        assert all(n in legend for n in names), legend
        assert any("Average of all regions" in t for t in legend)
    table = _table_text(browser, ids.COMPARE_TABLE)
    assert all(n in table for n in names) and "Overall score" in table
    assert "ILLUSTRATIVE" in browser.find_element(By.CSS_SELECTOR, ".mx-source").text

    # every chart (3 radars, TCN/BIP, 2 bar charts) has its own image row, for the regions of the page
    if browser_available():
        svg = browser.find_elements(By.CSS_SELECTOR, f'a[data-fmt="svg"][id*="{ids.COMPARE_URL}"]')
        hrefs = [a.get_attribute("href") for a in svg]
        assert len(hrefs) == 6 and all("regions=PT20,PT17,ES51" in h for h in hrefs), hrefs
        assert sum("chart=radar" in h for h in hrefs) == 3 and any("axis=phase" in h for h in hrefs)
    else:
        assert len(browser.find_elements(By.CSS_SELECTOR, 'button[id*="export-client"][id*="svg"]')) == 6
    # the top row (data and briefs) has no image size selector to show
    top_size = browser.find_element(By.CSS_SELECTOR, _css_id(ids.export_size(ids.COMPARE_URL, "data-compare")))
    assert not top_size.is_displayed()
    assert_no_console_errors(browser)
    assert external_requests(browser) == []


def test_explore_filter_changes_url_and_table(app_url, browser):
    browser.get(app_url + "/explore?measure=area:health&country=IT,ES&sort=desc")
    wait_for(browser, f"#{ids.EXPLORE_TABLE} .ag-cell", timeout=45)
    before = _table_text(browser, ids.EXPLORE_TABLE)
    assert "Actions" in before and "Italy" in before and "Austria" not in before
    assert not browser.find_element(By.ID, ids.EXPLORE_PAGER).is_displayed()  # 25 regions: the ranking drawn whole

    Select(browser.find_element(By.ID, ids.EXPLORE_AXIS)).select_by_value("area")
    wait_until(lambda: "axis=area" in browser.current_url, message="axis=area in the URL")
    wait_until(lambda: "Actions" not in _table_text(browser, ids.EXPLORE_TABLE), message="table without Actions")
    assert "measure=area:health" in browser.current_url and "country=IT,ES" in browser.current_url

    Select(browser.find_element(By.ID, ids.EXPLORE_SORT)).select_by_value("asc")
    wait_until(lambda: "sort=asc" in browser.current_url, message="sort=asc in the URL")

    def first_rank():
        cells = browser.find_elements(By.CSS_SELECTOR, f"#{ids.EXPLORE_TABLE} .ag-row[row-index='0'] .ag-cell[col-id='rank']")
        return cells[0].text if cells else ""

    wait_until(lambda: first_rank() not in ("", "1"), message="lowest score first")
    assert_no_console_errors(browser)


def test_methodology_and_data_pages_load_and_a_bad_upload_is_explained(app_url, browser, tmp_path):
    browser.get(app_url + "/methodology#data")
    section = wait_for(browser, f"#{ids.METHODOLOGY_DATA}")
    rule = browser.find_element(By.ID, ids.METHODOLOGY_RULE).text
    assert scoring.DEFAULT_RULE.describe()[0] in rule
    assert "ILLUSTRATIVE" in section.text
    wait_for(browser, f"#{ids.METHODOLOGY_FRAMEWORK} .ag-cell")
    assert "EuroGeographics" in browser.find_element(By.TAG_NAME, "body").text
    assert_no_console_errors(browser)

    browser.get(app_url + "/data")
    summary = wait_for(browser, f"#{ids.DATA_SUMMARY}")
    assert "ILLUSTRATIVE" in summary.text
    lines = (config.EMBEDDED_DATA_DIR / "answers.csv").read_text(encoding="utf-8").splitlines()
    lines[4] = ",".join(lines[4].split(",")[:-1] + ["150"])
    bad = tmp_path / "answers_bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    upload = browser.find_element(By.CSS_SELECTOR, f"{_css_id(ids.data_upload('answers'))} input[type=file]")
    upload.send_keys(str(bad))
    alert = wait_until(lambda: browser.find_element(By.ID, ids.DATA_PREVIEW).get_attribute("textContent"),
                       message="check message")
    assert "answers_bad.csv" in alert and "row 5" in alert and "column 'value'" in alert
    assert "Nothing was changed" in alert
    assert not browser.find_element(By.ID, ids.DATA_KEEP_PRIVATE).is_enabled()
    assert "Illustrative data" in browser.find_element(By.ID, ids.NOTICE).text

    # a file over the limit never reaches the server; the page says so beside that upload
    huge = tmp_path / "outcomes_huge.csv"
    with huge.open("wb") as handle:
        handle.truncate(data.MAX_FILE_BYTES + 1024 * 1024)
    upload = browser.find_element(By.CSS_SELECTOR, f"{_css_id(ids.data_upload('outcomes'))} input[type=file]")
    upload.send_keys(str(huge))
    box = wait_for(browser, ".mx-upload-wrap .mx-upload-too-big:not([hidden])")
    text = box.get_attribute("textContent")  # inside the folded "replace one part" section
    assert "outcomes_huge.csv" in text and "the limit is 20 MB" in text
    assert "keeps the previous data" in text
    assert_no_console_errors(browser)


def test_self_assessment_scores_live(app_url, browser):
    browser.get(app_url + "/self-assessment")
    wait_for(browser, f"#{ids.SA_SUMMARY}")
    first = browser.find_element(By.CSS_SELECTOR, f"{_css_id(ids.sa_answer('antidiscrimination.strategy'))} label")
    assert "(100)" in first.text
    click(browser, first)
    wait_until(lambda: "1 of 61 questions answered" in browser.find_element(By.ID, ids.SA_SUMMARY).text,
               message="one answer counted")
    assert "100" in browser.find_element(By.CSS_SELECTOR, f"#{ids.SA_SUMMARY} .mx-score").text
    assert "Progress: 1 of 61" in browser.find_element(By.ID, ids.SA_PROGRESS).text
    assert "What would move the score most" in browser.find_element(By.ID, ids.SA_GAINS).text
    assert "python -m" not in browser.find_element(By.TAG_NAME, "main").text  # no shell commands on the page
    # an answer patches the radars' traces only: the region's trace has its score, the average and the chart's
    # title and layout stay
    radar = lambda: browser.execute_script(  # noqa: E731
        "const gd = document.querySelector('#%s .js-plotly-plot');"
        "return {r: gd.data[0].r, names: gd.data.map(t => t.name), title: gd.layout.title.text,"
        "        drawn: document.querySelectorAll('#%s .scatterlayer .trace').length};"
        % (ids.sa_radar("area"), ids.sa_radar("area")))
    wait_until(lambda: 100 in radar()["r"], message="the area radar shows the answer")
    shown = radar()
    assert len(shown["names"]) == 2 and shown["drawn"] == 2 and "(0–100)" in shown["title"], shown

    # resume from a saved file: the answers come back, the name too
    from dashboard.callbacks.self_assessment import answers_file
    from dashboard.data import load_dataset

    saved = Path(browser.download_dir) / "mipexr-self-assessment-resume.csv"
    saved.write_bytes(answers_file(load_dataset(), {"health.strategy": "50", "general.strategy": "100"},
                                   "Resumeland", "", "csv")[0])
    browser.find_element(By.CSS_SELECTOR, f"#{ids.SA_UPLOAD} input[type=file]").send_keys(str(saved))
    wait_until(lambda: "2 of 61 questions answered" in browser.find_element(By.ID, ids.SA_UPLOAD_STATUS).text,
               message="the saved answers loaded")
    wait_until(lambda: "Resumeland" in browser.find_element(By.ID, ids.SA_SUMMARY).text
               and "2 of 61 questions answered" in browser.find_element(By.ID, ids.SA_SUMMARY).text,
               message="the page scored the loaded answers")

    # the radar's PNG button sends the image the server made of the page's answers
    if browser_available():
        folder = Path(browser.download_dir)
        browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})
        target = folder / "mipexr-self-assessment-area-slide.png"
        target.unlink(missing_ok=True)
        button = browser.find_element(By.CSS_SELECTOR, _css_id(ids.image_button("sa", "area", "png")))
        click(browser, button)
        wait_until(lambda: target.exists() and target.stat().st_size > 0, timeout=60, message="radar PNG download")
        time.sleep(0.3)
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert_no_console_errors(browser)
