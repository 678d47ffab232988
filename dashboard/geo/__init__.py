"""Boundaries for the map (GISCO NUTS files): ``layers`` reads them and builds the map layers from
the dataset's regions; ``fetch`` downloads them (``python -m dashboard fetch-geo``).

Callers use the package: ``from dashboard import geo; geo.map_layers(dataset.regions)``,
``geo.CREDIT``, ``geo.GeoDataMissing``, ``geo.fetch_geo(...)``. This package imports nothing above
it (no figures, views, components, callbacks or pages).
"""

from __future__ import annotations

from dashboard.errors import GeoDataMissing, GeoFetchError
from dashboard.geo.fetch import (
    CONTEXT_EXCLUDE,
    CONTEXT_SELECT_BBOX,
    FETCH_FILES,
    GISCO_BASE_URL,
    WORLD_FILE,
    derive_europe_context,
    fetch_geo,
)
from dashboard.geo.layers import (
    CONTEXT_FILE,
    CONTEXT_TOLERANCE,
    CREDIT,
    DEFAULT_PRECISION,
    ENV_VAR,
    EUROPE_BBOX,
    GEOJSON_LAYERS,
    GEOMETRY_SIZES,
    LABEL_POINTS_FILE,
    LEVELS,
    NUTS2024_IDS,
    REGION_TOLERANCE,
    REQUIRED_FILES,
    SCALES,
    TOPOJSON_ASSETS_PATH,
    TOPOJSON_DIR,
    MapLayers,
    UnknownRegionError,
    clear_cache,
    context_layer,
    geojson_urls,
    json_size,
    keyed_layers,
    layers_key,
    map_layers,
    normalise_regions,
    nuts_file,
    region_layer,
    resolve_geo_dir,
    simplify_layer,
    to_geojson,
    topojson_url,
)

__all__ = [
    "CONTEXT_EXCLUDE", "CONTEXT_FILE", "CONTEXT_SELECT_BBOX", "CONTEXT_TOLERANCE", "CREDIT",
    "DEFAULT_PRECISION", "ENV_VAR", "EUROPE_BBOX", "GEOJSON_LAYERS", "FETCH_FILES", "GEOMETRY_SIZES", "GISCO_BASE_URL",
    "GeoDataMissing", "GeoFetchError", "LABEL_POINTS_FILE", "LEVELS", "MapLayers", "NUTS2024_IDS",
    "REGION_TOLERANCE", "REQUIRED_FILES", "SCALES", "TOPOJSON_ASSETS_PATH", "TOPOJSON_DIR",
    "UnknownRegionError", "WORLD_FILE", "clear_cache", "context_layer", "derive_europe_context",
    "fetch_geo", "geojson_urls", "json_size", "keyed_layers", "layers_key", "map_layers", "normalise_regions",
    "nuts_file", "region_layer",
    "resolve_geo_dir", "simplify_layer", "to_geojson", "topojson_url",
]
