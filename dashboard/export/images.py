"""Chart images: sizes, decoration and PNG/SVG/PDF rendering on the warm Chromium (:mod:`dashboard.export.browser`).

:func:`decorate_for_export` gives a figure what every exported image carries: a title, the source line, the
date, the "Illustrative data" mark when the dataset is illustrative and, on maps, the EuroGeographics
credit. :func:`render_image` turns it into PNG, SVG or PDF bytes with kaleido 1.x. Two sizes
(:data:`SIZES`): ``slide`` (16:9, 1280×720 CSS px = the 13.33×7.5 in PowerPoint page; PNG at 1.5× =
1920×1080) and ``a4`` (A4 landscape, 1123×794 CSS px = 297×210 mm; PNG at 2× = 2246×1588, about 190 dpi
on paper). :func:`chart_export` does all of it for a chart named in a URL or on the command line
(:func:`dashboard.views.charts.build_chart`); :func:`figure_download` for a figure a page built itself.
"""

from __future__ import annotations

import datetime as _dt
import html as _html
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from dashboard import i18n
from dashboard.constants import (
    APP_NAME,
    EXPORT_SIZES,
    ILLUSTRATIVE_EXPORT_TEXT,
    IMAGE_FORMATS,
    MAP_CREDIT,
)
from dashboard.data import Dataset
from dashboard.errors import UnknownOption
from dashboard.export.browser import ExportBrowser, get_browser
from dashboard.i18n import N_, _
from dashboard.views.charts import build_chart, is_source_annotation
from dashboard.views.editions import parse_editions, shown

ILLUSTRATIVE_COLOR = "#8a5300"  # dark amber: visible, not a red/green judgement colour
FOOTER_CHAR_PX = 6.8  # average width of a 12 px footer character: longer lines are wrapped to the image
TITLE_TOP_PX = 14  # the title's top edge, CSS px from the top of every exported image

@dataclass(frozen=True)
class ExportSize:
    """An export size: CSS pixels of the figure (= PDF page size at 96 px/in) and the PNG scale."""

    name: str
    width: int
    height: int
    scale: float
    label: str  # N_-marked: show ``_(size.label)``

    @property
    def png_pixels(self) -> tuple[int, int]:
        return round(self.width * self.scale), round(self.height * self.scale)


SIZES: dict[str, ExportSize] = {
    "slide": ExportSize("slide", 1280, 720, 1.5, N_("Slide 16:9 (1920×1080 PNG)")),
    "a4": ExportSize("a4", 1123, 794, 2.0, N_("A4 landscape (297×210 mm)")),
}
DEFAULT_SIZE = EXPORT_SIZES[0]
assert tuple(SIZES) == EXPORT_SIZES


def check_format(fmt: str, allowed: Sequence[str] = IMAGE_FORMATS) -> str:
    """A file format among ``allowed`` (case and a leading dot ignored); UnknownOption otherwise."""
    fmt = (fmt or "").lower().lstrip(".")
    if fmt == "jpg":
        fmt = "jpeg"
    if fmt not in allowed:
        raise UnknownOption(f"unknown format {fmt!r}; expected one of: {', '.join(allowed)}")
    return fmt


def check_size(size: str | ExportSize) -> ExportSize:
    """The :class:`ExportSize` named ``size`` (default slide); UnknownOption for an unknown name."""
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


def export_footer(dataset: Dataset, is_map: bool, date: _dt.date | None = None, url: str | None = None,
                  source: str | Sequence[str] | None = None, illustrative: bool | None = None,
                  mark: str | None = None) -> list[str]:
    """The lines printed under every exported chart: source and scale, [illustrative mark], [map credit], date
    (and link). ``source`` replaces the MIPEX-R source line (e.g. for the self-assessment's own answers; several
    lines, e.g. the governance and the outcomes sources of the outcomes chart); ``illustrative`` overrides the
    scores' own flag (``dataset.scores_illustrative``: every chart shows scores); ``mark`` replaces the
    illustrative wording (:data:`~dashboard.constants.ILLUSTRATIVE_EXPORT_TEXT`).

    Every line is in the current language (the date stays ISO 8601, read alike in every language)."""
    date = date or _dt.date.today()
    if source is None:
        lines = [dataset.source_text]
    else:
        lines = [source] if isinstance(source, str) else list(source)
    if dataset.scores_illustrative if illustrative is None else illustrative:
        lines.append(_("{mark}: made by a documented generator (see the Methodology page).").format(
            mark=_(mark or ILLUSTRATIVE_EXPORT_TEXT)))
    if is_map:
        lines.append(_(MAP_CREDIT))
    made = _("Exported {date} from {app}").format(date=date.isoformat(), app=APP_NAME)
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


def title_block(markup: str, mark: str | None) -> tuple[str, str]:
    """(title, subtitle) of an exported image: the title is one line (bold): the figure title's plain lines
    joined (a title wrapped for a phone is whole again on the wide image); its ``<sup>`` lines (the scope) and
    the illustrative ``mark`` (bold amber capitals) form the subtitle. plotly.js shifts a title of several lines
    *up* from its top anchor, out of the image (the cut titles of issue 14); a one-line title with a subtitle of
    any length stays where it is placed."""
    parts = [line.strip() for line in markup.split("<br>")]
    main = [p for p in parts if p and "<sup>" not in p]
    first = " ".join(main)
    lines = [re.sub(r"</?sup>", "", p).strip() for p in parts if "<sup>" in p]
    lines = [line for line in lines if line]
    if mark:
        lines.append(f"<span style='color:{ILLUSTRATIVE_COLOR}'><b>{_html.escape(mark).upper()}</b></span>")
    return (f"<b>{first}</b>" if first else ""), "<br>".join(lines)


