"""Browser: export rows follow the page's address and the image size with no request to the server (the links are
made in the page, ``assets/45-export-links.js``), and a page's first draw asks nothing for its export rows."""

from __future__ import annotations

import json
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from dashboard import ids
from dashboard.export.browser import browser_available, browser_problem
from tests.e2e.conftest import assert_no_console_errors, wait_for, wait_until

pytestmark = pytest.mark.e2e

UPDATE = "/_dash-update-component"


def _dash_requests(browser) -> list[str]:
    """The outputs of the callback requests sent since the last call (drains the performance log); a request
    whose body the log does not hold counts as "?"."""
    outputs = []
    for entry in browser.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") != "Network.requestWillBeSent" or UPDATE not in msg["params"]["request"]["url"]:
            continue
        try:
            outputs.append(json.loads(msg["params"]["request"].get("postData") or "{}").get("output", "?"))
        except ValueError:
            outputs.append("?")
    return outputs


def _quiet(browser, seconds: float = 1.5) -> list[str]:
    """Let the page settle (no request for ``seconds``), then return the callback requests it sent."""
    seen: list[str] = []
    deadline = time.time() + 30
    while time.time() < deadline:
        time.sleep(seconds)
        new = _dash_requests(browser)
        if not new:
            return seen
        seen += new
    return seen


def _hrefs(browser, loc: str, fmt: str) -> list[str]:
    return [a.get_attribute("href") for a in
            browser.find_elements(By.CSS_SELECTOR, f'a[data-fmt="{fmt}"][id*="{loc}"]')]


def _choose_a4(browser, loc: str) -> None:
    select = next(s for s in browser.find_elements(By.CSS_SELECTOR, f'select[id*="{ids.EXPORT_SIZE_TYPE}"]'
                                                                     f'[id*="{loc}"]') if s.is_displayed())
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", select)
    Select(select).select_by_value("a4")


@pytest.fixture
def server_images():
    if not browser_available():
        pytest.skip(f"the image links and their size selector need Chromium on the server: {browser_problem()}")


def test_region_page_links_follow_the_size_without_a_request(app_url, browser, server_images):
    browser.get(f"{app_url}/region/PT20")
    wait_for(browser, ".js-plotly-plot", timeout=45)
    mount = _quiet(browser)
    assert not [o for o in mount if ids.EXPORT_LINK_TYPE in o], f"export callbacks on the first draw: {mount}"
    pngs = _hrefs(browser, ids.REGION_LOCATION, "png")
    assert len(pngs) >= 4 and all("size=slide" in h and "region=PT20" in h for h in pngs), pngs
    briefs = _hrefs(browser, ids.REGION_LOCATION, "brief-pdf")

    _choose_a4(browser, ids.REGION_LOCATION)
    wait_until(lambda: all("size=a4" in h for h in _hrefs(browser, ids.REGION_LOCATION, "png") + [
        browser.current_url]), message="every image link and the address at A4")
    assert _quiet(browser) == [], "a size change asks the server nothing for the links"
    after = _hrefs(browser, ids.REGION_LOCATION, "png")
    assert after == [h.replace("size=slide", "size=a4") for h in pngs]
    assert _hrefs(browser, ids.REGION_LOCATION, "brief-pdf") == briefs
    assert_no_console_errors(browser)


def test_compare_links_follow_the_regions_and_size_in_french(app_url, browser, server_images):
    browser.get(f"{app_url}/compare?regions=PT20,ES51&lang=fr")
    wait_for(browser, f"#{ids.compare_radar('area')} .legendtext", timeout=45)
    mount = _quiet(browser)
    assert not [o for o in mount if ids.EXPORT_LINK_TYPE in o], f"export callbacks on the first draw: {mount}"
    assert _hrefs(browser, ids.COMPARE_URL, "brief-pdf") == [f"{app_url}/brief/PT20,ES51.pdf?page=/compare&lang=fr"]

    # a third region: the page's own callback answers (one request) and writes ?regions=…; the links follow
    button = browser.find_element(By.ID, ids.COMPARE_REGIONS)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", button)
    option = wait_for(browser, "[role=option] input[value='PT17']")
    browser.execute_script("arguments[0].closest('[role=option]').click();", option)
    wait_until(lambda: _hrefs(browser, ids.COMPARE_URL, "brief-pdf") == [
        f"{app_url}/brief/PT20,ES51,PT17.pdf?page=/compare&lang=fr"], message="the brief link to follow")
    sent = _quiet(browser)
    assert len(sent) == 1 and ids.COMPARE_REGIONS in sent[0], f"one request, the page's own: {sent}"
    svgs = _hrefs(browser, ids.COMPARE_URL, "svg")
    assert len(svgs) == 6 and all("regions=PT20,ES51,PT17" in h and h.endswith("&lang=fr") for h in svgs), svgs
    csv = _hrefs(browser, ids.COMPARE_URL, "csv")
    assert csv == [f"{app_url}/export/data.csv?view=compare&regions=PT20,ES51,PT17&page=/compare&lang=fr"], csv

    _choose_a4(browser, ids.COMPARE_URL)
    wait_until(lambda: all("size=a4" in h for h in _hrefs(browser, ids.COMPARE_URL, "png")),
               message="every image link at A4")
    assert _quiet(browser) == [], "a size change asks the server nothing for the links"
    assert "size=a4" in browser.current_url
    assert all(h.endswith("&lang=fr") for h in _hrefs(browser, ids.COMPARE_URL, "png")), "still in French"
    assert_no_console_errors(browser)


