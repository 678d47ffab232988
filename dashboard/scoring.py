"""The scoring rule: indicator answers → dimension scores (pure functions, no I/O).

Default rule (documented on the Methodology page and configurable through :class:`ScoringRule`):

* A dimension's score is the mean of the non-missing values of the indicators tagged with it.
* Target ``both`` counts for TCN and for BIP.
* ``general`` indicators count on every axis (element, phase, target) but in no policy area.
* The overall score is the mean of the region's non-missing policy-area scores.
* A dimension with no answered indicator is missing (NaN), never 0.

Dimension keys: ``overall``, ``area:<area>``, ``element:<element>``, ``phase:<phase>``,
``target:TCN``, ``target:BIP``. All scores are on a 0–100 scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from dashboard.i18n import N_, Labels, _, in_sentence

SCALE = "0–100"
SOURCE_LINE = N_("MIPEX-R governance indicators (CIDOB & Migration Policy Group, REGIN project)")

ELEMENTS = ("actions", "actors_relations", "resources")
PHASES = ("formulation", "policy_output", "implementation", "evaluation")
TARGETS = ("TCN", "BIP")
TARGET_VALUES = ("TCN", "BIP", "both")
AREAS = (
    "antidiscrimination",
    "culture_religion",
    "education",
    "health",
    "housing",
    "labour_market",
    "language",
    "social_security",
)
AREA_VALUES = AREAS + ("general",)

LABELS = Labels({
    "overall": N_("Overall score"),
    "actions": N_("Actions"),
    "actors_relations": N_("Actors & relations"),
    "resources": N_("Resources"),
    "formulation": N_("Formulation"),
    "policy_output": N_("Policy output"),
    "implementation": N_("Implementation"),
    "evaluation": N_("Evaluation"),
    "TCN": N_("Third-country nationals (TCN)"),
    "BIP": N_("Beneficiaries of international protection (BIP)"),
    "antidiscrimination": N_("Anti-discrimination"),
    "culture_religion": N_("Culture & religion"),
    "education": N_("Education"),
    "health": N_("Health"),
    "housing": N_("Housing"),
    "labour_market": N_("Labour market"),
    "language": N_("Language"),
    "social_security": N_("Social security & assistance"),
    "general": N_("General (all areas)"),
})
SHORT_LABELS = LABELS | {"TCN": "TCN", "BIP": "BIP", "social_security": N_("Social security")}

AXES: dict[str, tuple[str, ...]] = {
    "area": tuple(f"area:{a}" for a in AREAS),
    "element": tuple(f"element:{e}" for e in ELEMENTS),
    "phase": tuple(f"phase:{p}" for p in PHASES),
    "target": tuple(f"target:{t}" for t in TARGETS),
}
AXIS_LABELS = Labels({
    "area": N_("Policy areas"),
    "element": N_("Governance system (elements)"),
    "phase": N_("Governance process (policy cycle)"),
    "target": N_("Target population"),
})
DIMENSIONS: tuple[str, ...] = ("overall",) + AXES["area"] + AXES["element"] + AXES["phase"] + AXES["target"]

# Groups used in the press coverage of the 25-region results (12 advanced, 4 intermediate, 9 lagging).
# The published thresholds are not available offline; these are ours, documented on the Methodology page.
GROUP_THRESHOLDS = {"advanced": 55.0, "intermediate": 45.0}
GROUPS = ("advanced", "intermediate", "lagging")
#: The groups' names on screen and in files ("avancée" in French).
GROUP_LABELS = Labels({"advanced": N_("advanced"), "intermediate": N_("intermediate"), "lagging": N_("lagging")})


def axis_of(dimension: str) -> str:
    """``"area:health"`` → ``"area"``; ``"overall"`` → ``"overall"``."""
    return dimension.split(":", 1)[0]


def dimension_label(dimension: str, short: bool = False) -> str:
    """Plain-words label of a dimension key; raises KeyError for an unknown key."""
    if dimension not in DIMENSIONS:
        raise KeyError(f"unknown dimension {dimension!r}; expected one of: {', '.join(DIMENSIONS)}")
    if dimension == "overall":
        return LABELS["overall"]
    labels = SHORT_LABELS if short else LABELS
    return labels[dimension.split(":", 1)[1]]


def group_of(score: float | None) -> str | None:
    """advanced (≥ 55), intermediate (45 ≤ s < 55), lagging (< 45); None for a missing score."""
    if score is None or (isinstance(score, float) and np.isnan(score)):
        return None
    if score >= GROUP_THRESHOLDS["advanced"]:
        return "advanced"
    if score >= GROUP_THRESHOLDS["intermediate"]:
        return "intermediate"
    return "lagging"


@dataclass(frozen=True)
class ScoringRule:
    """The configurable parts of the rule.

    ``overall``: ``"mean_of_areas"`` (default: mean of the non-missing policy-area scores) or
    ``"mean_of_indicators"`` (mean of all answered indicators, the ``general`` ones included).
    ``general_in_axes``: whether ``general`` indicators count on the element/phase/target axes.
    """

    overall: Literal["mean_of_areas", "mean_of_indicators"] = "mean_of_areas"
    general_in_axes: bool = True

    def describe(self) -> list[str]:
        lines = [
            "A dimension's score is the mean of the answered (non-missing) indicators tagged with it, on 0–100.",
            "Indicators aimed at both target groups count for TCN and for BIP.",
        ]
        if self.general_in_axes:
            lines.append("'General' indicators count on the element, phase and target axes but in no policy area.")
        else:
            lines.append("'General' indicators count in no axis score and in no policy area.")
        if self.overall == "mean_of_areas":
            lines.append("The overall score is the mean of the region's non-missing policy-area scores.")
        else:
            lines.append("The overall score is the mean of all the region's answered indicators.")
        lines.append("A dimension with no answered indicator is missing, never 0.")
        return lines


DEFAULT_RULE = ScoringRule()


def _tag_table(framework: pd.DataFrame, rule: ScoringRule) -> pd.DataFrame:
    """One row per (indicator_id, dimension) membership."""
    fw = framework[["indicator_id", "element", "phase", "target", "area"]]
    parts = []
    axis_rows = fw if rule.general_in_axes else fw[fw["area"] != "general"]
    parts.append(pd.DataFrame({"indicator_id": axis_rows["indicator_id"], "dimension": "element:" + axis_rows["element"]}))
    parts.append(pd.DataFrame({"indicator_id": axis_rows["indicator_id"], "dimension": "phase:" + axis_rows["phase"]}))
    for target in TARGETS:
        sel = axis_rows[axis_rows["target"].isin([target, "both"])]
        parts.append(pd.DataFrame({"indicator_id": sel["indicator_id"], "dimension": f"target:{target}"}))
    in_area = fw[fw["area"] != "general"]
    parts.append(pd.DataFrame({"indicator_id": in_area["indicator_id"], "dimension": "area:" + in_area["area"]}))
    return pd.concat(parts, ignore_index=True)


def indicators_of(framework: pd.DataFrame, dimension: str, rule: ScoringRule = DEFAULT_RULE) -> list[str]:
    """The indicator ids that count in ``dimension`` under ``rule``, in framework order. ``overall``: the
    indicators of the policy areas (``mean_of_areas``) or every indicator (``mean_of_indicators``)."""
    if dimension == "overall":
        keep = framework if rule.overall == "mean_of_indicators" else framework[framework["area"] != "general"]
        return list(keep["indicator_id"])
    dimension_label(dimension)  # KeyError for an unknown key
    members = set(_tag_table(framework, rule).query("dimension == @dimension")["indicator_id"])
    return [i for i in framework["indicator_id"] if i in members]


class Scorer:
    """:func:`compute_scores` for one framework and rule, with the indicator × dimension membership made once:
    for callers that score many answer sets against the same framework (``Scorer(fw, rule).scores(answers)``
    equals ``compute_scores(answers, fw, rule)``). Holds no answers."""

    def __init__(self, framework: pd.DataFrame, rule: ScoringRule = DEFAULT_RULE):
        tags = _tag_table(framework, rule)
        self.rule = rule
        self.indicators = pd.Index(pd.unique(tags["indicator_id"]))
        self.membership = np.zeros((len(self.indicators), len(DIMENSIONS)))
        np.add.at(self.membership, (self.indicators.get_indexer(tags["indicator_id"]),
                                    pd.Index(list(DIMENSIONS)).get_indexer(tags["dimension"])), 1.0)

    def scores(self, answers: pd.DataFrame) -> pd.DataFrame:
        """Long table ``region_id, dimension, score``: see :func:`compute_scores`."""
        indicators = self.indicators
        values = pd.to_numeric(answers["value"], errors="coerce").to_numpy(dtype=float)
        region_codes, regions = pd.factorize(answers["region_id"], sort=False)
        dims = list(DIMENSIONS)
        ind_codes = indicators.get_indexer(answers["indicator_id"])
        answered = ~np.isnan(values) & (region_codes >= 0)
        used = answered & (ind_codes >= 0)
        sums = np.zeros((len(regions), len(indicators)))
        counts = np.zeros_like(sums)
        np.add.at(sums, (region_codes[used], ind_codes[used]), values[used])
        np.add.at(counts, (region_codes[used], ind_codes[used]), 1.0)
        total = np.bincount(region_codes[answered], weights=values[answered], minlength=len(regions))
        n = np.bincount(region_codes[answered], minlength=len(regions))
        table = self._table(sums, counts, total, n)
        return pd.DataFrame({"region_id": np.repeat(np.asarray(regions, dtype=object), len(dims)),
                             "dimension": np.tile(np.asarray(dims, dtype=object), len(regions)),
                             "score": table.ravel()})

    def matrix(self, values: np.ndarray, indicator_ids) -> np.ndarray:
        """Scores of answer sets given as a matrix: one row per answer set, column ``c`` the answer to
        ``indicator_ids[c]`` (NaN: not answered). Returns rows × :data:`DIMENSIONS` (in that order): the same
        numbers as :meth:`scores` of those answers in long form, without building the long table (the
        self-assessment scores one set, and one more per possible single change, on every answer)."""
        values = np.atleast_2d(np.asarray(values, dtype=float))
        cols = self.indicators.get_indexer(list(indicator_ids))
        answered = ~np.isnan(values)
        filled = np.where(answered, values, 0.0)
        known = cols >= 0
        sums = np.zeros((len(values), len(self.indicators)))
        counts = np.zeros_like(sums)
        np.add.at(sums.T, cols[known], filled[:, known].T)  # a repeated indicator counts as often as it appears
        np.add.at(counts.T, cols[known], answered[:, known].T.astype(float))
        rows = np.repeat(np.arange(len(values)), values.shape[1])[answered.ravel()]
        # summed in the order scores() sums a long table listing each set's answers in column order: equal numbers
        total = np.bincount(rows, weights=values[answered], minlength=len(values))
        return self._table(sums, counts, total, answered.sum(axis=1))

    def _table(self, sums: np.ndarray, counts: np.ndarray, total: np.ndarray, n: np.ndarray) -> np.ndarray:
        """regions × DIMENSIONS from per-indicator sums and counts of answers and each region's total and number
        of answers (every answer, also to indicators outside the framework: the ``mean_of_indicators`` rule)."""
        dims = list(DIMENSIONS)
        with np.errstate(invalid="ignore", divide="ignore"):
            table = (sums @ self.membership) / (counts @ self.membership)  # 0 / 0 → NaN: no answered indicator
            if self.rule.overall == "mean_of_areas":
                areas = [i for i, d in enumerate(dims) if d.startswith("area:")]
                k = (~np.isnan(table[:, areas])).sum(axis=1)
                overall = np.where(k > 0, np.nansum(table[:, areas], axis=1) / np.maximum(k, 1), np.nan)
            else:
                overall = total / n
        table[:, dims.index("overall")] = overall
        return table


def compute_scores(answers: pd.DataFrame, framework: pd.DataFrame, rule: ScoringRule = DEFAULT_RULE) -> pd.DataFrame:
    """Long table ``region_id, dimension, score`` for every region in ``answers`` (in order of first appearance)
    and every dimension key.

    Missing dimensions are present with ``score`` NaN, so the shape is always regions × DIMENSIONS. Computed
    on integer codes (a region × indicator matrix times an indicator × dimension membership matrix), so 1,500
    regions × 61 indicators score in milliseconds; a repeated (region, indicator) row counts as often as it
    appears, an answer to an indicator outside the framework counts in no dimension. (:class:`Scorer` keeps
    the membership for repeated scoring against one framework.)
    """
    return Scorer(framework, rule).scores(answers)


def wide(scores: pd.DataFrame) -> pd.DataFrame:
    """Long scores → region_id × dimension table (columns in DIMENSIONS order)."""
    table = scores.pivot(index="region_id", columns="dimension", values="score")
    cols = [d for d in DIMENSIONS if d in table.columns]
    table = table[cols]
    table.columns.name = None
    return table


def ranks(scores_wide: pd.DataFrame, dimension: str) -> pd.Series:
    """Competition rank (1 = highest) of each region on a dimension; missing scores get no rank."""
    return scores_wide[dimension].rank(ascending=False, method="min").astype("Int64")


def strengths_weaknesses(scores_wide: pd.DataFrame, region_id: str, n: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Highest and lowest dimensions of a region relative to the all-region average.

    Returns two DataFrames (strengths, weaknesses) with columns dimension, label, score, average, difference,
    ordered by difference (largest first for strengths, most negative first for weaknesses). ``overall`` is excluded.
    """
    dims = [d for d in scores_wide.columns if d != "overall"]
    avg = scores_wide[dims].mean()
    row = scores_wide.loc[region_id, dims]
    table = pd.DataFrame({"dimension": dims, "score": row.to_numpy(), "average": avg.to_numpy()})
    table["difference"] = table["score"] - table["average"]
    table = table.dropna(subset=["difference"])
    table["label"] = [dimension_label(d) for d in table["dimension"]]
    table = table[["dimension", "label", "score", "average", "difference"]]
    strengths = table[table["difference"] > 0].sort_values("difference", ascending=False).head(n)
    weaknesses = table[table["difference"] < 0].sort_values("difference").head(n)
    return strengths.reset_index(drop=True), weaknesses.reset_index(drop=True)


