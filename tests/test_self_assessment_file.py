"""Self-assessment save and resume: the CSV/XLSX the page saves reloads to the same answers and the same
scores; bad files are refused with the file, row and column named; formula-like names are guarded."""

from __future__ import annotations

import base64
import io

import pandas as pd
import pytest

from dashboard import scoring
from dashboard.callbacks import self_assessment as cb
from dashboard.errors import InputError
from dashboard.export.tables import read_export_csv
from dashboard.views import self_assessment as sa
from dashboard.views import self_assessment_file as saf


def _values(dataset, region_id: str) -> dict[str, object]:
    scales = dict(zip(dataset.framework["indicator_id"], dataset.framework["scale"]))
    out = {}
    for row in dataset.answers[dataset.answers["region_id"] == region_id].itertuples():
        v = row.value
        if scales[row.indicator_id] == "percent":
            out[row.indicator_id] = None if pd.isna(v) else float(v)
        else:
            out[row.indicator_id] = sa.NOT_ANSWERED if pd.isna(v) else f"{v:g}"
    return out


def _scores(dataset, values):
    return sa.score_answers(values, dataset.framework)[1].set_index("dimension")["score"]


def _with_gaps(dataset):
    values = _values(dataset, "ES51")
    for ind in list(values)[::5]:  # some questions left open
        values[ind] = None if isinstance(values[ind], float) or values[ind] is None else sa.NOT_ANSWERED
    return values


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_saved_answers_reload_to_the_same_scores(dataset, fmt):
    values = _with_gaps(dataset)
    content, name = cb.answers_file(dataset, values, "=Testland", "es51", fmt)
    assert name == f"mipexr-self-assessment-es51.{fmt}"
    saved = saf.read_saved(content, name, dataset.framework)
    assert saved.name == "=Testland" and saved.region_id == "ES51" and saved.notes == []
    before, after = _scores(dataset, values), _scores(dataset, saved.values)
    for dim in scoring.DIMENSIONS:
        assert after[dim] == pytest.approx(before[dim], nan_ok=True), dim
    assert before.notna().any()
    answered = sum(1 for v in values.values() if v not in (None, sa.NOT_ANSWERED))
    assert saved.answered == answered < len(dataset.framework)


def test_saved_csv_says_what_it_is_and_guards_formulas(dataset):
    content, _ = cb.answers_file(dataset, _values(dataset, "PT20"), "=HYPERLINK(\"x\")", "", "csv")
    header, table = read_export_csv(content)
    text = "\n".join(header)
    assert "Self-assessment answers" in text and sa.SELF_ASSESSMENT_MARK in text
    assert "your own answers (self-assessment)" in text
    # the embedded questionnaire's wording is illustrative, the answers are not
    assert "Illustrative data: only the questionnaire's wording (the answers are your own)" in text
    assert list(table.columns) == saf.COLUMNS and len(table) == len(dataset.framework)
    assert table["region_name"].iloc[0].startswith("'=")  # the formula guard
    assert set(table["answer"]) <= {"YES systematically/regularly", "YES occasionally/ad hoc", "NO", "not answered"} | {
        a for a in table["answer"] if a.endswith(" %")}


def test_saved_xlsx_has_about_sheet_and_text_cells(dataset):
    from openpyxl import load_workbook

    content, _ = cb.answers_file(dataset, {}, "+cmd", "", "xlsx")
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["answers", "About"]
    ws = book["answers"]
    assert [c.value for c in ws[1]] == saf.COLUMNS
    assert ws["A2"].value == "'+cmd" and ws["A2"].data_type == "s"
    about = " ".join(str(c.value) for row in book["About"].iter_rows() for c in row if c.value)
    assert sa.SELF_ASSESSMENT_MARK in about


