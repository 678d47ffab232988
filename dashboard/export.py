"""Exports: static chart images, data downloads and one-click briefs (pure functions + one warm browser).

Images
    :func:`render_image` turns a plotly figure into PNG, SVG or PDF bytes with kaleido 1.x, which
    drives a headless Chromium through choreographer. :func:`decorate_for_export` first gives the
    figure what every exported image carries: a title, the source line, the date, the
    "Illustrative data" mark when the dataset is illustrative and, on maps, the EuroGeographics
    credit. Two sizes (:data:`SIZES`): ``slide`` (16:9, 1280×720 CSS px = the 13.33×7.5 in
    PowerPoint page; PNG at 1.5× = 1920×1080) and ``a4`` (A4 landscape, 1123×794 CSS px =
    297×210 mm; PNG at 2× = 2246×1588, about 190 dpi on paper).

No network
    kaleido's page loads plotly.js from the installed plotly package (``plotlyjs=``), MathJax is
    switched off (``mathjax=False``; kaleido would otherwise fetch it from a CDN) and plotly.js geo
    base maps come from the committed ``assets/topojson/`` as a ``file://`` URL (kaleido's
    ``topojson=`` argument; choreographer starts Chromium with ``--allow-file-access-from-files``).

One warm browser
    :class:`ExportBrowser` starts one Chromium (a :class:`kaleido.Kaleido`) on first use and keeps
    it in a background thread with its own asyncio loop, so the second export skips the ~2–6 s
    start-up. It is the equivalent of ``kaleido.start_sync_server()``, plus a second tab for
    printing the HTML briefs to PDF (``Page.printToPDF``) on the same browser. The browser is
    ``BROWSER_PATH`` if set, else the first of ``chromium``, ``chromium-browser``,
    ``google-chrome`` … on ``PATH`` (choreographer's discovery). Without a browser every server-side
    export raises :class:`ExportError` with a plain message; CSV/XLSX downloads need no browser.

Data downloads
    :func:`data_view` builds the table of a view (``scores``, ``ranking``, ``map``, ``region``,
    ``compare``, ``outcomes``, ``answers``, ``framework``, ``full``) with the page's filters;
    :func:`table_to_csv` and :func:`table_to_xlsx` write it with a header block (CSV) or an
    "About" sheet (XLSX) giving title, source, scale, provenance, filters and the URL of the view.
    Text cells starting with ``=``, ``+``, ``-``, ``@`` (or tab/CR) get a leading apostrophe, so no
    spreadsheet runs them as formulas.

Briefs
    :func:`brief_html` renders ``templates/brief.html.j2`` (Jinja2) for one region or a comparison
    of 2–4 regions, with every chart inlined as SVG; :func:`brief_pdf` prints that page to an A4
    PDF on the warm Chromium, so the charts stay vector and the text is extractable.
"""

from __future__ import annotations

import asyncio
import atexit
import csv
import datetime as _dt
import html as _html
import io
import json
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import plotly
import plotly.graph_objects as go

from dashboard import config, scoring
from dashboard.cells import FORMULA_PREFIXES, neutralise  # noqa: F401 (re-exported)
from dashboard.constants import (
    APP_NAME, DATA_FORMATS, EXPORT_CHARTS, EXPORT_SIZES, ILLUSTRATIVE_EXPORT_TEXT, IMAGE_FORMATS, MAP_CREDIT, MAX_COMPARE,
)
from dashboard.errors import ExportError, UnknownOption
from dashboard.data import Dataset
from dashboard import query
from dashboard.query import (
    MEASURE_KEYS, REGION_KEYS, check_axis, check_groups, check_measure, first, many,
)

# --------------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------------

ILLUSTRATIVE_COLOR = "#8a5300"  # dark amber: visible, not a red/green judgement colour
CHARTS = EXPORT_CHARTS
VIEWS = ("scores", "ranking", "map", "region", "compare", "explore", "outcomes", "answers", "framework", "full")
MIME_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}
SCORE_DECIMALS = 2
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
TOPOJSON_DIR = config.ASSETS_DIR / "topojson"
TEMPLATES_DIR = Path(__file__).parent / "templates"
BROWSER_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
FALLBACK_BROWSER = "/usr/bin/chromium"
TABS = int(os.environ.get("MIPEXR_EXPORT_TABS", "1"))  # kaleido tabs; 2 measured no faster on 2 cores


@dataclass(frozen=True)
class ExportSize:
    """An export size: CSS pixels of the figure (= PDF page size at 96 px/in) and the PNG scale."""

    name: str
    width: int
    height: int
    scale: float
    label: str

    @property
    def png_pixels(self) -> tuple[int, int]:
        return round(self.width * self.scale), round(self.height * self.scale)


SIZES: dict[str, ExportSize] = {
    "slide": ExportSize("slide", 1280, 720, 1.5, "Slide 16:9 (1920×1080 PNG)"),
    "a4": ExportSize("a4", 1123, 794, 2.0, "A4 landscape (297×210 mm)"),
}
DEFAULT_SIZE = EXPORT_SIZES[0]
assert tuple(SIZES) == EXPORT_SIZES


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


NO_BROWSER_HINT = (
    "Set BROWSER_PATH to a Chromium executable (e.g. /usr/bin/chromium) or install Debian's 'chromium' "
    "package. CSV/XLSX downloads and the in-browser PNG/SVG buttons work without it."
)


# --------------------------------------------------------------------------------------------
# The browser
# --------------------------------------------------------------------------------------------


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
        return f"Server-side export needs Chromium, but {where} points to {path!r}, which is not an executable file. {NO_BROWSER_HINT}"
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
        import logging

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
                if isinstance(exc, TimeoutError) or type(exc).__name__ == "TimeoutError":
                    fut.cancel()
                    raise ExportError(f"Rendering took longer than {timeout:.0f} s and was stopped.") from exc
                raise ExportError(f"The export could not be rendered: {_one_line(exc)}") from exc
        raise ExportError("The export browser stopped unexpectedly.")  # pragma: no cover

    def render(self, fig: go.Figure | dict, fmt: str, width: int, height: int, scale: float = 1.0) -> bytes:
        """PNG/SVG/PDF bytes of ``fig`` at ``width``×``height`` CSS px (PNG pixels × ``scale``)."""
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        topojson = topojson_file_url()

        async def job(k):
            return await k.calc_fig(fig, opts=opts, topojson=topojson)

        return self._run(job, self.timeout + 5)

    def render_many(self, items: Sequence[tuple[go.Figure | dict, str, int, int, float]]) -> list[bytes]:
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
            import base64

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
    names = {type(e).__name__ for e in _chain(exc)}
    return bool(names & {"BrowserClosedError", "ChannelClosedError", "BrowserFailedError", "BrokenPipeError"})


