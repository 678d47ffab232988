"""First and warm export times of a map PNG and a regional brief PDF, printed with their ratio.

"First" starts a new Chromium (what the first click after a server start costs); "warm" reuses that
browser (what every later click costs: :class:`dashboard.export.browser.ExportBrowser` keeps it running).
Warm times are the median of ``--repeat`` runs. Usage::

    .venv/bin/python benchmarks/export_timing.py [--repeat 5] [--region PT20] [--tabs 2]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import data  # noqa: E402
from dashboard.export import browser as chromium  # noqa: E402
from dashboard.export.brief import brief_pdf  # noqa: E402
from dashboard.export.images import chart_export  # noqa: E402
from dashboard.views.charts import build_chart  # noqa: E402


def _timed(fn):
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def measure(name: str, make, repeat: int, tabs: int) -> tuple[float, float]:
    browser = chromium.ExportBrowser(tabs=tabs)
    try:
        first, content = _timed(lambda: make(browser))
        warm = [_timed(lambda: make(browser))[0] for _ in range(repeat)]
    finally:
        browser.shutdown()
    median = statistics.median(warm)
    print(f"{name:<22} first {first:6.2f} s   warm {median:6.2f} s (median of {repeat}, "
          f"min {min(warm):.2f}, max {max(warm):.2f})   first/warm = {first / median:5.1f}×   "
          f"[{len(content):,} bytes]")
    return first, median


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--region", default="PT20")
    parser.add_argument("--tabs", type=int, default=chromium.TABS)
    args = parser.parse_args(argv)
    problem = chromium.browser_problem()
    if problem:
        print(f"skipped: {problem}")
        return 1
    dataset = data.load_dataset()
    build_chart(dataset, "map")  # boundary layers and figure modules loaded outside the timings
    print(f"Chromium: {chromium.find_browser()}  ·  kaleido tabs: {args.tabs}  ·  region: {args.region}")
    measure("map PNG (slide)",
            lambda b: chart_export(dataset, "map", "png", "slide", browser=b)[0], args.repeat, args.tabs)
    measure(f"brief PDF ({args.region})",
            lambda b: brief_pdf(dataset, [args.region], browser=b), args.repeat, args.tabs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
