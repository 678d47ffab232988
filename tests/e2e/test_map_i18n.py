"""The map page in Swedish in a real browser (issue #15): the words the browser writes itself (the region list,
the accessibility repairs) come from the page's language, the map and panel are Swedish, no console error."""

import pytest
from selenium.webdriver.common.by import By

from dashboard import i18n, ids
from tests.e2e.axe import describe, run_axe
from tests.e2e.conftest import assert_no_console_errors, click, wait_for, wait_until

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _catalog_or_skip():
    with i18n.use("sv"):
        if i18n.gettext("Find my region") == "Find my region":
            pytest.skip("the catalogs are not compiled with the a-map translations yet")


def test_map_page_in_swedish(app_url, browser):
    browser.get(app_url + "/?lang=sv&measure=area:health")
    wait_for(browser, f"#{ids.MAP_REGION_LIST} button[data-region]")
    heading = browser.find_element(By.ID, ids.MAP_HEADING).text
    assert heading.startswith("Styrningen av migranters integration")
    buttons = browser.find_elements(By.CSS_SELECTOR, f"#{ids.MAP_REGION_LIST} button[data-region]")
    labels = [b.get_attribute("aria-label") for b in buttons]
    assert all(label.endswith(" /100") or label.endswith("inga poäng") for label in labels), labels[:3]
    assert "Österrike" in " ".join(labels)  # country names in Swedish
    wait_until(lambda: "Hälsa" in browser.execute_script(
        "const g = document.querySelector('#%s .js-plotly-plot'); return g && g.layout ? g.layout.title.text : ''"
        % ids.MAP_GRAPH), message="the map's title in Swedish")
    # the accessibility repairs' words come from the page (data-a11y-*), in Swedish
    assert browser.find_element(By.ID, ids.NOTICE).get_attribute("data-a11y-table") == "Tabell"
    assert_no_console_errors(browser)
    try:
        violations = run_axe(browser)
    except pytest.skip.Exception:
        violations = []
    assert violations == [], describe(violations)
    # a chosen region's panel (chosen in the list: the browser's own words, then the server's panel)
    click(browser, buttons[0])
    wait_until(lambda: "Kontextstatistik" in browser.find_element(By.ID, ids.MAP_PANEL).text,
               message="the side panel in Swedish")
    assert "Context statistics" not in browser.find_element(By.ID, ids.MAP_PANEL).text
    assert_no_console_errors(browser)
