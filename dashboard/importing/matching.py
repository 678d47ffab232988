"""A read table matched against the loaded regions and the dimension keys (pure).

:func:`match_table` decides the shape — **wide** (one row per region, one column per dimension) or **long**
(a region column, a dimension column, a score column) — and turns every cell into ``(region_id, dimension,
edition, score)``. Regions are matched by NUTS 2021 code, NUTS 2024 code (PT1A, PT1B or "PT1A+PT1B" → PT17), or
English, local or alias name, case-, accent- and punctuation-insensitively; dimensions by key or by the labels
the app shows. What is not recognised is a bounded list of :class:`~dashboard.errors.InputError` with row and
column; aggregate rows ("Average") and notes below the table are read past and said so.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from babel.numbers import format_decimal

from dashboard import i18n, scoring
from dashboard.errors import InputError
from dashboard.i18n import N_, _
from dashboard.importing import vocab
from dashboard.importing.reading import Table
from dashboard.tabular.limits import (
    MAX_MESSAGES,
    Problems,
    RowProblems,
    column_letter,
    quote,
)

if TYPE_CHECKING:
    from dashboard.data import Dataset

MISSING = frozenset({"", "-", "–", "—", "n/a", "na", "n.a.", "..", ".", "nd", "no data", "missing", "null"})
EDITION_RANGE = (1990, 2100)
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
#: Rows sampled to decide which column is which.
SAMPLE_ROWS = 2000
#: How a region cell was recognised (:attr:`RegionMatch.how`; English keys, shown translated).
HOW_TEXTS = {"NUTS 2021 code": N_("NUTS 2021 code"), "NUTS 2024 code": N_("NUTS 2024 code"),
             "NUTS 2024 codes": N_("NUTS 2024 codes"), "name": N_("name")}


@dataclass(frozen=True)
class RegionMatch:
    """How one region cell was recognised: ``how`` is "NUTS 2021 code", "NUTS 2024 code" or "name"."""

    value: str
    region_id: str
    how: str

    @property
    def how_text(self) -> str:
        """:attr:`how` in the current language."""
        return _(HOW_TEXTS.get(self.how, self.how))

    def describe(self) -> str:
        return f"{self.value} → {self.region_id} ({self.how_text})"


class RegionMatcher:
    """The loaded regions by NUTS 2021 code, NUTS 2024 code and every name (English, local, aliases)."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.code21: dict[str, str] = {}
        self.code24: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.english: dict[str, str] = {}
        for r in dataset.regions.to_dict("records"):
            rid = r["region_id"]
            self.code21[vocab.compact(rid)] = rid
            self.english[rid] = str(r.get("name_en") or rid)
            for code in str(r.get("nuts2024_ids") or "").split(";"):
                if code.strip():
                    self.code24.setdefault(vocab.compact(code), rid)
            for name in [r.get("name_en"), r.get("name_local"), *str(r.get("aliases") or "").split(";")]:
                if name and str(name).strip():
                    self.names.setdefault(vocab.compact(name), rid)
        self._cache: dict[str, RegionMatch | None] = {}

    def __len__(self) -> int:
        return len(self.code21)

    def match(self, value: str) -> RegionMatch | None:
        if value in self._cache:
            return self._cache[value]
        found = self._match(value)
        if len(self._cache) < 100_000:
            self._cache[value] = found
        return found

    def _match(self, value: str) -> RegionMatch | None:
        key = vocab.compact(value)
        if not key:
            return None
        if key in self.code21:
            return RegionMatch(value, self.code21[key], "NUTS 2021 code")
        if key in self.code24:
            return RegionMatch(value, self.code24[key], "NUTS 2024 code")
        if key in self.names:
            return RegionMatch(value, self.names[key], "name")
        codes = vocab.split_codes(value)
        ids = {self.code24.get(vocab.compact(c)) or self.code21.get(vocab.compact(c)) for c in codes}
        if codes and len(ids) == 1 and None not in ids:
            return RegionMatch(value, ids.pop(), "NUTS 2024 codes")
        for part in re.split(r"\s*[(/)]\s*", value):  # "Vlaams Gewest (Flanders)", "Bolzano/Bozen"
            if part and part != value and vocab.compact(part) in self.names:
                return RegionMatch(value, self.names[vocab.compact(part)], "name")
        rid = self.dataset.resolve_region(value)
        return RegionMatch(value, rid, "name") if rid else None

    def suggest(self, value: str) -> str | None:
        """The English name of the closest known name, when one is close."""
        close = difflib.get_close_matches(vocab.compact(value), list(self.names), n=1, cutoff=0.75)
        return self.english[self.names[close[0]]] if close else None


