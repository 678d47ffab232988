"""A data-package resource read and checked against its Table Schema, column by column (pure, pandas).

The subset of `Table Schema <https://specs.frictionlessdata.io/table-schema/>`_ the MIPEX-R package uses:
field types ``string``, ``number``, ``integer``, ``boolean``; constraints ``required``, ``enum``, ``minimum``,
``maximum``, ``pattern``; ``primaryKey``; ``foreignKeys`` to another resource. Columns are matched by name in
any order; extra columns are allowed; a missing column is an error unless the caller lists it as optional.

Checks are vectorised (a 457,500-row answers file is checked in well under a second, where a row-by-row
validator needs half a minute) and bounded: each check builds at most :data:`~dashboard.tabular.limits.
MAX_MESSAGES` messages and counts the rest, values are quoted briefly, and a column name over
:data:`~dashboard.tabular.limits.MAX_LABEL_CHARS` characters refuses the file before any row is read.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard import i18n
from dashboard.errors import InputError
from dashboard.i18n import _
from dashboard.tabular.limits import (
    MAX_COLUMNS,
    MAX_LABEL_CHARS,
    Problems,
    RowProblems,
    column_letter,
    quote,
    short_name,
)
from dashboard.tabular.reading import (
    DELIMITERS,
    XLSX_SUFFIXES,
    Workbook,
    decode,
    file_bytes,
    sample_records,
)

TRUE_VALUES = frozenset({"true", "1", "yes", "y"})
FALSE_VALUES = frozenset({"false", "0", "no", "n"})
KNOWN_TYPES = ("string", "number", "integer", "boolean")
_INTEGER = r"[+-]?\d+"
_PARSER_LINE = re.compile(r"line (\d+)")


def field_names(schema: Mapping) -> list[str]:
    return [f["name"] for f in schema.get("fields", [])]


def check_labels(labels: list[str], file: str, row: int = 1) -> None:
    """Refuse a header up front: a column name over :data:`MAX_LABEL_CHARS` characters, more than
    :data:`MAX_COLUMNS` columns. Raises :class:`InputError` naming the file, row and column."""
    if len(labels) > MAX_COLUMNS:
        raise InputError(file, _("the header has more than {max} columns; a table may have at most {max}").format(
            max=MAX_COLUMNS), row=row)
    for index, label in enumerate(labels):
        if len(label) > MAX_LABEL_CHARS:
            raise InputError(file, _("the column name is {n} characters long (the limit is {max}): is this the "
                                     "right file, and is its first row the header?").format(
                n=i18n.number(len(label)), max=MAX_LABEL_CHARS), row=row, column=column_letter(index))


def _choose_delimiter(text: str, expected: Iterable[str]) -> tuple[str, list[str]]:
    """The delimiter whose first record holds most of the expected column names (ties: most cells, then
    the order of :data:`DELIMITERS`), and that record's labels."""
    wanted = {e.casefold() for e in expected}
    best: tuple[tuple[int, int], str, list[str]] | None = None
    for delimiter in DELIMITERS:
        first = sample_records(text, delimiter, limit=1)
        labels = first[0] if first else []
        score = (sum(1 for lab in labels if lab.casefold() in wanted), len(labels))
        if best is None or score > best[0]:
            best = (score, delimiter, labels)
    assert best is not None
    return best[1], best[2]


def _normalised(categories: pd.Index) -> bool:
    """Whether categories are already what :func:`categorical` makes: strings, stripped, none empty."""
    if categories.dtype != object or not all(isinstance(c, str) for c in categories):
        return False
    stripped = categories.str.strip()
    return bool((stripped == categories).all() and not (stripped == "").any())


def categorical(values) -> pd.Series:
    """Cells → a categorical Series of stripped strings, NaN for empty cells. Every check and cast then works on
    the distinct values only (a 457,500-row answers file has a few thousand), mapped back through the codes."""
    col = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    if not isinstance(col.dtype, pd.CategoricalDtype):
        col = col.astype(object).where(col.notna(), "").astype(str).astype("category")
    elif _normalised(col.cat.categories):
        return col  # made by this function already: nothing to strip, merge or blank (no work per row)
    cats = pd.Index(col.cat.categories.astype(str)).str.strip()
    inverse, uniq = pd.factorize(cats)
    empty = np.asarray(uniq == "", dtype=bool)
    remap = np.where(empty[inverse], -1, inverse)
    keep = np.flatnonzero(~empty)
    renumber = np.full(len(uniq), -1)
    renumber[keep] = np.arange(len(keep))
    remap = np.where(remap >= 0, renumber[np.maximum(remap, 0)], -1)
    codes = col.cat.codes.to_numpy()
    new_codes = np.where(codes >= 0, remap[np.maximum(codes, 0)] if len(remap) else -1, -1)
    return pd.Series(pd.Categorical.from_codes(new_codes, categories=pd.Index(uniq[keep], dtype=object)),
                     index=col.index)


