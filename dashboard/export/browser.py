"""The one warm headless Chromium that renders every server-side image and prints every PDF brief.

:class:`ExportBrowser` starts one Chromium (a :class:`kaleido.Kaleido`) on first use and keeps it in a
background thread with its own asyncio loop, so the second export skips the ~2–6 s start-up. It is the
equivalent of ``kaleido.start_sync_server()``, plus a second tab for printing the HTML briefs to PDF
(``Page.printToPDF``) on the same browser. :func:`get_browser` gives the process-wide instance, which is
shut down at exit (``atexit``); :func:`warm_up` starts it ahead of the first export.

The browser is ``BROWSER_PATH`` if set, else the first of ``chromium``, ``chromium-browser``,
``google-chrome`` … on ``PATH`` (then choreographer's discovery, then ``/usr/bin/chromium``). Without a
browser every server-side export raises :class:`~dashboard.errors.ExportError` with a plain message
(:func:`browser_problem`); CSV/XLSX downloads need no browser.

No network: kaleido's page loads plotly.js from the installed plotly package (``plotlyjs=``), MathJax is
switched off (``mathjax=False``; kaleido would otherwise fetch it from a CDN) and plotly.js geo base maps
come from the committed ``assets/topojson/`` as a ``file://`` URL (``topojson=``; choreographer starts
Chromium with ``--allow-file-access-from-files``).
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import importlib.util
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dashboard import config
from dashboard.errors import ExportError
from dashboard.views.common import one_line as _one_line

#: plotly.js of the installed plotly package (found without importing plotly).
PLOTLY_JS = Path(importlib.util.find_spec("plotly").origin).parent / "package_data" / "plotly.min.js"
TOPOJSON_DIR = config.ASSETS_DIR / "topojson"
BROWSER_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
FALLBACK_BROWSER = "/usr/bin/chromium"
TABS = int(os.environ.get("MIPEXR_EXPORT_TABS", "1"))  # kaleido tabs; 2 measured no faster on 2 cores

NO_BROWSER_HINT = (
    "Set BROWSER_PATH to a Chromium executable (e.g. /usr/bin/chromium) or install Debian's 'chromium' "
    "package. CSV/XLSX downloads and the in-browser PNG/SVG buttons work without it."
)


def find_browser() -> str | None:
    """Path of the Chromium used for exports, or None.

    ``BROWSER_PATH`` wins when set (even if wrong: :func:`browser_problem` then names it); otherwise
    the first of :data:`BROWSER_CANDIDATES` on ``PATH``, then choreographer's own discovery.
    """
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env
    for name in BROWSER_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    try:
        from choreographer.browsers.chromium import Chromium

        found = Chromium.find_browser(skip_local=False)
    except Exception:  # noqa: BLE001 - discovery is best effort
        found = None
    if found:
        return found
    return FALLBACK_BROWSER if os.access(FALLBACK_BROWSER, os.X_OK) else None


def browser_problem() -> str | None:
    """A plain message when no usable Chromium is configured, else None (cheap: no process started)."""
    path = find_browser()
    if not path:
        return f"Server-side export needs the Chromium browser, which was not found. {NO_BROWSER_HINT}"
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        where = "BROWSER_PATH" if os.environ.get("BROWSER_PATH") else "the browser path"
        return (f"Server-side export needs Chromium, but {where} points to {path!r}, which is not an executable "
                f"file. {NO_BROWSER_HINT}")
    return None


def browser_available() -> bool:
    return browser_problem() is None


def topojson_file_url() -> str:
    """``file://…/assets/topojson/`` for kaleido's ``topojson=`` (plotly.js appends ``<scope>_<res>m.json``)."""
    return TOPOJSON_DIR.resolve().as_uri() + "/"