@dataclass
class Column:
    """What one column of the table is used for: ``role`` is "region", "dimension" (wide), "dimension-column",
    "score", "edition", "context", "names the regions too", "empty" or "unknown"."""

    index: int
    label: str
    role: str
    dimension: str | None = None

    @property
    def name(self) -> str:
        """How messages name the column: its header, or its letter when the header is blank."""
        return self.label or column_letter(self.index)

    def describe(self) -> str:
        """``column C 'Overall'`` (in the current language)."""
        if self.label:
            return _("column {letter} {label}").format(letter=column_letter(self.index), label=quote(self.label))
        return _("column {letter}").format(letter=column_letter(self.index))


@dataclass
class FileResult:
    """One file as matched: its shape, what each column is, the regions and dimensions recognised, the scores
    (long ``region_id,dimension,edition,score,row``) and the problems (bounded)."""

    table: Table
    shape: str
    columns: list[Column]
    regions: dict[str, RegionMatch] = field(default_factory=dict)
    dimensions: dict[str, str] = field(default_factory=dict)
    scores: pd.DataFrame | None = None
    problems: Problems = field(default_factory=Problems)
    ignored: list[str] = field(default_factory=list)
    ignored_count: int = 0
    merged: list[str] = field(default_factory=list)
    editions_from: str = ""
    rows_read: int = 0
    missing: int = 0
    sha256: str = ""
    size: int = 0

    @property
    def file(self) -> str:
        return self.table.file

    def ignore(self, text: str) -> None:
        self.ignored_count += 1
        if len(self.ignored) < 20:
            self.ignored.append(text)


def parse_score(text: str, decimal_comma: bool) -> float | None:
    """A score cell → float, None when it says "missing"; ValueError when it is not a number."""
    value = text.strip()
    if value.casefold() in MISSING:
        return None
    value = value.replace("\u00a0", "").replace(" ", "")
    if decimal_comma and _DECIMAL_COMMA.fullmatch(value):
        value = value.replace(",", ".")
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(text)
    return number


def format_score(value) -> str:
    """56.0 → "56", 56.25 → "56.25" ("56,25" in Swedish), NaN → "missing" (in the current language)."""
    if value is None or pd.isna(value):
        return _("missing")
    return format_decimal(float(value), format="0.######", locale=i18n.locale())


def parse_edition(text: str) -> int:
    value = text.strip()
    if value.endswith(".0"):
        value = value[:-2]
    if not re.fullmatch(r"\d{4}", value) or not EDITION_RANGE[0] <= int(value) <= EDITION_RANGE[1]:
        raise ValueError(text)
    return int(value)


def _cell(row: list[str], index: int) -> str:
    return row[index] if index < len(row) else ""


def _rate(values: Counter, test) -> float:
    """The share of the non-empty cells (counted per distinct text) that pass ``test``."""
    filled = sum(n for v, n in values.items() if v)
    return sum(n for v, n in values.items() if v and test(v)) / filled if filled else 0.0


def _numeric(value: str) -> bool:
    try:
        return parse_score(value, True) is not None
    except ValueError:
        return False