def test_explore_and_outcomes_rows_follow_without_a_request(app_url, browser, server_images):
    for path, loc in (("/explore?measure=area:health", ids.EXPLORE_URL), ("/outcomes", ids.OUTCOMES_URL)):
        browser.get(app_url + path)
        wait_for(browser, ".js-plotly-plot", timeout=45)
        mount = _quiet(browser)
        assert not [o for o in mount if ids.EXPORT_LINK_TYPE in o], f"{path}: export callbacks on mount: {mount}"
        _choose_a4(browser, loc)
        wait_until(lambda: all("size=a4" in h for h in _hrefs(browser, loc, "png")) and _hrefs(browser, loc, "png"),
                   message=f"{path}: image links at A4")
        assert _quiet(browser) == [], f"{path}: a size change asks the server nothing"
    assert_no_console_errors(browser)


def test_map_row_follows_the_measure_without_a_request(app_url, browser):
    browser.get(f"{app_url}/?measure=area:health")
    wait_for(browser, f"#{ids.MAP_GRAPH} .js-plotly-plot .choroplethlayer", timeout=45)
    wait_until(lambda: browser.execute_script("return window.mipexrMapValues.loaded().length") == 1,
               message="the map's values fetched")
    mount = _quiet(browser)
    assert not [o for o in mount if ids.EXPORT_LINK_TYPE in o], f"export callbacks on the first draw: {mount}"
    Select(wait_for(browser, f"#{ids.MAP_MEASURE}")).select_by_value("phase:evaluation")
    wait_until(lambda: _hrefs(browser, ids.MAP_LOCATION, "csv") == [
        f"{app_url}/export/data.csv?view=map&measure=phase:evaluation&page=/"], message="the CSV link to follow")
    assert _quiet(browser) == [], "the map changed in the browser: no request, for the links neither"
    assert_no_console_errors(browser)


def test_map_keeps_the_chosen_size_in_the_address_across_changes(app_url, browser, server_images):
    """The map's callbacks keep size= in the query they write (the size script does not run after each change)."""
    browser.get(f"{app_url}/?measure=area:health")
    wait_for(browser, f"#{ids.MAP_GRAPH} .js-plotly-plot .choroplethlayer", timeout=45)
    _quiet(browser)
    _choose_a4(browser, ids.MAP_LOCATION)
    wait_until(lambda: "size=a4" in browser.current_url, message="the size in the address bar")
    Select(wait_for(browser, f"#{ids.MAP_MEASURE}")).select_by_value("phase:evaluation")
    wait_until(lambda: "measure=phase:evaluation" in browser.current_url, message="the measure in the address")
    assert "size=a4" in browser.current_url, browser.current_url
    wait_until(lambda: all("size=a4" in h and "measure=phase:evaluation" in h
                           for h in _hrefs(browser, ids.MAP_LOCATION, "png")) and _hrefs(browser, ids.MAP_LOCATION,
                                                                                        "png"),
               message="the PNG link at A4 for the new measure")
    button = browser.find_element(By.CSS_SELECTOR, f'#{ids.MAP_REGION_LIST} [data-region="PT20"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", button)
    wait_until(lambda: "region=PT20" in browser.current_url, message="the region in the address")
    assert "size=a4" in browser.current_url, browser.current_url
    browser.refresh()
    wait_for(browser, f"#{ids.MAP_GRAPH} .js-plotly-plot .choroplethlayer", timeout=45)
    wait_until(lambda: all("size=a4" in h for h in _hrefs(browser, ids.MAP_LOCATION, "png"))
               and _hrefs(browser, ids.MAP_LOCATION, "png"), message="the PNG link at A4 after the reload")
    assert_no_console_errors(browser)
