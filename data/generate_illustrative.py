"""Generate the embedded ILLUSTRATIVE MIPEX-R dataset (framework, answers, outcomes).

The real per-region MIPEX-R score tables are not available offline. This generator makes a
plausible stand-in, reproducibly (fixed seed), that keeps every published fact we have
(see ``../shared/reference/domain.md``):

* Azores (PT20) overall score exactly 56 (under the project's default scoring rule);
* Lisbon (PT17) and Azores both "advanced", Lisbon higher;
* 12 regions advanced, 4 intermediate, 9 lagging, with the thresholds of
  :data:`dashboard.scoring.GROUP_THRESHOLDS` (advanced ≥ 55, intermediate 45–55, lagging < 45);
* the shape of the published Azores profile (the REGIN slide "Results – Website prototype"): "rather
  well-developed mechanisms for the inclusion of different actors" (Azores' actors & relations score above
  its own overall score and above the average of all regions), "limited financial resources" (resources
  below its overall score and below the average) and "could greatly benefit from improvements … in
  particular in the evaluation" (evaluation its lowest phase, below the average); its policies are
  "directed to the small-sized TCN population" (TCN above BIP).

Everything else is invented: which region falls in which group (apart from Azores and Lisbon)
is drawn at random from the seed, and so are all other scores. No other pattern is built in: every
other region's effects per phase, element, area and target are drawn around zero, so nothing here is
a finding about regions in general.

How the answers are drawn, per region:

1. a target overall score inside the region's group band (bands keep ≥ 2 points from a threshold);
2. region effects drawn around zero: phase (± 4), governance element (± 5), policy area (± 10); the Azores
   add the shape above (:data:`AZORES_SHAPE`);
3. a latent value per indicator = target + effects + noise (sd 18) + a region shift found by bisection so
   that the overall score meets the target; three-option items map latent < 33 → 0, < 67 → 50, else 100;
   percentage items take the latent clipped to 0–100 and rounded;
4. about 2 % of three-option items are left unanswered (never a whole dimension);
5. Azores: one percentage item is then solved so that the overall score is exactly 56, and the draw is
   repeated until the published shape holds.

Outcome values (``outcomes.csv``, long) are drawn for every indicator of the catalogue
``outcome_indicators.csv`` that :data:`OUTCOME_DRAWS` knows, in plausible ranges around rough magnitudes
(an indicator added to the catalogue without a draw simply has no illustrative values). Each value says
which NUTS unit it stands for, as a refresh from Eurostat would: NUTS-3 regions (Skåne, Västra Götaland)
take their NUTS-2 parent as a flagged proxy; national-only statistics take the country, flagged national.
The urban–rural typology is derived from GISCO's NUTS-3 ``URBN_TYPE`` when the boundary files are found
(most common type among the region's NUTS-3 units) and is then not illustrative.

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
    "antidiscrimination": ("anti-discrimination and equal treatment",
                           "an equality body or a reporting point for discrimination complaints"),
    "culture_religion": ("intercultural dialogue and freedom of religion",
                         "intercultural events or an inter-faith dialogue forum"),
    "education": ("the education of migrant children and adults", "reception classes or mother-tongue support"),
    "health": ("migrants' access to health care", "health mediators or interpreting in health services"),
    "housing": ("migrants' access to housing", "housing counselling or action against discrimination in renting"),
    "labour_market": ("migrants' labour-market integration", "recognition of qualifications or job-search counselling"),
    "language": ("language learning for migrants", "free courses in the regional language(s)"),
    "social_security": ("migrants' access to social security and assistance",
                        "information on entitlements or minimum-income support"),
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
     "What share of the region's services for {phrase} offer information and support in the main languages "
     "spoken by migrants (0–100 %)?"),
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
     "Does the region take part in a regular coordination mechanism with the national government on "
     "integration?", True),
    ("external_evaluation", "resources", "evaluation", "BIP",
     "Does the region have its integration measures for beneficiaries of international protection evaluated "
     "by independent evaluators?", True),
]

#: The published Azores profile's shape, as effects (points) added to the Azores' latent answers.
AZORES_SHAPE = {
    "element": {"actors_relations": 14.0, "resources": -14.0},
    "phase": {"formulation": 4.0, "evaluation": -20.0},
    "target": {"BIP": -6.0},
}

# Rough magnitudes (population in thousands, non-EU citizens share %) for plausible draws.
MAGNITUDE = {
    "AT13": (1930, 17), "AT34": (400, 9), "AT33": (760, 7), "BE2": (6700, 5), "BE3": (3650, 4),
    "DE80": (1610, 4), "DE2": (13200, 9), "DE30": (3680, 13), "ITF3": (5600, 4), "ITH5": (4430, 10),
    "ITH4": (1190, 7), "ITF4": (3900, 3), "ITH3": (4850, 8), "ITH2": (540, 7), "ITH1": (535, 7),
    "PT20": (237, 2), "PT17": (2870, 8), "ES51": (7750, 12), "ES62": (1520, 12), "ES22": (660, 8),
    "ES21": (2210, 7), "ES52": (5050, 10), "ES64": (85, 13), "SE224": (1390, 9), "SE232": (1740, 7),
}
BASE_UNEMPLOYMENT = {"AT": 5, "BE": 6, "DE": 3.5, "IT": 9, "PT": 7, "ES": 13, "SE": 8}
BASE_EMPLOYMENT = {"AT": 75, "BE": 70, "DE": 79, "IT": 63, "PT": 75, "ES": 67, "SE": 81}
OUTCOME_YEAR = 2021
ILLUSTRATIVE_PROVENANCE = "illustrative: drawn by data/generate_illustrative.py, not a Eurostat value"


def _region_draws(r, population: float, rng: np.random.Generator) -> dict[str, float]:
    """Plausible values of every regional indicator for one region (rates in %, counts as in the catalogue)."""
    pop_k, non_eu_pct = MAGNITUDE[r.region_id]
    u = BASE_UNEMPLOYMENT[r.country] * rng.uniform(0.7, 1.4)
    u_non_eu = u * rng.uniform(1.6, 2.8)
    e = float(np.clip(BASE_EMPLOYMENT[r.country] + rng.normal(0, 3), 50, 88))
    e_nat = e + rng.uniform(0, 2)
    e_non_eu = e - rng.uniform(8, 20)
    e_non_eu_f = e_non_eu - rng.uniform(8, 18)
    neet = rng.uniform(7, 16)
    neet_nat = neet * rng.uniform(0.9, 0.98)
    neet_non_eu = neet_nat * rng.uniform(1.4, 2.4)
    return {
        "population": population,
        "non_eu_citizens": population * non_eu_pct / 100 * rng.uniform(0.85, 1.15) * 0.82 / 1000,
        "employment_rate_total": e,
        "employment_rate_nationals": e_nat,
        "employment_rate_non_eu": e_non_eu,
        "employment_rate_non_eu_female": e_non_eu_f,
        "employment_rate_nationals_female": e_nat - rng.uniform(4, 14),
        "employment_rate_eu_citizens": e + rng.uniform(-4, 5),
        "activity_rate_nationals": e_nat + rng.uniform(3, 8),
        "activity_rate_non_eu": e_non_eu + rng.uniform(6, 14),
        "activity_rate_non_eu_female": e_non_eu_f + rng.uniform(6, 14),
        "unemployment_total": u,
        "unemployment_nationals": u * rng.uniform(0.85, 0.97),
        "unemployment_non_eu": u_non_eu,
        "unemployment_non_eu_female": u_non_eu * rng.uniform(1.0, 1.35),
        "long_term_unemployment": u * rng.uniform(0.3, 0.55),
        "neet_total": neet,
        "neet_nationals": neet_nat,
        "neet_non_eu": neet_non_eu,
        "neet_non_eu_female": neet_non_eu * rng.uniform(1.1, 1.5),
        "early_leavers_total": rng.uniform(5, 17),
        "tertiary_attainment": rng.uniform(18, 45),
        "adult_learning": rng.uniform(5, 35),
        "arope": rng.uniform(12, 30),
        "severe_deprivation": rng.uniform(2, 10),
        "low_work_intensity": rng.uniform(5, 14),
    }


def _national_draws(rng: np.random.Generator) -> dict[str, float]:
    """Plausible values of the national-only indicators for one country."""
    return {
        "arope_non_eu": rng.uniform(35, 55),
        "arope_nationals": rng.uniform(15, 25),
        "naturalisation_rate": rng.uniform(0.5, 5),
        "long_term_residents_share": rng.uniform(20, 80),
    }


#: The indicators the generator can draw (the catalogue may hold more; those get no illustrative values).
OUTCOME_DRAWS = (
    "population", "non_eu_citizens", "employment_rate_total", "employment_rate_nationals", "employment_rate_non_eu",
    "employment_rate_non_eu_female", "employment_rate_nationals_female", "employment_rate_eu_citizens",
    "activity_rate_nationals", "activity_rate_non_eu", "activity_rate_non_eu_female", "unemployment_total",
    "unemployment_nationals", "unemployment_non_eu", "unemployment_non_eu_female", "long_term_unemployment",
    "neet_total", "neet_nationals", "neet_non_eu", "neet_non_eu_female", "early_leavers_total",
    "tertiary_attainment", "adult_learning", "arope", "severe_deprivation", "low_work_intensity", "arope_non_eu",
    "arope_nationals", "naturalisation_rate", "long_term_residents_share", "urban_rural_type",
)


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
    phase_eff = {p: rng.normal(0, 4) for p in scoring.PHASES}
    elem_eff = {e: rng.normal(0, 5) for e in scoring.ELEMENTS}
    area_eff = {a: rng.normal(0, 10) for a in scoring.AREA_VALUES}
    target_eff = {t: 0.0 for t in scoring.TARGET_VALUES}
    if region_id == AZORES:
        for p, e in AZORES_SHAPE["phase"].items():
            phase_eff[p] += e
        for el, e in AZORES_SHAPE["element"].items():
            elem_eff[el] += e
        for t, e in AZORES_SHAPE["target"].items():
            target_eff[t] += e
    noise = rng.normal(0, 18, len(framework))
    base = np.array([
        target + phase_eff[r.phase] + elem_eff[r.element] + area_eff[r.area] + target_eff[r.target]
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


def azores_shape_holds(scores_wide: pd.DataFrame) -> bool:
    """The published Azores description, as checks on the scores (see the module docstring)."""
    az = scores_wide.loc[AZORES]
    avg = scores_wide.mean()
    phases = [f"phase:{p}" for p in scoring.PHASES]
    return bool(
        az["element:actors_relations"] > max(az["overall"], avg["element:actors_relations"])
        and az["element:resources"] < min(az["overall"], avg["element:resources"])
        and az["phase:evaluation"] == az[phases].min() and az["phase:evaluation"] < avg["phase:evaluation"]
        and az["target:TCN"] > az["target:BIP"]
    )


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
    answers = pd.concat(rows, ignore_index=True)
    # Redraw the Azores until the published shape holds against the averages of all regions.
    is_azores = (answers["region_id"] == AZORES).to_numpy()
    for _attempt in range(200):
        if azores_shape_holds(scoring.wide(scoring.compute_scores(answers, framework))):
            return answers
        try:
            values = solve_azores(draw_region(AZORES, AZORES_OVERALL, framework, rng, allow_missing=False), framework)
        except RuntimeError:
            continue
        answers.loc[is_azores, "value"] = values
    raise RuntimeError("could not draw the published Azores shape; change the seed")


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


def generate_outcomes(regions: pd.DataFrame, catalogue: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Long outcome values for every catalogued indicator the generator can draw (:data:`OUTCOME_DRAWS`)."""
    level3 = _load_level3_types()
    national = {country: _national_draws(rng) for country in dict.fromkeys(regions["country"])}
    known = [rec for rec in catalogue.to_dict("records") if rec["id"] in OUTCOME_DRAWS]
    rows = []
    for r in regions.itertuples():
        pop_k, _share = MAGNITUDE[r.region_id]
        # A NUTS-3 region's statistics published only down to NUTS 2 are its NUTS-2 parent's (a flagged proxy).
        parent = r.region_id[:4] if r.nuts_level == 3 else r.region_id
        population = round(pop_k * 1000 * rng.uniform(0.97, 1.03), -3)
        regional = _region_draws(r, population, rng)
        for rec in known:
            indicator = rec["id"]
            row = {"region_id": r.region_id, "indicator": indicator, "year": OUTCOME_YEAR, "retrieved": None}
            if indicator == "urban_rural_type":
                value, missing = _urban_rural(r.region_id, r.nuts_level, level3)
                row.update(value=value, nuts_used=r.region_id, proxy=False, national=False,
                           source="GISCO NUTS 2021 (1:60M) URBN_TYPE",
                           provenance=("derived: most common GISCO NUTS 2021 (1:60M) URBN_TYPE among the region's "
                                       "NUTS-3 units" if not missing else "not available"),
                           illustrative=missing)
            elif int(rec["nuts_level"]) == 0:
                row.update(value=round(national[r.country][indicator], 1), nuts_used=r.country, proxy=True,
                           national=True, source="data/generate_illustrative.py",
                           provenance=ILLUSTRATIVE_PROVENANCE + "; Eurostat publishes it only nationally",
                           illustrative=True)
            else:
                value = regional[indicator]
                value = value if indicator == "population" else round(value, 1)
                unit = r.region_id if int(rec["nuts_level"]) >= r.nuts_level else parent
                row.update(value=value, nuts_used=unit, proxy=unit != r.region_id, national=False,
                           source="data/generate_illustrative.py", provenance=ILLUSTRATIVE_PROVENANCE,
                           illustrative=True)
            rows.append(row)
    columns = ["region_id", "indicator", "year", "value", "nuts_used", "proxy", "national", "source", "retrieved",
               "provenance", "illustrative"]
    return pd.DataFrame(rows, columns=columns)


def generate(out_dir: Path = HERE, seed: int = SEED) -> dict[str, Path]:
    rng = np.random.default_rng(seed)
    regions = pd.read_csv(HERE / "regions.csv", dtype={"region_id": str})
    framework = build_framework()
    answers = generate_answers(regions, framework, rng)
    catalogue = pd.read_csv(HERE / "outcome_indicators.csv", dtype=str, keep_default_na=False)
    outcomes = generate_outcomes(regions, catalogue, rng)
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