def _roles(table: Table, matcher: RegionMatcher) -> tuple[str, list[Column]]:
    """The shape and every column's role, from the header and a sample of the values."""
    labels = table.labels
    width = max(len(labels), len(table.columns))
    sample = {i: Counter(table.column(i)[:SAMPLE_ROWS].tolist()) for i in range(width)}
    kinds = {i: vocab.header_kind(_cell(labels, i)) for i in range(width)}
    region_rate = {i: _rate(v, lambda x: matcher.match(x) is not None) for i, v in sample.items()}
    dim_rate = {i: _rate(v, lambda x: vocab.dimension_key(x) is not None) for i, v in sample.items()}
    columns = [Column(i, _cell(labels, i), "unknown") for i in range(width)]

    by_content = [i for i in range(width) if region_rate[i] >= 0.5 and kinds[i] != "dimension"]
    if by_content:
        best = max(region_rate[i] for i in by_content)
        tied = [i for i in by_content if region_rate[i] == best]
        codes = [i for i in tied if vocab.compact(_cell(labels, i)) in vocab.CODE_HEADERS]
        region = (codes or tied)[0]
    else:
        named = [i for i in range(width) if kinds[i] == "region"]
        text_cols = [i for i in range(width) if kinds[i] in (None, "region") and any(sample[i])
                     and _rate(sample[i], _numeric) < 0.5]
        if not named and not text_cols:
            raise InputError(table.file, _("no column names the regions (by NUTS code or by name)"),
                             row=table.header_row)
        region = (named or text_cols)[0]
    columns[region].role = "region"

    dim_column = [i for i in range(width) if i != region and (dim_rate[i] >= 0.5 or kinds[i] == "dimension-column")
                  and kinds[i] != "dimension"]
    shape = "long" if dim_column else "wide"
    if shape == "long":
        dcol = max(dim_column, key=lambda i: (dim_rate[i], kinds[i] == "dimension-column"))
        columns[dcol].role = "dimension-column"
        scored = [i for i in range(width) if kinds[i] == "score"]
        if not scored:
            scored = [i for i in range(width) if i not in (region, dcol) and kinds[i] is None
                      and _rate(sample[i], _numeric) >= 0.5]
        if not scored:
            raise InputError(table.file, _("a long table needs a score column (named 'score' or 'value')"),
                             row=table.header_row)
        columns[scored[0]].role = "score"
    for col in columns:
        if col.role != "unknown":
            continue
        kind = kinds[col.index]
        if kind == "edition":
            col.role = "edition"
        elif kind == "dimension" and shape == "wide":
            col.role, col.dimension = "dimension", vocab.dimension_key(col.label)
        elif not col.label and not any(sample[col.index]):
            col.role = "empty"
        elif region_rate[col.index] >= 0.5 or kind == "region":
            col.role = "names the regions too"
        elif kind in ("context", "dimension-column") or (shape == "long" and dim_rate[col.index] >= 0.5):
            col.role = "context"
    if shape == "wide" and not any(c.role == "dimension" for c in columns):
        raise InputError(table.file, _("no column is a known dimension: expected headers such as 'Overall score', "
                                       "'Labour market', 'Formulation', 'TCN' (or a long table: region, dimension, "
                                       "score)"), row=table.header_row)
    return shape, columns


def _per_value(texts: np.ndarray, func) -> tuple[np.ndarray, list, list]:
    """``func`` applied once per distinct text: (codes into the distinct texts, the texts, the results)."""
    codes, uniques = pd.factorize(texts)
    uniques = list(uniques)
    return codes, uniques, [func(u) for u in uniques]


def _take(values: list, codes: np.ndarray, dtype=object) -> np.ndarray:
    return np.asarray(values, dtype=dtype)[codes] if len(values) else np.empty(0, dtype=dtype)


def _score_of(text: str, decimal_comma: bool) -> tuple[float, str]:
    """(value, status): status "ok", "missing", "not a number" or "out of range"."""
    try:
        value = parse_score(text, decimal_comma)
    except ValueError:
        return np.nan, "not a number"
    if value is None:
        return np.nan, "missing"
    return (value, "ok") if 0 <= value <= 100 else (np.nan, "out of range")


def _edition_of(text: str) -> float:
    try:
        return float(parse_edition(text))
    except ValueError:
        return -1.0


