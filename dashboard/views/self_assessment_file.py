"""Save and resume a self-assessment as a file the user keeps (pure): the answers as a table to download, and
an uploaded table read back into the page's answers.

* :func:`saved_table` – the answers as a table: ``region_name, region_id, number, indicator_id, area,
  question, answer, points`` (one row per question, in questionnaire order; empty points = not answered).
  :mod:`dashboard.callbacks.self_assessment` writes it as CSV/XLSX with :mod:`dashboard.export.tables`
  (header block / About sheet, self-assessment and illustrative marks, formula guard).
* :func:`read_saved` – such a file (CSV or XLSX, also the plain ``answers.csv`` format ``region_id,
  indicator_id,value``) → :class:`Saved` (name, code, the page's control values, notes). Bounded: at most
  :data:`MAX_BYTES` bytes and :data:`MAX_ROWS` rows; a bad file raises
  :class:`~dashboard.errors.InputError` naming the file, row and column (at most 50 problems listed).

Languages: the column names are machine keys and never change; the words in a file (area, question, answer,
the column meanings of its header block) are in the language of the request, and a file is read back from its
``points`` column, or from its ``answer`` column in English or in the language of the request.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from dashboard import i18n, scoring
from dashboard.cells import FORMULA_PREFIXES
from dashboard.errors import InputError
from dashboard.i18n import N_, _, ngettext
from dashboard.tabular.limits import Problems, quote, short_name
from dashboard.tabular.reading import (
    DELIMITERS,
    XLSX_SUFFIXES,
    Workbook,
    csv_records,
    decode,
)
from dashboard.views.self_assessment import (
    NOT_ANSWERED,
    answer_value,
    answers_frame,
    option_label,
    parse_options,
)

#: An answers file is about 61 rows; anything over this is not one (bounded memory and time).
MAX_BYTES = 1024 * 1024
MAX_ROWS = 2_000
#: The columns of a saved file, in order.
COLUMNS = ["region_name", "region_id", "number", "indicator_id", "area", "question", "answer", "points"]
COLUMN_MEANINGS = i18n.Labels({
    "region_name": N_("the name you gave the self-assessed region"),
    "region_id": N_("its code (NUTS-style, e.g. ES51), if you gave one"),
    "number": N_("the question's number on the page"),
    "indicator_id": N_("the question's identifier (used to read the file back)"),
    "area": N_("the policy area of the question"),
    "question": N_("the question"),
    "answer": N_("your answer in words (“not answered” when left open)"),
    "points": N_("the points of your answer, 0–100 (empty = not answered); read back when you upload the file"),
})
NOT_ANSWERED_LABEL = N_("not answered")  # written as _(NOT_ANSWERED_LABEL); read back in English or translated
#: Column names accepted for the points when a file is read back (``value``: the answers.csv format).
POINTS_NAMES = ("points", "value")


@dataclass
class Saved:
    """A file read back: the region's name and code (empty when the file has none), the page's control
    values (indicator id → "100"/"50"/"0"/"na" or a number/None for a share), and notes on what was read."""

    name: str
    region_id: str
    values: dict[str, object]
    answered: int
    notes: list[str] = field(default_factory=list)


def _label(row: Mapping, value: float) -> str:
    if math.isnan(value):
        return _(NOT_ANSWERED_LABEL)
    if (row.get("scale") or "three_option") == "percent":
        return _("{value} %").format(value=f"{value:g}")
    return next((option_label(label) for label, pts in parse_options(row.get("options")) if pts == value),
                f"{value:g}")


def saved_table(values: Mapping[str, object], framework: pd.DataFrame, name: str, region_id: str) -> pd.DataFrame:
    """The answers as the file holds them (see module doc); invalid control values count as not answered."""
    answers, _notes = answers_frame(values, framework, region_id)
    rows = []
    for number, (row, value) in enumerate(zip(framework.to_dict("records"), answers["value"]), start=1):
        rows.append({"region_name": name, "region_id": region_id, "number": number,
                     "indicator_id": row["indicator_id"], "area": scoring.LABELS.get(row["area"], row["area"]),
                     "question": _(row["question"]), "answer": _label(row, float(value)),
                     "points": None if math.isnan(value) else float(value)})
    return pd.DataFrame(rows, columns=COLUMNS)


def _unguard(text: str) -> str:
    """Undo the formula guard (:func:`dashboard.cells.neutralise`) of a cell the app wrote."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES) else text


def _records(content: bytes, name: str) -> list[list[str]]:
    if name.lower().endswith(XLSX_SUFFIXES):
        with Workbook(content, name) as book:
            sheet = next((s for s in book.sheets if s.lower() == "answers"), None)
            return book.rows(sheet, max_rows=MAX_ROWS, max_columns=len(COLUMNS) + 20)
    text = decode(content, name).text
    first = next((line for line in text.splitlines() if line.strip() and not line.lstrip('"').startswith("#")), "")
    delimiter = max(DELIMITERS, key=first.count)
    return csv_records(text, delimiter, name, max_rows=MAX_ROWS, max_columns=len(COLUMNS) + 20)


