"""`python -m dashboard scores`: reproduces hand-computed scores; bad input → message, exit 2, no file."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from dashboard import cli, config


def run(*args):
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True,
                          cwd=config.PROJECT_ROOT, timeout=120)


def test_scores_command_hand_computed(tmp_path):
    answers = tmp_path / "answers.csv"
    answers.write_text(
        "region_id,indicator_id,value\n"
        "PT20,health.strategy,100\n"
        "PT20,health.measures,50\n"
        "PT20,education.strategy,0\n"
        "PT20,general.strategy,100\n",
        encoding="utf-8",
    )
    out = tmp_path / "scores.csv"
    assert cli.main(["scores", "--answers", str(answers), "--out", str(out)]) == 0
    s = pd.read_csv(out).set_index(["region_id", "dimension"])["score"]
    assert s[("PT20", "area:health")] == 75
    assert s[("PT20", "area:education")] == 0
    assert s[("PT20", "overall")] == 37.5
    # health.strategy, general.strategy and education.strategy are formulation; health.measures policy output
    assert s[("PT20", "phase:formulation")] == pytest.approx((100 + 0 + 100) / 3, abs=1e-4)
    assert s[("PT20", "phase:policy_output")] == 50
    assert pd.isna(s[("PT20", "area:housing")])
    assert list(pd.read_csv(out).columns) == ["region_id", "dimension", "score"]


def test_scores_command_reads_xlsx_and_matches_embedded(tmp_path, dataset):
    xlsx = tmp_path / "answers.xlsx"
    dataset.answers.to_excel(xlsx, index=False)
    out = tmp_path / "scores.csv"
    assert cli.main(["scores", "--answers", str(xlsx), "--out", str(out)]) == 0
    got = pd.read_csv(out)
    overall = got[got["dimension"] == "overall"].set_index("region_id")["score"]
    assert overall["PT20"] == 56
    assert len(got) == 25 * 18


@pytest.mark.parametrize("content, expected", [
    ("region_id,indicator_id,value\nPT20,health.strategy,150\n", "row 2, column 'value'"),
    ("region_id,indicator_id,value\nXX99,health.strategy,50\n", "unknown region id 'XX99'"),
    ("region_id,indicator_id,value\nPT20,no.such,50\n", "unknown indicator id 'no.such'"),
    ("region_id,indicator_id,value\nPT20,health.strategy,50\nPT20,health.strategy,50\n", "row 3"),
    ("region_id,indicator_id\nPT20,health.strategy\n", "column 'value'"),
    ("", "the file is empty"),
])
def test_scores_command_bad_input(tmp_path, content, expected):
    answers = tmp_path / "bad.csv"
    answers.write_text(content, encoding="utf-8")
    out = tmp_path / "scores.csv"
    result = run("scores", "--answers", str(answers), "--out", str(out))
    assert result.returncode == 2
    assert "bad.csv" in result.stderr and expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.csv"]  # no partial or temp file


def test_scores_command_wrong_encoding(tmp_path):
    answers = tmp_path / "latin.csv"
    answers.write_bytes("region_id,indicator_id,value\nPT20,health.strategy,50 é\n".encode("latin-1"))
    out = tmp_path / "scores.csv"
    result = run("scores", "--answers", str(answers), "--out", str(out))
    assert result.returncode == 2 and "UTF-8" in result.stderr and not out.exists()


def test_scores_command_missing_file(tmp_path):
    result = run("scores", "--answers", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o.csv"))
    assert result.returncode == 2 and "nope.csv" in result.stderr and "not found" in result.stderr
