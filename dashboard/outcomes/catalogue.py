"""The outcome indicator catalogue (``outcome_indicators.csv``) and its join onto the long values (pure).

The catalogue is an open list: one row per indicator with ``id, label, family, unit, direction,
eurostat_table, eurostat_filters, nuts_level, population, sex, age, aggregate, compare_with, notes``.
Values (``outcomes.csv``) are long — ``region_id, indicator, year, value, nuts_used, proxy, national,
source, retrieved, provenance, illustrative`` — and refer to the catalogue by ``indicator``; the data
package's foreign key refuses a value whose indicator is not catalogued. Adding an indicator is adding a
catalogue row and its values: no code names the indicators.

``eurostat_filters`` is ``dimension=code`` pairs separated by ``;`` (e.g.
``citizen=NEU27_2020_FOR;sex=T;age=Y20-64;unit=PC``): the Eurostat dimension codes that select exactly one
series per region and year. ``nuts_level`` is the finest NUTS level Eurostat publishes the table at (0 =
national only). ``compare_with`` names the nationals' counterpart of a foreign-citizens rate, so that a
"gap to nationals" can be computed. ``aggregate`` says how to combine units into one region (the Lisbon
case): ``population_weighted_mean`` for rates, ``sum`` for counts, ``none`` when values cannot be combined.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.i18n import N_, Labels

FAMILIES = ("employment", "education", "social_inclusion", "active_citizenship", "context")
#: Labels tables (:class:`dashboard.i18n.Labels`): each label answers in the language of the request.
FAMILY_LABELS = Labels({
    "employment": N_("Employment"),
    "education": N_("Education"),
    "social_inclusion": N_("Social inclusion"),
    "active_citizenship": N_("Active citizenship"),
    "context": N_("Context"),
})
DIRECTIONS = ("higher_better", "higher_worse", "neutral")
DIRECTION_LABELS = Labels({"higher_better": N_("higher is better"), "higher_worse": N_("higher is worse"),
                           "neutral": N_("neutral")})
POPULATIONS = ("all", "nationals", "non_eu_citizens", "eu_citizens")
POPULATION_LABELS = Labels({
    "all": N_("whole population"), "nationals": N_("nationals"), "non_eu_citizens": N_("non-EU citizens"),
    "eu_citizens": N_("citizens of other EU countries"),
})
SEXES = ("total", "female", "male")
AGGREGATES = ("population_weighted_mean", "sum", "none")
#: The indicator whose values weight a population-weighted mean.
WEIGHT_INDICATOR = "population"

#: Columns the catalogue adds to every value row (when the value file does not carry them itself).
JOINED = ("label", "unit", "family", "direction", "population", "sex", "eurostat_table")
CATALOGUE_FILE = "outcome_indicators.csv"


def parse_filters(text: str | None) -> dict[str, str]:
    """``"citizen=NAT; sex=T"`` → ``{"citizen": "NAT", "sex": "T"}``; ValueError naming the bad pair."""
    filters: dict[str, str] = {}
    for part in str(text or "").split(";"):
        part = part.strip()
        if not part:
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"filter {part!r} is not dimension=code")
        filters[key.strip()] = value.strip()
    return filters


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as plain ``str`` with ``""`` for an empty cell, ``nuts_level`` as a whole number."""
    frame = frame.copy()
    for column in frame.columns:
        if column == "nuts_level":
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
        else:
            frame[column] = [("" if v is None or (isinstance(v, float) and v != v) else str(v).strip())
                             for v in frame[column]]
            frame[column] = frame[column].astype(object)
    return frame


def read_catalogue(path: Path | str) -> pd.DataFrame:
    """Read a catalogue CSV (:func:`normalise`). Validation is the data package's job
    (:func:`dashboard.data.load_dataset`); this reader is for tools that need the file alone."""
    return normalise(pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8"))


def embedded_catalogue() -> pd.DataFrame:
    """The catalogue shipped in ``data/`` (used for packages made before the catalogue existed)."""
    from dashboard import config

    return read_catalogue(Path(config.EMBEDDED_DATA_DIR) / CATALOGUE_FILE)


def with_catalogue(values: pd.DataFrame, catalogue: pd.DataFrame | None) -> pd.DataFrame:
    """The long values with the catalogue's descriptive columns (:data:`JOINED`) filled in.

    A column the value file already carries keeps its value where it has one (an older package with its
    own ``label``); the catalogue fills the gaps. ``national`` and ``source`` default to False / "" when
    the value file predates them. Row order and every value column are kept.
    """
    out = values.copy()
    for column, default in (("national", False), ("source", None), ("retrieved", None)):
        if column not in out.columns:
            out[column] = default
    out["national"] = out["national"].fillna(False).astype(bool)
    if catalogue is None or catalogue.empty or "indicator" not in out.columns:
        return out
    meta = catalogue.drop_duplicates("id").set_index("id")
    for column in JOINED:
        if column not in meta.columns:
            continue
        mapped = out["indicator"].map(meta[column])
        if column in out.columns:
            out[column] = out[column].where(out[column].notna() & (out[column].astype(str) != ""), mapped)
        else:
            out[column] = mapped
        out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


def catalogue_row(catalogue: pd.DataFrame, indicator: str) -> dict:
    """One catalogue row as a dict; KeyError naming the id when it is not catalogued."""
    rows = catalogue[catalogue["id"] == indicator]
    if rows.empty:
        raise KeyError(f"unknown outcome indicator {indicator!r}")
    return rows.iloc[0].to_dict()
