"""Generate the embedded ILLUSTRATIVE MIPEX-R dataset (framework, answers, outcomes).

The real per-region MIPEX-R score tables are not available offline. This generator makes a
plausible stand-in, reproducibly (fixed seed), that keeps every published fact we have
(see ``../shared/reference/domain.md``):

* Azores (PT20) overall score exactly 56 (under the project's default scoring rule);
* Lisbon (PT17) and Azores both "advanced", Lisbon higher;
* 12 regions advanced, 4 intermediate, 9 lagging, with the thresholds of
  :data:`dashboard.scoring.GROUP_THRESHOLDS` (advanced ≥ 55, intermediate 45–55, lagging < 45);
* on average, evaluation is weaker than formulation (as the comparative report found).

Everything else is invented: which region falls in which group (apart from Azores and Lisbon)
is drawn at random from the seed, and so are all other scores. Nothing here is a finding.

How the answers are drawn, per region:

1. a target overall score inside the region's group band (bands keep ≥ 2 points from a threshold);
2. region effects: phase (formulation +8, policy output +3, implementation 0, evaluation −14, each ± noise),
   governance element (resources −3, ± noise), policy area (± 10), BIP items −3;
3. a latent value per indicator = target + effects + noise (sd 18) + a region shift found by bisection so
   that the overall score meets the target; three-option items map latent < 33 → 0, < 67 → 50, else 100;
   percentage items take the latent clipped to 0–100 and rounded;
4. about 2 % of three-option items are left unanswered (never a whole dimension);
5. Azores: one percentage item is then solved so that the overall score is exactly 56.

Outcome statistics (``outcomes.csv``) are illustrative draws in plausible ranges around rough
magnitudes, except the urban–rural typology, which is derived from GISCO's NUTS-3 ``URBN_TYPE``
when the boundary files are found (most common type among the region's NUTS-3 units).

Run: ``python data/generate_illustrative.py [--out DIR]`` (default: this folder). Output is
byte-identical for the same seed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from dashboard import scoring  # noqa: E402

SEED = 20211201  # MIPEX-R launch month
AZORES, LISBON = "PT20", "PT17"
AZORES_OVERALL = 56
GROUP_COUNTS = {"advanced": 12, "intermediate": 4, "lagging": 9}
BANDS = {"advanced": (57.0, 74.0), "intermediate": (47.0, 53.0), "lagging": (28.0, 43.0)}

THREE_OPTIONS = "YES systematically/regularly=100|YES occasionally/ad hoc=50|NO=0"
PERCENT_OPTIONS = "share in percent, 0-100"

# (area, phrase used in questions, examples)
AREA_TEXT = {
    "antidiscrimination": ("anti-discrimination and equal treatment", "an equality body or a reporting point for discrimination complaints"),
    "culture_religion": ("intercultural dialogue and freedom of religion", "intercultural events or an inter-faith dialogue forum"),
    "education": ("the education of migrant children and adults", "reception classes or mother-tongue support"),
    "health": ("migrants' access to health care", "health mediators or interpreting in health services"),
    "housing": ("migrants' access to housing", "housing counselling or action against discrimination in renting"),
    "labour_market": ("migrants' labour-market integration", "recognition of qualifications or job-search counselling"),
    "language": ("language learning for migrants", "free courses in the regional language(s)"),
    "social_security": ("migrants' access to social security and assistance", "information on entitlements or minimum-income support"),
}

# Per-area item templates: (suffix, element, phase, target rule, scale, question template)
# target rule: "both", or "alt" (TCN for even area index, BIP for odd) or "alt2" (the opposite).
AREA_ITEMS = [
    ("strategy", "actions", "formulation", "both", "three_option",
     "Has the region adopted a strategy or plan with objectives for {phrase}?"),
    ("measures", "actions", "policy_output", "alt", "three_option",
     "Does the region fund or provide specific measures for {phrase} (e.g. {examples})?"),
    ("civil_society", "actors_relations", "implementation", "both", "three_option",
     "Does the region involve migrant organisations and civil society in delivering measures for {phrase}?"),
    ("languages_share", "resources", "implementation", "both", "percent",
     "What share of the region's services for {phrase} offer information and support in the main languages spoken by migrants (0–100 %)?"),
    ("consultation", "actors_relations", "formulation", "both", "three_option",
     "Does the region consult migrants or their representatives when designing policies for {phrase}?"),
    ("evaluation", "actions", "evaluation", "both", "three_option",
     "Does the region monitor and evaluate the results of its measures for {phrase} and publish the findings?"),
    ("data", "resources", "policy_output", "alt2", "three_option",
     "Does the region collect data on {phrase}, broken down by nationality or residence status?"),
]

PUBLISHED_EXAMPLE = (
    "Does the region actively promote the integration-related competences of its officials and staff, in "
    "administration and public services (e.g. funding/providing internal and external training courses/seminars)?"
)
GENERAL_ITEMS = [
    ("staff_competences", "resources", "implementation", "both", PUBLISHED_EXAMPLE, False),
    ("strategy", "actions", "formulation", "both",
     "Has the region adopted a comprehensive integration strategy that covers all policy areas?", True),
    ("coordination_body", "actors_relations", "implementation", "both",
     "Is there a regional body that coordinates integration policy across departments and with municipalities?", True),
    ("multilevel", "actors_relations", "policy_output", "both",
     "Does the region take part in a regular coordination mechanism with the national government on integration?", True),
    ("external_evaluation", "resources", "evaluation", "BIP",
     "Does the region have its integration measures for beneficiaries of international protection evaluated by independent evaluators?", True),
]

PHASE_EFFECT = {"formulation": 8.0, "policy_output": 3.0, "implementation": 0.0, "evaluation": -14.0}

# Rough magnitudes (population in thousands, non-EU citizens share %, unemployment %) for plausible draws.
MAGNITUDE = {
    "AT13": (1930, 17), "AT34": (400, 9), "AT33": (760, 7), "BE2": (6700, 5), "BE3": (3650, 4),
    "DE80": (1610, 4), "DE2": (13200, 9), "DE30": (3680, 13), "ITF3": (5600, 4), "ITH5": (4430, 10),
    "ITH4": (1190, 7), "ITF4": (3900, 3), "ITH3": (4850, 8), "ITH2": (540, 7), "ITH1": (535, 7),
    "PT20": (237, 2), "PT17": (2870, 8), "ES51": (7750, 12), "ES62": (1520, 12), "ES22": (660, 8),
    "ES21": (2210, 7), "ES52": (5050, 10), "ES64": (85, 13), "SE224": (1390, 9), "SE232": (1740, 7),
}
BASE_UNEMPLOYMENT = {"AT": 5, "BE": 6, "DE": 3.5, "IT": 9, "PT": 7, "ES": 13, "SE": 8}

OUTCOME_SPECS = [
    # indicator, label, unit, eurostat table it would come from
    ("population", "Total population", "persons", "demo_r_d2jan"),
    ("non_eu_citizens", "Non-EU citizens", "persons", "lfst_r_lfsd2pwn"),
    ("unemployment_total", "Unemployment rate, whole population", "% of labour force", "lfst_r_lfu3rt"),
    ("unemployment_non_eu", "Unemployment rate, non-EU citizens", "% of labour force", "lfst_r_lfur2gac"),
    ("unemployment_non_eu_female", "Unemployment rate, female non-EU citizens", "% of labour force", "lfst_r_lfur2gac"),
    ("neet_nationals", "NEET rate (15–29), nationals", "% of age group", "edat_lfse_38"),
    ("neet_non_eu", "NEET rate (15–29), non-EU citizens", "% of age group", "edat_lfse_38"),
    ("neet_non_eu_female", "NEET rate (15–29), female non-EU citizens", "% of age group", "edat_lfse_38"),
    ("arope", "People at risk of poverty or social exclusion", "% of population", "ilc_peps11n"),
    ("urban_rural_type", "Urban–rural typology", "1 = predominantly urban, 2 = intermediate, 3 = predominantly rural", "GISCO NUTS 3 URBN_TYPE"),
]


def build_framework() -> pd.DataFrame:
    rows = []
    for i, (area, (phrase, examples)) in enumerate(AREA_TEXT.items()):
        for suffix, element, phase, target_rule, scale, template in AREA_ITEMS:
            if target_rule == "alt":
                target = "TCN" if i % 2 == 0 else "BIP"
            elif target_rule == "alt2":
                target = "BIP" if i % 2 == 0 else "TCN"
            else:
                target = target_rule
            rows.append({
                "indicator_id": f"{area}.{suffix}",
                "question": template.format(phrase=phrase, examples=examples),
                "element": element, "phase": phase, "target": target, "area": area,
                "scale": scale, "options": THREE_OPTIONS if scale == "three_option" else PERCENT_OPTIONS,
                "illustrative": True,
            })
    for suffix, element, phase, target, question, illustrative in GENERAL_ITEMS:
        rows.append({
            "indicator_id": f"general.{suffix}", "question": question, "element": element, "phase": phase,
            "target": target, "area": "general", "scale": "three_option", "options": THREE_OPTIONS,
            "illustrative": illustrative,
        })
    return pd.DataFrame(rows)


def assign_groups(region_ids: list[str], rng: np.random.Generator) -> dict[str, str]:
    others = [r for r in region_ids if r not in (AZORES, LISBON)]
    order = list(rng.permutation(others))
    counts = dict(GROUP_COUNTS)
    counts["advanced"] -= 2
    groups = {AZORES: "advanced", LISBON: "advanced"}
    for name in ("advanced", "intermediate", "lagging"):
        for _ in range(counts[name]):
            groups[order.pop(0)] = name
    return groups


def _overall(values: np.ndarray, framework: pd.DataFrame) -> float:
    """The default rule's overall score (mean of area means), in numpy for the bisection's speed."""
    areas = framework["area"].to_numpy()
    means = [np.nanmean(values[areas == a]) for a in scoring.AREAS if not np.all(np.isnan(values[areas == a]))]
    return float(np.mean(means))


def draw_region(region_id: str, target: float, framework: pd.DataFrame, rng: np.random.Generator,
                allow_missing: bool) -> np.ndarray:
    phase_eff = {p: e + rng.normal(0, 4) for p, e in PHASE_EFFECT.items()}
    elem_eff = {e: rng.normal(-3 if e == "resources" else 0, 5) for e in scoring.ELEMENTS}
    area_eff = {a: rng.normal(0, 10) for a in scoring.AREA_VALUES}
    noise = rng.normal(0, 18, len(framework))
    base = np.array([
        target + phase_eff[r.phase] + elem_eff[r.element] + area_eff[r.area] + (-3 if r.target == "BIP" else 0)
        for r in framework.itertuples()
    ]) + noise
    is_pct = (framework["scale"] == "percent").to_numpy()
    missing = np.zeros(len(framework), dtype=bool)
    if allow_missing:
        missing = (rng.random(len(framework)) < 0.02) & ~is_pct

    def values_for(shift: float) -> np.ndarray:
        latent = base + shift
        vals = np.where(latent < 33, 0.0, np.where(latent < 67, 50.0, 100.0))
        vals = np.where(is_pct, np.clip(np.round(latent), 0, 100), vals)
        return np.where(missing, np.nan, vals)

    lo, hi = -80.0, 80.0
    for _ in range(40):
        mid = (lo + hi) / 2
        if _overall(values_for(mid), framework) < target:
            lo = mid
        else:
            hi = mid
    return values_for((lo + hi) / 2)


def solve_azores(values: np.ndarray, framework: pd.DataFrame) -> np.ndarray:
    """Set one percentage item so that the overall (mean of 8 area means) is exactly AZORES_OVERALL."""
    n_areas = len(scoring.AREAS)
    for idx in np.flatnonzero((framework["scale"] == "percent").to_numpy()):
        area = framework.loc[idx, "area"]
        in_area = (framework["area"] == area).to_numpy()
        other_area_means = sum(
            np.nanmean(values[(framework["area"] == a).to_numpy()]) for a in scoring.AREAS if a != area
        )
        others_in_area = np.nansum(values[in_area]) - values[idx]
        n_in_area = int(np.sum(~np.isnan(values[in_area])))
        needed = n_in_area * (AZORES_OVERALL * n_areas - other_area_means) - others_in_area
        needed = round(needed)  # an integer when every area has 7 answered items
        if 0 <= needed <= 100:
            out = values.copy()
            out[idx] = needed
            if abs(_overall(out, framework) - AZORES_OVERALL) < 1e-9:
                return out
    raise RuntimeError("could not solve the Azores item; change the seed")


def generate_answers(regions: pd.DataFrame, framework: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    ids = list(regions["region_id"])
    groups = assign_groups(ids, rng)
    rows = []
    overall = {}
    for rid in ids:
        group = groups[rid]
        for _attempt in range(50):
            if rid == AZORES:
                target = AZORES_OVERALL
            elif rid == LISBON:
                target = float(rng.uniform(60, BANDS["advanced"][1]))
            else:
                target = float(rng.uniform(*BANDS[group]))
            values = draw_region(rid, target, framework, rng, allow_missing=rid != AZORES)
            if rid == AZORES:
                values = solve_azores(values, framework)
            score = _overall(values, framework)
            if scoring.group_of(score) == group and (rid == AZORES or abs(score - target) < 2):
                break
        else:
            raise RuntimeError(f"could not draw {rid} in group {group}")
        overall[rid] = score
        rows.append(pd.DataFrame({"region_id": rid, "indicator_id": framework["indicator_id"], "value": values}))
    assert overall[LISBON] > overall[AZORES]
    return pd.concat(rows, ignore_index=True)


def _urban_rural(region_id: str, nuts_level: int, level3: dict[str, int] | None) -> tuple[float | None, bool]:
    if not level3:
        return None, True
    types = [t for code, t in level3.items() if code.startswith(region_id) and t]
    if not types:
        return None, True
    return float(Counter(types).most_common(1)[0][0]), False


def _load_level3_types() -> dict[str, int] | None:
    try:
        from dashboard import geo

        path = geo.resolve_geo_dir() / "gisco_nuts_2021_60M_4326_level3.geojson"
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    except Exception:  # the typology then stays illustrative-missing
        return None
    return {f["properties"]["NUTS_ID"]: f["properties"].get("URBN_TYPE") for f in features}


def generate_outcomes(regions: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    level3 = _load_level3_types()
    rows = []
    for r in regions.itertuples():
        pop_k, non_eu_pct = MAGNITUDE[r.region_id]
        population = round(pop_k * 1000 * rng.uniform(0.97, 1.03), -3)
        non_eu = round(population * non_eu_pct / 100 * rng.uniform(0.85, 1.15), -2)
        u_total = round(BASE_UNEMPLOYMENT[r.country] * rng.uniform(0.7, 1.4), 1)
        u_non_eu = round(u_total * rng.uniform(1.6, 2.8), 1)
        u_non_eu_f = round(u_non_eu * rng.uniform(1.0, 1.35), 1)
        neet_nat = round(rng.uniform(7, 16), 1)
        neet_non_eu = round(neet_nat * rng.uniform(1.4, 2.4), 1)
        neet_non_eu_f = round(neet_non_eu * rng.uniform(1.1, 1.5), 1)
        arope = round(rng.uniform(12, 30), 1)
        urban, urban_missing = _urban_rural(r.region_id, r.nuts_level, level3)
        values = [population, non_eu, u_total, u_non_eu, u_non_eu_f, neet_nat, neet_non_eu, neet_non_eu_f, arope, urban]
        # Eurostat LFS and SILC tables stop at NUTS 2: NUTS-3 regions use their NUTS-2 parent as a flagged proxy.
        nuts_used = r.region_id[:4] if r.nuts_level == 3 else r.region_id
        for (indicator, label, unit, table), value in zip(OUTCOME_SPECS, values):
            is_typology = indicator == "urban_rural_type"
            proxy = (nuts_used != r.region_id) and indicator not in ("population", "urban_rural_type")
            if is_typology:
                provenance = ("derived: most common GISCO NUTS 2021 (1:60M) URBN_TYPE among the region's NUTS-3 units"
                              if not urban_missing else "not available")
            else:
                provenance = "illustrative: drawn by data/generate_illustrative.py, not a Eurostat value"
            rows.append({
                "region_id": r.region_id, "indicator": indicator, "label": label, "value": value, "unit": unit,
                "year": 2021 if indicator != "urban_rural_type" else 2021,
                "eurostat_table": table,
                "nuts_used": r.region_id if (indicator == "population" or is_typology) else nuts_used,
                "proxy": bool(proxy), "provenance": provenance,
                "illustrative": not (is_typology and not urban_missing),
            })
    return pd.DataFrame(rows)


def generate(out_dir: Path = HERE, seed: int = SEED) -> dict[str, Path]:
    rng = np.random.default_rng(seed)
    regions = pd.read_csv(HERE / "regions.csv", dtype={"region_id": str})
    framework = build_framework()
    answers = generate_answers(regions, framework, rng)
    outcomes = generate_outcomes(regions, rng)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "framework": out_dir / "framework.csv",
        "answers": out_dir / "answers.csv",
        "outcomes": out_dir / "outcomes.csv",
    }
    framework.to_csv(paths["framework"], index=False, lineterminator="\n")
    answers.to_csv(paths["answers"], index=False, lineterminator="\n", float_format="%.10g")
    outcomes.to_csv(paths["outcomes"], index=False, lineterminator="\n", float_format="%.10g")
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: data/)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    for name, path in generate(args.out, args.seed).items():
        print(f"wrote {name}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
