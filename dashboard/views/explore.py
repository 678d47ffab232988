"""Explore & rank (pure): URL state ⇄ filters → ranking, heat-map and table.

* :func:`parse_query` – URL query dict → :class:`ExploreState` plus plain-words notes for anything ignored
  (lenient, the page); with ``strict=True`` an unknown value raises :class:`UnknownOption` (exports). One
  set of rules for both, so a URL means the same on screen and in every export.
* :func:`to_query` – state → ``?measure=…&country=IT,ES&axis=area&sort=desc`` (round-trips with parse_query).
* :func:`scores_for` – scores recomputed on the indicators of the chosen policy areas / target group.
* :func:`explore_view` – everything the page shows for a state.
* :func:`measure_title` / :func:`file_suffix` – what a ranking shows in words ("Overall score on the Health
  indicators") and in a file name ("-health-indicators"): titles, exports and tables never say "overall" alone
  for a score computed on part of the indicators; the table's group column says it is the overall group.

Filter semantics: *country* chooses the rows; *axis* chooses the columns of the heat-map and table;
*policy area* and *target group* choose the indicators: scores are recomputed from the answers of those
indicators only, with the same rule (``Dataset.rule``), and the page says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from dashboard import scoring
from dashboard.data import Dataset
from dashboard.errors import UnknownOption
from dashboard.figures import explore as fx
from dashboard.query import (
    DEFAULT_MEASURE,
    area_key,
    measure_key,
    one,
    shorten,
    split_values,
    target_key,
)
from dashboard.views.columns import Column

ALL = "all"
AXIS_CHOICES = {ALL: "All axes", **{axis: scoring.AXIS_LABELS[axis] for axis in ("area", "element", "phase", "target")}}
TARGET_CHOICES = {ALL: "Both groups", "TCN": scoring.LABELS["TCN"], "BIP": scoring.LABELS["BIP"]}
AREA_CHOICES = {area: scoring.LABELS[area] for area in scoring.AREAS}


def country_choices(dataset: Dataset) -> dict[str, str]:
    """ISO-2 code → country name, in alphabetical order of the name."""
    pairs = dataset.regions[["country", "country_name"]].drop_duplicates().sort_values("country_name")
    return dict(zip(pairs["country"], pairs["country_name"]))


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
    table: pd.DataFrame
    columns: list[Column]
    notes: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)  # measures that have a meaning under the filters
    ranking_text: str = ""  # the ranking's text alternative (one sentence; the table gives every value)
    heatmap_text: str = ""  # the heat-map's text alternative

    @property
    def search(self) -> str:
        return to_query(self.state)


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


class _Notes(list):
    """Collects notes (lenient) or raises the first problem (strict)."""

    def __init__(self, strict: bool):
        super().__init__()
        self.strict = strict

    def problem(self, note: str, error: str) -> None:
        if self.strict:
            raise UnknownOption(error)
        self.append(note)


def parse_query(query: Mapping, dataset: Dataset, strict: bool = False) -> tuple[ExploreState, list[str]]:
    """URL query (as Dash Pages or Flask pass it, or from :func:`dashboard.query.parse_search`) → valid state + notes.

    A repeated key takes its first value (:func:`dashboard.query.one`). ``strict``: an unknown value raises
    :class:`UnknownOption` naming it and the allowed values, instead of a note."""
    notes = _Notes(strict)
    raw_measure = one(query.get("measure")) or one(query.get("dimension"))
    measure = measure_key(raw_measure) if raw_measure else DEFAULT_MEASURE
    if measure is None:
        notes.problem(f"The link asked for the measure “{shorten(raw_measure, 60)}”, which does not exist; "
                      f"showing the {scoring.dimension_label(DEFAULT_MEASURE).lower()} instead.",
                      f"unknown measure {shorten(raw_measure)!r}; expected one of: {', '.join(scoring.DIMENSIONS)}")
        measure = DEFAULT_MEASURE

    known = country_choices(dataset)
    countries, unknown = [], []
    for code in split_values(query.get("country")) + split_values(query.get("countries")):
        if code.upper() in known:
            countries.append(code.upper())
        else:
            unknown.append(code)
    countries = list(dict.fromkeys(countries))
    if unknown:
        notes.problem(f"Unknown country code(s) in the link, ignored: {shorten(', '.join(unknown))}.",
                      f"unknown country {shorten(unknown[0])!r}; expected one of: {', '.join(sorted(known))}")

    axis = one(query.get("axis")) or ALL
    if axis not in AXIS_CHOICES:
        notes.problem(f"Unknown axis “{shorten(axis)}” in the link; showing all axes.",
                      f"unknown axis {shorten(axis)!r}; expected one of: {', '.join(AXIS_CHOICES)}")
        axis = ALL

    areas, bad_areas = [], []
    for item in split_values(query.get("area")) + split_values(query.get("areas")):
        key = area_key(item)
        (areas if key else bad_areas).append(key or item)
    if bad_areas:
        notes.problem(f"Unknown policy area(s) in the link, ignored: {shorten(', '.join(bad_areas))}.",
                      f"unknown policy area {shorten(bad_areas[0])!r}; expected one of: {', '.join(AREA_CHOICES)}")
    areas = [a for a in AREA_CHOICES if a in areas]  # display order, no duplicates

    raw_target = one(query.get("target")) or ALL
    target = ALL if raw_target == ALL else target_key(raw_target)
    if target is None:
        notes.problem(f"Unknown target group “{shorten(raw_target)}” in the link; showing both groups.",
                      f"unknown target group {shorten(raw_target)!r}; expected one of: {', '.join(TARGET_CHOICES)}")
        target = ALL

    sort = one(query.get("sort")) or fx.DEFAULT_SORT
    if sort not in fx.SORTS:
        notes.problem(f"Unknown order “{shorten(sort)}” in the link; highest score first.",
                      f"unknown order {shorten(sort)!r}; expected one of: {', '.join(fx.SORTS)}")
        sort = fx.DEFAULT_SORT

    st = ExploreState(measure, tuple(countries), axis, tuple(areas), target, sort)
    if st.measure not in allowed_measures(st.areas, st.target):
        label = scoring.dimension_label(st.measure)
        notes.problem(f"{label} is outside the chosen policy areas or target group; ranking the overall score instead.",
                      f"the measure {st.measure!r} is outside the chosen policy areas or target group")
        st = replace(st, measure=DEFAULT_MEASURE)
    return st, list(notes)


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


def state_from_controls(dataset: Dataset, measure, countries, axis, areas, target,
                        sort) -> tuple[ExploreState, list[str]]:
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


def indicator_filtered(st: ExploreState) -> bool:
    """True when the scores are recomputed on part of the indicators (a policy area or a target group)."""
    return bool(st.areas) or st.target != ALL


def indicators_phrase(st: ExploreState) -> str:
    """The indicators the scores are computed on, in words: "" (all), "the Health indicators",
    "the Health and Housing indicators aimed at TCN (or both groups)", "the indicators aimed at BIP …"."""
    if not indicator_filtered(st):
        return ""
    areas = [AREA_CHOICES[a] for a in st.areas]
    named = (", ".join(areas[:-1]) + " and " + areas[-1]) if len(areas) > 1 else (areas[0] if areas else "")
    phrase = f"the {named} indicators" if named else "the indicators"
    if st.target != ALL:
        phrase += f" aimed at {st.target} (or both groups)"
    return phrase


def measure_changed(st: ExploreState) -> bool:
    """True when the indicator filter changes the ranked measure: always, except for a policy area's own score
    under a filter that keeps all of that area's indicators (the Health score on the Health indicators)."""
    if not indicator_filtered(st):
        return False
    return not (scoring.axis_of(st.measure) == "area" and st.measure.split(":", 1)[1] in st.areas
                and st.target == ALL)


