"""The preview of an import: what was recognised, what was not, and what would change (pure).

:func:`preview_import` reads and matches every file (nothing is written) and compares the scores with a current
:class:`~dashboard.data.Dataset`; :class:`ImportPreview` holds the result and says it in plain lines
(:meth:`ImportPreview.lines`) for the command line and the Data page. Every list in it is bounded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dashboard import i18n, scoring
from dashboard.errors import InputError, InputErrors
from dashboard.i18n import _
from dashboard.importing.matching import (
    FileResult,
    RegionMatcher,
    format_score,
    match_table,
)
from dashboard.importing.reading import read_table
from dashboard.tabular.limits import Problems, quote, short_name
from dashboard.tabular.reading import file_bytes

if TYPE_CHECKING:
    from dashboard.data import Dataset

#: How many differences a preview lists (all are counted).
MAX_DIFFERENCES = 20
#: How many recognised regions / dimensions a preview lists per file (all are counted).
MAX_LISTED = 30

Source = Path | str | tuple[str, bytes]


@dataclass(frozen=True)
class Difference:
    """One score that would change: ``old``/``new`` None when missing."""

    region_id: str
    region_name: str
    dimension: str
    edition: int | None
    old: float | None
    new: float | None

    def describe(self) -> str:
        edition = f" ({self.edition})" if self.edition is not None else ""
        return (f"{self.region_name} ({self.region_id}) · {scoring.dimension_label(self.dimension)}{edition}: "
                f"{format_score(self.old)} → {format_score(self.new)}")


@dataclass
class ImportPreview:
    """Everything an import would do, before it does it.

    ``files``: one :class:`~dashboard.importing.matching.FileResult` per readable file; ``scores``: the combined
    long ``region_id,dimension,edition,score`` (missing cells included as NaN); ``problems``: what was not
    recognised (bounded; ``problems.total`` counts all); ``differences``: the first changes against the current
    data, with ``counts`` of changed / unchanged / new / now missing scores and ``compared_with`` saying what was
    compared."""

    files: list[FileResult]
    scores: pd.DataFrame
    problems: Problems
    differences: list[Difference] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    compared_with: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when everything was recognised and there is at least one score."""
        return not self.problems and bool(self.scores["score"].notna().any()) if len(self.scores) else False

    @property
    def editions(self) -> tuple[int, ...]:
        return tuple(sorted(int(e) for e in self.scores["edition"].dropna().unique()))

    def error(self) -> InputErrors | None:
        """The problems as one error to raise (None when there are none and there are scores)."""
        if self.problems:
            return self.problems.error()
        if not self.ok:
            names = ", ".join(f.file for f in self.files) or _("the files")
            return InputErrors([InputError(names, _("no score was read"))])
        return None

    def lines(self) -> list[str]:
        """The preview in plain words, one line each (bounded whatever the files), in the current language."""
        out: list[str] = []
        regions = self.scores["region_id"].nunique()
        dims = self.scores["dimension"].nunique()
        given = int(self.scores["score"].notna().sum())
        eds = ", ".join(map(str, self.editions)) or _("unknown")
        if self.files:
            out.append(_("Read {files} file(s): {scores} scores for {regions} region(s) × {dimensions} "
                         "dimension(s), edition(s) {editions}.").format(
                files=len(self.files), scores=i18n.number(given), regions=i18n.number(regions), dimensions=dims,
                editions=eds))
        else:
            out.append(_("No file could be read as a score table."))
        for res in self.files:
            out += _file_lines(res)
        if self.problems:
            out.append(_("Not recognised ({n}):").format(n=i18n.number(self.problems.total)))
            out += [f"  {e.message}" for e in self.problems.items]
            if self.problems.total > len(self.problems.items):
                out.append("  " + _("… and {n} more").format(
                    n=i18n.number(self.problems.total - len(self.problems.items))))
        for text in self.compared_with:
            out.append(text)
        if self.differences:
            out += [f"  {d.describe()}" for d in self.differences]
            more = self.counts.get("changed", 0) + self.counts.get("new", 0) + self.counts.get("now missing", 0) \
                - len(self.differences)
            if more > 0:
                out.append("  " + _("… and {n} more").format(n=i18n.number(more)))
        out.append(_("Everything was recognised.") if self.ok else
                   _("Not everything was recognised: nothing will be imported until the file(s) are fixed."))
        return out


