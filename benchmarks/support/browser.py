"""Time to a drawn chart in headless Debian Chromium (selenium), and what the first visit transferred.

A MutationObserver installed before the page's own scripts (CDP ``Page.addScriptToEvaluateOnNewDocument``)
records ``performance.now()`` — milliseconds since the navigation started — when the chart's first drawn
shape appears, so the figure does not depend on how often selenium polls. "Cold" is a new browser with an
empty profile (empty HTTP cache); "warm" is the next navigation in the same browser (cache filled).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER_PATH", shutil.which("chromedriver") or "/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--window-size=1400,1000")

_OBSERVER = """
window.__drawnAt = null;
(function () {
  const selector = %r;
  const check = () => {
    if (window.__drawnAt === null && document.querySelector(selector)) {
      window.__drawnAt = performance.now();
      return true;
    }
    return false;
  };
  const obs = new MutationObserver(() => { if (check()) obs.disconnect(); });
  obs.observe(document, {childList: true, subtree: true});
})();
"""
_TRANSFER = """
const entries = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'));
return entries.reduce((sum, e) => sum + (e.transferSize || 0), 0);
"""


def problem() -> str | None:
    """Why Chromium timings cannot be taken here (None when they can)."""
    if not os.path.exists(CHROMIUM):
        return f"no Chromium at {CHROMIUM}"
    if not (CHROMEDRIVER and os.path.exists(CHROMEDRIVER)):
        return "no chromedriver (Debian package chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed"
    return None


@dataclass
class Visit:
    drawn_ms: float
    transfer_bytes: int


class Browser:
    def __init__(self):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="mipexr-bench-chromium-")
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for flag in FLAGS + (f"--user-data-dir={self.profile}",):
            opts.add_argument(flag)
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        self._script_id = None

    def visit(self, url: str, selector: str, timeout: float = 90) -> Visit:
        """Navigate to ``url`` and wait until ``selector`` matches; ms from navigation start to drawn."""
        if self._script_id is not None:
            self.driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": self._script_id})
        self.driver.execute_cdp_cmd("Page.enable", {})
        added = self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _OBSERVER % selector})
        self._script_id = added.get("identifier")
        self.driver.get("about:blank")
        self.driver.get(url)
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            drawn = self.driver.execute_script("return window.__drawnAt")
            if drawn is not None:
                time.sleep(1.0)  # let the requests that follow the drawing finish before summing the transfer
                return Visit(float(drawn), int(self.driver.execute_script(_TRANSFER)))
            time.sleep(0.05)
        raise TimeoutError(f"{selector!r} not drawn within {timeout:.0f} s at {url}")

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


def cold_and_warm(url: str, selector: str, warm_runs: int) -> tuple[Visit, list[Visit]]:
    """One visit in a new browser (empty cache), then ``warm_runs`` visits in the same browser."""
    browser = Browser()
    try:
        cold = browser.visit(url, selector)
        warm = [browser.visit(url, selector) for _ in range(warm_runs)]
        return cold, warm
    finally:
        browser.close()
