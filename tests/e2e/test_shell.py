"""The shell: every page answers, shows the illustrative notice, and fetches nothing off the machine."""

import time

import pytest

from dashboard import ids
from tests.e2e.conftest import (
    assert_no_console_errors,
    external_requests,
    wait_for,
    wait_until,
)

pytestmark = pytest.mark.e2e


def test_home_loads_offline_with_notice(app_url, browser):
    browser.get(app_url + "/")
    notice = wait_for(browser, f"#{ids.NOTICE}")
    assert "Illustrative data" in notice.text
    assert_no_console_errors(browser)
    assert external_requests(browser) == []


def test_shell_landmarks_and_the_menu_on_a_phone(app_url, browser):
    browser.set_window_size(390, 844)
    try:
        browser.get(app_url + "/compare")
        wait_for(browser, f"#{ids.NOTICE}")
        assert browser.find_element("css selector", "html").get_attribute("lang") == "en"
        assert browser.find_element("css selector", f"main#{ids.MAIN}")
        skip = browser.find_element("css selector", ".mx-skip-link")
        assert skip.get_attribute("href").endswith(f"#{ids.MAIN}")
        menu = browser.find_element("id", ids.NAV_COLLAPSE)
        assert not menu.is_displayed()  # collapsed on a narrow screen
        browser.find_element("id", ids.NAV_TOGGLER).click()
        wait_until(lambda: menu.is_displayed() and "Methodology" in menu.text, message="the menu opens")
        assert "Policy & outcomes" in menu.text
        link = menu.find_element("link text", "Policy & outcomes")
        assert link.is_displayed() and link.size["width"] <= 390
        assert_no_console_errors(browser)
    finally:
        browser.set_window_size(1400, 1000)


PAGES = ["/", "/region/PT20", "/compare?regions=PT20,PT17", "/explore", "/outcomes", "/lab", "/lab/contribute",
         "/self-assessment", "/data", "/methodology"]


def test_every_page_passes_the_content_security_policy(app_url, browser):
    """Each page draws with the security headers on: a blocked script, style or request would be a console
    error (Chromium reports every CSP violation there), and nothing leaves the machine."""
    for path in PAGES:
        browser.get(app_url + path)
        wait_for(browser, f"#{ids.NOTICE}")
        wait_until(lambda: browser.execute_script(
            "return !document.querySelector('[data-dash-is-loading=\"true\"]')"), message=f"{path} settled")
        time.sleep(0.5)  # late renders (graphs, grid) report their violations too
        errors = [e["message"] for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
        assert not errors, f"{path}: " + "\n".join(errors)
    assert external_requests(browser) == []
