"""The limits every input table obeys, and the helpers that keep error text bounded (pure).

Whatever the file, its error report costs at most :data:`MAX_MESSAGES` messages (then "… and K more"), each
cell value quoted to about :data:`QUOTE_CHARS` characters, and a column name longer than :data:`MAX_LABEL_CHARS`
is refused before any row is read, so no message ever repeats a huge field name per row.
"""

from __future__ import annotations

import re

from dashboard import i18n
from dashboard.constants import MAX_FILE_BYTES, MB
from dashboard.errors import InputError, InputErrors
from dashboard.i18n import _

#: Messages kept and shown for one input (the rest are counted: "… and K more problem(s)").
MAX_MESSAGES = InputErrors.MAX_SHOWN
#: A cell value quoted in a message is cut to about this many characters.
QUOTE_CHARS = 80
#: A column name (header cell) longer than this is refused up front.
MAX_LABEL_CHARS = 200
#: A table with more columns than this is refused up front (a MIPEX-R table has about 20).
MAX_COLUMNS = 250
#: A table with more data rows than this is refused (1,500 regions × 61 indicators × 5 editions is 457,500).
MAX_ROWS = 1_000_000
#: A single cell longer than this is refused (no MIPEX-R value or question comes near it).
MAX_CELL_CHARS = 100_000
#: File names are shortened to this many bytes (UTF-8) in messages.
MAX_NAME_BYTES = 255
#: An XLSX (a zip) whose parts unpack to more than this is refused before it is opened (zip-bomb guard).
MAX_XLSX_UNPACKED = 400 * MB
#: …and its shared-strings part (held in memory by the XLSX reader) to more than this.
MAX_XLSX_STRINGS = 60 * MB

__all__ = [
    "MAX_FILE_BYTES", "MAX_MESSAGES", "QUOTE_CHARS", "MAX_LABEL_CHARS", "MAX_COLUMNS", "MAX_ROWS",
    "MAX_CELL_CHARS", "MAX_NAME_BYTES", "MAX_XLSX_UNPACKED", "MAX_XLSX_STRINGS",
    "quote", "short_name", "column_letter", "Problems", "RowProblems", "too_big",
]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def quote(value: object, limit: int = QUOTE_CHARS) -> str:
    """A value as a message quotes it: ``'text'``, cut to ``limit`` characters with its full length said."""
    text = value if isinstance(value, str) else str(value)
    size = len(text)
    if size > limit:
        text = text[: limit - 1] + "…"
    text = _CONTROL.sub("?", text)
    quoted = "'" + text.replace("'", "’") + "'"
    if size > limit:
        return _("{value} ({n} characters)").format(value=quoted, n=i18n.number(size))
    return quoted


def short_name(name: object, limit: int = MAX_NAME_BYTES) -> str:
    """A file name fit for a message: control characters replaced, at most ``limit`` UTF-8 bytes (the middle
    is cut, the extension kept)."""
    text = _CONTROL.sub("?", str(name or "file"))
    if len(text.encode("utf-8")) <= limit:
        return text
    stem, dot, ext = text.rpartition(".")
    if not dot or len(ext) > 10:
        stem, ext = text, ""
    ext = f".{ext}" if ext else ""
    budget = limit - len(ext.encode("utf-8")) - len("…".encode("utf-8"))
    cut = stem.encode("utf-8")[:budget].decode("utf-8", errors="ignore")
    return f"{cut}…{ext}"


def column_letter(index: int) -> str:
    """0 → ``A``, 25 → ``Z``, 26 → ``AA`` (as a spreadsheet names columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def too_big(name: str, size: int) -> InputError:
    """The error for a file over :data:`MAX_FILE_BYTES` (sizes in MB of 1024² bytes, as the upload page says)."""
    return InputError(short_name(name), _("the file is {size} MB; the limit is {limit} MB").format(
        size=i18n.number(size / MB, 1), limit=i18n.number(MAX_FILE_BYTES / MB)))


class Problems:
    """A bounded list of :class:`InputError`: keeps the first :data:`MAX_MESSAGES`, counts the rest.

    ``add`` takes one error; ``count`` adds problems that were counted but not built (e.g. the 10,000th
    out-of-range value); ``error()`` is the :class:`InputErrors` to raise (None when there is no problem)."""

    def __init__(self, limit: int = MAX_MESSAGES):
        self.limit = limit
        self.items: list[InputError] = []
        self.total = 0

    def add(self, error: InputError) -> None:
        self.total += 1
        if len(self.items) < self.limit:
            self.items.append(error)

    def count(self, n: int) -> None:
        self.total += max(0, int(n))

    def full(self) -> bool:
        return len(self.items) >= self.limit

    def merge(self, other: Problems) -> None:
        for item in other.items:
            if len(self.items) < self.limit:
                self.items.append(item)
        self.total += other.total

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total

    def error(self) -> InputErrors | None:
        return InputErrors(self.items, total=self.total) if self.items else None

    def raise_if_any(self) -> None:
        error = self.error()
        if error is not None:
            raise error


class RowProblems:
    """The problems of one table found column by column, kept in row order: each check hands over *all* the rows
    it flags (counted) and builds messages for the first :data:`MAX_MESSAGES` only; :meth:`problems` keeps the
    first :data:`MAX_MESSAGES` by (row, column order)."""

    def __init__(self, file: str, order: list[str] | None = None):
        self.file = file
        self.order = {name: i for i, name in enumerate(order or [])}
        self.found: list[tuple[int, int, InputError]] = []
        self.total = 0

    def add(self, rows, column: str | None, rule) -> None:
        """``rule(row) -> str`` for the first :data:`MAX_MESSAGES` of ``rows`` (row numbers, ascending); all of
        them are counted."""
        self.total += len(rows)
        for row in list(rows[:MAX_MESSAGES]):
            row = None if row is None else int(row)
            self.found.append((row or 0, self.order.get(column, -1),
                               InputError(self.file, rule(row), row=row, column=column)))

    def problems(self) -> Problems:
        result = Problems()
        for _row, _col, error in sorted(self.found, key=lambda t: (t[0], t[1]))[:MAX_MESSAGES]:
            result.items.append(error)
        result.total = self.total
        return result
