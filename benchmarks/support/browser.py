"""Time to a drawn chart in headless Debian Chromium (selenium), and what the first visit transferred.

A MutationObserver installed before the page's own scripts (CDP ``Page.addScriptToEvaluateOnNewDocument``)
records ``performance.now()`` — milliseconds since the navigation started — when the chart's first drawn
shape appears, so the figure does not depend on how often selenium polls. "Cold" is a new browser with an
empty profile (empty HTTP cache); "warm" is the next navigation in the same browser (cache filled).
"""

from __future__ import annotations

import json
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
  const selectors = %s;
  const check = () => {
    if (window.__drawnAt === null && selectors.every(s => document.querySelector(s))) {
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

    def visit(self, url: str, selector: str | tuple[str, ...], timeout: float = 90) -> Visit:
        """Navigate to ``url`` and wait until ``selector`` matches (a tuple: every one of them); ms from
        navigation start to drawn."""
        if self._script_id is not None:
            self.driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": self._script_id})
        self.driver.execute_cdp_cmd("Page.enable", {})
        selectors = json.dumps([selector] if isinstance(selector, str) else list(selector))
        added = self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _OBSERVER % selectors})
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


_CHANGE = """
const [control, value, label] = arguments;
window.__mc = {start: performance.now(), last: null, titled: null};
const titled = () => Array.from(document.querySelectorAll('.gtitle, .cbtitle'))
  .some(t => t.textContent.includes(label));
const obs = new MutationObserver(() => {
  window.__mc.last = performance.now();
  if (window.__mc.titled === null && titled()) { window.__mc.titled = window.__mc.last; }
});
obs.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
window.__mcObserver = obs;
window.dash_clientside.set_props(control, {value: value});
"""
_SETTLED = """
const mc = window.__mc, now = performance.now();
if (mc.titled === null || now - (mc.last || now) < arguments[0]) { return null; }
window.__mcObserver.disconnect();
return mc.last - mc.start;
"""


def main_thread_ms(driver) -> float:
    """CPU time the page's main thread has spent so far (ms; CDP ``Performance.getMetrics`` ``TaskDuration`` in
    thread time, so time spent waiting for a core on a busy machine is not counted)."""
    metrics = driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]
    return 1000.0 * next(m["value"] for m in metrics if m["name"] == "TaskDuration")


def measure_changes(url: str, selector: str, control: str, changes: list[tuple[str, str]], quiet_ms: float = 600,
                    timeout: float = 60, cpu: list[float] | None = None) -> tuple[Visit, list[float]]:
    """Open ``url`` (twice: the second visit is warm), then change the Dash control ``control`` to each value of
    ``changes`` (``(value, text the chart's title then shows)``) as a person would (the renderer's
    ``set_props``): ms from the change until the page settled — the title shows the text and nothing in the page
    changed for ``quiet_ms`` (the figure, the lists and the links a change updates). Returns the warm visit too.
    ``cpu``, when given, receives per change the page's main-thread CPU ms from the change until settled
    (:func:`main_thread_ms`: far less sensitive than the wall time to other processes on a shared machine; it
    includes the quiet wait's few polls, the same for every page)."""
    browser = Browser()
    try:
        browser.visit(url, selector)
        warm = browser.visit(url, selector)
        driver, times = browser.driver, []
        if cpu is not None:
            driver.execute_cdp_cmd("Performance.enable", {"timeDomain": "threadTicks"})
        time.sleep(1.0)
        for value, label in changes:
            before = main_thread_ms(driver) if cpu is not None else 0.0
            driver.execute_script(_CHANGE, control, value, label)
            deadline = time.perf_counter() + timeout
            while True:
                settled = driver.execute_script(_SETTLED, quiet_ms)
                if settled is not None:
                    times.append(float(settled))
                    if cpu is not None:
                        cpu.append(main_thread_ms(driver) - before)
                    break
                if time.perf_counter() > deadline:
                    raise TimeoutError(f"{control}={value!r} did not settle within {timeout:.0f} s at {url}")
                time.sleep(0.05)
        return warm, times
    finally:
        browser.close()


def cold_and_warm(url: str, selector: str, warm_runs: int) -> tuple[Visit, list[Visit]]:
    """One visit in a new browser (empty cache), then ``warm_runs`` visits in the same browser."""
    browser = Browser()
    try:
        cold = browser.visit(url, selector)
        warm = [browser.visit(url, selector) for _ in range(warm_runs)]
        return cold, warm
    finally:
        browser.close()


