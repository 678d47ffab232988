"""Loading and validating the data package (pure: reads files, never writes).

The dataset is a Frictionless Data Package (``datapackage.json``): every resource has a schema (types, allowed
values, 0–100 ranges, primary and foreign keys), units, source, licence and an ``illustrative`` flag.
:func:`load_dataset` checks the descriptor with the ``frictionless`` library and every resource's rows with the
vectorised, bounded checks of :mod:`dashboard.tabular.schema` (same Table Schema rules; a row-by-row validator
needs ~30 s for 1,500 regions × 61 indicators × 5 editions), and turns every problem into an
:class:`~dashboard.errors.InputError` naming the file, the row (as a spreadsheet numbers it: header = row 1),
the column and the rule — at most 50 of them, then "… and K more".

What a package must hold (the rest is optional):

* ``scores`` (long ``region_id,dimension,score`` + optional ``edition``) **or** ``answers`` (long
  ``region_id,indicator_id,value`` + optional ``edition``; needs ``framework``). A **scores-only** package is
  valid: published scores are shown as they are; answers and outcomes are then empty tables.
* ``regions``: when absent, the embedded list of the 25 MIPEX-R regions is used (it is reference data).
* ``framework`` extras ``scale``, ``options`` and ``illustrative`` may be absent: ``three_option``, the options
  of the scale, and the resource's own ``illustrative`` flag.

**Editions.** Scores carry an edition (an integer year): from an ``edition`` column, else the resource's or the
descriptor's ``"edition"``. The embedded data are edition 2021. :attr:`Dataset.scores` holds the latest edition,
:attr:`Dataset.all_scores` every edition, :meth:`Dataset.with_edition` shows another.

Real files load the same way: point ``MIPEXR_DATA_DIR`` at a folder with a ``datapackage.json``, or make one
from published tables with ``python -m dashboard import`` (:mod:`dashboard.importing`), or import single files in
the app (:func:`replace_resource`). Resource files may be CSV (UTF-8; comma, semicolon, tab or ``|``) or XLSX.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from dashboard import config, i18n, scoring
from dashboard.constants import ILLUSTRATIVE_MARK, MAX_FILE_BYTES
from dashboard.errors import InputError, InputErrors, UnknownOption
from dashboard.i18n import _
from dashboard.outcomes import catalogue as outcome_catalogue
from dashboard.tabular import schema as tschema
from dashboard.tabular.limits import Problems, quote, short_name, too_big

__all__ = ["Dataset", "load_dataset", "replace_resource", "read_answers_file", "read_framework_file", "fold",
           "too_big", "MAX_FILE_BYTES", "SCORES_SCHEMA", "RESOURCES", "REQUIRED_RESOURCES"]

#: Every resource the app knows, in the order they are read (regions and framework are referenced by the rest).
RESOURCES = ("regions", "framework", "answers", "outcomes", "outcome_indicators", "scores")
#: Resources every package must name (the rest may be absent; see the module docstring).
REQUIRED_RESOURCES: tuple[str, ...] = ()
#: Columns a resource may leave out; :data:`DEFAULT_OPTIONS` and the flags fill them.
OPTIONAL_COLUMNS = {"framework": ("scale", "options", "illustrative"), "answers": ("edition",),
                    "scores": ("edition",), "regions": ("aliases",)}
DEFAULT_SCALE = "three_option"
DEFAULT_OPTIONS = {"three_option": "YES systematically/regularly=100|YES occasionally/ad hoc=50|NO=0",
                   "percent": "share in percent, 0-100"}
EDITION_RANGE = (1990, 2100)
THREE_OPTION_VALUES = {0.0, 50.0, 100.0}
_EDITION_FIELD = {"name": "edition", "type": "integer", "description": "edition of the scores (a year)",
                  "constraints": {"minimum": EDITION_RANGE[0], "maximum": EDITION_RANGE[1]}}
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
    """A validated dataset with its computed scores. See docs/ARCHITECTURE.md for the columns.

    ``scores`` is the shown edition (``edition``; the latest by default), long ``region_id,dimension,score,
    edition``; ``all_scores`` has every edition (``editions``, oldest first). ``resources`` names the resources
    the package holds (absent ones are empty tables), ``defaulted`` those taken from the embedded package."""

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
    all_scores: pd.DataFrame | None = None
    editions: tuple[int, ...] = ()
    edition: int | None = None
    resources: tuple[str, ...] = RESOURCES[:4]
    defaulted: tuple[str, ...] = ()

    @cached_property
    def fingerprint(self) -> str:
        """A short hash of these data (every table: regions, framework, answers, outcomes, scores of the shown
        edition and of all editions; sources, flags): equal data give equal fingerprints on every worker and
        machine, so caches of figures and exported files are keyed by it, and a Celery worker checks that it
        makes a file from the same data as the web server that asked."""
        digest = hashlib.sha256()
        frames = (self.regions, self.framework, self.answers, self.outcomes, self.outcome_indicators, self.scores,
                  self.all_scores)
        for frame in (f for f in frames if f is not None):
            digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
            digest.update(repr(list(frame.columns)).encode())
        digest.update(repr((self.title, sorted(self.sources.items()), self.illustrative,
                            sorted(self.resource_illustrative.items()), self.scores_published, self.edition,
                            self.editions, repr(self.rule))).encode())
        return digest.hexdigest()[:20]

    @cached_property
    def wide_scores(self) -> pd.DataFrame:
        """region_id × dimension scores (every dimension a column), regions in the order of ``regions``."""
        table = scoring.wide(self.scores[["region_id", "dimension", "score"]]).reindex(columns=list(scoring.DIMENSIONS))
        return table.reindex([r for r in self.regions["region_id"] if r in table.index])

    def scores_for(self, edition: int | None) -> pd.DataFrame:
        """Long scores of one edition (UnknownOption naming the editions there are)."""
        table = self.all_scores if self.all_scores is not None else self.scores
        if edition is None and not self.editions:
            return table
        if edition not in self.editions:
            have = ", ".join(map(str, self.editions)) or _("none")
            raise UnknownOption(_("unknown edition {edition}; the data have: {editions}").format(
                edition=repr(edition), editions=have))
        return table[table["edition"] == edition].reset_index(drop=True)

    def with_edition(self, edition: int) -> Dataset:
        """The same dataset showing another edition (a new object: caches are per edition)."""
        if edition == self.edition:
            return self
        return dataclasses.replace(self, scores=self.scores_for(edition), edition=edition)

    @property
    def scores_illustrative(self) -> bool:
        """Whether the scores shown are illustrative (the flag of ``scores`` when published, else of ``answers``)."""
        return bool(self.resource_illustrative.get("scores" if self.scores_published else "answers", False))

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
        """Folded key → region id: the NUTS 2021 id, NUTS 2024 successor codes, English and local names, aliases."""
        lookup: dict[str, str] = {}
        for r in self._regions_by_id.values():
            rid = r["region_id"]
            keys = [rid, r.get("name_en"), r.get("name_local")]
            keys += str(r.get("nuts2024_ids") or "").split(";") + str(r.get("aliases") or "").split(";")
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
        """The region's name for the current language (:func:`dashboard.i18n.region_name`)."""
        r = self.region(region_id)
        return i18n.region_name(region_id, r["name_en"], r.get("name_local"), r.get("country"))

    def region_options(self) -> list[dict]:
        """Dropdown options: "Name (Country)" sorted by name, in the current language."""
        rows = [(self.region_name(rid), i18n.country_name(r["country"], r["country_name"]), rid)
                for rid, r in self._regions_by_id.items()]
        return [{"label": f"{name} ({country})", "value": rid} for name, country, rid in sorted(rows)]

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

    def scores_origin(self, fallback: str) -> str:
        """Where the scores shown come from: the source of ``scores`` (published) or ``answers`` (computed), with
        the edition, in the current language; ``fallback`` (already translated by the caller) when the package
        names no source."""
        name = "scores" if self.scores_published else "answers"
        source = self.sources.get(name) or fallback
        if self.edition:
            return i18n.gettext("{source}, edition {edition}").format(source=source, edition=self.edition)
        return source

    @property
    def source_text(self) -> str:
        """The source, edition and scale of the scores, without the illustrative mark (exports print the mark
        apart), in the current language."""
        _ = i18n.gettext
        index = _(scoring.SOURCE_LINE)
        if self.scores_illustrative:
            if self.edition:
                return _("Source: {source}, edition {edition}. Scale 0–100.").format(source=index,
                                                                                    edition=self.edition)
            return _("Source: {source}. Scale 0–100.").format(source=index)
        return _("Source: {origin} ({index}). Scale 0–100.").format(origin=self.scores_origin(index), index=index)

    @property
    def source_line(self) -> str:
        """:attr:`source_text` with the illustrative mark when the scores are illustrative."""
        if self.scores_illustrative:
            return f"{self.source_text} {i18n.gettext(ILLUSTRATIVE_MARK)}."
        return self.source_text