def match_table(table: Table, dataset: Dataset, edition: int | None = None,
                matcher: RegionMatcher | None = None) -> FileResult:
    """Match one table; never raises for a cell (every unrecognised cell is a problem in the result), only for a
    table whose columns cannot be told apart. Work is done once per distinct text (region, label, score), so a
    135,000-row table costs about as much as reading it."""
    matcher = matcher or RegionMatcher(dataset)
    shape, columns = _roles(table, matcher)
    result = FileResult(table=table, shape=shape, columns=columns)
    file = table.file
    found = RowProblems(file, [c.name for c in columns])
    header = table.header_row
    region = next(c for c in columns if c.role == "region")
    edition_col = next((c for c in columns if c.role == "edition"), None)
    for col in columns:
        if col.role == "unknown":
            found.add([header], col.name, lambda _r: _("not a known dimension, region, edition or context column"))
        elif col.role == "context":
            result.ignore(_("{column} (context column)").format(column=col.describe()))
        elif col.role == "names the regions too":
            result.ignore(_("{column} (names the regions too)").format(column=col.describe()))
    seen: dict[str, Column] = {}
    for col in columns:
        if col.role == "dimension":
            result.dimensions[col.label] = col.dimension
            if col.dimension in seen:
                other = seen[col.dimension].describe()
                label = scoring.dimension_label(col.dimension)
                found.add([header], col.name, lambda _r, o=other, lab=label: _(
                    "this column and {other} both give {dimension}").format(other=o, dimension=lab))
            seen.setdefault(col.dimension, col)
    if shape == "long":
        pairs = [(next(c for c in columns if c.role == "dimension-column"),
                  next(c for c in columns if c.role == "score"))]
    else:
        pairs = [(c, c) for c in columns if c.role == "dimension" and seen.get(c.dimension) is c]

    n = table.n_records - table.header_index - 1
    rownum = np.arange(header + 1, header + 1 + n)
    filled_row = np.logical_or.reduce([table.column(i) != "" for i in range(len(table.columns))])
    result.rows_read = int(filled_row.sum())
    names = table.column(region.index)
    codes, distinct, matches = _per_value(names, matcher.match)
    row_match = _take([m is not None for m in matches], codes, bool)
    row_aggregate = _take([vocab.compact(n) in vocab.AGGREGATE_ROWS for n in distinct], codes, bool) & filled_row
    decimal_comma = table.decimal_comma
    cells = {score.index: _per_value(table.column(score.index), lambda t: _score_of(t, decimal_comma))
             for _dim, score in pairs}
    any_score = np.zeros(n, dtype=bool)
    for sc, _texts, scored in cells.values():
        any_score |= _take([st != "missing" for _value, st in scored], sc, bool)
    for row in rownum[row_aggregate][:20]:
        result.ignore(_("row {row} {value} (an aggregate, not a region)").format(
            row=row, value=quote(names[row - header - 1])))
    result.ignored_count += max(0, int(row_aggregate.sum()) - 20)
    note = filled_row & ~row_match & ~row_aggregate & ~any_score
    for row in rownum[note][:20]:
        text = " ".join(c for c in table.row(row - 1) if c)
        result.ignore(_("row {row} {value} (a note, no scores)").format(row=row, value=quote(text, 60)))
    result.ignored_count += max(0, int(note.sum()) - 20)
    unknown = filled_row & ~row_match & ~row_aggregate & any_score

    def unknown_rule(row: int) -> str:
        name = names[row - header - 1]
        if not name:
            return _("no region is named in this row")
        hint = matcher.suggest(name)
        text = (_("region {region} is not one of the {n} loaded regions (did you mean {hint}?)") if hint else
                _("region {region} is not one of the {n} loaded regions"))
        return text.format(region=quote(name), n=len(matcher), hint=hint)

    found.add(rownum[unknown], region.name, unknown_rule)
    keep = filled_row & row_match
    years = np.full(n, np.nan if edition is None else float(edition))
    if edition_col is not None:
        texts = table.column(edition_col.index)
        ec, given_texts, eds = _per_value(texts, _edition_of)
        given = _take([bool(t) for t in given_texts], ec, bool)
        parsed = _take(eds, ec, float)
        bad = given & (parsed < 0) & keep
        found.add(rownum[bad], edition_col.name, lambda r: _("edition {edition} is not a year between {lo} and "
                                                             "{hi}").format(edition=quote(texts[r - header - 1]),
                                                                            lo=EDITION_RANGE[0], hi=EDITION_RANGE[1]))
        years = np.where(given, parsed, years)
        keep &= ~bad
    region_ids = _take([m.region_id if m else None for m in matches], codes)
    for code in pd.unique(codes[keep]):
        result.regions.setdefault(distinct[code], matches[code])
    parts = []
    for dim_col, score_col in pairs:
        sc, _texts, scored = cells[score_col.index]
        values = _take([v for v, _status in scored], sc, float)
        status = _take([st for _value, st in scored], sc)
        ok = keep.copy()
        if shape == "long":
            labels = table.column(dim_col.index)
            dc, label_texts, keys = _per_value(labels, vocab.dimension_key)
            dims = _take(keys, dc)
            nodim = ok & pd.isna(dims)
            found.add(rownum[nodim], dim_col.name,
                      lambda r: _("dimension {dimension} is not known (expected a key such as 'area:health' or a "
                                  "label such as 'Health')").format(dimension=quote(labels[r - header - 1]))
                      if labels[r - header - 1] else _("no dimension is named in this row"))
            ok &= ~nodim
            for code in pd.unique(dc[ok])[:200]:
                result.dimensions.setdefault(label_texts[code], keys[code])
        else:
            dims = np.full(n, dim_col.dimension, dtype=object)
        col_texts = table.column(score_col.index)
        nonnum = ok & (status == "not a number")
        found.add(rownum[nonnum], score_col.name,
                  lambda r, t=col_texts: _("value {value} is not a number").format(value=quote(t[r - header - 1])))
        outside = ok & (status == "out of range")
        found.add(rownum[outside], score_col.name,
                  lambda r, t=col_texts: _("value {value} is outside 0–100").format(value=t[r - header - 1]))
        ok &= ~nonnum & ~outside
        result.missing += int((ok & (status == "missing")).sum())
        parts.append(pd.DataFrame({"region_id": region_ids[ok], "dimension": dims[ok], "edition": years[ok],
                                   "score": values[ok], "row": rownum[ok], "value": names[ok]}))
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["region_id", "dimension", "edition", "score", "row", "value"])
    frame["edition"] = pd.array(frame["edition"].to_numpy(dtype=float), dtype="Float64").astype("Int64")
    frame["score"] = frame["score"].astype(float)
    result.scores = _merge_duplicates(frame, result, found)
    result.problems = found.problems()
    if edition_col is not None:
        result.editions_from = (_("from {column}; blanks: {edition}") if edition else _("from {column}")).format(
            column=edition_col.describe(), edition=edition)
    elif edition is not None:
        result.editions_from = _("as given")
    if result.scores["edition"].isna().any():
        result.problems.add(InputError(file, _("no edition: give the edition (a year, e.g. --edition 2021) or add "
                                               "an 'edition' column")))
    return result


