"""Babel extractor for the texts people read that live in the embedded data files, not in code.

``babel.cfg`` maps ``data/framework.csv`` (the 61 questions and their answer options) and
``data/outcome_indicators.csv`` (indicator labels and units) here, so ``pybabel extract`` puts them in the
same catalog. Code shows them through ``_(text)``: a real published table with other wording simply shows
its own text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

#: Per file name: the columns whose cells are read on screen; ``options`` cells hold ``label=points|…``.
COLUMNS = {
    "framework.csv": ("question", "options"),
    "outcome_indicators.csv": ("label", "unit"),
}


def option_labels(cell: str) -> list[str]:
    """``"YES systematically=100|NO=0"`` → ``["YES systematically", "NO"]``."""
    labels = []
    for part in cell.split("|"):
        label, _sep, _points = part.rpartition("=")
        label = label.strip() if _sep else part.strip()
        if label:
            labels.append(label)
    return labels


def extract_csv(fileobj, keywords, comment_tags, options) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method: ``(line, funcname, message, comments)`` per text cell."""
    name = getattr(fileobj, "name", "")
    if isinstance(name, bytes):
        name = name.decode()
    columns = next((cols for fname, cols in COLUMNS.items() if str(name).endswith(fname)), ())
    text = io.TextIOWrapper(fileobj, encoding="utf-8", newline="")
    reader = csv.DictReader(text)
    for row in reader:
        line = reader.line_num
        for column in columns:
            cell = (row.get(column) or "").strip()
            if not cell:
                continue
            messages = option_labels(cell) if column == "options" else [cell]
            for message in messages:
                yield line, "_", message, [f"{name.rsplit('/', 1)[-1]}: {column}"]
