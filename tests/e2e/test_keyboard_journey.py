"""The policymaker's journey with the keyboard only (WCAG 2.1.1): the landing page → a region's profile → a
comparison → a downloaded file, with Tab and Enter (Selenium key presses; no click, no mouse)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from dashboard import ids
from tests.e2e.conftest import assert_no_console_errors, wait_for, wait_until

pytestmark = pytest.mark.e2e

#: what the focused element is, in one round trip
FOCUSED = """
const e = document.activeElement;
if (!e || e === document.body) return null;
return {tag: e.tagName, text: (e.innerText || '').trim().slice(0, 120), href: e.getAttribute('href') || '',
        fmt: e.getAttribute('data-fmt') || '', region: e.getAttribute('data-region') || '',
        cls: e.className && e.className.baseVal === undefined ? e.className : '',
        visible: !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length)};
"""


def press(browser, key) -> None:
    ActionChains(browser).send_keys(key).perform()


def tab_to(browser, wanted, what: str, limit: int = 250) -> dict:
    """Press Tab until the focused element satisfies ``wanted`` (a predicate on :data:`FOCUSED`); every stop
    on the way must be visible (no focus lost in hidden elements)."""
    seen = []
    for _ in range(limit):
        press(browser, Keys.TAB)
        focused = browser.execute_script(FOCUSED)
        if focused is None:
            continue
        seen.append(focused["text"] or focused["href"] or focused["tag"])
        assert focused["visible"], f"Tab stopped on an invisible element while looking for {what}: {focused}"
        if wanted(focused):
            return focused
    raise AssertionError(f"{limit} Tab presses did not reach {what}; stops: {seen[-40:]}")


def test_from_the_map_to_a_profile_a_comparison_and_a_download(app_url, browser):
    folder = Path(browser.download_dir)
    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})
    before = set(folder.glob("*.csv"))
    browser.get(app_url + "/")
    wait_for(browser, f"#{ids.MAP_REGION_LIST} [data-region]", timeout=45)
    time.sleep(0.5)

    # 1. the skip link is the first stop and jumps over the menu
    first = tab_to(browser, lambda f: True, "the first stop", limit=1)
    assert "Skip to the main content" in first["text"]
    press(browser, Keys.ENTER)
    assert browser.execute_script("return document.activeElement.id") == ids.MAIN

    # 2. a region in the list, Enter: its panel opens with a link to the full profile
    item = tab_to(browser, lambda f: bool(f["region"]), "a region in the list")
    region = item["region"]
    press(browser, Keys.ENTER)
    wait_until(lambda: f"/region/{region}" in browser.find_element("id", ids.MAP_PANEL).get_attribute("innerHTML"),
               message=f"the panel of {region}")
    tab_to(browser, lambda f: f["href"].endswith(f"/region/{region}"), "the panel's 'Open the full profile' link")
    press(browser, Keys.ENTER)
    wait_until(lambda: browser.current_url.endswith(f"/region/{region}"), message="the profile page")
    wait_for(browser, f"#{ids.NOTICE}")
    time.sleep(0.5)

    # 3. from the profile to a comparison with similar regions
    tab_to(browser, lambda f: f["href"].startswith("/compare?regions=" + region), "a comparison link")
    press(browser, Keys.ENTER)
    wait_until(lambda: "/compare?regions=" + region in browser.current_url, message="the compare page")
    wait_for(browser, f"#{ids.NOTICE}")
    time.sleep(0.5)

    # 4. the comparison's data as CSV: Enter on the link downloads the file
    tab_to(browser, lambda f: f["fmt"] == "csv" and "view=compare" in f["href"], "the comparison's CSV link")
    press(browser, Keys.ENTER)
    new = wait_until(lambda: [p for p in set(folder.glob("*.csv")) - before if p.stat().st_size > 0
                              and not Path(str(p) + ".crdownload").exists()], timeout=30, message="the CSV download")
    text = new[0].read_text(encoding="utf-8-sig")
    assert region in text, text[:300]  # the comparison's table, with the region the journey started from
    assert_no_console_errors(browser)
