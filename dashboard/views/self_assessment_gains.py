"""What would move the score most (pure): for the current answers, the few single answers that would raise
each dimension (and the overall score) most, with the points gained.

Every candidate is one question changed to its highest answer (``YES systematically/regularly`` = 100, or
100 % for a share); all candidates are scored at once by :func:`dashboard.scoring.compute_scores` — the same
rule as everywhere else in the app — as one pseudo-region per candidate, so the gains are exactly what the
live score would show after that one change.

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

import numpy as np
import pandas as pd

from dashboard import i18n, scoring
from dashboard.i18n import _
from dashboard.views.self_assessment import (
    SELF_KEY,
    answers_frame,
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


def gain_rows(values: Mapping[str, object], framework: pd.DataFrame,
              rule: scoring.ScoringRule = scoring.DEFAULT_RULE, scorer: scoring.Scorer | None = None) -> list[dict]:
    """The rows of :func:`score_gains` as plain dicts (``current`` None when not answered), sorted by
    dimension, then largest gain first, then questionnaire order (``scorer``: a :class:`scoring.Scorer` of
    ``framework`` and ``rule`` made before)."""
    answers, _notes = answers_frame(values, framework, SELF_KEY)
    current = answers["value"].to_numpy(dtype=float)
    fw = framework.reset_index(drop=True)
    records = fw.to_dict("records")
    bests = [best_answer(r) for r in records]
    candidates = [i for i, (_label, pts) in enumerate(bests) if math.isnan(current[i]) or current[i] < pts]
    if not candidates:
        return []
    ids = fw["indicator_id"].tolist()
    n = len(ids)
    # pseudo-region 0 = the answers as they are; k = candidate k-1 changed to its best answer
    table = np.tile(current, (len(candidates) + 1, 1))
    for k, i in enumerate(candidates, start=1):
        table[k, i] = bests[i][1]
    regions = len(candidates) + 1
    long = pd.DataFrame({"region_id": np.repeat(np.arange(regions).astype(str), n),
                         "indicator_id": np.tile(np.asarray(ids, dtype=object), regions), "value": table.ravel()})
    dims = list(scoring.DIMENSIONS)
    # compute_scores gives one block of every dimension (DIMENSIONS order) per region, regions in order
    scorer = scorer if scorer is not None else scoring.Scorer(fw, rule)
    grid = scorer.scores(long)["score"].to_numpy(dtype=float).reshape(regions, len(dims))
    now = grid[0]
    rows = []
    for k, i in enumerate(candidates, start=1):
        after = grid[k]
        cur = None if math.isnan(current[i]) else float(current[i])
        shared = None  # the texts of candidate i, made once it raises some dimension
        for j, dim in enumerate(dims):
            new, old = after[j], now[j]
            if math.isnan(new):
                continue
            gain = new if math.isnan(old) else new - old
            if gain <= MIN_GAIN:
                continue
            if shared is None:
                shared = {"indicator_id": ids[i], "question": _(records[i]["question"]), "current": cur,
                          "current_label": answer_label(records[i], cur), "best": bests[i][1],
                          "best_label": bests[i][0]}
            rows.append({"dimension": dim, **shared, "score_now": float(old), "score_after": float(new),
                         "gain": float(gain), "_order": i})
    rows.sort(key=lambda r: (r["dimension"], -r["gain"], r["_order"]))
    for row in rows:
        del row["_order"]
    return rows


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
    """:func:`top_gains` as plain rows (what the page shows; no table built)."""
    per_dim: dict[str, list[dict]] = {}
    for row in gain_rows(values, framework, rule, scorer):
        part = per_dim.setdefault(row["dimension"], [])
        if len(part) < n:
            part.append(row)
    return {dim: per_dim[dim] for dim in scoring.DIMENSIONS if dim in per_dim}


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
