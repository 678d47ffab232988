"""Reading table files within bounds (pure): bytes → text → records, or an XLSX sheet → records.

Every function refuses what it cannot read with an :class:`~dashboard.errors.InputError` naming the file, and
the row and column when there is one. Cells come back as stripped strings (``""`` for an empty cell), rows
numbered as a spreadsheet numbers them (the first record of the file is row 1).
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import io
import itertools
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from dashboard import i18n
from dashboard.errors import InputError
from dashboard.i18n import N_, _
from dashboard.tabular.limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_XLSX_STRINGS,
    MAX_XLSX_UNPACKED,
    column_letter,
    short_name,
    too_big,
)

#: The delimiters a CSV may use, in the order a tie is broken.
DELIMITERS = (",", ";", "\t", "|")
#: The delimiters in plain words (English; shown through :func:`delimiter_name`).
DELIMITER_NAMES = {",": N_("commas"), ";": N_("semicolons"), "\t": N_("tabs"), "|": N_("vertical bars")}
XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
NOT_UTF8 = N_("the file is not UTF-8 text; save it as UTF-8 (CSV UTF-8) and try again")


def delimiter_name(delimiter: str) -> str:
    """``";"`` → "semicolons" in the current language."""
    return _(DELIMITER_NAMES[delimiter])


@dataclass(frozen=True)
class Decoded:
    """A text file's content and how it was decoded (``encoding`` in plain words, e.g. "UTF-8 with BOM")."""

    text: str
    encoding: str
    fallback: bool = False


def file_bytes(path: Path | str, name: str | None = None) -> bytes:
    """A file's bytes, refused before reading when it is empty or over the size limit."""
    path = Path(path)
    label = short_name(name or path.name)
    if not path.is_file():
        raise InputError(label, _("file not found: {path}").format(path=short_name(str(path), 1000)))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise too_big(label, size)
    if size == 0:
        raise InputError(label, _("the file is empty"))
    return path.read_bytes()


def check_bytes(name: str, content: bytes) -> None:
    if len(content) > MAX_FILE_BYTES:
        raise too_big(name, len(content))
    if not content.strip():
        raise InputError(short_name(name), _("the file is empty"))


def _row_of(content: bytes, position: int) -> int:
    return content.count(b"\n", 0, position) + 1


def decode(content: bytes, name: str, lenient: bool = False) -> Decoded:
    """Bytes → text. UTF-8 (a BOM is allowed) always; UTF-16 with a BOM (Excel's "Unicode text"); with
    ``lenient``, Windows-1252 then Latin-1 as a stated fallback. Binary content is refused."""
    name = short_name(name)
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(content.decode("utf-16"), "UTF-16")
        except UnicodeDecodeError:
            raise InputError(name, _("the file starts like UTF-16 text but is not; save it as CSV UTF-8")) from None
    if b"\x00" in content[:65536]:
        raise InputError(name, _("this is not a text table (it contains binary data); save it as CSV or XLSX"))
    try:
        text = content.decode("utf-8-sig")
        return Decoded(text, _("UTF-8 with BOM") if content.startswith(codecs.BOM_UTF8) else "UTF-8")
    except UnicodeDecodeError as exc:
        if not lenient:
            raise InputError(name, _(NOT_UTF8), row=_row_of(content, exc.start)) from None
    try:
        return Decoded(content.decode("cp1252"), _("Windows-1252 (not UTF-8: read as Windows-1252)"), True)
    except UnicodeDecodeError:
        return Decoded(content.decode("latin-1"), _("Latin-1 (not UTF-8: read as Latin-1)"), True)


def sample_records(text: str, delimiter: str, limit: int = 60, max_columns: int = MAX_COLUMNS) -> list[list[str]]:
    """The first ``limit`` records of ``text`` split with ``delimiter`` (cells stripped, at most ``max_columns + 1``
    per record). A line with a piece too long for the csv module ends the sample: it comes back split
    naively (no quotes) so that the caller can name the over-long cell."""
    end = -1
    for _line in range(limit + 1):  # only the first lines are parsed (a 10 MB text is not copied for a sample)
        end = text.find("\n", end + 1)
        if end < 0:
            break
    text = text if end < 0 else text[: end + 1]
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in itertools.islice(reader, limit):
            rows.append([c.strip() for c in row[: max_columns + 1]])
    except csv.Error:
        start = 0
        for _row in range(len(rows)):  # the line where the reader stopped (records are lines in a header area)
            start = text.find("\n", start) + 1
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        rows.append([c.strip() for c in line.split(delimiter)[: max_columns + 1]])
    return rows