def test_plain_answers_csv_and_answer_labels_are_read(dataset):
    fw = dataset.framework
    three = fw.loc[fw["scale"] == "three_option", "indicator_id"].tolist()
    pct = fw.loc[fw["scale"] == "percent", "indicator_id"].iloc[0]
    text = f"region_id,indicator_id,value\nES51,{three[0]},50\nES51,{pct},12.5\n"
    saved = saf.read_saved(text.encode(), "answers.csv", fw)
    assert saved.values[three[0]] == "50" and saved.values[pct] == 12.5 and saved.values[three[1]] == sa.NOT_ANSWERED
    assert saved.answered == 2 and "were not in the file" in saved.notes[0]
    # semicolons, labels instead of points
    text = f"indicator_id;answer\n{three[0]};yes systematically/regularly\n{three[1]};NO\n{pct};40 %\n"
    saved = saf.read_saved(text.encode("utf-8-sig"), "mine.csv", fw)
    assert (saved.values[three[0]], saved.values[three[1]], saved.values[pct]) == ("100", "0", 40.0)


@pytest.mark.parametrize("body, rule, row, column", [
    ("indicator_id,points\nhealth.strategy,75\n", "not an answer to health.strategy", 2, "points"),
    ("indicator_id,points\nhealth.languages_share,150\n", "from 0 to 100", 2, "points"),
    ("indicator_id,points\nhealth.strategy,100\nno.such,50\n", "not a question", 3, "indicator_id"),
    ("indicator_id,points\nhealth.strategy,100\nhealth.strategy,50\n", "answered twice (first in row 3)", 3,
     "indicator_id"),
    ("indicator_id,answer\nhealth.strategy,maybe\n", "expected one of", 2, "answer"),
    ("region_id,points\nES51,100\n", "no column 'indicator_id'", 1, None),
    ("indicator_id,comment\nhealth.strategy,x\n", "no column 'points'", 1, None),
])
def test_bad_files_name_file_row_and_column(dataset, body, rule, row, column):
    with pytest.raises(InputError) as err:
        saf.read_saved(("# Title: x\n" + body).encode(), "bad.csv", dataset.framework)
    exc = err.value
    assert exc.file == "bad.csv" and rule in str(exc)
    assert exc.row == (None if row is None else row + 1)  # the header block line counts as row 1
    assert exc.column == column


def test_hostile_files_are_bounded(dataset):
    with pytest.raises(InputError, match="the limit is 1,024 KB"):
        saf.read_saved(b"x" * (saf.MAX_BYTES + 1), "big.csv", dataset.framework)
    with pytest.raises(InputError, match="not valid XLSX|not a valid XLSX"):
        saf.read_saved(b"PK\x03\x04 not a zip", "fake.xlsx", dataset.framework)
    with pytest.raises(InputError, match="binary"):
        saf.read_saved(b"\x00\x01\x02" * 10, "bin.csv", dataset.framework)
    many = "indicator_id,points\n" + "no.such,1\n" * 500
    with pytest.raises(InputError) as err:
        saf.read_saved(many.encode(), "many.csv", dataset.framework)
    assert "and 450 more problem(s)" in str(err.value)
    rows = "indicator_id,points\n" + "health.strategy,100\n" * (saf.MAX_ROWS + 5)
    with pytest.raises(InputError, match="more than 2,000 rows"):
        saf.read_saved(rows.encode(), "long.csv", dataset.framework)


def test_restore_callback_sets_controls_or_keeps_them(dataset):
    values = _with_gaps(dataset)
    content, name = cb.answers_file(dataset, values, "Testland", "XX1", "csv")
    upload = "data:text/csv;base64," + base64.b64encode(content).decode()
    order = list(dataset.framework["indicator_id"])
    controls, rname, code, status = cb.restore(dataset, upload, name, order)
    assert rname == "Testland" and code == "XX1" and "Loaded" in str(status)
    restored = dict(zip(order, controls))
    assert _scores(dataset, restored).equals(_scores(dataset, values))
    bad = "data:text/csv;base64," + base64.b64encode(b"indicator_id,points\nhealth.strategy,7\n").decode()
    controls, rname, code, status = cb.restore(dataset, bad, "bad.csv", order)
    import dash

    assert controls == [dash.no_update] * len(order) and rname is dash.no_update
    assert "bad.csv, row 2, column 'points'" in str(status) and "unchanged" in str(status)
