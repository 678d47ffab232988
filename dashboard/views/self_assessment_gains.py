"""What would move the score most (pure): for the current answers, the few single answers that would raise
each dimension (and the overall score) most, with the points gained.

Every candidate is one question changed to its highest answer (``YES systematically/regularly`` = 100, or
100 % for a share); all candidates are scored at once by :meth:`dashboard.scoring.Scorer.matrix` — the same
rule and the same numbers as everywhere else in the app — as one row of answers per candidate, so the gains
are exactly what the live score would show after that one change.

* :func:`best_answer` – the highest answer of a question (label, points).
* :func:`score_gains` – every (dimension, question) pair whose best answer raises the dimension, with the gain.
* :func:`top_gains` – the ``n`` largest gains per dimension, largest first (ties in questionnaire order);
  :func:`top_gain_rows` – the same as plain rows (what the page shows), :func:`gain_rows` – every gain as rows.
* :func:`gain_sentence` – one line in plain words.

Texts (questions, answer labels, the sentence) come in the language of the request (``dashboard.i18n``);
the numbers in the table stay numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import i18n, scoring
from dashboard.i18n import _
from dashboard.views.self_assessment import (
    answer_vector,
    option_label,
    parse_options,
)

#: A gain smaller than this (in points on 0–100) is not a gain (floating-point noise).
MIN_GAIN = 1e-6
#: How many answers are shown per dimension.
TOP_N = 3
GAIN_COLUMNS = ["dimension", "indicator_id", "question", "current", "current_label", "best", "best_label",
                "score_now", "score_after", "gain"]


def best_answer(row: Mapping) -> tuple[str, float]:
    """The highest answer of a framework row: (label in the current language, points); a share in percent →
    ("100 %", 100)."""
    if (row.get("scale") or "three_option") == "percent":
        return _("{value} %").format(value=i18n.number(100)), 100.0
    label, points = max(parse_options(row.get("options")), key=lambda pair: pair[1])
    return option_label(label), points


def answer_label(row: Mapping, value: float | None) -> str:
    """The label of an answer value in the current language (``not answered`` for None/NaN; ``35 %`` for a
    share)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _("not answered")
    if (row.get("scale") or "three_option") == "percent":
        return _("{value} %").format(value=_g(value))
    for label, points in parse_options(row.get("options")):
        if points == value:
            return option_label(label)
    return _("{value} points").format(value=_g(value))


def _g(value: float) -> str:
    """``{value:g}`` in the current language's notation ("12,5" in French)."""
    text = f"{value:g}"
    digits = 0 if "." not in text or "e" in text else min(len(text.partition(".")[2]), 6)
    return i18n.number(value, digits)


def _gain_grid(values: Mapping[str, object], framework: pd.DataFrame, rule: scoring.ScoringRule,
               scorer: scoring.Scorer | None) -> _Gains | None:
    """Every candidate (a question whose answer is below its best) scored once as it is and once per candidate
    changed to its best answer, in one :meth:`scoring.Scorer.matrix` call; None when there is no candidate."""
    fw = framework.reset_index(drop=True)
    current, _notes = answer_vector(values, fw)
    scales = fw["scale"].fillna("three_option").tolist()
    options = fw["options"].tolist() if "options" in fw.columns else [None] * len(fw)
    bests = [best_answer({"scale": scale, "options": opts}) for scale, opts in zip(scales, options)]
    best = np.array([points for _label, points in bests])
    candidates = np.flatnonzero(np.isnan(current) | (current < best))
    if not len(candidates):
        return None
    # row 0 = the answers as they are; row k = candidate k-1 changed to its best answer
    table = np.tile(current, (len(candidates) + 1, 1))
    table[np.arange(1, len(candidates) + 1), candidates] = best[candidates]
    scorer = scorer if scorer is not None else scoring.Scorer(fw, rule)
    grid = scorer.matrix(table, fw["indicator_id"])
    now, after = grid[0], grid[1:]
    with np.errstate(invalid="ignore"):
        gain = np.where(np.isnan(now), after, after - now)  # a dimension's first score counts as its gain
        gain[~(gain > MIN_GAIN)] = np.nan  # no gain (NaN: the dimension still has no score)
    return _Gains(fw["indicator_id"].tolist(), fw["question"].tolist(), scales, options, [label for label, _ in bests],
                  current, best, candidates, now, after, gain)


