"""Boundaries for the map: folder resolution, the mixed-level region layer, the context layer,
simplification, GeoJSON output for plotly, and ``fetch-geo``.

Data
----
GISCO (Eurostat) NUTS GeoJSON in EPSG:4326, feature key ``properties.NUTS_ID``. Every map and
map export must carry :data:`CREDIT`. The boundary files are reference data: this module reads
them from a folder chosen by :func:`resolve_geo_dir` and never writes into the repository, except
:func:`fetch_geo`, which downloads GISCO's originals into the git-ignored ``geo/`` folder.

The map layer is built here from the GISCO *level* files (not from ready-cut subsets): the 25
MIPEX-R regions are governments, not statistical units, so the levels are mixed — NUTS-1 for
BE2, BE3 and DE2, NUTS-3 for SE224 and SE232, NUTS-2 otherwise (:data:`DEFAULT_REGIONS`).
``region_id`` is always the NUTS 2021 code the app uses. With ``vintage=2024`` the NUTS 2024
files are read and PT17 (Área Metropolitana de Lisboa) is the dissolved union of PT1A + PT1B;
the other 24 codes are unchanged in NUTS 2024.

Geometry sizes (GEOMETRY_SIZES)
-------------------------------
Measured by ``benchmarks/geo_size.py`` on the files in ``../shared/geo`` (compact JSON,
``separators=(",", ":")``; "raw" = unsimplified geometry at the files' full coordinate precision):

==================  ==========  ================  ======================  =======
layer               raw bytes   rounded (3 dp)    simplified + 3 dp       ratio
==================  ==========  ================  ======================  =======
regions (25, 20M)       23,474            19,400    18,473 (tol 0.02)        0.79
context (72, 20M)      366,182           150,132   123,830 (tol 0.05)        0.34
==================  ==========  ================  ======================  =======

Vertices: regions 1,024 → 963, context 9,203 → 7,317. Load (read + build, cold): region_layer
≈ 0.2 s, context_layer ≈ 0.05 s; ``map_layers()`` cold ≈ 0.4 s, cached < 1 ms.

The 1:20M files are already generalised, so most of the saving comes from rounding coordinates to
3 decimals (about 100 m); coverage simplification (shared borders stay shared) then removes 61
region vertices and about 1,900 context vertices. At the chosen tolerances Melilla (ES64, 4
vertices), Wien (AT13) and Berlin (DE30) keep their shape and area (coverage simplification never
reduces a ring below a triangle) and every output polygon is valid; from tolerance 0.1 on Wien
keeps only 73 % of its area and Berlin 92 %, hence 0.02 for regions and 0.05 for the background.
Figures are in :data:`GEOMETRY_SIZES` (checked by the tests).

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
import json
import os
import shutil
import socket
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import box, mapping, shape

from dashboard import __version__, config
from dashboard.constants import MAP_CREDIT
from dashboard.errors import GeoDataMissing, GeoFetchError

CREDIT = MAP_CREDIT

ENV_VAR = "MIPEXR_GEO_DIR"
GISCO_BASE_URL = "https://gisco-services.ec.europa.eu/distribution/v2/"

#: The 25 MIPEX-R regions as (NUTS 2021 code, NUTS level), in the order of the domain table.
DEFAULT_REGIONS: tuple[tuple[str, int], ...] = (
    ("AT13", 2), ("AT34", 2), ("AT33", 2),
    ("BE2", 1), ("BE3", 1),
    ("DE80", 2), ("DE2", 1), ("DE30", 2),
    ("ITF3", 2), ("ITH5", 2), ("ITH4", 2), ("ITF4", 2), ("ITH3", 2), ("ITH2", 2), ("ITH1", 2),
    ("PT20", 2), ("PT17", 2),
    ("ES51", 2), ("ES62", 2), ("ES22", 2), ("ES21", 2), ("ES52", 2), ("ES64", 2),
    ("SE224", 3), ("SE232", 3),
)

#: NUTS 2021 codes that changed in NUTS 2024 → their NUTS 2024 parts (same level). Codes not
#: listed are read unchanged from the 2024 files.
NUTS2024_IDS: dict[str, tuple[str, ...]] = {"PT17": ("PT1A", "PT1B")}

#: Scales available per NUTS vintage (file name part).
SCALES: dict[int, tuple[str, ...]] = {2021: ("20M", "60M"), 2024: ("20M",)}

#: (lon_min, lat_min, lon_max, lat_max) the context layer is clipped to. West edge at -32 so the
#: Azores (PT20 reaches lon -31.27) stay framed; Canary Islands (lat ≈ 27.6) are inside.
EUROPE_BBOX: tuple[float, float, float, float] = (-32.0, 26.0, 45.0, 72.0)

#: Countries whose bounding box meets this box make up the "europe_context" file (GISCO rule
#: used for ../shared/geo; the United States are excluded because the Aleutians span the globe).
CONTEXT_SELECT_BBOX: tuple[float, float, float, float] = (-32.0, 25.0, 50.0, 72.0)
CONTEXT_EXCLUDE: tuple[str, ...] = ("US",)

#: Default simplification tolerances in degrees (≈ square root of the triangle area removed by
#: Visvalingam–Whyatt coverage simplification). See GEOMETRY_SIZES.
REGION_TOLERANCE = 0.02
CONTEXT_TOLERANCE = 0.05
DEFAULT_PRECISION = 3

#: Sizes in bytes of the compact GeoJSON, measured by benchmarks/geo_size.py on ../shared/geo.
GEOMETRY_SIZES: dict[str, dict[str, float]] = {
    "regions": {"features": 25, "raw": 23_474, "rounded": 19_400, "simplified": 18_473,
                "tolerance": REGION_TOLERANCE, "precision": DEFAULT_PRECISION},
    "context": {"features": 72, "raw": 366_182, "rounded": 150_132, "simplified": 123_830,
                "tolerance": CONTEXT_TOLERANCE, "precision": DEFAULT_PRECISION},
}

LABEL_POINTS_FILE = "gisco_nuts_2021_labelpoints_4326_alllevels.geojson"
CONTEXT_FILE = "gisco_cntr_2024_20M_4326_europe_context.geojson"
WORLD_FILE = "gisco_cntr_2024_20M_4326_world.geojson"

#: Browser path of the offline plotly.js base maps (served by Dash from assets/).
TOPOJSON_ASSETS_PATH = "assets/topojson/"
TOPOJSON_DIR = config.ASSETS_DIR / "topojson"


def nuts_file(vintage: int, level: int, scale: str = "20M") -> str:
    """File name of one GISCO NUTS level file, as used in ../shared/geo and by :func:`fetch_geo`."""
    return f"gisco_nuts_{vintage}_{scale}_4326_level{level}.geojson"


#: Files a folder must hold to be chosen by :func:`resolve_geo_dir` (what ``map_layers()`` reads).
REQUIRED_FILES: tuple[str, ...] = (
    nuts_file(2021, 1), nuts_file(2021, 2), nuts_file(2021, 3), CONTEXT_FILE,
)

#: What :func:`fetch_geo` downloads: (path under GISCO_BASE_URL, local file name, id property).
FETCH_FILES: tuple[tuple[str, str, str], ...] = (
    *((f"nuts/geojson/NUTS_RG_20M_2021_4326_LEVL_{lv}.geojson", nuts_file(2021, lv), "NUTS_ID")
      for lv in (1, 2, 3)),
    ("nuts/geojson/NUTS_LB_2021_4326.geojson", LABEL_POINTS_FILE, "NUTS_ID"),
    *((f"nuts/geojson/NUTS_RG_20M_2024_4326_LEVL_{lv}.geojson", nuts_file(2024, lv), "NUTS_ID")
      for lv in (1, 2, 3)),
    ("countries/geojson/CNTR_RG_20M_2024_4326.geojson", WORLD_FILE, "CNTR_ID"),
)


class UnknownRegionError(ValueError):
    """A region code is malformed or not present in the NUTS file it should come from."""


# --------------------------------------------------------------------------------------------
# Folder resolution
# --------------------------------------------------------------------------------------------

def _options_text() -> str:
    return (
        "Boundary files can come from any of:\n"
        f"  1. set the environment variable {ENV_VAR} to a folder holding the GISCO files;\n"
        "  2. run `python -m dashboard fetch-geo` to download GISCO's originals into "
        f"{config.PROJECT_GEO_DIR};\n"
        f"  3. place the shared boundary folder at {config.SHARED_GEO_DIR} "
        "(../shared/geo beside the project).\n"
        f"Needed files: {', '.join(REQUIRED_FILES)}."
    )


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
                f"{ENV_VAR} is set to '{env}', but that folder does not exist.\n" + _options_text())
        if not any(folder.iterdir()):
            raise GeoDataMissing(
                f"{ENV_VAR} is set to '{env}', but that folder is empty.\n" + _options_text())
        return folder
    for folder in (Path(config.PROJECT_GEO_DIR), Path(config.SHARED_GEO_DIR)):
        if _holds_required(folder):
            return folder
    raise GeoDataMissing("No GISCO boundary files found.\n" + _options_text())


def _geo_file(folder: Path, name: str) -> Path:
    path = folder / name
    if not path.is_file():
        raise GeoDataMissing(
            f"Boundary file {name} is missing from {folder}. Run `python -m dashboard fetch-geo` "
            f"or point {ENV_VAR} at a folder that holds it.")
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

def _normalise_regions(regions: Any) -> list[tuple[str, int]]:
    if regions is None:
        return list(DEFAULT_REGIONS)
    if isinstance(regions, pd.DataFrame):
        regions = zip(regions["region_id"], regions["nuts_level"])
    pairs: list[tuple[str, int]] = []
    seen: set[str] = set()
    for item in regions:
        try:
            code, level = item
            code, level = str(code).strip().upper(), int(level)
        except (TypeError, ValueError) as exc:
            raise UnknownRegionError(
                f"Region entry {item!r} is not a (NUTS code, level) pair") from exc
        if level not in (1, 2, 3) or len(code) != level + 2 or not code[:2].isalpha():
            raise UnknownRegionError(
                f"Region code '{code}' does not look like a NUTS-{level} code "
                f"(a NUTS-{level} code has {level + 2} characters, e.g. "
                f"{ {1: 'BE2', 2: 'PT17', 3: 'SE224'}.get(level, '?') })")
        if code in seen:
            raise UnknownRegionError(f"Region code '{code}' is listed twice")
        seen.add(code)
        pairs.append((code, level))
    if not pairs:
        raise UnknownRegionError("No regions given")
    return pairs


def _orient(geom):
    """Clockwise exterior rings (d3-geo / plotly.js convention, as in the GISCO files)."""
    return shapely.orient_polygons(geom, exterior_cw=True)


def region_layer(
    regions: list[tuple[str, int]] | None = None,
    vintage: int = 2021,
    scale: str = "20M",
    *,
    geo_dir: Path | None = None,
) -> gpd.GeoDataFrame:
    """The map layer: one feature per region, built from the GISCO level files.

    ``regions`` is a list of ``(NUTS 2021 code, level)`` pairs (default :data:`DEFAULT_REGIONS`);
    a DataFrame with ``region_id`` and ``nuts_level`` columns (the dataset's regions table) is
    accepted too. ``vintage`` 2021 or 2024 selects the NUTS files; with 2024 a code listed in
    :data:`NUTS2024_IDS` (PT17) is the dissolved union of its 2024 parts. ``scale`` is ``"20M"``
    (or ``"60M"`` for 2021). ``geo_dir`` overrides :func:`resolve_geo_dir`.

    Returns a GeoDataFrame (EPSG:4326) in the order given, columns ``region_id`` (NUTS 2021 code),
    ``nuts_id`` (the code(s) read from the files, ``;``-separated, e.g. ``PT1A;PT1B``) and
    ``geometry``. Raises :class:`UnknownRegionError` naming a code that is malformed or absent.
    """
    if vintage not in SCALES:
        raise ValueError(f"Unknown NUTS vintage {vintage!r}: use one of {sorted(SCALES)}")
    if scale not in SCALES[vintage]:
        raise ValueError(
            f"No {scale} boundary files for NUTS {vintage}: use one of {SCALES[vintage]}")
    pairs = _normalise_regions(regions)
    folder = Path(geo_dir) if geo_dir is not None else resolve_geo_dir()

    tables: dict[int, gpd.GeoDataFrame] = {}
    rows = []
    for region_id, level in pairs:
        parts = NUTS2024_IDS.get(region_id, (region_id,)) if vintage == 2024 else (region_id,)
        if level not in tables:
            tables[level] = _read(folder, nuts_file(vintage, level, scale)).set_index("NUTS_ID")
        table = tables[level]
        missing = [p for p in parts if p not in table.index]
        if missing:
            raise UnknownRegionError(
                f"Unknown region code '{region_id}'"
                + (f" (NUTS {vintage} parts {', '.join(missing)})" if parts != (region_id,) else "")
                + f": not found at NUTS level {level} in {nuts_file(vintage, level, scale)}")
        geoms = table.loc[list(parts), "geometry"].to_numpy()
        geom = geoms[0] if len(geoms) == 1 else shapely.union_all(geoms)
        rows.append({"region_id": region_id, "nuts_id": ";".join(parts), "geometry": _orient(geom)})
    return gpd.GeoDataFrame(rows, columns=["region_id", "nuts_id", "geometry"],
                            geometry="geometry", crs="EPSG:4326")


def _polygonal(geom):
    """Keep only the polygonal parts of a geometry (clipping can leave lines or points)."""
    if geom is None or geom.is_empty or geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    polys = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if polys else shapely.Polygon()


def context_layer(
    bbox: tuple[float, float, float, float] = EUROPE_BBOX,
    *,
    geo_dir: Path | None = None,
) -> gpd.GeoDataFrame:
    """Surrounding countries (GISCO countries 2024, 1:20M) clipped to ``bbox`` so the map frames
    Europe. Columns ``cntr_id`` (GISCO country code, e.g. ``FR``, ``EL``, ``UK``) and ``geometry``.
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

    ``regions_geojson``: FeatureCollection, feature ``id`` = region_id (NUTS 2021 code).
    ``context_geojson``: FeatureCollection of surrounding countries, feature ``id`` = cntr_id.
    ``label_points``: DataFrame ``region_id, lon, lat`` (GISCO label points, else a point inside).
    ``bounds``: ``(lon_min, lat_min, lon_max, lat_max)`` of the regions.
    """

    regions_geojson: dict
    context_geojson: dict
    label_points: pd.DataFrame
    bounds: tuple[float, float, float, float]
    vintage: int = 2021
    geo_dir: Path | None = None
    credit: str = field(default=CREDIT)


def _label_points(regions: gpd.GeoDataFrame, folder: Path) -> pd.DataFrame:
    points: dict[str, tuple[float, float]] = {}
    try:
        labels = _read(folder, LABEL_POINTS_FILE).drop_duplicates("NUTS_ID").set_index("NUTS_ID")
    except GeoDataMissing:
        labels = None
    for region_id, geom in zip(regions["region_id"], regions.geometry):
        pt = None
        if labels is not None and region_id in labels.index:
            cand = labels.at[region_id, "geometry"]
            if cand is not None and cand.geom_type == "Point" and geom.buffer(0.05).contains(cand):
                pt = cand
        if pt is None:
            pt = geom.representative_point()
        points[region_id] = (round(pt.x, 4), round(pt.y, 4))
    return pd.DataFrame([(rid, lon, lat) for rid, (lon, lat) in points.items()],
                        columns=["region_id", "lon", "lat"])


@functools.lru_cache(maxsize=8)
def _map_layers(geo_dir: Path, vintage: int, regions: tuple[tuple[str, int], ...]) -> MapLayers:
    reg = region_layer(list(regions), vintage=vintage, geo_dir=geo_dir)
    ctx = context_layer(geo_dir=geo_dir)
    reg_s = simplify_layer(reg, REGION_TOLERANCE)
    ctx_s = simplify_layer(ctx, CONTEXT_TOLERANCE)
    lon0, lat0, lon1, lat1 = (float(v) for v in reg.total_bounds)
    return MapLayers(
        regions_geojson=to_geojson(reg_s, "region_id"),
        context_geojson=to_geojson(ctx_s, "cntr_id"),
        label_points=_label_points(reg, geo_dir),
        bounds=(lon0, lat0, lon1, lat1),
        vintage=vintage,
        geo_dir=geo_dir,
    )


def map_layers(vintage: int = 2021, regions: list[tuple[str, int]] | None = None) -> MapLayers:
    """The simplified region and context layers as GeoJSON, label points and bounds.

    Cached per (resolved folder, vintage, regions); :func:`clear_cache` empties the cache.
    """
    key = tuple(_normalise_regions(regions))
    return _map_layers(resolve_geo_dir().resolve(), vintage, key)


def clear_cache() -> None:
    """Forget cached layers and file reads (after ``fetch-geo`` or a change of folder)."""
    _map_layers.cache_clear()
    _read_cached.cache_clear()


# --------------------------------------------------------------------------------------------
# Offline plotly.js base maps
# --------------------------------------------------------------------------------------------

def topojson_url(app_prefix: str = "/") -> str:
    """URL prefix of the committed plotly.js base maps, for ``config={"topojsonURL": ...}``.

    ``app_prefix`` is the Dash ``requests_pathname_prefix`` (``"/"`` by default), e.g.
    ``topojson_url("/mipex/")`` → ``"/mipex/assets/topojson/"``. plotly.js then requests
    ``<url><scope>_<resolution>m.json`` (see assets/topojson/README.md).
    """
    prefix = "/" + (app_prefix or "/").strip("/")
    prefix = prefix if prefix.endswith("/") else prefix + "/"
    return prefix + TOPOJSON_ASSETS_PATH


# --------------------------------------------------------------------------------------------
# fetch-geo
# --------------------------------------------------------------------------------------------

def derive_europe_context(world: dict,
                          bbox: tuple[float, float, float, float] = CONTEXT_SELECT_BBOX,
                          exclude: Iterable[str] = CONTEXT_EXCLUDE) -> dict:
    """The "europe_context" FeatureCollection from GISCO's world countries file: the countries
    whose bounding box meets ``bbox`` (lon_min, lat_min, lon_max, lat_max), ``exclude`` left out;
    features copied unchanged."""
    lon0, lat0, lon1, lat1 = bbox
    excluded = set(exclude)
    keep = []
    for feat in world.get("features", []):
        props = feat.get("properties") or {}
        if props.get("CNTR_ID") in excluded or not feat.get("geometry"):
            continue
        minx, miny, maxx, maxy = shape(feat["geometry"]).bounds
        if minx <= lon1 and maxx >= lon0 and miny <= lat1 and maxy >= lat0:
            keep.append(feat)
    out = {"type": "FeatureCollection"}
    if "crs" in world:
        out["crs"] = world["crs"]
    out["features"] = keep
    return out


def _download(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(
        url, headers={"User-Agent": f"MIPEX-R-Explorer/{__version__} (fetch-geo)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read()
            expected = response.headers.get("Content-Length")
    except urllib.error.HTTPError as exc:
        raise GeoFetchError(f"could not download {url}: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise GeoFetchError(f"could not download {url}: {exc.reason}") from exc
    except (TimeoutError, socket.timeout) as exc:
        raise GeoFetchError(f"could not download {url}: timed out after {timeout} s") from exc
    except OSError as exc:
        raise GeoFetchError(f"could not download {url}: {exc}") from exc
    if expected is not None and expected.isdigit() and int(expected) != len(data):
        raise GeoFetchError(
            f"could not download {url}: got {len(data)} of {expected} bytes (connection cut)")
    return data


def _validate(data: bytes, url: str, id_property: str) -> dict:
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GeoFetchError(f"{url} is not valid JSON ({exc})") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise GeoFetchError(f"{url} is not a GeoJSON FeatureCollection")
    features = doc.get("features")
    if not isinstance(features, list) or not features:
        raise GeoFetchError(f"{url} is a FeatureCollection without features")
    for i, feat in enumerate(features):
        if (not isinstance(feat, dict) or feat.get("type") != "Feature"
                or not isinstance(feat.get("geometry"), dict)
                or id_property not in (feat.get("properties") or {})):
            raise GeoFetchError(
                f"{url}: feature {i} is not a GeoJSON Feature with a geometry and "
                f"a '{id_property}' property")
    return doc


def fetch_geo(dest: Path | None = None, base_url: str = GISCO_BASE_URL,
              timeout: float = 60) -> list[Path]:
    """Download GISCO's official boundary files into ``dest`` (default the project's ``geo/``).

    Fetches NUTS 2021 levels 1–3 at 1:20M, the NUTS 2021 label points, NUTS 2024 levels 1–3 at
    1:20M and the 2024 countries file (:data:`FETCH_FILES`), then derives the europe_context
    file locally (:func:`derive_europe_context`). Files get the same names as in
    ``../shared/geo`` so :func:`resolve_geo_dir` treats both folders alike.

    All-or-nothing: every file is downloaded into a temporary folder inside ``dest`` and checked
    to be a GeoJSON FeatureCollection; only when all succeeded are they moved into place (an
    atomic rename each). On any failure :class:`GeoFetchError` names the URL and the reason and
    ``dest`` is left as it was. Returns the written paths.
    """
    dest = Path(dest) if dest is not None else Path(config.PROJECT_GEO_DIR)
    base = base_url if base_url.endswith("/") else base_url + "/"
    try:
        dest.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".fetch-geo-", dir=dest))
    except OSError as exc:
        raise GeoFetchError(f"fetch-geo: cannot write to {dest}: {exc}") from exc
    try:
        staged: list[Path] = []
        world: dict | None = None
        for remote, local, id_property in FETCH_FILES:
            url = base + remote
            data = _download(url, timeout)
            doc = _validate(data, url, id_property)
            if local == WORLD_FILE:
                world = doc
            path = staging / local
            path.write_bytes(data)
            staged.append(path)
        if world is not None:
            context = derive_europe_context(world)
            if not context["features"]:
                raise GeoFetchError("the countries file has no European country: wrong file?")
            path = staging / CONTEXT_FILE
            path.write_text(json.dumps(context, separators=(",", ":"), ensure_ascii=False),
                            encoding="utf-8")
            staged.append(path)
        written = []
        for path in staged:
            target = dest / path.name
            os.replace(path, target)
            written.append(target)
    except GeoFetchError as exc:
        raise GeoFetchError(f"fetch-geo: {exc}. Nothing was written to {dest}.") from exc
    except OSError as exc:
        raise GeoFetchError(f"fetch-geo: cannot write to {dest}: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    clear_cache()
    return written
