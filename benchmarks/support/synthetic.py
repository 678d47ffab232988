"""A synthetic data package of every NUTS unit of one level in the boundary files (tests and benchmarks; never
committed). Regions are the units of ``gisco_nuts_2021_20M_4326_level<N>.geojson`` (NUTS code, Latin and local
names, country code); answers are seeded random values of the embedded 61-indicator framework, so the app scores
them as it scores any package. The package is marked illustrative (it is)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard import config


def build_package(folder: Path | str, level: int = 2, limit: int | None = None, geo_dir: Path | str | None = None,
                  seed: int = 7) -> pd.DataFrame:
    """Write the package into ``folder`` (created) and return its regions table. ``limit`` keeps the first units
    (in NUTS code order); ``geo_dir`` defaults to the folder the app reads (``geo.resolve_geo_dir()``)."""
    import geopandas as gpd

    from dashboard import geo

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    source = Path(geo_dir) if geo_dir else geo.resolve_geo_dir()
    units = gpd.read_file(source / geo.nuts_file(2021, level), ignore_geometry=True)
    units = units.sort_values("NUTS_ID").drop_duplicates("NUTS_ID")
    if limit:
        units = units.head(limit)
    codes = units["NUTS_ID"].astype(str).tolist()
    latin = units["NAME_LATN"].astype(str).str.strip()
    local = units["NUTS_NAME"].astype(str).str.strip() if "NUTS_NAME" in units else latin
    regions = pd.DataFrame({
        "region_id": codes,
        "name_local": [n or c for n, c in zip(local, codes)],
        "name_en": [f"{n or c} ({c})" for n, c in zip(latin, codes)],  # names repeat across countries: add the code
        "country": units["CNTR_CODE"].astype(str).tolist(),
        "country_name": units["CNTR_CODE"].astype(str).tolist(),
        "nuts_level": level,
        "nuts2024_ids": codes,
        "partner_region": False,
    })
    regions.to_csv(folder / "regions.csv", index=False)
    shutil.copy(config.EMBEDDED_DATA_DIR / "framework.csv", folder / "framework.csv")
    framework = pd.read_csv(folder / "framework.csv")
    ids = framework["indicator_id"].to_numpy()
    percent = (framework["scale"] == "percent").to_numpy()
    rng = np.random.default_rng(seed)
    values = rng.choice([0.0, 50.0, 100.0], size=(len(codes), len(ids)))
    values[:, percent] = rng.integers(0, 101, size=(len(codes), int(percent.sum())))
    pd.DataFrame({"region_id": np.repeat(codes, len(ids)), "indicator_id": np.tile(ids, len(codes)),
                  "value": values.ravel()}).to_csv(folder / "answers.csv", index=False)
    desc = json.loads((config.EMBEDDED_DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    desc["name"] = f"synthetic-nuts{level}"
    desc["title"] = f"Synthetic package: {len(codes)} NUTS-{level} units (ILLUSTRATIVE)"
    desc["resources"] = [r for r in desc["resources"] if r["name"] in ("regions", "framework", "answers")]
    (folder / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    return regions
