"""Import + validation + scoring at scale, and the cost of a hostile file. Prints ``name: value unit`` lines.

Run from the project root:  .venv/bin/python benchmarks/import_scale.py [--regions 1500] [--editions 5]

Synthetic data: ``--regions`` NUTS-3-like regions (codes ``XA000``…, names ``Region 0``…), the embedded
61-indicator framework, answers for every region × indicator × edition (457,500 rows at the defaults), and the
published score tables of the same editions (regions × 18 dimensions × editions = 135,000 scores) as one long
CSV (regions by name) and one wide CSV per edition (regions by code). Steps, each timed:

1. ``load base``: :func:`dashboard.data.load_dataset` of the synthetic package — validation of every resource
   and scoring of every edition from the answers;
2. ``preview long`` / ``preview wide``: :func:`dashboard.importing.preview_import` — read, match regions and
   dimensions, compare with the loaded data;
3. ``write + load``: :func:`dashboard.importing.write_package` — copy, write, validate and score the new package.

Goal (issue 10): the total under 5 s on the 2-core machine, peak RSS under 1 GB. The hostile file (1 MB answers
file whose header ends in one long cell) is measured in a fresh interpreter: goal peak RSS under 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from dashboard import config, data, importing, scoring  # noqa: E402

HOSTILE = """
import json
from dashboard import data
size = 1024 * 1024
head = "region_id,indicator_id,value" + "x" * (size // 2) + "\\n"
content = (head + "AT13,antidiscrimination.strategy,50\\n" * ((size - len(head)) // 36)).encode()
current = data.load_dataset()
try:
    data.replace_resource(current, "answers", "answers.csv", content)
except Exception as exc:
    message = str(exc)
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"peak_mb": int(hwm.split()[1]) / 1024, "message": message}))
"""


def peak_mb() -> float:
    """Peak resident memory of this process (VmHWM: unlike ru_maxrss it is not inherited across exec)."""
    try:
        with open("/proc/self/status") as status:
            return int(next(x for x in status if x.startswith("VmHWM")).split()[1]) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timer:
    """Wall-clock and CPU seconds of a step (CPU time is what the step costs when the machine is shared)."""

    def __init__(self, timings: dict, name: str):
        self.timings, self.name = timings, name

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def __exit__(self, *exc):
        self.timings[self.name] = (time.perf_counter() - self.wall, time.process_time() - self.cpu)


def build(folder: Path, n_regions: int, editions: list[int], seed: int = 7) -> tuple[list[Path], list[Path]]:
    rng = np.random.default_rng(seed)
    codes = [f"X{chr(65 + i // 1000)}{i % 1000:03d}" for i in range(n_regions)]
    regions = pd.DataFrame({
        "region_id": codes, "name_local": [f"Región {i}" for i in range(n_regions)],
        "name_en": [f"Region {i}" for i in range(n_regions)], "country": "XX", "country_name": "Synthetia",
        "nuts_level": 3, "nuts2024_ids": codes, "partner_region": False,
    })
    regions.to_csv(folder / "regions.csv", index=False)
    shutil.copy(config.EMBEDDED_DATA_DIR / "framework.csv", folder / "framework.csv")
    fw = pd.read_csv(folder / "framework.csv")
    ids = fw["indicator_id"].to_numpy()
    percent = (fw["scale"] == "percent").to_numpy()
    parts = []
    for edition in editions:
        values = rng.choice([0.0, 50.0, 100.0], size=(n_regions, len(ids)))
        values[:, percent] = rng.integers(0, 101, size=(n_regions, int(percent.sum())))
        parts.append(pd.DataFrame({"region_id": np.repeat(codes, len(ids)), "indicator_id": np.tile(ids, n_regions),
                                   "value": values.ravel(), "edition": edition}))
    pd.concat(parts).to_csv(folder / "answers.csv", index=False)
    desc = json.loads((config.EMBEDDED_DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    desc["resources"] = [r for r in desc["resources"] if r["name"] in ("regions", "framework", "answers")]
    (folder / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")

    dims = list(scoring.DIMENSIONS)
    long_rows, wide_files = [], []
    for edition in editions:
        scores = rng.uniform(0, 100, size=(n_regions, len(dims))).round(1)
        wide = pd.DataFrame(scores, columns=[scoring.dimension_label(d, short=True) for d in dims])
        wide.insert(0, "NUTS code", codes)
        path = folder / f"wide-{edition}.csv"
        wide.to_csv(path, index=False)
        wide_files.append(path)
        long_rows.append(pd.DataFrame({"Region": np.repeat(regions["name_en"], len(dims)),
                                       "Dimension": np.tile([scoring.dimension_label(d) for d in dims], n_regions),
                                       "Edition": edition, "Score": scores.ravel()}))
    long_path = folder / "long.csv"
    pd.concat(long_rows).to_csv(long_path, index=False, sep=";", decimal=",")
    return [long_path], wide_files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--regions", type=int, default=1500)
    parser.add_argument("--editions", type=int, default=5)
    args = parser.parse_args()
    editions = list(range(2021 - args.editions + 1, 2022))
    work = Path(tempfile.mkdtemp(prefix="mipexr-bench-"))
    try:
        base = work / "base"
        base.mkdir()
        long_files, wide_files = build(base, args.regions, editions)
        print(f"answers rows: {args.regions * 61 * len(editions)} rows")
        print(f"score cells: {args.regions * len(scoring.DIMENSIONS) * len(editions)} cells")
        timings = {}

        with Timer(timings, "load base (validate + score answers)"):
            current = data.load_dataset(base)
            current.wide_scores
        assert current.editions == tuple(editions), current.editions
        with Timer(timings, "preview long (read + match + compare)"):
            long_preview = importing.preview_import(long_files, current)
        assert long_preview.ok, long_preview.lines()[:20]
        with Timer(timings, "preview wide, one file per edition (no --edition: refused)"):
            wide_preview = importing.preview_import(wide_files, current, edition=None)
        assert not wide_preview.ok  # the wide files carry no edition column: every file needs --edition
        with Timer(timings, "preview wide, one edition"):
            wide_one = importing.preview_import(wide_files[-1:], current, edition=editions[-1])
        assert wide_one.ok
        with Timer(timings, "write + load new package (validate + score)"):
            result = importing.write_package(long_preview, current, work / "out", source="benchmark")
            result.dataset.wide_scores
        assert result.dataset.editions == tuple(editions)

        for name, (wall, cpu) in timings.items():
            print(f"{name}: {wall:.2f} s wall, {cpu:.2f} s CPU")
        steps = [v for k, v in timings.items() if "wide" not in k]
        print(f"import + validation + scoring total (load base, preview long, write + load): "
              f"{sum(w for w, _ in steps):.2f} s wall, {sum(c for _, c in steps):.2f} s CPU (goal < 5 s)")
        print(f"load average (1 min) while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"peak RSS: {peak_mb():.0f} MB (goal < 1024 MB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    out = subprocess.run([sys.executable, "-c", HOSTILE], capture_output=True, text=True, cwd=ROOT, timeout=300)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"hostile 1 MB answers file, peak RSS of a fresh interpreter: {got['peak_mb']:.0f} MB (goal < 200 MB)")
    print(f"hostile 1 MB answers file, message: {got['message'][:160]}")


if __name__ == "__main__":
    main()
