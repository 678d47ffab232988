"""Explore & rank at the scale of every NUTS-3 unit (issue 16): a synthetic package of all NUTS-3 units of the
boundary files (1,512 in the 2021 1:20M file) is generated into a temporary folder (never committed) and served by
its own app process. In headless Chromium the page draws a page of the ranking and one heat-map row per country;
"Next" turns the ranking's page; a click on a country's row drills down to that country's regions; no serious
axe violation in the page control and the heat-map's text (the whole page is checked at 25 regions by
test_accessibility.py), no console error, nothing off the machine."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from dashboard import i18n, ids
from tests.e2e.axe import describe, run_axe, serious_or_worse
from tests.e2e.conftest import assert_no_console_errors, click, external_requests, serve_synthetic, wait_until

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def nuts3_app(tmp_path_factory):
    """(base URL, regions table) of an app serving every NUTS-3 unit of the boundary files."""
    with serve_synthetic(tmp_path_factory.mktemp("nuts3"), level=3) as (base, regions):
        yield base, regions


def _bars(browser) -> list[str]:
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('#%s .yaxislayer-above .ytick text')).map(t => t.textContent);"
        % ids.EXPLORE_RANKING)


def _ranks(bars: list[str]) -> list[int]:
    return [int(b.split(".")[0]) for b in bars]


def _rows(browser) -> list[str]:
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('#%s .yaxislayer-above .ytick text')).map(t => t.textContent);"
        % ids.EXPLORE_HEATMAP)


def _drawn(browser) -> bool:
    return browser.execute_script(
        "return !!document.querySelector('#%s .barlayer .point path') && "
        "!!document.querySelector('#%s .hm image') && "
        "!document.querySelector('[data-dash-is-loading=\"true\"]');" % (ids.EXPLORE_RANKING, ids.EXPLORE_HEATMAP))


def test_explore_pages_the_ranking_and_drills_down_from_countries(nuts3_app, browser):
    base, regions = nuts3_app
    total = len(regions)
    assert total > 1000  # every NUTS-3 unit of the files (1,512 in the 2021 1:20M file)
    per_country = regions.groupby("country").size()
    browser.set_script_timeout(120)  # a loaded machine can keep the page's main thread busy for long
    try:
        _pages_and_drill_down(browser, base, regions, total, per_country)
    finally:
        browser.set_script_timeout(30)


def _pages_and_drill_down(browser, base, regions, total, per_country):
    browser.get(base + "/explore")
    wait_until(lambda: _drawn(browser), timeout=180, message="ranking and heat-map drawn")
    assert len(_bars(browser)) == 50 and min(_ranks(_bars(browser))) == 1
    rows = _rows(browser)
    assert len(rows) == len(per_country)  # one row per country, with its number of regions
    with i18n.use("en"):
        germany = f"{i18n.country_name('DE')} ({per_country['DE']})"
    assert germany in rows
    pager = browser.find_element(By.ID, ids.EXPLORE_PAGER)
    assert pager.is_displayed() and pager.get_attribute("aria-label") == "Pages of the ranking"
    status = browser.find_element(By.ID, ids.EXPLORE_PAGER_TEXT)
    assert status.text == f"Regions 1–50 of {total:,}"
    assert not browser.find_element(By.ID, ids.EXPLORE_PREV).is_enabled()
    for part in (ids.EXPLORE_PAGER, ids.chart_text(ids.EXPLORE_HEATMAP)):  # the whole page: test_accessibility
        violations = serious_or_worse(run_axe(browser, f"#{part}"))
        assert not violations, describe(violations)

    first_page = _bars(browser)
    click(browser, browser.find_element(By.ID, ids.EXPLORE_NEXT))
    wait_until(lambda: status.text == f"Regions 51–100 of {total:,}", timeout=90, message="page 2")
    wait_until(lambda: _bars(browser) and _bars(browser) != first_page, timeout=90, message="ranking redrawn")
    assert browser.find_element(By.ID, ids.EXPLORE_PREV).is_enabled()
    assert min(_ranks(_bars(browser))) >= max(_ranks(first_page))  # the next 50 places

    # a click on Austria's row of the heat-map chooses Austria in the Country filter: its regions, drawn whole
    austria = next(r for r in _rows(browser) if r.endswith(f"({per_country['AT']})") and r.startswith("Austria"))
    label = next(t for t in browser.find_elements(By.CSS_SELECTOR, f"#{ids.EXPLORE_HEATMAP} .ytick text")
                 if t.text == austria)
    drag = browser.find_element(By.CSS_SELECTOR, f"#{ids.EXPLORE_HEATMAP} .nsewdrag")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", label)
    time.sleep(0.3)
    right = int(drag.rect["x"] + 30 - (label.rect["x"] + label.rect["width"] / 2))  # into the row's first cell
    ActionChains(browser).move_to_element(label).move_by_offset(right, 0).click().perform()
    wait_until(lambda: "country=AT" in browser.current_url, timeout=90, message="country=AT in the URL")
    austrian = set(regions.loc[regions["country"] == "AT", "name_en"])
    wait_until(lambda: set(_rows(browser)) == austrian, timeout=90, message="the heat-map shows Austria's regions")
    assert len(_bars(browser)) == per_country["AT"]
    assert not browser.find_element(By.ID, ids.EXPLORE_PAGER).is_displayed()
    assert external_requests(browser) == []
    assert_no_console_errors(browser)
