"""The brief of one region (regional brief) or 2–4 regions (comparison brief) as a page and as a PDF.

:func:`brief_html` renders ``templates/brief.html.j2`` (Jinja2) with the context of
:func:`dashboard.views.brief.brief_context`, every chart inlined as SVG rendered on the warm Chromium (or,
with ``charts="js"``, drawn by plotly.js in the reader's browser); :func:`brief_pdf` prints that page to an
A4 PDF on the same Chromium, so the charts stay vector and the text is extractable.

Both are in the current language (:func:`dashboard.i18n.current`: the request's, or ``with i18n.use(lang)``
in the CLI and in export jobs): the template calls the same ``_`` / ``ngettext`` (Jinja globals), sets
``<html lang>``, and the PDF's page footer is translated too.
"""

from __future__ import annotations

import datetime as _dt
import html as _html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dashboard import i18n
from dashboard.constants import APP_NAME, ILLUSTRATIVE_EXPORT_TEXT, MAX_COMPARE
from dashboard.data import Dataset
from dashboard.errors import UnknownOption
from dashboard.export.browser import ExportBrowser, get_browser
from dashboard.i18n import _
from dashboard.views.brief import (
    BRIEF_CHART_H,
    BRIEF_CHART_W,
    BriefChart,
    brief_context,
    check_appendix,
)
from dashboard.views.common import check_regions
from dashboard.views.editions import parse_editions, shown

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


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


def _jinja_env():
    """The Jinja2 environment of the brief template (autoescaped; an undefined name is an error), with the
    translation functions as globals: ``{{ _("Sources") }}``, ``{{ _("{n} regions").format(n=n) }}`` (they
    answer in the language current while the template renders; a translation is escaped like any text)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
                             autoescape=jinja2.select_autoescape(["html", "j2"]),
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.globals.update(_=i18n.gettext, gettext=i18n.gettext, ngettext=i18n.ngettext)
    return env


def _render_chart_svgs(charts: Sequence[BriefChart], browser: ExportBrowser | None) -> None:
    """Render every chart to SVG at once on the browser and inline it (``chart.svg``)."""
    svgs = (browser or get_browser()).render_many([(c.fig, "svg", c.width, c.height, 1) for c in charts])
    for chart, svg in zip(charts, svgs):
        chart.svg = _svg_inline(svg, f"{chart.title}. {chart.caption}")


def brief_html(dataset: Dataset, region_ids: Sequence[str], *, charts: str = "svg", plotly_js_url: str | None = None,
               for_print: bool = False, pdf_url: str | None = None, view_url: str | None = None,
               browser: ExportBrowser | None = None, script_nonce: str | None = None,
               appendix: str | None = None, edition: Any = None, since: Any = None,
               self_assessment: str | None = None) -> str:
    """The brief as one self-contained HTML page (1 region: regional brief; 2–4: comparison brief) of
    ``edition`` (default: the latest), with the change ``since`` an earlier edition when given (both checked
    strictly: UnknownOption).

    ``script_nonce``: the response's CSP nonce for the page's one inline script (``charts="js"``).
    ``appendix``: ``"questions"`` adds the questions behind each dimension (none by default: the brief stays short).
    ``self_assessment``: the mark of a self-assessment brief (the page's own region added to the dataset).

    ``charts="svg"`` inlines each chart as SVG rendered on the warm Chromium (vector in print and PDF);
    ``charts="js"`` embeds the figure specs for plotly.js loaded from ``plotly_js_url`` instead (the printable
    page still works without Chromium). Raises UnknownOption for unknown ids, ExportError without Chromium.
    """
    if charts not in ("svg", "js"):
        raise UnknownOption(f"unknown chart mode {charts!r}; expected svg or js")
    choice = parse_editions(dataset, edition, since, strict=True)
    ctx = brief_context(shown(dataset, choice), region_ids, appendix, choice.since, self_assessment)
    if charts == "svg":
        _render_chart_svgs(ctx["charts"], browser)
    ctx.setdefault("lang", i18n.current())
    ctx.update(chart_mode=charts, plotly_js_url=plotly_js_url, for_print=for_print, pdf_url=pdf_url,
               view_url=view_url, chart_w=BRIEF_CHART_W, chart_h=BRIEF_CHART_H, script_nonce=script_nonce)
    return _jinja_env().get_template("brief.html.j2").render(**ctx)


def brief_footer_template(dataset: Dataset, edition: Any = None) -> str:
    """Chromium's print footer (page numbers, source, illustrative mark) for :func:`brief_pdf`, in the current
    language."""
    dataset = shown(dataset, parse_editions(dataset, edition, strict=True))
    mark = f"<b>{_html.escape(_(ILLUSTRATIVE_EXPORT_TEXT))}</b> · " if dataset.scores_illustrative else ""
    pages = _html.escape(_("Page {page} of {total}")).format(page='<span class="pageNumber"></span>',
                                                            total='<span class="totalPages"></span>')
    return (
        '<div style="font-family: \'DejaVu Sans\', Arial, sans-serif; font-size:7px; color:#4b5563; '
        'width:100%; margin:0 14mm; display:flex; justify-content:space-between;">'
        f"<span>{mark}{_html.escape(dataset.source_text)} {APP_NAME}, "
        f"{_dt.date.today().isoformat()}</span>"
        f'<span style="white-space:nowrap; margin-left:4mm">{pages}</span></div>'
    )


def brief_pdf(dataset: Dataset, region_ids: Sequence[str], *, view_url: str | None = None,
              browser: ExportBrowser | None = None, appendix: str | None = None, edition: Any = None,
              since: Any = None, self_assessment: str | None = None) -> bytes:
    """The brief as an A4 PDF (charts vector, text extractable), printed by the warm Chromium."""
    check_appendix(appendix)  # before starting the browser
    browser = browser or get_browser()
    page = brief_html(dataset, region_ids, charts="svg", for_print=True, view_url=view_url, browser=browser,
                      appendix=appendix, edition=edition, since=since, self_assessment=self_assessment)
    return browser.print_pdf(page, footer_html=brief_footer_template(dataset, edition))


def brief_filename(dataset: Dataset, region_ids: Sequence[str], ext: str, appendix: str | None = None) -> str:
    """``mipexr-brief-pt20.pdf`` / ``mipexr-comparison-pt20-es51.html`` / ``mipexr-brief-pt20-questions.pdf``
    (validates the ids and the appendix)."""
    ids = check_regions(dataset, region_ids, 1, MAX_COMPARE, "a brief")
    kind = "comparison" if len(ids) > 1 else "brief"
    tail = f"-{check_appendix(appendix)}" if check_appendix(appendix) else ""
    return f"mipexr-{kind}-{'-'.join(ids).lower()}{tail}.{ext}"