def read_saved(content: bytes, filename: str, framework: pd.DataFrame) -> Saved:
    """An uploaded answers file → :class:`Saved`; :class:`InputError` (file, row, column) when it cannot be
    read back. Lines starting with ``#`` above the header (the file's header block) are skipped; rows are
    numbered as a spreadsheet numbers them."""
    name = short_name(filename or "answers file")
    if len(content) > MAX_BYTES:
        raise InputError(name, _("the file is {size} KB; an answers file is a few KB (the limit is {limit} KB): is "
                                 "this the right file?").format(size=i18n.number(len(content) / 1024),
                                                               limit=i18n.number(MAX_BYTES // 1024)))
    if not content.strip():
        raise InputError(name, _("the file is empty"))
    records = _records(content, name)
    start = 0
    while start < len(records) and (not any(records[start]) or records[start][0].startswith("#")):
        start += 1
    if start >= len(records):
        raise InputError(name, _("the file has no table (no header row with indicator_id)"))
    header = [c.strip().lower() for c in records[start]]
    header_row = start + 1
    if "indicator_id" not in header:
        raise InputError(name, _("no column 'indicator_id'; a saved answers file has the columns {columns}").format(
            columns=", ".join(COLUMNS)), row=header_row)
    points_col = next((c for c in POINTS_NAMES if c in header), None)
    if points_col is None and "answer" not in header:
        raise InputError(name, _("no column 'points' (or 'answer'); a saved answers file has the columns "
                                 "{columns}").format(columns=", ".join(COLUMNS)), row=header_row)
    col = {c: header.index(c) for c in (*COLUMNS, "value") if c in header}

    def cell(rec: list[str], column: str) -> str:
        i = col.get(column)
        return _unguard(rec[i].strip()) if i is not None and i < len(rec) else ""

    fw = {r["indicator_id"]: r for r in framework.to_dict("records")}
    problems = Problems()
    values: dict[str, object] = {}
    seen: dict[str, int] = {}
    names: set[str] = set()
    codes: set[str] = set()
    first_name = first_code = ""
    for offset, rec in enumerate(records[start + 1:], start=start + 2):
        if not any(c.strip() for c in rec):
            continue
        ind = cell(rec, "indicator_id")
        where = {"row": offset}
        if ind not in fw:
            problems.add(InputError(name, _("{value} is not a question of the questionnaire").format(value=quote(ind))
                                    if ind else _("the question's identifier is empty"), column="indicator_id",
                                    **where))
            continue
        if ind in seen:
            problems.add(InputError(name, _("{indicator} is answered twice (first in row {row})").format(
                indicator=ind, row=seen[ind]), column="indicator_id", **where))
            continue
        seen[ind] = offset
        row = fw[ind]
        scale = row.get("scale") or "three_option"
        raw = cell(rec, points_col) if points_col else ""
        if raw:
            value, note = answer_value(raw, scale, ind)
            if note:
                rule = (_("{value} is not an answer to {indicator}; expected a share from 0 to 100")
                        if scale == "percent" else
                        _("{value} is not an answer to {indicator}; expected 0, 50 or 100 (or empty)"))
                problems.add(InputError(name, rule.format(value=quote(raw), indicator=ind), column=points_col,
                                        **where))
                continue
        else:
            label = cell(rec, "answer")
            value = None
            if label and label.lower() not in (NOT_ANSWERED_LABEL, _(NOT_ANSWERED_LABEL).lower()):
                options = {lab.lower(): pts for lab, pts in parse_options(row.get("options"))}
                options.update({option_label(lab).lower(): pts for lab, pts in parse_options(row.get("options"))})
                if scale == "percent":
                    value, note = answer_value(label.rstrip("% ").strip(), scale, ind)
                else:
                    value, note = options.get(label.lower()), None
                    if value is None:
                        note = "unknown"
                if note:
                    rule = (_("{value} is not an answer to {indicator}; expected a share from 0 to 100")
                            if scale == "percent" else
                            _("{value} is not an answer to {indicator}; expected one of: {answers}"))
                    answers = "; ".join(option_label(lab) for lab, _pts in parse_options(row.get("options")))
                    problems.add(InputError(name, rule.format(value=quote(label), indicator=ind, answers=answers),
                                            column="answer", **where))
                    continue
        if scale == "percent":
            values[ind] = value
        else:
            values[ind] = NOT_ANSWERED if value is None else f"{value:g}"
        rname, rcode = cell(rec, "region_name"), cell(rec, "region_id").upper()
        if rname:
            names.add(rname)
            first_name = first_name or rname
        if rcode:
            codes.add(rcode)
            first_code = first_code or rcode
    if len(names) > 1 or len(codes) > 1:
        column = "region_id" if len(codes) > 1 else "region_name"
        problems.add(InputError(name, _("the file holds answers of more than one region; save one region per "
                                        "file"), column=column))
    problems.raise_if_any()
    if not seen:
        raise InputError(name, _("the file has a header but no answers"), row=header_row)
    notes = []
    missing = [i for i in fw if i not in seen]
    if missing:
        notes.append(ngettext("{n} of {total} question was not in the file; it is left not answered.",
                              "{n} of {total} questions were not in the file; they are left not answered.",
                              len(missing)).format(n=len(missing), total=len(fw)))
    for ind in missing:
        values[ind] = None if (fw[ind].get("scale") or "three_option") == "percent" else NOT_ANSWERED
    answered = sum(1 for v in values.values() if v is not None and v != NOT_ANSWERED)
    return Saved(first_name, first_code, values, answered, notes)

