"""State in the address bar, in a real browser: the Integration Lab's filters, the Explore table's column sort
and the export image size (slide / A4) reach the URL and come back after a reload."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from dashboard import ids
from tests.e2e.conftest import assert_no_console_errors, wait_for, wait_until

pytestmark = pytest.mark.e2e


def _settled(browser) -> bool:
    return browser.execute_script("return !document.querySelector('[data-dash-is-loading=\"true\"]')")


def test_lab_filters_reach_the_address_bar_and_come_back(app_url, browser):
    browser.get(app_url + "/lab")
    box = wait_for(browser, f"#{ids.LAB_SEARCH}")
    before = browser.find_element(By.ID, ids.LAB_RESULT_COUNT).text
    box.send_keys("language")
    box.send_keys(Keys.ENTER)
    wait_until(lambda: "q=language" in browser.current_url, message="the search in the address bar")
    wait_until(lambda: browser.find_element(By.ID, ids.LAB_RESULT_COUNT).text != before, message="filtered list")
    count = browser.find_element(By.ID, ids.LAB_RESULT_COUNT).text
    url = browser.current_url

    browser.refresh()
    box = wait_for(browser, f"#{ids.LAB_SEARCH}")
    assert box.get_attribute("value") == "language"
    assert browser.current_url == url
    wait_until(lambda: browser.find_element(By.ID, ids.LAB_RESULT_COUNT).text == count, message="same count")
    assert_no_console_errors(browser)


def _size_css(key: str) -> str:
    import json

    text = json.dumps(ids.export_size(ids.EXPLORE_URL, key), sort_keys=True, separators=(",", ":"))
    return f"[id='{text}']"


def _header(browser, col: str):
    return wait_for(browser, f"#{ids.EXPLORE_TABLE} .ag-header-cell[col-id='{col}']")


def test_explore_table_sort_and_image_size_survive_a_reload(app_url, browser):
    browser.get(app_url + "/explore?measure=overall")
    header = _header(browser, "overall")
    wait_until(lambda: _settled(browser), message="explore settled")
    time.sleep(0.5)
    label = header.find_element(By.CSS_SELECTOR, ".ag-header-cell-label")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", label)
    time.sleep(0.3)
    label.click()  # ascending
    wait_until(lambda: "tsort=overall:asc" in browser.current_url, message="the sort in the address bar")
    assert _header(browser, "overall").get_attribute("aria-sort") == "ascending"

    # the image size of one row: every row follows, the address keeps it, links use it
    size = Select(browser.find_element(By.CSS_SELECTOR, _size_css("ranking-explore")))
    size.select_by_value("a4")
    wait_until(lambda: "size=a4" in browser.current_url, message="the size in the address bar")
    png = 'a[data-fmt="png"][id*="ranking-explore"]'
    wait_until(lambda: "size=a4" in browser.find_element(By.CSS_SELECTOR, png).get_attribute("href"),
               message="the PNG link at A4")

    # a filter change rewrites the query: the sort and the size stay in it
    Select(browser.find_element(By.ID, ids.EXPLORE_SORT)).select_by_value("asc")
    try:
        wait_until(lambda: "sort=asc" in browser.current_url and "tsort=overall:asc" in browser.current_url
                   and "size=a4" in browser.current_url, timeout=10, message="sort and size kept after a filter change")
    except AssertionError as exc:
        raise AssertionError(f"{exc}: {browser.current_url}") from None

    browser.refresh()
    wait_until(lambda: _header(browser, "overall").get_attribute("aria-sort") == "ascending",
               message="the table sorted again after the reload")
    wait_until(lambda: _settled(browser), message="explore settled")
    heat = _size_css("heatmap-explore")
    wait_until(lambda: Select(browser.find_element(By.CSS_SELECTOR, heat)).first_selected_option.get_attribute(
        "value") == "a4", message="the size selector at A4 after the reload")
    wait_until(lambda: "size=a4" in browser.find_element(By.CSS_SELECTOR, png).get_attribute("href"),
               message="the PNG link at A4 after the reload")
    assert "tsort=overall:asc" in browser.current_url and "size=a4" in browser.current_url
    assert_no_console_errors(browser)
