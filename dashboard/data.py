"""Loading and validating the data package (pure: reads files, never writes).

The dataset is a Frictionless Data Package (``datapackage.json``): every resource has a schema
(types, allowed values, 0–100 ranges, primary and foreign keys), units, source, licence and an
``illustrative`` flag. :func:`load_dataset` validates the whole package with the ``frictionless``
library before anything is shown, and turns every problem into an :class:`~dashboard.errors.InputError`
that names the file, the row (as a spreadsheet numbers it: header = row 1), the column and the rule.

Real files load the same way: point ``MIPEXR_DATA_DIR`` at a folder with a ``datapackage.json``
(copy ``data/datapackage.json``, set ``"illustrative": false``), or import single CSV/XLSX files in
the app (:func:`replace_resource`). Resource files may be CSV or XLSX (first sheet).

An optional ``scores`` resource (long ``region_id,dimension,score``) carries published scores; when
present it is shown instead of scores computed from ``answers``.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from dashboard import config, scoring
from dashboard.constants import ILLUSTRATIVE_MARK, MAX_FILE_BYTES
from dashboard.errors import InputError, InputErrors
from dashboard.outcomes import catalogue as outcome_catalogue

REQUIRED_RESOURCES = ("regions", "framework", "answers", "outcomes")
THREE_OPTION_VALUES = {0.0, 50.0, 100.0}
SCORES_SCHEMA = {
    "fields": [
        {"name": "region_id", "type": "string", "constraints": {"required": True}},
        {"name": "dimension", "type": "string", "constraints": {"required": True, "enum": list(scoring.DIMENSIONS)}},
        {"name": "score", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
    ],
    "primaryKey": ["region_id", "dimension"],
    "foreignKeys": [{"fields": ["region_id"], "reference": {"resource": "regions", "fields": ["region_id"]}}],
}


def fold(text: str) -> str:
    """Case- and accent-insensitive key: ``" Região Autónoma dos Açores "`` → ``"regiao autonoma dos acores"``."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


@dataclass(frozen=True, eq=False)
class Dataset:
    """A validated dataset with its computed scores. See docs/ARCHITECTURE.md for the columns."""

    regions: pd.DataFrame
    framework: pd.DataFrame
    answers: pd.DataFrame
    outcomes: pd.DataFrame
    scores: pd.DataFrame
    illustrative: bool
    resource_illustrative: dict[str, bool]
    sources: dict[str, str]
    title: str
    data_dir: Path
    rule: scoring.ScoringRule = field(default=scoring.DEFAULT_RULE)
    scores_published: bool = False
    #: the outcome indicator catalogue (``outcome_indicators`` resource; the embedded one for older packages)
    outcome_indicators: pd.DataFrame | None = None

    @cached_property
    def wide_scores(self) -> pd.DataFrame:
        """region_id × dimension scores, regions in the order of ``regions``."""
        table = scoring.wide(self.scores)
        return table.reindex([r for r in self.regions["region_id"] if r in table.index])

    @cached_property
    def _regions_by_id(self) -> dict[str, dict]:
        return {r["region_id"]: r for r in self.regions.to_dict("records")}

    def region(self, region_id: str) -> dict:
        """The region's row as a dict; KeyError naming the id if unknown."""
        try:
            return self._regions_by_id[region_id]
        except KeyError:
            raise KeyError(f"unknown region {region_id!r}") from None

    def has_region(self, region_id: str | None) -> bool:
        return region_id in self._regions_by_id

    @cached_property
    def _region_lookup(self) -> dict[str, str]:
        """Folded key → region id: the NUTS 2021 id, NUTS 2024 successor codes, English and local names."""
        lookup: dict[str, str] = {}
        for r in self._regions_by_id.values():
            rid = r["region_id"]
            keys = [rid, r.get("name_en"), r.get("name_local")]
            keys += str(r.get("nuts2024_ids") or "").split(";")
            for key in keys:
                if key and str(key).strip():
                    lookup.setdefault(fold(str(key)), rid)
        for r in self._regions_by_id.values():  # an exact id always wins over a name or a successor code
            lookup[fold(r["region_id"])] = r["region_id"]
        return lookup

    def resolve_region(self, value: str | None) -> str | None:
        """A region as typed (any case or accents; NUTS 2021 id, NUTS 2024 code such as PT1A, or name) →
        its region id; None when it is not a loaded region. The one region registry of the app."""
        if value is None:
            return None
        return self._region_lookup.get(fold(str(value)))

    def region_name(self, region_id: str) -> str:
        return self.region(region_id)["name_en"]

    def region_options(self) -> list[dict]:
        """Dropdown options: "Name (Country)" sorted by name."""
        rows = sorted(self._regions_by_id.values(), key=lambda r: r["name_en"])
        return [{"label": f"{r['name_en']} ({r['country_name']})", "value": r["region_id"]} for r in rows]

    def scores_table(self) -> pd.DataFrame:
        """Wide scores joined with name, country and group (one row per region)."""
        table = self.wide_scores.copy()
        meta = self.regions.set_index("region_id")[["name_en", "name_local", "country", "country_name"]]
        table = meta.join(table, how="inner")
        table.insert(4, "group", table["overall"].map(scoring.group_of))
        table.index.name = "region_id"
        return table

    def outcomes_for(self, region_id: str) -> pd.DataFrame:
        return self.outcomes[self.outcomes["region_id"] == region_id].reset_index(drop=True)

    @property
    def source_line(self) -> str:
        base = f"Source: {scoring.SOURCE_LINE}. Scale 0–100."
        if self.illustrative:
            base += f" {ILLUSTRATIVE_MARK}."
        return base


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------

