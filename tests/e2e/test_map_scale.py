"""The map at the scale of every NUTS-2 unit: a synthetic package of all NUTS-2 units of the boundary files is
generated into a temporary folder (never committed) and served by its own app process (``MIPEXR_DATA_DIR``); in
headless Chromium the map draws every unit, loading the page fires no callback beyond the page render, and a
measure change re-colours the map and re-orders the list with no console error and nothing off the machine."""

from __future__ import annotations

import json
import time
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from dashboard import ids
from tests.e2e.conftest import (
    LOCAL_HOSTS,
    assert_no_console_errors,
    serve_synthetic,
    wait_for,
    wait_until,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def nuts2_app(tmp_path_factory):
    """(base URL, dataset) of an app serving every NUTS-2 unit of the boundary files."""
    from dashboard import data

    work = tmp_path_factory.mktemp("nuts2")
    with serve_synthetic(work, level=2) as (base, _regions):
        yield base, data.load_dataset(work / "package")


def _requests(browser) -> tuple[list[str], list[str]]:
    """(outputs of the callback requests, URLs off the machine) since the last call (drains the log)."""
    callbacks, external = [], []
    for entry in browser.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") != "Network.requestWillBeSent":
            continue
        request = msg["params"]["request"]
        parsed = urlparse(request["url"])
        if parsed.scheme in ("http", "https") and parsed.hostname not in LOCAL_HOSTS:
            external.append(request["url"])
        if parsed.path.endswith("/_dash-update-component"):
            callbacks.append(json.loads(request.get("postData") or "{}").get("output", "?"))
    return callbacks, external


def _drawn(browser) -> set[str]:
    return set(browser.execute_script(
        "return Array.from(document.querySelectorAll('#%s .choroplethlocation'))"
        ".map(p => p.__data__ && p.__data__.loc).filter(Boolean);" % ids.MAP_GRAPH))


def _first_in_list(browser) -> str:
    items = browser.find_elements(By.CSS_SELECTOR, f"#{ids.MAP_REGION_LIST} button")
    return items[0].get_attribute("data-region") if items else ""


def test_every_nuts2_unit_is_drawn_and_a_measure_change_completes(nuts2_app, browser):
    base, dataset = nuts2_app
    region_ids = set(dataset.regions["region_id"])
    assert len(region_ids) > 300  # every NUTS-2 unit of the files (333 in the 2021 1:20M file)
    browser.get(base + "/")
    wait_for(browser, f"#{ids.MAP_GRAPH} .choroplethlocation", timeout=60)
    wait_until(lambda: region_ids <= _drawn(browser), timeout=60, message="every region drawn on the map")
    heading = browser.find_element(By.ID, ids.MAP_HEADING).text
    assert heading == f"Migrant integration governance in {len(region_ids)} European regions"
    assert len(browser.find_elements(By.CSS_SELECTOR, f"#{ids.MAP_REGION_LIST} button")) == len(region_ids)
    time.sleep(1)  # anything the page would fire on mount has been sent by now
    callbacks, external = _requests(browser)
    assert callbacks == [".._pages_content.children..._pages_store.data.."], callbacks  # only the page render

    table = dataset.scores_table()
    best = table.sort_values(["area:health", "name_en"], ascending=[False, True]).index[0]
    Select(browser.find_element(By.ID, ids.MAP_MEASURE)).select_by_value("area:health")
    wait_until(lambda: "Health" in browser.execute_script(
        "const t = document.querySelector('#%s .mx-legend-title'); return t ? t.textContent : '';" % ids.MAP_LEGEND),
        timeout=30, message="the colour legend's title follows the measure")
    wait_until(lambda: _first_in_list(browser) == best, timeout=30, message="list sorted by Health")
    assert region_ids <= _drawn(browser)
    callbacks, more_external = _requests(browser)
    # beyond VALUES_MAX_REGIONS the server answers each change (the list's order among what it sends)
    assert any(ids.MAP_LIST_ROWS in c for c in callbacks)
    assert external + more_external == []
    assert_no_console_errors(browser)
