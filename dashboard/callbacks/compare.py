"""Compare 2–4 regions: URL state ⇄ region selection ⇄ radars, bars and the table of differences.

Plain functions (tested directly): :func:`parse_regions` (URL value → valid ids + notes), :func:`to_query`,
:func:`region_options` (options with the rest disabled once four are chosen), :func:`compare_view`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import dash
import plotly.graph_objects as go
from dash import Input, Output, State, html

from dashboard import ids, query, scoring, state
from dashboard.callbacks.registry import callback
from dashboard.components import data_table as dt
from dashboard.data import Dataset
from dashboard.figures import compare as fc
from dashboard.figures import profile

RADAR_AXES = ("element", "phase", "area")
DEFAULT_REGIONS = ("PT20", "PT17")  # Azores and Lisbon: the pair the published facts speak about
HINT = f"Choose at least {fc.MIN_REGIONS} regions to compare (up to {fc.MAX_REGIONS})."


def parse_regions(raw, dataset: Dataset, default: tuple[str, ...] = DEFAULT_REGIONS) -> tuple[list[str], list[str]]:
    """``"PT20,pt17,XX1"`` (or a list) → (known ids in the given order, no duplicates, at most four; notes).

    ``None`` (no ``regions`` in the URL) → ``default``. Unknown ids are dropped and named in a note; more than
    four are cut to the first four, with a note.
    """
    if raw is None:
        return [r for r in default if dataset.has_region(r)], []
    return query.parse_regions(raw, dataset.resolve_region, fc.MAX_REGIONS, dataset.region_name)


def to_query(region_ids) -> str:
    return "?regions=" + ",".join(region_ids) if region_ids else "?regions="


def region_options(dataset: Dataset, selected) -> list[dict]:
    """Dropdown options; once four regions are chosen, the others are disabled."""
    full = len(selected or []) >= fc.MAX_REGIONS
    return [{**o, "disabled": full and o["value"] not in (selected or [])} for o in dataset.region_options()]


@dataclass
class CompareView:
    region_ids: list[str]
    notes: list[str] = field(default_factory=list)
    radars: dict[str, go.Figure] = field(default_factory=dict)
    bars: dict[str, go.Figure] = field(default_factory=dict)
    target: go.Figure | None = None
    columns: list[dict] = field(default_factory=list)
    data: list[dict] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return len(self.region_ids) >= fc.MIN_REGIONS

    @property
    def search(self) -> str:
        return to_query(self.region_ids)


def table_columns(dataset: Dataset, region_ids: list[str]) -> list[dict]:
    """Two-level headers: scores, the average, differences from the average, differences from the first region."""
    name = dataset.region_name
    cols = [dt.text_column("label", ["", "Dimension"])]
    cols += [dt.score_column(r, ["Score (0–100)", name(r)]) for r in region_ids]
    cols.append(dt.score_column(fc.AVERAGE_KEY, ["Score (0–100)", fc.AVERAGE_NAME]))
    cols += [dt.score_column(f"{r}_vs_average", ["Difference from the average (points)", name(r)], difference=True)
             for r in region_ids]
    if region_ids:
        first = region_ids[0]
        cols += [dt.score_column(f"{r}_vs_{first}", [f"Difference from {name(first)} (points)", name(r)],
                                 difference=True) for r in region_ids[1:]]
    return cols


def compare_view(dataset: Dataset, region_ids, notes: list[str] | None = None) -> CompareView:
    """Figures and table for the selection (cut to four, unknown ids dropped); only the hint when fewer than two."""
    ids_in, extra = parse_regions(list(region_ids or []), dataset)
    view = CompareView(ids_in, list(notes or []) + extra)
    if not view.ready:
        view.notes.append(HINT)
        return view
    wide = dataset.wide_scores
    names = dict(zip(dataset.regions["region_id"], dataset.regions["name_en"]))
    src = dataset.source_line
    for axis in RADAR_AXES:
        view.radars[axis] = profile.radar_axis(wide, ids_in, axis, src, names=names,
                                               title=f"{scoring.AXIS_LABELS[axis]} (0–100)", height=460)
    for key, (title, dims) in fc.BAR_GROUPS.items():
        view.bars[key] = fc.compare_bars(wide, ids_in, src, dimensions=dims, names=names, title=f"{title} (0–100)")
    view.target = profile.target_bars(wide, ids_in, src, names=names,
                                      title="Target population: TCN and BIP (0–100)")
    view.columns = table_columns(dataset, ids_in)
    table = fc.compare_table(wide, ids_in)
    view.data = dt.table_records(table.round(1), view.columns)
    return view


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
    Output(ids.COMPARE_TABLE, "columns"),
    Output(ids.COMPARE_TABLE, "data"),
    Output(ids.COMPARE_URL, "search"),
    Input(ids.COMPARE_REGIONS, "value"),
    State(ids.COMPARE_URL, "search"),
    prevent_initial_call=True,
)
def _update(selected, search):
    dataset = state.current()
    view = compare_view(dataset, selected or [])
    new_search = _NO if (search or "") == view.search else view.search
    options = region_options(dataset, view.region_ids)
    value = _NO if list(selected or []) == view.region_ids else view.region_ids  # e.g. "Select all" → first four
    if not view.ready:
        return (value, options, note_children(view.notes), True, *([_NO] * len(RADAR_AXES)), _NO, _NO, _NO, _NO,
                _NO, new_search)
    return (value, options, note_children(view.notes), False, *[view.radars[a] for a in RADAR_AXES],
            view.bars["areas"], view.bars["governance"], view.target, view.columns, view.data, new_search)
