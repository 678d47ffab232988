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


def test_azores_keeps_the_published_shape(dataset):
    """The published Azores profile: well-developed inclusion of actors, limited resources, weak evaluation,
    policies aimed at TCN (REGIN slide "Results - Website prototype"; domain.md)."""
    w = dataset.wide_scores
    az, avg = w.loc["PT20"], w.mean()
    actors = az["element:actors_relations"]
    assert actors > az["overall"] and actors > avg["element:actors_relations"]
    assert az["element:resources"] < az["overall"] and az["element:resources"] < avg["element:resources"]
    phases = ["phase:formulation", "phase:policy_output", "phase:implementation", "phase:evaluation"]
    assert az[phases].idxmin() == "phase:evaluation" and az["phase:evaluation"] < avg["phase:evaluation"]
    assert az["target:TCN"] > az["target:BIP"]


def test_no_built_in_pattern_across_regions():
    """The generator builds in no general 'finding' (e.g. evaluation weaker everywhere): only the Azores get
    effects of their own; everyone else's effects are drawn around zero."""
    import importlib.util

    from dashboard import config

    spec = importlib.util.spec_from_file_location("gen", config.EMBEDDED_DATA_DIR / "generate_illustrative.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert not hasattr(gen, "PHASE_EFFECT")
    assert set(gen.AZORES_SHAPE) == {"element", "phase", "target"}
    assert "comparative report found" not in (gen.__doc__ or "")


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
    # regional statistics: only the NUTS-3 regions use a (NUTS-2) proxy; national-only ones use the country
    outcomes = dataset.outcomes
    proxies = outcomes[outcomes["proxy"] & ~outcomes["national"]]
    assert set(proxies["region_id"]) == {"SE224", "SE232"}
    assert set(proxies["nuts_used"]) == {"SE22", "SE23"}
    national = outcomes[outcomes["national"]]
    assert national["proxy"].all() and (national["nuts_used"] == national["region_id"].str[:2]).all()
    assert set(national["indicator"]) == set(
        dataset.outcome_indicators.loc[dataset.outcome_indicators["nuts_level"] == 0, "id"])


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
