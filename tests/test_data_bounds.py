"""The data package path within bounds: delimiters and padded headers read correctly or refused with file, row,
column and rule; error text capped at 50 messages with short quotes; the vectorised checks agree with the
frictionless validator row for row."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from dashboard import cli, config, data
from dashboard.errors import InputError, InputErrors
from dashboard.tabular import limits

ANSWERS = "region_id,indicator_id,value\nPT20,health.strategy,100\nPT20,health.measures,50\n"


@pytest.fixture
def pkg(tmp_path) -> Path:
    dest = tmp_path / "pkg"
    shutil.copytree(config.EMBEDDED_DATA_DIR, dest, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return dest


@pytest.mark.parametrize("text", [
    ANSWERS.replace(",", ";"),
    ANSWERS.replace(",", "\t"),
    ANSWERS.replace(",", "|"),
    " region_id , indicator_id ,  value \nPT20,health.strategy,100\nPT20,health.measures,50\n",
    "\ufeff" + ANSWERS,
])
def test_scores_command_reads_other_delimiters_and_padded_headers(tmp_path, capsys, text):
    answers = tmp_path / "answers.csv"
    answers.write_text(text, encoding="utf-8")
    out = tmp_path / "scores.csv"
    assert cli.main(["scores", "--answers", str(answers), "--out", str(out)]) == 0
    assert "for 1 region(s)" in capsys.readouterr().out
    scores = pd.read_csv(out).set_index(["region_id", "dimension"])["score"]
    assert scores[("PT20", "area:health")] == 75


def test_header_only_answers_refused(tmp_path, capsys):
    answers = tmp_path / "answers.csv"
    answers.write_text("region_id,indicator_id,value\n", encoding="utf-8")
    assert cli.main(["scores", "--answers", str(answers), "--out", str(tmp_path / "o.csv")]) == 2
    assert "answers.csv, row 2: the file has a header but no data rows" in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()


def test_header_only_upload_keeps_the_data(dataset):
    with pytest.raises(InputError, match="no data rows"):
        data.replace_resource(dataset, "answers", "answers.csv", b"region_id,indicator_id,value\n")


def test_wrong_columns_named_once(pkg):
    (pkg / "answers.csv").write_text("region_id;indicator_id;value\nPT20,health.strategy,100\n", encoding="utf-8")
    # the header reads with semicolons, the row with commas: the row is one cell and lacks the others
    with pytest.raises(InputError) as info:
        data.load_dataset(pkg)
    assert "answers.csv, row 2, column 'region_id'" in str(info.value)


def test_errors_are_capped_at_fifty_with_a_count(pkg):
    lines = (pkg / "answers.csv").read_text(encoding="utf-8").splitlines()
    bad = [lines[0]] + [",".join(line.split(",")[:2] + ["150"]) for line in lines[1:]]
    (pkg / "answers.csv").write_text("\n".join(bad) + "\n", encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        data.load_dataset(pkg)
    err = info.value
    assert len(err.errors) == 50 and err.total == len(lines) - 1
    text = str(err).splitlines()
    assert len(text) == 51 and text[-1] == f"… and {len(lines) - 51:,} more problem(s)"
    assert text[0] == "answers.csv, row 2, column 'value': value 150 is outside the allowed range 0–100"


def test_enum_values_listed_once_and_values_quoted_briefly(pkg):
    lines = (pkg / "framework.csv").read_text(encoding="utf-8").splitlines()
    for i in (1, 2):
        cells = lines[i].split(",")
        cells[5] = "x" * 500
        lines[i] = ",".join(cells)
    (pkg / "framework.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        data.load_dataset(pkg)
    first, second = info.value.errors[:2]
    assert "(500 characters)" in first.rule and "allowed: antidiscrimination" in first.rule
    assert "allowed:" not in second.rule
    assert max(len(e.message) for e in info.value.errors) < 400


def test_quote_and_short_name():
    assert limits.quote("abc") == "'abc'"
    long = limits.quote("y" * 1000)
    assert long.startswith("'yyy") and long.endswith("(1,000 characters)") and len(long) < 110
    assert limits.quote("a\nb") == "'a?b'"
    name = limits.short_name("ä" * 200 + ".xlsx")
    assert len(name.encode("utf-8")) <= 255 and name.endswith("….xlsx")
    assert limits.short_name("fine.csv") == "fine.csv"


def test_over_long_column_name_in_a_package_is_refused_up_front(pkg):
    text = (pkg / "outcomes.csv").read_text(encoding="utf-8").splitlines()
    text[0] = text[0] + "," + "z" * 250
    (pkg / "outcomes.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        data.load_dataset(pkg)
    assert str(info.value) == ("outcomes.csv, row 1, column 'L': the column name is 250 characters long (the limit "
                               "is 200): is this the right file, and is its first row the header?")


# The vectorised checks and the frictionless validator report the same (row, column) for the same file.
BROKEN_ANSWERS = [
    (7, "AT13,antidiscrimination.evaluation,150"),
    (3, "AT13,antidiscrimination.measures,abc"),
    (4, "XX99,antidiscrimination.civil_society,50"),
    (5, "AT13,no.such.indicator,50"),
    (6, ",antidiscrimination.staff,50"),
]


def test_checks_agree_with_frictionless(pkg):
    from frictionless import Package

    lines = (pkg / "answers.csv").read_text(encoding="utf-8").splitlines()
    for row, text in BROKEN_ANSWERS:
        lines[row - 1] = text
    lines.append(lines[1])  # a duplicate key
    (pkg / "answers.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(InputErrors) as info:
        data.load_dataset(pkg)
    ours = {(e.row, e.column) for e in info.value.errors}

    desc = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    report = Package(desc, basepath=str(pkg)).validate()
    theirs = set()
    for task in report.tasks:
        for err in task.errors:
            column = getattr(err, "field_name", None)
            if err.type == "foreign-key":
                column = "region_id" if "region_id" in err.message else "indicator_id"
            if err.type == "primary-key":
                column = "region_id"
            theirs.add((getattr(err, "row_number", None), column))
    assert ours == theirs
    assert {row for row, _ in ours} == {row for row, _ in BROKEN_ANSWERS} | {len(lines)}


def test_upload_with_a_very_long_name_is_a_message(dataset):
    name = "a" * 400 + ".csv"
    with pytest.raises(InputError) as info:
        data.replace_resource(dataset, "answers", name, b"region_id,indicator_id,value\nPT20,health.strategy,150\n")
    message = str(info.value)
    assert "outside the allowed range" in message
    assert len(info.value.file.encode("utf-8")) <= 255 and info.value.file.endswith("….csv")


def test_xlsx_that_unpacks_too_big_is_refused_before_opening(dataset, tmp_path, monkeypatch):
    from dashboard.tabular import reading

    path = tmp_path / "answers.xlsx"
    dataset.answers.head(5).to_excel(path, index=False)
    monkeypatch.setattr(reading, "MAX_XLSX_UNPACKED", 1000)
    with pytest.raises(InputError, match="the workbook unpacks to"):
        data.replace_resource(dataset, "answers", "answers.xlsx", path.read_bytes())
    with pytest.raises(InputError, match="not a valid XLSX file"):
        data.replace_resource(dataset, "answers", "answers.xlsx", b"PK\x03\x04 broken")
