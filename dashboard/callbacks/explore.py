"""Explore / rankings: URL state ⇄ filters ⇄ ranking, heat-map and table.

Plain functions (tested directly):

* :func:`parse_query` – URL query dict → :class:`ExploreState` plus plain-words notes for anything ignored.
* :func:`to_query` – state → ``?measure=…&country=IT,ES&axis=area&sort=desc`` (round-trips with parse_query).
* :func:`scores_for` – scores recomputed on the indicators of the chosen policy areas / target group.
* :func:`explore_view` – everything the page shows for a state.

Filter semantics: *country* chooses the rows; *axis* chooses the columns of the heat-map and table;
*policy area* and *target group* choose the indicators: scores are recomputed from the answers of those
indicators only, with the same rule (``Dataset.rule``), and the page says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, State

from dashboard import ids, scoring, state
from dashboard.callbacks.registry import callback
from dashboard.components import data_table as dt
from dashboard.components.controls import measure_options
from dashboard.components.filters import ALL, AREA_CHOICES, AXIS_CHOICES, TARGET_CHOICES, country_choices
from dashboard.data import Dataset
from dashboard.figures import explore as fx
from dashboard.query import one, parse_measure, split_values
from dashboard.query import parse_search as _parse_search

DEFAULT_MEASURE = "overall"


@dataclass(frozen=True)
class ExploreState:
    measure: str = DEFAULT_MEASURE
    countries: tuple[str, ...] = ()
    axis: str = ALL
    areas: tuple[str, ...] = ()
    target: str = ALL
    sort: str = fx.DEFAULT_SORT


@dataclass
class ExploreView:
    state: ExploreState
    ranking: go.Figure
    heatmap: go.Figure
    columns: list[dict]
    data: list[dict]
    notes: list[str] = field(default_factory=list)
    measure_options: list[dict] = field(default_factory=list)

    @property
    def search(self) -> str:
        return to_query(self.state)


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "…"


def allowed_measures(areas: tuple[str, ...] = (), target: str = ALL) -> list[str]:
    """Dimension keys that have a meaning under the indicator filters, in display order."""
    keys = []
    for key in scoring.DIMENSIONS:
        axis = scoring.axis_of(key)
        if axis == "area" and areas and key.split(":", 1)[1] not in areas:
            continue
        if axis == "target" and target != ALL and key != f"target:{target}":
            continue
        keys.append(key)
    return keys


def parse_query(query: Mapping, dataset: Dataset) -> tuple[ExploreState, list[str]]:
    """URL query (as Dash Pages passes it, or from :func:`parse_search`) → valid state + notes for the user."""
    notes: list[str] = []
    measure, note = parse_measure(one(query.get("measure")), DEFAULT_MEASURE)
    if note:
        notes.append(note)

    known = country_choices(dataset)
    countries, unknown = [], []
    for code in split_values(query.get("country")):
        if code.upper() in known:
            countries.append(code.upper())
        else:
            unknown.append(code)
    countries = list(dict.fromkeys(countries))
    if unknown:
        notes.append(f"Unknown country code(s) in the link, ignored: {_short(', '.join(unknown))}.")

    axis = one(query.get("axis")) or ALL
    if axis not in AXIS_CHOICES:
        notes.append(f"Unknown axis “{_short(axis)}” in the link; showing all axes.")
        axis = ALL

    areas, bad_areas = [], []
    for item in split_values(query.get("area")):
        key = item.split(":", 1)[1] if item.startswith("area:") else item
        if key in AREA_CHOICES:
            areas.append(key)
        else:
            bad_areas.append(item)
    if bad_areas:
        notes.append(f"Unknown policy area(s) in the link, ignored: {_short(', '.join(bad_areas))}.")
    areas = [a for a in AREA_CHOICES if a in areas]  # display order, no duplicates

    target = one(query.get("target")) or ALL
    target = {"tcn": "TCN", "bip": "BIP"}.get(target.lower(), target) if target != ALL else ALL
    if target not in TARGET_CHOICES:
        notes.append(f"Unknown target group “{_short(target)}” in the link; showing both groups.")
        target = ALL

    sort = one(query.get("sort")) or fx.DEFAULT_SORT
    if sort not in fx.SORTS:
        notes.append(f"Unknown order “{_short(sort)}” in the link; highest score first.")
        sort = fx.DEFAULT_SORT

    st = ExploreState(measure, tuple(countries), axis, tuple(areas), target, sort)
    st, note = _consistent(st)
    if note:
        notes.append(note)
    return st, notes


def _consistent(st: ExploreState) -> tuple[ExploreState, str | None]:
    """A measure outside the chosen policy areas / target group falls back to the overall score, with a note."""
    if st.measure in allowed_measures(st.areas, st.target):
        return st, None
    label = scoring.dimension_label(st.measure)
    return replace(st, measure=DEFAULT_MEASURE), (
        f"{label} is outside the chosen policy areas or target group; ranking the overall score instead.")


def parse_search(search: str | None) -> dict:
    """``"?a=1&b=2"`` → ``{"a": ["1"], "b": ["2"]}`` (:func:`dashboard.query.parse_search`: a repeated key keeps
    every value and :func:`~dashboard.query.one` takes the first, as the export routes do)."""
    return _parse_search(search)


def to_query(st: ExploreState) -> str:
    """State → URL query string; the measure and the order are always written, other filters only when set."""
    params = {"measure": st.measure}
    if st.countries:
        params["country"] = ",".join(st.countries)
    if st.axis != ALL:
        params["axis"] = st.axis
    if st.areas:
        params["area"] = ",".join(st.areas)
    if st.target != ALL:
        params["target"] = st.target
    params["sort"] = st.sort
    return "?" + urlencode(params, safe=":,")


def state_from_controls(dataset: Dataset, measure, countries, axis, areas, target, sort) -> tuple[ExploreState, list[str]]:
    """The controls' values → state (same validation as a URL)."""
    query = {"measure": measure, "country": list(countries or []), "axis": axis, "area": list(areas or []),
             "target": target, "sort": sort}
    return parse_query(query, dataset)


