"""Map and region profile in a real browser: measure selector → URL, map/list click → side panel,
profile page, and a copied URL reproducing the view. Offline (no external request), no console error."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from dashboard import ids
from tests.e2e.conftest import (
    assert_no_console_errors,
    external_requests,
    wait_for,
    wait_until,
)

pytestmark = pytest.mark.e2e


def _query(browser) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(browser.current_url).query).items()}


def _list_button(browser, region_id: str):
    return browser.find_element(By.CSS_SELECTOR, f"#{ids.MAP_REGION_LIST} button[data-region='{region_id}']")


def _best(app_url, measure) -> str:
    from dashboard import state

    table = state.current().scores_table()
    return table.sort_values([measure, "name_en"], ascending=[False, True]).index[0]


def _map_ready(browser):
    wait_for(browser, f"#{ids.MAP_GRAPH} .choroplethlocation")


def _colorbar_title(browser) -> str:
    """The title of the map's colour legend (HTML, drawn from the figure's colour axis)."""
    return browser.execute_script(
        "const t = document.querySelector('#%s .mx-legend-title'); return t ? t.textContent : '';" % ids.MAP_LEGEND)


def _map_region(browser, region_id: str):
    """The SVG path of a region on the map (plotly binds the location to the element's data)."""
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('#%s .choroplethlocation'))"
        ".find(p => p.__data__ && p.__data__.loc === arguments[0]);" % ids.MAP_GRAPH, region_id)


def test_measure_selector_map_click_list_and_profile(app_url, browser):
    browser.get(app_url + "/")
    _map_ready(browser)
    assert "Overall score" in _colorbar_title(browser)

    # switch the measure: the colours' legend and the URL follow
    Select(browser.find_element(By.ID, ids.MAP_MEASURE)).select_by_value("area:health")
    wait_until(lambda: _query(browser).get("measure") == "area:health", message="measure in the URL")
    wait_until(lambda: "Health" in _colorbar_title(browser), message="colour-bar title follows the measure")
    first = browser.find_elements(By.CSS_SELECTOR, f"#{ids.MAP_REGION_LIST} button")[0]
    assert "/100" in first.text
    # the list follows the measure (re-drawn in the browser): best Health score first
    wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, f"#{ids.MAP_REGION_LIST} button")[0]
               .get_attribute("data-region") == _best(app_url, "area:health"), message="list sorted by Health")

    # click a region on the map: the side panel shows it, the URL records it
    ActionChains(browser).move_to_element(_map_region(browser, "DE2")).click().perform()
    panel = browser.find_element(By.ID, ids.MAP_PANEL)
    wait_until(lambda: "Bavaria" in panel.text, message="panel shows the clicked region")
    assert "/100" in panel.text and "Context statistics" in panel.text
    wait_until(lambda: _query(browser).get("region") == "DE2", message="region in the URL")

    # a small region from the list, with the keyboard (focus + Enter on its button)
    _list_button(browser, "ES64").send_keys(Keys.ENTER)
    wait_until(lambda: "Melilla" in browser.find_element(By.ID, ids.MAP_PANEL).text, message="panel shows Melilla")
    wait_until(lambda: _query(browser) == {"measure": "area:health", "region": "ES64"}, message="URL has both")
    wait_until(lambda: "active" in _list_button(browser, "ES64").get_attribute("class"), message="ES64 marked")
    assert _list_button(browser, "ES64").get_attribute("aria-pressed") == "true"
    assert _list_button(browser, "DE2").get_attribute("aria-pressed") == "false"
    # a measure change keeps the panel (not re-sent) and updates only its measure line
    panel_heading = browser.find_element(By.CSS_SELECTOR, f"#{ids.MAP_PANEL} h2")
    Select(browser.find_element(By.ID, ids.MAP_MEASURE)).select_by_value("area:education")
    line_id = json.dumps(ids.map_panel_measure(), separators=(",", ":"), sort_keys=True)
    wait_until(lambda: browser.find_element(By.XPATH, f"//*[@id='{line_id}']").text.startswith("Education:"),
               message="the panel's measure line follows")
    assert panel_heading.text == "Melilla"  # the same element: the panel was not rebuilt
    wait_until(lambda: _query(browser) == {"measure": "area:education", "region": "ES64"}, message="URL follows")

    # open its profile
    link = browser.find_element(By.CSS_SELECTOR, f"#{ids.MAP_PANEL} a[href='/region/ES64']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", link)
    link.click()
    header = wait_for(browser, f"#{ids.REGION_HEADER}")
    assert urlparse(browser.current_url).path == "/region/ES64"
    assert "Melilla" in header.text and "/100" in header.text and "of 25" in header.text
    wait_for(browser, f"#{ids.region_radar('area')} .scatterlayer")
    assert browser.find_element(By.ID, ids.REGION_SUMMARY).text.startswith("Melilla scores")
    assert browser.find_elements(By.CSS_SELECTOR, f"#{ids.REGION_SIMILAR} a[href^='/region/']")
    assert browser.find_elements(By.CSS_SELECTOR, "a[href='/lab?region=ES64']")

    assert_no_console_errors(browser)
    assert external_requests(browser) == []


