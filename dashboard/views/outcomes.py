"""Policy against outcomes (pure): a governance dimension (x) set against an outcome indicator (y).

:func:`parse_outcomes_query` reads the URL state ``?x=area:labour_market&y=employment_rate_non_eu&mode=gap
&region=PT20`` (lenient: unknown values fall back with a note; ``strict=True``, as the exports read it: an unknown value
raises :class:`~dashboard.errors.UnknownOption`); :func:`outcomes_view` builds the table of
the regions (x, y, name, proxy and national flags, illustrative flag), Pearson's r with its n, the two
averages, the caveat and both source lines (governance and outcomes, and which of them are illustrative);
each region's value carries its own source (``value_source``: Eurostat table, year and retrieval date, or
illustrative). :func:`compare_outcomes` is the comparison page's small table (the chosen regions against the
average of all regions).

``mode="value"`` plots the indicator as published; ``mode="gap"`` plots the indicator minus its nationals'
counterpart (the catalogue's ``compare_with``, e.g. unemployment of non-EU citizens minus that of
nationals), taken in the same year.

Every text is made in the current language (:mod:`dashboard.i18n`): indicator labels and units from the
catalogue go through ``_()`` (the embedded catalogue's texts are in the translation catalogs; a package's
own wording shows as it is), numbers with decimals through :func:`dashboard.i18n.number`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
import pandas as pd

from dashboard import i18n, query, scoring
from dashboard.constants import ILLUSTRATIVE_MARK
from dashboard.data import Dataset
from dashboard.errors import UnknownOption
from dashboard.i18n import N_, _, ngettext
from dashboard.outcomes.catalogue import DIRECTION_LABELS, FAMILY_LABELS
from dashboard.views.cache import BoundedCache

DEFAULT_X = "area:labour_market"
DEFAULT_Y = "employment_rate_non_eu"
MODES = ("value", "gap")
MIN_N = 3  # fewer regions with both values: no correlation is shown
TABLE_COLUMNS = ["region_id", "name", "country", "x", "y", "year", "nuts_used", "proxy", "national", "illustrative",
                 "highlighted", "value_source"]


def caveat(n: int) -> str:
    """The plain-words caveat under every scatter, with the number of regions it rests on."""
    return ngettext("Association across {n} region, not cause; outcomes depend on much more than policy "
                    "(the economy, who migrates where, national rules).",
                    "Association across {n} regions, not cause; outcomes depend on much more than policy "
                    "(the economy, who migrates where, national rules).", n).format(n=n)


@dataclass(frozen=True)
class OutcomesState:
    x: str = DEFAULT_X
    y: str = DEFAULT_Y
    mode: str = "value"
    region: str | None = None

    def query(self) -> dict[str, str]:
        """The URL query of this state (defaults left out, so links stay short)."""
        params = {"x": self.x, "y": self.y}
        if self.mode != "value":
            params["mode"] = self.mode
        if self.region:
            params["region"] = self.region
        return params


@dataclass(frozen=True)
class OutcomesView:
    state: OutcomesState
    table: pd.DataFrame
    r: float | None
    n: int
    x_mean: float | None
    y_mean: float | None
    x_label: str
    y_label: str
    y_unit: str
    direction: str
    caveat: str
    governance_source: str
    outcomes_source: str
    illustrative: bool
    title: str
    notes: list[str] = field(default_factory=list)

    @property
    def source_line(self) -> str:
        return f"{self.governance_source} {self.outcomes_source}"


# --------------------------------------------------------------------------------------------
# Options and query
# --------------------------------------------------------------------------------------------

def outcome_indicators(dataset: Dataset) -> pd.DataFrame:
    """The catalogued indicators that have at least one value in the dataset (the y choices)."""
    cat = dataset.outcome_indicators
    if cat is None or dataset.outcomes.empty:
        return pd.DataFrame(columns=["id", "label", "family", "unit", "direction", "compare_with"])
    with_values = set(dataset.outcomes.loc[dataset.outcomes["value"].notna(), "indicator"])
    return cat[cat["id"].isin(with_values)].reset_index(drop=True)


def y_options(dataset: Dataset) -> list[dict]:
    """Dropdown options for the outcome indicator, family first in each label."""
    return [{"label": _("{family}: {indicator}").format(family=FAMILY_LABELS.get(r["family"], r["family"]),
                                                         indicator=_(r["label"])), "value": r["id"]}
            for r in outcome_indicators(dataset).to_dict("records")]


def x_options() -> list[dict]:
    """Dropdown options for the governance dimension (overall, then every axis)."""
    return [{"label": scoring.dimension_label(d), "value": d} for d in scoring.DIMENSIONS]


def gap_available(dataset: Dataset, indicator: str) -> bool:
    """True when the indicator names a nationals' counterpart that has values."""
    cat = outcome_indicators(dataset)
    row = cat[cat["id"] == indicator]
    return bool(len(row)) and bool(row.iloc[0]["compare_with"]) and row.iloc[0]["compare_with"] in set(cat["id"])