def similar_regions(scores_wide: pd.DataFrame, region_id: str, n: int = 3) -> pd.DataFrame:
    """Nearest neighbours by Euclidean distance over the non-overall dimension scores (NaN-aware: mean squared
    difference over the dimensions both regions have). Columns region_id, distance; closest first."""
    dims = [d for d in scores_wide.columns if d != "overall"]
    data = scores_wide[dims]
    me = data.loc[region_id]
    diff = data.sub(me, axis=1)
    msd = (diff**2).mean(axis=1, skipna=True)
    dist = np.sqrt(msd).drop(index=region_id).dropna().sort_values()
    return pd.DataFrame({"region_id": dist.index[:n], "distance": dist.to_numpy()[:n]})


def summary_sentence(region_name: str, scores_wide: pd.DataFrame, region_id: str) -> str:
    """A short plain-words summary generated from the data (neutral framing), in the current language."""
    overall = scores_wide.loc[region_id, "overall"]
    if pd.isna(overall):
        return _("{region} has no overall score: too few indicators were answered.").format(region=region_name)
    group = GROUP_LABELS[group_of(float(overall))]
    avg = scores_wide["overall"].mean()
    if overall > avg + 0.5:
        text = _("{region} scores {score} out of 100 overall ({group}), above the average of all regions ({average}).")
    elif overall < avg - 0.5:
        text = _("{region} scores {score} out of 100 overall ({group}), below the average of all regions ({average}).")
    else:
        text = _("{region} scores {score} out of 100 overall ({group}), close to the average of all regions "
                 "({average}).")
    text = text.format(region=region_name, score=f"{overall:.0f}", group=group, average=f"{avg:.0f}")
    strengths, weaknesses = strengths_weaknesses(scores_wide, region_id, n=2)
    if len(strengths):
        text += " " + _("Its governance is most developed in {dimensions}.").format(
            dimensions=_and([in_sentence(s) for s in strengths["label"]]))
    if len(weaknesses):
        text += " " + _("There is most room for development in {dimensions}.").format(
            dimensions=_and([in_sentence(w) for w in weaknesses["label"]]))
    return text


def _and(items: list[str]) -> str:
    """``["a", "b"]`` → "a and b" in the current language."""
    if len(items) == 1:
        return items[0]
    return _("{first} and {second}").format(first=", ".join(items[:-1]), second=items[-1])
