"""The data grid: the one module that knows the grid component (``dash-ag-grid``, the ecosystem's maintained
grid; ``dash_table.DataTable`` is deprecated in Dash 4).

Screens describe their tables as plain :class:`~dashboard.views.columns.Column` lists over a DataFrame (the same
table the CSV/XLSX exports write); :func:`grid_props` turns them into AG Grid ``columnDefs`` and ``rowData``,
:func:`data_grid` renders the accessible table with a caption. Numbers keep their numeric value (they sort as
numbers) and are shown with one decimal (scores) or a sign (differences) by d3-format, which dash-ag-grid
evaluates with its own expression parser (no ``eval``, no inline script). The theme is built in (AG Grid's
Theming API): no stylesheet from a CDN.
"""

from __future__ import annotations

from collections.abc import Sequence

import dash_ag_grid as dag
import pandas as pd
from dash import html

from dashboard import i18n
from dashboard.i18n import N_
from dashboard.views.columns import Column, records

#: The grid's own words (AG Grid ``localeText``): pagination, filters, empty state and screen-reader labels.
#: English is AG Grid's default; other languages get these through the catalogs.
GRID_TEXT = i18n.Labels({
    "page": N_("Page"), "to": N_("to"), "of": N_("of"), "more": N_("more"),
    "firstPage": N_("First Page"), "previousPage": N_("Previous Page"), "nextPage": N_("Next Page"),
    "lastPage": N_("Last Page"), "noRowsToShow": N_("No Rows To Show"), "noMatchingRows": N_("No Matching Rows"),
    "loadingOoo": N_("Loading..."), "filterOoo": N_("Filter..."), "ariaPageSizeSelectorLabel": N_("Page Size"),
    "contains": N_("Contains"), "notContains": N_("Does not contain"), "equals": N_("Equals"),
    "notEqual": N_("Does not equal"), "startsWith": N_("Begins with"), "endsWith": N_("Ends with"),
    "blank": N_("Blank"), "notBlank": N_("Not blank"), "lessThan": N_("Less than"),
    "greaterThan": N_("Greater than"), "lessThanOrEqual": N_("Less than or equal to"),
    "greaterThanOrEqual": N_("Greater than or equal to"), "inRange": N_("Between"),
    "andCondition": N_("AND"), "orCondition": N_("OR"),
    "ariaSortableColumn": N_("Press ENTER to sort"), "ariaFilterInput": N_("Filter Input"),
    "ariaFilterValue": N_("Filter Value"), "ariaFilteringOperator": N_("Filtering operator"),
    "ariaLabelColumnFilter": N_("Column Filter"), "ariaLabelColumnMenu": N_("Column Menu"),
    "ariaColumnFiltered": N_("Column Filtered"), "ariaFilterMenuOpen": N_("Open Filter Menu"),
    "ariaMenuColumn": N_("Press ALT DOWN to open column menu"),
    "ariaFilterColumn": N_("Press CTRL ENTER to open filter"),
})


def locale_text() -> dict[str, str] | None:
    """AG Grid's ``localeText`` in the current language (None in English: the grid's own words)."""
    if i18n.current() == i18n.DEFAULT:
        return None
    return dict(GRID_TEXT)

FORMATS = {
    "score": "d3.format('.1f')(params.value)",
    "difference": "d3.format('+.1f')(params.value)",
    "integer": "d3.format('d')(params.value)",
}
THEME = ("themeQuartz.withParams({fontFamily: 'inherit', fontSize: 14, headerFontWeight: 600, "
         "foregroundColor: '#1f2a37', headerBackgroundColor: '#eef1f5', oddRowBackgroundColor: '#f7f8fa', "
         "accentColor: '#2c4a6e', wrapperBorderRadius: 6})")


