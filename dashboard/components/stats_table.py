"""The context statistics of a region (``outcomes.csv``) as a table: value with unit, year and source. On the
region profile (full table) the Eurostat table code and the NUTS unit the value comes from are the source's
tooltip (:func:`source_tooltip`), a value of a larger unit is flagged, and the provenance is said once under
the table, not on every row (plain words on screen, codes on hover and on the Methodology page). The map's
side panel (compact) keeps its short "Source (NUTS unit)" column.

:func:`stats_rows` is the pure part (DataFrame → list of display dicts; it lives in :mod:`dashboard.views.stats`,
where the briefs read it too); :func:`stats_table` renders it.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard import i18n
from dashboard.data import Dataset
from dashboard.i18n import N_, _
from dashboard.views.stats import (  # noqa: F401
    ALL_INDICATORS,
    NATIONAL_NOTE,
    PANEL_INDICATORS,
    format_value,
    stats_rows,
)

PROXY_NOTE = N_("Proxy: Eurostat publishes this statistic only for a larger unit; the value is that of "
              "the enclosing unit shown.")


CAPTION = N_("Context statistics (Eurostat tables; units and years as listed)")


def scroll_box(table, name: str) -> html.Div:
    """A table that may scroll sideways (a phone) in a box the keyboard can reach and scroll (WCAG 2.1.1;
    axe ``scrollable-region-focusable``), named for screen readers."""
    return html.Div(table, className="table-responsive", tabIndex="0", role="region", **{"aria-label": name})


def latest_rows(rows: list[dict]) -> list[dict]:
    """One row per indicator (its latest year), in the order of first appearance."""
    best: dict[str, dict] = {}
    for row in rows:
        key = row["indicator"]
        if key not in best or (row["year"] or "") > (best[key]["year"] or ""):
            best[key] = row
    return list(best.values())


def _unit_cell(row: dict) -> list:
    parts: list = [row["nuts_used"] or row["region_id"]]
    if row.get("national"):
        parts += [" ", html.Span(_("national"), className="badge text-bg-secondary", title=_(NATIONAL_NOTE))]
    elif row["proxy"]:
        parts += [" ", html.Span(_("proxy"), className="badge text-bg-secondary", title=_(PROXY_NOTE))]
    return parts


def source_tooltip(row: dict) -> str:
    """The hover text of a statistic's source: its Eurostat table code and the NUTS unit the value is for."""
    unit = row["nuts_used"] or row["region_id"]
    if row.get("national"):
        text = _("Eurostat table {table}; value for the NUTS unit {unit} (national value).")
    elif row["proxy"]:
        text = _("Eurostat table {table}; value for the NUTS unit {unit} (proxy: a larger unit).")
    else:
        text = _("Eurostat table {table}; value for the NUTS unit {unit}.")
    return text.format(table=row["source"], unit=unit)


def _source_cell(row: dict) -> list:
    parts: list = [html.Span("Eurostat", title=source_tooltip(row), className="mx-term")]
    if row.get("national"):
        parts += [" ", html.Span(_("national"), className="badge text-bg-secondary", title=_(NATIONAL_NOTE))]
    elif row["proxy"]:
        parts += [" ", html.Span(_("larger unit"), className="badge text-bg-secondary", title=_(PROXY_NOTE))]
    return parts


def stats_table(dataset: Dataset, region_id: str, compact: bool = False, id: str | None = None) -> html.Div:
    """The table with a caption; ``compact`` (side panel) drops provenance and merges source columns."""
    rows = latest_rows(stats_rows(dataset.outcomes, region_id, PANEL_INDICATORS if compact else ALL_INDICATORS))
    kwargs = {"id": id} if id else {}
    if not rows:
        return html.Div(html.P(_("No context statistics for this region in the loaded data."), className="text-muted"),
                        **kwargs)
    if compact:
        head = [_("Statistic"), _("Value"), _("Year"), _("Source (NUTS unit)")]
    else:  # plain words: the table code, the NUTS unit and the provenance on hover and once under the table
        head = [_("Statistic"), _("Value"), _("Year"), _("Source")]
    body = []
    for row in rows:
        label = [row["label"]]
        if row["illustrative"]:
            label += [" ", html.Span(_("illustrative"), className="badge text-bg-warning",
                                     title=_("Illustrative value, not a Eurostat figure"))]
        if compact:
            cells = [label, row["value"], row["year"], [row["source"], " (", *_unit_cell(row), ")"]]
        else:
            cells = [label, row["value"], row["year"], _source_cell(row)]
        body.append(html.Tr([html.Td(c) for c in cells], className="mx-proxy-row" if row["proxy"] else None))
    notes = []
    if any(r["proxy"] and not r.get("national") for r in rows):
        notes.append(html.Li(_(PROXY_NOTE)))
    if any(r.get("national") for r in rows):
        notes.append(html.Li(_(NATIONAL_NOTE)))
    if not compact:
        for provenance in dict.fromkeys(r["provenance"] for r in rows if r.get("provenance")):
            notes.append(html.Li(_("Provenance: {provenance}.").format(provenance=provenance)))
        # one sentence for the translator, the link's words in it as {link}
        before, _sep, after = _("Eurostat table codes and the NUTS unit of each value are shown on hover and on "
                                "the {link}.").partition("{link}")
        notes.append(html.Li([before, html.A(_("Methodology page"), href="/methodology#glossary"), after]))
    retrieved = sorted({r["retrieved"] for r in rows if r.get("retrieved") and not r["illustrative"]})
    if retrieved:
        notes.append(html.Li(_("Values not marked “illustrative” were fetched from Eurostat's API on {dates}.").format(
            dates=", ".join(i18n.date(d) for d in retrieved))))
    if any(r["illustrative"] for r in rows):
        notes.append(html.Li(_("Values marked “illustrative” are generated stand-ins, not Eurostat figures.")))
    caption = _(CAPTION)
    return html.Div([
        scroll_box(dbc.Table([html.Caption(caption),
                              html.Thead(html.Tr([html.Th(h, scope="col") for h in head])), html.Tbody(body)],
                             size="sm", hover=False, striped=True,
                             class_name="mx-stats-table mb-1" + (" small" if compact else "")), caption),
        html.Ul(notes, className="mx-source ps-3") if notes else None,
    ], **kwargs)