def _chain(exc: BaseException | None):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) < 300 else text[:297] + "…"


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


def shutdown_browser() -> None:
    global _browser
    with _browser_lock:
        if _browser is not None:
            _browser.shutdown()
            _browser = None


# --------------------------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------------------------


def check_format(fmt: str, allowed: Sequence[str] = IMAGE_FORMATS) -> str:
    fmt = (fmt or "").lower().lstrip(".")
    if fmt == "jpg":
        fmt = "jpeg"
    if fmt not in allowed:
        raise UnknownOption(f"unknown format {fmt!r}; expected one of: {', '.join(allowed)}")
    return fmt


def check_size(size: str | ExportSize) -> ExportSize:
    if isinstance(size, ExportSize):
        return size
    try:
        return SIZES[(size or DEFAULT_SIZE).lower()]
    except KeyError:
        raise UnknownOption(f"unknown size {size!r}; expected one of: {', '.join(SIZES)}") from None


def render_image(fig: go.Figure | dict, fmt: str, size: str | ExportSize = DEFAULT_SIZE, *,
                 width: int | None = None, height: int | None = None, scale: float | None = None,
                 browser: ExportBrowser | None = None) -> bytes:
    """PNG, SVG or PDF bytes of ``fig`` at a preset ``size`` (``slide`` / ``a4``), on the warm browser.

    ``width``/``height`` (CSS px) and ``scale`` override the preset. SVG and PDF keep vector shapes and
    text; PNG has ``width*scale`` × ``height*scale`` pixels. Raises :class:`ExportError` without Chromium.
    """
    fmt = check_format(fmt)
    preset = check_size(size)
    w, h = width or preset.width, height or preset.height
    s = scale if scale is not None else (preset.scale if fmt == "png" else 1.0)
    return (browser or get_browser()).render(fig, fmt, w, h, s)


def _source_annotation(ann) -> bool:
    return getattr(ann, "name", None) == "source"


def export_footer(dataset: Dataset, is_map: bool, date: _dt.date | None = None, url: str | None = None,
                  source: str | None = None, illustrative: bool | None = None) -> list[str]:
    """The lines printed under every exported chart: source and scale, [illustrative mark], [map credit], date
    (and link). ``source`` replaces the MIPEX-R source line (e.g. for the self-assessment's own answers);
    ``illustrative`` overrides ``dataset.illustrative``."""
    date = date or _dt.date.today()
    lines = [source or f"Source: {scoring.SOURCE_LINE}. Scale 0–100."]
    if dataset.illustrative if illustrative is None else illustrative:
        lines.append(f"{ILLUSTRATIVE_EXPORT_TEXT}: made by a documented generator (see the Methodology page).")
    if is_map:
        lines.append(MAP_CREDIT)
    made = f"Exported {date.isoformat()} from {APP_NAME}"
    if url:
        made += f" · {url}"
    lines.append(made)
    return lines


def _legend_items(fig: go.Figure) -> list[str]:
    if fig.layout.showlegend is False:
        return []
    names = []
    for tr in fig.data:
        if getattr(tr, "showlegend", None) is False or not getattr(tr, "name", None):
            continue
        group = getattr(tr, "legendgroup", None) or tr.name
        if group not in names:
            names.append(tr.name)
    return names if len(names) > 1 or fig.layout.showlegend else []


def _bottom_axis_px(fig: go.Figure) -> int:
    """Room the bottom x-axes need (tick labels, rotated labels, title), in px."""
    need = 0
    for axis in fig.select_xaxes():
        if axis.visible is False or axis.side == "top" or axis.anchor not in (None, "y"):
            continue
        px = 30
        if axis.title and axis.title.text:
            px += 22
        if axis.tickangle not in (None, 0):
            labels = [len(str(t)) for tr in fig.data for t in (getattr(tr, "x", None) or []) if isinstance(t, str)]
            px += int(min(max(labels, default=8), 30) * 6.5 * 0.6)
        need = max(need, px)
    return need


def _bold_first_line(markup: str) -> str:
    first_line, sep, rest = markup.partition("<br>")
    return f"<b>{first_line}</b>{sep}{rest}"


