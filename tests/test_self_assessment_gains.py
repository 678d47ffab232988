"""“What would move the score most”: equal to an independent brute force on a small framework (every single
answer change tried, scored by a plain re-implementation of the documented rule, not by scoring.py)."""

from __future__ import annotations

import itertools
import math

import pandas as pd
import pytest

from dashboard import scoring
from dashboard.views import self_assessment_gains as gains

OPTIONS = "YES systematically/regularly=100|YES occasionally/ad hoc=50|NO=0"


def _framework() -> pd.DataFrame:
    rows = [
        # id, element, phase, target, area, scale
        ("health.a", "actions", "formulation", "both", "health", "three_option"),
        ("health.b", "resources", "implementation", "TCN", "health", "three_option"),
        ("health.share", "resources", "implementation", "both", "health", "percent"),
        ("housing.a", "actions", "policy_output", "BIP", "housing", "three_option"),
        ("housing.b", "actors_relations", "evaluation", "both", "housing", "three_option"),
        ("general.x", "actors_relations", "formulation", "BIP", "general", "three_option"),
    ]
    return pd.DataFrame([{"indicator_id": i, "question": f"Question about {i}?", "element": e, "phase": p,
                          "target": t, "area": a, "scale": s,
                          "options": OPTIONS if s == "three_option" else "share in percent, 0-100"}
                         for i, e, p, t, a, s in rows])


def _plain_scores(fw: pd.DataFrame, answers: dict[str, float | None]) -> dict[str, float]:
    """The documented default rule written out by hand: mean of answered tagged indicators; both → TCN and
    BIP; general on element/phase/target axes, in no area; overall = mean of the area scores."""
    def mean(ids):
        vals = [answers[i] for i in ids if answers.get(i) is not None]
        return sum(vals) / len(vals) if vals else math.nan

    rows = fw.to_dict("records")
    out = {}
    for area in scoring.AREAS:
        out[f"area:{area}"] = mean([r["indicator_id"] for r in rows if r["area"] == area])
    for el in scoring.ELEMENTS:
        out[f"element:{el}"] = mean([r["indicator_id"] for r in rows if r["element"] == el])
    for ph in scoring.PHASES:
        out[f"phase:{ph}"] = mean([r["indicator_id"] for r in rows if r["phase"] == ph])
    for t in scoring.TARGETS:
        out[f"target:{t}"] = mean([r["indicator_id"] for r in rows if r["target"] in (t, "both")])
    areas = [v for k, v in out.items() if k.startswith("area:") and not math.isnan(v)]
    out["overall"] = sum(areas) / len(areas) if areas else math.nan
    return out


def _brute_force(fw: pd.DataFrame, answers: dict[str, float | None], n: int) -> dict[str, list[tuple[str, float]]]:
    """Try every question at every possible answer, keep for each (dimension, question) the best gain of a
    change to the highest answer, and rank."""
    now = _plain_scores(fw, answers)
    found: dict[str, list[tuple[int, str, float]]] = {}
    for order, row in enumerate(fw.to_dict("records")):
        top = 100.0
        cur = answers.get(row["indicator_id"])
        if cur is not None and cur >= top:
            continue
        after = _plain_scores(fw, {**answers, row["indicator_id"]: top})
        for dim in scoring.DIMENSIONS:
            if math.isnan(after[dim]):
                continue
            gain = after[dim] if math.isnan(now[dim]) else after[dim] - now[dim]
            if gain > 1e-9:
                found.setdefault(dim, []).append((order, row["indicator_id"], gain))
    return {dim: [(i, g) for _, i, g in sorted(rows, key=lambda r: (-round(r[2], 9), r[0]))[:n]]
            for dim, rows in found.items()}


def _as_controls(fw, answers):
    scales = dict(zip(fw["indicator_id"], fw["scale"]))
    return {i: (v if scales[i] == "percent" else f"{v:g}") for i, v in answers.items() if v is not None}


CASES = [
    {},
    {"health.a": 100.0, "health.b": 0.0, "health.share": 30.0, "housing.a": 50.0, "housing.b": 0.0, "general.x": 0.0},
    {"health.a": 50.0, "housing.b": 100.0},
    {"health.a": 100.0, "health.b": 100.0, "health.share": 100.0, "housing.a": 100.0, "housing.b": 100.0,
     "general.x": 100.0},
    {"health.share": 99.5, "general.x": 50.0},
]


@pytest.mark.parametrize("answers", CASES)
@pytest.mark.parametrize("n", [1, 3])
def test_top_gains_equal_the_brute_force(answers, n):
    fw = _framework()
    expected = _brute_force(fw, answers, n)
    got = gains.top_gains(_as_controls(fw, answers), fw, n=n)
    assert set(got) == set(expected)
    for dim, table in got.items():
        assert list(table["indicator_id"]) == [i for i, _ in expected[dim]], dim
        assert list(table["gain"]) == pytest.approx([g for _, g in expected[dim]]), dim


def test_every_single_change_is_scored_like_the_page():
    """On the small framework, every pair of current answers × candidate: score_after equals the plain rule."""
    fw = _framework()
    levels = [None, 0.0, 50.0]
    for combo in itertools.islice(itertools.product(levels, repeat=4), 0, 81, 7):
        answers = dict(zip(["health.a", "health.b", "housing.a", "general.x"], combo))
        table = gains.score_gains(_as_controls(fw, answers), fw)
        for row in table.to_dict("records"):
            after = _plain_scores(fw, {**answers, row["indicator_id"]: row["best"]})
            assert row["score_after"] == pytest.approx(after[row["dimension"]])


def test_full_answers_leave_nothing_to_gain_and_sentences_read(dataset):
    fw = _framework()
    full = _as_controls(fw, CASES[3])
    assert gains.top_gains(full, fw) == {}
    some = gains.top_gains(_as_controls(fw, CASES[1]), fw)
    line = gains.gain_sentence(some["overall"].iloc[0], 4)
    assert line.startswith("Question 4: from “") and "points)" in line and "→" in line
    # on the real framework: the overall gains are ranked, positive, and at most 3
    real = gains.top_gains({}, dataset.framework)
    assert len(real["overall"]) == 3 and (real["overall"]["gain"] > 0).all()
