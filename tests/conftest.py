"""Shared test set-up: every test gets its own writable var folder (Integration Lab DB, imports)."""

from __future__ import annotations

import pytest

#: Real servers on loopback shared by every test package: PostgreSQL (``pg_server``), Redis (``redis_server``).
pytest_plugins = ("pg_server", "redis_server")


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


@pytest.fixture(scope="session")
def wide(dataset):
    """region_id × dimension scores of the embedded dataset."""
    return dataset.wide_scores


@pytest.fixture(scope="session")
def names(dataset):
    """region_id → English name."""
    return dict(zip(dataset.regions["region_id"], dataset.regions["name_en"]))


@pytest.fixture(scope="session")
def warm_browser():
    """The process-wide export browser (kaleido on Chromium), started once for every test that needs it."""
    from dashboard.export.browser import browser_problem, get_browser

    problem = browser_problem()
    if problem:
        pytest.skip(f"needs Chromium for server-side rendering: {problem}")
    browser = get_browser()
    browser.start()
    return browser
