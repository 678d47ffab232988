"""A published table read as published: CSV (delimiter and encoding detected) or XLSX (sheet chosen), its
header row found below any title or note rows (pure).

:func:`read_table` → :class:`Table`, or an :class:`~dashboard.errors.InputError` naming the file, the row and
column when there is one, and the rule: not a table, an unresolvable delimiter, no header row, an over-long
column name, too many columns or rows, several sheets that look like tables (the error lists them).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard import i18n
from dashboard.errors import InputError
from dashboard.i18n import _
from dashboard.importing.vocab import header_kind
from dashboard.tabular.limits import (
    MAX_COLUMNS,
    MAX_LABEL_CHARS,
    MAX_ROWS,
    quote,
    short_name,
)
from dashboard.tabular.reading import (
    DELIMITERS,
    XLSX_SUFFIXES,
    Workbook,
    check_bytes,
    csv_records,
    decode,
    delimiter_name,
    file_bytes,
    sample_records,
)
from dashboard.tabular.schema import check_labels

#: The header row is looked for in this many first rows.
HEADER_SCAN_ROWS = 30


def _strip(values: np.ndarray) -> np.ndarray:
    """Object array of cells → stripped strings ("" for empty), stripping each distinct text once."""
    values = np.where(pd.isna(values), "", values).astype(object)
    codes, uniques = pd.factorize(values)
    return np.array([str(u).strip() for u in uniques] + [""], dtype=object)[codes]


def _columns(rows: list[list[str]]) -> list[np.ndarray]:
    width = max((len(r) for r in rows), default=0)
    return [np.array([r[j] if j < len(r) else "" for r in rows], dtype=object) for j in range(width)]


@dataclass
class Table:
    """The cells of one published table, column by column (``columns``: object arrays of stripped strings of
    equal length, ``""`` for an empty cell). The header is record ``header_index`` (spreadsheet row
    ``header_row``); records above it are titles or notes."""

    file: str
    kind: str
    columns: list[np.ndarray]
    header_index: int
    encoding: str | None = None
    encoding_fallback: bool = False
    delimiter: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()

    @property
    def n_records(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def row(self, index: int) -> list[str]:
        """One record as a list (trailing empty cells dropped)."""
        cells = [str(c[index]) for c in self.columns]
        while cells and not cells[-1]:
            cells.pop()
        return cells

    def head(self, n: int) -> list[list[str]]:
        return [self.row(i) for i in range(min(n, self.n_records))]

    def column(self, index: int) -> np.ndarray:
        """The cells of one column below the header ("" past the last column)."""
        if index >= len(self.columns):
            return np.full(self.n_records - self.header_index - 1, "", dtype=object)
        return self.columns[index][self.header_index + 1:]

    @property
    def header_row(self) -> int:
        return self.header_index + 1

    @property
    def labels(self) -> list[str]:
        return self.row(self.header_index)

    @property
    def decimal_comma(self) -> bool:
        """Whether "56,5" may mean 56.5 (never in a comma-separated file)."""
        return self.delimiter != ","

    def release(self) -> None:
        """Drop the data rows (the matched scores are kept elsewhere); the header stays."""
        self.columns = [c[: self.header_index + 1] for c in self.columns]

    def describe(self) -> str:
        """One plain line (in the current language): what kind of file and how it was read."""
        parts = [f"{self.file}: {self.kind}"]
        if self.sheet is not None:
            parts.append(_("sheet {sheet}").format(sheet=quote(self.sheet)))
        if self.encoding:
            parts.append(_("encoding {encoding}").format(encoding=self.encoding))
        if self.delimiter:
            parts.append(_("columns separated by {delimiters}").format(delimiters=delimiter_name(self.delimiter)))
        if self.header_index == 1:
            header = _("header on row {row} (row 1: title or notes, skipped)")
        elif self.header_index:
            header = _("header on row {row} (rows 1–{last}: title or notes, skipped)")
        else:
            header = _("header on row {row}")
        parts.append(header.format(row=self.header_row, last=self.header_index))
        return ", ".join(parts)


def header_score(row: list[str]) -> int:
    """How many cells of ``row`` are known column names (0 when the row cannot be a header)."""
    cells = [c for c in row if c]
    if len(row) < 2 or not cells:
        return 0
    known = sum(1 for c in cells if len(c) <= MAX_LABEL_CHARS and header_kind(c) is not None)
    if known >= 2 and 2 * known >= len(cells):
        return known
    if known == 1 and len(cells) == 1 and header_kind(cells[0]) == "dimension":
        return 1  # a one-dimension table whose region column has no name
    return 0


def find_header(rows: list[list[str]]) -> tuple[int, int] | None:
    """(index, score) of the first row among the first :data:`HEADER_SCAN_ROWS` that reads as a header."""
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = header_score(row)
        if score:
            return index, score
    return None


def _no_header(file: str, rows: list[list[str]], tried: str | None = None) -> InputError:
    """No header row found; ``tried`` says where it was looked for (a translated phrase such as "of sheet 'X'",
    filled into the message)."""
    for number, row in enumerate(rows[:HEADER_SCAN_ROWS], start=1):
        long = next((i for i, c in enumerate(row) if len(c) > MAX_LABEL_CHARS), None)
        if (long is not None and len([c for c in row if c]) >= 2) or len(row) > MAX_COLUMNS:
            check_labels(row, file, row=number)  # raises with the row and column of the over-long name
    text = (_("no header row found in the first {n} rows {where}: expected column names such as 'region', "
              "'dimension', 'score', or dimension labels such as 'Overall score', 'Labour market', 'Formulation'")
            if tried else
            _("no header row found in the first {n} rows: expected column names such as 'region', 'dimension', "
              "'score', or dimension labels such as 'Overall score', 'Labour market', 'Formulation'"))
    return InputError(file, text.format(n=HEADER_SCAN_ROWS, where=tried))


def _choose_delimiter(text: str, file: str) -> tuple[str, int, int]:
    """(delimiter, header index, widest record in the sample)."""
    found: list[tuple[int, str, int, int]] = []
    for delimiter in DELIMITERS:
        sample = sample_records(text, delimiter, HEADER_SCAN_ROWS + 200)
        header = find_header(sample)
        if header is not None:
            found.append((header[1], delimiter, header[0], max(len(r) for r in sample)))
    if not found:
        raise _no_header(file, sample_records(text, ",", HEADER_SCAN_ROWS),
                         _("(with commas, semicolons, tabs or vertical bars between the columns)"))
    found.sort(key=lambda t: -t[0])
    if len(found) > 1 and found[0][0] == found[1][0]:
        raise InputError(file, _("the columns could be separated by {a} or by {b}: save the file with one kind "
                                 "of separator (CSV UTF-8 in a spreadsheet program)").format(
            a=delimiter_name(found[0][1]), b=delimiter_name(found[1][1])), row=found[0][2] + 1)
    return found[0][1], found[0][2], found[0][3]


def _read_csv(content: bytes, file: str) -> Table:
    decoded = decode(content, file, lenient=True)
    del content
    delimiter, header_index, width = _choose_delimiter(decoded.text, file)
    columns = None
    if width <= MAX_COLUMNS:
        try:  # the C parser when every record fits the sample's width; the csv module otherwise
            frame = pd.read_csv(io.StringIO(decoded.text), sep=delimiter, header=None, names=list(range(width)),
                                dtype=object, keep_default_na=False, na_values=[], skip_blank_lines=False,
                                index_col=False, engine="c")
            if len(frame) > MAX_ROWS + HEADER_SCAN_ROWS:
                raise InputError(file, _("the file has more than {n} rows; split it or leave out what is not "
                                         "needed").format(n=i18n.number(MAX_ROWS)))
            columns = [_strip(frame[j].to_numpy(dtype=object)) for j in range(width)]
            del frame
        except (pd.errors.ParserError, ValueError):
            columns = None
    if columns is None:
        columns = [_strip(c) for c in _columns(csv_records(decoded.text, delimiter, file))]
    return Table(file=file, kind="CSV", columns=columns, header_index=header_index, encoding=decoded.encoding,
                 encoding_fallback=decoded.fallback, delimiter=delimiter)


def _read_xlsx(content: bytes, file: str, sheet: str | None) -> Table:
    with Workbook(content, file) as book:
        if sheet is not None and sheet not in book.sheets:
            listed = ", ".join(quote(s) for s in book.sheets[:20])
            raise InputError(file, _("there is no sheet named {sheet}; the sheets are: {sheets}").format(
                sheet=quote(sheet), sheets=listed))
        if sheet is None:
            samples = {name: book.rows(name, limit=HEADER_SCAN_ROWS + 1) for name in book.sheets}
            tables = [name for name, rows in samples.items() if find_header(rows)]
            if len(tables) > 1:
                listed = ", ".join(quote(s) for s in tables[:20])
                raise InputError(file, _("several sheets look like score tables: {sheets}; choose one (--sheet NAME "
                                         "on the command line)").format(sheets=listed))
            filled = [name for name, rows in samples.items() if rows]
            if not tables and len(filled) > 1:
                listed = ", ".join(quote(s) for s in filled[:20])
                raise _no_header(file, samples[filled[0]], _("of any sheet ({sheets})").format(sheets=listed))
            if not filled:
                raise InputError(file, _("the workbook is empty"))
            sheet = tables[0] if tables else filled[0]
        rows = book.rows(sheet)
        sheets = book.sheets
    header = find_header(rows)
    if header is None:
        raise _no_header(file, rows, _("of sheet {sheet}").format(sheet=quote(sheet)))
    return Table(file=file, kind="XLSX", columns=_columns(rows), header_index=header[0], sheet=sheet, sheets=sheets)


def read_table(source: Path | str | bytes, name: str | None = None, sheet: str | None = None) -> Table:
    """A published table from a file path or from bytes (``name`` then gives the file name; its extension says
    CSV or XLSX). The header row is checked up front (no column name over 200 characters, at most 250 columns),
    and a header without data rows is refused."""
    if isinstance(source, (bytes, bytearray)):
        file = short_name(name or "upload")
        content = bytes(source)
        check_bytes(file, content)
    else:
        path = Path(source)
        file = short_name(name or path.name)
        if path.is_dir():
            raise InputError(file, _("this is a folder; give a file"))
        content = file_bytes(path, file)
    is_xlsx = Path(file).suffix.lower() in XLSX_SUFFIXES or content[:4] == b"PK\x03\x04"
    table = _read_xlsx(content, file, sheet) if is_xlsx else _read_csv(content, file)
    check_labels(table.labels, file, row=table.header_row)
    body = [c[table.header_index + 1:] for c in table.columns]
    if not body or not np.logical_or.reduce([c != "" for c in body]).any():
        raise InputError(file, _("the table has a header but no data rows"), row=table.header_row + 1)
    return table
