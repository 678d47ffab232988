"""The regions a practice may belong to, read from the data package's ``regions.csv``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dashboard import config

#: GISCO NUTS 2021 label points (lon, lat) of the 25 MIPEX-R regions, used when
#: :func:`dashboard.geo.map_layers` is unavailable (source: GISCO NUTS_LB_2021_4326).
FALLBACK_LABEL_POINTS: dict[str, tuple[float, float]] = {
    "AT13": (16.393, 48.203), "AT34": (9.885, 47.237), "AT33": (10.764, 47.181),
    "BE2": (4.985, 51.101), "BE3": (4.825, 50.459),
    "DE80": (12.467, 53.714), "DE2": (11.421, 48.947), "DE30": (13.402, 52.501),
    "ITF3": (14.737, 41.039), "ITH5": (11.03, 44.522), "ITH4": (13.05, 46.166),
    "ITF4": (16.585, 41.004), "ITH3": (11.855, 45.661), "ITH2": (10.859, 46.131),
    "ITH1": (11.424, 46.705),
    "PT20": (-25.366, 37.785), "PT17": (-8.888, 38.622),
    "ES51": (1.508, 41.8), "ES62": (-1.491, 38.0), "ES22": (-1.651, 42.712),
    "ES21": (-2.586, 43.065), "ES52": (-0.54, 39.395), "ES64": (-2.951, 35.297),
    "SE224": (13.628, 55.962), "SE232": (12.993, 57.989),
}


@dataclass(frozen=True)
class Region:
    region_id: str
    name_local: str
    name_en: str
    country: str
    country_name: str
    nuts_level: int
    nuts2024_ids: tuple[str, ...]
    partner_region: bool

    @property
    def label(self) -> str:
        if self.name_local and self.name_local != self.name_en:
            return f"{self.name_en} ({self.name_local})"
        return self.name_en


def regions_csv_path() -> Path:
    candidate = config.data_dir() / "regions.csv"
    if candidate.is_file():
        return candidate
    return config.EMBEDDED_DATA_DIR / "regions.csv"


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> dict[str, Region]:
    out: dict[str, Region] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rid = (row.get("region_id") or "").strip()
            if not rid:
                continue
            out[rid] = Region(
                region_id=rid,
                name_local=(row.get("name_local") or "").strip(),
                name_en=(row.get("name_en") or rid).strip(),
                country=(row.get("country") or "").strip(),
                country_name=(row.get("country_name") or "").strip(),
                nuts_level=int(row.get("nuts_level") or 0),
                nuts2024_ids=tuple(x.strip() for x in (row.get("nuts2024_ids") or "").split(";") if x.strip()),
                partner_region=(row.get("partner_region") or "").strip().lower() in {"true", "1", "yes"},
            )
    return out


def regions() -> dict[str, Region]:
    """All regions by NUTS 2021 code, in file order."""
    path = regions_csv_path()
    return _load(str(path), path.stat().st_mtime)


def region(region_id: str) -> Region | None:
    return regions().get(region_id)


def resolve_region_id(value: str) -> str | None:
    """A region code as typed (any case, NUTS 2021 or a NUTS 2024 successor code) → its NUTS 2021 id."""
    if not value:
        return None
    key = value.strip().upper()
    table = regions()
    for rid in table:
        if rid.upper() == key:
            return rid
    for rid, reg in table.items():
        if key in (c.upper() for c in reg.nuts2024_ids):
            return rid
    for rid, reg in table.items():  # a name typed instead of a code
        if key in {reg.name_en.upper(), reg.name_local.upper()}:
            return rid
    return None


def countries() -> dict[str, str]:
    """Country code → country name, for the regions in the table."""
    out: dict[str, str] = {}
    for reg in regions().values():
        out.setdefault(reg.country, reg.country_name or reg.country)
    return dict(sorted(out.items(), key=lambda kv: kv[1]))


def region_name(region_id: str) -> str:
    reg = region(region_id)
    return reg.name_en if reg else region_id


def label_points() -> dict[str, tuple[float, float]]:
    """Region id → (lon, lat) label point: from :mod:`dashboard.geo` when available, else the fallback table."""
    points: dict[str, tuple[float, float]] = {}
    try:  # the geo module is owned by another part of the project; use it when it can answer
        from dashboard import geo  # type: ignore[attr-defined]

        lp = geo.map_layers([(r.region_id, r.nuts_level) for r in regions().values()]).label_points
        points = _points_from(lp)
    except Exception:  # noqa: BLE001 - any failure falls back to the bundled table
        points = {}
    merged = dict(FALLBACK_LABEL_POINTS)
    merged.update({k: v for k, v in points.items() if k in regions() or k in merged})
    return merged


def _points_from(obj) -> dict[str, tuple[float, float]]:
    """Accept a (Geo)DataFrame, a dict or a GeoJSON-like mapping of label points."""
    out: dict[str, tuple[float, float]] = {}
    if obj is None:
        return out
    if isinstance(obj, dict) and "features" in obj:
        for feat in obj["features"]:
            props = feat.get("properties") or {}
            rid = props.get("region_id") or props.get("NUTS_ID")
            coords = (feat.get("geometry") or {}).get("coordinates")
            if rid and coords:
                out[str(rid)] = (float(coords[0]), float(coords[1]))
        return out
    if isinstance(obj, dict):
        for rid, val in obj.items():
            if hasattr(val, "x") and hasattr(val, "y"):
                out[str(rid)] = (float(val.x), float(val.y))
            else:
                out[str(rid)] = (float(val[0]), float(val[1]))
        return out
    columns = getattr(obj, "columns", None)
    if columns is None:
        return out
    df = obj.reset_index() if "region_id" not in columns and getattr(obj.index, "name", None) else obj
    id_col = "region_id" if "region_id" in df.columns else ("NUTS_ID" if "NUTS_ID" in df.columns else None)
    if id_col is None:
        return out
    for _, row in df.iterrows():
        lon = row.get("lon", None)
        lat = row.get("lat", None)
        geom = row.get("geometry", None)
        if (lon is None or lat is None) and geom is not None:
            lon, lat = geom.x, geom.y
        if lon is not None and lat is not None:
            out[str(row[id_col])] = (float(lon), float(lat))
    return out
