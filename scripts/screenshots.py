"""Screenshots of every main page at a phone (390×844) and a desktop (1440×900) size, for a reviewer to look at.

Usage, from the project root (the folder is made; its files are not for committing)::

    .venv/bin/python scripts/screenshots.py /tmp/shots                 # serves the app itself on loopback
    .venv/bin/python scripts/screenshots.py /tmp/shots --url http://127.0.0.1:8050 --full
    .venv/bin/python scripts/screenshots.py /tmp/shots --only map,profile

Writes ``<page>-<width>x<height>.png`` (what the first screen shows) and, with ``--full``,
``<page>-<width>-full.png`` (the whole page's length). Headless Debian Chromium (``/usr/bin/chromium``,
``CHROMIUM_PATH`` overrides) through selenium and chromedriver, as the browser tests use; the viewport is set
exactly with the DevTools protocol (the phone size as a mobile viewport, device scale 1). Without ``--url``
the embedded (illustrative) data is served by waitress on a free loopback port, with a temporary var folder.
Prints one line per file and exits 1 when a page did not draw.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = {
    "map": "/",
    "profile": "/region/PT20",
    "compare": "/compare?regions=PT20,PT17,ES51",
    "explore": "/explore",
    "outcomes": "/outcomes",
    "lab": "/lab",
    "self-assessment": "/self-assessment",
    "data": "/data",
    "methodology": "/methodology",
}
SIZES = ((390, 844), (1440, 900))
SETTLED = """
return !!document.querySelector('#page-container, main') &&
  !document.querySelector('[data-dash-is-loading="true"]') &&
  [...document.querySelectorAll('.dash-graph')].every(g => g.querySelector('.main-svg'));
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_app() -> tuple[str, object]:
    """The app on the embedded data, on a free loopback port (waitress in a daemon thread)."""
    os.environ.setdefault("MIPEXR_VAR_DIR", tempfile.mkdtemp(prefix="mipexr-shots-"))
    import logging

    from waitress.server import create_server

    from dashboard.app import create_app

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth" while a page loads
    port = _free_port()
    server = create_server(create_app().server, host="127.0.0.1", port=port, threads=8)
    threading.Thread(target=server.run, daemon=True).start()
    for _ in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    return f"http://127.0.0.1:{port}", server


def driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    chromedriver = os.environ.get("CHROMEDRIVER_PATH", shutil.which("chromedriver") or "/usr/bin/chromedriver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                 "--disable-background-networking", "--no-first-run", "--window-size=1440,900"):
        options.add_argument(flag)
    d = webdriver.Chrome(service=Service(chromedriver), options=options)
    d.set_page_load_timeout(60)
    return d


def shoot(d, url: str, width: int, height: int, out: Path, full: bool, timeout: float = 45) -> list[Path]:
    import base64

    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 768})
    d.get(url)
    deadline = time.time() + timeout
    while not d.execute_script(SETTLED):
        if time.time() > deadline:
            raise TimeoutError(f"{url} did not settle in {timeout:.0f} s")
        time.sleep(0.2)
    time.sleep(0.8)  # late layout (grid, charts resizing to the viewport)
    made = [out.with_name(f"{out.name}-{width}x{height}.png")]
    shot = d.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    made[0].write_bytes(base64.b64decode(shot["data"]))
    if full:
        page_h = int(d.execute_script("return Math.ceil(document.documentElement.scrollHeight)"))
        shot = d.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(page_h, 16000), "scale": 1}})
        made.append(out.with_name(f"{out.name}-{width}-full.png"))
        made[1].write_bytes(base64.b64decode(shot["data"]))
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="where to write the PNG files (made if missing)")
    parser.add_argument("--url", help="a running app's base URL (default: serve the embedded data on loopback)")
    parser.add_argument("--only", help=f"comma-separated pages out of {', '.join(PAGES)}")
    parser.add_argument("--full", action="store_true", help="also the whole length of each page")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",")] if args.only else list(PAGES)
    unknown = [n for n in names if n not in PAGES]
    if unknown:
        parser.error(f"unknown page(s) {', '.join(unknown)}; expected {', '.join(PAGES)}")
    args.folder.mkdir(parents=True, exist_ok=True)
    base, server = (args.url.rstrip("/"), None) if args.url else serve_app()
    failed = 0
    d = driver()
    try:
        for name in names:
            for width, height in SIZES:
                try:
                    for path in shoot(d, base + PAGES[name], width, height, args.folder / name, args.full):
                        print(path)
                except Exception as exc:  # noqa: BLE001 - one failing page must not hide the others
                    failed += 1
                    print(f"{name} {width}x{height}: failed: {exc}".splitlines()[0], file=sys.stderr)
    finally:
        d.quit()
        if server is not None:
            server.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