def measure_title(st: ExploreState) -> str:
    """What the ranking shows, in words: "Overall score", or under an indicator filter
    "Overall score on the Health indicators" (the score is not the overall score of every indicator)."""
    label = scoring.dimension_label(st.measure)
    return f"{label} on {indicators_phrase(st)}" if measure_changed(st) else label


def file_suffix(st: ExploreState, measure: bool = True) -> str:
    """The part of an export's file name naming the indicator filter: "" or "-health-housing-indicators",
    "-indicators-tcn", "-health-indicators-bip". ``measure`` (the ranking, the table): only when the filter
    changes the ranked measure (:func:`measure_changed`); else (the heat-map) for any indicator filter."""
    if not (measure_changed(st) if measure else indicator_filtered(st)):
        return ""
    parts = [a.replace("_", "-") for a in st.areas] + ["indicators"]
    if st.target != ALL:
        parts.append(st.target.lower())
    return "-" + "-".join(parts)


#: The group column's header: the group is always the one of the overall score on every indicator.
GROUP_COLUMN = "Group (overall)"
GROUP_COLUMN_FILTERED = "Group by the overall score on all indicators (not this filter)"


def table_dimensions(st: ExploreState) -> list[str]:
    """Columns of the heat-map and table: the overall score plus the chosen axis (all axes by default)."""
    allowed = allowed_measures(st.areas, st.target)
    if st.axis == ALL:
        return allowed
    return ["overall"] + [k for k in allowed if scoring.axis_of(k) == st.axis]


