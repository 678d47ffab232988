"""The profile drill-down lists the right questions, answers and points on a small framework."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from dashboard import scoring
from dashboard.views import drilldown as dd

OPTIONS = "YES systematically/regularly=100|YES occasionally/ad hoc=50|NO=0"


def _small(dataset):
    """Two regions, five questions: three in labour market, one in health, one general."""
    framework = pd.DataFrame([
        ("lm.a", "Question A?", "actions", "formulation", "both", "labour_market", "three_option", OPTIONS),
        ("lm.b", "Question B?", "resources", "evaluation", "TCN", "labour_market", "three_option", OPTIONS),
        ("lm.c", "Share C?", "resources", "implementation", "both", "labour_market", "percent", "share in percent"),
        ("he.a", "Health A?", "actions", "formulation", "both", "health", "three_option", OPTIONS),
        ("ge.a", "General A?", "resources", "evaluation", "both", "general", "three_option", OPTIONS),
    ], columns=["indicator_id", "question", "element", "phase", "target", "area", "scale", "options"])
    answers = pd.DataFrame([
        ("PT20", "lm.a", 100.0), ("PT20", "lm.b", 0.0), ("PT20", "lm.c", 40.0), ("PT20", "he.a", 50.0),
        ("PT20", "ge.a", None),
        ("PT17", "lm.a", 50.0), ("PT17", "lm.b", 0.0), ("PT17", "lm.c", 80.0), ("PT17", "he.a", 100.0),
        ("PT17", "ge.a", 100.0),
    ], columns=["region_id", "indicator_id", "value"])
    regions = dataset.regions[dataset.regions["region_id"].isin(["PT20", "PT17"])].reset_index(drop=True)
    scores = scoring.compute_scores(answers, framework)
    return replace(dataset, regions=regions, framework=framework, answers=answers, scores=scores)


def test_lists_the_questions_of_the_dimension_weakest_first(dataset):
    small = _small(dataset)
    view = dd.drilldown(small, "PT20", "area:labour_market")
    rows = view.rows
    assert list(rows["indicator_id"]) == ["lm.b", "lm.c", "lm.a"]  # 0, 40, 100 points
    assert list(rows["points"]) == [0.0, 40.0, 100.0]
    assert list(rows["average"]) == [0.0, 60.0, 75.0]
    assert list(rows["answer"]) == ["NO", "40 %", "YES systematically/regularly"]
    assert list(rows["question"]) == ["Question B?", "Share C?", "Question A?"]
    assert view.score == pytest.approx((100 + 0 + 40) / 3)
    assert view.average == pytest.approx(((100 + 0 + 40) / 3 + (50 + 0 + 80) / 3) / 2)
    assert view.label == "Labour market" and view.answered == 3


def test_axis_dimension_includes_general_items_and_puts_unanswered_last(dataset):
    small = _small(dataset)
    view = dd.drilldown(small, "PT20", "phase:evaluation")
    assert list(view.rows["indicator_id"]) == ["lm.b", "ge.a"]
    last = view.rows.iloc[-1]
    assert last["answer"] == dd.NOT_ANSWERED and pd.isna(last["points"]) and last["average"] == 100.0
    assert dd.drilldown(small, "PT20", "element:resources").rows["indicator_id"].tolist() == ["lm.b", "lm.c", "ge.a"]
    assert dd.drilldown(small, "PT17", "phase:formulation").rows["indicator_id"].tolist() == ["lm.a", "he.a"]


def test_equal_points_put_the_question_furthest_below_the_average_first(dataset):
    small = _small(dataset)
    answers = small.answers.copy()
    answers.loc[(answers["region_id"] == "PT17") & (answers["indicator_id"] == "lm.c"), "value"] = 50.0
    small = replace(small, answers=answers)
    rows = dd.drilldown(small, "PT17", "area:labour_market").rows
    # lm.a and lm.c both 50 points; lm.a's average is 75, lm.c's 45: lm.a is further below
    assert rows["indicator_id"].tolist() == ["lm.b", "lm.a", "lm.c"]


def test_unknown_dimension_or_region(dataset):
    with pytest.raises(KeyError):
        dd.drilldown(dataset, "PT20", "area:nonsense")
    with pytest.raises(KeyError):
        dd.drilldown(dataset, "XX99", "overall")


def test_answer_labels():
    assert dd.option_labels(OPTIONS) == {100.0: "YES systematically/regularly", 50.0: "YES occasionally/ad hoc",
                                         0.0: "NO"}
    assert dd.answer_label(50, OPTIONS, "three_option") == "YES occasionally/ad hoc"
    assert dd.answer_label(float("nan"), OPTIONS, "three_option") == dd.NOT_ANSWERED
    assert dd.answer_label(25, "share in percent, 0-100", "percent") == "25 %"


def test_embedded_dataset_matches_the_scores(dataset):
    """On the real framework, the listed points average to the dimension's score (an independent check)."""
    for dimension in ("area:labour_market", "element:resources", "phase:evaluation", "target:BIP"):
        view = dd.drilldown(dataset, "PT20", dimension)
        assert view.rows["points"].mean() == pytest.approx(dataset.wide_scores.loc["PT20", dimension])
        members = scoring.indicators_of(dataset.framework, dimension)
        assert sorted(view.rows["indicator_id"]) == sorted(members)
    assert len(dd.drilldowns(dataset, "PT20")) == 8 + 3 + 4
