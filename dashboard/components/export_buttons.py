"""A reusable row of download links under a chart: PNG · SVG · PDF, the visible data and the full dataset
as CSV / XLSX, and (on region and compare pages) the one-click brief.

One line per chart in a page layout::

    export_buttons(chart="map", params={"measure": view.measure, "region": view.region},
                   page="/", location=ids.MAP_LOCATION, graph_id=ids.MAP_GRAPH)

* ``chart``: map, radar, compare, ranking, heatmap, target or outcomes (None: data links only);
* ``params``: the view's state as URL query keys (measure, region/regions, country, axis, area, target, sort;
  outcomes: x, y, mode, region),
  as a dict (a list value is joined by commas: several values of one key) or a query string (a repeated key
  stays repeated, so the export reads it as the page does: :mod:`dashboard.query`, first value wins);
* ``fixed``: keys this row always sends (e.g. ``{"axis": "phase"}`` for one radar of several);
* ``view``: which table the "visible data" links download (default from the chart; ``explore`` on Explore);
* ``page`` + ``location``: the page path and the id of the ``dcc.Location`` that mirrors the page's query —
  when the page changes its query without a reload, the browser rewrites the links (:mod:`dashboard.callbacks.export`);
* ``graph_id``: the chart's ``dcc.Graph`` id, for the in-browser PNG/SVG fallback;
* ``brief``: add "Download brief (PDF)", "Printable brief" and "with the questions" (the brief's appendix)
  links for the row's region(s);
* ``data`` / ``full_dataset``: False drops the "data shown" / "full dataset" links (e.g. a second row on a page).

The server links (``/export/…``, ``/brief/…``) make files with title, source, date and the illustrative
mark. Without Chromium on the server the PNG/SVG links become in-browser buttons (plotly.js
``downloadImage``) and the PDF link is replaced by a note; CSV/XLSX never need a browser.
:func:`export_hrefs` is the pure function behind every link (tests call it directly); the layout's links come
from it, and ``assets/45-export-links.js`` (``hrefs``) is its line-by-line copy in the browser, held equal by
``tests/test_export_links_js.py``: change both together.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import i18n, ids
from dashboard.constants import (
    DATA_FORMATS,
    EXPORT_CHARTS,
    EXPORT_SIZES,
    IMAGE_FORMATS,
    MAX_COMPARE,
)
from dashboard.export.browser import browser_available, browser_status
from dashboard.i18n import N_, _
from dashboard.query import REGION_KEYS, many, parse_search

DEFAULT_LOCATION = ids.URL
DEFAULT_SIZE = EXPORT_SIZES[0]
#: Keys of a page's query that describe the export row itself, not the view (dropped from the page's search).
ROW_KEYS = ("size", "page", "chart", "view", "tsort")  # tsort: a table's column sort, a page-only key
#: The query key that carries the language of a link (added when the page is not in English).
LANG_KEY = "lang"
IMAGE_HELP = i18n.Labels({
    "png": N_("PNG image, for most uses (slides, documents, web)"),
    "svg": N_("SVG vector image, for print and editing"),
    "pdf": N_("PDF page, for print"),
})
DATA_HELP = i18n.Labels({
    "csv": N_("CSV of the data shown (with a header block: source, scale, provenance, link)"),
    "xlsx": N_("Excel workbook of the data shown (with an About sheet)"),
    "full-csv": N_("CSV of the full dataset (all regions, all dimensions)"),
    "full-xlsx": N_("Excel workbook of the full dataset (scores, answers, context statistics, questionnaire)"),
})
#: Which "visible data" table a chart's row downloads by default.
CHART_VIEWS = {"map": "map", "ranking": "ranking", "heatmap": "scores", "compare": "compare", "radar": None,
               "target": None, "outcomes": "policy-outcomes"}
SIZE_LABELS = i18n.Labels({"slide": N_("Slide 16:9"), "a4": N_("A4 page")})
DOWNLOAD_CHART = N_("Download chart:")
LINK_CLASS = "btn btn-outline-secondary btn-sm py-0 px-2"
ROW_CLASS = "mx-export d-flex flex-wrap align-items-center gap-1 small mt-1 mb-2 mx-no-print"


def _search_state(search: str) -> dict[str, str | list[str]]:
    """A page's query string as query keys: one value as a string, a repeated key as the list of its values."""
    return {k: v[0] if len(v) == 1 else v for k, v in parse_search(search).items()}


