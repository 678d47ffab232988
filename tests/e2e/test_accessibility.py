"""WCAG 2.1 AA in a real browser: axe-core (from npm, see tests/e2e/axe.py) on every main page finds no
critical and no serious violation, at desktop and phone widths."""

from __future__ import annotations

import time

import pytest

from dashboard import ids
from tests.e2e.axe import count_nodes, describe, run_axe, serious_or_worse
from tests.e2e.conftest import assert_no_console_errors, wait_for, wait_until

pytestmark = pytest.mark.e2e

#: page → a CSS selector that is there once the page has drawn its main content
PAGES = {
    "map": ("/", f"#{ids.NOTICE}"),
    "profile": ("/region/PT20", f"#{ids.NOTICE}"),
    "compare": ("/compare?regions=PT20,PT17,ES51", f"#{ids.NOTICE}"),
    "explore": ("/explore", f"#{ids.NOTICE}"),
    "lab": ("/lab", f"#{ids.NOTICE}"),
    "self-assessment": ("/self-assessment", f"#{ids.NOTICE}"),
    "data": ("/data", f"#{ids.NOTICE}"),
}


def settle(browser, path: str, ready: str) -> None:
    wait_for(browser, ready, timeout=45)
    wait_until(lambda: browser.execute_script(
        "return !document.querySelector('[data-dash-is-loading=\"true\"]')"), timeout=45, message=f"{path} settled")
    wait_until(lambda: browser.execute_script(
        "return [...document.querySelectorAll('.dash-graph')].every(g => g.querySelector('.main-svg'))"),
        timeout=45, message=f"{path}: charts drawn")
    time.sleep(0.5)


@pytest.mark.parametrize("width,height", [(1440, 900), (390, 844)], ids=["1440", "390"])
@pytest.mark.parametrize("page", list(PAGES))
def test_no_serious_accessibility_violations(app_url, browser, page, width, height):
    path, ready = PAGES[page]
    browser.set_window_size(width, height)
    try:
        browser.get(app_url + path)
        settle(browser, path, ready)
        violations = run_axe(browser)
        bad = serious_or_worse(violations)
        print(f"axe {page} {width}: {count_nodes(bad)} serious/critical nodes, {count_nodes(violations)} in all")
        assert not bad, f"{page} at {width}px:\n" + describe(bad)
        assert_no_console_errors(browser)
    finally:
        browser.set_window_size(1400, 1000)