def _file_lines(res: FileResult) -> list[str]:
    t = res.table
    lines = [t.describe()]
    what = (_("wide — one row per region, one column per dimension") if res.shape == "wide" else
            _("long — one row per region and dimension"))
    lines.append("  " + _("Shape: {shape}; {rows} data row(s), {cells} score cell(s) ({missing} blank = "
                          "missing).").format(shape=what, rows=i18n.number(res.rows_read),
                                              cells=i18n.number(len(res.scores)), missing=i18n.number(res.missing)))
    if res.editions_from:
        eds = ", ".join(map(str, sorted(int(e) for e in res.scores["edition"].dropna().unique()))) or _("none")
        lines.append("  " + _("Edition(s): {editions} ({how}).").format(editions=eds, how=res.editions_from))
    matches = list(res.regions.values())
    lines.append("  " + _("Regions recognised ({regions} region(s) from {names} name(s) or code(s)):").format(
        regions=i18n.number(len({m.region_id for m in matches})), names=i18n.number(len(matches))))
    lines += [f"    {quote(m.value)} → {m.region_id} ({m.how_text})" for m in matches[:MAX_LISTED]]
    if len(matches) > MAX_LISTED:
        lines.append("    " + _("… and {n} more").format(n=i18n.number(len(matches) - MAX_LISTED)))
    dims = list(res.dimensions.items())
    lines.append("  " + _("Dimensions recognised ({n}):").format(n=len(set(res.dimensions.values()))))
    lines += [f"    {quote(label)} → {key}" for label, key in dims[:MAX_LISTED]]
    if len(dims) > MAX_LISTED:
        lines.append("    " + _("… and {n} more").format(n=i18n.number(len(dims) - MAX_LISTED)))
    if res.merged:
        lines += ["  " + _("Merged: {what}").format(what=m) for m in res.merged]
    if res.ignored:
        lines.append("  " + _("Read past ({n}): {what}").format(n=i18n.number(res.ignored_count),
                                                               what="; ".join(res.ignored)))
    return lines


def _read(source: Source) -> tuple[str, bytes]:
    if isinstance(source, tuple):
        name, content = source
        return short_name(name), content
    path = Path(source)
    return short_name(path.name), file_bytes(path, path.name)


def _combine(results: list[FileResult], problems: Problems) -> pd.DataFrame:
    """All files' scores; the same region, dimension and edition in two files with different scores is a problem."""
    parts = []
    for res in results:
        part = res.scores.copy()
        part["file"] = res.file
        parts.append(part)
    if not parts:
        return pd.DataFrame({"region_id": pd.Series(dtype=object), "dimension": pd.Series(dtype=object),
                             "edition": pd.Series(dtype="Int64"), "score": pd.Series(dtype=float)})
    frame = pd.concat(parts, ignore_index=True)
    key = ["region_id", "dimension", "edition"]
    dup = frame[frame.duplicated(subset=key, keep=False)]
    if len(dup):
        for _key, group in dup.groupby(key, sort=False):
            if group["score"].nunique(dropna=False) > 1:
                first, other = group.iloc[0], group.iloc[1]
                problems.add(InputError(other["file"], _("{region} {dimension} is {score} here but {other_score} in "
                                                         "{other_file} (row {row})").format(
                    region=other["region_id"], dimension=scoring.dimension_label(other["dimension"]),
                    score=format_score(other["score"]), other_score=format_score(first["score"]),
                    other_file=first["file"], row=first["row"]), row=int(other["row"])))
        frame = frame.drop_duplicates(subset=key, keep="first")
    return frame[key + ["score"]].reset_index(drop=True)