def _clean_params(params: Mapping[str, Any] | str | None) -> dict[str, str | list[str]]:
    """A dict of query keys (lists joined by commas) or a query string (``"?measure=…&country=IT,ES"``; a
    repeated key keeps its values, in order)."""
    if isinstance(params, str):
        return {k: v for k, v in _search_state(params).items() if k not in ("size",)}
    out: dict[str, str | list[str]] = {}
    for key, value in (params or {}).items():
        if value is None or value == "" or value == [] or key in ("size",):
            continue
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value if v not in (None, ""))
            if not value:
                continue
        out[str(key)] = str(value)
    return out


def default_view(chart: str | None, params: Mapping[str, Any]) -> str | None:
    """The data view behind a chart: radar/target → ``region`` for one region, ``compare`` for several."""
    if chart in ("radar", "target"):
        regions = many(params, REGION_KEYS)
        return "region" if len(regions) == 1 else "compare"
    return CHART_VIEWS.get(chart or "", "scores")


def make_spec(chart: str | None, params: Mapping[str, Any] | str | None = None, *,
              fixed: Mapping[str, Any] | None = None, view: str | None = None, page: str | None = None,
              brief: bool = False, full_dataset: bool = True, graph_id: str | None = None,
              filename: str | None = None, data: bool = True) -> dict:
    """The JSON-safe description of a row (kept in a dcc.Store: the browser rebuilds the links from it).

    ``params`` and ``fixed`` are lists of ``[key, value]`` pairs in the page's order (a JSON object would not
    keep it in the browser: JavaScript puts keys such as ``"1"`` first)."""
    if chart is not None and chart not in EXPORT_CHARTS:
        raise ValueError(f"unknown chart {chart!r}; expected one of {', '.join(EXPORT_CHARTS)}")
    params = _clean_params(params)
    fixed = _clean_params(fixed)
    return {
        "chart": chart,
        "params": [[k, v] for k, v in params.items()],
        "fixed": [[k, v] for k, v in fixed.items()],
        "view": (view or default_view(chart, {**params, **fixed})) if data else None,
        "page": page or "",
        "brief": bool(brief),
        "full": bool(full_dataset),
        "graph_id": graph_id if isinstance(graph_id, str) else None,
        "filename": filename or f"mipexr-{chart or 'data'}",
    }


def _query(pairs: Mapping[str, Any]) -> str:
    """``key=value&…`` (a list value repeats its key; blank values dropped)."""
    items = [(k, v) for k, value in pairs.items()
             for v in (value if isinstance(value, (list, tuple)) else [value]) if v not in (None, "")]
    return urlencode(items, safe=":,/")


