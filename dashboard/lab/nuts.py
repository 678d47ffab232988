"""The NUTS regions of the EU and EFTA a practice may belong to, read from the GISCO boundary files.

A practice may be about any NUTS 2021 or NUTS 2024 unit of levels 1–3 in an EU or EFTA country, not
only the dataset's 25 MIPEX-R regions. The units (code, level, country, Latin-script and local name)
and their label points come from the boundary folder :func:`dashboard.geo.resolve_geo_dir` chooses:

- NUTS 2021: GISCO's label-point file (:data:`dashboard.geo.LABEL_POINTS_FILE`, every unit with its
  label point); without it, the level 1–3 region files (points then computed inside each region).
- NUTS 2024: the level 1–3 region files (``dashboard.geo.nuts_file(2024, level)``), when present; a
  unit whose code also exists in NUTS 2021 keeps that label point, a new code (PT1A …) gets a point
  computed inside its region.

Names are GISCO's ``NAME_LATN`` (Latin script, as used locally: "Île-de-France", "Wien") and
``NUTS_NAME``; a code in both vintages takes the NUTS 2024 names. Country names are English
(:data:`EU_EFTA`). The table is read once per folder and file version (about 0.3 s) and shared
read-only; :func:`units` raises :class:`NutsUnavailable` when no file can be read, and the caller
then offers the dataset's regions only (with a note).
"""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: NUTS country code → English name: the 27 EU member states and the 4 EFTA states (Greece is "EL" in NUTS).
EU_EFTA: dict[str, str] = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "CY": "Cyprus", "CZ": "Czechia", "DE": "Germany",
    "DK": "Denmark", "EE": "Estonia", "EL": "Greece", "ES": "Spain", "FI": "Finland", "FR": "France",
    "HR": "Croatia", "HU": "Hungary", "IE": "Ireland", "IT": "Italy", "LT": "Lithuania", "LU": "Luxembourg",
    "LV": "Latvia", "MT": "Malta", "NL": "Netherlands", "PL": "Poland", "PT": "Portugal", "RO": "Romania",
    "SE": "Sweden", "SI": "Slovenia", "SK": "Slovakia",
    "CH": "Switzerland", "IS": "Iceland", "LI": "Liechtenstein", "NO": "Norway",
}

#: NUTS levels a practice may be attached to (country level 0 is too coarse for a regional practice).
LEVELS: tuple[int, ...] = (1, 2, 3)
VINTAGES: tuple[int, ...] = (2021, 2024)


class NutsUnavailable(LookupError):
    """No boundary file with NUTS units could be read (the message says why)."""


@dataclass(frozen=True)
class NutsUnit:
    """One NUTS unit: ``code``, ``level``, ``country`` (NUTS country code), names, the vintages it exists
    in, and its label point ``(lon, lat)`` (None when none could be found)."""

    code: str
    level: int
    country: str
    name: str
    name_local: str
    vintages: tuple[int, ...]
    point: tuple[float, float] | None


