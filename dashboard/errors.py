"""The single error type for bad input files."""

from __future__ import annotations


class InputError(ValueError):
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
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts) + f": {self.rule}"


class InputErrors(InputError):
    """Several problems in one file (the first few are listed)."""

    def __init__(self, errors: list[InputError]):
        self.errors = errors
        first = errors[0]
        super().__init__(first.file, first.rule, first.row, first.column)

    @property
    def message(self) -> str:  # type: ignore[override]
        lines = [e.message for e in self.errors[:10]]
        more = len(self.errors) - 10
        if more > 0:
            lines.append(f"… and {more} more problem(s)")
        return "\n".join(lines)
