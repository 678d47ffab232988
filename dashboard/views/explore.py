"""Explore & rank (pure): URL state ⇄ filters → ranking, heat-map and table.

* :func:`parse_query` – URL query dict → :class:`ExploreState` plus plain-words notes for anything ignored
  (lenient, the page); with ``strict=True`` an unknown value raises :class:`UnknownOption` (exports). One
  set of rules for both, so a URL means the same on screen and in every export.
* :func:`to_query` – state → ``?measure=…&country=IT,ES&axis=area&sort=desc`` (round-trips with parse_query).
* :func:`scores_for` – scores recomputed on the indicators of the chosen policy areas / target group.
* :func:`explore_view` – everything the page shows for a state (and a page of a long ranking), cached per
  (dataset fingerprint, state, page, language) for shared data (``cache=True``).
* :func:`measure_title` / :func:`file_suffix` – what a ranking shows in words ("Overall score on the Health
  indicators") and in a file name ("-health-indicators"): titles, exports and tables never say "overall" alone
  for a score computed on part of the indicators; the table's group column says it is the overall group.

Filter semantics: *country* chooses the rows; *axis* chooses the columns of the heat-map and table;
*policy area* and *target group* choose the indicators: scores are recomputed from the answers of those
indicators only, with the same rule (``Dataset.rule``), and the page says so.

Many regions (issue 16): above :data:`MAX_ROWS` regions shown, the ranking draws one page of
:data:`MAX_ROWS` regions at a time (ranks and average still over all regions) and the heat-map one row per
country (the average of its regions, with their number); a country choice (the Country filter, or a click on a
country's row) shows that country's regions, a page at a time when they are still more than :data:`MAX_ROWS`.
The table always holds every region shown. At :data:`MAX_ROWS` regions or fewer nothing changes.

Every text is made in the language of the request (:mod:`dashboard.i18n`): the ``*_CHOICES`` tables are
``i18n.Labels`` (keys are the URL values, labels translate on access), titles and notes are whole translated
sentences; file names (:func:`file_suffix`) stay in English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n, scoring
from dashboard.data import Dataset
from dashboard.errors import UnknownOption
from dashboard.figures import explore as fx
from dashboard.i18n import N_, _, ngettext
from dashboard.query import (
    DEFAULT_MEASURE,
    area_key,
    measure_key,
    one,
    shorten,
    split_values,
    target_key,
)
from dashboard.views.cache import BoundedCache, frozen
from dashboard.views.columns import Column
from dashboard.views.common import region_names

#: Above this many regions shown, the ranking is drawn a page of this many at a time and the heat-map one row
#: per country (at the 25 regions of the embedded data the page is as it always was).
MAX_ROWS = 50

#: What the page builds per dataset version (only for shared data: ``cache=True``): views per (state, page,
#: language), recomputed scores per indicator filter, names and countries per language.
VIEWS = BoundedCache(64)
SCORES = BoundedCache(32)
LOOKUPS = BoundedCache(32)

ALL = "all"
# Labels tables: keys are the URL values, labels answer in the language of the request (i18n.Labels).
AXIS_CHOICES = i18n.Labels({ALL: N_("All axes"),
                            **{axis: scoring.AXIS_LABELS.english(axis) for axis in ("area", "element", "phase",
                                                                                     "target")}})
TARGET_CHOICES = i18n.Labels({ALL: N_("Both groups"), "TCN": scoring.LABELS.english("TCN"),
                              "BIP": scoring.LABELS.english("BIP")})
AREA_CHOICES = i18n.Labels({area: scoring.LABELS.english(area) for area in scoring.AREAS})
#: The groups of the overall score (``scoring.group_of`` keys) as the table shows them.
GROUP_NAMES = scoring.GROUP_LABELS


def country_choices(dataset: Dataset, cache: bool = False) -> dict[str, str]:
    """ISO-2 code → country name in the current language (Babel's names, the data's name as fallback), in
    alphabetical order of the name. ``cache``: keep it per (dataset fingerprint, language) (shared data only);
    treat the dict as read-only."""
    def build() -> dict[str, str]:
        pairs = dataset.regions[["country", "country_name"]].drop_duplicates()
        named = {code: i18n.country_name(code, name) for code, name in zip(pairs["country"], pairs["country_name"])}
        return dict(sorted(named.items(), key=lambda item: (item[1].casefold(), item[0])))

    return LOOKUPS.get((dataset.fingerprint, "countries", i18n.current()), build, cache)


def and_list(items: list[str]) -> str:
    """"A", "A and B", "A, B and C" in the current language."""
    if len(items) < 2:
        return items[0] if items else ""
    return _("{first} and {last}").format(first=", ".join(items[:-1]), last=items[-1])


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
    page: int = 1  # the page of the ranking drawn (1 = the first MAX_ROWS regions)
    pages: int = 1  # 1 = every region drawn (no page control)
    pager_text: str = ""  # "Regions 51–100 of 1,512" when pages > 1
    by_country: bool = False  # the heat-map shows one row per country

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


def parse_query(query: Mapping, dataset: Dataset, strict: bool = False,
                cache: bool = False) -> tuple[ExploreState, list[str]]:
    """URL query (as Dash Pages or Flask pass it, or from :func:`dashboard.query.parse_search`) → valid state + notes.

    A repeated key takes its first value (:func:`dashboard.query.one`). ``strict``: an unknown value raises
    :class:`UnknownOption` naming it and the allowed values, instead of a note. ``cache``: shared data (the
    country names are kept per dataset version and language)."""
    notes = _Notes(strict)
    raw_measure = one(query.get("measure")) or one(query.get("dimension"))
    measure = measure_key(raw_measure) if raw_measure else DEFAULT_MEASURE
    if measure is None:
        notes.problem(_("The link asked for the measure “{value}”, which does not exist; showing the {measure} "
                        "instead.").format(value=shorten(raw_measure, 60),
                                           measure=i18n.in_sentence(scoring.dimension_label(DEFAULT_MEASURE))),
                      _("unknown measure {value}; expected one of: {choices}").format(
                          value=repr(shorten(raw_measure)), choices=", ".join(scoring.DIMENSIONS)))
        measure = DEFAULT_MEASURE

    known = country_choices(dataset, cache)
    countries, unknown = [], []
    for code in split_values(query.get("country")) + split_values(query.get("countries")):
        if code.upper() in known:
            countries.append(code.upper())
        else:
            unknown.append(code)
    countries = list(dict.fromkeys(countries))
    if unknown:
        notes.problem(_("Unknown country code(s) in the link, ignored: {codes}.").format(
                          codes=shorten(', '.join(unknown))),
                      _("unknown country {value}; expected one of: {choices}").format(
                          value=repr(shorten(unknown[0])), choices=", ".join(sorted(known))))

    axis = one(query.get("axis")) or ALL
    if axis not in AXIS_CHOICES:
        notes.problem(_("Unknown axis “{value}” in the link; showing all axes.").format(value=shorten(axis)),
                      _("unknown axis {value}; expected one of: {choices}").format(
                          value=repr(shorten(axis)), choices=", ".join(AXIS_CHOICES)))
        axis = ALL

    areas, bad_areas = [], []
    for item in split_values(query.get("area")) + split_values(query.get("areas")):
        key = area_key(item)
        (areas if key else bad_areas).append(key or item)
    if bad_areas:
        notes.problem(_("Unknown policy area(s) in the link, ignored: {values}.").format(
                          values=shorten(', '.join(bad_areas))),
                      _("unknown policy area {value}; expected one of: {choices}").format(
                          value=repr(shorten(bad_areas[0])), choices=", ".join(AREA_CHOICES)))
    areas = [a for a in AREA_CHOICES if a in areas]  # display order, no duplicates

    raw_target = one(query.get("target")) or ALL
    target = ALL if raw_target == ALL else target_key(raw_target)
    if target is None:
        notes.problem(_("Unknown target group “{value}” in the link; showing both groups.").format(
                          value=shorten(raw_target)),
                      _("unknown target group {value}; expected one of: {choices}").format(
                          value=repr(shorten(raw_target)), choices=", ".join(TARGET_CHOICES)))
        target = ALL

    sort = one(query.get("sort")) or fx.DEFAULT_SORT
    if sort not in fx.SORTS:
        notes.problem(_("Unknown order “{value}” in the link; highest score first.").format(value=shorten(sort)),
                      _("unknown order {value}; expected one of: {choices}").format(
                          value=repr(shorten(sort)), choices=", ".join(fx.SORTS)))
        sort = fx.DEFAULT_SORT

    st = ExploreState(measure, tuple(countries), axis, tuple(areas), target, sort)
    if st.measure not in allowed_measures(st.areas, st.target):
        label = scoring.dimension_label(st.measure)
        notes.problem(_("{measure} is outside the chosen policy areas or target group; ranking the overall score "
                        "instead.").format(measure=label),
                      _("the measure {value} is outside the chosen policy areas or target group").format(
                          value=repr(st.measure)))
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
                        sort, cache: bool = False) -> tuple[ExploreState, list[str]]:
    """The controls' values → state (same validation as a URL)."""
    query = {"measure": measure, "country": list(countries or []), "axis": axis, "area": list(areas or []),
             "target": target, "sort": sort}
    return parse_query(query, dataset, cache=cache)


