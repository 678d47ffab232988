"""CSV and XLSX files of the data views (:mod:`dashboard.views.tables`), each saying what it holds.

:func:`table_to_csv` writes a ``# key: value`` header block (title, illustrative mark, source, scale,
provenance, filters, the URL of the view, export time) above the table; :func:`table_to_xlsx` writes one
sheet per table and an "About" sheet with the same lines and the column meanings. Text cells that start
with ``=``, ``+``, ``-``, ``@`` (or tab/CR) get a leading apostrophe (:func:`dashboard.cells.neutralise`, the
one formula guard the Integration Lab's exports use too), so no spreadsheet runs them as formulas.

Language: every text a person reads (the header block, the About sheet and its sheet name, the titles,
filters, scale and notes, the column headers) is in the current language (:mod:`dashboard.i18n`; the routes
set it per request, the CLI with ``--lang``). English files keep the machine column keys (``region_id``,
``area:health``) as headers, as before, so scripts and the importers read them unchanged; files in another
language show the translated header (:func:`dashboard.views.tables.column_header`) and their About sheet
lists each header with its machine key. Numbers stay machine numbers in every language (a dot before the
decimals in the CSV), so any spreadsheet or script reads them.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard import i18n
from dashboard.cells import neutralise
from dashboard.constants import (
    APP_NAME,
    DATA_FORMATS,
    ILLUSTRATIVE_EXPORT_TEXT,
    OUTCOMES_ILLUSTRATIVE_TEXT,
)
from dashboard.data import Dataset
from dashboard.export.images import check_format
from dashboard.i18n import N_, _
from dashboard.views import editions
from dashboard.views.common import provenance, sources
from dashboard.views.notice import (
    RESOURCE_LABELS,
    resource_illustrative,
    resource_marks,
)
from dashboard.views.tables import (
    DEFAULT_SCALE,
    DataView,
    column_header,
    data_view,
    people_headers,
)

ALL_ROWS = N_("none (all rows)")
ABOUT_SHEET = N_("About")


@dataclass
class TableMeta:
    """What the header block / About sheet says about a table."""

    title: str
    source: str
    scale: str
    provenance: str
    illustrative: bool
    url: str | None = None
    filters: str = field(default_factory=lambda: _(ALL_ROWS))
    exported: str = field(default_factory=lambda: _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z").strip())
    columns: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: (label, what it is) per resource the file holds (:func:`dashboard.views.notice.resource_marks`)
    marks: list[tuple[str, str]] = field(default_factory=list)
    #: labels of the parts that are illustrative (empty with ``illustrative`` False)
    illustrative_parts: list[str] = field(default_factory=list)
    #: resource name → its label, for the data sheets named after a resource
    sheet_resources: dict[str, str] = field(default_factory=dict)

    #: label → line, when a table mixes datasets: one line per source instead of the one "Source" line
    source_rows: dict[str, str] = field(default_factory=dict)
    #: the "Illustrative data" line when a view says it itself (e.g. only the outcome values are illustrative)
    illustrative_override: str | None = None
    #: column key → the header the file shows (empty: the keys themselves, as in English files)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def illustrative_text(self) -> str:
        """The "Illustrative data" line: the whole mark when every part is illustrative, else which parts."""
        if self.illustrative_override:
            return self.illustrative_override
        shown = [label for label, _text in self.marks]
        if not self.marks or set(self.illustrative_parts) >= set(shown):
            return _(ILLUSTRATIVE_EXPORT_TEXT)
        parts = ", ".join(p.lower() for p in self.illustrative_parts)
        return _("only the {parts} (each part below says what it is)").format(parts=parts)

    def sheet_mark(self, sheet: str) -> str:
        """The mark a data sheet carries: its own resource's line (a sheet named after one), else every line."""
        label = self.sheet_resources.get(sheet)
        lines = [(k, v) for k, v in self.marks if label is None or k == label]
        if not lines:
            return _(ILLUSTRATIVE_EXPORT_TEXT) if self.illustrative else self.source
        return "; ".join(f"{k}: {v}" for k, v in lines)

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) lines of the header block and the About sheet, in the current language."""
        rows = [(_("Title"), self.title)]
        if self.illustrative:
            rows.append((_("Illustrative data"), self.illustrative_text))
        rows += list(self.source_rows.items()) or list(self.marks) or [(_("Source"), self.source)]
        rows += [
            (_("Scale"), self.scale),
            (_("Provenance"), self.provenance),
            (_("Filters"), self.filters),
            (_("View URL"), self.url or _("(not given)")),
            (_("Exported"), _("{time} from {app}").format(time=self.exported, app=APP_NAME)),
        ]
        rows += [(_("Note"), n) for n in self.notes]
        return rows


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose column names and text cells are safe in a spreadsheet (numbers untouched)."""
    out = df.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    return out



