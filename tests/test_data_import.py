"""The Data page's path as plain functions: an upload is checked into a package (a bad file → exact message,
nothing changes); a good one goes into a private workspace that only its own cookie sees, or — with the admin
token — into a new shared version that every request then shows; oversize and malformed uploads are refused;
raw downloads follow what is shown."""

from __future__ import annotations

import base64
import io

import pandas as pd
import pytest

from dashboard import config, data, datasets, ids, state
from dashboard.callbacks import data as cd
from dashboard.errors import UserError
from dashboard.views import data as dv


def _data_url(content: bytes, mime: str = "text/csv") -> str:
    return f"data:{mime};base64," + base64.b64encode(content).decode("ascii")


def _answers_text() -> str:
    return (config.EMBEDDED_DATA_DIR / "answers.csv").read_text(encoding="utf-8")


@pytest.fixture
def store(_isolated_var_dir, monkeypatch):
    """A fresh dataset store (SQLite in the test's var folder), the embedded data as the app's folder."""
    datasets.prepare_database()
    monkeypatch.setenv("MIPEXR_DATASET_POLL_SECONDS", "0")
    state.configure(None)
    yield
    state.configure(None)


def _resource(dataset, resource: str, name: str, content: bytes, illustrative: bool = False):
    ids_ = [{"type": ids.DATA_UPLOAD_TYPE, "resource": r} for r in cd.RESOURCES]
    contents = [_data_url(content) if r == resource else None for r in cd.RESOURCES]
    names = [name if r == resource else None for r in cd.RESOURCES]
    return cd.check_upload(dataset, {"kind": "resource", "resource": resource}, None, None, contents, ids_, names,
                           illustrative=illustrative)


def _changed_answers(dataset) -> tuple[bytes, float]:
    frame = pd.read_csv(io.StringIO(_answers_text()), dtype=str, keep_default_na=False)
    target = (frame["region_id"] == "PT20") & (frame["indicator_id"] == "antidiscrimination.strategy")
    old = float(frame.loc[target, "value"].iloc[0])
    new_value = 0.0 if old != 0 else 100.0
    frame.loc[target, "value"] = f"{new_value:g}"
    return frame.to_csv(index=False).encode(), new_value


def _pt20_strategy(dataset) -> float:
    a = dataset.answers
    return a.loc[(a["region_id"] == "PT20") & (a["indicator_id"] == "antidiscrimination.strategy"), "value"].iloc[0]


def test_bad_value_names_file_row_and_column_and_changes_nothing(dataset, store):
    lines = _answers_text().splitlines()
    row = 7  # spreadsheet numbering: header is row 1
    cells = lines[row - 1].split(",")
    cells[-1] = "150"
    lines[row - 1] = ",".join(cells)
    with pytest.raises(UserError) as info:
        _resource(dataset, "answers", "answers_bad.csv", ("\n".join(lines) + "\n").encode())
    message = str(info.value)
    assert "answers_bad.csv" in message and f"row {row}" in message and "column 'value'" in message
    assert state.current().data_dir == config.EMBEDDED_DATA_DIR  # nothing changed for anyone


def test_a_private_workspace_is_seen_by_its_cookie_only(dataset, store):
    from dashboard.app import create_app

    content, new_value = _changed_answers(dataset)
    checked = _resource(dataset, "answers", "answers_real.csv", content)
    assert checked.ok
    ok, message, ws_id = cd.act(ids.DATA_KEEP_PRIVATE, lambda: checked, None, None)
    assert ok and isinstance(ws_id, str), message
    server = create_app().server
    with server.test_request_context("/", headers={"Cookie": f"{state.WORKSPACE_COOKIE}={ws_id}"}):
        mine = state.current()
        assert state.in_workspace() and _pt20_strategy(mine) == new_value
        assert mine.resource_illustrative["answers"] is False
        name, raw = dv.raw_file(mine, "answers")  # the raw download follows what this browser sees
        assert name == "answers_real.csv" and raw == content
    with server.test_request_context("/"):  # another visitor (no cookie): the shared data, unchanged
        assert not state.in_workspace() and _pt20_strategy(state.current()) == _pt20_strategy(dataset)
    with server.test_request_context("/", headers={"Cookie": f"{state.WORKSPACE_COOKIE}=someone-else-entirely"}):
        assert _pt20_strategy(state.current()) == _pt20_strategy(dataset)
    # leaving drops the workspace
    with server.test_request_context("/", headers={"Cookie": f"{state.WORKSPACE_COOKIE}={ws_id}"}):
        ok, _, change = cd.act(ids.DATA_LEAVE, None, None, None)
        assert ok and change is False and datasets.workspace_info(ws_id) is None