_FK_FIELD = re.compile(r'for "([^"]+)": values "([^"]*)"')


def _friendly(error, file: str) -> InputError:
    """frictionless error → InputError with file, row, column and a plain rule."""
    kind = error.type
    row = getattr(error, "row_number", None)
    column = getattr(error, "field_name", None)
    cell = getattr(error, "cell", None)
    note = getattr(error, "note", "") or ""
    if kind == "constraint-error":
        rule = f"value {cell!r} breaks the rule {note}"
        if "maximum" in note or "minimum" in note:
            rule = f"value {cell} is outside the allowed range ({note})"
        elif "enum" in note:
            rule = f"value {cell!r} is not an allowed value ({note})"
        elif "required" in note:
            rule = "a value is required here"
    elif kind == "type-error":
        match = re.search(r'type is "(\w+)', note)
        expected = {"number": "a number", "integer": "a whole number", "boolean": "true or false"}.get(
            match.group(1) if match else "", f"of the right type ({note})")
        rule = f"value {cell!r} is not {expected}"
    elif kind == "foreign-key":
        match = _FK_FIELD.search(error.message)
        column = match.group(1) if match else column
        value = match.group(2) if match else ""
        kind_name = "region" if column == "region_id" else "indicator" if column == "indicator_id" else column
        rule = f"unknown {kind_name} id {value!r}"
    elif kind == "primary-key":
        rule = f"duplicate row ({note})" if note else "duplicate row"
        rule = rule.replace("the same as in the row at position", "the same key as row")
    elif kind == "encoding-error":
        rule = "the file is not UTF-8 text; save it as UTF-8 (CSV UTF-8) and try again"
    elif kind in ("source-error", "scheme-error", "format-error") and "empty" in error.message:
        rule = "the file is empty"
    elif kind == "missing-label":
        rule = "this required column is missing"
    elif kind == "blank-row":
        rule = "blank row"
    elif kind == "extra-cell":
        rule = "the row has more cells than the header"
    else:
        rule = error.message
    return InputError(file, rule, row=row, column=column)


def too_big(name: str, size: int) -> InputError:
    """The error for a file over :data:`MAX_FILE_BYTES` (sizes in MB of 1024² bytes, as the upload page says)."""
    mb = 1024 * 1024
    return InputError(name, f"the file is {size / mb:.1f} MB; the limit is {MAX_FILE_BYTES / mb:.0f} MB")


def _check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise too_big(path.name, size)
    if size == 0:
        raise InputError(path.name, "the file is empty")