def make_meta(dataset: Dataset, title: str, url: str | None = None, filters: str | None = None,
              scale: str | None = None, columns: Mapping[str, str] | None = None,
              notes: Sequence[str] = (), resources: Sequence[str] | None = None) -> TableMeta:
    """The file-level description of a table: ``title``, ``filters`` (None: all rows), ``scale``, column
    meanings and notes as given; source and provenance from the dataset.

    ``resources`` names what the file holds (``scores``, ``outcomes``, ``answers``, ``framework``): the file
    then says per part what it is (published with source and edition, or illustrative) and is marked
    illustrative only for the parts that are. Without it, the whole dataset's flag applies."""
    scale = _(DEFAULT_SCALE) if scale is None else scale
    if resources is None:
        return TableMeta(title=title, source=sources(dataset), scale=scale, provenance=provenance(dataset),
                         illustrative=dataset.illustrative, url=url, filters=filters or _(ALL_ROWS),
                         columns=dict(columns or {}), notes=list(notes))
    marks = resource_marks(dataset, tuple(resources))
    shown = {label for label, _text in marks}
    parts = [RESOURCE_LABELS[n] for n in RESOURCE_LABELS
             if n in resources and RESOURCE_LABELS[n] in shown and resource_illustrative(dataset, n)]
    return TableMeta(title=title, source=sources(dataset), scale=scale, provenance=provenance(dataset),
                     illustrative=bool(parts), url=url, filters=filters or _(ALL_ROWS),
                     columns=dict(columns or {}), notes=list(notes), marks=marks, illustrative_parts=parts,
                     sheet_resources={n: RESOURCE_LABELS[n] for n in resources if n in RESOURCE_LABELS})



def table_to_csv(df: pd.DataFrame, meta: TableMeta | None = None) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheets read the accents) led by a ``# key: value`` header block.

    The header block is one quoted cell per line starting with ``#``; :func:`read_export_csv` skips it.
    Text cells that would start a formula are neutralised.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if meta is not None:
        for key, value in meta.rows():
            writer.writerow([f"# {key}: {value}"])
    data = neutralise_frame(df)
    data.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8-sig")


def read_export_csv(content: bytes) -> tuple[list[str], pd.DataFrame]:
    """(header block lines without '# ', table) of a CSV made by :func:`table_to_csv`."""
    text = content.decode("utf-8-sig")
    lines = text.split("\n")
    header = []
    i = 0
    for i, line in enumerate(lines):
        cell = next(csv.reader([line]), [""]) if line else [""]
        if cell and cell[0].startswith("# "):
            header.append(cell[0][2:])
        else:
            break
    table = pd.read_csv(io.StringIO("\n".join(lines[i:])), dtype=str, keep_default_na=False)
    return header, table


def _cell(value: Any) -> Any:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):
        value = value.item()
    return neutralise(value) if isinstance(value, str) else value