def parse_outcomes_query(params: Mapping[str, Any] | str | None, dataset: Dataset,
                         strict: bool = False) -> tuple[OutcomesState, list[str]]:
    """The page's URL query → (state, plain-words notes for values that were not understood).

    Lenient (the page): a bad value falls back with a note. ``strict`` (the exports): the first bad value
    raises :class:`~dashboard.errors.UnknownOption` naming it and the valid choices."""
    if params is None or isinstance(params, str):
        params = query.parse_search(params)
    notes: list[str] = []
    if strict:
        x = query.check_measure(params.get("x"), default=DEFAULT_X)
    else:
        x, note = query.parse_measure(params.get("x"), default=DEFAULT_X)
        if note:
            notes.append(note)
    known = list(outcome_indicators(dataset)["id"])
    y = query.one(params.get("y"))
    if y is None or y not in known:
        if y is not None:
            if strict:
                raise UnknownOption(_("unknown outcome {value}; expected one of: {choices}").format(
                    value=repr(query.shorten(y)), choices=", ".join(known)))
            notes.append(_("The link asked for the outcome “{value}”, which is not in the loaded data; showing "
                           "another one instead.").format(value=query.shorten(y, 60)))
        y = DEFAULT_Y if DEFAULT_Y in known else (known[0] if known else DEFAULT_Y)
    mode = query.one(params.get("mode")) or "value"
    if mode not in MODES:
        if strict:
            raise UnknownOption(_("unknown mode {value}; expected one of: {choices}").format(
                value=repr(query.shorten(mode)), choices=", ".join(MODES)))
        notes.append(_("Unknown view “{value}”; showing the values.").format(value=query.shorten(mode)))
        mode = "value"
    if mode == "gap" and not gap_available(dataset, y):
        if strict:
            raise UnknownOption(_("the outcome {value} has no nationals' counterpart, so mode 'gap' is not available; "
                                  "use mode=value").format(value=repr(y)))
        notes.append(_("This outcome has no nationals' counterpart, so no gap can be shown; showing the values."))
        mode = "value"
    if strict:
        ids = query.check_regions(query.many(params, query.REGION_KEYS), dataset.resolve_region, 0, 1,
                                  "the outcomes chart (one highlighted region)", dataset.regions["region_id"])
        region = ids[0] if ids else None
    else:
        region, note = query.parse_region(params.get("region"), dataset.resolve_region)
        if note:
            notes.append(note)
    return OutcomesState(x=x, y=y, mode=mode, region=region), notes


# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------