def fill(col: pd.Series, value: str) -> pd.Series:
    """``col`` with its empty cells set to ``value`` (categorical stays categorical)."""
    col = categorical(col)
    if value not in col.cat.categories:
        col = col.cat.add_categories([value])
    return col.fillna(value)


def _longer_than_header(file: str, row: int | None, cell: int | None = None) -> InputError:
    """The refusal of a row with more cells than the header (``cell``: index of its first cell beyond it)."""
    return InputError(file, _("the row has more cells than the header"), row=row,
                      column=None if cell is None else column_letter(cell))


def read_frame(path: Path | str, file: str | None = None, expected: Iterable[str] = ()) -> pd.DataFrame:
    """A resource file (CSV in UTF-8 with any of the delimiters ``, ; tab |``, or the first sheet of an XLSX)
    → DataFrame of categorical stripped strings (:func:`categorical`), NaN for empty cells, column names stripped.
    The index is the spreadsheet row number (header = row 1); blank rows are dropped. Refused: empty, over the
    size limit, not UTF-8, an over-long column name, too many columns, duplicate column names, a header without
    data rows."""
    path = Path(path)
    file = short_name(file or path.name)
    content = file_bytes(path, file)
    if path.suffix.lower() in XLSX_SUFFIXES:
        with Workbook(content, file) as book:
            records = book.rows()
        del content
        if not records:
            raise InputError(file, _("the first sheet is empty"))
        labels = records[0]
        check_labels(labels, file)
        body = records[1:]
        width = len(labels)
        longer = next((n for n, r in enumerate(body) if len(r) > width), None)  # trailing empty cells are gone
        if longer is not None:
            extra = body[longer]
            raise _longer_than_header(file, longer + 2, next(i for i in range(width, len(extra)) if extra[i]))
        frame = pd.DataFrame({i: categorical([r[i] if i < len(r) else "" for r in body]) for i in range(width)})
    else:
        text = decode(content, file).text
        del content
        delimiter, labels = _choose_delimiter(text, expected)
        check_labels(labels, file)
        width = len(labels)
        # A row longer than the header is refused. pandas refuses one after the first data row (ParserError), but
        # cuts the first data row to the names it is given (a warning, the cells lost): so one column more than the
        # header is read (a row may end with one empty cell more, a trailing delimiter: nothing is lost), and a
        # first data row longer than that is found here, before pandas would cut it
        first = (sample_records(text, delimiter, limit=2, max_columns=width + 1)[1:] or [[]])[0]
        if len(first) > width + 1:
            raise _longer_than_header(file, 2, next((i for i in range(width, len(first)) if first[i]), width))
        try:
            frame = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, skiprows=1,
                                names=list(range(width + 1)), dtype="category", keep_default_na=False, na_values=[],
                                skip_blank_lines=False, index_col=False, engine="c")
        except pd.errors.ParserError as exc:
            match = _PARSER_LINE.search(str(exc))
            row = int(match.group(1)) if match else None
            raise _longer_than_header(file, row) from None
        except pd.errors.EmptyDataError:
            frame = pd.DataFrame({i: categorical([]) for i in range(width + 1)})
        del text
        extra = frame[width]
        longer = np.flatnonzero((extra.notna() & (extra.astype(object) != "")).to_numpy())
        if len(longer):
            raise _longer_than_header(file, int(longer[0]) + 2, width)
        frame = pd.DataFrame({i: categorical(frame[i]) for i in range(width)})
    labels = [lab.strip() for lab in labels]
    seen: dict[str, int] = {}
    for index, label in enumerate(labels):
        if not label:
            continue
        if label in seen:
            raise InputError(file, _("the column name {name} appears twice (columns {first} and {second})").format(
                name=quote(label), first=column_letter(seen[label]), second=column_letter(index)), row=1,
                column=column_letter(index))
        seen[label] = index
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    frame.columns = [lab if lab else _("column {letter}").format(letter=column_letter(i))
                     for i, lab in enumerate(labels)]
    if width:
        blank = np.logical_and.reduce([frame[c].cat.codes.to_numpy() < 0 for c in frame.columns])
        frame = frame[~blank]
    if frame.empty:
        raise InputError(file, _("the file has a header but no data rows"), row=2)
    return frame


