"""The Data page's import path as plain functions: bad file → exact message and nothing changes; a valid
replacement → switched; oversize → refused; reset; raw downloads."""

from __future__ import annotations

import base64
import io

import pandas as pd
import pytest

from dashboard import config, data, state
from dashboard.callbacks import data as cd


def _data_url(content: bytes, mime: str = "text/csv") -> str:
    return f"data:{mime};base64," + base64.b64encode(content).decode("ascii")


@pytest.fixture
def served(dataset):
    """Serve the embedded dataset through ``state`` and restore whatever was served before afterwards
    (the e2e app may share this process)."""
    before_dir, before = state._data_dir, state.current() if state._current is not None else None
    state.configure(None)
    state.set_current(dataset)
    yield dataset
    state.configure(before_dir)
    if before is not None:
        state.set_current(before)


def _answers_text() -> str:
    return (config.EMBEDDED_DATA_DIR / "answers.csv").read_text(encoding="utf-8")


def test_bad_value_names_file_row_and_column_and_keeps_data(served):
    lines = _answers_text().splitlines()
    row = 7  # spreadsheet numbering: header is row 1
    cells = lines[row - 1].split(",")
    cells[-1] = "150"
    lines[row - 1] = ",".join(cells)
    content = ("\n".join(lines) + "\n").encode()

    ok, message = cd.handle_upload("answers", "answers_bad.csv", _data_url(content))

    assert not ok
    assert "answers_bad.csv" in message and f"row {row}" in message and "column 'value'" in message
    assert "150" in message and "keeps the previous data" in message
    assert state.current() is served


def test_valid_replacement_switches_the_data(served):
    frame = pd.read_csv(io.StringIO(_answers_text()), dtype=str, keep_default_na=False)
    target = (frame["region_id"] == "PT20") & (frame["indicator_id"] == "antidiscrimination.strategy")
    old = served.answers.loc[(served.answers["region_id"] == "PT20")
                             & (served.answers["indicator_id"] == "antidiscrimination.strategy"), "value"].iloc[0]
    new_value = 0.0 if old != 0 else 100.0
    frame.loc[target, "value"] = f"{new_value:g}"

    ok, message = cd.handle_upload("answers", "answers_real.csv", _data_url(frame.to_csv(index=False).encode()))

    assert ok, message
    now = state.current()
    assert now is not served
    got = now.answers.loc[(now.answers["region_id"] == "PT20")
                          & (now.answers["indicator_id"] == "antidiscrimination.strategy"), "value"].iloc[0]
    assert got == new_value
    assert now.resource_illustrative["answers"] is False
    assert now.sources["answers"] == "imported file answers_real.csv"
    assert "answers_real.csv → answers" in state.history()
    # the summary and the raw download follow the new data
    assert "answers_real.csv" in str(cd.dataset_summary(now))
    name, raw = cd.raw_file(now, "answers")
    assert name == "answers_real.csv" and raw == frame.to_csv(index=False).encode()
    # reset goes back to the embedded data
    ok, message = cd.reset_data()
    assert ok and state.current().data_dir == config.EMBEDDED_DATA_DIR
    assert "Back to the data" in message


def test_xlsx_upload_is_accepted_and_can_be_marked_illustrative(served):
    buf = io.BytesIO()
    served.regions.to_excel(buf, index=False)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ok, message = cd.handle_upload("regions", "regions.xlsx", _data_url(buf.getvalue(), xlsx), illustrative=True)
    assert ok, message
    assert state.current().resource_illustrative["regions"] is True
    assert len(state.current().regions) == len(served.regions)


def test_oversize_upload_is_refused_before_import(served, monkeypatch):
    calls = []
    monkeypatch.setattr(state, "import_file", lambda *a, **k: calls.append(a) or (True, "imported"))
    big = b"region_id,indicator_id,value\n" + b"x" * data.MAX_FILE_BYTES
    ok, message = cd.handle_upload("answers", "huge.csv", _data_url(big))
    assert not ok and calls == []
    assert "huge.csv" in message and "limit is 20 MB" in message and "keeps the previous data" in message
    assert state.current() is served


def test_just_over_the_limit_is_refused_after_decoding(served):
    content = b"a" * (data.MAX_FILE_BYTES + 1)
    ok, message = cd.handle_upload("answers", "big.csv", _data_url(content))
    assert not ok and "limit" in message
    assert state.current() is served


@pytest.mark.parametrize("resource, filename, contents, expected", [
    ("answers", "a.csv", None, "no file content"),
    ("answers", "a.csv", "not a data url", "did not contain a file"),
    ("nonsense", "a.csv", "data:text/csv;base64,YQ==", "Unknown dataset part"),
    ("answers", "answers.txt", "data:text/plain;base64,YQ==", "unsupported file type"),
    ("answers", "empty.csv", "data:text/csv;base64,", "the file is empty"),
])
def test_invalid_uploads_give_a_message_and_change_nothing(served, resource, filename, contents, expected):
    ok, message = cd.handle_upload(resource, filename, contents)
    assert not ok and expected in message
    assert state.current() is served


def test_unknown_region_in_answers_is_named(served):
    text = _answers_text().replace("AT13,", "ZZ99,", 1)
    ok, message = cd.handle_upload("answers", "answers.csv", _data_url(text.encode()))
    assert not ok and "ZZ99" in message and "row 2" in message
    assert state.current() is served


def test_raw_files_cover_every_resource_and_the_descriptor(served):
    files = cd.raw_files(served)
    assert set(files) >= {"regions", "framework", "answers", "outcomes", "datapackage"}
    name, raw = cd.raw_file(served, "framework")
    assert name == "framework.csv" and raw == (config.EMBEDDED_DATA_DIR / "framework.csv").read_bytes()
    with pytest.raises(KeyError):
        cd.raw_file(served, "nothing")


def test_expected_columns_come_from_the_schema(served):
    cols = cd.expected_columns(served)
    assert cols["answers"] == ["region_id", "indicator_id", "value"]
    assert cols["scores"] == ["region_id", "dimension", "score"]


def test_summary_and_notice_say_illustrative(served):
    text = str(cd.dataset_summary(served, history=[]))
    assert "ILLUSTRATIVE" in text and served.title in text and "No file imported yet" in text
    children, class_name = cd._notice_props(served)
    assert class_name == "mx-notice" and "Illustrative data" in str(children)