# --------------------------------------------------------------------------------------------
# The descriptor
# --------------------------------------------------------------------------------------------


def _check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise too_big(path.name, size)
    if size == 0:
        raise InputError(short_name(path.name), _("the file is empty"))


def _read_descriptor(descriptor: Path) -> dict:
    if not descriptor.exists():
        raise InputError(descriptor.name, _("no data package found at {path}").format(
            path=short_name(str(descriptor), 1000)))
    _check_size(descriptor)
    try:
        desc = json.loads(descriptor.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(descriptor.name, _("not valid JSON: {reason}").format(reason=quote(exc))) from None
    if not isinstance(desc, dict) or not isinstance(desc.get("resources"), list):
        raise InputError(descriptor.name, _("not a data package: it needs a list of \"resources\""))
    return desc


@lru_cache(maxsize=1)
def _embedded_descriptor() -> dict:
    return _read_descriptor(config.EMBEDDED_DATA_DIR / "datapackage.json")


def schema_with_edition(schema: dict) -> dict:
    """A scores or answers schema with the optional integer ``edition`` column, part of the primary key (a copy;
    unchanged when it has one already)."""
    schema = copy.deepcopy(schema)
    if "edition" not in tschema.field_names(schema):
        schema["fields"].append(copy.deepcopy(_EDITION_FIELD))
        if schema.get("primaryKey"):
            schema["primaryKey"] = tschema.as_list(schema["primaryKey"]) + ["edition"]
    return schema


def default_schema(resource: str) -> dict:
    """The schema a resource gets when its descriptor entry has none (the embedded package's, or
    :data:`SCORES_SCHEMA`); scores and answers with their ``edition`` column."""
    if resource == "scores":
        return schema_with_edition(SCORES_SCHEMA)
    entry = next(r for r in _embedded_descriptor()["resources"] if r["name"] == resource)
    return schema_with_edition(entry["schema"]) if resource == "answers" else copy.deepcopy(entry["schema"])


def _check_descriptor(desc: dict) -> None:
    """The descriptor's own rules (names, schemas, safe paths) with the frictionless library; bounded messages."""
    from frictionless import Package

    report = Package.validate_descriptor(desc)
    if not report.valid:
        problems = Problems()
        for err in report.errors:
            problems.add(InputError("datapackage.json", quote(err.message, 300)))
        problems.raise_if_any()


def _edition(value, where: str) -> int | None:
    if value is None:
        return None
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text) or not EDITION_RANGE[0] <= int(text) <= EDITION_RANGE[1]:
        lo, hi = EDITION_RANGE
        raise InputError(where, _("edition {edition} is not a year between {lo} and {hi}").format(
            edition=quote(text), lo=lo, hi=hi))
    return int(text)