def scores_for(dataset: Dataset, areas=(), target: str = ALL) -> tuple[pd.DataFrame, int, str | None]:
    """Wide scores on the indicators of ``areas`` (all areas if empty) aimed at ``target`` (or at both groups).

    Returns (wide scores for every region of the dataset, number of indicators used, note or None).
    Without indicator filters, the dataset's own scores (published ones if loaded) are returned unchanged.
    """
    fw = dataset.framework
    if not areas and target == ALL:
        return dataset.wide_scores, len(fw), None
    sel = fw
    parts = []
    if areas:
        sel = sel[sel["area"].isin(list(areas))]
        parts.append("policy area" + ("s " if len(areas) > 1 else " ") + ", ".join(AREA_CHOICES[a] for a in areas))
    if target != ALL:
        sel = sel[sel["target"].isin([target, "both"])]
        parts.append(f"aimed at {target} (or at both groups)")
    answers = dataset.answers[dataset.answers["indicator_id"].isin(sel["indicator_id"])]
    long = scoring.compute_scores(answers, sel, dataset.rule)
    wide = scoring.wide(long) if len(long) else pd.DataFrame(columns=list(scoring.DIMENSIONS))
    wide = wide.reindex(index=list(dataset.wide_scores.index), columns=list(scoring.DIMENSIONS))
    note = (f"Scores recomputed from the {len(sel)} of {len(fw)} indicators in {' and '.join(parts)}, "
            "with the same scoring rule as everywhere else (see Methodology).")
    if dataset.scores_published:
        note += " These are computed from the answers, not the published scores."
    return wide, len(sel), note


def table_dimensions(st: ExploreState) -> list[str]:
    """Columns of the heat-map and table: the overall score plus the chosen axis (all axes by default)."""
    allowed = allowed_measures(st.areas, st.target)
    if st.axis == ALL:
        return allowed
    return ["overall"] + [k for k in allowed if scoring.axis_of(k) == st.axis]


def _measure_options(st: ExploreState) -> list[dict]:
    allowed = set(allowed_measures(st.areas, st.target))
    options = []
    for opt in measure_options():
        if opt.get("disabled"):
            options.append(opt)
        else:
            options.append({**opt, "disabled": opt["value"] not in allowed})
    return options


