"""The embedded illustrative dataset keeps the published facts and is reproducible."""

import filecmp

import pytest

from dashboard import scoring

PUBLISHED_OVERALL_AZORES = 56


def test_azores_overall_is_exactly_56(dataset):
    assert dataset.wide_scores.loc["PT20", "overall"] == pytest.approx(PUBLISHED_OVERALL_AZORES, abs=1e-9)


def test_lisbon_above_azores_both_advanced(dataset):
    w = dataset.wide_scores
    assert w.loc["PT17", "overall"] > w.loc["PT20", "overall"]
    assert scoring.group_of(w.loc["PT17", "overall"]) == "advanced"
    assert scoring.group_of(w.loc["PT20", "overall"]) == "advanced"


def test_group_counts_12_4_9(dataset):
    counts = dataset.wide_scores["overall"].map(scoring.group_of).value_counts().to_dict()
    assert counts == {"advanced": 12, "intermediate": 4, "lagging": 9}


def test_evaluation_weaker_than_formulation_on_average(dataset):
    w = dataset.wide_scores
    assert w["phase:evaluation"].mean() < w["phase:formulation"].mean()


def test_shape_and_flags(dataset):
    assert len(dataset.regions) == 25
    assert len(dataset.framework) == 61
    assert len(dataset.answers) == 25 * 61
    assert dataset.illustrative is True
    assert dataset.answers["value"].dropna().between(0, 100).all()
    # the published example question is the one non-illustrative item
    published = dataset.framework[~dataset.framework["illustrative"]]
    assert len(published) == 1 and "integration-related competences" in published["question"].iloc[0]
    # every region has every dimension scored
    assert not dataset.wide_scores.isna().any().any()
    proxies = dataset.outcomes[dataset.outcomes["proxy"]]
    assert set(proxies["region_id"]) == {"SE224", "SE232"}
    assert set(proxies["nuts_used"]) == {"SE22", "SE23"}


def test_generator_is_reproducible(tmp_path):
    import importlib.util

    from dashboard import config

    spec = importlib.util.spec_from_file_location("gen", config.EMBEDDED_DATA_DIR / "generate_illustrative.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    paths = gen.generate(tmp_path)
    if gen._load_level3_types() is None:  # without boundary files the urban-rural typology cannot be derived
        paths.pop("outcomes")
    for name, path in paths.items():
        assert filecmp.cmp(path, config.EMBEDDED_DATA_DIR / path.name, shallow=False), f"{name} differs"