@dataclass(frozen=True)
class _Gains:
    """What :func:`_gain_grid` computed: the questions' texts and points, and the scores before and after each
    candidate change (plain numbers and lists; the texts of a row are made only when it is shown)."""

    ids: list
    questions: list
    scales: list
    options: list
    best_labels: list  # the best answer's label per question, in the current language
    current: np.ndarray  # points per question (NaN: not answered), framework order
    best: np.ndarray  # the best answer's points per question
    candidates: np.ndarray  # question positions that can rise
    now: np.ndarray  # dimension scores as they are (DIMENSIONS order)
    after: np.ndarray  # candidates × dimensions: the scores after that one change
    gain: np.ndarray  # candidates × dimensions: the gain, NaN where none

    def row(self, k: int, j: int) -> dict:
        """The row of candidate ``k`` in dimension ``j``, its texts in the current language."""
        i = int(self.candidates[k])
        cur = None if math.isnan(self.current[i]) else float(self.current[i])
        question = {"scale": self.scales[i], "options": self.options[i]}
        return {"dimension": scoring.DIMENSIONS[j], "indicator_id": self.ids[i], "question": _(self.questions[i]),
                "current": cur, "current_label": answer_label(question, cur), "best": float(self.best[i]),
                "best_label": self.best_labels[i], "score_now": float(self.now[j]),
                "score_after": float(self.after[k, j]), "gain": float(self.gain[k, j])}


def gain_rows(values: Mapping[str, object], framework: pd.DataFrame,
              rule: scoring.ScoringRule = scoring.DEFAULT_RULE, scorer: scoring.Scorer | None = None) -> list[dict]:
    """The rows of :func:`score_gains` as plain dicts (``current`` None when not answered), sorted by
    dimension, then largest gain first, then questionnaire order (``scorer``: a :class:`scoring.Scorer` of
    ``framework`` and ``rule`` made before)."""
    grid = _gain_grid(values, framework, rule, scorer)
    if grid is None:
        return []
    ks, js = np.nonzero(~np.isnan(grid.gain))
    order = sorted(zip(ks.tolist(), js.tolist()),
                   key=lambda kj: (scoring.DIMENSIONS[kj[1]], -grid.gain[kj], grid.candidates[kj[0]]))
    return [grid.row(k, j) for k, j in order]


def score_gains(values: Mapping[str, object], framework: pd.DataFrame,
                rule: scoring.ScoringRule = scoring.DEFAULT_RULE) -> pd.DataFrame:
    """Every (dimension, question) whose change to its best answer raises that dimension's score, with
    :data:`GAIN_COLUMNS`. A dimension with no score yet gains from its first answer (``score_now`` NaN, the
    gain counted from 0 is not meaningful, so such a dimension's rows carry ``gain`` = the new score and
    ``score_now`` NaN). Invalid control values count as not answered (as on the page)."""
    rows = gain_rows(values, framework, rule)
    if not rows:
        return pd.DataFrame(columns=GAIN_COLUMNS)
    return pd.DataFrame(rows, columns=GAIN_COLUMNS)


def top_gain_rows(values: Mapping[str, object], framework: pd.DataFrame,
                  rule: scoring.ScoringRule = scoring.DEFAULT_RULE, n: int = TOP_N,
                  scorer: scoring.Scorer | None = None) -> dict[str, list[dict]]:
    """:func:`top_gains` as plain rows (what the page shows; no table built, texts made for the shown rows
    only)."""
    grid = _gain_grid(values, framework, rule, scorer)
    if grid is None:
        return {}
    out: dict[str, list[dict]] = {}
    for j, dim in enumerate(scoring.DIMENSIONS):
        column = grid.gain[:, j]
        ks = np.flatnonzero(~np.isnan(column))
        if len(ks):  # largest gain first, equal gains in questionnaire order
            out[dim] = [grid.row(int(k), j) for k in ks[np.lexsort((grid.candidates[ks], -column[ks]))][:n]]
    return out


def top_gains(values: Mapping[str, object], framework: pd.DataFrame, rule: scoring.ScoringRule = scoring.DEFAULT_RULE,
              n: int = TOP_N, gains: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """dimension → its ``n`` largest gains (largest first; equal gains in questionnaire order), for every
    dimension in :data:`scoring.DIMENSIONS` order that some answer can raise."""
    gains = score_gains(values, framework, rule) if gains is None else gains
    out: dict[str, pd.DataFrame] = {}
    for dim in scoring.DIMENSIONS:
        part = gains[gains["dimension"] == dim]
        if len(part):
            out[dim] = part.head(n).reset_index(drop=True)
    return out


def gain_sentence(row: Mapping, number: int | None = None) -> str:
    """``Question 12: from “NO” to “YES systematically/regularly”: 40 → 54 (+14.0 points)``, in the current
    language (the labels in ``row`` are already in it: :func:`score_gains` makes them so)."""
    ref = _("Question {number}").format(number=number) if number is not None else row["indicator_id"]
    if pd.isna(row["score_now"]):
        return _("{question}: from “{current}” to “{best}”: gives a first score of {after}").format(
            question=ref, current=row["current_label"], best=row["best_label"],
            after=i18n.number(row["score_after"]))
    return _("{question}: from “{current}” to “{best}”: {before} → {after} (+{gain} points)").format(
        question=ref, current=row["current_label"], best=row["best_label"], before=i18n.number(row["score_now"]),
        after=i18n.number(row["score_after"]), gain=i18n.number(row["gain"], 1))