def _on_values(col: pd.Series, per_value: np.ndarray, missing=False) -> pd.Series:
    """A per-distinct-value array (aligned with ``col.cat.categories``) → one value per row."""
    codes = col.cat.codes.to_numpy()
    out = per_value[np.maximum(codes, 0)] if len(per_value) else np.full(len(codes), missing)
    kind = object if (missing is None or np.asarray(per_value).dtype == object) else None
    return pd.Series(np.where(codes >= 0, out, missing), index=col.index, dtype=kind)


def _outside_text(value, lo, hi) -> str:
    """The message for a value outside its range (``value`` as written in the file)."""
    if lo is not None and hi is not None:
        return _("value {value} is outside the allowed range {lo}–{hi}").format(value=value, lo=f"{lo:g}",
                                                                                hi=f"{hi:g}")
    if lo is not None:
        return _("value {value} is outside the minimum {lo}").format(value=value, lo=f"{lo:g}")
    return _("value {value} is outside the maximum {hi}").format(value=value, hi=f"{hi:g}")


def _check_field(frame: pd.DataFrame, spec: Mapping, out: RowProblems) -> None:
    name = spec["name"]
    col = frame[name] = categorical(frame[name])
    cats = col.cat.categories
    present = pd.Series(col.cat.codes.to_numpy() >= 0, index=col.index)
    cons = spec.get("constraints", {}) or {}
    if cons.get("required"):
        out.add(frame.index[~present], name, lambda _r: _("a value is required here"))
    kind = spec.get("type", "string")
    text = pd.Series(cats.astype(str), dtype=object)
    valid = np.ones(len(cats), dtype=bool)
    numbers = None
    if kind == "number":
        numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
        valid = np.isfinite(numbers)
        what = _("value {value} is not a number")
    elif kind == "integer":
        valid = text.str.fullmatch(_INTEGER).to_numpy(dtype=bool)
        numbers = pd.to_numeric(text.where(valid), errors="coerce").to_numpy(dtype=float)
        what = _("value {value} is not a whole number")
    elif kind == "boolean":
        valid = text.str.casefold().isin(TRUE_VALUES | FALSE_VALUES).to_numpy(dtype=bool)
        what = _("value {value} is not true or false")
    if kind in ("number", "integer", "boolean"):
        out.add(frame.index[(present & ~_on_values(col, valid, True)).to_numpy()], name,
                lambda r: what.format(value=quote(col[r])))
    bad = np.zeros(len(cats), dtype=bool)
    if "enum" in cons:
        allowed = cons["enum"]
        if numbers is not None:
            off = ~np.isin(numbers, [float(a) for a in allowed])
        else:
            off = ~text.isin([str(a) for a in allowed]).to_numpy(dtype=bool)
        rows = frame.index[_on_values(col, valid & off).to_numpy(dtype=bool)]
        listed = ", ".join(str(a) for a in allowed)
        listed = listed if len(listed) <= 160 else listed[:159] + "…"
        first = rows[:1]
        out.add(rows, name, lambda r: (_("value {value} is not an allowed value (allowed: {allowed})")
                                       if r in first else _("value {value} is not an allowed value"))
                .format(value=quote(col[r]), allowed=listed))
        bad |= off
    if numbers is not None and ("minimum" in cons or "maximum" in cons):
        lo, hi = cons.get("minimum"), cons.get("maximum")
        off = np.zeros(len(cats), dtype=bool)
        with np.errstate(invalid="ignore"):
            if lo is not None:
                off |= numbers < lo
            if hi is not None:
                off |= numbers > hi
        out.add(frame.index[_on_values(col, valid & off).to_numpy(dtype=bool)], name,
                lambda r: _outside_text(col[r], lo, hi))
    if "pattern" in cons and kind == "string":
        off = ~text.str.fullmatch(cons["pattern"]).to_numpy(dtype=bool)
        out.add(frame.index[_on_values(col, off).to_numpy(dtype=bool)], name,
                lambda r: _("value {value} does not match the pattern {pattern}").format(
                    value=quote(col[r]), pattern=quote(cons["pattern"])))


