"""Boundaries for the map: folder resolution, reading (cached), the region layer built from the
dataset's regions, the context layer, simplification, GeoJSON output for plotly, label points.

Data
----
GISCO (Eurostat) NUTS GeoJSON in EPSG:4326, feature key ``properties.NUTS_ID``; every map and map
export carries :data:`CREDIT` (``constants.MAP_CREDIT``). This module only reads the files, from
the folder :func:`resolve_geo_dir` chooses; ``geo.fetch`` downloads them into the git-ignored ``geo/``.

The map layer is built from the GISCO *level* files for whatever regions the dataset holds: each
region is a ``(NUTS 2021 code, NUTS level)`` pair, any unit of the level 0–3 files. (The 25 MIPEX-R
regions are governments, not statistical units: NUTS-1 for BE2, BE3 and DE2, NUTS-3 for SE224 and
SE232, NUTS-2 otherwise.) ``region_id`` is always the NUTS 2021 code. With ``vintage=2024`` the
NUTS 2024 files are read and a region whose code changed is the dissolved union of its NUTS 2024
parts (the dataset's ``nuts2024_ids``, else :data:`NUTS2024_IDS`): PT17 = PT1A + PT1B.

A code that is malformed for its level or absent from the boundary files is never dropped
silently: :func:`region_layer` raises :class:`UnknownRegionError` naming every such code, and
:func:`map_layers` (what the app uses) draws the others and lists them in :attr:`MapLayers.missing`
(code → reason), which the map figure shows as a note.

Geometry sizes (GEOMETRY_SIZES)
-------------------------------
Measured by ``benchmarks/geo_size.py`` on the files in ``../shared/geo`` for the 25 regions of
the embedded dataset (compact JSON, ``separators=(",", ":")``; "raw" = unsimplified geometry at
the files' full coordinate precision):

==================  ==========  ================  ======================  =======
layer               raw bytes   rounded (3 dp)    simplified + 3 dp       ratio
==================  ==========  ================  ======================  =======
regions (25, 20M)       23,474            19,400    18,473 (tol 0.02)        0.79
context (72, 20M)      366,182           150,132    77,044 (tol 0.15)        0.21
==================  ==========  ================  ======================  =======

Vertices: regions 1,024 → 963, context 9,203 → 4,329. Load (read + build, cold): region_layer
≈ 0.2 s, context_layer ≈ 0.05 s; ``map_layers()`` cold ≈ 0.4 s, cached < 1 ms.

The 1:20M files are already generalised, so most of the saving comes from rounding coordinates to
3 decimals (about 100 m); coverage simplification (shared borders stay shared) then removes 61
region vertices and about 4,900 context vertices. At the chosen tolerances Melilla (ES64, 4
vertices), Wien (AT13) and Berlin (DE30) keep their shape and area and every output polygon is
valid; from tolerance 0.1 on Wien keeps only 73 % of its area and Berlin 92 %, hence 0.02 for
regions. The grey background of countries takes 0.15: at the map's scale it looks the same as at 0.05 (about 4 px
at most on a 1,400 px screen), and plotly.js redraws it on every change of the map — with 0.05 it was about a fifth
of a measure change's drawing time in Chromium. Figures are in :data:`GEOMETRY_SIZES` (checked by the tests).

Served to the browser
---------------------
:func:`map_layers` names its result with :func:`layers_key` (a hash of the regions, the vintage, the build settings
and the boundary files' sizes: the same on every worker and machine). The map page's figure names its geometry
by URL (:func:`geojson_urls`: ``/geo/<key>/regions.json``, ``/geo/<key>/context.json``, served by
``dashboard.routes.geo`` as immutable files from :meth:`MapLayers.geojson_bytes`); exports embed the geometry.

NUTS 2024 and Lisbon
--------------------
PT1A + PT1B are exactly the territory of PT17, but the 1:20M *generalisations* differ: the
2021 file's PT17 polygon takes in about 415 km² of the Tagus estuary that the 2024 file leaves
out, so PT17 built from the 2024 file is about 12 % smaller (2,762 vs 3,132 km² in ETRS89-LAEA)
while lying almost entirely (98 %) inside the 2021 polygon. For the other 24 regions the two
files' areas differ by less than 4 %, except Melilla (−10 %), the Azores (−9 %) and Wien (+6 %).

Winding order
-------------
plotly.js ``geo`` subplots draw with d3-geo, which takes the exterior ring of a polygon smaller
than a hemisphere to be *clockwise* (a counter-clockwise ring means "everything but this"). The
GISCO files are wound that way; RFC 7946 prescribes the opposite. :func:`to_geojson` writes
clockwise exteriors by default; pass ``rfc7946=True`` for standards-conformant output (e.g. a
GeoJSON download). (``choroplethmap``/MapLibre does not care.)
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import box, mapping

from dashboard import config
from dashboard.constants import MAP_CREDIT
from dashboard.errors import GeoDataMissing
from dashboard.i18n import _

CREDIT = MAP_CREDIT

ENV_VAR = "MIPEXR_GEO_DIR"

#: NUTS levels a region may be at (one GISCO file per level and vintage).
LEVELS: tuple[int, ...] = (0, 1, 2, 3)

#: NUTS 2021 codes that changed in NUTS 2024 → their NUTS 2024 parts (same level): what the
#: classification changed, used when a region comes without its own NUTS 2024 codes. Codes not
#: listed are read unchanged from the 2024 files.
NUTS2024_IDS: dict[str, tuple[str, ...]] = {"PT17": ("PT1A", "PT1B")}

#: Scales available per NUTS vintage (file name part).
SCALES: dict[int, tuple[str, ...]] = {2021: ("20M", "60M"), 2024: ("20M",)}

#: (lon_min, lat_min, lon_max, lat_max) the context layer is clipped to by default (the Azores reach
#: lon -31.27, the Canary Islands lat 27.6). :func:`context_bbox` grows it for other regions.
EUROPE_BBOX: tuple[float, float, float, float] = (-32.0, 26.0, 45.0, 72.0)

#: The part of Europe a main map may show (lon_min, lat_min, lon_max, lat_max): a region whose
#: bounding box does not meet it is drawn in an inset (the Azores end at lon -25.01, Madeira at
#: lat 33.13, the Canary Islands and the French outermost regions further out).
MAIN_BBOX: tuple[float, float, float, float] = (-25.0, 33.5, 45.0, 72.0)

#: Context kept beyond the regions on the main map (degrees west/east, north): a conic map frame
#: shows more longitude at its top corners than its range says. See :func:`context_bbox`.
CONTEXT_PAD: tuple[float, float] = (15.0, 10.0)
#: With regions north of FAR_NORTH (the Nordic countries) the top corners of the conic frame reach
#: far east and west: the context then spans WIDE_CONTEXT_BBOX (Greenland to Siberia).
FAR_NORTH = 62.0
WIDE_CONTEXT_BBOX: tuple[float, float, float, float] = (-75.0, 26.0, 180.0, 85.0)

#: Default simplification tolerances in degrees (≈ square root of the triangle area removed by
#: Visvalingam–Whyatt coverage simplification). See GEOMETRY_SIZES.
REGION_TOLERANCE = 0.02
CONTEXT_TOLERANCE = 0.15
DEFAULT_PRECISION = 3

#: Sizes in bytes of the compact GeoJSON, measured by benchmarks/geo_size.py on ../shared/geo.
GEOMETRY_SIZES: dict[str, dict[str, float]] = {
    "regions": {"features": 25, "raw": 23_474, "rounded": 19_400, "simplified": 18_473,
                "tolerance": REGION_TOLERANCE, "precision": DEFAULT_PRECISION},
    "context": {"features": 72, "raw": 366_182, "rounded": 150_132, "simplified": 77_044,
                "tolerance": CONTEXT_TOLERANCE, "precision": DEFAULT_PRECISION},
}

LABEL_POINTS_FILE = "gisco_nuts_2021_labelpoints_4326_alllevels.geojson"
CONTEXT_FILE = "gisco_cntr_2024_20M_4326_europe_context.geojson"

#: A GISCO label point further than this (degrees) from its region is replaced by a point inside.
LABEL_POINT_SLACK = 0.05

#: Browser path of the offline plotly.js base maps (served by Dash from assets/).
TOPOJSON_ASSETS_PATH = "assets/topojson/"
TOPOJSON_DIR = config.ASSETS_DIR / "topojson"

#: One region of the map layer: (NUTS 2021 code, NUTS level, NUTS 2024 parts).
RegionSpec = tuple[str, int, tuple[str, ...]]


def nuts_file(vintage: int, level: int, scale: str = "20M") -> str:
    """File name of one GISCO NUTS level file, as used in ../shared/geo and by ``fetch-geo``."""
    return f"gisco_nuts_{vintage}_{scale}_4326_level{level}.geojson"


#: Files a folder must hold to be chosen by :func:`resolve_geo_dir`: the NUTS 2021 level files a
#: region may come from and the context layer (what ``map_layers()`` reads by default).
REQUIRED_FILES: tuple[str, ...] = (*(nuts_file(2021, level) for level in LEVELS), CONTEXT_FILE)

_EXAMPLES = {0: "PT", 1: "BE2", 2: "PT17", 3: "SE224"}  # a code per level, for messages


class UnknownRegionError(ValueError):
    """A region code is malformed or not present in the NUTS file it should come from."""


# --------------------------------------------------------------------------------------------
# Folder resolution
# --------------------------------------------------------------------------------------------

def _options_text() -> str:
    """How to get boundary files (shown on the map page when there are none: in the current language)."""
    return "\n".join([
        _("Boundary files can come from any of:"),
        "  1. " + _("set the environment variable {var} to a folder holding the GISCO files;").format(var=ENV_VAR),
        "  2. " + _("run `python -m dashboard fetch-geo` to download GISCO's originals into {folder};").format(
            folder=config.PROJECT_GEO_DIR),
        "  3. " + _("place the shared boundary folder at {folder} (../shared/geo beside the project).").format(
            folder=config.SHARED_GEO_DIR),
        _("Needed files: {files}.").format(files=", ".join(REQUIRED_FILES)),
    ])


def _holds_required(folder: Path) -> bool:
    return folder.is_dir() and all((folder / name).is_file() for name in REQUIRED_FILES)


def resolve_geo_dir() -> Path:
    """Return the folder the boundary files are read from.

    Order: (1) ``$MIPEXR_GEO_DIR`` if set (an error naming it if the folder is missing or empty);
    (2) the project's ``geo/`` folder (``config.PROJECT_GEO_DIR``) if it holds
    :data:`REQUIRED_FILES`; (3) ``config.SHARED_GEO_DIR`` (``../shared/geo``) if it holds them.
    Raises :class:`GeoDataMissing` listing the three options otherwise.
    """
    env = os.environ.get(ENV_VAR)
    if env:
        folder = Path(env).expanduser()
        if not folder.is_dir():
            raise GeoDataMissing(
                _("{var} is set to '{folder}', but that folder does not exist.").format(var=ENV_VAR, folder=env)
                + "\n" + _options_text())
        if not any(folder.iterdir()):
            raise GeoDataMissing(
                _("{var} is set to '{folder}', but that folder is empty.").format(var=ENV_VAR, folder=env)
                + "\n" + _options_text())
        return folder
    for folder in (Path(config.PROJECT_GEO_DIR), Path(config.SHARED_GEO_DIR)):
        if _holds_required(folder):
            return folder
    raise GeoDataMissing(_("No GISCO boundary files found.") + "\n" + _options_text())


def _geo_file(folder: Path, name: str) -> Path:
    path = folder / name
    if not path.is_file():
        raise GeoDataMissing(
            _("Boundary file {name} is missing from {folder}. Run `python -m dashboard fetch-geo` "
              "or point {var} at a folder that holds it.").format(name=name, folder=folder, var=ENV_VAR))
    return path


@functools.lru_cache(maxsize=32)
def _read_cached(path: str, mtime_ns: int, size: int, id_field: str) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(path)
    if id_field not in gdf.columns:
        raise GeoDataMissing(f"{Path(path).name} has no '{id_field}' property: not a GISCO file?")
    gdf = gdf[[id_field, "geometry"]]
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    elif not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    return gdf.reset_index(drop=True)


def _read(folder: Path, name: str, id_field: str = "NUTS_ID") -> gpd.GeoDataFrame:
    """Read one boundary file (only its id property and geometry); a copy, safe to modify."""
    path = _geo_file(folder, name)
    st = path.stat()
    return _read_cached(str(path), st.st_mtime_ns, st.st_size, id_field).copy()


# --------------------------------------------------------------------------------------------
# Layers
# --------------------------------------------------------------------------------------------

def _parts(value: Any) -> tuple[str, ...]:
    """NUTS 2024 codes as given: ``"PT1A;PT1B"``, a sequence of codes, or nothing."""
    if value is None or (isinstance(value, float) and value != value):
        return ()
    items = value.split(";") if isinstance(value, str) else value
    return tuple(str(v).strip().upper() for v in items if str(v).strip())


def normalise_regions(regions: Any) -> tuple[RegionSpec, ...]:
    """The regions of a map layer as ``(code, level, NUTS 2024 parts)`` triples, in the order given.

    ``regions`` is a DataFrame with ``region_id`` and ``nuts_level`` columns and optionally
    ``nuts2024_ids`` (``;``-separated, e.g. the dataset's regions table), or an iterable of
    ``(code, level)`` pairs or ``(code, level, nuts2024_ids)`` triples. Codes are upper-cased.
    Without NUTS 2024 codes (or with the code itself) a region's parts come from
    :data:`NUTS2024_IDS`, else the code unchanged. Raises :class:`UnknownRegionError` when an entry
    is not such a pair, a level is not 0–3, a code is listed twice, or there are no regions;
    whether a code exists is checked against the files later (:func:`region_layer`).
    """
    if regions is None:
        raise UnknownRegionError("No regions given: pass the dataset's regions (region_id, nuts_level)")
    if isinstance(regions, pd.DataFrame):
        missing = [c for c in ("region_id", "nuts_level") if c not in regions.columns]
        if missing:
            raise UnknownRegionError(f"The regions table has no column {', '.join(missing)}")
        parts = regions["nuts2024_ids"] if "nuts2024_ids" in regions.columns else [None] * len(regions)
        regions = zip(regions["region_id"], regions["nuts_level"], parts)
    specs: list[RegionSpec] = []
    seen: set[str] = set()
    for item in regions:
        try:
            code, level, *rest = item
            if len(rest) > 1:
                raise ValueError("too many values")
            code, level = str(code).strip().upper(), int(level)
            given = _parts(rest[0]) if rest else ()
        except (TypeError, ValueError) as exc:
            raise UnknownRegionError(f"Region entry {item!r} is not a (NUTS code, level) pair") from exc
        if level not in LEVELS:
            raise UnknownRegionError(
                f"Region '{code}' has NUTS level {level}; a level is one of {', '.join(map(str, LEVELS))}")
        if code in seen:
            raise UnknownRegionError(f"Region code '{code}' is listed twice")
        seen.add(code)
        if not given or given == (code,):
            given = NUTS2024_IDS.get(code, (code,))
        specs.append((code, level, given))
    if not specs:
        raise UnknownRegionError("No regions given")
    return tuple(specs)


def _code_problem(code: str, level: int) -> str | None:
    """Why ``code`` cannot be a NUTS-``level`` code, in plain words; None when it can."""
    if len(code) != level + 2 or not code[:2].isalpha() or not code.isalnum():
        return (f"'{code}' does not look like a NUTS-{level} code (a NUTS-{level} code has "
                f"{level + 2} characters, e.g. {_EXAMPLES[level]})")
    return None


def _orient(geom):
    """Clockwise exterior rings (d3-geo / plotly.js convention, as in the GISCO files)."""
    return shapely.orient_polygons(geom, exterior_cw=True)


def _check_vintage(vintage: int, scale: str) -> None:
    if vintage not in SCALES:
        raise ValueError(f"Unknown NUTS vintage {vintage!r}: use one of {sorted(SCALES)}")
    if scale not in SCALES[vintage]:
        raise ValueError(f"No {scale} boundary files for NUTS {vintage}: use one of {SCALES[vintage]}")


def _build_regions(specs: tuple[RegionSpec, ...], vintage: int, scale: str,
                   folder: Path) -> tuple[gpd.GeoDataFrame, dict[str, str]]:
    """The layer of the regions found, and code → reason for those that are not."""
    tables: dict[int, gpd.GeoSeries] = {}
    rows, missing = [], {}
    for region_id, level, parts_2024 in specs:
        problem = _code_problem(region_id, level)
        if problem:
            missing[region_id] = problem
            continue
        parts = parts_2024 if vintage == 2024 else (region_id,)
        if level not in tables:
            tables[level] = _read(folder, nuts_file(vintage, level, scale)).set_index("NUTS_ID").geometry
        table = tables[level]
        absent = [p for p in parts if p not in table.index]
        if absent:
            what = (f"NUTS {vintage} part{'s' if len(absent) > 1 else ''} {', '.join(absent)} of {region_id}"
                    if parts != (region_id,) else region_id)
            missing[region_id] = (f"{what} not found at NUTS level {level} in "
                                  f"{nuts_file(vintage, level, scale)}")
            continue
        geoms = table.loc[list(parts)].to_numpy()
        geom = geoms[0] if len(geoms) == 1 else shapely.union_all(geoms)
        rows.append({"region_id": region_id, "nuts_id": ";".join(parts), "geometry": _orient(geom)})
    layer = gpd.GeoDataFrame(rows, columns=["region_id", "nuts_id", "geometry"],
                             geometry="geometry", crs="EPSG:4326")
    return layer, missing


def region_layer(
    regions: Any,
    vintage: int = 2021,
    scale: str = "20M",
    *,
    geo_dir: Path | None = None,
) -> gpd.GeoDataFrame:
    """The map layer: one feature per region, built from the GISCO level files.

    ``regions`` is what :func:`normalise_regions` takes: the dataset's regions table (``region_id``,
    ``nuts_level``, optionally ``nuts2024_ids``) or ``(NUTS 2021 code, level)`` pairs, any unit at
    levels 0–3. ``vintage`` 2021 or 2024 selects the NUTS files; with 2024 a region whose code
    changed (PT17) is the dissolved union of its 2024 parts. ``scale`` is ``"20M"`` (or ``"60M"``
    for 2021). ``geo_dir`` overrides :func:`resolve_geo_dir`.

    Returns a GeoDataFrame (EPSG:4326) in the order given, columns ``region_id`` (NUTS 2021 code),
    ``nuts_id`` (the code(s) read from the files, ``;``-separated, e.g. ``PT1A;PT1B``) and
    ``geometry``. Raises :class:`UnknownRegionError` naming every code that is malformed or absent
    (:func:`map_layers` lists them instead), :class:`GeoDataMissing` naming a missing file.
    """
    _check_vintage(vintage, scale)
    specs = normalise_regions(regions)
    folder = Path(geo_dir) if geo_dir is not None else resolve_geo_dir()
    layer, missing = _build_regions(specs, vintage, scale, folder)
    if missing:
        raise UnknownRegionError(
            f"Unknown region code{'s' if len(missing) > 1 else ''}: "
            + "; ".join(missing.values()))
    return layer


def _polygonal(geom):
    """Keep only the polygonal parts of a geometry (clipping can leave lines or points)."""
    if geom is None or geom.is_empty or geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    polys = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if polys else shapely.Polygon()


def context_bbox(region_bounds: Any) -> tuple[float, float, float, float]:
    """The box the context layer is clipped to for regions with these bounds (rows of
    ``lon_min, lat_min, lon_max, lat_max``): :data:`EUROPE_BBOX`, grown west, east and north so that
    :data:`CONTEXT_PAD` of context surrounds the regions' parts inside :data:`MAIN_BBOX` (regions
    drawn in insets do not count), and to :data:`WIDE_CONTEXT_BBOX` when they reach north of
    :data:`FAR_NORTH`. The 25 MIPEX-R regions stay well inside EUROPE_BBOX (it is used unchanged)."""
    x0, y0, x1, y1 = EUROPE_BBOX
    m0, n0, m1, n1 = MAIN_BBOX
    pad_x, pad_y = CONTEXT_PAD
    for b0, c0, b1, c1 in np.asarray(region_bounds, dtype=float).reshape(-1, 4):
        if b1 < m0 or b0 > m1 or c1 < n0 or c0 > n1:  # outlying: drawn in an inset
            continue
        x0 = min(x0, max(b0, m0) - pad_x)
        x1 = max(x1, min(b1, m1) + pad_x)
        y1 = min(90.0, max(y1, min(c1, n1) + pad_y))
        if min(c1, n1) > FAR_NORTH:
            w0, w_lat0, w1, w_lat1 = WIDE_CONTEXT_BBOX
            x0, y0, x1, y1 = min(x0, w0), min(y0, w_lat0), max(x1, w1), max(y1, w_lat1)
    return (x0, y0, x1, y1)


def context_layer(
    bbox: tuple[float, float, float, float] = EUROPE_BBOX,
    *,
    geo_dir: Path | None = None,
) -> gpd.GeoDataFrame:
    """Surrounding countries (GISCO countries 2024, 1:20M) clipped to ``bbox`` so the map frames
    Europe (:func:`map_layers` uses :func:`context_bbox` of its regions). Columns ``cntr_id`` (GISCO
    country code, e.g. ``FR``, ``EL``, ``UK``) and ``geometry``.
    """
    folder = Path(geo_dir) if geo_dir is not None else resolve_geo_dir()
    gdf = _read(folder, CONTEXT_FILE, "CNTR_ID").rename(columns={"CNTR_ID": "cntr_id"})
    clipped = shapely.intersection(gdf.geometry.to_numpy(), box(*bbox))
    gdf = gdf.set_geometry([_orient(_polygonal(g)) for g in clipped], crs="EPSG:4326")
    gdf = gdf[~gdf.geometry.is_empty].sort_values("cntr_id").reset_index(drop=True)
    return gdf[["cntr_id", "geometry"]]


def simplify_layer(gdf: gpd.GeoDataFrame, tolerance: float = REGION_TOLERANCE) -> gpd.GeoDataFrame:
    """Simplify a layer as a coverage (shared borders stay shared; Visvalingam–Whyatt).

    ``tolerance`` is in degrees (≈ square root of the area of the triangles removed). No feature
    is ever dropped: rings shrink to triangles at most; a result that is invalid or empty falls
    back to the feature's topology-preserving Douglas–Peucker simplification, then to the original.
    Returns a copy; ``tolerance <= 0`` returns an unchanged copy.
    """
    out = gdf.copy()
    if tolerance <= 0 or len(out) == 0:
        return out
    original = out.geometry.to_numpy()
    try:
        simplified = shapely.coverage_simplify(original, tolerance)
    except shapely.errors.GEOSException:
        simplified = shapely.simplify(original, tolerance, preserve_topology=True)
    result = []
    for before, after in zip(original, simplified):
        if after is None or after.is_empty or not after.is_valid:
            after = shapely.simplify(before, tolerance, preserve_topology=True)
            if after.is_empty or not after.is_valid:
                after = before
        result.append(_orient(after))
    out = out.set_geometry(result, crs=gdf.crs)
    return out


def _round_coords(obj: Any, precision: int | None) -> Any:
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), precision) if precision is not None else float(v) for v in obj]
        return [_round_coords(v, precision) for v in obj]
    return obj


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def to_geojson(
    gdf: gpd.GeoDataFrame,
    id_field: str = "region_id",
    precision: int | None = DEFAULT_PRECISION,
    *,
    rfc7946: bool = False,
) -> dict:
    """A GeoJSON FeatureCollection (plain dict) for plotly.

    Each feature's ``id`` is ``str(row[id_field])`` (so plotly can use ``locations`` directly,
    ``featureidkey="id"`` being its default); the other non-geometry columns become
    ``properties`` (the id field too). Coordinates are snapped to a ``10**-precision`` grid
    (keeping polygons valid; ``None`` keeps full precision) and written rounded. Exterior rings
    are clockwise as plotly.js/d3-geo expects, unless ``rfc7946=True`` (counter-clockwise).
    """
    if id_field not in gdf.columns:
        raise KeyError(f"to_geojson: no column '{id_field}' to use as feature id")
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    props_cols = [c for c in gdf.columns if c != gdf.geometry.name]
    features = []
    for row, geom in zip(gdf[props_cols].itertuples(index=False), gdf.geometry):
        if geom is None or geom.is_empty:
            geometry = None
        else:
            if precision is not None:
                snapped = shapely.set_precision(geom, 10.0 ** -precision)
                geom = snapped if not snapped.is_empty else geom
            geom = shapely.orient_polygons(geom, exterior_cw=not rfc7946)
            geometry = mapping(geom)
            geometry = {"type": geometry["type"],
                        "coordinates": _round_coords(geometry["coordinates"], precision)}
        props = {c: _plain(v) for c, v in zip(props_cols, row)}
        features.append({"type": "Feature", "id": str(props[id_field]),
                         "properties": props, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def json_size(obj: Any) -> int:
    """Bytes of ``obj`` as compact JSON (UTF-8) — what a browser receives before compression."""
    return len(json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


# --------------------------------------------------------------------------------------------
# Map layers for the app (cached)
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class MapLayers:
    """Everything a map figure needs. Cached and shared: treat the dicts/DataFrame as read-only.

    ``regions_geojson``: FeatureCollection of the regions found, in the order given, feature
    ``id`` = region_id (NUTS 2021 code).
    ``context_geojson``: FeatureCollection of surrounding countries, feature ``id`` = cntr_id.
    ``label_points``: DataFrame ``region_id, lon, lat`` (GISCO label points, else a point inside).
    ``bounds``: ``(lon_min, lat_min, lon_max, lat_max)`` of the regions found (None if none was).
    ``missing``: region code → plain-words reason, for every region given that has no boundary
    (a malformed code, or absent from the files): not drawn, and shown as a note on the map.
    """

    regions_geojson: dict
    context_geojson: dict
    label_points: pd.DataFrame
    bounds: tuple[float, float, float, float] | None
    vintage: int = 2021
    geo_dir: Path | None = None
    credit: str = field(default=CREDIT)
    missing: Mapping[str, str] = field(default_factory=dict)
    #: A name of these layers that is the same on every worker and machine with the same boundary files
    #: (see :func:`layers_key`): the browser fetches ``/geo/<key>/<layer>.json`` once and caches it.
    key: str = ""

    @functools.cached_property
    def _json(self) -> dict[str, bytes]:
        return {name: json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
                for name, obj in (("regions", self.regions_geojson), ("context", self.context_geojson))}

    def geojson_bytes(self, layer: str) -> bytes:
        """Compact JSON of one layer (``"regions"`` or ``"context"``), serialised once; KeyError otherwise."""
        return self._json[layer]


def _label_points(regions: gpd.GeoDataFrame, folder: Path) -> pd.DataFrame:
    """GISCO's label point of each region when it lies on the region (within
    :data:`LABEL_POINT_SLACK`), else a point inside the region."""
    ids = list(regions["region_id"])
    geoms = regions.geometry.to_numpy()
    try:
        labels = _read(folder, LABEL_POINTS_FILE).drop_duplicates("NUTS_ID").set_index("NUTS_ID").geometry
        cand = labels.reindex(ids).to_numpy()
    except GeoDataMissing:
        cand = np.full(len(ids), None, dtype=object)
    is_point = np.array([c is not None and c.geom_type == "Point" for c in cand], dtype=bool)
    use = np.zeros(len(ids), dtype=bool)
    if is_point.any():
        use[is_point] = shapely.dwithin(geoms[is_point], cand[is_point], LABEL_POINT_SLACK)
    points = [c if ok else g.representative_point() for c, g, ok in zip(cand, geoms, use)]
    return pd.DataFrame({"region_id": ids,
                         "lon": [round(float(p.x), 4) for p in points],
                         "lat": [round(float(p.y), 4) for p in points]},
                        columns=["region_id", "lon", "lat"])


#: Part of every layers key: bump it when the way layers are built changes (simplification, rounding, order).
LAYERS_FORMAT = 1
#: Layers remembered by key, per process, for the ``/geo/<key>/…`` route (bounded, newest kept).
KEYED_LAYERS = 16
_keyed: OrderedDict[str, MapLayers] = OrderedDict()
_keyed_lock = threading.Lock()


def layers_key(geo_dir: Path, vintage: int, regions: tuple[RegionSpec, ...]) -> str:
    """A short name of the layers of ``regions``: a hash of the region list, the vintage, the build settings and
    the *sizes* of the boundary files read (not their path or time), so every worker and machine with the same
    files names the same layers the same way, and new files give a new name (a new URL, no stale cache)."""
    levels = sorted({level for _, level, _ in regions})
    files = [nuts_file(vintage, level) for level in levels] + [CONTEXT_FILE, LABEL_POINTS_FILE]
    sizes = []
    for name in files:
        try:
            sizes.append((name, (Path(geo_dir) / name).stat().st_size))
        except OSError:
            sizes.append((name, None))
    text = repr((LAYERS_FORMAT, vintage, regions, sizes, REGION_TOLERANCE, CONTEXT_TOLERANCE, DEFAULT_PRECISION))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def keyed_layers(key: str) -> MapLayers | None:
    """The layers this process built under ``key`` (None when it built none lately)."""
    with _keyed_lock:
        layers = _keyed.get(key)
        if layers is not None:
            _keyed.move_to_end(key)
        return layers


def _remember(layers: MapLayers) -> MapLayers:
    with _keyed_lock:
        _keyed[layers.key] = layers
        _keyed.move_to_end(layers.key)
        while len(_keyed) > KEYED_LAYERS:
            _keyed.popitem(last=False)
    return layers


@functools.lru_cache(maxsize=8)
def _map_layers(geo_dir: Path, vintage: int, regions: tuple[RegionSpec, ...]) -> MapLayers:
    reg, missing = _build_regions(regions, vintage, "20M", geo_dir)
    ctx = context_layer(context_bbox(reg.geometry.bounds.to_numpy()), geo_dir=geo_dir)
    reg_s = simplify_layer(reg, REGION_TOLERANCE)
    ctx_s = simplify_layer(ctx, CONTEXT_TOLERANCE)
    bounds = tuple(float(v) for v in reg.total_bounds) if len(reg) else None
    return MapLayers(
        regions_geojson=to_geojson(reg_s, "region_id"),
        context_geojson=to_geojson(ctx_s, "cntr_id"),
        label_points=_label_points(reg, geo_dir),
        bounds=bounds,
        vintage=vintage,
        geo_dir=geo_dir,
        missing=missing,
        key=layers_key(geo_dir, vintage, regions),
    )


def map_layers(regions: Any, vintage: int = 2021) -> MapLayers:
    """The simplified layers of ``regions`` and the context as GeoJSON, label points and bounds.

    ``regions`` is the dataset's regions table (``dataset.regions``: ``region_id``, ``nuts_level``,
    ``nuts2024_ids``) or ``(code, level)`` pairs — see :func:`normalise_regions`; any unit of the
    level 0–3 files. A region without a boundary is listed in :attr:`MapLayers.missing`, not drawn.
    Cached per (resolved folder, vintage, regions); :func:`clear_cache` empties the cache. Raises
    :class:`GeoDataMissing` without boundary files, :class:`UnknownRegionError` for a malformed
    list (not pairs, a level outside 0–3, a code twice, no regions).
    """
    _check_vintage(vintage, "20M")
    key = normalise_regions(regions)
    return _remember(_map_layers(resolve_geo_dir().resolve(), vintage, key))


def clear_cache() -> None:
    """Forget cached layers and file reads (after ``fetch-geo`` or a change of folder)."""
    _map_layers.cache_clear()
    _read_cached.cache_clear()
    with _keyed_lock:
        _keyed.clear()


# --------------------------------------------------------------------------------------------
# Offline plotly.js base maps
# --------------------------------------------------------------------------------------------

#: Browser path of the map layers (served by :mod:`dashboard.routes.geo`): ``geo/<key>/<layer>.json``.
GEOJSON_PATH = "geo/"
GEOJSON_LAYERS = ("regions", "context")


def geojson_urls(layers: MapLayers, app_prefix: str = "/") -> dict[str, str]:
    """``{"regions": url, "context": url}``: where the browser fetches the layers of ``layers`` (one URL per
    layers key, cached for a year by the browser), e.g. ``/geo/3f2a…/regions.json``."""
    prefix = "/" + (app_prefix or "/").strip("/")
    prefix = prefix if prefix.endswith("/") else prefix + "/"
    return {name: f"{prefix}{GEOJSON_PATH}{layers.key}/{name}.json" for name in GEOJSON_LAYERS}


def topojson_url(app_prefix: str = "/") -> str:
    """URL prefix of the committed plotly.js base maps, for ``config={"topojsonURL": ...}``.

    ``app_prefix`` is the Dash ``requests_pathname_prefix`` (``"/"`` by default), e.g.
    ``topojson_url("/mipex/")`` → ``"/mipex/assets/topojson/"``. plotly.js then requests
    ``<url><scope>_<resolution>m.json`` (see assets/topojson/README.md).
    """
    prefix = "/" + (app_prefix or "/").strip("/")
    prefix = prefix if prefix.endswith("/") else prefix + "/"
    return prefix + TOPOJSON_ASSETS_PATH
