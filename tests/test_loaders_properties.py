"""Property-based tests of the loaders (Hypothesis, bounded in examples and time): whatever bytes arrive, a
loader answers with the data or with a UserError naming the file — never another exception, never a silent
empty result."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import config, data, importing
from dashboard.errors import UserError

BOUNDED = settings(max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])

cells = st.one_of(st.text(max_size=12), st.sampled_from(["", "PT20", "Azores", "overall", "56", "150", "-1", "nan",
                                                         "=1+1", "Labour market", "PT1A", ";", "\t"]))
rows = st.lists(st.lists(cells, min_size=1, max_size=6), min_size=0, max_size=8)
delimiters = st.sampled_from([",", ";", "\t", "|"])


def _csv(table: list[list[str]], sep: str) -> bytes:
    return "\n".join(sep.join(row) for row in table).encode("utf-8", "surrogatepass")


@BOUNDED
@given(table=rows, sep=delimiters)
def test_published_table_reader_never_raises_anything_else(dataset, table, sep):
    try:
        content = _csv(table, sep)
    except UnicodeEncodeError:
        return
    try:
        preview = importing.preview_import([("table.csv", content)], dataset, edition=2021)
    except UserError as exc:
        assert "table.csv" in str(exc)
        return
    assert preview.ok or preview.error() is not None, "a refusal always says why"
    assert preview.lines()  # the preview can always be shown


@BOUNDED
@given(payload=st.binary(max_size=400))
def test_arbitrary_bytes_as_a_table_end_in_a_user_error_or_a_preview(dataset, payload):
    try:
        preview = importing.preview_import([("odd.csv", payload)], dataset)
    except UserError as exc:
        assert "odd.csv" in str(exc)
        return
    assert preview.lines()


@pytest.fixture(scope="module")
def package_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pkg") / "data"
    shutil.copytree(config.EMBEDDED_DATA_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return folder


@settings(max_examples=40, deadline=5000, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(table=rows, sep=delimiters)
def test_a_package_with_any_answers_file_loads_or_names_the_file(package_dir, table, sep):
    original = (package_dir / "answers.csv").read_bytes()
    try:
        content = _csv([["region_id", "indicator_id", "value"], *table], sep)
    except UnicodeEncodeError:
        return
    (package_dir / "answers.csv").write_bytes(content)
    try:
        try:
            data.load_dataset(package_dir)
        except UserError as exc:
            assert "answers.csv" in str(exc) or "datapackage.json" in str(exc)
    finally:
        (package_dir / "answers.csv").write_bytes(original)
