"""HTTP routes for exports, mounted on the Dash app's Flask server by :func:`init_app`.

=====================================================  =============================================
``/export/chart.<png|svg|pdf>?chart=…``                 a chart image (``chart`` = map, radar, compare,
                                                        ranking, heatmap, target; ``measure``, ``region``
                                                        (repeatable or comma-separated), ``axis``,
                                                        ``country``, ``sort``, ``size`` = slide|a4, ``title``)
``/export/data.<csv|xlsx>?view=…``                      the view's table (``view`` = scores, ranking, map,
                                                        region, compare, explore, outcomes, answers,
                                                        framework, full) with the same filter keys
``/brief/<ids>.pdf`` / ``/brief/<ids>.html``            the brief of one region or a comparison of 2–4
                                                        (ids joined by ``,``); the HTML page is printable
                                                        (``?charts=js`` draws the charts with plotly.js in
                                                        the browser, no Chromium needed)
``/export/status``                                      JSON: is server-side image/PDF export available
``/export/plotly.min.js``                               the plotly.js of the installed plotly package
=====================================================  =============================================

Every route accepts ``page=/path`` (the page the link sits on): the export then quotes the URL of the
view (page + its query) in its header block / footer. Files come with ``Content-Disposition:
attachment`` and a descriptive file name. Bad parameters get a 400 plain-text message naming the
parameter; without Chromium the image/PDF routes answer 503 with a plain message (CSV/XLSX still work).
Parameters are read by :mod:`dashboard.query`, as the pages read them: a repeated key takes its first value.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections import OrderedDict
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, request, send_file

from dashboard import security, state
from dashboard.constants import DATA_FORMATS, EXPORT_CHARTS, MAX_COMPARE
from dashboard.errors import ExportError, InputError, UnknownOption
from dashboard.export import browser as chromium
from dashboard.export.brief import brief_filename, brief_html, brief_pdf
from dashboard.export.images import DEFAULT_SIZE, SIZES, chart_export, check_format
from dashboard.export.tables import data_export
from dashboard.query import COUNTRY_KEYS, MEASURE_KEYS, REGION_KEYS, first, many, split_values
from dashboard.views.common import check_regions

bp = Blueprint("mipexr_export", __name__)

#: Query keys that configure the export itself; everything else describes the view.
EXPORT_KEYS = ("chart", "size", "title", "view", "page", "charts", "download")
CACHE_SIZE = 24
MIME_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


class _Cache:
    """A small LRU of rendered files, keyed by the dataset object and the request (the dataset is held,
    so a replaced dataset never matches an old entry)."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key][1]
        return None

    def put(self, key, dataset, value) -> None:
        with self._lock:
            self._data[key] = (dataset, value)
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


cache = _Cache()


def _text(message: str, status: int) -> Response:
    return Response(message.rstrip() + "\n", status=status, mimetype="text/plain")


def _error(exc: Exception) -> Response:
    if isinstance(exc, (UnknownOption, InputError)):
        return _text(f"Bad request: {exc}", 400)
    if isinstance(exc, ExportError):
        if exc.reason in ("no-browser", "no-geo"):
            return _text(f"Export not available: {exc}", 503)
        return _text(f"Export failed: {exc}", 500)
    raise exc


def _params() -> dict[str, list[str]]:
    return {k: request.args.getlist(k) for k in request.args.keys()}


def view_url() -> str | None:
    """Absolute URL of the page the export was asked from (``page`` + the view's query keys)."""
    page = request.args.get("page")
    if not page or not page.startswith("/") or page.startswith("//") or len(page) > 200:
        return None
    query = [(k, v) for k in request.args.keys() if k not in EXPORT_KEYS for v in request.args.getlist(k)]
    return request.host_url.rstrip("/") + page + (f"?{urlencode(query)}" if query else "")


