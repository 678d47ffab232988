"""HTTP routes for exports, mounted on the Dash app's Flask server by :func:`init_app`.

=====================================================  =============================================
``/export/chart.<png|svg|pdf>?chart=…``                 a chart image (``chart`` = map, radar, compare,
                                                        ranking, heatmap, target, outcomes; ``measure``,
                                                        ``region`` (repeatable or comma-separated), ``axis``,
                                                        ``country``, ``sort``, ``size`` = slide|a4, ``title``;
                                                        outcomes: ``x``, ``y``, ``mode``, one ``region``)
``/export/data.<csv|xlsx>?view=…``                      the view's table (``view`` = scores, ranking, map,
                                                        region, compare, explore, outcomes, policy-outcomes,
                                                        answers, framework, full) with the same filter keys
``/brief/<ids>.pdf`` / ``/brief/<ids>.html``            the brief of one region or a comparison of 2–4
                                                        (ids joined by ``,``); the HTML page is printable
                                                        (``?charts=js`` draws the charts with plotly.js in
                                                        the browser, no Chromium needed);
                                                        ``?appendix=questions`` adds the questions behind
                                                        each dimension (none by default)
``/export/status``                                      JSON: is server-side image/PDF export available
                                                        (yes/no and a plain reason; no path, no version)
``/export/plotly.min.js``                               the plotly.js of the installed plotly package
=====================================================  =============================================

Heavy work off the request threads: images, PDFs and the SVG charts of a brief are made on the bounded
render pool (:mod:`dashboard.export.pool`); when its waiting line is full the answer is 503 "the export
service is busy, try again in a moment" with ``Retry-After``, so CSV/XLSX downloads, pages and callbacks
never queue behind renders. CSV/XLSX are made on the request thread (they are cheap).

Cache: rendered files are kept in a bounded LRU (:mod:`dashboard.export.cache`) keyed by the **parsed,
validated** request — chart or brief, format, size, canonical region ids, measure, axis, …, title, the
link the file quotes, the date and the dataset's fingerprint (:func:`dashboard.export.jobs.key`) — so
``&bust=N`` or any unknown key, key order, repeated keys or the case of a region id neither bypass nor split
it. With ``MIPEXR_REDIS_URL`` the cache is Redis (Flask-Caching's Redis backend), shared by every worker,
and images and PDFs of the shared data are made by Celery workers (:mod:`dashboard.worker`) on any machine.

Links in files: every route accepts ``page=/path`` (the page the link sits on); the file then quotes the
view as ``MIPEXR_PUBLIC_URL`` (or nothing: a relative path) + page + the canonical query of that page
(:mod:`dashboard.export.links`) — never the request's Host header. A brief links to its regions
(``/region/PT20``, ``/compare?regions=PT20,ES51``).

Answers: files come with ``Content-Disposition: attachment`` and a descriptive file name. Bad parameters
get a 400 plain-text message naming the parameter; no Chromium, a busy pool or a render that ran out of
time get a 503 plain message (the last two with ``Retry-After``); the details go to the log only.
Parameters are read by :mod:`dashboard.query`, as the pages read them: a repeated key takes its first value.

Language: every route answers in the request's language (:mod:`dashboard.i18n.web`: ``?lang=`` first, then
the page named by ``Referer``, the cookie, ``Accept-Language``): the files' texts, the plain error messages
and the brief. Images and briefs are made as jobs that carry that language (:mod:`dashboard.export.jobs`),
so the render pool, a Celery worker and the cache key all see it. The export links of a page in another
language than English carry ``lang=`` (:func:`dashboard.components.export_buttons.export_hrefs`), and so do
the brief's PDF link and the "view in the dashboard" links in files (:mod:`dashboard.export.links`).
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, request, send_file

from dashboard import i18n, security, state
from dashboard.constants import DATA_FORMATS, EXPORT_CHARTS, MAX_COMPARE
from dashboard.errors import ExportError, InputError, UnknownOption
from dashboard.export import browser as chromium
from dashboard.export import jobs, links
from dashboard.export import pool as render_pool
from dashboard.export.brief import brief_filename, brief_html
from dashboard.export.cache import ExportCache, SharedExportCache
from dashboard.export.images import DEFAULT_SIZE, check_format, check_size
from dashboard.export.tables import data_export
from dashboard.i18n import N_, _
from dashboard.query import (
    COUNTRY_KEYS,
    EDITION_KEYS,
    MEASURE_KEYS,
    REGION_KEYS,
    SINCE_KEYS,
    first,
    many,
    shorten,
    split_values,
)
from dashboard.views import editions
from dashboard.views.brief import check_appendix
from dashboard.views.charts import chart_params, normalise_chart
from dashboard.views.common import check_regions
from dashboard.views.tables import link_params
from dashboard.worker import client as worker_client

log = logging.getLogger(__name__)
bp = Blueprint("mipexr_export", __name__)

MAX_TITLE = 200
MIME_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}
#: N_-marked: answered as ``_(TEXT)`` in the request's language.
NO_BROWSER_TEXT = N_("Export not available: server-side image and PDF export needs the Chromium browser, which "
                     "this server does not have. CSV/XLSX downloads and the printable brief still work.")
NO_GEO_TEXT = N_("Export not available: the map needs the boundary files, which this server does not have.")
TIMEOUT_TEXT = N_("The export took too long and was stopped; try again in a moment.")
FAILED_TEXT = N_("The export could not be made; try again in a moment.")

#: Rendered files (keys from the parsed request only): this process's bounded LRU, or — with
#: ``MIPEXR_REDIS_URL`` — Redis, shared by every worker on every machine (:func:`init_app` chooses).
cache: ExportCache | SharedExportCache = ExportCache()
_waiting: threading.BoundedSemaphore | None = None  # request threads waiting on the Celery queue
_waiting_lock = threading.Lock()


def _text(message: str, status: int, retry_after: int | None = None) -> Response:
    resp = Response(message.rstrip() + "\n", status=status, mimetype="text/plain")
    if retry_after:
        resp.headers["Retry-After"] = str(int(retry_after))
    return resp


def _error(exc: Exception) -> Response:
    """A plain answer for a refused or failed export (the detail goes to the log, not to the client)."""
    if isinstance(exc, (UnknownOption, InputError)):
        return _text(_("Bad request: {message}").format(message=_(str(exc))), 400)
    if isinstance(exc, render_pool.ExportBusy):
        return _text(_(str(exc)), 503, exc.retry_after)
    if isinstance(exc, ExportError):
        log.warning("export refused (%s): %s", exc.reason, exc)
        if exc.reason == "no-browser":
            return _text(_(NO_BROWSER_TEXT), 503)
        if exc.reason == "no-geo":
            return _text(_(NO_GEO_TEXT), 503)
        if exc.reason == "timeout":
            return _text(_(TIMEOUT_TEXT), 503, render_pool.RETRY_AFTER)
        return _text(_(FAILED_TEXT), 503, render_pool.RETRY_AFTER)
    raise exc


def _params() -> dict[str, list[str]]:
    return {k: request.args.getlist(k) for k in request.args.keys()}


def _page() -> str | None:
    return request.args.get("page")


def _title() -> str | None:
    title = (request.args.get("title") or "").strip() or None
    if title is not None and len(title) > MAX_TITLE:
        raise UnknownOption(f"the title is {len(title)} characters long; at most {MAX_TITLE}")
    return title


def _file(content: bytes, filename: str, fmt: str, inline: bool = False) -> Response:
    resp = Response(content, mimetype=MIME_TYPES[fmt].split(";")[0])
    if fmt in ("csv", "html"):
        resp.headers["Content-Type"] = MIME_TYPES[fmt]
    resp.headers["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


def _queue_slot() -> threading.BoundedSemaphore:
    global _waiting
    with _waiting_lock:
        if _waiting is None:
            pool = render_pool.get_pool()
            _waiting = threading.BoundedSemaphore(pool.workers + pool.queue)
        return _waiting


def rendered(dataset: Any, job: dict) -> Any:
    """The file ``job`` describes (:mod:`dashboard.export.jobs`), from the cache, else made — by a Celery
    worker when ``MIPEXR_REDIS_URL`` is set and the dataset is the shared one (:mod:`dashboard.worker`),
    else on this process's render pool (the same job being made already is waited for, not made twice) —
    and cached. ExportBusy when the waiting line is full."""
    key = jobs.key(job, dataset.fingerprint)
    hit = cache.get(key)
    if hit is not None:
        return hit
    source = state.source_of(dataset)
    if source is not None and worker_client.enabled():
        slot = _queue_slot()  # at most as many request threads wait on the queue as on the local pool
        if not slot.acquire(blocking=False):
            raise render_pool.ExportBusy()
        try:
            value = worker_client.run(source, dataset.fingerprint, job)
        finally:
            slot.release()
        cache.put(key, dataset, value)
        return value

    def make():
        again = cache.get(key)  # made while this job waited in line
        if again is not None:
            return again
        value = jobs.make(dataset, job)
        cache.put(key, dataset, value)
        return value

    return render_pool.get_pool().run(make, key=key)


@bp.route("/export/chart.<fmt>")
def chart_route(fmt: str):
    dataset = state.current()
    try:
        fmt = check_format(fmt)
        params = _params()
        chart = first(params, ("chart",))
        if not chart:
            raise UnknownOption(f"missing parameter 'chart' (one of: {', '.join(EXPORT_CHARTS)})")
        size = check_size(first(params, ("size",)) or DEFAULT_SIZE).name
        name, q = normalise_chart(dataset, chart, region_ids=many(params, REGION_KEYS),
                                  measure=first(params, MEASURE_KEYS), axis=first(params, ("axis",)),
                                  countries=many(params, COUNTRY_KEYS), sort=first(params, ("sort",)),
                                  areas=many(params, ("area", "areas")), target=first(params, ("target",)),
                                  x=first(params, ("x",)), y=first(params, ("y",)), mode=first(params, ("mode",)),
                                  edition=first(params, EDITION_KEYS), since=first(params, SINCE_KEYS))
        title = _title()
        link = links.view_link(_page(), chart_params(q))
        content, filename = rendered(dataset, jobs.chart_job(fmt, size, name, q, title, link))
    except (ExportError, InputError) as exc:
        return _error(exc)
    return _file(content, filename, fmt, inline=request.args.get("download") == "0")


@bp.route("/export/data.<fmt>")
def data_route(fmt: str):
    dataset = state.current()
    try:
        fmt = check_format(fmt, DATA_FORMATS)
        params = _params()
        view = first(params, ("view",)) or "scores"
        link = links.view_link(_page(), link_params(dataset, params))
        content, filename = data_export(dataset, view, fmt, params, url=link)
    except (ExportError, InputError) as exc:
        return _error(exc)
    return _file(content, filename, fmt)


def _brief_ids(dataset, ids: str) -> list[str]:
    if len(ids) > 400:
        raise UnknownOption(f"a brief takes at most {MAX_COMPARE} regions; got {shorten(ids)!r}")
    return check_regions(dataset, split_values(ids), 1, MAX_COMPARE, "a brief")


def _brief_editions(dataset) -> tuple[int | None, int | None, dict[str, str]]:
    """(edition, since, their link keys) of a brief request, checked strictly (UnknownOption)."""
    choice = editions.from_params(dataset, _params(), strict=True)
    return choice.edition, choice.since, choice.params()


@bp.route("/brief/<ids>.pdf")
def brief_pdf_route(ids: str):
    dataset = state.current()
    try:
        region_ids = _brief_ids(dataset, ids)
        appendix = check_appendix(first(_params(), ("appendix",)))
        edition, since, ed_params = _brief_editions(dataset)
        link = links.brief_link(region_ids, ed_params)
        content = rendered(dataset, jobs.brief_pdf_job(region_ids, link, appendix=appendix, edition=edition,
                                                       since=since))
        filename = brief_filename(dataset, region_ids, "pdf", appendix)
    except (ExportError, InputError) as exc:
        return _error(exc)
    return _file(content, filename, "pdf", inline=request.args.get("download") == "0")


@bp.route("/brief/<ids>.html")
def brief_html_route(ids: str):
    dataset = state.current()
    try:
        region_ids = _brief_ids(dataset, ids)
        appendix = check_appendix(first(_params(), ("appendix",)))
        asked = first(_params(), ("charts",))
        mode = asked or ("svg" if chromium.browser_available() else "js")
        if mode not in ("svg", "js"):
            raise UnknownOption(f"unknown value {shorten(mode)!r} for 'charts'; expected svg or js")
        edition, since, ed_params = _brief_editions(dataset)
        link = links.brief_link(region_ids, ed_params)
        pdf_params = {**ed_params, **({"appendix": appendix} if appendix else {}),
                      **({"lang": i18n.current()} if i18n.current() != i18n.DEFAULT else {})}
        pdf_url = f"/brief/{','.join(region_ids)}.pdf" + (("?" + urlencode(pdf_params)) if pdf_params else "")

        def js_page() -> str:  # no Chromium: plotly.js draws the charts; the response's nonce lets it run
            return brief_html(dataset, region_ids, charts="js", plotly_js_url="/export/plotly.min.js",
                              view_url=link, script_nonce=security.nonce(), appendix=appendix, edition=edition,
                              since=since)

        if mode == "js":
            page = js_page()
        else:
            try:  # the SVG page has no inline script (no nonce in it), so it can be cached
                page = rendered(dataset, jobs.brief_html_job(region_ids, link, pdf_url, appendix=appendix,
                                                             edition=edition, since=since))
            except ExportError as exc:
                if exc.reason != "no-browser" or asked == "svg":
                    raise
                page = js_page()
        filename = brief_filename(dataset, region_ids, "html", appendix)
    except (ExportError, InputError) as exc:
        return _error(exc)
    return _file(page.encode("utf-8"), filename, "html", inline=request.args.get("download") != "1")


BRIEF_JS = 'document.getElementById("print-brief").addEventListener("click", function () { window.print(); });\n'


@bp.route("/export/brief.js")
def brief_js_route():
    """The printable brief's one behaviour (its Print button), as a file: the page itself has no inline script,
    so the CSP needs no nonce for it and the page can be cached."""
    resp = Response(BRIEF_JS, mimetype="application/javascript")
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp


@bp.route("/export/status")
def status_route():
    """Whether server-side image/PDF export works here, in plain words (no path, no version)."""
    available, message = chromium.browser_status()
    return jsonify({"server_export": available, "message": _(message)})


@bp.route("/export/plotly.min.js")
def plotly_js_route():
    return send_file(chromium.PLOTLY_JS, mimetype="text/javascript", max_age=86400)


def init_app(app) -> None:
    """Register the export routes on a Dash app (``app.server`` is the Flask server) or a Flask app.

    Checks ``MIPEXR_PUBLIC_URL`` now (a malformed one stops the start with a plain message) and installs the
    SIGTERM/SIGINT clean-up of the export browser (:func:`dashboard.export.browser.install_shutdown_handlers`).
    With ``MIPEXR_EXPORT_PREWARM=1`` Chromium is started in the background now, so even the first export
    after a server start is fast (otherwise it starts on the first export and stays warm).
    """
    global cache
    links.public_url()
    from dashboard.worker.app import redis_url

    url = redis_url()
    if url and not (isinstance(cache, SharedExportCache) and cache.url == url):
        cache = SharedExportCache(url)
    elif not url and isinstance(cache, SharedExportCache):
        cache = ExportCache()
    server = getattr(app, "server", app)
    if "mipexr_export" not in server.blueprints:
        server.register_blueprint(bp)
    chromium.install_shutdown_handlers()
    if os.environ.get("MIPEXR_EXPORT_PREWARM", "").strip().lower() in ("1", "true", "yes"):
        threading.Thread(target=chromium.warm_up, name="mipexr-export-prewarm", daemon=True).start()


__all__ = ["bp", "cache", "init_app", "rendered"]