def _entries(raw: dict, base: Path) -> dict[str, dict]:
    """Resource name → its descriptor entry, normalised: a schema (default when absent), the path checked,
    ``file`` (the label messages use), ``edition``, ``defaulted``. Regions come from the embedded package when the
    package has none."""
    entries: dict[str, dict] = {}
    for res in raw["resources"]:
        name = res.get("name")
        if name in entries:
            raise InputError("datapackage.json", _("the resource {name} is listed twice").format(name=quote(name)))
        if name not in RESOURCES:
            continue  # other resources may travel in the package; the app does not read them
        res = copy.deepcopy(res)
        rel = str(res.get("path") or "")
        if not rel or PurePosixPath(rel).is_absolute() or ".." in PurePosixPath(rel).parts:
            raise InputError("datapackage.json", _("resource {name} needs a file name inside the package folder")
                             .format(name=repr(name)))
        res["file"] = short_name(PurePosixPath(rel).name)
        res["full_path"] = base / rel
        if not res["full_path"].is_file():
            raise InputError(res["file"], _("file not found in {folder}").format(folder=short_name(str(base), 1000)))
        _check_size(res["full_path"])
        if "schema" not in res:
            res["schema"] = default_schema(name)
        elif name in ("scores", "answers"):
            res["schema"] = schema_with_edition(res["schema"])
        res["edition"] = _edition(res.get("edition", raw.get("edition")), res["file"])
        res["defaulted"] = False
        entries[name] = res
    if "regions" not in entries:
        emb = next(r for r in _embedded_descriptor()["resources"] if r["name"] == "regions")
        entries["regions"] = dict(copy.deepcopy(emb), file="regions.csv", edition=None, defaulted=True,
                                  full_path=config.EMBEDDED_DATA_DIR / emb["path"])
    if "scores" not in entries and "answers" not in entries:
        raise InputError("datapackage.json", _("the package has neither scores nor answers: add a scores resource "
                                               "(python -m dashboard import makes one) or an answers resource"))
    if "answers" in entries and "framework" not in entries:
        raise InputError("datapackage.json", _("answers need the framework resource (the questionnaire) to be "
                                               "scored"))
    return entries


