"""Bad input: every loader rejects it with file, row, column and rule, and loses nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from dashboard import config, data, state
from dashboard.errors import InputError


@pytest.fixture
def pkg(tmp_path) -> Path:
    """A writable copy of the embedded data package."""
    dest = tmp_path / "pkg"
    shutil.copytree(config.EMBEDDED_DATA_DIR, dest, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return dest


def edit_line(path: Path, line_no: int, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line_no - 1] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def load_error(pkg: Path) -> str:
    with pytest.raises(InputError) as info:
        data.load_dataset(pkg)
    return str(info.value)


def test_embedded_package_is_valid(dataset):
    assert dataset.wide_scores.shape == (25, 18)


def test_value_out_of_range_names_file_row_column(pkg):
    edit_line(pkg / "answers.csv", 7, "AT13,antidiscrimination.evaluation,150")
    msg = load_error(pkg)
    assert "answers.csv, row 7, column 'value'" in msg and "150" in msg and "outside" in msg


def test_negative_value(pkg):
    edit_line(pkg / "answers.csv", 3, "AT13,antidiscrimination.measures,-5")
    assert "answers.csv, row 3, column 'value'" in load_error(pkg)


def test_unknown_region_id(pkg):
    edit_line(pkg / "answers.csv", 4, "XX99,antidiscrimination.civil_society,50")
    msg = load_error(pkg)
    assert "answers.csv, row 4, column 'region_id'" in msg and "unknown region id 'XX99'" in msg


def test_unknown_indicator_id(pkg):
    edit_line(pkg / "answers.csv", 4, "AT13,no.such.indicator,50")
    msg = load_error(pkg)
    assert "row 4, column 'indicator_id'" in msg and "unknown indicator id 'no.such.indicator'" in msg


def test_duplicate_row(pkg):
    path = pkg / "answers.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append(lines[1])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    msg = load_error(pkg)
    assert f"answers.csv, row {len(lines)}" in msg and "duplicate row" in msg and "row 2" in msg


def test_missing_column(pkg):
    frame = pd.read_csv(pkg / "answers.csv").drop(columns=["value"])
    frame.to_csv(pkg / "answers.csv", index=False)
    msg = load_error(pkg)
    assert "answers.csv" in msg and "column 'value'" in msg and "missing" in msg


def test_wrong_encoding(pkg):
    text = (pkg / "regions.csv").read_text(encoding="utf-8")
    (pkg / "regions.csv").write_bytes(text.encode("latin-1"))
    msg = load_error(pkg)
    assert "regions.csv" in msg and "UTF-8" in msg


def test_empty_file(pkg):
    (pkg / "outcomes.csv").write_bytes(b"")
    assert load_error(pkg) == "outcomes.csv: the file is empty"


def test_three_option_item_with_other_value(pkg):
    edit_line(pkg / "answers.csv", 2, "AT13,antidiscrimination.strategy,40")
    msg = load_error(pkg)
    assert "answers.csv, row 2, column 'value'" in msg and "0, 50 or 100" in msg


def test_bad_enum_in_framework(pkg):
    edit_line(pkg / "framework.csv", 2, "antidiscrimination.strategy,Q?,actions,formulation,both,astrology,three_option,x,True")
    msg = load_error(pkg)
    assert "framework.csv, row 2, column 'area'" in msg and "astrology" in msg


def test_huge_file_refused(pkg, monkeypatch):
    monkeypatch.setattr(data, "MAX_FILE_BYTES", 1000)
    msg = load_error(pkg)
    assert "MB; the limit is" in msg


def test_replace_resource_xlsx_and_csv(dataset, tmp_path):
    answers = dataset.answers.copy()
    answers.loc[answers["region_id"] == "PT20", "value"] = 100.0
    xlsx = tmp_path / "answers.xlsx"
    answers.to_excel(xlsx, index=False)
    new = data.replace_resource(dataset, "answers", "answers.xlsx", xlsx.read_bytes())
    assert new.wide_scores.loc["PT20", "overall"] == 100
    assert new.illustrative is True  # outcomes and framework are still illustrative
    assert new.resource_illustrative["answers"] is False
    assert dataset.wide_scores.loc["PT20", "overall"] == pytest.approx(56)  # the old dataset is untouched


def test_title_says_illustrative_only_while_shown_data_are(dataset):
    """Replacing every illustrative resource with real files drops "(ILLUSTRATIVE)" from the title."""
    assert dataset.title.endswith("(ILLUSTRATIVE)")
    new = dataset
    for resource in ("framework", "answers", "outcomes"):
        assert new.illustrative is True and new.title.endswith("(ILLUSTRATIVE)")
        content = (dataset.data_dir / f"{resource}.csv").read_bytes()
        new = data.replace_resource(new, resource, f"{resource}.csv", content)
    assert new.illustrative is False
    assert "ILLUSTRATIVE" not in new.title.upper()


def test_replace_resource_bad_xlsx_names_row_and_column(dataset, tmp_path):
    answers = dataset.answers.copy()
    answers.loc[10, "value"] = 150
    xlsx = tmp_path / "answers.xlsx"
    answers.to_excel(xlsx, index=False)
    with pytest.raises(InputError) as info:
        data.replace_resource(dataset, "answers", "mine.xlsx", xlsx.read_bytes())
    assert "mine.xlsx, row 12, column 'value'" in str(info.value)


def test_replace_resource_refuses_garbage(dataset):
    with pytest.raises(InputError, match="unsupported file type"):
        data.replace_resource(dataset, "answers", "answers.pdf", b"%PDF")
    with pytest.raises(InputError, match="empty"):
        data.replace_resource(dataset, "answers", "answers.csv", b"   ")
    with pytest.raises(InputError, match="limit"):
        data.replace_resource(dataset, "answers", "answers.csv", b"x" * (data.MAX_FILE_BYTES + 1))
    with pytest.raises(InputError):
        data.replace_resource(dataset, "answers", "broken.xlsx", b"PK\x03\x04 not really a zip")


def test_a_failed_check_keeps_the_last_good_data():
    from dashboard.views import data as dv

    state.configure(None)
    before = state.current()
    with pytest.raises(InputError) as info:
        dv.package_from_resource(before, "answers", "answers.csv",
                                 b"region_id,indicator_id,value\nAT13,general.strategy,150\n")
    assert "answers.csv, row 2, column 'value'" in str(info.value)
    assert state.current() is before


def test_published_scores_resource_overrides_computed(dataset):
    rows = [{"region_id": r, "dimension": "overall", "score": 42} for r in dataset.regions["region_id"]]
    content = pd.DataFrame(rows).to_csv(index=False).encode()
    new = data.replace_resource(dataset, "scores", "scores.csv", content)
    assert new.scores_published
    assert (new.wide_scores["overall"] == 42).all()
    assert new.wide_scores["area:health"].isna().all()