def explore_view(dataset: Dataset, st: ExploreState, notes: list[str] | None = None) -> ExploreView:
    """Everything the page shows for ``st``: ranking and heat-map figures, the table (same filters), notes."""
    notes = list(notes or [])
    wide, n_ind, note = scores_for(dataset, st.areas, st.target)
    if note:
        notes.append(note)
    names = dict(zip(dataset.regions["region_id"], dataset.regions["name_en"]))
    region_country = dict(zip(dataset.regions["region_id"], dataset.regions["country"]))
    regions = [r for r in wide.index if not st.countries or region_country.get(r) in st.countries]
    label = scoring.dimension_label(st.measure)
    where = ", ".join(country_choices(dataset)[c] for c in st.countries) if st.countries else "all regions"
    scope = where
    if note:
        scope += (f"; {n_ind} indicators ({', '.join(AREA_CHOICES[a] for a in st.areas) or 'all areas'}"
                  f"{'; ' + st.target if st.target != ALL else ''})")
    sub = f"<br><sup>{scope}; ranks among all {len(wide)} regions</sup>"
    ranking = fx.ranking_bars(wide, st.measure, dataset.source_line, names=names, regions=regions, sort=st.sort,
                              title=f"{label}: regions ranked (0–100){sub}")
    frame = fx.ranking_frame(wide, st.measure, names=names, regions=regions, sort=st.sort)
    dims = table_dimensions(st)
    heat = fx.heatmap(wide, dataset.source_line, dimensions=dims, regions=list(frame["region_id"]), names=names,
                      title=f"Scores by region and dimension (0–100)<br><sup>{scope}</sup>")

    groups = dataset.wide_scores["overall"].map(scoring.group_of)
    countries = dict(zip(dataset.regions["region_id"], dataset.regions["country_name"]))
    table = frame[["region_id", "rank", "name"]].copy()
    table["country"] = table["region_id"].map(countries)
    table["group"] = table["region_id"].map(groups)
    table_dims = [st.measure] + [d for d in dims if d != st.measure]
    for d in table_dims:
        table[d] = table["region_id"].map(wide[d]).round(1)
    columns = [
        dt.score_column("rank", f"Rank ({scoring.dimension_label(st.measure, short=True)})"),
        dt.text_column("name", "Region"),
        dt.text_column("country", "Country"),
        dt.text_column("group", "Group (overall)"),
    ] + [dt.score_column(d, f"{scoring.dimension_label(d, short=True)} (0–100)") for d in table_dims]
    columns[0]["format"] = {"specifier": "d"}
    return ExploreView(st, ranking, heat, columns, dt.table_records(table, columns), notes, _measure_options(st))


def notes_children(notes: list[str]):
    return [dash.html.Div(n) for n in notes]


@callback(
    Output(ids.EXPLORE_MEASURE, "value"),
    Output(ids.EXPLORE_MEASURE, "options"),
    Output(ids.EXPLORE_RANKING, "figure"),
    Output(ids.EXPLORE_HEATMAP, "figure"),
    Output(ids.EXPLORE_TABLE, "columns"),
    Output(ids.EXPLORE_TABLE, "data"),
    Output(ids.EXPLORE_NOTE, "children"),
    Output(ids.EXPLORE_URL, "search"),
    Input(ids.EXPLORE_MEASURE, "value"),
    Input(ids.EXPLORE_COUNTRY, "value"),
    Input(ids.EXPLORE_AXIS, "value"),
    Input(ids.EXPLORE_AREA, "value"),
    Input(ids.EXPLORE_TARGET, "value"),
    Input(ids.EXPLORE_SORT, "value"),
    State(ids.EXPLORE_URL, "search"),
    prevent_initial_call=True,
)
def _update(measure, countries, axis, areas, target, sort, search):
    dataset = state.current()
    st, notes = state_from_controls(dataset, measure, countries, axis, areas, target, sort)
    view = explore_view(dataset, st, notes)
    url_state, _ = parse_query(parse_search(search), dataset)
    new_search = dash.no_update if url_state == st else view.search
    return (st.measure, view.measure_options, view.ranking, view.heatmap, view.columns, view.data,
            notes_children(view.notes), new_search)
