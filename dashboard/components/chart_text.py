"""Text alternatives of charts (WCAG 1.1.1): a chart in a ``<figure>`` whose ``<figcaption>`` says in one plain
sentence what it shows, and, where given, a small table of the values beside it.

The sentences and tables are pure (``figures.profile.axis_summary``/``axis_table``/``score_table``,
``figures.compare.bars_summary``, ``figures.explore.ranking_summary``); this module only renders them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard import i18n
from dashboard.i18n import _


def _cell(value) -> str:
    """A value as the tables print it: numbers as whole points (as the charts label them), "–" when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, (int, float)):
        return i18n.number(float(value), 0)
    return str(value)


def values_table(frame: pd.DataFrame, caption: str, headers: Sequence[str] | None = None,
                 id: str | None = None, signed: Sequence[str] = (), group: str | None = None) -> dbc.Table:
    """A compact table of ``frame`` (first column as row headers) with a visible ``caption``; ``headers``
    replaces the column names; columns in ``signed`` are printed with their sign (+3, −2). ``group`` names a
    column that is not shown as a column but as a heading row whenever it changes (narrow on a phone)."""
    columns = [c for c in frame.columns if c != group]
    headers = list(headers or columns)
    body = []
    current = None
    for rec in frame.to_dict("records"):
        if group is not None and rec[group] != current:
            current = rec[group]
            body.append(html.Tr(html.Th(current, colSpan=len(columns), scope="colgroup",
                                        className="mx-values-group")))
        cells = []
        for i, col in enumerate(columns):
            value = rec[col]
            text = _cell(value)
            if col in signed and text != "–":
                sign = "+" if round(float(value)) > 0 else "−" if round(float(value)) < 0 else "±"
                text = sign + _cell(abs(float(value)))
            cells.append(html.Th(text, scope="row") if i == 0 else html.Td(text, className="text-end"))
        body.append(html.Tr(cells))
    kwargs = {"id": id} if id else {}
    return dbc.Table([html.Caption(caption), html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])),
                      html.Tbody(body)], size="sm", striped=True, responsive=True,
                     class_name="mx-values-table small mb-1", **kwargs)


def text_children(summary: str, table: dbc.Table | None = None) -> list:
    """The content of a chart's text block: the summary paragraph and, when given, the table of values."""
    return [html.P(summary, className="small text-muted mb-1"), table]


def chart_figure(graph_div, summary: str, table: dbc.Table | None = None, text_id: str | None = None,
                 extra=None) -> html.Figure:
    """``graph_div`` (from :func:`dashboard.components.graph.graph`) in a ``<figure>`` with its text alternative
    as the ``<figcaption>`` (``text_id`` lets a callback replace it) and ``extra`` (export links) after it."""
    kwargs = {"id": text_id} if text_id else {}
    return html.Figure([graph_div, extra, html.Figcaption(text_children(summary, table), **kwargs)],
                       className="mx-chart mb-2")


def term(text: str, key: str | None = None) -> html.Abbr:
    """``text`` with its plain-words definition from :mod:`dashboard.glossary` as a tooltip (``<abbr title>``)."""
    from dashboard.glossary import tip

    return html.Abbr(text, title=tip(key or text), className="mx-term")


def words_note(*keys: str) -> html.P:
    """A small line defining the jargon a chart uses ("TCN: …") with a link to the Methodology glossary."""
    from dashboard.glossary import term, tip

    parts: list = []
    for key in keys:
        parts += [html.Strong(term(key)), ": ", tip(key), " "]
    parts += [html.A(_("More words explained on the Methodology page"), href="/methodology#glossary"), "."]
    return html.P(parts, className="small text-muted mb-1 mx-words")
