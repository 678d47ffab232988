"""The app's charts by name (pure): ``map``, ``radar``, ``compare``, ``ranking``, ``heatmap``, ``target``,
``outcomes`` (a governance dimension against an outcome indicator, :mod:`dashboard.views.outcomes`).

:func:`build_chart` gives the figure a page shows for the same parameters (read strictly through
:mod:`dashboard.query`: an unknown value raises :class:`~dashboard.errors.UnknownOption`). The export
routes, the command line and the benchmarks render these figures; nothing here needs a browser.

:func:`normalise_chart` turns the parameters of a request into the canonical :class:`ChartQuery` (region ids
resolved, defaults filled in, only the parameters the chart reads): two requests that draw the same chart
give equal queries, which is what the export cache is keyed on (:mod:`dashboard.routes.export`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

from dashboard import scoring
from dashboard.constants import (
    EXPORT_CHARTS,
    MAP_CREDIT,
    MAX_COMPARE,
    OUTCOMES_ILLUSTRATIVE_TEXT,
)
from dashboard.data import Dataset
from dashboard.errors import ExportError, GeoDataMissing, UnknownOption
from dashboard.i18n import N_, _
from dashboard.query import area_key, check_axis, check_measure, shorten, target_key
from dashboard.views import explore
from dashboard.views import outcomes as outcome_views
from dashboard.views.common import (
    check_countries,
    check_regions,
    one_line,
    region_countries,
    region_names,
    slug,
)
from dashboard.views.editions import parse_editions, shown

CHARTS = EXPORT_CHARTS
ALL = explore.ALL  # the Explore page's "no filter" value


@dataclass
class Chart:
    """A named chart: the figure as the page shows it, its title, whether it is a map, its file-name stem; a
    chart that does not show the scores alone gives its own source lines and illustrative flag for the
    export footer (``sources`` empty and ``illustrative`` None: the dataset's score source and flag)."""

    fig: go.Figure
    title: str
    is_map: bool
    stem: str  # file name stem, e.g. "mipexr-map-overall"
    sources: tuple[str, ...] = field(default=())
    illustrative: bool | None = None
    mark: str | None = None  # the export's illustrative mark when it is not the scores' one


@dataclass(frozen=True)
class ChartQuery:
    """The parameters of :func:`build_chart`, countries already checked (canonical when made by
    :func:`normalise_chart`: hashable, equal for equal charts)."""

    region_ids: Sequence[str] = ()
    measure: str | None = None
    axis: str | None = None
    countries: Sequence[str] = ()
    sort: str | None = None
    areas: Sequence[str] = ()
    target: str | None = None
    x: str | None = None  # outcomes: the governance dimension
    y: str | None = None  # outcomes: the outcome indicator
    mode: str | None = None  # outcomes: value or gap
    edition: int | None = None
    since: int | None = None


def is_source_annotation(annotation: Any) -> bool:
    """True for the on-screen source line every app figure carries (``figures.common.annotate_source``)."""
    return getattr(annotation, "name", None) == "source"


def _chart(fig: go.Figure, stem: str, is_map: bool = False) -> Chart:
    return Chart(fig, fig.layout.title.text, is_map, stem)


def _map(dataset: Dataset, q: ChartQuery) -> Chart:
    from dashboard import geo
    from dashboard.figures import maps

    measure = check_measure(q.measure)
    ids = check_regions(dataset, q.region_ids, 0, None, N_("the map"))
    try:
        layers = geo.map_layers(dataset.regions)
    except GeoDataMissing as exc:
        raise ExportError(_("The map needs the boundary files: {error}").format(error=one_line(exc)),
                          reason="no-geo") from exc
    fig = maps.choropleth(dataset.scores_table(), measure, layers, dataset.source_line,
                          selected=ids[0] if ids else None, credit=MAP_CREDIT)
    if q.since is not None:
        from dashboard.figures import change

        fig = change.change_map(fig, dataset.scores_table(), dataset.with_edition(q.since).scores_table(), measure,
                                dataset.edition, q.since)
        return _chart(fig, f"mipexr-map-{slug(measure)}-change-{q.since}-{dataset.edition}", is_map=True)
    return _chart(fig, f"mipexr-map-{slug(measure)}", is_map=True)


def _radar(dataset: Dataset, q: ChartQuery) -> Chart:
    from dashboard.figures import profile

    ids = check_regions(dataset, q.region_ids, 1, MAX_COMPARE, N_("the radar chart"))
    axis = check_axis(q.axis, "area", radar=True)
    names = region_names(dataset)
    # the page's chart of the axis: a radar with four or more spokes, else bars (never a bare triangle)
    fig = profile.axis_chart(dataset.wide_scores, ids, axis, dataset.source_line, include_average=True,
                             names=names, title=_("{axis}: {regions} (0–100)").format(
                                 axis=scoring.AXIS_LABELS[axis], regions=", ".join(names[r] for r in ids)))
    kind = "radar" if profile.uses_radar(axis) else "bars"
    return _chart(fig, f"mipexr-{kind}-{axis}-{'-'.join(ids).lower()}")


def _target(dataset: Dataset, q: ChartQuery) -> Chart:
    from dashboard.figures import profile

    ids = check_regions(dataset, q.region_ids, 1, MAX_COMPARE, N_("the TCN/BIP chart"))
    fig = profile.target_bars(dataset.wide_scores, ids, dataset.source_line, include_average=True,
                              names=region_names(dataset))
    return _chart(fig, f"mipexr-target-{'-'.join(ids).lower()}")


def _compare(dataset: Dataset, q: ChartQuery) -> Chart:
    from dashboard.figures import compare

    names = region_names(dataset)
    ids = check_regions(dataset, q.region_ids, 2, MAX_COMPARE, N_("the comparison chart"))
    axis = check_axis(q.axis, None)
    group = "governance" if axis in ("element", "phase") else "areas"
    title, dims = compare.BAR_GROUPS[group]
    fig = compare.compare_bars(dataset.wide_scores, ids, dataset.source_line, dimensions=dims, names=names,
                               title=_("{axis}: {regions} (0–100)").format(
                                   axis=_(title), regions=", ".join(names[r] for r in ids)))
    stem = "mipexr-compare-" + ("governance-" if group == "governance" else "") + "-".join(ids).lower()
    return _chart(fig, stem)


def _filtered(dataset: Dataset, ids: Sequence[str], countries: Sequence[str]) -> list[str] | None:
    """The regions of a ranking/heat-map filter (given ids, or all, within ``countries``); None for no filter."""
    if not ids and not countries:
        return None
    keep = list(ids) or list(dataset.regions["region_id"])
    if countries:
        by_country = region_countries(dataset)
        keep = [r for r in keep if by_country[r] in countries]
    return keep


def _ranked(dataset: Dataset, q: ChartQuery, chart: str) -> Chart:
    """Ranking or heat-map: without a region filter, exactly the Explore page's figure for the same query."""
    from dashboard.figures import explore

    measure = check_measure(q.measure)
    ids = check_regions(dataset, q.region_ids, 0, None, N_("the ranking") if chart == "ranking" else N_("the heatmap"))
    sort = q.sort or explore.DEFAULT_SORT
    if sort not in explore.SORTS:
        raise UnknownOption(_("unknown sort {value}; expected one of: {allowed}").format(
            value=repr(sort), allowed=", ".join(explore.SORTS)))
    axis = check_axis(q.axis, None)
    if not ids:
        view = explore_page_view(dataset, {"measure": measure, "country": list(q.countries), "axis": axis,
                                           "area": list(q.areas), "target": q.target, "sort": sort})
        from dashboard.views.explore import file_suffix

        # "-health-indicators": the file says what the scores are computed on
        if chart == "ranking":
            return _chart(view.ranking, f"mipexr-ranking-{slug(view.state.measure)}{file_suffix(view.state)}")
        return _chart(view.heatmap, f"mipexr-heatmap{'-' + axis if axis else ''}"
                                    f"{file_suffix(view.state, measure=False)}")
    regions = _filtered(dataset, ids, q.countries)
    if chart == "ranking":
        fig = explore.ranking_bars(dataset.wide_scores, measure, dataset.source_line, names=region_names(dataset),
                                   regions=regions, sort=sort)
        return _chart(fig, f"mipexr-ranking-{slug(measure)}")
    dims = (("overall",) + scoring.AXES[axis]) if axis else None
    fig = explore.heatmap(dataset.wide_scores, dataset.source_line, dimensions=dims, regions=regions,
                          names=region_names(dataset))
    return _chart(fig, f"mipexr-heatmap{'-' + axis if axis else ''}")


def _outcomes(dataset: Dataset, q: ChartQuery) -> Chart:
    ids = check_regions(dataset, q.region_ids, 0, 1, N_("the outcomes chart"))
    st = outcome_views.OutcomesState(x=q.x or outcome_views.DEFAULT_X, y=q.y or outcome_views.DEFAULT_Y,
                                     mode=q.mode or "value", region=ids[0] if ids else None)
    view = outcome_views.outcomes_view(dataset, st)
    fig = outcome_views.outcomes_figure(view)
    # On paper: r in the subtitle, the caveat above the two source lines, room for the long axis titles.
    fig.update_layout(title_text=f"{view.title}<br><sup>{outcome_views.r_text(view)}</sup>",
                      margin=dict(l=90, r=80))
    fig.update_yaxes(title_font=dict(size=12))
    stem = f"mipexr-outcomes-{slug(st.x)}-{slug(st.y)}" + ("-gap" if st.mode == "gap" else "")
    mark = None if dataset.scores_illustrative else OUTCOMES_ILLUSTRATIVE_TEXT
    return Chart(fig, fig.layout.title.text, False, stem,
                 sources=(view.caveat, view.governance_source, view.outcomes_source),
                 illustrative=view.illustrative, mark=mark)


BUILDERS: dict[str, Callable[[Dataset, ChartQuery], Chart]] = {
    "map": _map,
    "radar": _radar,
    "compare": _compare,
    "ranking": lambda dataset, q: _ranked(dataset, q, "ranking"),
    "heatmap": lambda dataset, q: _ranked(dataset, q, "heatmap"),
    "target": _target,
    "outcomes": _outcomes,
}
assert set(BUILDERS) == set(CHARTS)


#: The parameters each chart reads; the others are dropped by :func:`normalise_chart`. Every chart shows one
#: ``edition``; the map can also show the change ``since`` an earlier one.
CHART_FIELDS: dict[str, tuple[str, ...]] = {
    "map": ("region_ids", "measure", "edition", "since"),
    "radar": ("region_ids", "axis", "edition"),
    "compare": ("region_ids", "axis", "edition"),
    "ranking": ("region_ids", "measure", "axis", "countries", "sort", "areas", "target", "edition"),
    "heatmap": ("region_ids", "measure", "axis", "countries", "sort", "areas", "target", "edition"),
    "target": ("region_ids", "edition"),
    "outcomes": ("region_ids", "x", "y", "mode", "edition"),
}
#: (fewest, most) regions each chart takes, and how a message names the chart.
#: The names are English (N_-marked); :func:`dashboard.query.check_regions` shows them translated.
CHART_REGIONS: dict[str, tuple[int, int | None, str]] = {
    "map": (0, None, N_("the map")),
    "radar": (1, MAX_COMPARE, N_("the radar chart")),
    "compare": (2, MAX_COMPARE, N_("the comparison chart")),
    "ranking": (0, None, N_("the ranking")),
    "heatmap": (0, None, N_("the heatmap")),
    "target": (1, MAX_COMPARE, N_("the TCN/BIP chart")),
    "outcomes": (0, 1, N_("the outcomes chart (one highlighted region)")),
}
assert set(CHART_FIELDS) == set(CHART_REGIONS) == set(CHARTS)


def chart_name(chart: str | None) -> str:
    """``chart`` lower-cased when it is a chart name; UnknownOption otherwise."""
    name = (chart or "").strip().lower()
    if name not in CHART_FIELDS:
        raise UnknownOption(_("unknown chart {value}; expected one of: {allowed}").format(
            value=repr(shorten(name)), allowed=", ".join(CHARTS)))
    return name


def _check_sort(sort: str | None) -> str:
    from dashboard.figures import explore as fx

    value = (sort or fx.DEFAULT_SORT).strip().lower()
    if value not in fx.SORTS:
        raise UnknownOption(_("unknown sort {value}; expected one of: {allowed}").format(
            value=repr(shorten(sort)), allowed=", ".join(fx.SORTS)))
    return value


def _check_areas(areas: Sequence[str]) -> tuple[str, ...]:
    keys = []
    for item in areas:
        key = area_key(str(item).strip().lower())
        if key is None:
            raise UnknownOption(_("unknown policy area {value}; expected one of: {allowed}").format(
                value=repr(shorten(item)), allowed=", ".join(scoring.AREAS)))
        keys.append(key)
    return tuple(a for a in scoring.AREAS if a in keys)  # display order, no duplicates


def _check_target(target: str | None) -> str | None:
    if target is None or not str(target).strip() or str(target).strip().lower() == ALL:
        return None
    key = target_key(target)
    if key is None:
        raise UnknownOption(_("unknown target group {value}; expected one of: {allowed}").format(
            value=repr(shorten(target)), allowed=", ".join(("all",) + tuple(scoring.TARGETS))))
    return key


def normalise_chart(dataset: Dataset, chart: str, region_ids: Sequence[str] = (), measure: str | None = None,
                    axis: str | None = None, countries: Sequence[str] = (), sort: str | None = None,
                    areas: Sequence[str] = (), target: str | None = None, x: str | None = None,
                    y: str | None = None, mode: str | None = None, edition: Any = None,
                    since: Any = None) -> tuple[str, ChartQuery]:
    """(chart name, canonical :class:`ChartQuery`): every value checked strictly (UnknownOption naming a bad
    one or a wrong number of regions), region ids resolved to the dataset's ids (``pt20``, ``PT20`` and
    ``Azores`` are one region), defaults filled in (measure ``overall``, radar axis ``area``, sort ``desc``),
    policy areas in display order, and the parameters the chart does not read left out. The map outlines
    one region: only the first is kept. ``edition`` (default: the latest) and ``since`` (another edition) are
    checked for every chart (:func:`dashboard.views.editions.parse_editions`, strict)."""
    name = chart_name(chart)
    choice = parse_editions(dataset, edition, since, strict=True)
    fields = CHART_FIELDS[name]
    low, high, what = CHART_REGIONS[name]
    ids = tuple(check_regions(dataset, region_ids, low, high, what))
    checked_countries = tuple(check_countries(dataset, countries))  # checked for every chart, as before
    if name == "outcomes":
        st, _unused = outcome_views.parse_outcomes_query(
            {"x": [x] if x else [], "y": [y] if y else [], "mode": [mode] if mode else []}, dataset, strict=True)
        return name, ChartQuery(region_ids=ids, x=st.x, y=st.y, mode=st.mode,
                                edition=choice.edition if choice.edition != choice.latest else None)
    checks: dict[str, Callable[[], Any]] = {
        "region_ids": lambda: ids[:1] if name == "map" else ids,
        "measure": lambda: check_measure(measure),
        "axis": lambda: check_axis(axis, "area", radar=True) if name == "radar" else check_axis(axis, None),
        "countries": lambda: checked_countries,
        "sort": lambda: _check_sort(sort),
        "areas": lambda: _check_areas(areas),
        "target": lambda: _check_target(target),
        "edition": lambda: choice.edition if choice.edition != choice.latest else None,  # None: the latest
        "since": lambda: choice.since,
    }
    return name, ChartQuery(**{field: checks[field]() for field in fields})


def chart_params(q: ChartQuery) -> dict[str, Any]:
    """A canonical query as the link parameters of :mod:`dashboard.export.links` (``regions``, ``measure``,
    ``axis``, ``countries``, ``sort``, ``areas``, ``target``, ``x``, ``y``, ``mode``, ``edition``, ``since``)."""
    return {"regions": list(q.region_ids), "measure": q.measure, "axis": q.axis, "countries": list(q.countries),
            "sort": q.sort, "areas": list(q.areas), "target": q.target, "x": q.x, "y": q.y, "mode": q.mode,
            "edition": q.edition, "since": q.since}


def build_chart(dataset: Dataset, chart: str, region_ids: Sequence[str] = (), measure: str | None = None,
                axis: str | None = None, countries: Sequence[str] = (), sort: str | None = None,
                areas: Sequence[str] = (), target: str | None = None, x: str | None = None,
                y: str | None = None, mode: str | None = None, edition: Any = None,
                since: Any = None) -> Chart:
    """The app's figure for ``chart`` with the view's parameters (raises UnknownOption on bad ones).

    * ``map``: ``measure`` (default overall), optional ``region_ids[0]`` outlined;
    * ``radar``: 1–4 regions on ``axis`` (area, element or phase; default area); an axis with fewer than four
      spokes (element) is drawn as bars, as on the pages (file name ``mipexr-bars-…``);
    * ``compare``: 2–4 regions, grouped bars (``axis`` element/phase → governance bars);
    * ``ranking``: ``measure``, optional regions/countries filter and ``sort`` (desc, asc, name);
    * ``heatmap``: regions × dimensions (``axis`` limits the columns), optional filters;
      without a region filter both are exactly the Explore page's figures for the same query (``areas`` and
      ``target`` recompute the scores on those indicators, as the page does);
    * ``target``: TCN vs BIP bars for 1–4 regions;
    * ``outcomes``: governance dimension ``x`` against outcome ``y`` (``mode`` value or gap), 0–1 region
      highlighted; its ``sources`` are the governance and the outcomes source lines.
    * every chart shows ``edition`` (default: the latest); the map with ``since`` shows the change since it.
    """
    name, q = normalise_chart(dataset, chart, region_ids, measure, axis, countries, sort, areas, target, x=x, y=y,
                              mode=mode, edition=edition, since=since)
    return BUILDERS[name](shown(dataset, parse_editions(dataset, q.edition)), q)


def explore_page_view(dataset: Dataset, params: Mapping[str, Any]):
    """The Explore page's view (figures and table) for a query, validated strictly by the page's own parser
    (UnknownOption instead of the page's "ignored" notes): ``measure``, ``country``, ``axis``, ``area``,
    ``target``, ``sort``."""
    st, notes = explore.parse_query(params, dataset, strict=True)
    return explore.explore_view(dataset, st, notes)
