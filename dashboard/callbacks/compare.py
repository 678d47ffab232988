"""Compare callback: the region selection → :func:`dashboard.views.compare.compare_view` → charts, grid, URL, and
the outcomes table (:func:`dashboard.components.outcomes.compare_section`)."""

from __future__ import annotations

from dataclasses import dataclass

import dash
from dash import Input, Output, State, html

from dashboard import i18n, ids, scoring, state
from dashboard.callbacks.registry import callback
from dashboard.components.chart_text import text_children, values_table
from dashboard.components.data_grid import grid_props
from dashboard.components.notice import source_line
from dashboard.components.outcomes import compare_section
from dashboard.i18n import _
from dashboard.views.cache import BoundedCache, frozen
from dashboard.views.compare import RADAR_AXES, compare_view, region_options
from dashboard.views.editions import parse_editions, shown

TABLE_OPTIONS = {"sortable": False, "wide_column": "label"}

#: The charts with a text alternative, in the order of :func:`chart_texts` (and of the callback's outputs).
TEXT_CHARTS = (*[(a, ids.compare_radar(a)) for a in RADAR_AXES], ("target", ids.COMPARE_TARGET),
               ("areas", ids.COMPARE_BARS_AREAS), ("governance", ids.COMPARE_BARS_GOVERNANCE))


def chart_texts(view) -> list[list]:
    """Each chart's text alternative (summary, and the values table beside an axis chart), in the order of
    :data:`TEXT_CHARTS`."""
    out = []
    for key, _gid in TEXT_CHARTS:
        table = view.axis_tables.get(key)
        caption = _("{axis}: scores (0–100)").format(axis=scoring.AXIS_LABELS[key]) if key in scoring.AXES else ""
        out.append(text_children(view.summaries.get(key, ""),
                                 values_table(table, caption) if table is not None else None))
    return out


def note_children(notes: list[str]):
    return [html.Div(n) for n in notes]


_NO = dash.no_update


@callback(
    Output(ids.COMPARE_REGIONS, "value"),
    Output(ids.COMPARE_REGIONS, "options"),
    Output(ids.COMPARE_NOTE, "children"),
    Output(ids.COMPARE_CONTENT, "hidden"),
    *[Output(ids.compare_radar(a), "figure") for a in RADAR_AXES],
    Output(ids.COMPARE_BARS_AREAS, "figure"),
    Output(ids.COMPARE_BARS_GOVERNANCE, "figure"),
    Output(ids.COMPARE_TARGET, "figure"),
    Output(ids.COMPARE_TABLE, "columnDefs"),
    Output(ids.COMPARE_TABLE, "rowData"),
    Output(ids.COMPARE_URL, "search"),
    Output(ids.COMPARE_OUTCOMES, "children"),
    Output(ids.COMPARE_SOURCE, "children"),
    *[Output(ids.chart_text(gid), "children") for _key, gid in TEXT_CHARTS],
    Input(ids.COMPARE_REGIONS, "value"),
    Input(ids.COMPARE_EDITION, "value"),
    Input(ids.COMPARE_SINCE, "value"),
    State(ids.COMPARE_URL, "search"),
    prevent_initial_call=True,
)
def _update(selected, edition, since, search):
    return update(state.current(), selected, search, edition, since)


#: What a ready comparison sends besides its figures (the charts' text alternatives, the grid's props, the
#: outcomes section), per (dataset fingerprint, regions, ``since``, language): shared data only, read-only.
PARTS = BoundedCache(64)


@dataclass(frozen=True)
class Parts:
    texts: list
    grid: tuple[list[dict], list[dict]]
    outcomes: list


def parts(dataset, view, cache: bool = False) -> Parts:
    """The text alternatives (:func:`chart_texts`), grid props and outcomes section of a ready ``view``;
    ``cache``: keep them for the next request (shared data only)."""
    def build() -> Parts:
        texts, outcomes = chart_texts(view), compare_section(dataset, view.region_ids, cache=cache)
        if cache:  # kept: their JSON made once (views.cache.frozen)
            frozen([texts, outcomes])
        return Parts(texts, grid_props(view.table, view.columns, **TABLE_OPTIONS), outcomes)

    key = (dataset.fingerprint, tuple(view.region_ids), view.since, i18n.current())
    return PARTS.get(key, build, cache)


def update(dataset, selected, search, edition=None, since=None) -> tuple:
    """Every output of the page for a selection and an edition choice (unchanged values as ``no_update``).
    What does not depend on the request is kept for the shared data (:func:`dashboard.state.shared_data`)."""
    cache = state.shared_data()
    choice = parse_editions(dataset, edition or None, since or None)
    dataset = shown(dataset, choice)
    view = compare_view(dataset, selected or [], list(choice.notes), since=choice.since,
                        edition_params=choice.params(), cache=cache)
    new_search = _NO if (search or "") == view.search else view.search
    options = region_options(dataset, view.region_ids)
    value = _NO if list(selected or []) == view.region_ids else view.region_ids  # e.g. "Select all" → first four
    if not view.ready:
        return (value, options, note_children(view.notes), True, *([_NO] * len(RADAR_AXES)), _NO, _NO, _NO, _NO,
                _NO, new_search, _NO, source_line(dataset), *([_NO] * len(TEXT_CHARTS)))
    done = parts(dataset, view, cache)
    return (value, options, note_children(view.notes), False, *[view.radars[a] for a in RADAR_AXES],
            view.bars["areas"], view.bars["governance"], view.target, *done.grid, new_search,
            done.outcomes, source_line(dataset), *done.texts)
