"""/outcomes in a real browser: the scatter from the URL, a change of outcome updates the URL, no console error."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from dashboard import ids
from tests.e2e.conftest import (
    assert_no_console_errors,
    external_requests,
    wait_for,
    wait_until,
)

pytestmark = pytest.mark.e2e


def test_outcomes_page_from_the_url_and_back(app_url, browser):
    browser.get(app_url + "/outcomes?x=area:labour_market&y=unemployment_non_eu&mode=gap&region=PT20")
    wait_for(browser, f"#{ids.OUTCOMES_GRAPH} .scatterlayer .point", timeout=45)
    points = browser.find_elements(By.CSS_SELECTOR, f"#{ids.OUTCOMES_GRAPH} .scatterlayer .point")
    assert len(points) == 25
    assert "Azores" in browser.find_element(By.CSS_SELECTOR, f"#{ids.OUTCOMES_GRAPH}").text
    summary = browser.find_element(By.CSS_SELECTOR, f"#{ids.OUTCOMES_SUMMARY}").text
    assert "Pearson" in summary and "n = 25" in summary and "not cause" in summary
    table = browser.find_element(By.CSS_SELECTOR, f"#{ids.OUTCOMES_TABLE}").text
    assert "Azores" in table and "Governance:" in table and "Outcomes: Eurostat lfst_r_lfur2gan" in table

    Select(browser.find_element(By.ID, ids.OUTCOMES_Y)).select_by_value("neet_non_eu")
    wait_until(lambda: "y=neet_non_eu" in browser.current_url, message="URL follows the outcome")
    wait_until(lambda: "edat_lfse_38" in browser.find_element(By.CSS_SELECTOR, f"#{ids.OUTCOMES_TABLE}").text,
               message="table follows the outcome")
    assert "region=PT20" in browser.current_url and "mode=gap" in browser.current_url
    # the export row under the scatter follows the page's URL (chart and the data behind it)
    csv_link = ".mx-export a[data-fmt='csv']"
    wait_until(lambda: "y=neet_non_eu" in browser.find_element(By.CSS_SELECTOR, csv_link).get_attribute("href"),
               message="the export links follow the outcome")
    href = browser.find_element(By.CSS_SELECTOR, csv_link).get_attribute("href")
    assert "view=policy-outcomes" in href and "region=PT20" in href and "mode=gap" in href
    images = browser.find_elements(By.CSS_SELECTOR, ".mx-export a[data-fmt='png'], .mx-export button")
    assert images, "PNG/SVG/PDF links (Chromium on the server) or in-browser image buttons are shown"
    assert_no_console_errors(browser)
    assert external_requests(browser) == []


def test_profile_drilldown_and_published_text(app_url, browser):
    browser.get(app_url + "/region/PT20")
    wait_for(browser, f"#{ids.REGION_DRILLDOWN} details", timeout=45)
    published = browser.find_element(By.ID, ids.REGION_PUBLISHED).text
    assert "limited financial resources" in published and "REGIN" in published
    first = browser.find_element(By.CSS_SELECTOR, f"#{ids.REGION_DRILLDOWN} details summary")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", first)
    browser.execute_script("arguments[0].click();", first)  # a keyboard/mouse toggle of the native <details>
    wait_until(lambda: browser.find_element(By.CSS_SELECTOR, f"#{ids.REGION_DRILLDOWN} details table").is_displayed(),
               message="the dimension opens")
    assert browser.find_element(By.ID, ids.REGION_OUTCOMES).text
    assert_no_console_errors(browser)
