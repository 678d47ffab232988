"""Context statistics as display rows (pure): value with unit in plain words, year, Eurostat table, the NUTS
unit the value comes from (proxy and national flags), provenance, retrieval date and the illustrative flag. The
region pages render them (:mod:`dashboard.components.stats_table`); the briefs print them."""

from __future__ import annotations

import math

import pandas as pd

from dashboard import i18n
from dashboard.i18n import N_, Labels, _

NATIONAL_NOTE = N_("National figure: Eurostat publishes this statistic only for whole countries; the value is the "
                 "country's.")
#: The map side panel's statistics (the Integration Lab's regional information panel, domain.md); the profile
#: shows every catalogued indicator.
PANEL_INDICATORS = ("population", "non_eu_citizens", "unemployment_total", "unemployment_non_eu",
                    "unemployment_non_eu_female", "neet_nationals", "neet_non_eu", "neet_non_eu_female", "arope",
                    "urban_rural_type")
URBAN_RURAL = Labels({"1": N_("predominantly urban"), "2": N_("intermediate"), "3": N_("predominantly rural")})


def format_value(value, unit: str | None, indicator: str | None = None) -> str:
    """A value with its unit in plain words, in the current language: ``1,911,000 persons``, ``8.6 %``,
    ``not available`` (``1 911 000 personnes``, ``8,6 %`` in French). The unit is translated when the catalog
    knows it (the embedded indicators' units are in it)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return _("not available")
    value = float(value)
    unit = (unit or "").strip()
    if indicator == "urban_rural_type" and str(int(value)) in URBAN_RURAL and value == int(value):
        return f"{int(value)} ({URBAN_RURAL[str(int(value))]})"
    if unit.startswith("%"):
        whole = _(unit) if unit[1:].strip() else unit  # the catalog holds the whole unit ("% of age group")
        if not whole.startswith("%"):
            return f"{i18n.number(value, 1)} {whole}"
        rest = whole[1:].strip()
        return f"{i18n.number(value, 1)} %" + (f" {rest}" if rest else "")
    if value == int(value):
        text = i18n.number(int(value), 0)
    else:
        text = i18n.number(value, 1)
    return f"{text} {_(unit) if unit else ''}".strip()


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
            "label": _(_text(rec.get("label"))) or _text(rec.get("indicator")),
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