class ExportBrowser:
    """One headless Chromium kept warm for image rendering (kaleido) and HTML→PDF printing.

    Thread-safe: any thread may call :meth:`render` / :meth:`print_pdf`; work runs on a private event
    loop in a daemon thread. The browser starts on first use (or :meth:`start`) and is restarted once
    if it died. ``timeout`` bounds one render (seconds).
    """

    def __init__(self, path: str | None = None, timeout: float = 60.0, start_timeout: float = 60.0, tabs: int = TABS):
        self._path = path
        self.tabs = tabs
        self.timeout = timeout
        self.start_timeout = start_timeout
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None
        self._pdf_tab = None
        self._pdf_lock: asyncio.Lock | None = None
        self._tmp = Path(tempfile.mkdtemp(prefix="mipexr-export-"))
        self.starts = 0  # how many times a browser was started (the benchmark and tests read it)

    # -- life cycle -------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._kaleido is not None

    def start(self) -> None:
        """Start Chromium now (idempotent); raises ExportError when it cannot."""
        with self._lock:
            if self._kaleido is not None:
                return
            problem = browser_problem() if self._path is None else None
            path = self._path or find_browser()
            if problem or not path:
                raise ExportError(problem or "no browser", reason="no-browser")
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                self._thread = threading.Thread(target=self._loop.run_forever, name="mipexr-export-browser",
                                                daemon=True)
                self._thread.start()
            try:
                fut = asyncio.run_coroutine_threadsafe(self._open(path), self._loop)
                fut.result(timeout=self.start_timeout)
            except Exception as exc:  # noqa: BLE001
                self._kaleido = None
                raise ExportError(f"Chromium at {path!r} could not be started for export: {_one_line(exc)}. "
                                  f"{NO_BROWSER_HINT}", reason="no-browser") from exc
            self.starts += 1

    async def _open(self, path: str) -> None:
        import kaleido

        logging.getLogger("choreographer").setLevel(logging.ERROR)
        logging.getLogger("kaleido").setLevel(logging.ERROR)
        logging.getLogger("browser_proc").setLevel(logging.CRITICAL)
        k = kaleido.Kaleido(n=self.tabs, timeout=self.timeout, plotlyjs=str(PLOTLY_JS), mathjax=False, path=path)
        await k.open()
        self._pdf_tab = await k.create_tab(url="")
        await self._pdf_tab.send_command("Page.enable")
        self._pdf_lock = asyncio.Lock()
        self._kaleido = k

    def close(self) -> None:
        """Stop Chromium (it can be started again)."""
        with self._lock:
            k, self._kaleido, self._pdf_tab = self._kaleido, None, None
            if k is not None and self._loop is not None and self._loop.is_running():
                try:
                    asyncio.run_coroutine_threadsafe(k.close(), self._loop).result(timeout=20)
                except Exception:  # noqa: BLE001 - closing is best effort
                    pass

    def shutdown(self) -> None:
        """Close the browser and stop the loop thread (atexit)."""
        self.close()
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._loop = None
            self._thread = None
        shutil.rmtree(self._tmp, ignore_errors=True)

    # -- work ---------------------------------------------------------------------------------------
    def _run(self, make_coro, timeout: float):
        """Run ``make_coro(kaleido)`` on the loop; restart a dead browser once."""
        for attempt in (1, 2):
            self.start()
            fut = asyncio.run_coroutine_threadsafe(make_coro(self._kaleido), self._loop)
            try:
                return fut.result(timeout=timeout)
            except ExportError:
                raise
            except Exception as exc:  # noqa: BLE001
                if attempt == 1 and _is_browser_dead(exc):
                    self.close()
                    continue
                if isinstance(exc, TimeoutError):  # asyncio's and concurrent.futures' are this class
                    fut.cancel()
                    raise ExportError(f"Rendering took longer than {timeout:.0f} s and was stopped.") from exc
                raise ExportError(f"The export could not be rendered: {_one_line(exc)}") from exc
        raise ExportError("The export browser stopped unexpectedly.")  # pragma: no cover

    def render(self, fig: Any, fmt: str, width: int, height: int, scale: float = 1.0) -> bytes:
        """PNG/SVG/PDF bytes of ``fig`` at ``width``×``height`` CSS px (PNG pixels × ``scale``)."""
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        topojson = topojson_file_url()

        async def job(k):
            return await k.calc_fig(fig, opts=opts, topojson=topojson)

        return self._run(job, self.timeout + 5)

    def render_many(self, items: Sequence[tuple[Any, str, int, int, float]]) -> list[bytes]:
        """Render several figures at once (the browser's tabs work in parallel); same order as ``items``."""
        topojson = topojson_file_url()

        async def job(k):
            return await asyncio.gather(*(
                k.calc_fig(fig, opts={"format": fmt, "width": w, "height": h, "scale": s}, topojson=topojson)
                for fig, fmt, w, h, s in items))

        return list(self._run(job, self.timeout * max(1, len(items)) + 5))

    def print_pdf(self, page_html: str, footer_html: str | None = None) -> bytes:
        """Print an HTML page to PDF (CSS ``@page`` decides the paper; backgrounds printed)."""
        self._tmp.mkdir(parents=True, exist_ok=True)
        path = self._tmp / f"page-{threading.get_ident()}-{id(page_html)}.html"
        path.write_text(page_html, encoding="utf-8")
        url = path.resolve().as_uri()
        params: dict[str, Any] = {
            "printBackground": True,
            "preferCSSPageSize": True,
            "displayHeaderFooter": bool(footer_html),
            "headerTemplate": "<span></span>",
            "footerTemplate": footer_html or "<span></span>",
            "generateTaggedPDF": True,
            "generateDocumentOutline": True,
        }

        async def job(k):
            async with self._pdf_lock:
                tab = self._pdf_tab
                loaded = tab.subscribe_once("Page.loadEventFired")
                while loaded.done():  # drop a stale event
                    loaded = tab.subscribe_once("Page.loadEventFired")
                _check(await tab.send_command("Page.navigate", params={"url": url}))
                await asyncio.wait_for(loaded, self.timeout)
                await _check_js(tab, "document.fonts.ready.then(() => true)")
                response = _check(await tab.send_command("Page.printToPDF", params=params))
                await tab.send_command("Page.navigate", params={"url": "about:blank"})
                return response["result"]["data"]

        try:
            return base64.b64decode(self._run(job, self.timeout + 5))
        finally:
            path.unlink(missing_ok=True)


def _check(response: dict) -> dict:
    if "error" in response:
        raise RuntimeError(f"DevTools error: {response['error'].get('message', response['error'])}")
    return response


async def _check_js(tab, expression: str) -> None:
    _check(await tab.send_command("Runtime.evaluate", params={"expression": expression, "awaitPromise": True}))


def _is_browser_dead(exc: BaseException) -> bool:
    """True when ``exc`` (or an exception it came from) says the browser or its pipe is gone."""
    from choreographer.errors import BrowserClosedError, BrowserFailedError, ChannelClosedError

    dead = (BrowserClosedError, BrowserFailedError, ChannelClosedError, BrokenPipeError)
    return any(isinstance(e, dead) for e in _chain(exc))


def _chain(exc: BaseException | None):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


_browser: ExportBrowser | None = None
_browser_lock = threading.Lock()


def get_browser() -> ExportBrowser:
    """The process-wide warm browser (created on first call, started on first render)."""
    global _browser
    with _browser_lock:
        if _browser is None:
            _browser = ExportBrowser()
            atexit.register(_browser.shutdown)
        return _browser


def warm_up() -> bool:
    """Start the shared browser now (e.g. in a background thread at app start); False if unavailable."""
    try:
        get_browser().start()
        return True
    except ExportError:
        return False