def export_hrefs(spec: Mapping[str, Any], search: str | None = None, size: str = DEFAULT_SIZE,
                 lang: str | None = None) -> dict[str, str]:
    """The href of every link of a row: ``png``, ``svg``, ``pdf`` (when a chart), ``csv``, ``xlsx`` (when a
    view), ``full-csv``, ``full-xlsx``, ``brief-pdf``, ``brief-html``, ``brief-questions`` (the printable brief
    with the questions appendix) (when a brief).

    ``search`` is the page's current query string (``?measure=…``); when given it replaces the layout-time
    ``params``; ``fixed`` keys always win. A repeated key stays repeated, so the routes read it as the page
    does (:mod:`dashboard.query`: the first value of a one-value key). Unknown keys pass through (the routes
    ignore them).

    ``lang`` (default: the current language, :func:`dashboard.i18n.current`): every link ends in ``lang=xx``
    when it is not English, so a copied link makes the file in the page's language (English links are
    unchanged); a ``lang`` in ``search`` or ``params`` is replaced by it.

    The browser runs the same function (``hrefs`` in ``assets/45-export-links.js``) when the page's query or the
    image size changes: a change here must be made there too (the parity test fails otherwise).
    """
    if search is not None:
        state = {k: v for k, v in _search_state(search).items() if k not in ROW_KEYS}
    else:
        state = dict(spec.get("params") or ())
    state.update(spec.get("fixed") or ())
    state.pop(LANG_KEY, None)
    lang = i18n.normalise(lang) or i18n.current()
    tongue = {LANG_KEY: lang} if lang != i18n.DEFAULT else {}
    page = spec.get("page") or ""
    size = size if size in EXPORT_SIZES else DEFAULT_SIZE
    hrefs: dict[str, str] = {}
    chart = spec.get("chart")
    if chart:
        q = _query({"chart": chart, **state, "size": size, "page": page, **tongue})
        for fmt in IMAGE_FORMATS:
            hrefs[fmt] = f"/export/chart.{fmt}?{q}"
    view = spec.get("view")
    if view:
        q = _query({"view": view, **state, "page": page, **tongue})
        for fmt in DATA_FORMATS:
            hrefs[fmt] = f"/export/data.{fmt}?{q}"
    if spec.get("full", True):
        q = _query({"view": "full", "page": page, **tongue})
        for fmt in DATA_FORMATS:
            hrefs[f"full-{fmt}"] = f"/export/data.{fmt}?{q}"
    if spec.get("brief"):
        regions = many(state, REGION_KEYS)[:MAX_COMPARE]
        if regions:
            joined = ",".join(regions)
            q = _query({"page": page, **tongue})
            tail = f"?{q}" if q else ""
            hrefs["brief-pdf"] = f"/brief/{joined}.pdf{tail}"
            hrefs["brief-html"] = f"/brief/{joined}.html{tail}"
            hrefs["brief-questions"] = f"/brief/{joined}.html?" + _query({"appendix": "questions", "page": page,
                                                                         **tongue})
    return hrefs


def _size_select(loc: str, key: str, visible: bool = True) -> html.Label:
    """Slide / A4 selector (always present, hidden when not offered, so the sync callback has its input).
    The wrapping label names it for screen readers."""
    select = dbc.Select(
        id=ids.export_size(loc, key), value=DEFAULT_SIZE, size="sm",
        options=[{"label": SIZE_LABELS[name], "value": name} for name in EXPORT_SIZES],
        style={"width": "auto"}, className="py-0",
    )
    # not d-inline-block when hidden: Bootstrap's display classes are !important and would show it again
    return html.Label([html.Span(_("Image size"), className="visually-hidden"), select],
                      className="d-inline-block ms-1 mb-0" if visible else "d-none")


def spoken_name(text: str, help_text: str) -> str:
    """The name a screen reader announces for a link: its visible text first, then what it downloads
    (WCAG 2.5.3 "label in name": a speech user says "XLSX" and the link answers to it)."""
    return _("{name}: {description}").format(name=text, description=help_text)


def _link(loc: str, key: str, fmt: str, text: str, href: str, help_text: str) -> html.A:
    return html.A(text, href=href, id=ids.export_link(loc, key, fmt), download="", className=LINK_CLASS,
                  title=help_text, **{"aria-label": spoken_name(text, help_text), "data-fmt": fmt})