def _filtered_scores(dataset: Dataset, areas: tuple[str, ...], target: str) -> tuple[pd.DataFrame, int]:
    fw = dataset.framework
    sel = fw
    if areas:
        sel = sel[sel["area"].isin(list(areas))]
    if target != ALL:
        sel = sel[sel["target"].isin([target, "both"])]
    answers = dataset.answers[dataset.answers["indicator_id"].isin(sel["indicator_id"])]
    long = scoring.compute_scores(answers, sel, dataset.rule)
    wide = scoring.wide(long) if len(long) else pd.DataFrame(columns=list(scoring.DIMENSIONS))
    wide = wide.reindex(index=list(dataset.wide_scores.index), columns=list(scoring.DIMENSIONS))
    return wide, len(sel)


def scores_for(dataset: Dataset, areas=(), target: str = ALL,
               cache: bool = False) -> tuple[pd.DataFrame, int, str | None]:
    """Wide scores on the indicators of ``areas`` (all areas if empty) aimed at ``target`` (or at both groups).

    Returns (wide scores for every region of the dataset, number of indicators used, note or None).
    Without indicator filters, the dataset's own scores (published ones if loaded) are returned unchanged.
    ``cache``: keep the recomputed scores per (dataset fingerprint, filter) (shared data only; read-only).
    """
    fw = dataset.framework
    if not areas and target == ALL:
        return dataset.wide_scores, len(fw), None
    areas = tuple(areas)
    wide, used = SCORES.get((dataset.fingerprint, areas, target), lambda: _filtered_scores(dataset, areas, target),
                            cache)
    fill = dict(used=used, total=len(fw), areas=", ".join(AREA_CHOICES[a] for a in areas), target=target)
    if areas and target != ALL:
        note = ngettext("Scores recomputed from the {used} of {total} indicators in policy area {areas} and aimed at "
                        "{target} (or at both groups), with the same scoring rule as everywhere else (see "
                        "Methodology).",
                        "Scores recomputed from the {used} of {total} indicators in policy areas {areas} and aimed "
                        "at {target} (or at both groups), with the same scoring rule as everywhere else (see "
                        "Methodology).", len(areas)).format(**fill)
    elif areas:
        note = ngettext("Scores recomputed from the {used} of {total} indicators in policy area {areas}, with the "
                        "same scoring rule as everywhere else (see Methodology).",
                        "Scores recomputed from the {used} of {total} indicators in policy areas {areas}, with the "
                        "same scoring rule as everywhere else (see Methodology).", len(areas)).format(**fill)
    else:
        note = _("Scores recomputed from the {used} of {total} indicators aimed at {target} (or at both groups), "
                 "with the same scoring rule as everywhere else (see Methodology).").format(**fill)
    if dataset.scores_published:
        note += " " + _("These are computed from the answers, not the published scores.")
    return wide, used, note