def _features(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        doc = json.load(fh)
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise ValueError(f"{path.name} is not a GeoJSON FeatureCollection")
    return features


def _props(feature: Any) -> tuple[str, int, str, str, str] | None:
    """(code, level, country, Latin name, local name) of a level 1–3 EU/EFTA feature, else None."""
    if not isinstance(feature, dict):
        return None
    p = feature.get("properties") or {}
    code = str(p.get("NUTS_ID") or "").strip().upper()
    country = str(p.get("CNTR_CODE") or code[:2]).strip().upper()
    try:
        level = int(p.get("LEVL_CODE", len(code) - 2))
    except (TypeError, ValueError):
        return None
    if not code or country not in EU_EFTA or level not in LEVELS or not code.startswith(country):
        return None
    name = " ".join(str(p.get("NAME_LATN") or p.get("NUTS_NAME") or code).split())
    local = " ".join(str(p.get("NUTS_NAME") or name).split())
    return code, level, country, name, local


def _inner_point(geometry: Any) -> tuple[float, float] | None:
    """A point inside a GeoJSON geometry (shapely's representative point), None if it cannot be read."""
    try:
        from shapely.geometry import shape

        point = shape(geometry).representative_point()
        return round(float(point.x), 4), round(float(point.y), 4)
    except Exception:  # noqa: BLE001 - a broken geometry only costs the point, not the unit
        return None


def _label_point(feature: dict[str, Any]) -> tuple[float, float] | None:
    geometry = feature.get("geometry") or {}
    if geometry.get("type") != "Point":
        return None
    try:
        lon, lat = geometry["coordinates"][:2]
        return round(float(lon), 4), round(float(lat), 4)
    except (KeyError, TypeError, ValueError, IndexError):
        return None


@functools.lru_cache(maxsize=4)
def _read(folder: str, _versions: tuple) -> dict[str, NutsUnit]:
    from dashboard import geo

    base = Path(folder)
    found: dict[str, dict[str, Any]] = {}  # code → {level, country, name, local, vintages, point}
    problems: list[str] = []

    def add(vintage: int, feature: dict[str, Any], point: tuple[float, float] | None, geometry: Any) -> None:
        props = _props(feature)
        if props is None:
            return
        code, level, country, name, local = props
        entry = found.setdefault(code, {"level": level, "country": country, "name": name, "local": local,
                                        "vintages": set(), "point": None, "geometry": None})
        entry["vintages"].add(vintage)
        if vintage == 2024:  # the newer names win
            entry.update(name=name, local=local, level=level)
        if point is not None and entry["point"] is None:
            entry["point"] = point
        if geometry is not None and entry["geometry"] is None:
            entry["geometry"] = geometry

    labels = base / geo.LABEL_POINTS_FILE
    read_2021_labels = False
    if labels.is_file():
        try:
            for feature in _features(labels):
                add(2021, feature, _label_point(feature), None)
            read_2021_labels = True
        except (OSError, ValueError) as exc:
            problems.append(f"{labels.name}: {exc}")
    for vintage in VINTAGES:
        if vintage == 2021 and read_2021_labels:
            continue
        for level in LEVELS:
            path = base / geo.nuts_file(vintage, level)
            if not path.is_file():
                problems.append(f"{path.name} missing")
                continue
            try:
                for feature in _features(path):
                    add(vintage, feature, None, feature.get("geometry"))
            except (OSError, ValueError) as exc:
                problems.append(f"{path.name}: {exc}")
    if not found:
        raise NutsUnavailable(f"no NUTS units could be read from {base} ({'; '.join(problems) or 'no files'})")
    if problems:
        log.info("NUTS units read with gaps: %s", "; ".join(problems)[:500])
    out = {}
    for code, e in found.items():
        point = e["point"] or (_inner_point(e["geometry"]) if e["geometry"] else None)
        out[code] = NutsUnit(code, e["level"], e["country"], e["name"], e["local"], tuple(sorted(e["vintages"])),
                             point)
    return out


def _versions(folder: Path) -> tuple:
    """What identifies the files' current content (name, mtime, size), so a refreshed folder is re-read."""
    from dashboard import geo

    names = [geo.LABEL_POINTS_FILE] + [geo.nuts_file(v, lvl) for v in VINTAGES for lvl in LEVELS]
    out = []
    for name in names:
        try:
            st = (folder / name).stat()
            out.append((name, st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((name, None, None))
    return tuple(out)


def units() -> dict[str, NutsUnit]:
    """Every EU/EFTA NUTS 2021/2024 unit of levels 1–3 in the boundary folder, by code (shared: read-only).

    Raises :class:`NutsUnavailable` when there is no boundary folder or no unit could be read."""
    from dashboard import geo
    from dashboard.errors import GeoDataMissing

    try:
        folder = geo.resolve_geo_dir().resolve()
    except GeoDataMissing as exc:
        raise NutsUnavailable(str(exc).splitlines()[0]) from None
    return _read(str(folder), _versions(folder))


def clear_cache() -> None:
    _read.cache_clear()