def check_frame(frame: pd.DataFrame, schema: Mapping, file: str, optional: Iterable[str] = (),
                references: Mapping[str, Mapping[tuple[str, ...], set]] | None = None) -> Problems:
    """Every problem of ``frame`` against ``schema`` (bounded): missing columns (those in ``optional`` may be
    absent), types, constraints, duplicate primary keys, foreign keys. ``references`` maps a referenced
    resource name → {its key fields: set of key values (tuples for several fields)}; a foreign key whose
    resource is not given is not checked."""
    file = short_name(file)
    names = field_names(schema)
    out = RowProblems(file, names)
    optional = set(optional)
    problems = Problems()
    for spec in schema.get("fields", []):
        kind = spec.get("type", "string")
        if kind not in KNOWN_TYPES:
            problems.add(InputError(file, _("the schema gives the column an unknown type {type}").format(
                type=quote(kind)), column=spec["name"]))
    missing = [n for n in names if n not in frame.columns and n not in optional]
    for name in missing:
        problems.add(InputError(file, _("this required column is missing"), row=1, column=name))
    if problems:
        return problems
    for spec in schema.get("fields", []):
        if spec["name"] in frame.columns:
            _check_field(frame, spec, out)
    key = [k for k in as_list(schema.get("primaryKey")) if k in frame.columns]
    if key:
        dup = frame.duplicated(subset=key, keep="first")
        if dup.any():
            group = frame.groupby(key, sort=False, dropna=False).ngroup()
            first_row = pd.Series(frame.index, index=frame.index).groupby(group).transform("first")
            what = ", ".join(key)
            out.add(frame.index[dup.to_numpy()], key[0],
                    lambda r: _("duplicate row: the same {columns} as row {row}").format(columns=what,
                                                                                        row=first_row[r]))
    for fk in schema.get("foreignKeys", []) or []:
        fields = tuple(as_list(fk.get("fields")))
        ref = fk.get("reference", {}) or {}
        target = (references or {}).get(ref.get("resource"), {})
        keys = target.get(tuple(as_list(ref.get("fields"))))
        if keys is None or not all(f in frame.columns for f in fields):
            continue
        sub = frame[list(fields)].dropna()
        if len(fields) == 1:
            col = categorical(sub[fields[0]])
            known = pd.Index(col.cat.categories).isin(list(keys))
            bad = ~_on_values(col, known, True)
        else:
            bad = ~pd.Series([tuple(t) in keys for t in sub.itertuples(index=False)], index=sub.index, dtype=bool)
        unknown = {"region_id": _("unknown region id {value}"),
                   "indicator_id": _("unknown indicator id {value}")}.get(fields[0], _("unknown {column} {value}"))
        out.add(sub.index[bad.to_numpy()], fields[0],
                lambda r: unknown.format(column=fields[0],
                                         value=quote(", ".join(str(frame.at[r, f]) for f in fields))))
    return out.problems()


def as_list(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def typed(frame: pd.DataFrame, schema: Mapping) -> pd.DataFrame:
    """Cast checked columns by their schema type: number → float, integer → Int64, boolean → bool, string →
    object (None for empty). Schema columns absent from the frame are added empty; schema columns come first;
    the index (the spreadsheet row numbers) is kept."""
    names = field_names(schema)
    columns: dict[str, pd.Series] = {}
    for spec in schema.get("fields", []):
        name, kind = spec["name"], spec.get("type", "string")
        col = categorical(frame[name] if name in frame.columns else pd.Series([None] * len(frame), index=frame.index))
        text = pd.Series(col.cat.categories.astype(str), dtype=object)
        if kind in ("number", "integer"):
            per = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
            values = _on_values(col, per, np.nan).astype(float)
            columns[name] = values.astype("Int64") if kind == "integer" else values
        elif kind == "boolean":
            columns[name] = _on_values(col, text.str.casefold().isin(TRUE_VALUES).to_numpy(dtype=bool), False) \
                .astype(bool)
        else:
            columns[name] = _on_values(col, text.to_numpy(dtype=object), None).astype(object)
    out = pd.DataFrame(columns, index=frame.index)
    for extra in frame.columns:
        if extra not in columns:
            out[extra] = _on_values(categorical(frame[extra]),
                                    np.asarray(categorical(frame[extra]).cat.categories, dtype=object), None)
    return out[names + [c for c in out.columns if c not in set(names)]]
