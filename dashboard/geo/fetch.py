"""``fetch-geo``: download GISCO's official boundary files into the project's ``geo/`` folder.

All-or-nothing (see :func:`fetch_geo`); every file is checked to be a GeoJSON FeatureCollection
whose features carry the id property before anything is moved into place. The "europe_context"
file is derived locally from GISCO's world countries file (:func:`derive_europe_context`), by the
same rule that made the copy in ``../shared/geo``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterable
from pathlib import Path

from shapely.geometry import shape

from dashboard import __version__, config
from dashboard.errors import GeoFetchError
from dashboard.geo.layers import (
    CONTEXT_FILE,
    LABEL_POINTS_FILE,
    LEVELS,
    clear_cache,
    nuts_file,
)

GISCO_BASE_URL = "https://gisco-services.ec.europa.eu/distribution/v2/"
#: GISCO's world countries (fetched; the europe_context file is derived from it).
WORLD_FILE = "gisco_cntr_2024_20M_4326_world.geojson"

#: Countries whose bounding box meets this box make up the "europe_context" file (GISCO rule
#: used for ../shared/geo; the United States are excluded because the Aleutians span the globe).
CONTEXT_SELECT_BBOX: tuple[float, float, float, float] = (-32.0, 25.0, 50.0, 72.0)
CONTEXT_EXCLUDE: tuple[str, ...] = ("US",)

#: What :func:`fetch_geo` downloads: (path under GISCO_BASE_URL, local file name, id property).
FETCH_FILES: tuple[tuple[str, str, str], ...] = (
    *((f"nuts/geojson/NUTS_RG_20M_2021_4326_LEVL_{lv}.geojson", nuts_file(2021, lv), "NUTS_ID")
      for lv in LEVELS),
    ("nuts/geojson/NUTS_LB_2021_4326.geojson", LABEL_POINTS_FILE, "NUTS_ID"),
    *((f"nuts/geojson/NUTS_RG_20M_2024_4326_LEVL_{lv}.geojson", nuts_file(2024, lv), "NUTS_ID")
      for lv in LEVELS),
    ("countries/geojson/CNTR_RG_20M_2024_4326.geojson", WORLD_FILE, "CNTR_ID"),
)


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


def validate(data: bytes, url: str, id_property: str) -> dict:
    """``data`` parsed as a GeoJSON FeatureCollection whose every feature has a geometry and an
    ``id_property``; :class:`GeoFetchError` naming ``url`` and the problem otherwise."""
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

    Fetches NUTS 2021 levels 0–3 at 1:20M, the NUTS 2021 label points, NUTS 2024 levels 0–3 at
    1:20M and the 2024 countries file (:data:`FETCH_FILES`), then derives the europe_context
    file locally (:func:`derive_europe_context`). Files get the same names as in
    ``../shared/geo`` so ``resolve_geo_dir`` treats both folders alike.

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
            doc = validate(data, url, id_property)
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