def _read_descriptor(descriptor: Path) -> dict:
    if not descriptor.exists():
        raise InputError(descriptor.name, f"no data package found at {descriptor}")
    try:
        return json.loads(descriptor.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(descriptor.name, f"not valid JSON: {exc}") from None


def _prepare_descriptor(desc: dict, base: Path) -> dict:
    """Normalise a descriptor: XLSX paths get ``format: xlsx``; header matched by name, not position."""
    desc = copy.deepcopy(desc)
    names = {r.get("name") for r in desc.get("resources", [])}
    missing = [n for n in REQUIRED_RESOURCES if n not in names]
    if missing:
        raise InputError("datapackage.json", f"missing resource(s): {', '.join(missing)}")
    for res in desc["resources"]:
        path = base / res["path"]
        if not path.exists():
            raise InputError(res["path"], f"file not found in {base}")
        _check_size(path)
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            res["format"] = "xlsx"
            res.pop("encoding", None)
        if res.get("name") == "scores" and "schema" not in res:
            res["schema"] = copy.deepcopy(SCORES_SCHEMA)
        # Columns are matched by name, in any order; extra columns are allowed, missing ones are errors.
        res["schema"]["fieldsMatch"] = "subset"
    return desc


def validate_package(desc: dict, base: Path) -> None:
    """Validate every resource against its schema; raise InputErrors listing the problems."""
    from frictionless import Package

    package = Package(desc, basepath=str(base))
    report = package.validate()
    if report.valid:
        return
    paths = {r["name"]: r["path"] for r in desc["resources"]}
    errors: list[InputError] = []
    for task in report.tasks:
        for err in task.errors:
            errors.append(_friendly(err, Path(paths.get(task.name, task.name)).name))
    for err in report.errors:
        errors.append(InputError("datapackage.json", err.message))
    raise InputErrors(errors)


def _typed(frame: pd.DataFrame, schema: dict) -> pd.DataFrame:
    """Cast columns by their schema type (validation has already passed)."""
    frame = frame.copy()
    for f in schema["fields"]:
        name = f["name"]
        if name not in frame.columns:
            frame[name] = pd.NA
            continue
        col = frame[name]
        kind = f.get("type", "string")
        if kind == "number":
            frame[name] = pd.to_numeric(col, errors="coerce").astype(float)
        elif kind == "integer":
            frame[name] = pd.to_numeric(col, errors="coerce").astype("Int64")
        elif kind == "boolean":
            frame[name] = col.map(lambda v: str(v).strip().lower() in ("true", "1", "yes")).astype(bool)
        else:
            frame[name] = col.map(lambda v: None if pd.isna(v) else str(v).strip()).astype(object)
    return frame[[f["name"] for f in schema["fields"]] + [c for c in frame.columns if c not in {f["name"] for f in schema["fields"]}]]


def _read_frame(path: Path) -> pd.DataFrame:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return pd.read_excel(path, dtype=object, engine="openpyxl")
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")


def _semantic_checks(frames: dict[str, pd.DataFrame], paths: dict[str, str]) -> None:
    """Rules the schema cannot express: three-option items take 0, 50 or 100; no fully empty framework."""
    errors: list[InputError] = []
    fw, answers = frames["framework"], frames["answers"]
    if fw.empty:
        errors.append(InputError(paths["framework"], "the questionnaire has no indicators"))
    three = set(fw.loc[fw["scale"].fillna("three_option") == "three_option", "indicator_id"])
    bad = answers[answers["indicator_id"].isin(three) & answers["value"].notna() & ~answers["value"].isin(THREE_OPTION_VALUES)]
    for idx, row in bad.head(20).iterrows():
        errors.append(InputError(
            paths["answers"], f"value {row['value']:g} is not a valid answer for a three-option item (0, 50 or 100)",
            row=int(idx) + 2, column="value",
        ))
    if errors:
        raise InputErrors(errors)


def load_dataset(data_dir: Path | str | None = None, rule: scoring.ScoringRule = scoring.DEFAULT_RULE) -> Dataset:
    """Load, validate and score the data package in ``data_dir`` (default: ``MIPEXR_DATA_DIR`` or ``data/``).

    Raises :class:`InputError` (or :class:`InputErrors`) naming file, row, column and rule on any problem.
    """
    base = Path(data_dir) if data_dir else config.data_dir()
    raw = _read_descriptor(base / "datapackage.json")
    desc = _prepare_descriptor(raw, base)
    validate_package(desc, base)
    resources = {r["name"]: r for r in desc["resources"]}
    frames = {name: _typed(_read_frame(base / res["path"]), res["schema"]) for name, res in resources.items()}
    _semantic_checks(frames, {n: Path(r["path"]).name for n, r in resources.items()})

    framework, answers = frames["framework"], frames["answers"]
    published = "scores" in frames
    scores = frames["scores"] if published else scoring.compute_scores(answers, framework, rule)
    if published:
        full = pd.MultiIndex.from_product([list(frames["regions"]["region_id"]), scoring.DIMENSIONS],
                                          names=["region_id", "dimension"])
        scores = scores.set_index(["region_id", "dimension"])["score"].reindex(full).reset_index()
    # Regions without answers still appear, with missing scores.
    scores = scores[scores["region_id"].isin(frames["regions"]["region_id"])].reset_index(drop=True)

    flags = {name: bool(res.get("illustrative", raw.get("illustrative", False))) for name, res in resources.items()}
    shown = ["answers", "outcomes", "framework"] + (["scores"] if published else [])
    sources = {
        name: "; ".join(s.get("title", "") for s in res.get("sources", raw.get("sources", []))) for name, res in resources.items()
    }
    illustrative = any(flags[n] for n in shown if n in flags)
    # the title's "(ILLUSTRATIVE)" follows the data, not the descriptor (an import of real answers drops it)
    title = re.sub(r"\s*\(ILLUSTRATIVE\)\s*$", "", raw.get("title", "MIPEX-R dataset"), flags=re.IGNORECASE)
    title += " (ILLUSTRATIVE)" if illustrative else ""
    catalogue = frames.get("outcome_indicators")
    catalogue = outcome_catalogue.embedded_catalogue() if catalogue is None else outcome_catalogue.normalise(catalogue)
    outcomes = outcome_catalogue.with_catalogue(frames["outcomes"], catalogue)
    return Dataset(
        regions=frames["regions"], framework=framework, answers=answers, outcomes=outcomes, scores=scores,
        illustrative=illustrative, resource_illustrative=flags, sources=sources,
        title=title, data_dir=base, rule=rule, scores_published=published, outcome_indicators=catalogue,
    )


def replace_resource(current: Dataset, resource: str, filename: str, content: bytes,
                     illustrative: bool = False) -> Dataset:
    """Import one uploaded file (CSV or XLSX) in place of a resource of ``current``; return the new dataset.

    The new package is validated as a whole (foreign keys against the other resources included) in a
    temporary copy; ``current`` is untouched, so a failure loses nothing. The imported resource is marked
    ``illustrative`` as given (real data by default).
    """
    name = Path(filename).name
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise InputError(name, "unsupported file type; upload a .csv or .xlsx file")
    if len(content) > MAX_FILE_BYTES:
        raise too_big(name, len(content))
    if not content.strip():
        raise InputError(name, "the file is empty")
    allowed = REQUIRED_RESOURCES + ("scores", "outcome_indicators")
    if resource not in allowed:
        raise InputError(name, f"unknown dataset part {resource!r}; expected one of {', '.join(allowed)}")
    desc = _read_descriptor(current.data_dir / "datapackage.json")
    tmp = Path(tempfile.mkdtemp(prefix="mipexr-import-"))
    try:
        for res in desc["resources"]:
            shutil.copy2(current.data_dir / res["path"], tmp / Path(res["path"]).name)
            res["path"] = Path(res["path"]).name
        (tmp / name).write_bytes(content)
        entry = next((r for r in desc["resources"] if r["name"] == resource), None)
        if entry is None:
            entry = {"name": resource, "schema": SCORES_SCHEMA}
            desc["resources"].append(entry)
        entry["path"] = name
        entry["illustrative"] = illustrative
        entry.pop("format", None)
        entry.pop("encoding", None) if suffix != ".csv" else entry.__setitem__("encoding", "utf-8")
        entry["sources"] = [{"title": f"imported file {name}"}]
        (tmp / "datapackage.json").write_text(json.dumps(desc, ensure_ascii=False, indent=2), encoding="utf-8")
        dataset = load_dataset(tmp, current.rule)
    except Exception:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dataset


def read_answers_file(path: Path | str, framework: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Read and validate a standalone answers file (CSV or XLSX) against a framework and a region list.

    Used by ``python -m dashboard scores``; raises InputError(s) naming file, row and column.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path.name, f"file not found: {path}")
    _check_size(path)
    desc = _read_descriptor(config.EMBEDDED_DATA_DIR / "datapackage.json")
    tmp = Path(tempfile.mkdtemp(prefix="mipexr-scores-"))
    try:
        regions.to_csv(tmp / "regions.csv", index=False)
        framework.to_csv(tmp / "framework.csv", index=False)
        shutil.copy2(path, tmp / path.name)
        keep = {"regions": "regions.csv", "framework": "framework.csv", "answers": path.name}
        desc["resources"] = [dict(r, path=keep[r["name"]]) for r in desc["resources"] if r["name"] in keep]
        for res in desc["resources"]:
            res["schema"]["fieldsMatch"] = "subset"
            if Path(res["path"]).suffix.lower() in (".xlsx", ".xlsm"):
                res["format"] = "xlsx"
                res.pop("encoding", None)
        validate_package(desc, tmp)
        schema = next(r["schema"] for r in desc["resources"] if r["name"] == "answers")
        answers = _typed(_read_frame(tmp / path.name), schema)
        _semantic_checks({"framework": framework, "answers": answers}, {"framework": "framework", "answers": path.name})
        return answers[["region_id", "indicator_id", "value"]]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def read_framework_file(path: Path | str) -> pd.DataFrame:
    """Read and validate a standalone framework (questionnaire) file, CSV or XLSX."""
    path = Path(path)
    if not path.exists():
        raise InputError(path.name, f"file not found: {path}")
    _check_size(path)
    from frictionless import Resource

    desc = _read_descriptor(config.EMBEDDED_DATA_DIR / "datapackage.json")
    schema = next(r["schema"] for r in desc["resources"] if r["name"] == "framework")
    schema["fieldsMatch"] = "subset"
    res_desc = {"name": "framework", "path": path.name, "schema": schema}
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        res_desc["format"] = "xlsx"
    else:
        res_desc["encoding"] = "utf-8"
    resource = Resource(res_desc, basepath=str(path.parent))
    report = resource.validate()
    if not report.valid:
        raise InputErrors([_friendly(e, path.name) for t in report.tasks for e in t.errors] or
                          [InputError(path.name, e.message) for e in report.errors])
    return _typed(_read_frame(path), schema)
