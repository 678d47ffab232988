"""The scoring rule on small hand-computed cases."""

import math

import pandas as pd
import pytest

from dashboard import scoring

FRAMEWORK = pd.DataFrame([
    # indicator, element, phase, target, area
    ("i1", "actions", "formulation", "TCN", "health"),
    ("i2", "resources", "evaluation", "BIP", "health"),
    ("i3", "actors_relations", "implementation", "both", "education"),
    ("g1", "actions", "formulation", "both", "general"),
], columns=["indicator_id", "element", "phase", "target", "area"])


def answers(rows):
    return pd.DataFrame(rows, columns=["region_id", "indicator_id", "value"])


def score(table, region, dim):
    return table.set_index(["region_id", "dimension"]).loc[(region, dim), "score"]


def test_hand_computed_case():
    a = answers([("R", "i1", 100), ("R", "i2", 50), ("R", "i3", 0), ("R", "g1", 100)])
    s = scoring.compute_scores(a, FRAMEWORK)
    assert score(s, "R", "area:health") == 75          # (100 + 50) / 2
    assert score(s, "R", "area:education") == 0
    assert score(s, "R", "overall") == 37.5            # mean of areas (75, 0): general not in any area
    assert score(s, "R", "element:actions") == 100     # i1 and g1
    assert score(s, "R", "phase:formulation") == 100
    assert score(s, "R", "phase:evaluation") == 50
    assert score(s, "R", "target:TCN") == pytest.approx((100 + 0 + 100) / 3)  # i1, i3 (both), g1 (both)
    assert score(s, "R", "target:BIP") == pytest.approx((50 + 0 + 100) / 3)   # i2, i3, g1
    assert math.isnan(score(s, "R", "area:housing"))   # no indicator: missing, never 0


def test_missing_values_are_skipped_not_zero():
    a = answers([("R", "i1", 100), ("R", "i2", None), ("R", "i3", None), ("R", "g1", None)])
    s = scoring.compute_scores(a, FRAMEWORK)
    assert score(s, "R", "area:health") == 100
    assert math.isnan(score(s, "R", "area:education"))
    assert score(s, "R", "overall") == 100             # only answered areas count
    assert math.isnan(score(s, "R", "phase:evaluation"))


def test_no_answers_at_all_gives_missing_overall():
    a = answers([("R", "i1", None)])
    s = scoring.compute_scores(a, FRAMEWORK)
    assert s["score"].isna().all()
    assert len(s) == len(scoring.DIMENSIONS)


def test_configurable_overall_rule():
    a = answers([("R", "i1", 100), ("R", "i2", 50), ("R", "i3", 0), ("R", "g1", 100)])
    rule = scoring.ScoringRule(overall="mean_of_indicators")
    s = scoring.compute_scores(a, FRAMEWORK, rule)
    assert score(s, "R", "overall") == 62.5            # (100 + 50 + 0 + 100) / 4
    rule = scoring.ScoringRule(general_in_axes=False)
    s = scoring.compute_scores(a, FRAMEWORK, rule)
    assert score(s, "R", "element:actions") == 100 and score(s, "R", "phase:formulation") == 100
    assert score(s, "R", "target:TCN") == 50           # i1, i3 only


def test_two_regions_are_independent():
    a = answers([("A", "i1", 100), ("B", "i1", 0), ("A", "i3", 50), ("B", "i3", 100)])
    w = scoring.wide(scoring.compute_scores(a, FRAMEWORK))
    assert w.loc["A", "overall"] == 75 and w.loc["B", "overall"] == 50
    assert list(w.columns) == list(scoring.DIMENSIONS)


def test_groups_and_labels():
    assert scoring.group_of(56) == "advanced"
    assert scoring.group_of(55) == "advanced"
    assert scoring.group_of(54.99) == "intermediate"
    assert scoring.group_of(45) == "intermediate"
    assert scoring.group_of(44.9) == "lagging"
    assert scoring.group_of(float("nan")) is None
    assert scoring.dimension_label("area:labour_market") == "Labour market"
    with pytest.raises(KeyError):
        scoring.dimension_label("area:nonsense")


def test_strengths_similar_and_summary(dataset):
    w = dataset.wide_scores
    strengths, weaknesses = scoring.strengths_weaknesses(w, "PT20")
    assert (strengths["difference"] > 0).all() and (weaknesses["difference"] < 0).all()
    assert strengths["difference"].is_monotonic_decreasing
    similar = scoring.similar_regions(w, "PT20", n=3)
    assert len(similar) == 3 and "PT20" not in set(similar["region_id"])
    assert similar["distance"].is_monotonic_increasing
    text = scoring.summary_sentence("Azores", w, "PT20")
    assert text.startswith("Azores scores 56 out of 100 overall (advanced)")


@pytest.mark.parametrize("rule", [scoring.DEFAULT_RULE, scoring.ScoringRule(overall="mean_of_indicators"),
                                  scoring.ScoringRule(general_in_axes=False)])
def test_matrix_scores_equal_the_long_table(rule):
    """Scorer.matrix (answer sets as rows, the self-assessment's path) gives exactly the numbers of
    Scorer.scores on the same answers in long form, for every rule, with unanswered questions and a column the
    framework does not know (counted in no dimension, but in the mean of all indicators)."""
    import numpy as np

    ids = ["i1", "i2", "i3", "g1", "x9"]
    rows = np.array([[100, 50, 0, 100, 50], [np.nan, 50, np.nan, 0, np.nan], [np.nan] * 5, [33.3, 66.7, 12.5, 0, 100]])
    scorer = scoring.Scorer(FRAMEWORK, rule)
    long = answers([(f"R{r}", ind, rows[r, c]) for r in range(len(rows)) for c, ind in enumerate(ids)])
    expected = scorer.scores(long)["score"].to_numpy().reshape(len(rows), len(scoring.DIMENSIONS))
    got = scorer.matrix(rows, ids)
    assert got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)  # equal, not close: the gains are differences of these
    assert not np.isnan(got[0]).all() and np.isnan(got[2]).all()  # a set without answers has no score at all
    np.testing.assert_array_equal(scorer.matrix(rows[1], ids)[0], expected[1])  # one set as a 1-D row
