"""The error types whose message is meant for the person (pure).

Every one of them derives from :class:`UserError`: the command line prints its message on one line and
exits with status 2, the routes answer it as plain text (400/404/503), the pages show it in an alert.
Anything else is a bug and keeps its traceback. The wording around a message (row, column, "… and K more")
is in the language current when the error is made (:mod:`dashboard.i18n`).
"""

from __future__ import annotations

from dashboard import i18n
from dashboard.i18n import _


class UserError(Exception):
    """An error explained in plain words to the person who caused it (bad file, option or set-up)."""

    exit_code = 2


class InputError(UserError, ValueError):
    """A rejected input file.

    ``str(err)`` names the file, the row (1-based, counting the header as row 1, as a spreadsheet
    shows it), the column and the rule broken, e.g.::

        answers.csv, row 7, column 'value': 150 is outside 0–100
    """

    def __init__(self, file: str, rule: str, row: int | None = None, column: str | None = None):
        self.file = str(file)
        self.rule = rule
        self.row = row
        self.column = column
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The message in the current language (the file name, column name and values are never translated)."""
        if self.row is not None and self.column is not None:
            text = _("{file}, row {row}, column '{column}': {rule}")
        elif self.row is not None:
            text = _("{file}, row {row}: {rule}")
        elif self.column is not None:
            text = _("{file}, column '{column}': {rule}")
        else:
            text = _("{file}: {rule}")
        return text.format(file=self.file, row=self.row, column=self.column, rule=self.rule)


class InputErrors(InputError):
    """Several problems in one input, bounded: at most :data:`MAX_SHOWN` are kept and listed, then
    "… and K more problem(s)" (``total`` counts them all, so a hostile file costs no more than 50 lines)."""

    MAX_SHOWN = 50

    def __init__(self, errors: list[InputError], total: int | None = None):
        self.total = max(int(total if total is not None else len(errors)), len(errors))
        self.errors = list(errors[: self.MAX_SHOWN])
        first = self.errors[0]
        super().__init__(first.file, first.rule, first.row, first.column)

    @property
    def message(self) -> str:  # type: ignore[override]
        lines = [e.message for e in self.errors]
        more = self.total - len(self.errors)
        if more > 0:
            lines.append(_("… and {n} more problem(s)").format(n=i18n.number(more)))
        return "\n".join(lines)


class ExportError(UserError, RuntimeError):
    """An export that cannot be made (no Chromium, rendering failed, bad request).

    ``reason`` is ``"no-browser"``, ``"render"``, ``"bad-option"`` or ``"no-geo"``; the message is
    one plain sentence meant for the user (the CLI prints it, the routes return it as text).
    """

    def __init__(self, message: str, reason: str = "render"):
        super().__init__(message)
        self.reason = reason


class UnknownOption(ExportError, ValueError):
    """An unknown region, measure, axis, chart, view, format or size in a URL or on the command line
    (HTTP 400 / CLI exit 2)."""

    def __init__(self, message: str):
        super().__init__(message, reason="bad-option")


class GeoDataMissing(UserError, RuntimeError):
    """No usable folder of boundary files (or a needed file is missing from it)."""


class GeoFetchError(UserError, RuntimeError):
    """``fetch-geo`` failed; nothing was written to the destination folder."""