def explore_view(dataset: Dataset, st: ExploreState, notes: list[str] | None = None) -> ExploreView:
    """Everything the page shows for ``st``: ranking and heat-map figures, the table (same filters), notes."""
    notes = list(notes or [])
    wide, n_ind, note = scores_for(dataset, st.areas, st.target)
    if note:
        notes.append(note)
    names = dict(zip(dataset.regions["region_id"], dataset.regions["name_en"]))
    region_country = dict(zip(dataset.regions["region_id"], dataset.regions["country"]))
    regions = [r for r in wide.index if not st.countries or region_country.get(r) in st.countries]
    label = measure_title(st)
    where = ", ".join(country_choices(dataset)[c] for c in st.countries) if st.countries else "all regions"
    scope = where
    if note:
        scope += (f"; {n_ind} indicators ({', '.join(AREA_CHOICES[a] for a in st.areas) or 'all areas'}"
                  f"{'; ' + st.target if st.target != ALL else ''})")
    sub = f"<br><sup>{scope}; ranks among all {len(wide)} regions</sup>"
    ranking = fx.ranking_bars(wide, st.measure, dataset.source_line, names=names, regions=regions, sort=st.sort,
                              label=label, title=f"{label}: regions ranked (0–100){sub}")
    frame = fx.ranking_frame(wide, st.measure, names=names, regions=regions, sort=st.sort)
    dims = table_dimensions(st)
    heat_title = "Scores by region and dimension"
    if indicator_filtered(st):
        heat_title += f" on {indicators_phrase(st)}"
    heat = fx.heatmap(wide, dataset.source_line, dimensions=dims, regions=list(frame["region_id"]), names=names,
                      title=f"{heat_title} (0–100)<br><sup>{scope}</sup>")

    groups = dataset.wide_scores["overall"].map(scoring.group_of)
    countries = dict(zip(dataset.regions["region_id"], dataset.regions["country_name"]))
    table = frame[["region_id", "rank", "name"]].copy()
    table["country"] = table["region_id"].map(countries)
    table["group"] = table["region_id"].map(groups)
    table_dims = [st.measure] + [d for d in dims if d != st.measure]
    on = f" on {indicators_phrase(st)}" if indicator_filtered(st) else ""
    for d in table_dims:
        table[d] = table["region_id"].map(wide[d]).round(1)
    columns = [
        Column("rank", f"Rank ({label})", "integer"),
        Column("name", "Region"),
        Column("country", "Country"),
        Column("group", GROUP_COLUMN_FILTERED if indicator_filtered(st) else GROUP_COLUMN),
    ] + [Column(d, f"{scoring.dimension_label(d, short=True)}{'' if d.split(':')[-1] in st.areas else on} (0–100)",
                "score") for d in table_dims]
    ranking_text = fx.ranking_summary(frame, measure_title(st), float(wide[st.measure].mean()))
    heatmap_text = (f"{len(frame)} regions (rows) by {len(dims)} dimensions (columns), each cell a score from 0 to "
                    f"100{' on ' + indicators_phrase(st) if indicator_filtered(st) else ''}, darker for lower "
                    "scores. The table below gives the same numbers.")
    return ExploreView(st, ranking, heat, table, columns, notes, allowed_measures(st.areas, st.target),
                       ranking_text + " The table below gives every value.", heatmap_text)