def indicator_filtered(st: ExploreState) -> bool:
    """True when the scores are recomputed on part of the indicators (a policy area or a target group)."""
    return bool(st.areas) or st.target != ALL


def indicators_phrase(st: ExploreState) -> str:
    """The indicators the scores are computed on, in words: "" (all), "the Health indicators",
    "the Health and Housing indicators aimed at TCN (or both groups)", "the indicators aimed at BIP …"."""
    if not indicator_filtered(st):
        return ""
    named = and_list([AREA_CHOICES[a] for a in st.areas])
    if st.target != ALL:
        if named:
            return _("the {areas} indicators aimed at {target} (or both groups)").format(areas=named, target=st.target)
        return _("the indicators aimed at {target} (or both groups)").format(target=st.target)
    return _("the {areas} indicators").format(areas=named)


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
    if measure_changed(st):
        return _("{measure} on {indicators}").format(measure=label, indicators=indicators_phrase(st))
    return label


def file_suffix(st: ExploreState, measure: bool = True) -> str:
    """The part of an export's file name naming the indicator filter: "" or "-health-housing-indicators",
    "-indicators-tcn", "-health-indicators-bip". ``measure`` (the ranking, the table): only when the filter
    changes the ranked measure (:func:`measure_changed`); else (the heat-map) for any indicator filter.
    File names stay in English in every language (they are keys, not text)."""
    if not (measure_changed(st) if measure else indicator_filtered(st)):
        return ""
    parts = [a.replace("_", "-") for a in st.areas] + ["indicators"]
    if st.target != ALL:
        parts.append(st.target.lower())
    return "-" + "-".join(parts)