def test_copied_url_reproduces_the_view_and_bad_links_degrade(app_url, browser):
    browser.get(app_url + "/?measure=phase:evaluation&region=SE224&utm_source=mail")
    _map_ready(browser)
    assert Select(browser.find_element(By.ID, ids.MAP_MEASURE)).first_selected_option.get_attribute("value") \
        == "phase:evaluation"
    assert "Evaluation" in _colorbar_title(browser)
    panel = browser.find_element(By.ID, ids.MAP_PANEL)
    assert "Skåne" in panel.text and "proxy" in panel.text
    assert "active" in _list_button(browser, "SE224").get_attribute("class")
    assert browser.find_element(By.ID, ids.MAP_NOTE).text == ""

    # unknown values: defaults plus a visible note, never a crash
    browser.get(app_url + "/?measure=area:astrology&region=XX99")
    _map_ready(browser)
    note = browser.find_element(By.ID, ids.MAP_NOTE).text
    assert "area:astrology" in note and "XX99" in note
    assert "Overall score" in _colorbar_title(browser)

    # unknown region profile: a friendly page with every region
    browser.get(app_url + "/region/XX99")
    missing = wait_for(browser, f"#{ids.REGION_NOT_FOUND}")
    assert "not found" in missing.text.lower()
    assert len(missing.find_elements(By.CSS_SELECTOR, "a[href^='/region/']")) == 25

    assert_no_console_errors(browser)
    assert external_requests(browser) == []


_HOOK = """
window.__callbacks = [];
if (!window.__hooked) {
    window.__hooked = true;
    const original = window.fetch;
    window.fetch = function (url, options) {
        if (String(url).includes('_dash-update-component')) {
            try {
                const body = JSON.parse(options.body), input = (body.inputs || [])[0] || {};
                window.__callbacks.push({output: body.output, input: input.id, value: input.value});
            } catch (e) { window.__callbacks.push('?'); }
        }
        return original.apply(this, arguments);
    };
}
"""


def _main_trace(browser) -> dict:
    """The regions trace as the browser holds it: locations and values."""
    return browser.execute_script("""
        const gd = document.querySelector('#%s .js-plotly-plot');
        return {locations: gd.data[1].locations, z: gd.data[1].z, widths: gd.data[1].marker.line.width};
    """ % ids.MAP_GRAPH)


def test_measure_change_made_in_the_browser_then_selection_keeps_it(app_url, browser, dataset):
    from dashboard.figures import maps

    table = dataset.scores_table()
    browser.get(app_url + "/")
    _map_ready(browser)
    # every measure's change arrives once, when the browser is idle after drawing the map
    wait_until(lambda: browser.execute_script("return window.mipexrMapValues.loaded().length") == 1,
               message="the map's values fetched")
    browser.execute_script(_HOOK)

    Select(browser.find_element(By.ID, ids.MAP_MEASURE)).select_by_value("area:health")
    wait_until(lambda: "Health" in _colorbar_title(browser), message="the legend follows the measure")
    wait_until(lambda: _query(browser) == {"measure": "area:health"}, message="measure in the URL")
    wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, f"#{ids.MAP_REGION_LIST} button")[0]
               .get_attribute("data-region") == _best(app_url, "area:health"), message="list sorted by Health")
    trace = _main_trace(browser)
    assert trace["z"] == maps.measure_values(table, "area:health", trace["locations"])["z"]
    assert browser.execute_script("return window.__callbacks") == []  # no request at all

    # a selection (the server's Patch of the outlines) keeps the measure the browser put on the map
    _list_button(browser, "ES64").send_keys(Keys.ENTER)
    wait_until(lambda: "Melilla" in browser.find_element(By.ID, ids.MAP_PANEL).text, message="panel shows Melilla")
    wait_until(lambda: max(_main_trace(browser)["widths"]) > 1, message="the chosen region outlined")
    trace = _main_trace(browser)
    assert trace["z"] == maps.measure_values(table, "area:health", trace["locations"])["z"]
    assert "Health" in _colorbar_title(browser)
    assert _query(browser) == {"measure": "area:health", "region": "ES64"}

    # with a region chosen the server is asked for the panel's measure line only
    browser.execute_script("window.__callbacks = [];")
    Select(browser.find_element(By.ID, ids.MAP_MEASURE)).select_by_value("area:education")
    line_id = json.dumps(ids.map_panel_measure(), separators=(",", ":"), sort_keys=True)
    wait_until(lambda: browser.find_element(By.XPATH, f"//*[@id='{line_id}']").text.startswith("Education:"),
               message="the panel's measure line follows")
    sent = browser.execute_script("return window.__callbacks")
    assert len(sent) == 1 and sent[0]["input"] == ids.MAP_MEASURE_WANTED, sent
    assert sent[0]["value"]["whole"] is False and sent[0]["value"]["measure"] == "area:education", sent
    trace = _main_trace(browser)
    assert trace["z"] == maps.measure_values(table, "area:education", trace["locations"])["z"]
    assert _query(browser) == {"measure": "area:education", "region": "ES64"}
    assert_no_console_errors(browser)