# --------------------------------------------------------------------------------------------
# Reading and checking
# --------------------------------------------------------------------------------------------


def _fill_optional(name: str, frame: pd.DataFrame, res: dict) -> pd.DataFrame:
    """Defaults for optional columns that are absent or blank (before the checks, so they are checked too)."""
    frame = frame.copy()

    def filled(column: str, default) -> pd.Series:
        if column not in frame.columns:
            return pd.Series(default, index=frame.index, dtype=object)
        if isinstance(default, pd.Series):
            return frame[column].astype(object).fillna(default)
        return tschema.fill(frame[column], default)

    if name == "framework":
        frame["scale"] = filled("scale", DEFAULT_SCALE)
        frame["options"] = filled("options", frame["scale"].map(DEFAULT_OPTIONS))
        frame["illustrative"] = filled("illustrative", "true" if res.get("illustrative") else "false")
    if name in ("answers", "scores") and res.get("edition") is not None:
        frame["edition"] = filled("edition", str(res["edition"]))
    return frame


def _semantic_checks(frames: dict[str, pd.DataFrame], files: dict[str, str]) -> None:
    """Rules the schema cannot express: three-option items take 0, 50 or 100; no fully empty framework."""
    problems = Problems()
    fw, answers = frames["framework"], frames["answers"]
    if fw.empty and not answers.empty:
        problems.add(InputError(files["framework"], _("the questionnaire has no indicators")))
    three = set(fw.loc[fw["scale"].fillna(DEFAULT_SCALE) == DEFAULT_SCALE, "indicator_id"])
    bad = answers[answers["indicator_id"].isin(three) & answers["value"].notna()
                  & ~answers["value"].isin(THREE_OPTION_VALUES)]
    for idx, row in bad.head(problems.limit).iterrows():
        problems.add(InputError(files["answers"], _("value {value} is not a valid answer for a three-option item "
                                                    "(0, 50 or 100)").format(value=f"{row['value']:g}"),
                                row=int(idx), column="value"))
    problems.count(len(bad) - min(len(bad), problems.limit))
    problems.raise_if_any()