def csv_records(text: str, delimiter: str, name: str, max_rows: int = MAX_ROWS,
                max_columns: int = MAX_COLUMNS) -> list[list[str]]:
    """All records of a CSV text (cells stripped). Refused: a row with more than ``max_columns`` cells, more
    than ``max_rows`` rows, a cell longer than the csv module allows."""
    name = short_name(name)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[list[str]] = []
    number = 0
    try:
        for number, row in enumerate(reader, start=1):
            if len(row) > max_columns:
                raise InputError(name, _("row {row} has {n} cells; a table may have at most {max} columns").format(
                    row=number, n=i18n.number(len(row)), max=max_columns), row=number)
            if number > max_rows + 1:
                raise InputError(name, _("the file has more than {n} rows; split it or leave out what is not "
                                         "needed").format(n=i18n.number(max_rows)))
            rows.append([c.strip() for c in row])
    except csv.Error as exc:
        where = number + 1
        if "field larger" in str(exc):
            raise InputError(name, _("a cell is longer than {n} characters").format(
                n=i18n.number(csv.field_size_limit())), row=where) from None
        raise InputError(name, _("the file cannot be read as a table ({reason})").format(reason=exc),
                         row=where) from None
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    return str(value).strip()


class Workbook:
    """An XLSX workbook opened for streaming reads (use as a context manager: the file is closed on exit).

    Refused before opening: not a zip, unpacking to more than :data:`MAX_XLSX_UNPACKED` bytes, or a
    shared-strings part over :data:`MAX_XLSX_STRINGS`."""

    def __init__(self, content: bytes, name: str):
        self.name = short_name(name)
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                infos = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            raise InputError(self.name, _("this is not a valid XLSX file; save it again as .xlsx or as CSV")) from None
        unpacked = sum(i.file_size for i in infos)
        strings = sum(i.file_size for i in infos if i.filename.lower().endswith("sharedstrings.xml"))
        if unpacked > MAX_XLSX_UNPACKED or strings > MAX_XLSX_STRINGS:
            raise InputError(self.name, _("the workbook unpacks to {size} MB; the limit is {limit} MB").format(
                size=i18n.number(unpacked / 2**20), limit=i18n.number(MAX_XLSX_UNPACKED / 2**20)))
        import openpyxl

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self._book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            raise InputError(self.name, _("this XLSX file cannot be read ({reason}); save it again as .xlsx or as "
                                          "CSV").format(reason=type(exc).__name__)) from None
        self.sheets: tuple[str, ...] = tuple(
            ws.title for ws in self._book.worksheets)

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._book.close()

    def rows(self, sheet: str | None = None, max_rows: int = MAX_ROWS, max_columns: int = MAX_COLUMNS,
             limit: int | None = None) -> list[list[str]]:
        """The records of a sheet (default: the first), trailing empty rows and cells dropped. ``limit`` reads
        only the first rows (a sample); otherwise more than ``max_rows`` rows or ``max_columns`` columns is
        refused."""
        ws = self._book[sheet] if sheet is not None else self._book.worksheets[0]
        rows: list[list[str]] = []
        last_filled = 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for number, values in enumerate(ws.iter_rows(values_only=True, max_col=max_columns + 1), start=1):
                if limit is not None and number > limit:
                    break
                cells = [_cell_text(v) for v in values]
                while cells and not cells[-1]:
                    cells.pop()
                if len(cells) > max_columns:
                    raise InputError(self.name, _("the sheet {sheet} has more than {max} columns").format(
                        sheet=repr(ws.title), max=max_columns), row=number, column=column_letter(max_columns))
                long = next((i for i, c in enumerate(cells) if len(c) > MAX_CELL_CHARS), None)
                if long is not None:
                    raise InputError(self.name, _("a cell is longer than {n} characters").format(
                        n=i18n.number(MAX_CELL_CHARS)), row=number, column=column_letter(long))
                if cells:
                    last_filled = number
                elif number - last_filled > max_rows:
                    break  # a sheet of empty rows: stop rather than walk a million of them
                if number > max_rows + 1 and cells:
                    raise InputError(self.name, _("the sheet {sheet} has more than {n} rows").format(
                        sheet=repr(ws.title), n=i18n.number(max_rows)))
                rows.append(cells)
        del rows[last_filled:]
        return rows
