"""An accepted import written as a new data package folder (the only module of ``importing`` that writes).

:func:`scores_resource` turns a preview into the ``scores`` table and its descriptor entry (real scores:
``illustrative: false``, the source, the editions, the imported files' names, sizes and SHA-256) — the parts a
database version will store too. :func:`write_package` copies the other resources of the current package, adds
that ``scores`` resource, validates the result with :func:`dashboard.data.load_dataset` in a temporary folder
next to the destination and only then moves it into place; the temporary folder is removed on any failure.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard import config, data, scoring
from dashboard.errors import UserError
from dashboard.i18n import _
from dashboard.importing.preview import ImportPreview
from dashboard.tabular.limits import short_name


class PackageExists(UserError):
    """The destination folder exists and is not empty."""


@dataclass(frozen=True)
class ImportResult:
    """Where the package was written and the dataset loaded from it."""

    path: Path
    dataset: data.Dataset


def _editions_text(editions) -> str:
    return ", ".join(str(e) for e in editions)


def scores_resource(preview: ImportPreview, source: str | None = None,
                    current: data.Dataset | None = None) -> tuple[pd.DataFrame, dict]:
    """The ``scores`` table (long ``region_id,dimension,edition,score``, missing cells left out) and its
    descriptor entry. Published, non-illustrative editions of ``current`` that the import does not replace are
    kept (their source stays listed). Raises the preview's error when not everything was recognised."""
    error = preview.error()
    if error is not None:
        raise error
    frame = preview.scores.dropna(subset=["score"])[["region_id", "dimension", "edition", "score"]]
    sources = [{"title": source or "imported file(s) " + ", ".join(f.file for f in preview.files)}]
    if current is not None and current.scores_published and not current.resource_illustrative.get("scores", True):
        kept = current.all_scores[~current.all_scores["edition"].isin(preview.editions)]
        kept = kept.dropna(subset=["score"])[["region_id", "dimension", "edition", "score"]]
        if len(kept):
            frame = pd.concat([kept, frame], ignore_index=True)
            sources.append({"title": current.sources.get("scores") or "earlier import"})
    order = {d: i for i, d in enumerate(scoring.DIMENSIONS)}
    frame = (frame.assign(_d=frame["dimension"].map(order)).sort_values(["edition", "region_id", "_d"])
             .drop(columns="_d").reset_index(drop=True))
    frame["edition"] = frame["edition"].astype("Int64")
    editions = sorted(int(e) for e in frame["edition"].unique())
    entry = {
        "name": "scores",
        "path": "scores.csv",
        "format": "csv",
        "encoding": "utf-8",
        "title": f"Published MIPEX-R scores, edition(s) {_editions_text(editions)}",
        "illustrative": False,
        "editions": editions,
        "units": {"score": "points on a 0-100 scale"},
        "sources": sources,
        "imported": {
            "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "files": [{"name": f.file, "bytes": f.size, "sha256": f.sha256} for f in preview.files],
        },
        "schema": data.schema_with_edition(data.SCORES_SCHEMA),
    }
    if len(editions) == 1:
        entry["edition"] = editions[0]
    return frame, entry


def default_destination(editions) -> Path:
    """A new folder under ``MIPEXR_VAR_DIR/datasets``: ``import-<UTC time>-<editions>``."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
    base = config.var_dir() / "datasets"
    name = f"import-{stamp}-{'-'.join(map(str, editions)) or 'scores'}"
    path, n = base / name, 1
    while path.exists():
        n += 1
        path = base / f"{name}-{n}"
    return path


def write_package(preview: ImportPreview, current: data.Dataset, out: Path | str | None = None,
                  source: str | None = None) -> ImportResult:
    """Write a data package of ``current``'s resources with the imported scores in place of its ``scores``.

    ``out``: a new or empty folder (default :func:`default_destination`). The package is validated before it is
    moved into place; nothing is left behind on failure."""
    frame, entry = scores_resource(preview, source, current)
    dest = Path(out) if out is not None else default_destination(entry["editions"])
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise PackageExists(_("cannot write the package to {folder}: it exists and is not an empty folder; give a "
                              "new folder").format(folder=short_name(str(dest), 1000)))
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".import-", dir=dest.parent))
    except OSError as exc:
        raise PackageExists(_("cannot write to {folder}: {reason}").format(
            folder=short_name(str(dest.parent), 1000), reason=exc.strerror or exc)) from None
    try:
        desc = json.loads((current.data_dir / "datapackage.json").read_text(encoding="utf-8"))
        resources = []
        for res in desc.get("resources", []):
            if res.get("name") == "scores":
                continue
            name = Path(res["path"]).name
            shutil.copy2(current.data_dir / res["path"], tmp / name)
            resources.append(dict(res, path=name))
        # the answers (and the regions and framework they refer to) are copied unchanged, with the same top-level
        # edition and flags: the new package takes them as loaded for ``current`` instead of checking them again
        copied = {r.get("name") for r in resources}
        reuse = ("answers",) if {"answers", "framework"} <= copied and (
            "regions" in copied or "regions" in current.defaulted) else ()
        frame.to_csv(tmp / "scores.csv", index=False, lineterminator="\n")
        resources.append(entry)
        desc["resources"] = resources
        desc["title"] = f"MIPEX-R scores, edition(s) {_editions_text(entry['editions'])}"
        desc["description"] = (f"Published scores imported with python -m dashboard import "
                               f"({entry['sources'][0]['title']}); other resources copied from {current.title}.")
        (tmp / "datapackage.json").write_text(json.dumps(desc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        dataset = data.load_dataset(tmp, current.rule, unchanged_from=current, unchanged=reuse)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # readable like any new folder, not mkdtemp's private 0700
        if dest.exists():
            dest.rmdir()
        tmp.rename(dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return ImportResult(dest, dataclasses.replace(dataset, data_dir=dest))