def _read_checked(entries: dict[str, dict], reuse: dict[str, pd.DataFrame] | None = None) -> dict[str, pd.DataFrame]:
    """Every resource read, checked (all problems of all files gathered, bounded) and typed; the resources in
    ``reuse`` are taken as given (already read, checked and typed: see :func:`load_dataset`)."""
    problems = Problems()
    raw: dict[str, pd.DataFrame] = {}
    reuse = reuse or {}
    for name in RESOURCES:
        if name not in entries or name in reuse:
            continue
        res = entries[name]
        try:
            frame = tschema.read_frame(res["full_path"], res["file"], tschema.field_names(res["schema"]))
        except InputErrors as exc:
            for err in exc.errors:
                problems.add(err)
            continue
        except InputError as exc:
            problems.add(exc)
            continue
        raw[name] = _fill_optional(name, frame, res)
    refs: dict[str, dict[tuple[str, ...], set]] = {}
    if "regions" in raw and "region_id" in raw["regions"].columns:
        refs["regions"] = {("region_id",): set(raw["regions"]["region_id"].dropna())}
    if "framework" in raw and "indicator_id" in raw["framework"].columns:
        refs["framework"] = {("indicator_id",): set(raw["framework"]["indicator_id"].dropna())}
    if "outcome_indicators" in raw and "id" in raw["outcome_indicators"].columns:
        refs["outcome_indicators"] = {("id",): set(raw["outcome_indicators"]["id"].dropna())}
    elif "outcomes" in raw:  # a package without its own catalogue uses the embedded one
        refs["outcome_indicators"] = {("id",): set(outcome_catalogue.embedded_catalogue()["id"].dropna())}
    for name, frame in raw.items():
        res = entries[name]
        problems.merge(tschema.check_frame(frame, res["schema"], res["file"], OPTIONAL_COLUMNS.get(name, ()), refs))
    problems.raise_if_any()
    frames = {name: tschema.typed(frame, entries[name]["schema"]) for name, frame in raw.items()}
    frames.update({name: frame for name, frame in reuse.items() if name in entries})
    for name in RESOURCES:
        if name not in frames:
            schema = default_schema(name)
            frames[name] = tschema.typed(pd.DataFrame(columns=tschema.field_names(schema), dtype=object), schema)
    _semantic_checks(frames, {n: entries[n]["file"] if n in entries else n for n in RESOURCES})
    return {name: frame.reset_index(drop=True) for name, frame in frames.items()}


def _all_scores(frames: dict[str, pd.DataFrame], published: bool, rule: scoring.ScoringRule) -> pd.DataFrame:
    """Long ``region_id,dimension,score,edition`` for every edition × region × dimension (regions in the order of
    ``regions``; a region or dimension without a score has NaN)."""
    region_ids = pd.Index(frames["regions"]["region_id"])
    dims = pd.Index(scoring.DIMENSIONS)
    source = frames["scores"] if published else frames["answers"]
    editions = sorted(int(e) for e in source["edition"].dropna().unique())
    keys = editions or [None]
    grid = np.full((len(keys), len(region_ids), len(dims)), np.nan)
    edition_codes = (pd.Index(editions).get_indexer(source["edition"].astype(float)) if editions
                     else np.zeros(len(source), dtype=int))
    for e in range(len(keys)):
        rows = source[edition_codes == e] if len(keys) > 1 else source
        part = rows if published else scoring.compute_scores(rows, frames["framework"], rule)
        r, d = region_ids.get_indexer(part["region_id"]), dims.get_indexer(part["dimension"])
        ok = (r >= 0) & (d >= 0)
        grid[e, r[ok], d[ok]] = part["score"].to_numpy(dtype=float)[ok]
    n = len(region_ids) * len(dims)
    return pd.DataFrame({
        "region_id": np.tile(np.repeat(region_ids.to_numpy(dtype=object), len(dims)), len(keys)),
        "dimension": np.tile(dims.to_numpy(dtype=object), len(region_ids) * len(keys)),
        "score": grid.ravel(),
        "edition": pd.array(np.repeat(np.array(keys, dtype=object), n), dtype="Int64"),
    })


