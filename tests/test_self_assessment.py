"""Self-assessment: the plain scoring equals scoring.compute_scores; the CSV is the answers.csv format and
scores the same through ``python -m dashboard scores``; invalid answers are left out with a note."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import cli, scoring
from dashboard.callbacks import self_assessment as sa_callbacks
from dashboard.figures.profile import AVERAGE_NAME
from dashboard.views import self_assessment as sa


def _control_values(dataset, region_id: str) -> dict[str, object]:
    """What the form would hold if someone typed in a region's answers: strings for the radio items
    ("100", "50", "0", "na") and numbers (or None) for the percentage boxes."""
    scales = dict(zip(dataset.framework["indicator_id"], dataset.framework["scale"]))
    values = {}
    for _, row in dataset.answers[dataset.answers["region_id"] == region_id].iterrows():
        v = row["value"]
        if scales[row["indicator_id"]] == "percent":
            values[row["indicator_id"]] = None if pd.isna(v) else float(v)
        else:
            values[row["indicator_id"]] = sa.NOT_ANSWERED if pd.isna(v) else f"{v:g}"
    return values


def test_parse_options():
    assert sa.parse_options("YES systematically/regularly=100|YES occasionally/ad hoc=50|NO=0") == [
        ("YES systematically/regularly", 100.0), ("YES occasionally/ad hoc", 50.0), ("NO", 0.0)]
    assert [p for _, p in sa.parse_options(None)] == [100.0, 50.0, 0.0]


@pytest.mark.parametrize("region_id", ["PT20", "ES51", "SE224"])
def test_scores_equal_compute_scores_on_the_same_answers(dataset, region_id):
    values = _control_values(dataset, region_id)
    answers, scores, notes = sa.score_answers(values, dataset.framework, region_id)
    assert notes == []
    same = dataset.answers[dataset.answers["region_id"] == region_id][["region_id", "indicator_id", "value"]]
    expected = scoring.compute_scores(same, dataset.framework)
    pd.testing.assert_frame_equal(scores.reset_index(drop=True), expected.reset_index(drop=True))
    # and therefore equal to the region's scores in the app
    mine = scores.set_index("dimension")["score"]
    for dim in scoring.DIMENSIONS:
        assert mine[dim] == pytest.approx(dataset.wide_scores.at[region_id, dim], nan_ok=True)


def test_azores_answers_give_the_published_56(dataset):
    _, scores, _ = sa.score_answers(_control_values(dataset, "PT20"), dataset.framework)
    assert round(scores.set_index("dimension").at["overall", "score"]) == 56


def test_nothing_answered_gives_missing_scores_not_zero(dataset):
    answers, scores, notes = sa.score_answers({}, dataset.framework)
    assert len(answers) == len(dataset.framework) and answers["value"].isna().all()
    assert scores["score"].isna().all() and notes == []


def test_invalid_answers_are_left_out_with_a_note(dataset):
    fw = dataset.framework
    three = fw.loc[fw["scale"] == "three_option", "indicator_id"].iloc[0]
    pct = fw.loc[fw["scale"] == "percent", "indicator_id"].iloc[0]
    answers, notes = sa.answers_frame({three: "75", pct: 150, "unknown.item": "100"}, fw, "ES51")
    values = answers.set_index("indicator_id")["value"]
    assert math.isnan(values[three]) and math.isnan(values[pct])
    assert "unknown.item" not in values.index
    assert len(notes) == 2 and any("150" in n and pct in n for n in notes) and any("75" in n for n in notes)
    answers, notes = sa.answers_frame({pct: "abc"}, fw, "ES51")
    assert math.isnan(answers.set_index("indicator_id").at[pct, "value"]) and "not a number" in notes[0]
    answers, notes = sa.answers_frame({pct: "33.5", three: "50"}, fw, "ES51")
    assert answers.set_index("indicator_id").loc[[pct, three], "value"].tolist() == [33.5, 50.0] and not notes


def test_csv_is_the_answers_format_and_scores_the_same_with_the_cli(dataset, tmp_path):
    values = _control_values(dataset, "PT20")
    answers, scores, _ = sa.score_answers(values, dataset.framework, "PT20")
    text = sa.answers_csv(answers)
    lines = text.splitlines()
    assert lines[0] == "region_id,indicator_id,value"
    assert len(lines) == len(dataset.framework) + 1
    assert lines[1].startswith("PT20,") and not lines[1].endswith(".0")
    path = tmp_path / "answers_PT20.csv"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "scores.csv"
    assert cli.main(["scores", "--answers", str(path), "--out", str(out)]) == 0
    cli_scores = pd.read_csv(out).set_index("dimension")["score"]
    ours = scores.set_index("dimension")["score"]
    for dim in scoring.DIMENSIONS:
        assert cli_scores[dim] == pytest.approx(ours[dim], abs=1e-4, nan_ok=True)


def test_clean_region_id(dataset):
    """The code is optional: no shell command is suggested any more; only a non-NUTS code gets a note."""
    assert sa.clean_region_id(" es51 ", dataset) == ("ES51", None)
    assert sa.clean_region_id("FR10", dataset) == ("FR10", None)
    code, note = sa.clean_region_id("my region!", dataset)
    assert "NUTS" in note and "python" not in note
    assert sa.clean_region_id("", dataset) == ("", None)
    assert len(sa.clean_region_id("x" * 500, dataset)[0]) == 12


def test_view_radars_show_the_answers_against_the_all_region_average(dataset):
    values = _control_values(dataset, "ES51")
    view = sa.self_assessment_view(dataset, values, "Test region")
    assert view.overall == pytest.approx(dataset.wide_scores.at["ES51", "overall"])
    assert view.group == scoring.group_of(view.overall)
    assert view.answered == int(dataset.answers.loc[dataset.answers["region_id"] == "ES51", "value"].notna().sum())
    for axis in sa.RADAR_AXES:
        fig = view.radars[axis]
        traces = {t.name: t for t in fig.data}
        assert set(traces) == {"Test region", AVERAGE_NAME}
        keys = scoring.AXES[axis]
        assert list(traces["Test region"].r)[:-1] == pytest.approx(
            [round(dataset.wide_scores.at["ES51", k], 1) for k in keys])
        # the average is that of the loaded regions only (the self-assessed one is not mixed in)
        assert list(traces[AVERAGE_NAME].r)[:-1] == pytest.approx(
            [round(dataset.wide_scores[k].mean(), 1) for k in keys])
        assert tuple(fig.layout.polar.radialaxis.range) == (0, 100)
        assert any("ILLUSTRATIVE" in (a.text or "") for a in fig.layout.annotations)
    text = str(sa_callbacks.summary_children(view, dataset))
    assert f"{view.overall:.0f}" in text and "/100" in text


def test_radar_image_carries_the_answers_source_and_the_mark(dataset, warm_browser):
    """The self-assessment radars' image buttons: the radar as the page shows it, with a source line that
    says the scores are the user's own answers, and the illustrative mark of the average."""
    import base64
    from xml.etree import ElementTree

    from dashboard.callbacks.self_assessment import radar_image
    from dashboard.constants import ILLUSTRATIVE_EXPORT_TEXT

    data, status = radar_image(dataset, {"antidiscrimination.strategy": 100}, "Testland", "phase", "svg")
    assert status == "" and data["filename"] == "mipexr-self-assessment-phase-slide.svg"
    text = " ".join(" ".join(ElementTree.fromstring(base64.b64decode(data["content"])).itertext()).split())
    assert "Testland" in text and "Source: your answers, scored with the dashboard's rule" in text
    assert ILLUSTRATIVE_EXPORT_TEXT.upper() in text and "Scale 0–100" in text
    png, _ = radar_image(dataset, {}, "Testland", "area", "png")
    content = base64.b64decode(png["content"])
    assert content[:8] == b"\x89PNG\r\n\x1a\n"


