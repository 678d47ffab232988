"""The map page at a phone's and a desktop's size (390×844, 1440×900) in headless Chromium: the map's drawn size,
the colour bar under it (fitted to the scores, groups named), every small region reachable (a marker on the map,
and "Find my region" by name or code, accents or not), the chosen region's panel in view, Enter in the list
keeping the focus, no region list scroll box; no console error."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard import ids
from tests.e2e.conftest import assert_no_console_errors, wait_for, wait_until

pytestmark = pytest.mark.e2e

#: Small regions of the embedded data that must have a marker on the map (Lisbon, Vorarlberg, Vienna, Berlin,
#: Melilla: a few pixels at most as areas).
SMALL = ("PT17", "AT34", "AT13", "DE30", "ES64")


def _viewport(browser, width: int, height: int) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def _reset(browser) -> None:
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _query(browser) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(browser.current_url).query).items()}


def _geo_boxes(browser) -> list[dict]:
    """Drawn boxes of the map's geo subplots (the main map first), in CSS pixels."""
    return browser.execute_script("""
        return Array.from(document.querySelectorAll('#%s .geolayer > g.geo')).map(g => {
            const r = g.querySelector('.bg rect, rect.bg') || g; const b = r.getBoundingClientRect();
            return {x: b.x, y: b.y, width: b.width, height: b.height}; });""" % ids.MAP_GRAPH)


def _land_box(browser) -> dict:
    """The box around every region drawn on the main map (what a reader sees as the map)."""
    return browser.execute_script("""
        const geo = document.querySelector('#%s .geolayer > g.geo');
        const paths = Array.from(geo.querySelectorAll('.choroplethlocation'));
        let x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
        for (const p of paths) { const b = p.getBoundingClientRect(); if (!b.width) continue;
            x0 = Math.min(x0, b.left); y0 = Math.min(y0, b.top);
            x1 = Math.max(x1, b.right); y1 = Math.max(y1, b.bottom); }
        return {width: x1 - x0, height: y1 - y0};""" % ids.MAP_GRAPH)


def _markers(browser) -> dict:
    """Region id → the drawn size (px) of its marker on the map."""
    return browser.execute_script("""
        const out = {}; const gd = document.querySelector('#%s .js-plotly-plot');
        const trace = gd._fullData.find(t => t.type === 'scattergeo');
        document.querySelectorAll('#%s .scattergeo .point').forEach(p => {
            const d = p.__data__; const b = p.getBoundingClientRect();
            if (d && typeof d.i === 'number') out[trace.customdata[d.i][0]] = Math.min(b.width, b.height);
        });
        return out;""" % (ids.MAP_GRAPH, ids.MAP_GRAPH))


def _legend(browser) -> dict:
    """The map's colour legend (HTML above the map): its box, the graph's, title, ticks and texts."""
    return browser.execute_script("""
        const box = document.getElementById('%s'); if (!box) return null;
        const b = box.getBoundingClientRect(); const g = document.getElementById('%s').getBoundingClientRect();
        const bar = box.querySelector('.mx-legend-bar');
        return {width: b.width, bottom: b.bottom, graphTop: g.top, graphWidth: g.width,
                barWidth: bar ? bar.getBoundingClientRect().width : 0, text: box.innerText,
                title: (box.querySelector('.mx-legend-title') || {}).textContent || '',
                ticks: Array.from(box.querySelectorAll('.mx-legend-ticks > *')).map(t => t.textContent)};
    """ % (ids.MAP_LEGEND, ids.MAP_GRAPH))