def _write_sheet(ws, frame: pd.DataFrame) -> None:
    """One table: bold header row, frozen; neutralised cells; columns as wide as their text (at most 60)."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    columns = [str(c) for c in frame.columns]
    for j, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=j, value=neutralise(col))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8ECF1")
    # Neutralised text never starts with "=", so openpyxl stores every text cell as text, not a formula.
    for row in frame.itertuples(index=False, name=None):
        ws.append([_cell(v) for v in row])
    ws.freeze_panes = "A2"
    for i, col in enumerate(columns, start=1):
        sample = [len(col)] + [len(str(v)) for v in frame.iloc[:200, i - 1].tolist() if v is not None]
        ws.column_dimensions[get_column_letter(i)].width = min(max(sample) + 2, 60)


def _write_about(ws, meta: TableMeta) -> None:
    """The About sheet: the header block's lines, then each column's meaning."""
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    ws.append([_("{app} export").format(app=APP_NAME)])
    ws["A1"].font = Font(bold=True, size=14)
    r = 1
    for key, value in meta.rows():
        r += 1
        ws.cell(row=r, column=1, value=key).font = bold
        ws.cell(row=r, column=2, value=neutralise(str(value)))
    if meta.columns:
        r += 2
        ws.cell(row=r, column=1, value=_("Column")).font = bold
        ws.cell(row=r, column=2, value=_("Meaning")).font = bold
        if meta.headers:  # translated headers: say which machine key each one is
            ws.cell(row=r, column=3, value=_("Column key")).font = bold
        for col, text in meta.columns.items():
            if meta.headers:
                ws.append([neutralise(meta.headers.get(col, col)), neutralise(text), neutralise(col)])
            else:
                ws.append([neutralise(col), neutralise(text)])
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 110
    if meta.headers:
        ws.column_dimensions["C"].width = 26
    for row in ws.iter_rows(min_col=2, max_col=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def table_to_xlsx(df: pd.DataFrame | Mapping[str, pd.DataFrame], meta: TableMeta | None = None) -> bytes:
    """An XLSX workbook: one sheet per table (the first is the one a reader opens with ``sheet_name=0``)
    and an "About" sheet with the header block and the column descriptions. Formula-like text is neutralised
    and every text cell is stored as text (never as a formula)."""
    from openpyxl import Workbook

    sheets = {"data": df} if isinstance(df, pd.DataFrame) else dict(df)
    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in sheets.items():
        ws = wb.create_sheet(_sheet_name(name))
        _write_sheet(ws, frame)
        if meta is not None:
            _mark_sheet(ws, meta.sheet_mark(name))
    if meta is not None:
        _write_about(wb.create_sheet(_sheet_name(_(ABOUT_SHEET))), meta)
        wb.properties.title = meta.title
        wb.properties.creator = APP_NAME
        wb.properties.description = (meta.illustrative_text if meta.illustrative else meta.source)[:250]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _mark_sheet(ws, mark: str) -> None:
    """The data sheet's own mark, leaving the table where readers expect it (header in row 1): a note on the
    first header cell (shown on hover, kept when the sheet is copied to another workbook) and the page header
    of every printed page."""
    from openpyxl.comments import Comment

    text = neutralise(mark)[:1000]
    comment = Comment(text, APP_NAME)
    comment.width, comment.height = 420, 160
    ws["A1"].comment = comment
    ws.oddHeader.center.text = text.replace("&", "&&")[:240]


def _sheet_name(name: str) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "-", str(name))[:31]
    return name or "data"


def view_meta(dataset: Dataset, view: DataView, url: str | None = None) -> TableMeta:
    """The :class:`TableMeta` of a data view (what the view says it is, plus source, provenance and URL); a
    view mixing datasets gives its own source lines and illustrative flag."""
    meta = make_meta(dataset, view.title, url, view.filters, scale=view.scale, columns=view.columns,
                     notes=view.notes, resources=view.resources)
    if view.sources:
        meta.source_rows = dict(view.sources)
        meta.source = " | ".join(view.sources.values())
    if view.illustrative is not None:
        meta.illustrative = view.illustrative
        if view.illustrative and not dataset.scores_illustrative:
            meta.illustrative_override = _(OUTCOMES_ILLUSTRATIVE_TEXT)
    if i18n.current() != i18n.DEFAULT:
        meta.headers = {key: column_header(key, view.headers) for key in meta.columns}
    return meta


def data_export(dataset: Dataset, view: str, fmt: str, params: Mapping[str, Any] | None = None,
                url: str | None = None) -> tuple[bytes, str]:
    """(bytes, file name) of a view as CSV (first table) or XLSX (all tables + About)."""
    fmt = check_format(fmt, DATA_FORMATS)
    dataset = editions.shown(dataset, editions.from_params(dataset, params, strict=True))  # marks name it
    dv = data_view(dataset, view, params)
    meta = view_meta(dataset, dv, url)
    sheets = {name: people_headers(frame, dv.headers) for name, frame in dv.sheets.items()}
    if fmt == "csv":
        return table_to_csv(next(iter(sheets.values())), meta), f"{dv.stem}.csv"
    return table_to_xlsx(sheets, meta), f"{dv.stem}.xlsx"
