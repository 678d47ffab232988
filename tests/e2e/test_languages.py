"""The app in other languages, in a real browser: every page in Swedish and in Greek with no console
error and no English left in the menu; the language kept across in-app navigation; the switch."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.support.ui import Select

from dashboard import constants, i18n, ids
from dashboard.app import NAV_LINKS
from tests.e2e.conftest import click, wait_for, wait_until
from tests.e2e.test_shell import PAGES

pytestmark = pytest.mark.e2e


def _with_lang(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def _settled(browser, what: str) -> None:
    wait_for(browser, f"#{ids.NOTICE}")
    wait_until(lambda: browser.execute_script(
        "return !document.querySelector('[data-dash-is-loading=\"true\"]')"), message=f"{what} settled")


def _menu_words(lang: str) -> tuple[list[str], list[str]]:
    """The menu's words in ``lang`` and the English words that must then be absent."""
    english = [label for label, _href in NAV_LINKS] + ["Skip to the main content", "English"]
    with i18n.use(lang):
        translated = [i18n.gettext(label) for label, _href in NAV_LINKS]
    absent = [word for word in english if word not in translated and word != "English"]
    return translated, absent


@pytest.mark.parametrize("lang", ["sv", "el"])
def test_every_page_in_another_language(app_url, browser, lang):
    translated, absent = _menu_words(lang)
    for path in PAGES:
        browser.get(app_url + _with_lang(path, lang))
        _settled(browser, path)
        time.sleep(0.3)
        assert browser.find_element("css selector", "html").get_attribute("lang") == lang, path
        nav = browser.find_element("id", ids.NAV)
        text = nav.get_attribute("textContent")
        for word in translated:
            assert word in text, f"{path} ({lang}): menu lacks {word!r}"
        for word in absent:
            assert word not in text, f"{path} ({lang}): English {word!r} left in the menu"
        assert i18n.LANGUAGES[lang] in text  # the switch names the language shown
        notice = browser.find_element("id", ids.NOTICE).text
        with i18n.use(lang):
            assert i18n.gettext(constants.ILLUSTRATIVE_TEXT) in notice, f"{path} ({lang}): notice not translated"
        assert constants.ILLUSTRATIVE_TEXT not in notice
        errors = [e["message"] for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
        assert not errors, f"{path} ({lang}): " + "\n".join(errors)


def test_the_language_stays_through_in_app_navigation_and_the_switch_changes_it(app_url, browser):
    browser.get(app_url + "/?lang=sv")
    _settled(browser, "/")
    with i18n.use("sv"):
        compare = i18n.gettext("Compare")
    link = browser.find_element("css selector", f"#{ids.NAV} a[href='/compare']")
    assert link.text == compare
    click(browser, link)
    wait_until(lambda: browser.current_url.split("?")[0].endswith("/compare"), message="the compare page")
    wait_until(lambda: "lang=sv" in browser.current_url, message="lang=sv kept in the address")
    _settled(browser, "/compare")
    assert browser.find_element("css selector", "html").get_attribute("lang") == "sv"

    # a page rewriting its own query keeps lang= too (Explore's filters, a dcc.Location with refresh=False)
    browser.get(app_url + "/explore?lang=sv")
    _settled(browser, "/explore")
    Select(browser.find_element("id", ids.EXPLORE_AXIS)).select_by_value("area")
    wait_until(lambda: "axis=area" in browser.current_url, message="axis=area in the address")
    assert "lang=sv" in browser.current_url

    # the switch: open it, pick Greek, land on the same page and query in Greek
    browser.get(app_url + "/region/PT20?lang=sv&edition=2021")
    _settled(browser, "/region/PT20")
    click(browser, browser.find_element("css selector", f"#{ids.LANG_MENU} .mx-lang-toggle, #{ids.LANG_MENU} button, "
                                                         f"#{ids.LANG_MENU} a.dropdown-toggle"))
    greek = wait_for(browser, f"#{ids.lang_link('el')}")
    click(browser, greek)
    wait_until(lambda: "lang=el" in browser.current_url, message="the Greek address")
    assert "/region/PT20" in browser.current_url and "edition=2021" in browser.current_url
    _settled(browser, "/region/PT20 in Greek")
    assert browser.find_element("css selector", "html").get_attribute("lang") == "el"
    with i18n.use("el"):
        assert i18n.gettext("Map") in browser.find_element("id", ids.NAV).get_attribute("textContent")