@pytest.mark.parametrize("size", [(390, 844), (1440, 900)], ids=["phone", "desktop"])
def test_map_size_legend_and_small_regions(app_url, browser, size):
    width, height = size
    _viewport(browser, width, height)
    try:
        browser.get(app_url + "/")
        wait_for(browser, f"#{ids.MAP_GRAPH} .choroplethlocation")
        wait_until(lambda: len(_markers(browser)) >= len(SMALL), message="small-region markers drawn")
        land = _land_box(browser)
        main = _geo_boxes(browser)[0]
        # the map is drawn large: at least 340 px of regions across on a phone, 440 on a desktop
        assert land["width"] >= (340 if width < 600 else 440) * 0.8, land
        assert main["width"] >= (340 if width < 600 else 440), main
        # …and its frame is fitted to them: the regions fill most of the map (no empty third of Europe)
        assert land["width"] >= 0.85 * main["width"] and land["height"] >= 0.85 * main["height"], (land, main)
        # every small region has a marker of at least 10 px
        markers = _markers(browser)
        assert all(markers.get(r, 0) >= 9.5 for r in SMALL), markers
        # the colour legend: above the map, as wide as the graph at most, named once, groups shown, "no score"
        legend = _legend(browser)
        assert legend["title"] == "Overall score (0–100)"
        assert legend["bottom"] <= legend["graphTop"] + 1
        assert 0.5 * legend["graphWidth"] <= legend["barWidth"] <= legend["graphWidth"]
        assert {"lagging", "intermediate", "advanced"} <= set(legend["ticks"]) and "0" not in legend["ticks"]
        assert "no score" in legend["text"]
        # the Azores inset is drawn (not blank) and labelled with its score
        assert len(_geo_boxes(browser)) == 2 and _geo_boxes(browser)[1]["width"] >= 90
        assert "Azores (inset): 56" in browser.find_element(By.ID, ids.MAP_GRAPH).text
        # the region list has no scroll box of its own
        overflow = browser.execute_script(
            "return getComputedStyle(document.getElementById(arguments[0])).overflowY", ids.MAP_REGION_LIST)
        assert overflow == "visible"
        assert_no_console_errors(browser)
    finally:
        _reset(browser)


def test_find_my_region_panel_in_view_and_focus_kept(app_url, browser):
    _viewport(browser, 390, 844)
    try:
        browser.get(app_url + "/")
        wait_for(browser, f"#{ids.MAP_GRAPH} .choroplethlocation")
        search = browser.find_element(By.ID, ids.MAP_SEARCH)
        # the suggestions are the regions, filled in the browser
        wait_until(lambda: browser.execute_script(
            "return document.getElementById(arguments[0]).options.length", ids.MAP_SEARCH_OPTIONS) == 25,
            message="datalist filled")
        # a name without its accents: Vorarlberg by a part of its name; then a code
        search.send_keys("vorarl", Keys.ENTER)
        wait_until(lambda: _query(browser).get("region") == "AT34", message="Vorarlberg chosen")
        panel = browser.find_element(By.ID, ids.MAP_PANEL)
        wait_until(lambda: "Vorarlberg" in panel.text, message="panel shows Vorarlberg")
        # the panel is brought into view
        wait_until(lambda: browser.execute_script(
            "const b = document.getElementById(arguments[0]).getBoundingClientRect();"
            "return b.top >= -1 && b.top < window.innerHeight;", ids.MAP_PANEL), message="panel in view")
        search.clear()
        search.send_keys("Área Metropolitana de Lisboa", Keys.ENTER)  # the local name, with its accent
        wait_until(lambda: _query(browser).get("region") == "PT17", message="Lisbon chosen by its local name")
        search.clear()
        search.send_keys("nowhere-land", Keys.ENTER)
        wait_until(lambda: "No region matches" in browser.find_element(By.ID, ids.MAP_SEARCH_NOTE).text,
                   message="a plain message for no match")
        assert _query(browser).get("region") == "PT17"

        # Enter on a list item keeps the focus on that item (not the page's top)
        button = browser.find_element(By.CSS_SELECTOR, f"#{ids.MAP_REGION_LIST} button[data-region='ES64']")
        browser.execute_script("arguments[0].focus()", button)
        button.send_keys(Keys.ENTER)
        wait_until(lambda: _query(browser).get("region") == "ES64", message="Melilla chosen from the list")
        wait_until(lambda: "Melilla" in browser.find_element(By.ID, ids.MAP_PANEL).text, message="panel: Melilla")
        focused = browser.execute_script("return document.activeElement.getAttribute('data-region')")
        assert focused == "ES64"
        assert_no_console_errors(browser)
    finally:
        _reset(browser)