def test_image_buttons_ignore_a_button_appearing():
    from dashboard.components.image_buttons import pressed

    button = {"type": "image-button", "scope": "sa", "key": "area", "fmt": "png"}
    assert pressed(button, [0, 0, 0]) is None
    assert pressed(button, [0, 1, 0]) == ("area", "png")
    assert pressed(None, [1]) is None


def test_answer_scores_equal_the_long_table_path(dataset):
    """The page's path (answers as a vector, scored by Scorer.matrix) gives exactly the numbers and notes of
    score_answers (the long tables the brief and the files use), with invalid values counted as not answered."""
    import numpy as np

    fw = dataset.framework
    ids = list(fw["indicator_id"])
    scorer = scoring.Scorer(fw, dataset.rule)
    cases = [{}, {ids[0]: 100, ids[3]: "50", ids[7]: 0}, {i: 100 for i in ids},
             {ids[1]: "many", ids[2]: 250, ids[4]: 33, ids[5]: 50, "NOT-A-QUESTION": 100}]
    for values in cases:
        points, scores, notes = sa.answer_scores(values, fw, scorer)
        answers, long, long_notes = sa.score_answers(values, fw, rule=dataset.rule)
        np.testing.assert_array_equal(points, answers["value"].to_numpy())
        np.testing.assert_array_equal(scores.to_numpy(), long.set_index("dimension")["score"]
                                      .reindex(list(scoring.DIMENSIONS)).to_numpy())
        assert notes == long_notes and list(scores.index) == list(scoring.DIMENSIONS)
