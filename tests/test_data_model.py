"""The relaxed data model: a scores-only package is valid, framework extras get defaults, scores carry an edition."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from dashboard import config, data, scoring
from dashboard.errors import InputError, UnknownOption


def write_package(folder: Path, resources: list[dict], **top) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "datapackage.json").write_text(json.dumps({"name": "test", "title": "Test", **top,
                                                         "resources": resources}), encoding="utf-8")
    return folder


def scores_csv(dataset, folder: Path, name="scores.csv", edition: int | None = None, shift=0.0) -> None:
    frame = dataset.scores[["region_id", "dimension", "score"]].copy()
    frame["score"] = (frame["score"] + shift).clip(0, 100).round(1)
    if edition is not None:
        frame["edition"] = edition
    mode = "a" if (folder / name).exists() else "w"
    frame.to_csv(folder / name, index=False, mode=mode, header=mode == "w")


def test_embedded_data_are_edition_2021(dataset):
    assert dataset.editions == (2021,) and dataset.edition == 2021
    assert set(dataset.scores["edition"]) == {2021}
    assert set(dataset.all_scores["edition"]) == {2021}
    assert dataset.resources == ("regions", "framework", "answers", "outcomes", "outcome_indicators")
    assert dataset.defaulted == ()
    assert list(dataset.wide_scores.columns) == list(scoring.DIMENSIONS)


def test_scores_only_package_loads_and_shows(dataset, tmp_path):
    folder = tmp_path / "pkg"
    folder.mkdir()
    scores_csv(dataset, folder)
    write_package(folder, [{"name": "scores", "path": "scores.csv", "illustrative": False,
                            "sources": [{"title": "MIPEX-R 2021 (CIDOB & MPG)"}]}], edition=2021)

    ds = data.load_dataset(folder)

    assert ds.scores_published and ds.resources == ("scores",) and ds.defaulted == ("regions",)
    assert ds.editions == (2021,)
    assert ds.wide_scores.shape == (25, 18)
    assert ds.wide_scores.loc["PT20", "overall"] == pytest.approx(56)
    assert ds.answers.empty and ds.outcomes.empty and ds.framework.empty
    assert list(ds.answers.columns)[:3] == ["region_id", "indicator_id", "value"]
    assert ds.illustrative is False and ds.scores_illustrative is False
    assert ds.sources["scores"] == "MIPEX-R 2021 (CIDOB & MPG)"
    assert "ILLUSTRATIVE" not in ds.title
    assert ds.scores_table().loc["PT20", "group"] == "advanced"


def test_scores_for_some_regions_leave_the_others_missing(dataset, tmp_path):
    folder = tmp_path / "pkg"
    folder.mkdir()
    pd.DataFrame({"region_id": ["PT20", "PT17"], "dimension": ["overall", "overall"], "score": [56, 61]}).to_csv(
        folder / "scores.csv", index=False)
    write_package(folder, [{"name": "scores", "path": "scores.csv"}], edition=2021)
    ds = data.load_dataset(folder)
    assert ds.wide_scores["overall"].notna().sum() == 2
    assert ds.wide_scores["area:health"].isna().all()


def test_editions_in_a_scores_column(dataset, tmp_path):
    folder = tmp_path / "pkg"
    folder.mkdir()
    scores_csv(dataset, folder, edition=2021)
    scores_csv(dataset, folder, edition=2019, shift=-5)
    write_package(folder, [{"name": "scores", "path": "scores.csv", "illustrative": False}])

    ds = data.load_dataset(folder)

    assert ds.editions == (2019, 2021) and ds.edition == 2021
    assert ds.wide_scores.loc["PT20", "overall"] == pytest.approx(56)
    old = ds.with_edition(2019)
    assert old.edition == 2019 and old.wide_scores.loc["PT20", "overall"] == pytest.approx(51)
    assert ds.wide_scores.loc["PT20", "overall"] == pytest.approx(56)  # the original is untouched
    assert len(ds.scores_for(2019)) == 25 * 18
    with pytest.raises(UnknownOption, match="unknown edition 2020; the data have: 2019, 2021"):
        ds.scores_for(2020)


def test_duplicate_score_within_an_edition_is_refused(dataset, tmp_path):
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "scores.csv").write_text("region_id,dimension,edition,score\nPT20,overall,2021,56\nPT20,overall,2019,50\n"
                                       "PT20,overall,2021,57\n", encoding="utf-8")
    write_package(folder, [{"name": "scores", "path": "scores.csv"}])
    with pytest.raises(InputError) as info:
        data.load_dataset(folder)
    assert "scores.csv, row 4, column 'region_id': duplicate row: the same region_id, dimension, edition as row 2" \
        in str(info.value)


def test_bad_edition_is_refused(dataset, tmp_path):
    folder = tmp_path / "pkg"
    folder.mkdir()
    scores_csv(dataset, folder)
    write_package(folder, [{"name": "scores", "path": "scores.csv"}], edition="21")
    with pytest.raises(InputError, match="edition '21' is not a year"):
        data.load_dataset(folder)


def test_answers_with_an_edition_column_are_scored_per_edition(dataset, tmp_path):
    folder = tmp_path / "pkg"
    shutil.copytree(config.EMBEDDED_DATA_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    answers = pd.read_csv(folder / "answers.csv", dtype=str, keep_default_na=False)
    older = answers.copy()
    older.loc[older["region_id"] == "PT20", "value"] = "100"
    both = pd.concat([answers.assign(edition="2021"), older.assign(edition="2017")])
    both.to_csv(folder / "answers.csv", index=False)

    ds = data.load_dataset(folder)

    assert ds.editions == (2017, 2021)
    assert ds.wide_scores.loc["PT20", "overall"] == pytest.approx(56)
    assert ds.with_edition(2017).wide_scores.loc["PT20", "overall"] == 100


def test_framework_with_only_the_documented_columns_loads(dataset, tmp_path):
    folder = tmp_path / "pkg"
    shutil.copytree(config.EMBEDDED_DATA_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    fw = pd.read_csv(folder / "framework.csv", dtype=str)
    fw[["indicator_id", "question", "element", "phase", "target", "area"]].to_csv(folder / "framework.csv",
                                                                                   index=False)
    # without a scale every item is a three-option item: the embedded percent answers are then refused …
    with pytest.raises(InputError, match="not a valid answer for a three-option item"):
        data.load_dataset(folder)
    # … and accepted once they are 0, 50 or 100
    answers = pd.read_csv(folder / "answers.csv")
    answers["value"] = (answers["value"] / 50).round() * 50
    answers.to_csv(folder / "answers.csv", index=False)

    ds = data.load_dataset(folder)

    assert set(ds.framework["scale"]) == {"three_option"}
    assert ds.framework["options"].iloc[0] == data.DEFAULT_OPTIONS["three_option"]
    assert ds.framework["illustrative"].all()  # the resource is marked illustrative in the descriptor
    assert ds.wide_scores.shape == (25, 18) and ds.wide_scores.notna().all().all()


def test_framework_file_read_standalone_gets_defaults(tmp_path):
    path = tmp_path / "fw.csv"
    path.write_text("indicator_id,question,element,phase,target,area\n"
                    "x.one,Q?,actions,formulation,both,health\n", encoding="utf-8")
    fw = data.read_framework_file(path)
    assert fw.loc[0, "scale"] == "three_option"
    assert fw.loc[0, "options"] == data.DEFAULT_OPTIONS["three_option"]
    assert not fw.loc[0, "illustrative"]


@pytest.mark.parametrize("resources, message", [
    ([], "neither scores nor answers"),
    ([{"name": "answers", "path": "answers.csv"}], "answers need the framework"),
    ([{"name": "scores", "path": "../scores.csv"}], "needs a file name inside the package folder"),
    ([{"name": "scores", "path": "missing.csv"}], "missing.csv: file not found"),
])
def test_package_rules(dataset, tmp_path, resources, message):
    folder = tmp_path / "pkg"
    folder.mkdir()
    scores_csv(dataset, folder)
    (folder / "answers.csv").write_text("region_id,indicator_id,value\nPT20,x,50\n", encoding="utf-8")
    write_package(folder, resources, edition=2021)
    with pytest.raises(InputError, match=message):
        data.load_dataset(folder)


def test_header_only_resource_is_refused(dataset, tmp_path):
    folder = tmp_path / "pkg"
    shutil.copytree(config.EMBEDDED_DATA_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (folder / "answers.csv").write_text("region_id,indicator_id,value\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        data.load_dataset(folder)
    assert str(info.value) == "answers.csv, row 2: the file has a header but no data rows"


def test_state_configure_validates_before_switching(dataset, tmp_path):
    from dashboard import state

    folder = tmp_path / "pkg"
    shutil.copytree(config.EMBEDDED_DATA_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    state.configure(None)
    before = state.current()
    (folder / "answers.csv").write_text("region_id,indicator_id,value\n", encoding="utf-8")
    with pytest.raises(InputError, match="no data rows"):
        state.configure(folder)
    assert state.current() is before  # the last good data stay
    assert state.data_dir() is None
