"""Editions in a real browser (one quick check): with two editions, Compare offers the edition and the change
since an earlier one; choosing them rewrites the table, the address and the download links."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from dashboard import ids, state
from tests.e2e.conftest import assert_no_console_errors, wait_for, wait_until

pytestmark = pytest.mark.e2e


def test_compare_edition_and_change_since(app_url, browser, two_editions, monkeypatch):
    monkeypatch.setattr(state, "current", lambda: two_editions)  # the server thread runs in this process
    browser.get(app_url + "/compare?regions=PT20,ES51&since=2021")
    wait_for(browser, f"#{ids.COMPARE_TABLE} .ag-header-cell", timeout=45)
    table = browser.find_element(By.CSS_SELECTOR, f"#{ids.COMPARE_TABLE}")
    wait_until(lambda: "Change since 2021" in table.text, message="the change columns")
    assert Select(browser.find_element(By.ID, ids.COMPARE_EDITION)).first_selected_option.text == "2024"

    def choices(select: Select) -> list[str]:
        return [v for v in (o.get_attribute("value") for o in select.options) if v]  # dbc.Select's blank first

    since = Select(browser.find_element(By.ID, ids.COMPARE_SINCE))
    assert choices(since) == ["none", "2021"]
    Select(browser.find_element(By.ID, ids.COMPARE_EDITION)).select_by_value("2021")
    wait_until(lambda: "edition=2021" in browser.current_url, message="the address keeps the edition")
    # the change since 2021 cannot be shown on 2021: the choices are now the other edition, and no change
    since = Select(browser.find_element(By.ID, ids.COMPARE_SINCE))
    wait_until(lambda: choices(since) == ["none", "2024"],
               message="the change-since choices follow the edition shown")
    assert since.first_selected_option.get_attribute("value") == "none"
    wait_until(lambda: "since=" not in browser.current_url, message="no change asked in the address")
    assert "Change since" not in browser.find_element(By.CSS_SELECTOR, f"#{ids.COMPARE_TABLE}").text
    wait_until(lambda: "edition 2021" in browser.find_element(By.ID, ids.COMPARE_SOURCE).text,
               message="the source line names the edition shown")
    csv = browser.find_elements(By.CSS_SELECTOR, f'a[data-fmt="csv"][id*="{ids.COMPARE_URL}"]')
    wait_until(lambda: all("edition=2021" in a.get_attribute("href") for a in csv), message="export links follow")
    assert_no_console_errors(browser)


def test_profile_and_map_follow_the_edition(app_url, browser, two_editions, monkeypatch):
    monkeypatch.setattr(state, "current", lambda: two_editions)
    browser.get(app_url + "/region/ES51")
    wait_for(browser, f"#{ids.REGION_EDITIONS}", timeout=45)
    assert "Change since 2021" in browser.find_element(By.ID, ids.REGION_EDITIONS).text
    old = f"{two_editions.with_edition(2021).wide_scores.at['ES51', 'overall']:.0f}"
    Select(browser.find_element(By.ID, ids.REGION_EDITION)).select_by_value("2021")
    wait_until(lambda: "edition=2021" in browser.current_url, message="the address keeps the edition")
    wait_until(lambda: "Edition 2021 is shown" in browser.find_element(By.TAG_NAME, "main").text,
               message="the profile is drawn again for 2021")
    assert old in browser.find_element(By.ID, ids.REGION_HEADER).text
    assert_no_console_errors(browser)

    browser.get(app_url + "/?since=2021")
    wait_for(browser, f"#{ids.MAP_GRAPH} .gtitle", timeout=45)
    wait_until(lambda: "change from 2021 to 2024" in browser.find_element(By.CSS_SELECTOR,
                                                                          f"#{ids.MAP_GRAPH} .gtitle").text,
               message="the change map")
    Select(browser.find_element(By.ID, ids.MAP_SINCE)).select_by_value("none")
    wait_until(lambda: "since=" not in browser.current_url, message="back to the scores")
    wait_until(lambda: "change" not in browser.find_element(By.CSS_SELECTOR, f"#{ids.MAP_GRAPH} .gtitle").text,
               message="the scores map again")
    Select(browser.find_element(By.ID, ids.MAP_EDITION)).select_by_value("2021")
    since = Select(browser.find_element(By.ID, ids.MAP_SINCE))
    wait_until(lambda: [v for v in (o.get_attribute("value") for o in since.options) if v] == ["none", "2024"],
               message="the map's change-since choices follow the edition shown")
    wait_until(lambda: "edition=2021" in browser.current_url, message="the map's address keeps the edition")
    assert_no_console_errors(browser)
