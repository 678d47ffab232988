"""Print the JSON size of the map layers: raw vs rounded vs simplified, and load times.

Run from the project root:  .venv/bin/python benchmarks/geo_size.py [--folder PATH]

"raw" = unsimplified geometry at the files' full coordinate precision; "rounded" = unsimplified,
coordinates on a 10**-precision grid; "simplified" = coverage simplification at the tolerance,
then rounded. Sizes are compact JSON bytes (what plotly receives before HTTP compression).
The regions are the embedded dataset's (25, mixed NUTS levels); the last lines build the layers of
every NUTS-2 and NUTS-3 unit of the boundary files, the scale issue 16 aims at.
The figures quoted in dashboard/geo/layers.py (GEOMETRY_SIZES) come from this script.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import geopandas as gpd  # noqa: E402
import shapely  # noqa: E402

from dashboard import data, geo  # noqa: E402

SMALL = ("ES64", "AT13", "DE30")  # Melilla, Wien, Berlin


def _vertices(gdf) -> int:
    return int(shapely.get_num_coordinates(gdf.geometry.to_numpy()).sum())


def measure(name, gdf, id_field, tolerance, precision):
    raw = geo.json_size(geo.to_geojson(gdf, id_field, precision=None))
    rounded = geo.json_size(geo.to_geojson(gdf, id_field, precision=precision))
    t0 = time.perf_counter()
    simple = geo.simplify_layer(gdf, tolerance)
    t_simplify = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = geo.to_geojson(simple, id_field, precision=precision)
    t_json = time.perf_counter() - t0
    simplified = geo.json_size(out)
    print(f"{name:8s} features={len(gdf):3d} vertices {_vertices(gdf):6d} -> {_vertices(simple):6d}"
          f" | bytes raw {raw:9,d}  rounded({precision}dp) {rounded:9,d}"
          f"  simplified(tol {tolerance}) {simplified:9,d}  ratio {simplified / raw:.2f}"
          f" | simplify {t_simplify * 1000:.0f} ms, to_geojson {t_json * 1000:.0f} ms")
    return simple, out


def small_regions_report(regions, simple, precision):
    geojson = geo.to_geojson(simple, "region_id", precision=precision)
    by_id = {f["id"]: f for f in geojson["features"]}
    before = regions.set_index("region_id").geometry
    after = simple.set_index("region_id").geometry
    for rid in SMALL:
        g = shapely.geometry.shape(by_id[rid]["geometry"])
        print(f"  {rid}: vertices {shapely.get_num_coordinates(before[rid])} -> "
              f"{shapely.get_num_coordinates(after[rid])}, area kept "
              f"{after[rid].area / before[rid].area:.3f}, output valid={g.is_valid} "
              f"empty={g.is_empty}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=None,
                        help="boundary folder (default: geo.resolve_geo_dir())")
    parser.add_argument("--precision", type=int, default=geo.DEFAULT_PRECISION)
    args = parser.parse_args(argv)
    folder = args.folder or geo.resolve_geo_dir()
    print(f"boundary folder: {folder}")
    table = data.load_dataset().regions

    geo.clear_cache()
    t0 = time.perf_counter()
    regions = geo.region_layer(table, geo_dir=folder)
    t_regions = time.perf_counter() - t0
    t0 = time.perf_counter()
    context = geo.context_layer(geo_dir=folder)
    t_context = time.perf_counter() - t0
    print(f"load (read + build, cold): region_layer {t_regions * 1000:.0f} ms, "
          f"context_layer {t_context * 1000:.0f} ms")

    simple, _ = measure("regions", regions, "region_id", geo.REGION_TOLERANCE, args.precision)
    small_regions_report(regions, simple, args.precision)
    measure("context", context, "cntr_id", geo.CONTEXT_TOLERANCE, args.precision)

    print("tolerance sweep (bytes at %d dp; small regions' area kept ES64/AT13/DE30):"
          % args.precision)
    before = regions.set_index("region_id").geometry
    for tol in (0.0, 0.01, 0.02, 0.05, 0.1, 0.2):
        s_reg = geo.simplify_layer(regions, tol)
        s_ctx = geo.simplify_layer(context, tol)
        after = s_reg.set_index("region_id").geometry
        kept = "/".join(f"{after[r].area / before[r].area:.2f}" for r in SMALL)
        print(f"  tol {tol:<5} regions {geo.json_size(geo.to_geojson(s_reg, 'region_id')):8,d}"
              f"  context {geo.json_size(geo.to_geojson(s_ctx, 'cntr_id')):8,d}  {kept}")

    geo.clear_cache()
    t0 = time.perf_counter()
    geo.map_layers(table)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    layers = geo.map_layers(table)
    warm = time.perf_counter() - t0
    print(f"map_layers(): cold {cold * 1000:.0f} ms, cached {warm * 1e6:.0f} µs; "
          f"regions {geo.json_size(layers.regions_geojson):,d} B, "
          f"context {geo.json_size(layers.context_geojson):,d} B")
    for vintage in (2024,):
        t0 = time.perf_counter()
        layer = geo.region_layer(table, vintage=vintage, geo_dir=folder)
        print(f"region_layer(vintage={vintage}): {len(layer)} features, "
              f"{(time.perf_counter() - t0) * 1000:.0f} ms")
    for level in (2, 3):
        codes = gpd.read_file(folder / geo.nuts_file(2021, level))["NUTS_ID"]
        every = [(code, level) for code in codes]
        geo.clear_cache()
        t0 = time.perf_counter()
        big = geo.map_layers(every)
        print(f"map_layers(every NUTS-{level} unit, {len(every)}): cold "
              f"{(time.perf_counter() - t0) * 1000:.0f} ms; regions {geo.json_size(big.regions_geojson):,d} B, "
              f"context {geo.json_size(big.context_geojson):,d} B, missing {len(big.missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
