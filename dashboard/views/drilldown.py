"""Profile drill-down (pure): the questions behind one dimension of one region's profile.

For a region and a dimension (``area:labour_market``, ``element:resources``, ``phase:evaluation``, …)
:func:`drilldown` lists the questionnaire items that count in that dimension under the dataset's scoring
rule — the question, the region's answer in the words of the framework's options, the points it earned
and the average points of all regions — weakest first, so a policymaker sees which questions make a
dimension weak. Unanswered questions come last (they do not count in the score).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import i18n, scoring
from dashboard.data import Dataset
from dashboard.i18n import N_, _

NOT_ANSWERED = N_("not answered")  # English; answer_label gives it in the current language
COLUMNS = ["indicator_id", "question", "answer", "points", "average", "difference", "scale", "target"]


@dataclass(frozen=True)
class DrillDown:
    """The questions behind ``dimension`` for ``region_id`` (``rows`` has :data:`COLUMNS`)."""

    region_id: str
    region_name: str
    dimension: str
    label: str
    score: float | None
    average: float | None
    rows: pd.DataFrame
    illustrative: bool

    @property
    def answered(self) -> int:
        return int(self.rows["points"].notna().sum())


def option_labels(options: str | None) -> dict[float, str]:
    """``"YES systematically/regularly=100|YES occasionally/ad hoc=50|NO=0"`` → ``{100.0: "YES systematically/
    regularly", 50.0: …, 0.0: "NO"}``; options without ``label=points`` pairs give ``{}``."""
    labels: dict[float, str] = {}
    for part in str(options or "").split("|"):
        label, sep, points = part.rpartition("=")
        if not sep:
            continue
        try:
            labels[float(points)] = label.strip()
        except ValueError:
            continue
    return labels


def _plain(value: float) -> str:
    """``value`` as ``:g`` prints it (no trailing zeros) in the current language's notation ("12,5" in French)."""
    text = f"{value:g}"
    if "e" in text:
        return text
    return i18n.number(value, len(text.split(".", 1)[1]) if "." in text else 0)


def answer_label(value: float | None, options: str | None, scale: str | None) -> str:
    """The region's answer in plain words, in the current language: the option's label (the framework's words
    through ``_()``), a share in percent, or "not answered"."""
    if value is None or pd.isna(value):
        return _(NOT_ANSWERED)
    value = float(value)
    if scale == "percent":
        return _("{value} %").format(value=_plain(value))
    labels = option_labels(options)
    if value in labels:
        return _(labels[value])
    return _("{value} points").format(value=_plain(value))


def _float(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def drilldown(dataset: Dataset, region_id: str, dimension: str) -> DrillDown:
    """The drill-down of one dimension for one region (KeyError for an unknown region or dimension)."""
    dataset.region(region_id)
    label = scoring.dimension_label(dimension)
    members = scoring.indicators_of(dataset.framework, dimension, dataset.rule)
    framework = dataset.framework.set_index("indicator_id").loc[members]
    answers = dataset.answers[dataset.answers["indicator_id"].isin(members)]
    average = answers.groupby("indicator_id")["value"].mean()
    mine = answers[answers["region_id"] == region_id].set_index("indicator_id")["value"]
    rows = pd.DataFrame({
        "indicator_id": members,
        # the framework's words, translated (a missing question stays as it is)
        "question": [_(q) if isinstance(q, str) else q for q in framework["question"].to_list()],
        "points": [_float(mine.get(i)) for i in members],
        "average": [_float(average.get(i)) for i in members],
        "scale": framework["scale"].fillna("three_option").to_list(),
        "target": framework["target"].to_list(),
    })
    rows["points"] = rows["points"].astype(float)
    rows["average"] = rows["average"].astype(float)
    rows["answer"] = [answer_label(p, framework.loc[i, "options"], s)
                      for i, p, s in zip(rows["indicator_id"], rows["points"], rows["scale"])]
    rows["difference"] = rows["points"] - rows["average"]
    rows["_unanswered"] = rows["points"].isna()
    rows = rows.sort_values(["_unanswered", "points", "difference", "indicator_id"], kind="mergesort")
    rows = rows[COLUMNS].reset_index(drop=True)
    wide = dataset.wide_scores
    score = _float(wide.loc[region_id, dimension]) if region_id in wide.index else None
    dim_avg = wide[dimension].mean() if dimension in wide.columns else np.nan
    return DrillDown(
        region_id=region_id, region_name=dataset.region_name(region_id), dimension=dimension, label=label,
        score=score, average=_float(dim_avg), rows=rows, illustrative=dataset.illustrative,
    )


def drilldowns(dataset: Dataset, region_id: str,
               axes: tuple[str, ...] = ("area", "element", "phase")) -> list[DrillDown]:
    """One drill-down per dimension of the given axes, in the index's order."""
    return [drilldown(dataset, region_id, d) for axis in axes for d in scoring.AXES[axis]]