def _compare(preview: ImportPreview, dataset: Dataset) -> None:
    """Counts of changed / unchanged / new / now missing scores per edition, and the first differences (in the
    order of the regions and dimensions)."""
    order = {rid: i for i, rid in enumerate(dataset.regions["region_id"])}
    dim_order = {d: i for i, d in enumerate(scoring.DIMENSIONS)}
    names = dict(zip(dataset.regions["region_id"], dataset.regions["name_en"]))
    counts = {"changed": 0, "unchanged": 0, "new": 0, "now missing": 0}
    found: list[pd.DataFrame] = []
    illustrative = dataset.scores_illustrative
    for edition, new in preview.scores.groupby("edition", sort=True):
        edition = int(edition)
        if edition in dataset.editions:
            old = dataset.scores_for(edition)
            said = (_("Compared with edition {edition} of the data now loaded (ILLUSTRATIVE):") if illustrative else
                    _("Compared with edition {edition} of the data now loaded (not illustrative):"))
        elif dataset.edition is not None:
            old = dataset.scores
            said = (_("Edition {edition} is new; compared with edition {shown} now shown (ILLUSTRATIVE):")
                    if illustrative else
                    _("Edition {edition} is new; compared with edition {shown} now shown (not illustrative):"))
        else:
            old = dataset.scores
            said = (_("Edition {edition} is new; compared with the scores now shown (ILLUSTRATIVE):")
                    if illustrative else
                    _("Edition {edition} is new; compared with the scores now shown (not illustrative):"))
        said = said.format(edition=edition, shown=dataset.edition)
        known = pd.Series(old["score"].to_numpy(dtype=float),
                          index=pd.MultiIndex.from_arrays([old["region_id"], old["dimension"]]))
        o = known.reindex(pd.MultiIndex.from_arrays([new["region_id"], new["dimension"]])).to_numpy(dtype=float)
        n = new["score"].to_numpy(dtype=float)
        kinds = {"new": np.isnan(o) & ~np.isnan(n), "now missing": ~np.isnan(o) & np.isnan(n)}
        with np.errstate(invalid="ignore"):
            kinds["changed"] = ~np.isnan(o) & ~np.isnan(n) & (np.abs(o - n) > 1e-9)
        differs = kinds["new"] | kinds["now missing"] | kinds["changed"]
        part = {k: int(v.sum()) for k, v in kinds.items()}
        part["unchanged"] = len(n) - int(differs.sum())
        for k, v in part.items():
            counts[k] += v
        preview.compared_with.append(said + " " + _("{changed} changed, {unchanged} unchanged, {new} new, "
                                                    "{missing} now missing.").format(
            changed=i18n.number(part["changed"]), unchanged=i18n.number(part["unchanged"]),
            new=i18n.number(part["new"]), missing=i18n.number(part["now missing"])))
        found.append(new[differs].assign(old=o[differs]))
    preview.counts = counts
    diff = pd.concat(found) if found else pd.DataFrame()
    if len(diff):
        diff = diff.assign(_r=diff["region_id"].map(order), _d=diff["dimension"].map(dim_order))
        diff = diff.sort_values(["edition", "_r", "_d"]).head(MAX_DIFFERENCES)
        preview.differences = [
            Difference(r.region_id, names.get(r.region_id, r.region_id), r.dimension, int(r.edition),
                       None if pd.isna(r.old) else float(r.old), None if pd.isna(r.score) else float(r.score))
            for r in diff.itertuples(index=False)]


def preview_import(sources: Iterable[Source], dataset: Dataset, edition: int | None = None,
                   sheet: str | None = None) -> ImportPreview:
    """Read, match and compare published score tables; nothing is written.

    ``sources``: file paths, or ``(file name, bytes)`` pairs (an upload). ``edition``: the year of rows without
    an edition column. ``sheet``: the XLSX sheet to read (otherwise the one sheet that looks like a score table).
    A file that cannot be read at all is one problem of the preview (the others are still read)."""
    problems = Problems()
    results: list[FileResult] = []
    matcher = RegionMatcher(dataset)
    for source in sources:
        try:
            name, content = _read(source)
            table = read_table(content, name=name, sheet=sheet)
            result = match_table(table, dataset, edition, matcher)
        except InputErrors as exc:
            for err in exc.errors:
                problems.add(err)
            problems.count(exc.total - len(exc.errors))
            continue
        except InputError as exc:
            problems.add(exc)
            continue
        result.sha256 = hashlib.sha256(content).hexdigest()
        result.size = len(content)
        del content
        table.release()
        problems.merge(result.problems)
        results.append(result)
    preview = ImportPreview(files=results, scores=_combine(results, problems), problems=problems)
    if len(preview.scores) and preview.scores["edition"].notna().all():
        _compare(preview, dataset)
    return preview
