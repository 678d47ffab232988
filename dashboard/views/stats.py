"""Context statistics as display rows (pure): value with unit in plain words, year, Eurostat table, the NUTS
unit the value comes from (proxy flag), provenance and the illustrative flag. The region pages render them
(:mod:`dashboard.components.stats_table`); the briefs print them."""

from __future__ import annotations

import math

import pandas as pd

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


def stats_rows(outcomes: pd.DataFrame, region_id: str | None = None) -> list[dict]:
    """Display rows of the context statistics (of ``region_id`` if given), in the file's order.

    Each dict: indicator, label, value (formatted with unit), unit, year, source (Eurostat table),
    nuts_used, proxy (bool), region_id, provenance, illustrative (bool).
    """
    table = outcomes if region_id is None else outcomes[outcomes["region_id"] == region_id]
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
        })
    return rows
