"""Run the browser's export-link functions (``assets/45-export-links.js``) from a test: in Node when it is
installed, else in headless Chromium (selenium); the test skips, saying why, when neither is there.

``run([(name, args, html_lang), ...])`` calls ``name(*args)`` of the script's API (or reads ``name``) for each
entry (with ``document.documentElement``'s ``lang`` set to ``html_lang``) in one process and returns the JSON
results, in order; Dash's ``no_update`` comes back as :data:`NO_UPDATE`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ASSET = Path(__file__).resolve().parents[1] / "assets" / "45-export-links.js"
NO_UPDATE = "<no_update>"
_MARK = {"__no_update__": True}

# The same harness in Node and in a browser page: a stand-in for Dash's no_update and the page's <html lang>.
_CALLS = """
const out = calls.map(([name, args, htmlLang]) => {
    setLang(htmlLang);
    return typeof api[name] === "function" ? api[name](...args) : api[name];
});
"""
_NODE = """
const fs = require("fs");
globalThis.dash_clientside = {no_update: %(mark)s};
const api = require(process.argv[1]);
const calls = JSON.parse(fs.readFileSync(0, "utf8"));
const setLang = (lang) => {
    globalThis.document = {documentElement: {getAttribute: (n) => n === "lang" ? lang : null}};
};
%(calls)s
process.stdout.write(JSON.stringify(out));
"""


def _unmark(value: Any) -> Any:
    if value == _MARK:
        return NO_UPDATE
    if isinstance(value, list):
        return [_unmark(v) for v in value]
    return value


def _in_node(node: str, calls: list) -> list:
    script = _NODE % {"mark": json.dumps(_MARK), "calls": _CALLS}
    done = subprocess.run([node, "-e", script, str(ASSET)], input=json.dumps(calls), capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _in_chromium(calls: list) -> list:
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    driver_path = os.environ.get("CHROMEDRIVER_PATH", shutil.which("chromedriver") or "/usr/bin/chromedriver")
    if not (os.path.exists(chromium) and os.path.exists(driver_path)):
        pytest.skip("neither Node nor Chromium + chromedriver is installed to run assets/45-export-links.js")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        driver.get("about:blank")
        script = ("window.dash_clientside = {no_update: %s};\n%s\nconst api = window.dash_clientside.mx_export;\n"
                  "const calls = arguments[0];\n"
                  "const setLang = (lang) => lang === null ? document.documentElement.removeAttribute('lang')\n"
                  "    : document.documentElement.setAttribute('lang', lang);\n%s\nreturn JSON.stringify(out);"
                  % (json.dumps(_MARK), ASSET.read_text(encoding="utf-8"), _CALLS))
        return json.loads(driver.execute_script(script, calls))
    finally:
        driver.quit()


def run(calls: list[tuple[str, list, str | None]]) -> list:
    calls = [list(c) for c in calls]
    node = shutil.which("node")
    results = _in_node(node, calls) if node else _in_chromium(calls)
    return [_unmark(r) for r in results]


def call(name: str, *args: Any, html_lang: str | None = "en") -> Any:
    """One call (see :func:`run`)."""
    return run([(name, list(args), html_lang)])[0]