def _merge_duplicates(frame: pd.DataFrame, result: FileResult, found: RowProblems) -> pd.DataFrame:
    """Two cells for the same region, dimension and edition (e.g. rows PT1A and PT1B, both Lisbon): the same
    score is read once (and said so); different scores are a problem."""
    key = ["region_id", "dimension", "edition"]
    if not frame.duplicated(subset=key).any():
        return frame.drop(columns=["value"])
    frame = frame.sort_values("row", kind="stable")
    first = ~frame.duplicated(subset=key, keep="first")
    firsts = frame[first][key + ["row", "value", "score"]]
    later = frame[~first].merge(firsts, on=key, how="left", suffixes=("", "_0"))
    same = (later["score"] == later["score_0"]) | (later["score"].isna() & later["score_0"].isna())
    conflict = later[~same]
    for rec in conflict.head(MAX_MESSAGES).itertuples(index=False):
        message = _("{value} gives {region} a {dimension} score of {score}, but row {row} {other} gives "
                    "{other_score}").format(value=quote(rec.value), region=rec.region_id,
                                            dimension=scoring.dimension_label(rec.dimension),
                                            score=format_score(rec.score), row=rec.row_0, other=quote(rec.value_0),
                                            other_score=format_score(rec.score_0))
        found.add([rec.row], None, lambda _r, m=message: m)
    found.total += max(0, len(conflict) - MAX_MESSAGES)
    pairs = later[same].drop_duplicates(subset=["value_0", "value", "region_id"]).head(20)
    for rec in pairs.itertuples(index=False):
        result.merged.append(_("rows {row} {value} and {other_row} {other} both stand for {region}: their scores "
                               "agree, read once").format(row=rec.row_0, value=quote(rec.value_0), other_row=rec.row,
                                                          other=quote(rec.value), region=rec.region_id))
    return frame[first].drop(columns=["value"]).reset_index(drop=True)
