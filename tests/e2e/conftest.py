"""End-to-end fixtures: the real app on loopback, driven by Debian's headless Chromium (selenium).

- ``app_url``: base URL of a live app (waitress in a background thread, embedded data, a temporary
  Integration Lab database), one per test session.
- ``browser``: a selenium Chrome driver on ``/usr/bin/chromium`` (``CHROMIUM_PATH`` overrides) with
  the flags the machine needs; browser console and network logs are collected.
- ``assert_no_console_errors(browser)``: fails on any SEVERE console entry since the last call.
- ``external_requests(browser)``: URLs the page asked for outside localhost (must be empty: no CDN).

Tests skip with a stated reason when Chromium or chromedriver is missing (``test.sh`` installs them).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER_PATH", shutil.which("chromedriver") or "/usr/bin/chromedriver")
CHROME_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
    "--disable-dev-shm-usage", "--window-size=1400,1000",
)
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_synthetic(work: Path, level: int, timeout: float = 180):
    """Generate a synthetic package of every NUTS-``level`` unit of the boundary files into ``work/package``
    (never committed) and serve it from its own app process (one worker); yields ``(base URL, regions table)``.
    Skips when the boundary files are not available."""
    from benchmarks.support.synthetic import build_package
    from dashboard import geo

    try:
        geo.resolve_geo_dir()
    except geo.GeoDataMissing as exc:
        pytest.skip(f"boundary files not available: {exc}")
    regions = build_package(work / "package", level=level)
    root = Path(__file__).resolve().parents[2]
    port = _free_port()
    env = dict(os.environ, MIPEXR_DATA_DIR=str(work / "package"), MIPEXR_VAR_DIR=str(work / "var"),
               PYTHONPATH=os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]))
    env.pop("MIPEXR_DB_URL", None)
    log = open(work / "server.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--workers", "1"], cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise AssertionError((work / "server.log").read_text(errors="replace")[-3000:]) from None
                time.sleep(0.5)
        yield base, regions
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """Serve ``create_app()`` on a free loopback port for the whole session."""
    var = tmp_path_factory.mktemp("e2e-var")
    os.environ["MIPEXR_VAR_DIR"] = str(var)
    os.environ.pop("MIPEXR_DB_URL", None)
    os.environ.setdefault("MIPEXR_ADMIN_TOKEN", "e2e-admin-token")
    from waitress.server import create_server

    from dashboard.app import create_app

    app = create_app()
    port = _free_port()
    server = create_server(app.server, host="127.0.0.1", port=port, threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    yield url
    server.close()


@pytest.fixture(scope="session")
def _driver(tmp_path_factory):
    if not (os.path.exists(CHROMIUM) and CHROMEDRIVER and os.path.exists(CHROMEDRIVER)):
        pytest.skip(f"Chromium ({CHROMIUM}) or chromedriver ({CHROMEDRIVER}) not installed; ./test.sh installs them")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    downloads = tmp_path_factory.mktemp("downloads")
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chrome-profile')}")
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False,
    })
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.download_dir = str(downloads)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture
def browser(_driver):
    """The session's driver, with logs drained and cookies cleared before the test so each test sees only its
    own (a page opened with ``?lang=sv`` leaves the language cookie, which later plain addresses would follow)."""
    _driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    _driver.get_log("browser")
    _driver.get_log("performance")
    yield _driver


def console_errors(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def assert_no_console_errors(driver) -> None:
    errors = console_errors(driver)
    assert not errors, "browser console errors:\n" + "\n".join(e["message"] for e in errors)


def external_requests(driver) -> list[str]:
    """URLs requested outside loopback since the last call (drains the performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") != "Network.requestWillBeSent":
            continue
        url = msg["params"]["request"]["url"]
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about", "chrome", "devtools"):
            continue
        if parsed.hostname not in LOCAL_HOSTS:
            urls.append(url)
    return urls


def wait_for(driver, css: str, timeout: float = 20):
    """Wait until an element matching ``css`` is present and return it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def click(driver, element, tries: int = 5) -> None:
    """Scroll ``element`` to the middle of the window and click it like a user would. A page still laying
    itself out (a callback's answer inserting content above) can move it between the scroll and the click,
    which Chromium reports as "click intercepted": scroll and try again, a few times."""
    from selenium.common.exceptions import ElementClickInterceptedException

    for attempt in range(tries):
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        time.sleep(0.2)
        try:
            element.click()
            return
        except ElementClickInterceptedException:
            if attempt == tries - 1:
                raise
            time.sleep(0.5)


def wait_until(predicate, timeout: float = 20, interval: float = 0.2, message: str = "condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


@pytest.fixture(name="assert_no_console_errors")
def _assert_no_console_errors_fixture():
    return assert_no_console_errors