def column_def(column: Column, *, sortable: bool = True, filterable: bool = False, wide: bool = False) -> dict:
    """AG Grid column definition of one column."""
    spec: dict = {"field": column.id, "headerName": column.label, "sortable": sortable, "wrapHeaderText": True,
                  "autoHeaderHeight": True, "minWidth": 190 if wide else 90, "flex": 2 if wide else 1,
                  "resizable": True}
    if column.numeric:
        spec["type"] = "numericColumn"
        shown = FORMATS[column.kind]
        decimal = i18n.separators()[0]
        if decimal != ".":  # the language's decimal mark ("56,3"); the cell keeps its number
            shown = f"{shown}.replace('.', '{decimal}')"
        spec["valueFormatter"] = {"function": f"params.value == null ? '' : {shown}"}
        spec["filter"] = "agNumberColumnFilter" if filterable else False
    else:
        spec["filter"] = "agTextColumnFilter" if filterable else False
    if filterable:
        spec["floatingFilter"] = True
    return spec


def column_defs(columns: Sequence[Column], *, sortable: bool = True, filterable: bool = False,
                wide_column: str | None = None) -> list[dict]:
    """Column definitions; consecutive columns with the same ``group`` share a group header."""
    out: list[dict] = []
    for column in columns:
        spec = column_def(column, sortable=sortable, filterable=filterable, wide=column.id == wide_column)
        if column.group:
            if out and out[-1].get("headerName") == column.group and "children" in out[-1]:
                out[-1]["children"].append(spec)
            else:
                out.append({"headerName": column.group, "children": [spec], "marryChildren": True})
        else:
            out.append(spec)
    return out


def grid_props(table: pd.DataFrame, columns: Sequence[Column], **options) -> tuple[list[dict], list[dict]]:
    """``(columnDefs, rowData)`` for a callback that updates a grid."""
    return column_defs(columns, **options), records(table, columns)


def data_grid(id: str | dict, table: pd.DataFrame, columns: Sequence[Column], *, filterable: bool = False,
              sortable: bool = True, caption: str | None = None, wide_column: str | None = None,
              height_rows: int | None = None, page_size: int | None = None,
              sort: tuple[str, str] | None = None, rows: bool = True) -> html.Div:
    """The grid in a wrapper, with an optional caption read before it (for screen readers too).

    ``sort``: ``(column id, "asc" | "desc")`` the table opens sorted by (e.g. from the URL's ``tsort``).

    ``rows=False``: the grid opens without its rows (AG Grid's "Loading..." overlay); a callback brings them (the
    Explore page at scale sends them in a store, handed over once its charts are drawn).

    ``height_rows``: a fixed height of about that many rows (scrolling inside); default: the grid grows with
    its rows (``domLayout: autoHeight``), which suits the short tables of this app."""
    defs, data = grid_props(table.iloc[:0] if not rows else table, columns, sortable=sortable,
                            filterable=filterable, wide_column=wide_column)
    if sort:
        defs = [{**d, "sort": sort[1]} if d.get("field") == sort[0] else d for d in defs]
    # Every cell in the DOM, in reading order: screen readers and text search see the whole table (the
    # tables of this app are small; a long one is paginated instead of virtualised).
    options: dict = {"theme": {"function": THEME}, "suppressDragLeaveHidesColumns": True,
                     "ensureDomOrder": True, "enableCellTextSelection": True,
                     "suppressColumnVirtualisation": True, "suppressRowVirtualisation": True}
    words = locale_text()
    if words:
        options["localeText"] = words
    style: dict = {"width": "100%"}
    if page_size:
        options.update(pagination=True, paginationPageSize=page_size, paginationPageSizeSelector=False)
    if height_rows:
        style["height"] = f"{48 + 42 * height_rows}px"
    else:
        options["domLayout"] = "autoHeight"
        style["height"] = None
    children = []
    if caption:
        children.append(html.P(caption, className="small text-muted mb-1"))
    grid = {"rowData": data} if rows else {}
    children.append(dag.AgGrid(id=id, columnDefs=defs, dashGridOptions=options, columnSize="responsiveSizeToFit",
                               style=style, className="mx-grid", **grid))
    return html.Div(children, className="mx-data-table")
