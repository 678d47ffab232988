"""The context statistics of a region (``outcomes.csv``) as a table: value with unit, year, source
(Eurostat table), the NUTS unit the value comes from (a proxy unit is flagged), provenance and the
illustrative flag. Used by the map's side panel (compact) and the region profile.

:func:`stats_rows` is the pure part (DataFrame → list of display dicts; it lives in :mod:`dashboard.views.stats`,
where the briefs read it too); :func:`stats_table` renders it.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.data import Dataset
from dashboard.views.stats import format_value, stats_rows  # noqa: F401 (format_value: kept under its old name)

PROXY_NOTE = ("Proxy: Eurostat publishes this statistic only for a larger unit; the value is that of "
              "the enclosing unit shown.")


def _unit_cell(row: dict) -> list:
    parts: list = [row["nuts_used"] or row["region_id"]]
    if row["proxy"]:
        parts += [" ", html.Span("proxy", className="badge text-bg-secondary", title=PROXY_NOTE)]
    return parts


def stats_table(dataset: Dataset, region_id: str, compact: bool = False, id: str | None = None) -> html.Div:
    """The table with a caption; ``compact`` (side panel) drops provenance and merges source columns."""
    rows = stats_rows(dataset.outcomes, region_id)
    kwargs = {"id": id} if id else {}
    if not rows:
        return html.Div(html.P("No context statistics for this region in the loaded data.", className="text-muted"),
                        **kwargs)
    if compact:
        head = ["Statistic", "Value", "Year", "Source (NUTS unit)"]
    else:
        head = ["Statistic", "Value", "Year", "Source", "NUTS unit used", "Provenance"]
    body = []
    for row in rows:
        label = [row["label"]]
        if row["illustrative"]:
            label += [" ", html.Span("illustrative", className="badge text-bg-warning",
                                     title="Illustrative value, not a Eurostat figure")]
        if compact:
            cells = [label, row["value"], row["year"], [row["source"], " (", *_unit_cell(row), ")"]]
        else:
            cells = [label, row["value"], row["year"], row["source"], _unit_cell(row), row["provenance"]]
        body.append(html.Tr([html.Td(c) for c in cells], className="mx-proxy-row" if row["proxy"] else None))
    notes = []
    if any(r["proxy"] for r in rows):
        notes.append(html.Li(PROXY_NOTE))
    if any(r["illustrative"] for r in rows):
        notes.append(html.Li("Values marked “illustrative” are generated stand-ins, not Eurostat figures."))
    return html.Div([
        dbc.Table([html.Caption("Context statistics (Eurostat tables; units and years as listed)"),
                   html.Thead(html.Tr([html.Th(h, scope="col") for h in head])), html.Tbody(body)],
                  size="sm", hover=False, striped=True, responsive=True,
                  class_name="mx-stats-table mb-1" + (" small" if compact else "")),
        html.Ul(notes, className="mx-source ps-3") if notes else None,
    ], **kwargs)