def profile_changes(url: str, selector: str, control: str, changes: list[tuple[str, str]], quiet_ms: float = 600,
                    timeout: float = 60, interval_us: int = 100) -> list[dict]:
    """Like :func:`measure_changes`, with the JavaScript CPU profiler (CDP ``Profiler``) running over each change:
    per change ``{"value", "wall_ms", "cpu_ms", "requests", "profile"}`` — ``requests``: the outputs of each
    ``_dash-update-component`` request the change made; ``profile``: the raw ``Profiler.Profile`` (open it in
    Chromium's DevTools, or summarise it with :func:`profile_summary`). To find where a change's time goes."""
    hook = """
    if (!window.__mxReqHook) {
      window.__mxReqHook = true; window.__mxReqs = [];
      const original = window.fetch;
      window.fetch = function (u, o) {
        try { if (String(u).includes('_dash-update-component')) { window.__mxReqs.push(JSON.parse(o.body).output); } }
        catch (e) { /* not a callback request */ }
        return original.apply(this, arguments);
      };
    }
    window.__mxReqs = [];
    """
    browser = Browser()
    try:
        browser.visit(url, selector)
        browser.visit(url, selector)
        driver, out = browser.driver, []
        driver.execute_cdp_cmd("Performance.enable", {"timeDomain": "threadTicks"})
        driver.execute_cdp_cmd("Profiler.enable", {})
        driver.execute_cdp_cmd("Profiler.setSamplingInterval", {"interval": interval_us})
        time.sleep(1.0)
        for value, label in changes:
            driver.execute_script(hook)
            driver.execute_cdp_cmd("Profiler.start", {})
            before = main_thread_ms(driver)
            driver.execute_script(_CHANGE, control, value, label)
            deadline = time.perf_counter() + timeout
            while (settled := driver.execute_script(_SETTLED, quiet_ms)) is None:
                if time.perf_counter() > deadline:
                    raise TimeoutError(f"{control}={value!r} did not settle within {timeout:.0f} s at {url}")
                time.sleep(0.05)
            cpu = main_thread_ms(driver) - before
            profile = driver.execute_cdp_cmd("Profiler.stop", {})["profile"]
            out.append({"value": value, "wall_ms": float(settled), "cpu_ms": cpu,
                        "requests": driver.execute_script("return window.__mxReqs"), "profile": profile})
        return out
    finally:
        browser.close()


def profile_summary(profile: dict, top: int = 30) -> list[tuple[float, float, str]]:
    """The ``top`` functions of a ``Profiler.Profile`` by inclusive time: ``(total ms, self ms, "name file:line:col")``
    (idle and "(program)" — native work the sampler cannot attribute, mostly the polls' waiting — left out)."""
    from collections import Counter

    nodes = {n["id"]: n for n in profile["nodes"]}
    parent = {c: n["id"] for n in profile["nodes"] for c in n.get("children", ())}
    spent: Counter = Counter()
    for sample, delta in zip(profile["samples"], profile["timeDeltas"]):
        spent[sample] += delta

    def name(node: dict) -> str:
        frame = node["callFrame"]
        where = frame["url"].rsplit("/", 1)[-1].split("?")[0]
        return f'{frame["functionName"] or "(anonymous)"} {where}:{frame["lineNumber"]}:{frame["columnNumber"]}'

    own: Counter = Counter()
    total: Counter = Counter()
    for node_id, us in spent.items():
        own[name(nodes[node_id])] += us
        seen, at = set(), node_id
        while at is not None:
            key = name(nodes[at])
            if key not in seen:
                seen.add(key)
                total[key] += us
            at = parent.get(at)
    skip = ("(root)", "(idle)", "(program)")
    rows = [(us / 1000, own[key] / 1000, key) for key, us in total.most_common() if not key.startswith(skip)]
    return rows[:top]


if __name__ == "__main__":  # python benchmarks/support/browser.py URL CONTROL VALUE:TITLE... (e.g. the map page)
    import sys

    if len(sys.argv) < 4:
        sys.exit("usage: browser.py URL CONTROL VALUE:TITLE [VALUE:TITLE ...]   e.g. http://127.0.0.1:8050/ "
                 "map-measure area:health:Health overall:Overall")
    steps = [tuple(arg.rsplit(":", 1)) for arg in sys.argv[3:]]
    for change in profile_changes(sys.argv[1], ".choroplethlayer path", sys.argv[2], steps):
        print(f'{change["value"]}: {change["wall_ms"]:.0f} ms wall, {change["cpu_ms"]:.0f} ms CPU, '
              f'requests {change["requests"]}')
        for total_ms, self_ms, key in profile_summary(change["profile"], 25):
            print(f"  {total_ms:7.1f} {self_ms:7.1f}  {key}")