#: Resources :func:`load_dataset` may take from an already loaded dataset instead of reading them again.
REUSABLE = ("answers",)


def load_dataset(data_dir: Path | str | None = None, rule: scoring.ScoringRule = scoring.DEFAULT_RULE,
                 unchanged_from: Dataset | None = None, unchanged: tuple[str, ...] = ()) -> Dataset:
    """Load, validate and score the data package in ``data_dir`` (default: ``MIPEXR_DATA_DIR`` or ``data/``).

    ``unchanged_from`` + ``unchanged``: resources (among :data:`REUSABLE`) whose files and descriptor entries
    the caller copied unchanged from ``unchanged_from``'s package, with the regions and framework they refer to
    also copied unchanged (:func:`dashboard.importing.write_package` does): they are taken as loaded there
    instead of being read and checked a second time. Raises :class:`InputError` (or :class:`InputErrors`, at
    most 50 listed) naming file, row, column and rule.
    """
    base = Path(data_dir) if data_dir else config.data_dir()
    raw = _read_descriptor(base / "datapackage.json")
    entries = _entries(raw, base)
    _check_descriptor(raw)
    reuse = ({n: getattr(unchanged_from, n) for n in unchanged if n in REUSABLE and n in unchanged_from.resources}
             if unchanged_from is not None else {})
    frames = _read_checked(entries, reuse)

    published = "scores" in entries
    all_scores = _all_scores(frames, published, rule)
    editions = tuple(sorted(int(e) for e in all_scores["edition"].dropna().unique()))
    edition = editions[-1] if editions else None
    scores = (all_scores[all_scores["edition"] == edition] if edition is not None else all_scores)

    flags = {name: bool(res.get("illustrative", raw.get("illustrative", False))) for name, res in entries.items()}
    present = tuple(n for n in RESOURCES if n in entries and not entries[n]["defaulted"])
    shown = [n for n in ("answers", "outcomes", "framework", "scores") if n in present]
    sources = {name: "; ".join(s.get("title", "") for s in res.get("sources", raw.get("sources", [])))
               for name, res in entries.items()}
    illustrative = any(flags[n] for n in shown)
    # the title's "(ILLUSTRATIVE)" follows the data, not the descriptor (an import of real answers drops it)
    title = re.sub(r"\s*\(ILLUSTRATIVE\)\s*$", "", str(raw.get("title", "MIPEX-R dataset")), flags=re.IGNORECASE)
    title += " (ILLUSTRATIVE)" if illustrative else ""
    # the package's outcome catalogue, or the embedded one for packages without it
    catalogue = (outcome_catalogue.normalise(frames["outcome_indicators"]) if "outcome_indicators" in entries
                 else outcome_catalogue.embedded_catalogue())
    outcomes = outcome_catalogue.with_catalogue(frames["outcomes"], catalogue)
    return Dataset(
        regions=frames["regions"], framework=frames["framework"], answers=frames["answers"],
        outcomes=outcomes, scores=scores.reset_index(drop=True), illustrative=illustrative,
        resource_illustrative=flags, sources=sources, title=title, data_dir=base, rule=rule,
        scores_published=published, outcome_indicators=catalogue, all_scores=all_scores, editions=editions,
        edition=edition, resources=present, defaulted=tuple(n for n in entries if entries[n]["defaulted"]),
    )


