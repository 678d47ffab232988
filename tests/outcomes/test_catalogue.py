"""The open outcome model: the catalogue validates, values join to it, and a new indicator needs no code."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from dashboard import config, data
from dashboard.errors import InputError
from dashboard.outcomes import catalogue


def _copy_package(tmp_path):
    pkg = tmp_path / "pkg"
    shutil.copytree(config.EMBEDDED_DATA_DIR, pkg, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return pkg


def test_catalogue_validates_and_covers_the_families(dataset):
    cat = dataset.outcome_indicators
    assert cat["id"].is_unique
    assert set(cat["family"]) == set(catalogue.FAMILIES)
    regional = cat[(cat["nuts_level"] >= 2) & cat["eurostat_table"].notna()]
    assert len(regional) >= 25, "at least 25 indicators Eurostat publishes at NUTS 2 or finer"
    for rec in cat.to_dict("records"):
        if rec["eurostat_table"]:
            filters = catalogue.parse_filters(rec["eurostat_filters"])
            assert filters, rec["id"]
        if rec["compare_with"]:
            assert rec["compare_with"] in set(cat["id"])
            assert catalogue.catalogue_row(cat, rec["compare_with"])["population"] == "nationals"
    # every rate by citizenship names its population; national-only statistics say so
    assert set(cat.loc[cat["nuts_level"] == 0, "family"]) <= {"social_inclusion", "active_citizenship"}
    assert {"nationals", "non_eu_citizens", "all"} <= set(cat["population"])


def test_values_carry_the_catalogue_columns(dataset):
    row = dataset.outcomes[(dataset.outcomes["region_id"] == "PT20")
                           & (dataset.outcomes["indicator"] == "unemployment_non_eu")].iloc[0]
    assert row["label"] == "Unemployment rate, non-EU citizens"
    assert row["unit"] == "% of labour force" and row["eurostat_table"] == "lfst_r_lfur2gan"
    assert row["family"] == "employment" and row["direction"] == "higher_worse"
    assert row["illustrative"] and not row["national"]
    assert set(dataset.outcomes["indicator"]) <= set(dataset.outcome_indicators["id"])


def test_parse_filters():
    assert catalogue.parse_filters("citizen=NAT; sex=T;;age=Y20-64") == {"citizen": "NAT", "sex": "T", "age": "Y20-64"}
    assert catalogue.parse_filters("") == {}
    with pytest.raises(ValueError, match="not dimension=code"):
        catalogue.parse_filters("citizen")


def test_an_added_indicator_loads_without_code_changes(tmp_path, dataset):
    pkg = _copy_package(tmp_path)
    with open(pkg / "outcome_indicators.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow([
            "overcrowding_non_eu", "Overcrowding rate, non-EU citizens", "social_inclusion", "% of population",
            "higher_worse", "ilc_lvho15", "citizen=NEU27_2020_FOR;age=Y_GE18;sex=T;unit=PC", "0",
            "non_eu_citizens", "total", "18 and over", "population_weighted_mean", "", "added in a test"])
    with open(pkg / "outcomes.csv", "a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        for rid in dataset.regions["region_id"]:
            writer.writerow([rid, "overcrowding_non_eu", "2022", "31.5", rid[:2], "True", "True", "test", "",
                             "test value", "True"])
    loaded = data.load_dataset(pkg)
    assert len(loaded.outcome_indicators) == len(dataset.outcome_indicators) + 1
    added = loaded.outcomes[loaded.outcomes["indicator"] == "overcrowding_non_eu"]
    assert len(added) == 25 and set(added["label"]) == {"Overcrowding rate, non-EU citizens"}
    assert added["national"].all() and added["value"].eq(31.5).all()


def test_a_value_for_an_uncatalogued_indicator_is_refused(tmp_path):
    pkg = _copy_package(tmp_path)
    with open(pkg / "outcomes.csv", "a", encoding="utf-8") as fh:
        fh.write("PT20,made_up_statistic,2021,1,PT20,False,False,test,,test,True\n")
    with pytest.raises(InputError) as err:
        data.load_dataset(pkg)
    assert "outcomes.csv" in str(err.value) and "made_up_statistic" in str(err.value)


def test_a_bad_catalogue_row_names_file_row_and_column(tmp_path):
    pkg = _copy_package(tmp_path)
    text = (pkg / "outcome_indicators.csv").read_text(encoding="utf-8").replace(
        ",employment,% of age group,higher_better,lfst_r_lfe2emprtn,citizen=TOTAL", ",jobs,% of age group,"
        "higher_better,lfst_r_lfe2emprtn,citizen=TOTAL", 1)
    (pkg / "outcome_indicators.csv").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        data.load_dataset(pkg)
    assert "outcome_indicators.csv, row 2, column 'family'" in str(err.value)


def test_a_package_without_catalogue_uses_the_embedded_one(tmp_path):
    """Packages made before the catalogue (outcomes with their own label/unit columns) still load."""
    pkg = _copy_package(tmp_path)
    desc = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    desc["resources"] = [r for r in desc["resources"] if r["name"] != "outcome_indicators"]
    outcomes = next(r for r in desc["resources"] if r["name"] == "outcomes")
    outcomes["schema"]["foreignKeys"] = outcomes["schema"]["foreignKeys"][:1]
    (pkg / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    (pkg / "outcome_indicators.csv").unlink()
    loaded = data.load_dataset(pkg)
    assert loaded.outcomes["label"].notna().all()
    assert len(loaded.outcome_indicators) == len(catalogue.embedded_catalogue())
