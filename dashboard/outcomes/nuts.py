"""From Eurostat's NUTS units to the 25 MIPEX-R regions (pure).

The regions are governments, not statistical units, so their codes mix NUTS levels (NUTS 2021). For one
indicator and one year, :func:`resolve` finds each region's value in a ``geo → value`` mapping:

1. **National-only statistics** (catalogue ``nuts_level`` 0): the country's value, flagged ``national``
   (and ``proxy``): ``nuts_used`` is the country code.
2. **The region's own code** (NUTS 2021), or its NUTS 2024 code when that is a single renamed unit.
3. **A region split in NUTS 2024** — Lisbon: Área Metropolitana de Lisboa PT17 became PT1A (Grande
   Lisboa) + PT1B (Península de Setúbal). When only the new units are published, they are combined as the
   catalogue's ``aggregate`` says: ``sum`` for counts; ``population_weighted_mean`` for rates, weighted by
   the ``population`` indicator of the same units (same year, else the nearest year available). The
   result is exact for counts and for rates whose denominator is proportional to the population; for the
   others it is an approximation, and the provenance says so. ``nuts_used`` is ``PT1A+PT1B``.
4. **A region finer than the table** (Skåne SE224, Västra Götaland SE232 are NUTS 3; the LFS stops at
   NUTS 2): the enclosing unit at the table's level (SE22, SE23), flagged ``proxy``.
5. **A NUTS-1 region** (Vlaams Gewest BE2, Région wallonne BE3, Bayern DE2) uses the NUTS-1 aggregate when
   Eurostat publishes it; when it does not, the value is missing and the provenance says so (NUTS-2 parts
   are not combined: the LFS weights behind them are not published).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping


@dataclass(frozen=True)
class Resolved:
    """One region's value for one indicator and year (``value`` None when Eurostat has none)."""

    value: float | None
    nuts_used: str
    proxy: bool = False
    national: bool = False
    note: str = ""


def _codes_2024(region: Mapping) -> list[str]:
    return [c.strip() for c in str(region.get("nuts2024_ids") or "").split(";") if c.strip()]


def _present(values: Mapping[str, float | None], code: str) -> bool:
    value = values.get(code)
    return value is not None and value == value


def _nearest_weights(parts: list[str], weights_by_year: Mapping[int, Mapping[str, float]] | None,
                     year: int) -> tuple[dict[str, float], int] | None:
    """Population weights of ``parts`` in ``year``, else the nearest year that has all of them."""
    if not weights_by_year:
        return None
    for y in sorted(weights_by_year, key=lambda y: (abs(y - year), -y)):
        w = weights_by_year[y]
        if all(_present(w, p) and w[p] > 0 for p in parts):
            return {p: float(w[p]) for p in parts}, y
    return None


def aggregate(parts: list[str], values: Mapping[str, float], method: str,
              weights: Mapping[str, float] | None = None) -> float | None:
    """Combine the parts' values: ``sum`` or ``population_weighted_mean`` (None when it cannot be done)."""
    if not all(_present(values, p) for p in parts):
        return None
    if method == "sum":
        return float(sum(values[p] for p in parts))
    if method == "population_weighted_mean":
        if not weights or not all(p in weights and weights[p] > 0 for p in parts):
            return None
        total = sum(weights[p] for p in parts)
        return float(sum(values[p] * weights[p] for p in parts) / total)
    return None


def resolve(region: Mapping, indicator: Mapping, values: Mapping[str, float | None], year: int,
            weights_by_year: Mapping[int, Mapping[str, float]] | None = None) -> Resolved:
    """The value of ``indicator`` for ``region`` in ``year`` (see the module docstring for the rules)."""
    rid = str(region["region_id"])
    level = int(region.get("nuts_level") or len(rid) - 2)
    table_level = int(indicator.get("nuts_level") if indicator.get("nuts_level") not in (None, "") else 2)
    table = indicator.get("eurostat_table") or "the table"
    country = rid[:2]
    if table_level == 0:
        if _present(values, country):
            return Resolved(float(values[country]), country, proxy=True, national=True,
                            note=f"Eurostat publishes {table} only for whole countries: the value is {country}'s")
        return Resolved(None, country, proxy=True, national=True, note=f"no value for {country} in {table}, {year}")
    codes = _codes_2024(region)
    if _present(values, rid):
        return Resolved(float(values[rid]), rid)
    if len(codes) == 1 and codes[0] != rid and _present(values, codes[0]):
        return Resolved(float(values[codes[0]]), codes[0], note=f"published under the NUTS 2024 code {codes[0]}")
    if len(codes) > 1:
        joined = "+".join(codes)
        method = indicator.get("aggregate") or "none"
        if not all(_present(values, c) for c in codes):
            missing = ", ".join(c for c in codes if not _present(values, c))
            return Resolved(None, joined, note=f"{rid} is published as {joined} (NUTS 2024) and {missing} has no "
                                              f"value in {table}, {year}")
        if method == "sum":
            return Resolved(aggregate(codes, values, "sum"), joined,
                            note=f"sum of {joined} (NUTS 2024 units of {rid})")
        if method == "population_weighted_mean":
            found = _nearest_weights(codes, weights_by_year, year)
            if found is None:
                return Resolved(None, joined, note=f"cannot combine {joined}: no population of these units to "
                                                   "weight them")
            weights, wyear = found
            value = aggregate(codes, values, method, weights)
            return Resolved(value, joined, note=(f"population-weighted mean of {joined} (NUTS 2024 units of {rid}), "
                                                 f"weights: population {wyear}; approximate where the rate's own "
                                                 "population is not proportional to the total"))
        return Resolved(None, joined, note=f"{joined} cannot be combined for this statistic")
    if level > table_level:
        parent = rid[: 2 + table_level]
        if _present(values, parent):
            return Resolved(float(values[parent]), parent, proxy=True,
                            note=f"Eurostat publishes {table} down to NUTS {table_level}: value of the enclosing "
                                 f"unit {parent}")
        return Resolved(None, parent, proxy=True, note=f"no value for the enclosing unit {parent} in {table}, {year}")
    if level == 1:
        return Resolved(None, rid, note=f"Eurostat does not publish {table} for the NUTS-1 region {rid} in {year}")
    return Resolved(None, rid, note=f"no value for {rid} in {table}, {year}")


def choose_year(values_by_year: Mapping[int, Mapping[str, float | None]], regions: list[Mapping],
                indicator: Mapping, weights_by_year: Mapping[int, Mapping[str, float]] | None = None,
                share: float = 0.8) -> int | None:
    """The latest year in which at least ``share`` of the regions get a value; else the year with the most
    (the latest of equals); None when no year has any value."""
    coverage = {}
    for year, values in values_by_year.items():
        coverage[year] = sum(resolve(r, indicator, values, year, weights_by_year).value is not None for r in regions)
    if not coverage or max(coverage.values()) == 0:
        return None
    enough = [y for y, n in coverage.items() if n >= share * len(regions)]
    if enough:
        return max(enough)
    best = max(coverage.values())
    return max(y for y, n in coverage.items() if n == best)