def replace_resource(current: Dataset, resource: str, filename: str, content: bytes,
                     illustrative: bool = False) -> Dataset:
    """Import one uploaded file (CSV or XLSX) in place of a resource of ``current``; return the new dataset.

    The new package is validated as a whole (foreign keys against the other resources included) in a
    temporary copy; ``current`` is untouched, so a failure loses nothing (and the copy is removed). The
    imported resource is marked ``illustrative`` as given (real data by default).
    """
    name = short_name(Path(str(filename)).name)
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise InputError(name, _("unsupported file type; upload a .csv or .xlsx file"))
    if len(content) > MAX_FILE_BYTES:
        raise too_big(name, len(content))
    if not content.strip():
        raise InputError(name, _("the file is empty"))
    if resource not in RESOURCES:
        raise InputError(name, _("unknown dataset part {part}; expected one of {parts}").format(
            part=quote(resource), parts=", ".join(RESOURCES)))
    desc = _read_descriptor(current.data_dir / "datapackage.json")
    tmp = Path(tempfile.mkdtemp(prefix="mipexr-import-"))
    try:
        for res in desc["resources"]:
            shutil.copy2(current.data_dir / res["path"], tmp / Path(res["path"]).name)
            res["path"] = Path(res["path"]).name
        taken = {Path(r["path"]).name for r in desc["resources"] if r["name"] != resource} | {"datapackage.json"}
        stored = name if name not in taken else f"upload-{resource}-{name}"
        (tmp / stored).write_bytes(content)
        entry = next((r for r in desc["resources"] if r["name"] == resource), None)
        if entry is None:
            entry = {"name": resource, "schema": default_schema(resource)}
            desc["resources"].append(entry)
        entry["path"] = stored
        entry["illustrative"] = illustrative
        entry.pop("format", None)
        entry.pop("encoding", None) if suffix != ".csv" else entry.__setitem__("encoding", "utf-8")
        entry["sources"] = [{"title": f"imported file {name}"}]
        (tmp / "datapackage.json").write_text(json.dumps(desc, ensure_ascii=False, indent=2), encoding="utf-8")
        dataset = load_dataset(tmp, current.rule)
    except InputErrors as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise InputErrors([_renamed(e, stored, name) for e in exc.errors], total=exc.total) from None
    except InputError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _renamed(exc, stored, name) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dataset


def _renamed(error: InputError, stored: str, name: str) -> InputError:
    return InputError(name if error.file == stored else error.file, error.rule, error.row, error.column)


def _read_standalone(path: Path | str, resource: str, references: dict | None = None) -> pd.DataFrame:
    """A single resource file read and checked against the embedded schema (no package needed)."""
    path = Path(path)
    schema = default_schema(resource)
    res = {"illustrative": False, "edition": None}
    frame = _fill_optional(resource, tschema.read_frame(path, path.name, tschema.field_names(schema)), res)
    tschema.check_frame(frame, schema, path.name, OPTIONAL_COLUMNS.get(resource, ()), references).raise_if_any()
    return tschema.typed(frame, schema)


def read_answers_file(path: Path | str, framework: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Read and validate a standalone answers file (CSV or XLSX) against a framework and a region list.

    Used by ``python -m dashboard scores``; raises InputError(s) naming file, row and column.
    """
    path = Path(path)
    refs = {"regions": {("region_id",): set(regions["region_id"])},
            "framework": {("indicator_id",): set(framework["indicator_id"])}}
    answers = _read_standalone(path, "answers", refs)
    _semantic_checks({"framework": framework, "answers": answers}, {"framework": "framework", "answers": path.name})
    return answers.reset_index(drop=True)[["region_id", "indicator_id", "value"]]


def read_framework_file(path: Path | str) -> pd.DataFrame:
    """Read and validate a standalone framework (questionnaire) file, CSV or XLSX; absent extras get defaults."""
    return _read_standalone(path, "framework").reset_index(drop=True)
