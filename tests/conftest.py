"""Shared test set-up: every test gets its own writable var folder (Integration Lab DB, imports)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_var_dir(tmp_path_factory, monkeypatch):
    var = tmp_path_factory.mktemp("var")
    monkeypatch.setenv("MIPEXR_VAR_DIR", str(var))
    monkeypatch.delenv("MIPEXR_DB_URL", raising=False)
    yield var


@pytest.fixture(scope="session")
def dataset():
    """The embedded (illustrative) dataset, loaded and validated once."""
    from dashboard import data

    return data.load_dataset()
