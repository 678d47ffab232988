"""Profile drill-down (pure): the questions behind one dimension of one region's profile.

For a region and a dimension (``area:labour_market``, ``element:resources``, ``phase:evaluation``, …)
:func:`drilldown` lists the questionnaire items that count in that dimension under the dataset's scoring
rule — the question, the region's answer in the words of the framework's options, the points it earned
and the average points of all regions — weakest first, so a policymaker sees which questions make a
dimension weak. Unanswered questions come last (they do not count in the score).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import i18n, scoring
from dashboard.data import Dataset
from dashboard.i18n import N_, _
from dashboard.views.cache import BoundedCache

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


@dataclass(frozen=True)
class _Base:
    """What every region's drill-down reads, per dataset (the same in every language): per dimension its
    indicators (framework order), per indicator its framework row (question, options, scale, target) and the
    average points of all regions that answered it, per dimension the average score of all regions."""

    members: dict[str, list[str]]
    framework: dict[str, dict]
    average: dict[str, float | None]
    dimension_average: dict[str, float | None]


def _members(framework: pd.DataFrame, rule: scoring.ScoringRule) -> dict[str, list[str]]:
    """:func:`dashboard.scoring.indicators_of` of every dimension, from one membership table (not one per
    dimension)."""
    tagged: dict[str, set[str]] = {}
    tags = scoring._tag_table(framework, rule)  # what indicators_of reads, for all dimensions at once
    for indicator, dimension in zip(tags["indicator_id"], tags["dimension"]):
        tagged.setdefault(dimension, set()).add(indicator)
    order = list(framework["indicator_id"])
    members = {d: [i for i in order if i in tagged.get(d, ())] for d in scoring.DIMENSIONS if d != "overall"}
    members["overall"] = scoring.indicators_of(framework, "overall", rule)
    return members


def _base(dataset: Dataset) -> _Base:
    members = _members(dataset.framework, dataset.rule)
    wanted = {i for ids in members.values() for i in ids}
    framework = dataset.framework.set_index("indicator_id")
    framework = framework[framework.index.isin(wanted)]
    rows = {i: {"question": q, "options": o, "scale": s, "target": t} for i, q, o, s, t in zip(
        framework.index, framework["question"], framework["options"], framework["scale"].fillna("three_option"),
        framework["target"])}
    answers = dataset.answers[dataset.answers["indicator_id"].isin(wanted)]
    average = {i: _float(v) for i, v in answers.groupby("indicator_id")["value"].mean().items()}
    wide = dataset.wide_scores
    dim_average = {d: _float(wide[d].mean()) if d in wide.columns else None for d in scoring.DIMENSIONS}
    return _Base(members, rows, average, dim_average)


_NUMBERS = ("points", "average", "difference")
#: :class:`_Base` per dataset fingerprint (shared data only).
_BASES = BoundedCache(8)


def _sort_key(row: dict) -> tuple:
    """The rows' order: answered first, then fewest points, then furthest below the average, then the id
    (missing numbers last, as pandas sorts them)."""
    def num(value):
        return (1, 0.0) if value is None or math.isnan(value) else (0, value)
    return (row["points"] is None or math.isnan(row["points"]), num(row["points"]), num(row["difference"]),
            row["indicator_id"])


def _drilldown(dataset: Dataset, base: _Base, mine: pd.Series, region_id: str, dimension: str) -> DrillDown:
    label = scoring.dimension_label(dimension)  # KeyError for an unknown dimension
    members = base.members[dimension] if dimension in base.members else \
        scoring.indicators_of(dataset.framework, dimension, dataset.rule)
    if len(set(members)) != len(members) or any(i not in base.framework for i in members):
        return _drilldown_frames(dataset, region_id, dimension, label, members)  # an unusual framework: as before
    records = []
    for i in members:
        fw = base.framework[i]
        points, average = _float(mine.get(i)), base.average.get(i)
        points = float("nan") if points is None else points
        average = float("nan") if average is None else average
        question = fw["question"]
        records.append({
            "indicator_id": i,
            # the framework's words, translated (a missing question stays as it is)
            "question": _(question) if isinstance(question, str) else question,
            "answer": answer_label(points, fw["options"], fw["scale"]),
            "points": points, "average": average, "difference": points - average,
            "scale": fw["scale"], "target": fw["target"],
        })
    records.sort(key=_sort_key)
    rows = pd.DataFrame({c: np.array([r[c] for r in records], dtype=float) if c in _NUMBERS
                         else [r[c] for r in records] for c in COLUMNS})
    return _view(dataset, region_id, dimension, label, rows, base.dimension_average.get(dimension))


def _view(dataset: Dataset, region_id: str, dimension: str, label: str, rows: pd.DataFrame,
          dim_avg: float | None) -> DrillDown:
    wide = dataset.wide_scores
    score = _float(wide.loc[region_id, dimension]) if region_id in wide.index else None
    return DrillDown(
        region_id=region_id, region_name=dataset.region_name(region_id), dimension=dimension, label=label,
        score=score, average=dim_avg, rows=rows, illustrative=dataset.illustrative,
    )


def _drilldown_frames(dataset: Dataset, region_id: str, dimension: str, label: str, members: list[str]) -> DrillDown:
    """The drill-down built with pandas frames (repeated or unknown indicator ids in the framework)."""
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
    dim_avg = wide[dimension].mean() if dimension in wide.columns else np.nan
    return _view(dataset, region_id, dimension, label, rows, _float(dim_avg))


def _answers_of(dataset: Dataset, region_id: str) -> pd.Series:
    answers = dataset.answers
    return answers[answers["region_id"] == region_id].set_index("indicator_id")["value"]


def drilldown(dataset: Dataset, region_id: str, dimension: str, cache: bool = False) -> DrillDown:
    """The drill-down of one dimension for one region (KeyError for an unknown region or dimension).
    ``cache``: keep what does not depend on the region (per dataset fingerprint) — shared data only."""
    dataset.region(region_id)
    base = _BASES.get(dataset.fingerprint, lambda: _base(dataset), cache)
    return _drilldown(dataset, base, _answers_of(dataset, region_id), region_id, dimension)


def drilldowns(dataset: Dataset, region_id: str, axes: tuple[str, ...] = ("area", "element", "phase"),
               cache: bool = False) -> list[DrillDown]:
    """One drill-down per dimension of the given axes, in the index's order (``cache``: see :func:`drilldown`)."""
    dataset.region(region_id)
    base = _BASES.get(dataset.fingerprint, lambda: _base(dataset), cache)
    mine = _answers_of(dataset, region_id)
    return [_drilldown(dataset, base, mine, region_id, d) for axis in axes for d in scoring.AXES[axis]]
