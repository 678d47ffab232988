"""The shared look of every figure: template, neutral colour-blind-safe colours, source annotations."""

from __future__ import annotations

import re
import textwrap

import plotly.graph_objects as go
import plotly.io as pio

from dashboard import i18n
from dashboard.constants import ILLUSTRATIVE_MARK
from dashboard.i18n import _

# Sequential, colour-blind-safe, no red/green judgement.
COLORSCALE = "Cividis"
# Qualitative colours for 2–4 compared regions plus the average (Okabe–Ito, colour-blind-safe).
SERIES_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9")
AVERAGE_COLOR = "#6b7280"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

# plotly_white's layout only: its per-trace defaults add nothing we use and double the cost of applying it.
TEMPLATE = go.layout.Template(layout=pio.templates["plotly_white"].layout)
TEMPLATE.layout.font = dict(family=FONT, size=13, color="#1f2a37")
TEMPLATE.layout.title = dict(font=dict(size=16), x=0.0, xanchor="left")
TEMPLATE.layout.colorway = list(SERIES_COLORS)
TEMPLATE.layout.margin = dict(l=40, r=20, t=60, b=70)


def wrap_label(label: str, width: int = 12) -> str:
    """Break a long tick label onto two lines at the space nearest its middle ("Labour<br>market"), so a
    spoke or bar label stays inside a narrow (390 px) chart."""
    if len(label) <= width or " " not in label:
        return label
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return label[:cut] + "<br>" + label[cut + 1:]


def wrap_title(title: str, width: int = 44) -> str:
    """Break a chart title's main line (before any ``<br>``) at spaces into lines of at most ``width``
    characters, so a long title ("Overall score on the Health indicators: regions ranked") stays inside a
    390 px screen; the further lines (a ``<sup>`` scope line) are kept as they are."""
    main, sep, rest = title.partition("<br>")
    return "<br>".join(textwrap.wrap(main, width) or [main]) + sep + rest


def score_text(value) -> str:
    """A score as printed on a chart or in a text alternative: "63", or "no score" when missing (in the
    current language)."""
    try:
        missing = value is None or value != value
    except TypeError:
        missing = True
    return _("no score") if missing else i18n.number(float(value), 0)


def _illustrative_marks() -> tuple[str, ...]:
    """The illustrative mark in English and in the current language: a sentence holding it is never split."""
    return tuple(dict.fromkeys(("ILLUSTRATIVE DATA", _(ILLUSTRATIVE_MARK).split(" — ")[0])))


def wrap_text(text: str, width: int = 100, keep_whole: tuple[str, ...] | None = None) -> str:
    """Break a source line into ``<br>``-separated lines of about ``width`` characters, at sentence ends
    first, then at spaces; a sentence containing one of ``keep_whole`` (default: the illustrative mark, in
    English and in the current language) is never split.
    Text that already holds ``<br>`` is returned unchanged, so wrapping twice is harmless."""
    if "<br>" in text:
        return text
    keep_whole = _illustrative_marks() if keep_whole is None else keep_whole
    sentences = [s for s in re.split(r"(?<=\.)\s+", text.strip()) if s]
    pieces: list[str] = []
    for sentence in sentences:
        if len(sentence) > width and not any(k in sentence for k in keep_whole):
            pieces.extend(textwrap.wrap(sentence, width))
        else:
            pieces.append(sentence)
    lines: list[str] = []
    for piece in pieces:
        if lines and len(lines[-1]) + 1 + len(piece) <= width:
            lines[-1] = f"{lines[-1]} {piece}"
        else:
            lines.append(piece)
    return "<br>".join(lines)


def source_annotation(source_line: str, credit: str | None = None, width: int = 100) -> dict:
    """The source line (wrapped at about ``width`` characters) and, for maps, the boundary credit, as the
    plain annotation dict every figure carries under its plot area (``name="source"``)."""
    text = wrap_text(source_line, width)
    text = text if not credit else f"{text}<br>{credit}"
    return {"text": text, "xref": "paper", "yref": "paper", "x": 0, "y": 0, "xanchor": "left", "yanchor": "top",
            "yshift": -28, "showarrow": False, "align": "left", "font": {"size": 10, "color": "#5b6675"},
            "name": "source"}


def annotate_source(fig: go.Figure, source_line: str, credit: str | None = None, width: int = 100) -> go.Figure:
    """Add :func:`source_annotation` after ``fig``'s annotations; returns ``fig``. (Figures built from plain
    dicts put it in their layout through :func:`title_and_source` instead.)"""
    fig.add_annotation(source_annotation(source_line, credit, width))
    return fig


def base_layout(fig: go.Figure, title: str, source_line: str, credit: str | None = None,
                height: int | None = None) -> go.Figure:
    """Template, title and source in one call on a ``go.Figure`` built property by property; the numbers use
    the current language's decimal and thousands marks (``layout.separators``, :func:`dashboard.i18n.separators`).
    The figure functions build plain dicts with :func:`title_and_source` and :func:`figure` instead (no
    validation); this stays for figures still built the slow way."""
    fig.update_layout(template=TEMPLATE, title=dict(text=title), separators=i18n.separators())
    if height:
        fig.update_layout(height=height)
    return annotate_source(fig, source_line, credit)


#: :data:`TEMPLATE` as plain JSON, for :func:`figure`.
TEMPLATE_JSON = TEMPLATE.to_plotly_json()


def figure(data: list[dict], layout: dict) -> go.Figure:
    """A figure from plain trace and layout dicts, built without plotly's property-by-property validation.

    Validation is most of the cost of building a figure in Python (a compare page's nine charts took ~0.5 s
    through ``update_layout``/``add_trace``; the same dicts built here take a few ms), and callbacks build
    figures on every request. The dicts are checked instead where it costs nothing at run time: the tests pass
    every figure function's output through :func:`validated`. ``layout`` gets :data:`TEMPLATE` unless it
    names a template; later ``fig.update_*`` calls on the result are not validated either."""
    return go.Figure(data=data, layout={"template": TEMPLATE_JSON, **layout}, _validate=False)


def merge(target: dict, update: dict) -> dict:
    """Merge ``update`` into the plain layout/trace dict ``target`` in place, as ``fig.update_layout`` merges:
    nested dicts key by key, anything else (lists included) replaced; returns ``target``."""
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            merge(target[key], value)
        else:
            target[key] = value
    return target


def validated(fig: go.Figure) -> go.Figure:
    """``fig`` rebuilt with full validation: raises ``ValueError`` naming any property plotly does not know
    (for tests of figures built by :func:`figure`)."""
    return go.Figure(fig.to_dict())


def title_and_source(title: str, source_line: str, credit: str | None = None, width: int = 100,
                     height: int | None = None) -> dict:
    """The layout keys :func:`base_layout` sets, as a plain dict for :func:`figure`: title, the current
    language's number separators, the source annotation (with the map credit), and the height if given.
    Further annotations may go before or after it in ``annotations`` (it is found by its ``name``)."""
    out = {"title": {"text": title}, "separators": i18n.separators(),
           "annotations": [source_annotation(source_line, credit, width)]}
    if height:
        out["height"] = height
    return out
