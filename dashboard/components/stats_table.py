"""The context statistics of a region (``outcomes.csv``) as a table: value with unit, year, source
(Eurostat table), the NUTS unit the value comes from (a proxy unit is flagged), provenance and the
illustrative flag. Used by the map's side panel (compact), the region profile and the briefs.

:func:`stats_rows` is the pure part (DataFrame → list of display dicts); :func:`stats_table` renders it.
"""

from __future__ import annotations

import math

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard.data import Dataset

PROXY_NOTE = ("Proxy: Eurostat publishes this statistic only for a larger unit; the value is that of "
              "the enclosing unit shown.")
NATIONAL_NOTE = ("National figure: Eurostat publishes this statistic only for whole countries; the value is the "
                 "country's.")
#: The map side panel's statistics (the Integration Lab's regional information panel, domain.md); the profile
#: shows every catalogued indicator.
PANEL_INDICATORS = ("population", "non_eu_citizens", "unemployment_total", "unemployment_non_eu",
                    "unemployment_non_eu_female", "neet_nationals", "neet_non_eu", "neet_non_eu_female", "arope",
                    "urban_rural_type")
URBAN_RURAL = {1: "predominantly urban", 2: "intermediate", 3: "predominantly rural"}


def format_value(value, unit: str | None, indicator: str | None = None) -> str:
    """A value with its unit in plain words: ``1,911,000 persons``, ``8.6 %``, ``not available``."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return "not available"
    value = float(value)
    unit = (unit or "").strip()
    if indicator == "urban_rural_type" and int(value) in URBAN_RURAL and value == int(value):
        return f"{int(value)} ({URBAN_RURAL[int(value)]})"
    if unit.startswith("%"):
        rest = unit[1:].strip()
        return f"{value:.1f} %" + (f" {rest}" if rest else "")
    if value == int(value) and abs(value) >= 1000:
        text = f"{int(value):,}"
    elif value == int(value):
        text = f"{int(value)}"
    else:
        text = f"{value:,.1f}"
    return f"{text} {unit}".strip()


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


ALL_INDICATORS = None


def stats_rows(outcomes: pd.DataFrame, region_id: str | None = None,
               indicators: tuple[str, ...] | None = PANEL_INDICATORS) -> list[dict]:
    """Display rows of the context statistics (of ``region_id`` if given), in the file's order.

    ``indicators`` keeps those indicators (default: the regional information panel's ten, as the map panel
    and the briefs show them; when the data hold none of them, every indicator); ``None`` keeps every one.

    Each dict: indicator, label, value (formatted with unit), unit, year, source (Eurostat table),
    nuts_used, proxy (bool), region_id, provenance, illustrative (bool).
    """
    table = outcomes if region_id is None else outcomes[outcomes["region_id"] == region_id]
    if indicators is not None and table["indicator"].isin(indicators).any():
        table = table[table["indicator"].isin(indicators)]
    rows = []
    for rec in table.to_dict("records"):
        year = rec.get("year")
        rows.append({
            "region_id": rec.get("region_id"),
            "indicator": rec.get("indicator"),
            "label": _text(rec.get("label")) or _text(rec.get("indicator")),
            "value": format_value(rec.get("value"), _text(rec.get("unit")), rec.get("indicator")),
            "unit": _text(rec.get("unit")),
            "year": "" if year is None or pd.isna(year) else str(int(year)),
            "source": _text(rec.get("eurostat_table")),
            "nuts_used": _text(rec.get("nuts_used")),
            "proxy": bool(rec.get("proxy")) if not pd.isna(rec.get("proxy")) else False,
            "provenance": _text(rec.get("provenance")),
            "illustrative": bool(rec.get("illustrative")) if not pd.isna(rec.get("illustrative")) else False,
            "national": bool(rec.get("national")) if not pd.isna(rec.get("national", False)) else False,
            "retrieved": _text(rec.get("retrieved")),
        })
    return rows


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
        parts += [" ", html.Span("national", className="badge text-bg-secondary", title=NATIONAL_NOTE)]
    elif row["proxy"]:
        parts += [" ", html.Span("proxy", className="badge text-bg-secondary", title=PROXY_NOTE)]
    return parts


def stats_table(dataset: Dataset, region_id: str, compact: bool = False, id: str | None = None) -> html.Div:
    """The table with a caption; ``compact`` (side panel) drops provenance and merges source columns."""
    rows = latest_rows(stats_rows(dataset.outcomes, region_id, PANEL_INDICATORS if compact else ALL_INDICATORS))
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
    if any(r["proxy"] and not r.get("national") for r in rows):
        notes.append(html.Li(PROXY_NOTE))
    if any(r.get("national") for r in rows):
        notes.append(html.Li(NATIONAL_NOTE))
    retrieved = sorted({r["retrieved"] for r in rows if r.get("retrieved") and not r["illustrative"]})
    if retrieved:
        notes.append(html.Li(f"Values not marked “illustrative” were fetched from Eurostat's API on "
                             f"{', '.join(retrieved)}."))
    if any(r["illustrative"] for r in rows):
        notes.append(html.Li("Values marked “illustrative” are generated stand-ins, not Eurostat figures."))
    return html.Div([
        dbc.Table([html.Caption("Context statistics (Eurostat tables; units and years as listed)"),
                   html.Thead(html.Tr([html.Th(h, scope="col") for h in head])), html.Tbody(body)],
                  size="sm", hover=False, striped=True, responsive=True,
                  class_name="mx-stats-table mb-1" + (" small" if compact else "")),
        html.Ul(notes, className="mx-source ps-3") if notes else None,
    ], **kwargs)
