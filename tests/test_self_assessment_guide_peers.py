"""Self-assessment: guidance per question and progress; the scores beside chosen peers; the dataset with the
self-assessed region added and its brief (marked as a self-assessment); the page's callbacks as functions."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import scoring
from dashboard.callbacks import self_assessment as cb
from dashboard.views import self_assessment as sa
from dashboard.views import self_assessment_guide as guide


def test_every_question_has_guidance_from_its_own_options(dataset):
    for row in dataset.framework.to_dict("records"):
        g = guide.question_guidance(row)
        assert g.evidence and g.evidence != guide.GENERIC_EVIDENCE, row["indicator_id"]
        if row["scale"] == "percent":
            assert g.levels[0][0].startswith("Share")
        else:
            assert [label for label, _ in g.levels] == [label for label, _ in sa.parse_options(row["options"])]
            meanings = dict(g.levels)
            assert "standing arrangement" in meanings["YES systematically/regularly"]
            assert "one-off" in meanings["YES occasionally/ad hoc"]
    assert guide.evidence_guidance("x.unknown_kind") == guide.GENERIC_EVIDENCE


def test_progress_counts_valid_answers_per_section(dataset):
    fw = dataset.framework
    health = fw.loc[fw["area"] == "health", "indicator_id"].tolist()
    values = {health[0]: "100", health[1]: "75", "general.strategy": "0"}  # "75" is not an answer
    done = guide.progress(values, fw)
    assert (done.answered, done.total) == (2, 61)
    sections = {key: (n, m) for key, _, n, m in done.sections}
    assert sections["health"] == (1, 7) and sections["general"] == (1, 5) and sections["education"] == (0, 7)
    assert sum(m for _, m in sections.values()) == 61
    text = str(cb.progress_children(done))
    assert "2 of 61 questions answered" in text and "Health: 1 of 7" in text


def test_peers_are_checked_and_tabled(dataset):
    chosen, notes = sa.check_peers(dataset, ["es51", "Azores", "ES51", "nowhere", "AT13", "DE30"])
    assert chosen == ["ES51", "PT20", "AT13"] and len(notes) == 2
    values = {"health.strategy": "100", "education.strategy": "0"}
    _, long, _ = sa.score_answers(values, dataset.framework)
    table = sa.peer_table(dataset, long.set_index("dimension")["score"], chosen)
    row = table.set_index("dimension").loc["overall"]
    assert row["self"] == pytest.approx(50.0)
    assert row["PT20"] == pytest.approx(dataset.wide_scores.at["PT20", "overall"])
    assert row["average"] == pytest.approx(dataset.wide_scores["overall"].mean())
    text = str(cb.peer_children(dataset, values, "Testland", chosen))
    assert "Testland (self-assessment)" in text and dataset.region_name("PT20") in text


def test_dataset_with_the_self_assessed_region(dataset):
    values = {"health.strategy": "100", "health.measures": "50"}
    combined, sid = sa.with_self_assessment(dataset, values, "Testland", "fr10")
    assert sid == "FR10" and len(combined.regions) == len(dataset.regions) + 1
    assert combined.region_name(sid) == "Testland (self-assessment)"
    assert combined.wide_scores.at[sid, "area:health"] == pytest.approx(75.0)
    for rid in dataset.regions["region_id"]:  # the loaded regions are untouched
        pd.testing.assert_series_equal(combined.wide_scores.loc[rid], dataset.wide_scores.loc[rid])
    # a loaded region's code or no code: the self-assessed region gets its own id, never overwriting one
    assert sa.with_self_assessment(dataset, values, "Again", "ES51")[1] == sa.SELF_ID
    assert sa.with_self_assessment(dataset, values, "", "")[1] == sa.SELF_ID
    assert dataset.fingerprint != combined.fingerprint


def test_update_callback_shows_gains_and_progress(dataset):
    out = cb.update(dataset, {"health.strategy": "0"}, "Testland", "bad code!")
    summary, *radars, notes, progress_out, gains_out = out
    assert len(radars) == len(sa.RADAR_AXES)
    assert "1 of 61 questions answered" in str(summary)
    assert "NUTS-style" in str(notes)
    text = str(gains_out)
    assert "What would move the score most" in text and "Question 22: from “NO” to “YES systematically/regularly”" \
        in text and "+100.0 points" in text


def test_gains_on_the_page_read_in_plain_words(dataset):
    text = str(cb.gains_children(dataset, {}))
    assert "gives a first score of 100" in text and scoring.AXIS_LABELS["phase"] in text


def test_self_assessment_brief_is_marked(dataset, warm_browser):
    values = {"health.strategy": "100", "education.strategy": "50"}
    content, name = cb.self_brief(dataset, values, "Testland", "", ["PT20"], "html")
    page = content.decode("utf-8")
    assert name == "mipexr-self-assessment-comparison-testland.html"
    assert "Self-assessment.</strong>" in page and "Testland (self-assessment)" in page
    assert f"among the {len(dataset.regions) + 1} regions" in page and "<svg" in page
    pdf, name = cb.self_brief(dataset, values, "Testland", "ES51", [], "pdf")
    assert pdf[:5] == b"%PDF-" and name == "mipexr-self-assessment-brief-es51.pdf"
    data, status = cb.brief_download(dataset, values, "Testland", "", [], "html")
    assert status == "" and data["filename"].endswith(".html")