def export_buttons(chart: str | None = None, params: Mapping[str, Any] | str | None = None, *,
                   fixed: Mapping[str, Any] | None = None, view: str | None = None, page: str | None = None,
                   location: str = DEFAULT_LOCATION, graph_id: str | None = None, key: str | None = None,
                   brief: bool = False, full_dataset: bool = True, sizes: bool = True,
                   filename: str | None = None, label: str | None = None, data: bool = True,
                   server_export: bool | None = None) -> html.Div:
    """The row of download links for one chart (see the module docstring for the arguments; ``label``
    defaults to "Download chart:" in the current language; a given label is shown as given)."""
    label = _(DOWNLOAD_CHART) if label is None else label
    spec = make_spec(chart, params, fixed=fixed, view=view, page=page, brief=brief, full_dataset=full_dataset,
                     graph_id=graph_id, filename=filename, data=data)
    key = key or "-".join(filter(None, [chart or "data", dict(spec["fixed"]).get("axis"), spec["view"] or ""]))
    hrefs = export_hrefs(spec, None, DEFAULT_SIZE)
    server = browser_available() if server_export is None else server_export
    parts: list[Any] = [dcc.Store(id=ids.export_spec(location, key), data=spec)]

    if chart:
        items: list[Any] = [html.Span(label, className="text-muted me-1")]
        if server:
            items += [_link(location, key, f, f.upper(), hrefs[f], IMAGE_HELP[f]) for f in IMAGE_FORMATS]
            items.append(_size_select(location, key, visible=sizes))
        else:
            for fmt in ("png", "svg"):
                items.append(html.Button(
                    fmt.upper(), id=ids.export_client(location, key, fmt), n_clicks=0, type="button",
                    className=LINK_CLASS,
                    title=_("{description} — made in your browser").format(description=IMAGE_HELP[fmt]),
                    **{"aria-label": spoken_name(fmt.upper(), _("download the chart as {format}, made in your "
                                                                "browser").format(format=fmt.upper()))},
                ))
            items.append(html.Span(_("PDF and images with the source footer need Chromium on the server."),
                                   className="text-muted ms-1", title=_(browser_status()[1])))
            parts.append(_size_select(location, key, visible=False))
            parts.append(dcc.Store(id=ids.export_client_done(location, key)))
        parts.append(html.Span(items, className="d-inline-flex flex-wrap align-items-center gap-1 me-3"))
    else:
        parts.append(_size_select(location, key, visible=False))

    data_items: list[Any] = []
    if spec["view"]:
        data_items += [html.Span(_("Data shown:"), className="text-muted me-1"),
                       _link(location, key, "csv", "CSV", hrefs["csv"], DATA_HELP["csv"]),
                       _link(location, key, "xlsx", "XLSX", hrefs["xlsx"], DATA_HELP["xlsx"])]
    if spec["full"]:
        data_items += [html.Span(_("Full dataset:"), className="text-muted ms-2 me-1"),
                       _link(location, key, "full-csv", "CSV", hrefs["full-csv"], DATA_HELP["full-csv"]),
                       _link(location, key, "full-xlsx", "XLSX", hrefs["full-xlsx"], DATA_HELP["full-xlsx"])]
    if data_items:
        parts.append(html.Span(data_items, className="d-inline-flex flex-wrap align-items-center gap-1 me-3"))

    if brief:
        parts.append(brief_links(spec, location, key, hrefs, server))
    return html.Div(parts, id=ids.export_row(location, key),
                    className=ROW_CLASS)


def brief_links(spec: Mapping[str, Any], location: str, key: str, hrefs: Mapping[str, str], server: bool) -> html.Span:
    items: list[Any] = [html.Span(_("Brief:"), className="text-muted me-1")]
    pdf_help = _("One-click brief as an A4 PDF (score and group, radars, strengths, context, similar regions, "
                 "sources)")
    html_help = _("The same brief as a printable web page")
    pdf_text, html_text, questions_text = _("Download brief (PDF)"), _("Printable brief"), _("with the questions")
    if server:
        items.append(html.A(pdf_text, href=hrefs.get("brief-pdf", "#"),
                            id=ids.export_link(location, key, "brief-pdf"), download="",
                            className="btn btn-primary btn-sm py-0 px-2", title=pdf_help,
                            **{"aria-label": spoken_name(pdf_text, pdf_help), "data-fmt": "brief-pdf"}))
    items.append(html.A(html_text, href=hrefs.get("brief-html", "#"), target="_blank", rel="noopener",
                        id=ids.export_link(location, key, "brief-html"), className=LINK_CLASS, title=html_help,
                        **{"aria-label": spoken_name(html_text, html_help), "data-fmt": "brief-html"}))
    questions_help = _("Printable brief with the questions behind each dimension (the region's answer, the points "
                       "and the average), as an appendix")
    items.append(html.A(questions_text, href=hrefs.get("brief-questions", "#"), target="_blank",
                        rel="noopener", id=ids.export_link(location, key, "brief-questions"), className=LINK_CLASS,
                        title=questions_help,
                        **{"aria-label": spoken_name(questions_text, questions_help),
                           "data-fmt": "brief-questions"}))
    return html.Span(items, className="d-inline-flex flex-wrap align-items-center gap-1")