def test_publishing_for_everyone_needs_the_token(dataset, store, monkeypatch):
    content, new_value = _changed_answers(dataset)
    checked = _resource(dataset, "answers", "answers_real.csv", content)
    ok, message, _ = cd.act(ids.DATA_PUBLISH, lambda: checked, "guess", state.generation())
    assert not ok and "Nothing was changed" in message  # no token configured: web publishing is off
    monkeypatch.setenv("MIPEXR_ADMIN_TOKEN", "s3cret-token-for-tests")
    ok, message, _ = cd.act(ids.DATA_PUBLISH, lambda: checked, "wrong", state.generation())
    assert not ok and datasets.published().version_id is None
    ok, message, _ = cd.act(ids.DATA_PUBLISH, lambda: checked, "s3cret-token-for-tests", state.generation())
    assert ok, message
    state.refresh()
    assert _pt20_strategy(state.current()) == new_value  # every request now sees it
    # a page opened before this publication cannot overwrite it unknowingly
    ok, message, _ = cd.act(ids.DATA_RESET, None, "s3cret-token-for-tests", 0)
    assert not ok and "meanwhile" in message
    ok, message, _ = cd.act(ids.DATA_ROLLBACK, None, "s3cret-token-for-tests", state.generation())
    assert ok and "app's own data" in message
    state.refresh()
    assert _pt20_strategy(state.current()) == _pt20_strategy(dataset)


def test_published_tables_are_checked_with_a_preview(dataset, store):
    wide = dataset.wide_scores.round(1)
    table = pd.DataFrame({"Region": [dataset.region_name(r) for r in wide.index],
                          "Overall score": wide["overall"], "Labour market": wide["area:labour_market"]})
    table.loc[table["Region"] == "Lisbon", "Region"] = "PT1A"
    content = ("MIPEX-R results (title row)\n" + table.to_csv(index=False)).encode()
    checked = cd.check_upload(dataset, {"kind": "tables"}, [_data_url(content)], ["mipexr.csv"], [], [], [],
                              edition=2021, source="test tables")
    assert checked.ok, checked.lines
    assert "Everything was recognised." in checked.lines and any("2021" in line for line in checked.lines)
    ok, message, ws_id = cd.act(ids.DATA_KEEP_PRIVATE, lambda: checked, None, None)
    assert ok and ws_id
    loaded = state.workspace(ws_id)
    assert loaded.scores_published and not loaded.scores_illustrative
    assert loaded.wide_scores.at["PT20", "overall"] == pytest.approx(wide.at["PT20", "overall"])
    # Lisbon given by its NUTS 2024 code PT1A is matched to PT17
    assert loaded.wide_scores.at["PT17", "area:labour_market"] == pytest.approx(wide.at["PT17", "area:labour_market"])


def test_oversize_and_malformed_uploads_are_refused(dataset, store):
    big = "data:text/csv;base64," + "A" * (4 * (data.MAX_FILE_BYTES // 3) + 100)
    with pytest.raises(UserError, match="limit is 20 MB"):
        dv.decode_upload(big, "huge.csv")
    with pytest.raises(UserError, match="did not contain a file"):
        dv.decode_upload("not a data url", "a.csv")
    with pytest.raises(UserError, match="the file is empty"):
        dv.decode_upload("data:text/csv;base64,", "empty.csv")
    with pytest.raises(UserError, match="unsupported file type"):
        _resource(dataset, "answers", "answers.txt", b"a")
    with pytest.raises(UserError, match="Choose a file first"):
        cd.check_upload(dataset, None, None, None, None, None, None)


def test_unknown_region_in_answers_is_named(dataset, store):
    text = _answers_text().replace("AT13,", "ZZ99,", 1)
    with pytest.raises(UserError) as info:
        _resource(dataset, "answers", "answers.csv", text.encode())
    assert "ZZ99" in str(info.value) and "row 2" in str(info.value)


def test_raw_files_cover_every_resource_and_the_descriptor(dataset):
    files = dv.raw_files(dataset)
    assert set(files) >= {"regions", "framework", "answers", "outcomes", "datapackage"}
    name, raw = dv.raw_file(dataset, "framework")  # illustrative: the name carries the mark, the bytes are as stored
    assert name == "framework-ILLUSTRATIVE.csv" and raw == (config.EMBEDDED_DATA_DIR / "framework.csv").read_bytes()
    assert dv.raw_file(dataset, "regions")[0] == "regions.csv"  # reference data, not illustrative
    with pytest.raises(KeyError):
        dv.raw_file(dataset, "nothing")


def test_expected_columns_come_from_the_schema(dataset):
    cols = dv.expected_columns(dataset)
    assert cols["answers"][:3] == ["region_id", "indicator_id", "value"]
    assert cols["scores"][:3] == ["region_id", "dimension", "score"]


def test_summary_and_notice_say_illustrative(dataset, store):
    text = str(cd.dataset_summary(dataset))
    assert "ILLUSTRATIVE" in text and dataset.title in text and "app's data folder" in text
    children, class_name = cd._notice_props(dataset)
    assert class_name == "mx-notice" and "Illustrative data" in str(children)