def decorate_for_export(fig: go.Figure, title: str | None, dataset: Dataset, is_map: bool, *,
                        size: str | ExportSize = DEFAULT_SIZE, date: _dt.date | None = None,
                        url: str | None = None, source: str | None = None,
                        illustrative: bool | None = None) -> go.Figure:
    """A copy of ``fig`` ready to leave the app: title, source line, date, illustrative mark, map credit.

    The figure's on-screen source annotation is replaced by a footer block at the bottom of the image;
    a horizontal legend that sat under the plot moves just above the footer; the illustrative mark is
    the title's subtitle (bold capitals). ``size`` is the export preset the layout is planned for.
    ``title`` None keeps the figure's title; ``source`` and ``illustrative`` as in :func:`export_footer`.
    The input figure is not changed.
    """
    preset = check_size(size)
    illustrative = dataset.illustrative if illustrative is None else illustrative
    out = go.Figure(fig)
    out.layout.annotations = [a for a in out.layout.annotations if not _source_annotation(a)]
    # A given title is plain text (escaped); the figure's own title is trusted plotly markup (<br>, <sup>).
    markup = _html.escape(title) if title is not None else (out.layout.title.text or "")
    extra_lines = markup.count("<br>")
    lines = export_footer(dataset, is_map, date=date, url=url, source=source, illustrative=illustrative)
    footer_px = 16 * len(lines) + 10
    legend = _legend_items(out)
    legend_px = 0
    lg = out.layout.legend
    if legend and (lg.orientation == "h") and (lg.y is not None and lg.y < 0.5):
        per_row = max(1, int((preset.width - 80) // 190))
        rows = -(-len(legend) // per_row)
        legend_px = 26 * rows + 6
        out.update_layout(legend=dict(xref="container", yref="container", x=0.012, xanchor="left",
                                      y=(footer_px + 8) / preset.height, yanchor="bottom", font=dict(size=13)))
    axis_px = _bottom_axis_px(out)
    bottom = footer_px + legend_px + axis_px + 18
    margin = out.layout.margin
    header_px = 14 + 28 + 20 * extra_lines + (26 if illustrative else 0) + 8
    top = header_px + max(int(margin.t if margin.t is not None else 60) - 50, 20)
    title_spec: dict[str, Any] = dict(
        text=_bold_first_line(markup) if markup else "", x=0.012, xanchor="left", xref="container",
        y=1 - 14 / preset.height, yanchor="top", yref="container", font=dict(size=20),
    )
    if illustrative:
        title_spec["subtitle"] = dict(text=f"<b>{ILLUSTRATIVE_EXPORT_TEXT.upper()}</b>",
                                      font=dict(size=14, color=ILLUSTRATIVE_COLOR))
    out.update_layout(
        title=title_spec,
        margin=dict(l=max(int(margin.l or 0), 40), r=max(int(margin.r or 0), 30), t=top, b=bottom),
        paper_bgcolor="#ffffff", width=preset.width, height=preset.height,
    )
    out.add_annotation(
        text="<br>".join(_html.escape(line) for line in lines), name="export-footer",
        xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="bottom", yshift=-bottom + 8,
        showarrow=False, align="left", font=dict(size=12, color="#3f4a59"),
    )
    return out


# --------------------------------------------------------------------------------------------
# Parameters (shared by the routes, the CLI and the buttons)
# --------------------------------------------------------------------------------------------

def check_regions(dataset: Dataset, region_ids: Iterable[str], minimum: int = 0, maximum: int | None = None,
                  what: str = "this export") -> list[str]:
    """Strict region ids through the one parser (:func:`dashboard.query.check_regions`) and the dataset's registry."""
    return query.check_regions(region_ids, dataset.resolve_region, minimum, maximum, what, dataset.regions["region_id"])


def check_countries(dataset: Dataset, countries: Iterable[str]) -> list[str]:
    return query.check_countries(countries, dataset.regions["country"])


# --------------------------------------------------------------------------------------------
# Charts by name (map, radar, compare, ranking, heatmap, target)
# --------------------------------------------------------------------------------------------


@dataclass
class Chart:
    fig: go.Figure
    title: str
    is_map: bool
    stem: str  # file name stem, e.g. "mipexr-map-overall"


def _names(dataset: Dataset) -> dict[str, str]:
    return dict(zip(dataset.regions["region_id"], dataset.regions["name_en"]))


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:60] or "export"


def build_chart(dataset: Dataset, chart: str, region_ids: Sequence[str] = (), measure: str | None = None,
                axis: str | None = None, countries: Sequence[str] = (), sort: str | None = None,
                areas: Sequence[str] = (), target: str | None = None) -> Chart:
    """The app's figure for ``chart`` with the view's parameters (raises UnknownOption on bad ones).

    * ``map``: ``measure`` (default overall), optional ``region_ids[0]`` outlined;
    * ``radar``: 1–4 regions on ``axis`` (area, element or phase; default area);
    * ``compare``: 2–4 regions, grouped bars (``axis`` element/phase → governance bars);
    * ``ranking``: ``measure``, optional regions/countries filter and ``sort`` (desc, asc, name);
    * ``heatmap``: regions × dimensions (``axis`` limits the columns), optional filters;
      without a region filter both are exactly the Explore page's figures for the same query (``areas`` and
      ``target`` recompute the scores on those indicators, as the page does);
    * ``target``: TCN vs BIP bars for 1–4 regions.
    """
    chart = (chart or "").strip().lower()
    if chart not in CHARTS:
        raise UnknownOption(f"unknown chart {chart!r}; expected one of: {', '.join(CHARTS)}")
    names = _names(dataset)
    wide = dataset.wide_scores
    source = dataset.source_line
    countries = check_countries(dataset, countries)

    def filtered(ids: Sequence[str]) -> list[str] | None:
        if not ids and not countries:
            return None
        keep = list(ids) or list(dataset.regions["region_id"])
        if countries:
            by_country = dict(zip(dataset.regions["region_id"], dataset.regions["country"]))
            keep = [r for r in keep if by_country[r] in countries]
        return keep

    if chart == "map":
        from dashboard import geo
        from dashboard.figures import maps

        measure = check_measure(measure)
        ids = check_regions(dataset, region_ids, 0, None, "the map")
        try:
            layers = geo.map_layers(dataset.regions)
        except Exception as exc:  # noqa: BLE001 - GeoDataMissing and friends
            raise ExportError(f"The map needs the boundary files: {_one_line(exc)}", reason="no-geo") from exc
        fig = maps.choropleth(dataset.scores_table(), measure, layers, source, selected=ids[0] if ids else None,
                              credit=getattr(geo, "CREDIT", MAP_CREDIT))
        return Chart(fig, fig.layout.title.text, True, f"mipexr-map-{_slug(measure)}")

    if chart == "radar":
        from dashboard.figures import profile

        ids = check_regions(dataset, region_ids, 1, MAX_COMPARE, "the radar chart")
        axis = check_axis(axis, "area", radar=True)
        fig = profile.radar_axis(wide, ids, axis, source, include_average=True, names=names)
        return Chart(fig, fig.layout.title.text, False, f"mipexr-radar-{axis}-{'-'.join(ids).lower()}")

    if chart == "target":
        from dashboard.figures import profile

        ids = check_regions(dataset, region_ids, 1, MAX_COMPARE, "the TCN/BIP chart")
        fig = profile.target_bars(wide, ids, source, include_average=True, names=names)
        return Chart(fig, fig.layout.title.text, False, f"mipexr-target-{'-'.join(ids).lower()}")

    if chart == "compare":
        from dashboard.figures import compare

        ids = check_regions(dataset, region_ids, 2, MAX_COMPARE, "the comparison chart")
        axis = check_axis(axis, None)
        group = "governance" if axis in ("element", "phase") else "areas"
        title, dims = compare.BAR_GROUPS[group]
        fig = compare.compare_bars(wide, ids, source, dimensions=dims, names=names,
                                   title=f"{title}: {', '.join(names[r] for r in ids)} (0–100)")
        stem = "mipexr-compare-" + ("governance-" if group == "governance" else "") + "-".join(ids).lower()
        return Chart(fig, fig.layout.title.text, False, stem)

    if chart in ("ranking", "heatmap"):
        from dashboard.figures import explore

        measure = check_measure(measure)
        ids = check_regions(dataset, region_ids, 0, None, f"the {chart}")
        sort = sort or explore.DEFAULT_SORT
        if sort not in explore.SORTS:
            raise UnknownOption(f"unknown sort {sort!r}; expected one of: {', '.join(explore.SORTS)}")
        axis = check_axis(axis, None)
        if not ids:
            view = explore_page_view(dataset, {"measure": measure, "country": list(countries), "axis": axis,
                                               "area": list(areas), "target": target, "sort": sort})
            fig = view.ranking if chart == "ranking" else view.heatmap
            stem = f"mipexr-{chart}-{_slug(view.state.measure)}" if chart == "ranking" else "mipexr-heatmap"
            return Chart(fig, fig.layout.title.text, False, stem)
        if chart == "ranking":
            fig = explore.ranking_bars(wide, measure, source, names=names, regions=filtered(ids), sort=sort)
            return Chart(fig, fig.layout.title.text, False, f"mipexr-ranking-{_slug(measure)}")
        dims = (("overall",) + scoring.AXES[axis]) if axis else None
        fig = explore.heatmap(wide, source, dimensions=dims, regions=filtered(ids), names=names)
        return Chart(fig, fig.layout.title.text, False, f"mipexr-heatmap{'-' + axis if axis else ''}")

    raise UnknownOption(f"unknown chart {chart!r}")  # pragma: no cover - CHARTS checked above


def explore_page_view(dataset: Dataset, params: Mapping[str, Any]):
    """The Explore page's view (figures and table) for a query, validated strictly (UnknownOption instead of
    the page's "ignored" notes): ``measure``, ``country``, ``axis``, ``area``, ``target``, ``sort``."""
    from dashboard.callbacks import explore as page
    from dashboard.components import filters

    measure = check_measure(first(params, MEASURE_KEYS))
    countries = check_countries(dataset, many(params, ("country", "countries")))
    axis = first(params, ("axis",)) or filters.ALL
    if axis not in filters.AXIS_CHOICES:
        raise UnknownOption(f"unknown axis {axis!r}; expected one of: {', '.join(filters.AXIS_CHOICES)}")
    areas = [a.split(":", 1)[1] if a.startswith("area:") else a for a in many(params, ("area", "areas"))]
    bad = [a for a in areas if a not in filters.AREA_CHOICES]
    if bad:
        raise UnknownOption(f"unknown policy area {bad[0]!r}; expected one of: {', '.join(filters.AREA_CHOICES)}")
    target = first(params, ("target",)) or filters.ALL
    target = {"tcn": "TCN", "bip": "BIP"}.get(str(target).lower(), target)
    if target not in filters.TARGET_CHOICES:
        raise UnknownOption(f"unknown target group {target!r}; expected one of: {', '.join(filters.TARGET_CHOICES)}")
    query = {"measure": measure, "country": countries, "axis": axis, "area": areas, "target": target,
             "sort": first(params, ("sort",))}
    st, notes = page.parse_query(query, dataset)
    return page.explore_view(dataset, st, notes)


def chart_export(dataset: Dataset, chart: str, fmt: str, size: str = DEFAULT_SIZE, *,
                 region_ids: Sequence[str] = (), measure: str | None = None, axis: str | None = None,
                 countries: Sequence[str] = (), sort: str | None = None, areas: Sequence[str] = (),
                 target: str | None = None, title: str | None = None, url: str | None = None,
                 date: _dt.date | None = None, browser: ExportBrowser | None = None) -> tuple[bytes, str]:
    """Build, decorate and render a named chart; returns (bytes, file name). Validates before rendering."""
    check_format(fmt)
    check_size(size)
    spec = build_chart(dataset, chart, region_ids, measure, axis, countries, sort, areas, target)
    return figure_download(spec.fig, fmt, spec.stem, dataset, title=title or None, is_map=spec.is_map, size=size,
                           date=date, url=url, browser=browser)


def figure_download(fig: go.Figure, fmt: str, stem: str, dataset: Dataset, *, title: str | None = None,
                    is_map: bool = False, source: str | None = None, illustrative: bool | None = None,
                    size: str | ExportSize = DEFAULT_SIZE, date: _dt.date | None = None, url: str | None = None,
                    browser: ExportBrowser | None = None) -> tuple[bytes, str]:
    """Decorate and render a figure (a named chart from :func:`chart_export`, or one built on the page from
    the user's input: the self-assessment radars, the Lab map); returns (bytes, file name).
    Raises :class:`ExportError` without Chromium."""
    fmt = check_format(fmt)
    preset = check_size(size)
    out = decorate_for_export(fig, title, dataset, is_map, size=preset, date=date, url=url, source=source,
                              illustrative=illustrative)
    return render_image(out, fmt, preset, browser=browser), f"{stem}-{preset.name}.{fmt}"


# --------------------------------------------------------------------------------------------
# Data downloads
# --------------------------------------------------------------------------------------------


@dataclass
class TableMeta:
    """What the header block / About sheet says about a table."""

    title: str
    source: str
    scale: str
    provenance: str
    illustrative: bool
    url: str | None = None
    filters: str = "none (all rows)"
    exported: str = field(default_factory=lambda: _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z").strip())
    columns: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def rows(self) -> list[tuple[str, str]]:
        rows = [("Title", self.title)]
        if self.illustrative:
            rows.append(("Illustrative data", ILLUSTRATIVE_EXPORT_TEXT))
        rows += [
            ("Source", self.source),
            ("Scale", self.scale),
            ("Provenance", self.provenance),
            ("Filters", self.filters),
            ("View URL", self.url or "(not given)"),
            ("Exported", f"{self.exported} from {APP_NAME}"),
        ]
        rows += [("Note", n) for n in self.notes]
        return rows


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    return out


def _provenance(dataset: Dataset) -> str:
    rule = "published scores" if dataset.scores_published else "scores computed by the app's documented rule (see Methodology)"
    illus = [n for n, flag in dataset.resource_illustrative.items() if flag]
    text = f"Data package '{dataset.title}'; {rule}."
    if illus:
        text += f" Illustrative parts: {', '.join(sorted(illus))}."
    return text


def _sources(dataset: Dataset) -> str:
    parts = [f"{scoring.SOURCE_LINE}"]
    for name, src in dataset.sources.items():
        if src and src not in parts:
            parts.append(f"{name}: {src}")
    return " | ".join(parts)


def make_meta(dataset: Dataset, title: str, url: str | None = None, filters: str | None = None,
              scale: str = "Scores 0–100 (0 = no policy, 100 = fully developed); context statistics in the units listed",
              columns: Mapping[str, str] | None = None, notes: Sequence[str] = ()) -> TableMeta:
    return TableMeta(title=title, source=_sources(dataset), scale=scale, provenance=_provenance(dataset),
                     illustrative=dataset.illustrative, url=url, filters=filters or "none (all rows)",
                     columns=dict(columns or {}), notes=list(notes))


def _round_scores(df: pd.DataFrame, cols: Iterable[str]) -> pd.DataFrame:
    for col in cols:
        if col in df.columns and pd.api.types.is_numeric_dtype(df[col]):
            df[col] = df[col].astype(float).round(SCORE_DECIMALS)
    return df


def _dimension_columns() -> dict[str, str]:
    return {d: f"{scoring.dimension_label(d)} (score 0–100)" for d in scoring.DIMENSIONS}


@dataclass
class DataView:
    """The table(s) of a view: ``sheets`` name → DataFrame (CSV uses the first) and their meta."""

    name: str
    sheets: dict[str, pd.DataFrame]
    meta: TableMeta

    @property
    def table(self) -> pd.DataFrame:
        return next(iter(self.sheets.values()))


def data_view(dataset: Dataset, view: str, params: Mapping[str, Any] | None = None,
              url: str | None = None) -> DataView:
    """The rows and columns a page shows, as DataFrames, filtered by ``params`` (URL query keys).

    Keys: ``region``/``regions`` (ids, comma-separated or repeated), ``country``, ``group``, ``measure``,
    ``axis``, ``sort``. Views: ``scores`` (regions × dimensions), ``ranking``/``map`` (one measure),
    ``region`` (one region's profile), ``compare`` (2–4 regions), ``outcomes`` (context statistics),
    ``answers`` (indicator answers), ``framework`` (questionnaire), ``full`` (everything, all rows).
    """
    params = params or {}
    view = (view or "scores").strip().lower()
    if view not in VIEWS:
        raise UnknownOption(f"unknown view {view!r}; expected one of: {', '.join(VIEWS)}")
    regions = check_regions(dataset, many(params, REGION_KEYS))
    countries = check_countries(dataset, many(params, ("country", "countries")))
    groups = check_groups(many(params, ("group", "groups")))
    filters: list[str] = []
    if regions:
        filters.append("regions = " + ", ".join(regions))
    if countries:
        filters.append("countries = " + ", ".join(countries))
    if groups:
        filters.append("groups = " + ", ".join(groups))
    names = _names(dataset)
    table = dataset.scores_table()

    def keep_rows(frame: pd.DataFrame, id_col: str = "region_id") -> pd.DataFrame:
        ids = frame[id_col] if id_col in frame.columns else pd.Series(frame.index, index=frame.index)
        mask = pd.Series(True, index=frame.index)
        if regions:
            mask &= ids.isin(regions)
        if countries:
            country = ids.map(dict(zip(dataset.regions["region_id"], dataset.regions["country"])))
            mask &= country.isin(countries)
        if groups:
            mask &= ids.map(table["group"]).isin(groups)
        return frame[mask]

    filt = "; ".join(filters) if filters else None

    if view == "scores":
        axis = check_axis(first(params, ("axis",)), None)
        measures = [check_measure(m) for m in many(params, ("measures",))]
        dims = list(measures) or (["overall", *scoring.AXES[axis]] if axis else list(scoring.DIMENSIONS))
        if axis:
            filt = "; ".join(filter(None, [filt, f"axis = {axis}"]))
        frame = table.reset_index()[["region_id", "name_en", "name_local", "country", "country_name", "group", *dims]]
        frame = _round_scores(keep_rows(frame).reset_index(drop=True), dims)
        meta = make_meta(dataset, "MIPEX-R scores by region and dimension", url, filt,
                         columns={"group": "advanced (≥ 55) / intermediate (45–55) / lagging (< 45) on the overall score",
                                  **{d: c for d, c in _dimension_columns().items() if d in dims}})
        return DataView(view, {"scores": frame}, meta)

    if view in ("ranking", "map"):
        from dashboard.figures import explore

        measure = check_measure(first(params, MEASURE_KEYS))
        sort = first(params, ("sort",)) or ("desc" if view == "ranking" else "name")
        if sort not in explore.SORTS:
            raise UnknownOption(f"unknown sort {sort!r}; expected one of: {', '.join(explore.SORTS)}")
        frame = explore.ranking_frame(dataset.wide_scores, measure, names, None, sort)
        frame = frame.rename(columns={"name": "name_en", "of": "ranked_regions"})
        frame.insert(2, "country_name", frame["region_id"].map(table["country_name"]))
        frame.insert(3, "group", frame["region_id"].map(table["group"]))
        frame.insert(0, "measure", measure)
        frame.insert(1, "measure_label", scoring.dimension_label(measure))
        frame["rank"] = frame["rank"].astype("Int64")
        if view == "ranking":
            frame = keep_rows(frame)
        else:  # on the map a region is the selection (outlined), not a filter: every region is shown
            frame = frame.assign(selected=frame["region_id"].isin(regions)) if regions else frame
        frame = _round_scores(frame.reset_index(drop=True), ["score"])
        title = f"{scoring.dimension_label(measure)}: regions ranked (score 0–100)"
        if view == "map":
            filt = "; ".join(f for f in filters if not f.startswith("regions")) or None
        meta = make_meta(dataset, title, url, "; ".join(filter(None, [filt, f"measure = {measure}"])),
                         columns={"rank": "rank among all regions with a score (1 = highest)",
                                  "ranked_regions": "number of regions with a score on this measure",
                                  "score": "score 0–100"})
        return DataView(view, {view: frame}, meta)

    if view == "region":
        ids = check_regions(dataset, regions, 1, 1, "the region view")
        rid = ids[0]
        wide = dataset.wide_scores
        avg = wide.mean()
        rows = []
        for d in scoring.DIMENSIONS:
            rank = scoring.ranks(wide, d).get(rid)
            score = wide.at[rid, d]
            rows.append({"region_id": rid, "name_en": names[rid], "dimension": d, "label": scoring.dimension_label(d),
                         "score": score, "average_all_regions": avg[d],
                         "difference": score - avg[d] if pd.notna(score) else float("nan"),
                         "rank": rank if pd.notna(rank) else pd.NA, "ranked_regions": int(wide[d].notna().sum())})
        frame = pd.DataFrame(rows)
        frame["rank"] = frame["rank"].astype("Int64")
        frame = _round_scores(frame, ["score", "average_all_regions", "difference"])
        meta = make_meta(dataset, f"MIPEX-R profile of {names[rid]}", url, f"region = {rid}",
                         columns={"score": "score 0–100", "average_all_regions": "mean of all regions with a score",
                                  "difference": "score minus the average, in points"})
        return DataView(view, {"profile": frame}, meta)

    if view == "compare":
        from dashboard.figures import compare

        ids = check_regions(dataset, regions, 2, MAX_COMPARE, "the comparison")
        frame = compare.compare_table(dataset.wide_scores, ids)
        numeric = [c for c in frame.columns if c not in ("dimension", "label")]
        frame = _round_scores(frame, numeric)
        meta = make_meta(dataset, "MIPEX-R comparison: " + ", ".join(names[r] for r in ids), url, filt,
                         columns={**{r: f"{names[r]}: score 0–100" for r in ids},
                                  "average": "mean of all regions with a score"},
                         notes=["Columns '<id>_vs_average' and '<id>_vs_<first id>' are differences in points."])
        return DataView(view, {"compare": frame}, meta)

    if view == "explore":
        ev = explore_page_view(dataset, params)
        keys = [c["id"] for c in ev.columns]
        frame = pd.DataFrame(ev.data, columns=keys)
        by_name = dict(zip(dataset.regions["name_en"], dataset.regions["region_id"]))
        frame.insert(0, "region_id", frame["name"].map(by_name))
        if "rank" in frame.columns:
            frame["rank"] = frame["rank"].astype("Int64")
        labels = {c["id"]: (c["name"][-1] if isinstance(c["name"], list) else c["name"]) for c in ev.columns}
        desc = [f"measure = {ev.state.measure}", f"sort = {ev.state.sort}"]
        if ev.state.countries:
            desc.append("countries = " + ", ".join(ev.state.countries))
        if ev.state.axis != "all":
            desc.append(f"axis = {ev.state.axis}")
        if ev.state.areas:
            desc.append("policy areas = " + ", ".join(ev.state.areas))
        if ev.state.target != "all":
            desc.append(f"target group = {ev.state.target}")
        meta = make_meta(dataset, "Explore and rank: the table shown", url, "; ".join(desc), columns=labels,
                         notes=[_plain(n) for n in ev.notes])
        return DataView(view, {"explore": frame}, meta)

    if view == "outcomes":
        frame = keep_rows(dataset.outcomes.copy()).reset_index(drop=True)
        frame.insert(1, "name_en", frame["region_id"].map(names))
        meta = make_meta(dataset, "Regional context statistics (outcome indicators)", url, filt,
                         scale="Values in the unit given per row (persons, % …); year and Eurostat table per row",
                         notes=["'proxy' = the value is that of the enclosing NUTS unit in 'nuts_used'."])
        return DataView(view, {"outcomes": frame}, meta)

    if view == "answers":
        fw = dataset.framework[["indicator_id", "question", "element", "phase", "target", "area"]]
        frame = keep_rows(dataset.answers.copy()).merge(fw, on="indicator_id", how="left")
        frame.insert(1, "name_en", frame["region_id"].map(names))
        meta = make_meta(dataset, "MIPEX-R indicator answers", url, filt,
                         scale="Answers 0–100 (three-option items: 0 = no, 50 = occasionally, 100 = systematically); empty = not answered")
        return DataView(view, {"answers": frame.reset_index(drop=True)}, meta)

    if view == "framework":
        meta = make_meta(dataset, "MIPEX-R questionnaire (governance indicators)", url, None,
                         scale="Each indicator is answered on 0–100")
        return DataView(view, {"framework": dataset.framework.copy()}, meta)

    # full: every resource, no filters
    scores = _round_scores(table.reset_index(), list(scoring.DIMENSIONS))
    fw = dataset.framework[["indicator_id", "question", "element", "phase", "target", "area"]]
    sheets = {
        "scores": scores,
        "regions": dataset.regions.copy(),
        "answers": dataset.answers.merge(fw, on="indicator_id", how="left"),
        "outcomes": dataset.outcomes.copy(),
        "framework": dataset.framework.copy(),
    }
    meta = make_meta(dataset, "MIPEX-R Explorer: the full dataset", url, "none (the full dataset)",
                     columns={"group": "advanced (≥ 55) / intermediate (45–55) / lagging (< 45) on the overall score",
                              **_dimension_columns()},
                     notes=["The CSV holds the scores sheet; the XLSX holds every part of the dataset."])
    return DataView("full", sheets, meta)


def _plain(text: Any) -> str:
    return re.sub(r"<[^>]+>", "", str(text))


def table_to_csv(df: pd.DataFrame, meta: TableMeta | None = None) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheets read the accents) led by a ``# key: value`` header block.

    The header block is one quoted cell per line starting with ``#``; :func:`read_export_csv` skips it.
    Text cells that would start a formula are neutralised.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if meta is not None:
        for key, value in meta.rows():
            writer.writerow([f"# {key}: {value}"])
    data = neutralise_frame(df)
    data.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8-sig")


def read_export_csv(content: bytes) -> tuple[list[str], pd.DataFrame]:
    """(header block lines without '# ', table) of a CSV made by :func:`table_to_csv`."""
    text = content.decode("utf-8-sig")
    lines = text.split("\n")
    header = []
    i = 0
    for i, line in enumerate(lines):
        cell = next(csv.reader([line]), [""]) if line else [""]
        if cell and cell[0].startswith("# "):
            header.append(cell[0][2:])
        else:
            break
    table = pd.read_csv(io.StringIO("\n".join(lines[i:])), dtype=str, keep_default_na=False)
    return header, table


def _cell(value: Any) -> Any:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):
        value = value.item()
    return neutralise(value) if isinstance(value, str) else value


def table_to_xlsx(df: pd.DataFrame | Mapping[str, pd.DataFrame], meta: TableMeta | None = None) -> bytes:
    """An XLSX workbook: one sheet per table (the first is the one a reader opens with ``sheet_name=0``)
    and an "About" sheet with the header block and the column descriptions. Formula-like text is neutralised
    and every text cell is stored as text (never as a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheets = {"data": df} if isinstance(df, pd.DataFrame) else dict(df)
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="E8ECF1")
    for name, frame in sheets.items():
        ws = wb.create_sheet(_sheet_name(name))
        columns = [str(c) for c in frame.columns]
        for j, col in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=j, value=neutralise(col))
            cell.font = bold
            cell.fill = head_fill
        # Neutralised text never starts with "=", so openpyxl stores every text cell as text, not a formula.
        for row in frame.itertuples(index=False, name=None):
            ws.append([_cell(v) for v in row])
        ws.freeze_panes = "A2"
        for i, col in enumerate(columns, start=1):
            sample = [len(col)] + [len(str(v)) for v in frame.iloc[:200, i - 1].tolist() if v is not None]
            ws.column_dimensions[get_column_letter(i)].width = min(max(sample) + 2, 60)
    if meta is not None:
        ws = wb.create_sheet("About")
        ws.append(["MIPEX-R Explorer export"])
        ws["A1"].font = Font(bold=True, size=14)
        r = 1
        for key, value in meta.rows():
            r += 1
            ws.cell(row=r, column=1, value=key).font = bold
            ws.cell(row=r, column=2, value=neutralise(str(value)))
        if meta.columns:
            r += 2
            ws.cell(row=r, column=1, value="Column").font = bold
            ws.cell(row=r, column=2, value="Meaning").font = bold
            for col, text in meta.columns.items():
                ws.append([neutralise(col), neutralise(text)])
        ws.column_dimensions["A"].width = 22
        ws.column_dimensions["B"].width = 110
        for row in ws.iter_rows(min_col=2, max_col=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        wb.properties.title = meta.title
        wb.properties.creator = APP_NAME
        wb.properties.description = ILLUSTRATIVE_EXPORT_TEXT if meta.illustrative else meta.source[:250]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet_name(name: str) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "-", str(name))[:31]
    return name or "data"


def data_export(dataset: Dataset, view: str, fmt: str, params: Mapping[str, Any] | None = None,
                url: str | None = None) -> tuple[bytes, str]:
    """(bytes, file name) of a view as CSV (first table) or XLSX (all tables + About)."""
    fmt = check_format(fmt, DATA_FORMATS)
    dv = data_view(dataset, view, params, url)
    stem = f"mipexr-{dv.name}"
    if dv.name in ("region", "compare"):
        stem += "-" + "-".join(check_regions(dataset, many(params or {}, REGION_KEYS))).lower()
    elif dv.name in ("ranking", "map"):
        stem += "-" + _slug(str(dv.table["measure"].iloc[0]) if len(dv.table) else "overall")
    if fmt == "csv":
        return table_to_csv(dv.table, dv.meta), f"{stem}.csv"
    return table_to_xlsx(dv.sheets, dv.meta), f"{stem}.xlsx"


# --------------------------------------------------------------------------------------------
# Briefs
# --------------------------------------------------------------------------------------------

BRIEF_CHART_W = 340  # CSS px of a half-width chart on an A4 page with 14 mm margins (182 mm ≈ 688 px)
BRIEF_CHART_H = 250


def _svg_inline(svg: bytes | str, label: str) -> str:
    """Make kaleido's SVG scale to its box (viewBox, width 100 %) and label it for screen readers."""
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    m = re.match(r'\s*<svg([^>]*?)\swidth="([\d.]+)"\s+height="([\d.]+)"', text)
    if m:
        w, h = m.group(2), m.group(3)
        text = text.replace(m.group(0), f'<svg{m.group(1)} viewBox="0 0 {w} {h}" width="100%" '
                            f'preserveAspectRatio="xMidYMid meet"', 1)
    text = text.replace("<svg", f'<svg role="img" aria-label="{_html.escape(label)}"', 1)
    return text


def _brief_fig(fig: go.Figure, kind: str) -> go.Figure:
    """Fit an app figure into a half-width cell of the A4 brief: no title, no legend (the brief prints one
    legend in HTML), no on-screen source annotation (the page carries the source), tight margins."""
    out = go.Figure(fig)
    out.layout.annotations = [a for a in out.layout.annotations if not _source_annotation(a)]
    out.update_layout(title=dict(text=""), showlegend=False, font=dict(size=11), height=BRIEF_CHART_H,
                      width=BRIEF_CHART_W)
    if kind == "radar":
        out.update_layout(margin=dict(l=78, r=78, t=26, b=22))
        spokes = max((len(getattr(tr, "theta", None) or ()) - 1 for tr in out.data), default=4)
        # radial tick labels between the first two spokes, so they never sit on the top spoke's label
        out.update_polars(radialaxis_title_text="", angularaxis_tickfont_size=10, radialaxis_tickfont_size=8,
                          radialaxis_angle=90 - 180 / max(spokes, 2), radialaxis_tickangle=0)
    else:  # horizontal TCN / BIP bars: short category labels
        cats = list(dict.fromkeys(c for tr in out.data for c in (getattr(tr, "y", None) or []) if isinstance(c, str)))
        short = [next((t for t in scoring.TARGETS if f"({t})" in c), c) for c in cats]
        out.update_yaxes(tickvals=cats, ticktext=short, automargin=True)
        out.update_xaxes(title_text="score (0–100)", tickangle=0, title_font_size=10)
        out.update_traces(textfont_size=10)
        out.update_layout(margin=dict(l=40, r=34, t=10, b=40), bargap=0.25)
    return out


@dataclass
class BriefChart:
    key: str
    title: str
    caption: str
    fig: go.Figure
    width: int = BRIEF_CHART_W
    height: int = BRIEF_CHART_H
    svg: str | None = None

    def spec_json(self) -> str:
        return json.dumps(self.fig.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)


def _fmt_score(value: Any) -> str:
    return "no score" if value is None or pd.isna(value) else f"{float(value):.0f}"


def _region_context(dataset: Dataset, rid: str) -> dict:
    wide = dataset.wide_scores
    row = dataset.region(rid)
    overall = wide.at[rid, "overall"]
    rank = scoring.ranks(wide, "overall").get(rid)
    return {
        "id": rid,
        "name": row["name_en"],
        "name_local": row["name_local"] if row["name_local"] != row["name_en"] else None,
        "country": row["country_name"],
        "nuts_level": row["nuts_level"],
        "partner": bool(row["partner_region"]),
        "overall": _fmt_score(overall),
        "group": scoring.group_of(None if pd.isna(overall) else float(overall)) or "no group",
        "rank": None if rank is None or pd.isna(rank) else int(rank),
        "ranked": int(wide["overall"].notna().sum()),
    }


def brief_context(dataset: Dataset, region_ids: Sequence[str]) -> dict:
    """Everything the brief template shows (charts as figures, not yet rendered). Validates the ids."""
    from dashboard.components.stats_table import stats_rows
    from dashboard.figures import compare as compare_figs
    from dashboard.figures import profile

    ids = check_regions(dataset, region_ids, 1, MAX_COMPARE, "a brief")
    wide = dataset.wide_scores
    names = _names(dataset)
    avg = wide.mean()
    regions = [_region_context(dataset, r) for r in ids]
    source = dataset.source_line
    charts: list[BriefChart] = []
    radar_caption = "Score 0–100 on each spoke; dashed grey line: average of all regions."
    for axis in ("area", "element", "phase"):
        fig = profile.radar_axis(wide, ids, axis, source, include_average=True, names=names)
        charts.append(BriefChart(f"radar-{axis}", scoring.AXIS_LABELS[axis], radar_caption,
                                 _brief_fig(fig, "radar")))
    target = profile.target_bars(wide, ids, source, include_average=True, names=names)
    charts.append(BriefChart("target", "Target population (TCN and BIP)",
                             "Third-country nationals (TCN) and beneficiaries of international protection (BIP); "
                             "score 0–100; hatched bar: average of all regions.", _brief_fig(target, "bars")))
    from dashboard.figures.common import AVERAGE_COLOR, SERIES_COLORS

    legend = [{"name": names[r], "color": SERIES_COLORS[i % len(SERIES_COLORS)], "dash": False}
              for i, r in enumerate(ids)]
    legend.append({"name": "Average of all regions", "color": AVERAGE_COLOR, "dash": True})
    comparison = len(ids) > 1
    ctx: dict[str, Any] = {
        "app": APP_NAME,
        "comparison": comparison,
        "regions": regions,
        "title": ("Comparison brief: " + ", ".join(r["name"] for r in regions)) if comparison
        else f"Regional brief: {regions[0]['name']}",
        "illustrative": dataset.illustrative,
        "illustrative_text": ILLUSTRATIVE_EXPORT_TEXT,
        "source_line": f"Source: {scoring.SOURCE_LINE}. Scale 0–100.",
        "average_overall": _fmt_score(avg["overall"]),
        "date": _dt.date.today().isoformat(),
        "charts": charts,
        "legend": legend,
        "rule": dataset.rule.describe(),
        "thresholds": scoring.GROUP_THRESHOLDS,
        "sources": [(k, v) for k, v in dataset.sources.items() if v],
        "provenance": _provenance(dataset),
        "n_regions": len(wide),
        "n_indicators": len(dataset.framework),
    }
    if not comparison:
        rid = ids[0]
        strengths, weaknesses = scoring.strengths_weaknesses(wide, rid, n=3)
        similar = scoring.similar_regions(wide, rid, n=3)
        ctx["summary"] = scoring.summary_sentence(names[rid], wide, rid)
        ctx["strengths"] = strengths.to_dict("records")
        ctx["weaknesses"] = weaknesses.to_dict("records")
        ctx["similar"] = [dict(_region_context(dataset, s), distance=f"{d:.1f}")
                          for s, d in zip(similar["region_id"], similar["distance"])]
        ctx["stats"] = stats_rows(dataset.outcomes, rid)
        ctx["dimensions"] = [
            {"label": scoring.dimension_label(d), "score": _fmt_score(wide.at[rid, d]), "average": _fmt_score(avg[d]),
             "axis": scoring.AXIS_LABELS.get(scoring.axis_of(d), "")}
            for d in scoring.DIMENSIONS]
    else:
        table = compare_figs.compare_table(wide, ids)
        ctx["table"] = [
            {"label": row["label"], "scores": [_fmt_score(row[r]) for r in ids], "average": _fmt_score(row["average"]),
             "axis": scoring.AXIS_LABELS.get(scoring.axis_of(row["dimension"]), "")}
            for row in table.to_dict("records")]
        from dashboard.components.stats_table import format_value

        by_indicator: dict[str, dict] = {}
        for rid in ids:
            for rec in dataset.outcomes_for(rid).to_dict("records"):
                unit = str(rec.get("unit") or "")
                entry = by_indicator.setdefault(rec["indicator"], {
                    "label": rec.get("label") or rec["indicator"], "unit": unit, "values": {}, "years": set(),
                    "source": rec.get("eurostat_table") or ""})
                cell_unit = "%" if unit.startswith("%") else ""
                text = format_value(rec.get("value"), cell_unit, rec.get("indicator"))
                entry["values"][rid] = text + (" *" if bool(rec.get("proxy")) else "")
                if rec.get("year") is not None and not pd.isna(rec.get("year")):
                    entry["years"].add(str(int(rec["year"])))
        ctx["stats_compare"] = [
            dict(e, cells=[e["values"].get(r, "not available") for r in ids], year=", ".join(sorted(e["years"])))
            for e in by_indicator.values()]
        ctx["stats_sources"] = sorted({e["source"] for e in by_indicator.values() if e["source"]})
        ctx["stats_illustrative"] = bool(dataset.resource_illustrative.get("outcomes"))
    if not comparison:
        ctx["stats_illustrative"] = any(r["illustrative"] for r in ctx["stats"])
    return ctx


def _jinja_env():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
                             autoescape=jinja2.select_autoescape(["html", "j2"]),
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    return env


def _render_chart_svgs(charts: Sequence[BriefChart], browser: ExportBrowser | None) -> None:
    svgs = (browser or get_browser()).render_many([(c.fig, "svg", c.width, c.height, 1) for c in charts])
    for chart, svg in zip(charts, svgs):
        chart.svg = _svg_inline(svg, f"{chart.title}. {chart.caption}")


def brief_html(dataset: Dataset, region_ids: Sequence[str], *, charts: str = "svg", plotly_js_url: str | None = None,
               for_print: bool = False, pdf_url: str | None = None, view_url: str | None = None,
               browser: ExportBrowser | None = None) -> str:
    """The brief as one self-contained HTML page (1 region: regional brief; 2–4: comparison brief).

    ``charts="svg"`` inlines each chart as SVG rendered on the warm Chromium (vector in print and PDF);
    ``charts="js"`` embeds the figure specs for plotly.js loaded from ``plotly_js_url`` instead (the printable
    page still works without Chromium). Raises UnknownOption for unknown ids, ExportError without Chromium.
    """
    if charts not in ("svg", "js"):
        raise UnknownOption(f"unknown chart mode {charts!r}; expected svg or js")
    ctx = brief_context(dataset, region_ids)
    if charts == "svg":
        _render_chart_svgs(ctx["charts"], browser)
    ctx.update(chart_mode=charts, plotly_js_url=plotly_js_url, for_print=for_print, pdf_url=pdf_url,
               view_url=view_url, chart_w=BRIEF_CHART_W, chart_h=BRIEF_CHART_H)
    return _jinja_env().get_template("brief.html.j2").render(**ctx)


def brief_footer_template(dataset: Dataset) -> str:
    """Chromium's print footer (page numbers, source, illustrative mark) for :func:`brief_pdf`."""
    mark = f"<b>{_html.escape(ILLUSTRATIVE_EXPORT_TEXT)}</b> · " if dataset.illustrative else ""
    return (
        '<div style="font-family: \'DejaVu Sans\', Arial, sans-serif; font-size:7px; color:#4b5563; '
        'width:100%; margin:0 14mm; display:flex; justify-content:space-between;">'
        f"<span>{mark}Source: {_html.escape(scoring.SOURCE_LINE)}. Scale 0–100. {APP_NAME}, "
        f"{_dt.date.today().isoformat()}</span>"
        '<span style="white-space:nowrap; margin-left:4mm">Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
    )


def brief_pdf(dataset: Dataset, region_ids: Sequence[str], *, view_url: str | None = None,
              browser: ExportBrowser | None = None) -> bytes:
    """The brief as an A4 PDF (charts vector, text extractable), printed by the warm Chromium."""
    browser = browser or get_browser()
    page = brief_html(dataset, region_ids, charts="svg", for_print=True, view_url=view_url, browser=browser)
    return browser.print_pdf(page, footer_html=brief_footer_template(dataset))


def brief_filename(dataset: Dataset, region_ids: Sequence[str], ext: str) -> str:
    ids = check_regions(dataset, region_ids, 1, MAX_COMPARE, "a brief")
    kind = "comparison" if len(ids) > 1 else "brief"
    return f"mipexr-{kind}-{'-'.join(ids).lower()}.{ext}"