def decorate_for_export(fig: go.Figure, title: str | None, dataset: Dataset, is_map: bool, *,
                        size: str | ExportSize = DEFAULT_SIZE, date: _dt.date | None = None,
                        url: str | None = None, source: str | Sequence[str] | None = None,
                        illustrative: bool | None = None, mark: str | None = None) -> go.Figure:
    """A copy of ``fig`` ready to leave the app: title, source line, date, illustrative mark, map credit.

    The figure's on-screen source annotation is replaced by a footer block at the bottom of the image;
    a horizontal legend that sat under the plot moves just above the footer; the illustrative mark is
    the title's subtitle (bold capitals). ``size`` is the export preset the layout is planned for.
    ``title`` None keeps the figure's title; ``source``, ``illustrative`` and ``mark`` as in
    :func:`export_footer`.
    The input figure is not changed.
    """
    preset = check_size(size)
    illustrative = dataset.scores_illustrative if illustrative is None else illustrative
    out = go.Figure(fig)
    out.layout.annotations = [a for a in out.layout.annotations if not is_source_annotation(a)]
    # A given title is plain text (escaped); the figure's own title is trusted plotly markup (<br>, <sup>).
    markup = _html.escape(title) if title is not None else (out.layout.title.text or "")
    lines = export_footer(dataset, is_map, date=date, url=url, source=source, illustrative=illustrative, mark=mark)
    margin = out.layout.margin
    left = max(int(margin.l or 0), 40)
    width_chars = max(60, int((preset.width - left - 20) / FOOTER_CHAR_PX))
    lines = [part for line in lines for part in (textwrap.wrap(line, width_chars) or [""])]
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
    title_text, subtitle = title_block(markup, _(mark or ILLUSTRATIVE_EXPORT_TEXT) if illustrative else None)
    sub_lines = subtitle.count("<br>") + 1 if subtitle else 0
    header_px = TITLE_TOP_PX + 28 + 21 * sub_lines + 10
    top = header_px + max(int(margin.t if margin.t is not None else 60) - 50, 20)
    title_spec: dict[str, Any] = dict(
        text=title_text, x=0.012, xanchor="left", xref="container",
        y=1 - TITLE_TOP_PX / preset.height, yanchor="top", yref="container", font=dict(size=20),
    )
    if subtitle:
        title_spec["subtitle"] = dict(text=subtitle, font=dict(size=14, color="#3f4a59"))
    out.update_layout(
        title=title_spec,
        margin=dict(l=left, r=max(int(margin.r or 0), 30), t=top, b=bottom),
        paper_bgcolor="#ffffff", width=preset.width, height=preset.height, separators=i18n.separators(),
    )
    out.add_annotation(
        text="<br>".join(_html.escape(line) for line in lines), name="export-footer",
        xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="bottom", yshift=-bottom + 8,
        showarrow=False, align="left", font=dict(size=12, color="#3f4a59"),
    )
    return out


def chart_export(dataset: Dataset, chart: str, fmt: str, size: str = DEFAULT_SIZE, *,
                 region_ids: Sequence[str] = (), measure: str | None = None, axis: str | None = None,
                 countries: Sequence[str] = (), sort: str | None = None, areas: Sequence[str] = (),
                 target: str | None = None, x: str | None = None, y: str | None = None,
                 mode: str | None = None, edition: Any = None, since: Any = None, title: str | None = None,
                 url: str | None = None, date: _dt.date | None = None,
                 browser: ExportBrowser | None = None) -> tuple[bytes, str]:
    """Build, decorate and render a named chart (of ``edition``, the latest by default; the map with ``since``
    shows the change); returns (bytes, file name). Validates before rendering."""
    check_format(fmt)
    check_size(size)
    spec = build_chart(dataset, chart, region_ids, measure, axis, countries, sort, areas, target, x, y, mode,
                       edition, since)
    dataset = shown(dataset, parse_editions(dataset, edition))  # the footer's source states the edition shown
    return figure_download(spec.fig, fmt, spec.stem, dataset, title=title or None, is_map=spec.is_map, size=size,
                           date=date, url=url, browser=browser, source=spec.sources or None,
                           illustrative=spec.illustrative, mark=spec.mark)


def figure_download(fig: go.Figure, fmt: str, stem: str, dataset: Dataset, *, title: str | None = None,
                    is_map: bool = False, source: str | Sequence[str] | None = None,
                    illustrative: bool | None = None, mark: str | None = None,
                    size: str | ExportSize = DEFAULT_SIZE, date: _dt.date | None = None, url: str | None = None,
                    browser: ExportBrowser | None = None) -> tuple[bytes, str]:
    """Decorate and render a figure (a named chart from :func:`chart_export`, or one built on the page from
    the user's input: the self-assessment radars, the Lab map); returns (bytes, file name).
    Raises :class:`ExportError` without Chromium."""
    fmt = check_format(fmt)
    preset = check_size(size)
    out = decorate_for_export(fig, title, dataset, is_map, size=preset, date=date, url=url, source=source,
                              illustrative=illustrative, mark=mark)
    return render_image(out, fmt, preset, browser=browser), f"{stem}-{preset.name}.{fmt}"