def _file(content: bytes, filename: str, fmt: str, inline: bool = False) -> Response:
    resp = Response(content, mimetype=MIME_TYPES[fmt].split(";")[0])
    if fmt in ("csv", "html"):
        resp.headers["Content-Type"] = MIME_TYPES[fmt]
    resp.headers["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@bp.route("/export/chart.<fmt>")
def chart_route(fmt: str):
    dataset = state.current()
    try:
        fmt = check_format(fmt)
        params = _params()
        chart = request.args.get("chart") or ""
        if not chart:
            raise UnknownOption(f"missing parameter 'chart' (one of: {', '.join(EXPORT_CHARTS)})")
        size = request.args.get("size") or DEFAULT_SIZE
        regions = many(params, REGION_KEYS)
        measure = first(params, MEASURE_KEYS)
        axis = first(params, ("axis",))
        countries = many(params, COUNTRY_KEYS)
        sort = first(params, ("sort",))
        areas = many(params, ("area", "areas"))
        target = first(params, ("target",))
        title = request.args.get("title") or None
        url = view_url()
        key = ("chart", fmt, chart, size, tuple(regions), measure, axis, tuple(countries), sort, tuple(areas),
               target, title, url, dt.date.today(), id(dataset))
        hit = cache.get(key)
        if hit is None:
            hit = chart_export(dataset, chart, fmt, size, region_ids=regions, measure=measure, axis=axis,
                               countries=countries, sort=sort, areas=areas, target=target, title=title, url=url)
            cache.put(key, dataset, hit)
        content, filename = hit
    except (ExportError, InputError) as exc:
        return _error(exc)
    return _file(content, filename, fmt, inline=request.args.get("download") == "0")


@bp.route("/export/data.<fmt>")
def data_route(fmt: str):
    dataset = state.current()
    try:
        fmt = check_format(fmt, DATA_FORMATS)
        view = request.args.get("view") or "scores"
        content, filename = data_export(dataset, view, fmt, _params(), url=view_url())
    except (ExportError, InputError) as exc:
        return _error(exc)
    return _file(content, filename, fmt)


def _brief_ids(ids: str) -> list[str]:
    return split_values(ids)


@bp.route("/brief/<ids>.pdf")
def brief_pdf_route(ids: str):
    dataset = state.current()
    try:
        region_ids = check_regions(dataset, _brief_ids(ids), 1, MAX_COMPARE, "a brief")
        url = view_url()
        key = ("brief-pdf", tuple(region_ids), url, dt.date.today(), id(dataset))
        content = cache.get(key)
        if content is None:
            content = brief_pdf(dataset, region_ids, view_url=url)
            cache.put(key, dataset, content)
        filename = brief_filename(dataset, region_ids, "pdf")
    except (ExportError, InputError) as exc:
        return _error(exc)
    return _file(content, filename, "pdf", inline=request.args.get("download") == "0")


@bp.route("/brief/<ids>.html")
def brief_html_route(ids: str):
    dataset = state.current()
    try:
        region_ids = check_regions(dataset, _brief_ids(ids), 1, MAX_COMPARE, "a brief")
        mode = request.args.get("charts") or ("svg" if chromium.browser_available() else "js")
        if mode not in ("svg", "js"):
            raise UnknownOption(f"unknown value {mode!r} for 'charts'; expected svg or js")
        url = view_url()
        pdf_url = f"/brief/{','.join(region_ids)}.pdf" + (f"?{urlencode({'page': request.args['page']})}"
                                                            if request.args.get("page") else "")
        try:
            page = brief_html(dataset, region_ids, charts=mode, plotly_js_url="/export/plotly.min.js",
                              script_nonce=security.nonce(),
                              pdf_url=pdf_url if mode == "svg" else None, view_url=url)
        except ExportError as exc:
            if exc.reason != "no-browser" or request.args.get("charts") == "svg":
                raise
            page = brief_html(dataset, region_ids, charts="js", plotly_js_url="/export/plotly.min.js", view_url=url,
                              script_nonce=security.nonce())
        filename = brief_filename(dataset, region_ids, "html")
    except (ExportError, InputError) as exc:
        return _error(exc)
    resp = _file(page.encode("utf-8"), filename, "html", inline=request.args.get("download") != "1")
    return resp


@bp.route("/export/status")
def status_route():
    problem = chromium.browser_problem()
    browser = chromium.get_browser()
    return jsonify({"server_export": problem is None, "message": problem or "Chromium found",
                    "browser_running": browser.running, "sizes": {k: v.label for k, v in SIZES.items()}})


@bp.route("/export/plotly.min.js")
def plotly_js_route():
    return send_file(chromium.PLOTLY_JS, mimetype="text/javascript", max_age=86400)


def init_app(app) -> None:
    """Register the export routes on a Dash app (``app.server`` is the Flask server) or a Flask app.

    With ``MIPEXR_EXPORT_PREWARM=1`` Chromium is started in the background now, so even the first export
    after a server start is fast (otherwise it starts on the first export and stays warm).
    """
    server = getattr(app, "server", app)
    if "mipexr_export" not in server.blueprints:
        server.register_blueprint(bp)
    if os.environ.get("MIPEXR_EXPORT_PREWARM", "").strip().lower() in ("1", "true", "yes"):
        threading.Thread(target=chromium.warm_up, name="mipexr-export-prewarm", daemon=True).start()


__all__ = ["bp", "cache", "init_app", "view_url"]
