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


#: The source the two-edition fixture gives its published scores.
TWO_EDITIONS_SOURCE = "Test tables of the MIPEX-R results"


def two_edition_scores(dataset):
    """Long ``region_id,dimension,score,edition``: the embedded scores as edition 2021 and, as edition 2024,
    the same scores moved by a fixed pattern (−3 … +3 points, clipped to 0–100; ES51 overall +12)."""
    import numpy as np
    import pandas as pd

    old = dataset.scores[["region_id", "dimension", "score"]].dropna().round(1).reset_index(drop=True)
    step = (np.arange(len(old)) % 7) - 3
    new = old.assign(score=(old["score"] + step).clip(0, 100).round(1))
    new.loc[(new["region_id"] == "ES51") & (new["dimension"] == "overall"), "score"] = min(
        100.0, float(old.loc[(old["region_id"] == "ES51") & (old["dimension"] == "overall"), "score"].iloc[0]) + 12)
    return pd.concat([old.assign(edition=2021), new.assign(edition=2024)], ignore_index=True)


def make_two_editions(dataset, folder, scores_illustrative: bool = False):
    """A copy of the embedded package plus a published ``scores`` resource with editions 2021 and 2024
    (:func:`two_edition_scores`): published scores (``scores_illustrative`` False) beside the embedded
    illustrative answers, questionnaire texts and context statistics. Returns the loaded dataset."""
    import json
    import shutil

    from dashboard import config, data

    folder.mkdir(parents=True, exist_ok=True)
    for path in config.EMBEDDED_DATA_DIR.iterdir():
        if path.suffix in (".csv", ".json"):
            shutil.copy2(path, folder / path.name)
    two_edition_scores(dataset).to_csv(folder / "scores.csv", index=False)
    desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    desc["resources"].append({"name": "scores", "path": "scores.csv", "illustrative": scores_illustrative,
                              "sources": [{"title": TWO_EDITIONS_SOURCE}]})
    (folder / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    return data.load_dataset(folder)


@pytest.fixture(scope="session")
def two_editions(dataset, tmp_path_factory):
    """Published scores in two editions (2021, 2024) with the embedded illustrative context statistics."""
    return make_two_editions(dataset, tmp_path_factory.mktemp("two-editions"))