#: The group column's header: the group is always the one of the overall score on every indicator
#: (English source texts: translate with ``_()`` where shown).
GROUP_COLUMN = N_("Group (overall)")
GROUP_COLUMN_FILTERED = N_("Group by the overall score on all indicators (not this filter)")


def table_dimensions(st: ExploreState) -> list[str]:
    """Columns of the heat-map and table: the overall score plus the chosen axis (all axes by default)."""
    allowed = allowed_measures(st.areas, st.target)
    if st.axis == ALL:
        return allowed
    return ["overall"] + [k for k in allowed if scoring.axis_of(k) == st.axis]


def page_count(rows: int, max_rows: int = MAX_ROWS) -> int:
    """How many pages a ranking of ``rows`` regions takes (1: drawn whole)."""
    return max(1, -(-rows // max_rows)) if rows > max_rows else 1


def _lookups(dataset: Dataset, cache: bool) -> tuple[dict[str, str], dict[str, str]]:
    """(region_id → name in the current language, region_id → country code), kept per version and language."""
    names = LOOKUPS.get((dataset.fingerprint, "names", i18n.current()), lambda: region_names(dataset), cache)
    countries = LOOKUPS.get((dataset.fingerprint, "region-country"),
                            lambda: dict(zip(dataset.regions["region_id"], dataset.regions["country"])), cache)
    return names, countries


def explore_view(dataset: Dataset, st: ExploreState, notes: list[str] | None = None, page: int = 1,
                 max_rows: int = MAX_ROWS, cache: bool = False) -> ExploreView:
    """Everything the page shows for ``st``: ranking and heat-map figures, the table (same filters), notes.
    Every text is in the current language (:mod:`dashboard.i18n`).

    More than ``max_rows`` regions shown: the ranking draws page ``page`` (clamped to the pages there are) and
    the heat-map one row per country of those regions, or, when they are all in one country, the regions of the
    ranking's page. ``cache`` (shared data only): the view is kept per (dataset fingerprint, state, notes,
    page, ``max_rows``, language); treat it as read-only."""
    notes = list(notes or [])
    key = (dataset.fingerprint, st, tuple(notes), int(page), max_rows, i18n.current())
    def build() -> ExploreView:
        view = _build_view(dataset, st, notes, int(page), max_rows, cache)
        if cache:  # kept: each figure's JSON made once (views.cache.frozen)
            frozen([view.ranking, view.heatmap])
        return view

    return VIEWS.get(key, build, cache)


def _build_view(dataset: Dataset, st: ExploreState, notes: list[str], page: int, max_rows: int,
                cache: bool) -> ExploreView:
    wide, n_ind, note = scores_for(dataset, st.areas, st.target, cache)
    if note:
        notes.append(note)
    names, region_country = _lookups(dataset, cache)
    regions = [r for r in wide.index if not st.countries or region_country.get(r) in st.countries]
    label = measure_title(st)
    countries_named = country_choices(dataset, cache)
    where = ", ".join(countries_named[c] for c in st.countries) if st.countries else _("all regions")
    scope = where
    if note:
        detail = ", ".join(AREA_CHOICES[a] for a in st.areas) or _("all areas")
        if st.target != ALL:
            detail = _("{areas}; {target}").format(areas=detail, target=st.target)
        scope = ngettext("{where}; {n} indicator ({detail})", "{where}; {n} indicators ({detail})",
                         n_ind).format(where=where, n=n_ind, detail=detail)
    frame = fx.ranking_frame(wide, st.measure, names=names, regions=regions, sort=st.sort)
    total = len(frame)
    pages = page_count(total, max_rows)
    page = min(max(page, 1), pages)
    start, stop = ((page - 1) * max_rows, min(page * max_rows, total)) if pages > 1 else (0, None)
    ranked = _("{scope}; ranks among all {total} regions").format(scope=scope, total=len(wide))
    pager_text = ""
    if pages > 1:
        span = dict(first=i18n.number(start + 1), last=i18n.number(stop), count=i18n.number(total))
        ranked = _("{scope}; ranks among all {total} regions; showing {first}–{last} of {count}").format(
            scope=scope, total=i18n.number(len(wide)), **span)
        pager_text = _("Regions {first}–{last} of {count}").format(**span)
    ranking = fx.ranking_bars(wide, st.measure, dataset.source_line, names=names, sort=st.sort, label=label,
                              title=_("{measure}: regions ranked (0–100)").format(measure=label)
                              + "<br><sup>" + ranked + "</sup>",
                              frame=frame, start=start, stop=stop if pages > 1 else None)
    dims = table_dimensions(st)
    row_ids = frame["region_id"].tolist()
    by_country = pages > 1 and len({region_country.get(r) for r in row_ids}) > 1
    if by_country:
        if indicator_filtered(st):
            heat_title = _("Average scores by country and dimension on {indicators} (0–100)").format(
                indicators=indicators_phrase(st))
        else:
            heat_title = _("Average scores by country and dimension (0–100)")
        by = fx.country_frame(wide, region_country, row_ids, dims, order=st.measure, sort=st.sort,
                              country_names=countries_named)
        heat = fx.country_heatmap(by, dims, dataset.source_line, title=f"{heat_title}<br><sup>{scope}</sup>")
    else:
        if indicator_filtered(st):
            heat_title = _("Scores by region and dimension on {indicators} (0–100)").format(
                indicators=indicators_phrase(st))
        else:
            heat_title = _("Scores by region and dimension (0–100)")
        heat_rows = row_ids[start:stop] if pages > 1 else row_ids
        heat = fx.heatmap(wide, dataset.source_line, dimensions=dims, regions=heat_rows, names=names,
                          title=f"{heat_title}<br><sup>{scope}</sup>")

    table, columns = _table(dataset, st, wide, frame, dims, label, region_country, countries_named)
    ranking_text = fx.ranking_summary(frame, label, float(wide[st.measure].mean()))
    if pages > 1:
        ranking_text += " " + _("The chart shows regions {first} to {last} of {count}: the buttons under it show "
                                "the others.").format(**span)
    if by_country:
        heatmap_text = _("{rows} countries (rows) by {columns} dimensions (columns), each cell the average score "
                         "from 0 to 100 of the country's regions, darker for lower scores; the number of regions "
                         "follows each country's name. Choose a country in the Country filter, or click its row, "
                         "to see its regions. The table below gives every region's numbers.").format(
            rows=len(by), columns=len(dims))
    else:
        shown = len(heat_rows)
        if indicator_filtered(st):
            heatmap_text = _("{rows} regions (rows) by {columns} dimensions (columns), each cell a score from 0 to "
                             "100 on {indicators}, darker for lower scores. The table below gives the same "
                             "numbers.").format(rows=shown, columns=len(dims), indicators=indicators_phrase(st))
        else:
            heatmap_text = _("{rows} regions (rows) by {columns} dimensions (columns), each cell a score from 0 to "
                             "100, darker for lower scores. The table below gives the same numbers.").format(
                rows=shown, columns=len(dims))
        if pages > 1:
            heatmap_text += " " + _("The rows are the regions of the ranking's page above.")
    return ExploreView(st, ranking, heat, table, columns, notes, allowed_measures(st.areas, st.target),
                       ranking_text + " " + _("The table below gives every value."), heatmap_text,
                       page=page, pages=pages, pager_text=pager_text, by_country=by_country)


def _table(dataset: Dataset, st: ExploreState, wide: pd.DataFrame, frame: pd.DataFrame, dims: list[str],
           label: str, region_country: Mapping[str, str],
           countries_named: Mapping[str, str]) -> tuple[pd.DataFrame, list[Column]]:
    """The table of the page (every region shown, in the ranking's order) and its columns."""
    ids = frame["region_id"].tolist()
    overall = dict(zip(dataset.wide_scores.index, dataset.wide_scores["overall"].to_numpy(dtype=float)))
    group_names = {g: GROUP_NAMES[g] for g in GROUP_NAMES}
    table_dims = [st.measure] + [d for d in dims if d != st.measure]
    table = frame[["region_id", "rank", "name"]].copy()
    table["country"] = [countries_named.get(region_country.get(r), np.nan) for r in ids]
    table["group"] = [group_names.get(g, g) for g in (scoring.group_of(overall.get(r)) for r in ids)]
    values = wide.reindex(ids)[table_dims].to_numpy(dtype=float).round(1)
    table = pd.concat([table, pd.DataFrame(values, columns=table_dims, index=table.index)], axis=1)

    def score_header(d: str) -> str:
        short = scoring.dimension_label(d, short=True)
        if indicator_filtered(st) and d.split(":")[-1] not in st.areas:
            return _("{measure} on {indicators}").format(measure=short, indicators=indicators_phrase(st)) + " (0–100)"
        return f"{short} (0–100)"

    columns = [
        Column("rank", _("Rank ({measure})").format(measure=label), "integer"),
        Column("name", _("Region")),
        Column("country", _("Country")),
        Column("group", _(GROUP_COLUMN_FILTERED) if indicator_filtered(st) else _(GROUP_COLUMN)),
    ] + [Column(d, score_header(d), "score") for d in table_dims]
    return table, columns