def pearson(x: pd.Series | np.ndarray, y: pd.Series | np.ndarray) -> tuple[float | None, int]:
    """Pearson's r over the pairs where both values are present, and that number of pairs (n).
    r is None when n < :data:`MIN_N` or either variable does not vary."""
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    ok = np.isfinite(xs) & np.isfinite(ys)
    n = int(ok.sum())
    if n < MIN_N:
        return None, n
    xs, ys = xs[ok], ys[ok]
    dx, dy = xs - xs.mean(), ys - ys.mean()
    denom = math.sqrt(float((dx * dx).sum()) * float((dy * dy).sum()))
    if denom == 0:
        return None, n
    return float((dx * dy).sum() / denom), n


def latest_values(outcomes: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """One row per region for ``indicator``: its latest year with a value."""
    rows = outcomes[(outcomes["indicator"] == indicator) & outcomes["value"].notna()]
    rows = rows.sort_values(["region_id", "year"], na_position="first")
    return rows.groupby("region_id", sort=False).tail(1).set_index("region_id")


def _gap_values(outcomes: pd.DataFrame, indicator: str, counterpart: str) -> pd.DataFrame:
    """indicator − counterpart per region, in the latest year both have a value."""
    a = outcomes[(outcomes["indicator"] == indicator) & outcomes["value"].notna()]
    b = outcomes[(outcomes["indicator"] == counterpart) & outcomes["value"].notna()]
    both = a.merge(b, on=["region_id", "year"], suffixes=("", "_other"))
    both = both.sort_values(["region_id", "year"]).groupby("region_id", sort=False).tail(1)
    both = both.assign(
        value=both["value"] - both["value_other"],
        proxy=both["proxy"].astype(bool) | both["proxy_other"].astype(bool),
        national=both["national"].astype(bool) | both["national_other"].astype(bool),
        illustrative=both["illustrative"].astype(bool) | both["illustrative_other"].astype(bool),
    )
    return both.set_index("region_id")


def _mean(series: pd.Series) -> float | None:
    values = series.dropna()
    return float(values.mean()) if len(values) else None


def _years_text(years: list[int]) -> str:
    if not years:
        return _("year not given")
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def _illustrative_text(n_ill: int, total: int) -> str:
    """The sentence saying how many outcome values are illustrative ("" when none)."""
    if not n_ill:
        return ""
    if n_ill == total:
        return " " + _("Outcome values ILLUSTRATIVE (generated, not Eurostat figures).")
    return " " + ngettext("{n} of {total} outcome value ILLUSTRATIVE (generated, not Eurostat figures).",
                          "{n} of {total} outcome values ILLUSTRATIVE (generated, not Eurostat figures).",
                          total).format(n=n_ill, total=total)


def _outcomes_source(rows: pd.DataFrame, table: str, indicator_label: str) -> str:
    if rows.empty:
        return _("Outcomes: no values for {indicator}.").format(indicator=indicator_label)
    years = sorted({int(y) for y in rows["year"].dropna()})
    text = (_("Outcomes: Eurostat {table}, {years}").format(table=table, years=_years_text(years)) if table
            else _("Outcomes: GISCO, {years}").format(years=_years_text(years)))
    retrieved = sorted({str(d) for d in rows.get("retrieved", pd.Series(dtype=object)).dropna() if str(d)})
    if retrieved:
        text = _("{source}, retrieved {date}").format(source=text, date=retrieved[-1])
    text += "."
    text += _illustrative_text(int(rows["illustrative"].astype(bool).sum()), len(rows))
    n_national = int(rows["national"].astype(bool).sum())
    n_proxy = int((rows["proxy"].astype(bool) & ~rows["national"].astype(bool)).sum())
    if n_national:
        text += " " + ngettext("{n} value is a national figure (published only for the whole country).",
                               "{n} values are national figures (published only for the whole country).",
                               n_national).format(n=n_national)
    if n_proxy:
        text += " " + ngettext("{n} value is for an enclosing unit (proxy).",
                               "{n} values are for an enclosing unit (proxy).", n_proxy).format(n=n_proxy)
    return text


def governance_source(dataset: Dataset, x_label: str) -> str:
    """Where the governance scores come from (:attr:`Dataset.source_text`: published or computed, edition),
    with the illustrative mark when the scores are illustrative."""
    text = dataset.source_text
    head, sep, rest = text.partition(": ")  # "Source: …" in any language
    if sep and len(head) <= 24:
        text = rest
    body, dot, last = text.rstrip(".").rpartition(". ")  # "… . Scale 0–100." in any language
    if dot and "0–100" in last:
        text = body
    line = _("Governance: {source}, {dimension}, scale 0–100.").format(source=text, dimension=x_label)
    return f"{line} {_(ILLUSTRATIVE_MARK)}." if dataset.scores_illustrative else line


def value_source(row: Mapping[str, Any], table: str) -> str:
    """One outcome value's own source: ``Eurostat <table>, <year>, retrieved <date>`` (real) or the
    illustrative mark; the unit actually used when it is a national figure or an enclosing unit (proxy)."""
    year = row.get("year")
    year_text = _("year not given") if year is None or pd.isna(year) else str(int(year))
    if bool(row.get("illustrative")):
        text = _("ILLUSTRATIVE (generated, not a Eurostat figure; modelled on {table}, {year})").format(
            table=table or "GISCO", year=year_text)
    else:
        text = f"Eurostat {table}, {year_text}" if table else f"GISCO, {year_text}"
        retrieved = row.get("retrieved")
        if retrieved is not None and not pd.isna(retrieved) and str(retrieved).strip():
            text = _("{source}, retrieved {date}").format(source=text, date=retrieved)
    if bool(row.get("national")):
        text = _("{source}; national figure ({unit})").format(source=text, unit=row.get("nuts_used") or _("country"))
    elif bool(row.get("proxy")):
        text = _("{source}; enclosing unit {unit} (proxy)").format(source=text, unit=row.get("nuts_used"))
    return text


def outcomes_view(dataset: Dataset, state: OutcomesState, notes: list[str] | None = None) -> OutcomesView:
    """The scatter's data for ``state`` (see the module docstring)."""
    cat = dataset.outcome_indicators
    meta = cat[cat["id"] == state.y]
    if meta.empty:
        raise KeyError(f"unknown outcome indicator {state.y!r}")
    meta = meta.iloc[0].to_dict()
    x_label = scoring.dimension_label(state.x)
    label = _(meta["label"])
    if state.mode == "gap":
        counterpart = cat[cat["id"] == meta["compare_with"]].iloc[0].to_dict()
        values = _gap_values(dataset.outcomes, state.y, meta["compare_with"])
        # the counterpart's population: what follows the last comma of its label ("female nationals")
        y_label = _("{outcome} minus {other} (gap)").format(outcome=label,
                                                             other=_(counterpart["label"]).split(", ")[-1])
        y_unit = _("percentage points") if str(meta["unit"]).startswith("%") else _(meta["unit"])
    else:
        values = latest_values(dataset.outcomes, state.y)
        y_label, y_unit = label, _(meta["unit"])
    wide = dataset.wide_scores
    regions = dataset.regions.set_index("region_id")
    table = pd.DataFrame({"region_id": list(regions.index)})
    table["name"] = [dataset.region_name(r) for r in table["region_id"]]
    table["country"] = [regions.loc[r, "country"] for r in table["region_id"]]
    table["x"] = [float(wide.loc[r, state.x]) if r in wide.index else np.nan for r in table["region_id"]]
    table["y"] = [float(values.loc[r, "value"]) if r in values.index else np.nan for r in table["region_id"]]
    for column, default in (("year", pd.NA), ("nuts_used", ""), ("proxy", False), ("national", False),
                            ("illustrative", False)):
        table[column] = [values.loc[r, column] if r in values.index else default for r in table["region_id"]]
    table["year"] = pd.to_numeric(table["year"], errors="coerce").astype("Int64")
    for column in ("proxy", "national", "illustrative"):
        table[column] = table[column].astype(bool)
    table["highlighted"] = table["region_id"] == state.region
    r, n = pearson(table["x"], table["y"])
    paired = table.dropna(subset=["x", "y"])
    governance = governance_source(dataset, x_label)
    table["value_source"] = [value_source(values.loc[r], meta.get("eurostat_table") or "") if r in values.index
                             else "" for r in table["region_id"]]
    table = table[TABLE_COLUMNS]
    used = values.loc[[r for r in table["region_id"] if r in values.index]]
    outcomes_src = _outcomes_source(used.reset_index(), meta.get("eurostat_table") or "", label)
    if state.mode == "gap":
        title = _("{dimension} and {outcome} (gap to nationals)").format(dimension=x_label,
                                                                         outcome=i18n.in_sentence(label))
    else:
        title = _("{dimension} and {outcome}").format(dimension=x_label, outcome=i18n.in_sentence(label))
    return OutcomesView(
        state=state, table=table, r=r, n=n, x_mean=_mean(paired["x"]), y_mean=_mean(paired["y"]),
        x_label=x_label, y_label=y_label, y_unit=y_unit,
        direction=DIRECTION_LABELS.get(meta.get("direction"), ""), caveat=caveat(n),
        governance_source=governance, outcomes_source=outcomes_src,
        illustrative=bool(dataset.scores_illustrative or table["illustrative"].any()),
        title=title, notes=list(notes or []),
    )


def r_text(view: OutcomesView) -> str:
    """Pearson's r in plain words, with n."""
    if view.r is None:
        return _("Too few regions with both values (n = {n}) to compute a correlation.").format(n=view.n)
    fill = dict(r=i18n.number(view.r, 2), n=view.n)
    if round(view.r, 2) == 0:
        return _("Correlation (Pearson’s r) = {r}, n = {n} regions: no association.").format(**fill)
    strength = abs(view.r)
    word = "weak" if strength < 0.3 else "moderate" if strength < 0.6 else "strong"
    return _(R_WORDS[word, view.r > 0]).format(**fill)


#: r in words, one whole sentence per strength and sign (translated where used).
R_WORDS = {
    ("weak", True): N_("Correlation (Pearson’s r) = {r}, n = {n} regions: a weak positive association."),
    ("moderate", True): N_("Correlation (Pearson’s r) = {r}, n = {n} regions: a moderate positive association."),
    ("strong", True): N_("Correlation (Pearson’s r) = {r}, n = {n} regions: a strong positive association."),
    ("weak", False): N_("Correlation (Pearson’s r) = {r}, n = {n} regions: a weak negative association."),
    ("moderate", False): N_("Correlation (Pearson’s r) = {r}, n = {n} regions: a moderate negative association."),
    ("strong", False): N_("Correlation (Pearson’s r) = {r}, n = {n} regions: a strong negative association."),
}


def outcomes_figure(view: OutcomesView):
    """The scatter of ``view`` (plotly Figure)."""
    from dashboard.figures.outcomes import scatter

    return scatter(view.table, x_label=view.x_label, y_label=view.y_label, y_unit=view.y_unit, title=view.title,
                   source_line=view.source_line, r_text=r_text(view), caveat=view.caveat, x_mean=view.x_mean,
                   y_mean=view.y_mean)


# --------------------------------------------------------------------------------------------
# The region profile's section
# --------------------------------------------------------------------------------------------

#: The governance dimension first set against an outcome of each family (the page lets one choose any).
SUGGESTED_X = {"employment": "area:labour_market", "education": "area:education",
               "social_inclusion": "area:social_security", "active_citizenship": "overall", "context": "overall"}


def page_href(state: OutcomesState) -> str:
    from urllib.parse import urlencode

    return "/outcomes?" + urlencode(state.query(), safe=":")


@dataclass(frozen=True)
class SectionTables:
    """What the profile's and the comparison page's outcome sections read, per dataset (the same in every
    language): the catalogue records of the non-EU citizens' indicators that have a value (catalogue order),
    per indicator each region's latest row (:func:`latest_values` as plain dicts, without ``region_id``) and
    the average of those latest values, and per indicator with a nationals' counterpart each region's gap
    (:func:`_gap_values`). Read-only: shared by every request for the same data."""

    indicators: tuple[dict, ...]
    latest: dict[str, dict[str, dict]]
    average: dict[str, float]
    gaps: dict[str, dict[str, float]]


def _section_tables(dataset: Dataset) -> SectionTables:
    """One pass over the outcomes for every indicator of the sections (not one filter, sort and merge per
    indicator): the same rows, averages and gaps as :func:`latest_values` and :func:`_gap_values` (the sorts are
    stable and (region, indicator, year) is the outcomes' primary key, so ties cannot reorder anything)."""
    cat = outcome_indicators(dataset)
    records = tuple(cat[cat["population"] == "non_eu_citizens"].to_dict("records"))
    outcomes = dataset.outcomes
    present = outcomes[outcomes["value"].notna()]
    rows = present[present["indicator"].isin([rec["id"] for rec in records])]
    rows = rows.sort_values(["indicator", "region_id", "year"], na_position="first")
    rows = rows.groupby(["indicator", "region_id"], sort=False).tail(1)
    latest: dict[str, dict[str, dict]] = {}
    for row in rows.to_dict("records"):
        latest.setdefault(row["indicator"], {})[row.pop("region_id")] = row
    average = {indicator: float(values.mean()) for indicator, values in rows.groupby("indicator", sort=False)["value"]}
    pairs = {rec["id"]: rec["compare_with"] for rec in records if rec["compare_with"]}
    return SectionTables(records, latest, average, _all_gaps(present, pairs))


def _all_gaps(present: pd.DataFrame, pairs: dict[str, str]) -> dict[str, dict[str, float]]:
    """``{indicator: {region: value of _gap_values(…, indicator, counterpart)}}`` for every pair, in one merge."""
    mine = present[present["indicator"].isin(list(pairs))]
    mine = mine.assign(_with=mine["indicator"].map(pairs))
    other = present[present["indicator"].isin(list(pairs.values()))][["region_id", "year", "indicator", "value"]]
    both = mine.merge(other, left_on=["region_id", "year", "_with"], right_on=["region_id", "year", "indicator"],
                      suffixes=("", "_other"))
    both = both.sort_values(["indicator", "region_id", "year"]).groupby(["indicator", "region_id"], sort=False).tail(1)
    gaps: dict[str, dict[str, float]] = {indicator: {} for indicator in pairs}
    for indicator, region, value in zip(both["indicator"], both["region_id"], both["value"] - both["value_other"]):
        gaps[indicator][region] = float(value)
    return gaps


#: :class:`SectionTables` per dataset fingerprint (shared data only).
_TABLES = BoundedCache(8)


def section_tables(dataset: Dataset, cache: bool = False) -> SectionTables:
    """:class:`SectionTables` of ``dataset``, kept per dataset fingerprint when ``cache`` (shared data only)."""
    return _TABLES.get(dataset.fingerprint, lambda: _section_tables(dataset), cache)


def region_outcomes(dataset: Dataset, region_id: str, cache: bool = False) -> pd.DataFrame:
    """The region's outcomes for non-EU citizens: value, the average of all regions, the gap to nationals
    (when the catalogue names the counterpart), flags, and a link to the page with the region highlighted.
    Columns: indicator, label, family, unit, value, year, average, gap, proxy, national, illustrative, href.
    ``cache``: keep the dataset's :class:`SectionTables` (shared data only)."""
    tables = section_tables(dataset, cache)
    rows = []
    for rec in tables.indicators:
        mine = tables.latest.get(rec["id"], {}).get(region_id)
        if mine is None:
            continue
        gap = tables.gaps[rec["id"]].get(region_id) if rec["compare_with"] else None
        state = OutcomesState(x=SUGGESTED_X.get(rec["family"], DEFAULT_X), y=rec["id"], region=region_id)
        rows.append({
            "indicator": rec["id"], "label": _(rec["label"]), "family": rec["family"], "unit": _(rec["unit"]),
            "value": float(mine["value"]), "year": int(mine["year"]) if not pd.isna(mine["year"]) else None,
            "average": tables.average[rec["id"]], "gap": gap, "proxy": bool(mine["proxy"]),
            "national": bool(mine["national"]), "illustrative": bool(mine["illustrative"]), "href": page_href(state),
        })
    return pd.DataFrame(rows, columns=["indicator", "label", "family", "unit", "value", "year", "average", "gap",
                                       "proxy", "national", "illustrative", "href"])


# --------------------------------------------------------------------------------------------
# The comparison page's section
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CompareOutcomes:
    """The chosen regions' outcomes for non-EU citizens beside the average of all regions.

    ``table``: one row per indicator: indicator, label, unit, one column per region id (the value), ``average``
    (mean of every region with a value), ``<id>_flags`` (plain words: illustrative, national figure, enclosing
    unit); ``source``: where the values come from (tables, years, retrieval dates, how many are illustrative)."""

    region_ids: tuple[str, ...]
    names: dict[str, str]
    table: pd.DataFrame
    source: str
    illustrative: bool
    href: str


def _flags(row: Mapping[str, Any]) -> str:
    words = []
    if bool(row.get("national")):
        words.append(_("national figure"))
    elif bool(row.get("proxy")):
        words.append(_("enclosing unit"))
    if bool(row.get("illustrative")):
        words.append(_("illustrative"))
    return ", ".join(words)


def _absent(value) -> bool:
    """What ``Series.dropna`` drops: None, NaN, NaT, pandas' NA."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def compare_outcomes(dataset: Dataset, region_ids: list[str] | tuple[str, ...],
                     cache: bool = False) -> CompareOutcomes:
    """The comparison page's outcome table for ``region_ids`` (already checked ids), latest year per value.
    ``cache``: keep the dataset's :class:`SectionTables` (shared data only)."""
    ids = tuple(region_ids)
    names = {r: dataset.region_name(r) for r in ids}
    tables = section_tables(dataset, cache)
    rows, used = [], []
    for rec in tables.indicators:
        values = tables.latest.get(rec["id"], {})
        if not any(r in values for r in ids):
            continue
        row: dict[str, Any] = {"indicator": rec["id"], "label": _(rec["label"]), "unit": _(rec["unit"])}
        for rid in ids:
            mine = values.get(rid)
            row[rid] = float(mine["value"]) if mine is not None else np.nan
            row[f"{rid}_flags"] = _flags(mine) if mine is not None else _("no value")
            if mine is not None:
                used.append((mine, rec.get("eurostat_table") or ""))
        row["average"] = tables.average[rec["id"]]
        rows.append(row)
    columns = ["indicator", "label", "unit", *ids, "average", *[f"{r}_flags" for r in ids]]
    table = pd.DataFrame(rows, columns=columns)
    if not used:
        source = _("Outcomes: no values for these regions.")
        illustrative = False
    else:
        tables_used = sorted({t for _row, t in used if t})
        years = sorted({int(row["year"]) for row, _t in used if not _absent(row.get("year"))})
        source = _("Outcomes: Eurostat {table}; {years}").format(table=", ".join(tables_used),
                                                                 years=_years_text(years))
        retrieved = sorted({str(d) for d in (row.get("retrieved") for row, _t in used)
                            if not _absent(d) and str(d)})
        if retrieved:
            source = _("{source}; retrieved {date}").format(source=source, date=retrieved[-1])
        source += ". " + _("Average: mean of all regions with a value.")
        n_ill = sum(bool(row["illustrative"]) for row, _t in used)
        illustrative = bool(n_ill)
        source += _illustrative_text(n_ill, len(used))
    href = page_href(OutcomesState(region=ids[0] if ids else None))
    return CompareOutcomes(ids, names, table, source, illustrative, href)
