"""The tables behind the CSV/XLSX downloads (pure): one function per view, chosen from :data:`VIEWS`.

:func:`data_view` reads the filters every view shares (``region``/``regions``, ``country``, ``group``; lists
comma-separated or repeated) strictly through :mod:`dashboard.query` and hands them to the view's function:

=============  =========================================================================================
``scores``     regions × dimensions (``axis`` or ``measures`` limit the columns)
``ranking``    one ``measure`` ranked (``sort`` = desc, asc or name), filtered rows
``map``        the same; a given region is the selection (a column ``selected``), not a filter
``region``     one region's profile: score, average, difference and rank on every dimension
``compare``    2–4 regions side by side with the average and the differences
``explore``    the Explore page's table for the same query (``measure``, ``axis``, ``area``, ``target``, ``sort``)
``outcomes``   the context statistics; ``answers``: the indicator answers; ``framework``: the questionnaire
``policy-outcomes``  the data behind the /outcomes scatter (``x``, ``y``, ``mode``, ``region`` as the page
               reads them, strictly): every region's score and outcome value with that value's own source
``full``       every part of the dataset, no filters (the CSV holds the scores sheet)
=============  =========================================================================================

A :class:`DataView` says what its table is (title, filters, scale, column meanings, notes, file-name
stem); :mod:`dashboard.export.tables` adds the source, provenance, date and URL and writes the file.

Its words are in the current language (:mod:`dashboard.i18n`); the frames keep machine column keys, and
:func:`people_headers` gives the headers a file in another language than English shows
(:data:`COLUMN_LABELS`, dimension labels, a view's own ``headers``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from dashboard import i18n, scoring
from dashboard.constants import MAX_COMPARE
from dashboard.data import Dataset
from dashboard.errors import UnknownOption
from dashboard.figures import explore as fx
from dashboard.i18n import N_, _
from dashboard.query import (
    AREA_KEYS,
    COUNTRY_KEYS,
    GROUP_KEYS,
    MEASURE_KEYS,
    REGION_KEYS,
    area_key,
    check_axis,
    check_groups,
    check_measure,
    first,
    many,
    measure_key,
    parse_regions,
    target_key,
)
from dashboard.views import editions
from dashboard.views import explore as explore_views
from dashboard.views.charts import explore_page_view
from dashboard.views.common import (
    check_countries,
    check_regions,
    region_countries,
    region_names,
    slug,
)

SCORE_DECIMALS = 2
#: N_-marked texts: the views below translate them when they make a table (``_(DEFAULT_SCALE)``).
DEFAULT_SCALE = N_("Scores 0–100 (0 = no policy, 100 = fully developed); context statistics in the units listed")
GROUP_MEANING = N_("advanced (≥ 55) / intermediate (45–55) / lagging (< 45) on the overall score")
FRAMEWORK_COLUMNS = ["indicator_id", "question", "element", "phase", "target", "area"]


@dataclass
class DataView:
    """The table(s) of a view: ``sheets`` name → DataFrame (CSV uses the first) and what they are."""

    name: str
    sheets: dict[str, pd.DataFrame]
    title: str
    stem: str  # file name without extension, e.g. "mipexr-map-area-health"
    filters: str | None = None  # None: all rows
    scale: str = field(default_factory=lambda: _(DEFAULT_SCALE))
    columns: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: label → source line, when the view mixes datasets (replaces the dataset's one "Source" line)
    sources: dict[str, str] | None = None
    #: whether the numbers shown are illustrative, when not simply the dataset's flag
    illustrative: bool | None = None
    #: what the tables hold (``scores``, ``outcomes``, ``answers``, ``framework``): the file says per part
    #: whether it is published or illustrative (:func:`dashboard.views.notice.resource_marks`)
    resources: tuple[str, ...] = ("scores",)
    #: column key → the header people read, for columns :func:`column_header` does not know (Explore's own
    #: headers, the outcome indicator of the policy-outcomes table)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def table(self) -> pd.DataFrame:
        return next(iter(self.sheets.values()))


@dataclass(frozen=True)
class RowFilter:
    """The row filters every view shares: regions, countries and groups (checked, in the given order)."""

    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()

    @classmethod
    def from_params(cls, dataset: Dataset, params: Mapping[str, Any]) -> RowFilter:
        return cls(tuple(check_regions(dataset, many(params, REGION_KEYS))),
                   tuple(check_countries(dataset, many(params, COUNTRY_KEYS))),
                   tuple(check_groups(many(params, GROUP_KEYS))))

    def parts(self, regions: bool = True) -> list[str]:
        """The filters in words (``regions = …``, ``countries = …``, ``groups = …``)."""
        out = []
        if regions and self.regions:
            out.append(_("regions = {values}").format(values=", ".join(self.regions)))
        if self.countries:
            out.append(_("countries = {values}").format(values=", ".join(self.countries)))
        if self.groups:
            out.append(_("groups = {values}").format(values=", ".join(self.groups)))
        return out

    def describe(self, *extra: str | None, regions: bool = True) -> str | None:
        """The filters and ``extra`` words joined by ``; ``; None when there are none (all rows)."""
        return "; ".join([*self.parts(regions), *filter(None, extra)]) or None

    def keep(self, dataset: Dataset, frame: pd.DataFrame, id_col: str = "region_id") -> pd.DataFrame:
        """The rows of ``frame`` (ids in ``id_col``, else the index) that pass every filter."""
        ids = frame[id_col] if id_col in frame.columns else pd.Series(frame.index, index=frame.index)
        mask = pd.Series(True, index=frame.index)
        if self.regions:
            mask &= ids.isin(self.regions)
        if self.countries:
            mask &= ids.map(region_countries(dataset)).isin(self.countries)
        if self.groups:
            mask &= ids.map(dataset.scores_table()["group"]).isin(self.groups)
        return frame[mask]


def round_scores(df: pd.DataFrame, cols) -> pd.DataFrame:
    """Round the numeric columns ``cols`` of ``df`` (in place) to :data:`SCORE_DECIMALS`."""
    for col in cols:
        if col in df.columns and pd.api.types.is_numeric_dtype(df[col]):
            df[col] = df[col].astype(float).round(SCORE_DECIMALS)
    return df


def dimension_columns() -> dict[str, str]:
    """Dimension key → "<label> (score 0–100)", the meaning of every score column."""
    return {d: _("{dimension} (score 0–100)").format(dimension=scoring.dimension_label(d)) for d in scoring.DIMENSIONS}


#: The header people read for each machine column key (files in a language other than English; English files
#: keep the machine keys, which scripts and the importers read).
COLUMN_LABELS = i18n.Labels({
    "region_id": N_("Region code (NUTS)"),
    "name_en": N_("Region"),
    "name": N_("Region"),
    "name_local": N_("Name in the local language"),
    "country": N_("Country code"),
    "country_name": N_("Country"),
    "group": N_("Group"),
    "measure": N_("Measure code"),
    "measure_label": N_("Measure"),
    "rank": N_("Rank"),
    "ranked_regions": N_("Regions ranked"),
    "score": N_("Score"),
    "selected": N_("Selected"),
    "dimension": N_("Dimension code"),
    "label": N_("Label"),
    "average": N_("Average of all regions"),
    "average_all_regions": N_("Average of all regions"),
    "difference": N_("Difference (points)"),
    "indicator": N_("Indicator code"),
    "indicator_id": N_("Indicator code"),
    "year": N_("Year"),
    "value": N_("Value"),
    "nuts_used": N_("NUTS unit used"),
    "proxy": N_("Proxy"),
    "national": N_("National figure"),
    "source": N_("Source"),
    "retrieved": N_("Retrieved"),
    "provenance": N_("Provenance"),
    "illustrative": N_("Illustrative"),
    "unit": N_("Unit"),
    "family": N_("Family"),
    "direction": N_("Direction"),
    "population": N_("Population"),
    "sex": N_("Sex"),
    "eurostat_table": N_("Eurostat table"),
    "edition": N_("Edition"),
    "question": N_("Question"),
    "element": N_("Governance element"),
    "phase": N_("Policy cycle phase"),
    "target": N_("Target population"),
    "area": N_("Policy area"),
    "scale": N_("Scale"),
    "options": N_("Answer options"),
    "nuts_level": N_("NUTS level"),
    "nuts2024_ids": N_("NUTS 2024 codes"),
    "partner_region": N_("REGIN partner region"),
    "aliases": N_("Other names"),
    "highlighted": N_("Highlighted"),
    "outcome_source": N_("Source of the outcome value"),
    "item": N_("Item"),
})


def column_header(key: str, extra: Mapping[str, str] | None = None) -> str:
    """The header people read for the column ``key``: the key itself in English (files stay readable by
    scripts), else ``extra``'s header, a label of :data:`COLUMN_LABELS` or a dimension's label in the current
    language; an unknown key (a region id of the comparison) stays as it is."""
    if i18n.current() == i18n.DEFAULT:
        return key
    if extra and key in extra:
        return extra[key]
    if key in COLUMN_LABELS:
        return COLUMN_LABELS[key]
    if key in scoring.DIMENSIONS:
        return scoring.dimension_label(key)
    return key


def people_headers(frame: pd.DataFrame, extra: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``frame`` with the headers of :func:`column_header` (the same frame in English); a header that two
    columns would share gets its key in brackets."""
    if i18n.current() == i18n.DEFAULT:
        return frame
    names = [column_header(str(c), extra) for c in frame.columns]
    seen = [n for n in names if names.count(n) > 1]
    names = [f"{n} ({c})" if n in seen else n for n, c in zip(names, frame.columns)]
    return frame.set_axis(names, axis=1)


def _plain(text: Any) -> str:
    return re.sub(r"<[^>]+>", "", str(text))


# --------------------------------------------------------------------------------------------
# One function per view: (dataset, params, row filter) → DataView
# --------------------------------------------------------------------------------------------

def scores_view(dataset: Dataset, params: Mapping[str, Any], rows: RowFilter) -> DataView:
    axis = check_axis(first(params, ("axis",)), None)
    measures = [check_measure(m) for m in many(params, ("measures",))]
    dims = measures or (["overall", *scoring.AXES[axis]] if axis else list(scoring.DIMENSIONS))
    frame = dataset.scores_table().reset_index()
    frame = frame[["region_id", "name_en", "name_local", "country", "country_name", "group", *dims]]
    frame = round_scores(rows.keep(dataset, frame).reset_index(drop=True), dims)
    return DataView("scores", {"scores": frame}, _("MIPEX-R scores by region and dimension"), "mipexr-scores",
                    rows.describe(_("axis = {axis}").format(axis=axis) if axis else None),
                    columns={"group": _(GROUP_MEANING),
                             **{d: c for d, c in dimension_columns().items() if d in dims}})


def _ranked_view(dataset: Dataset, params: Mapping[str, Any], rows: RowFilter, name: str) -> DataView:
    """``ranking`` (filtered rows) or ``map`` (every region; given regions are the selection)."""
    from dashboard.figures import explore

    measure = check_measure(first(params, MEASURE_KEYS))
    sort = first(params, ("sort",)) or ("desc" if name == "ranking" else "name")
    if sort not in explore.SORTS:
        raise UnknownOption(f"unknown sort {sort!r}; expected one of: {', '.join(explore.SORTS)}")
    table = dataset.scores_table()
    frame = explore.ranking_frame(dataset.wide_scores, measure, region_names(dataset), None, sort)
    frame = frame.rename(columns={"name": "name_en", "of": "ranked_regions"})
    frame.insert(2, "country_name", frame["region_id"].map(table["country_name"]))
    frame.insert(3, "group", frame["region_id"].map(table["group"]))
    frame.insert(0, "measure", measure)
    frame.insert(1, "measure_label", scoring.dimension_label(measure))
    frame["rank"] = frame["rank"].astype("Int64")
    if name == "ranking":
        frame = rows.keep(dataset, frame)
    else:  # on the map a region is the selection (outlined), not a filter; countries and groups still filter
        frame = replace(rows, regions=()).keep(dataset, frame)
        if rows.regions:
            frame = frame.assign(selected=frame["region_id"].isin(rows.regions))
    frame = round_scores(frame.reset_index(drop=True), ["score"])
    return DataView(name, {name: frame},
                    _("{measure}: regions ranked (score 0–100)").format(measure=scoring.dimension_label(measure)),
                    f"mipexr-{name}-{slug(measure)}",
                    rows.describe(_("measure = {measure}").format(measure=measure), regions=name == "ranking"),
                    columns={"rank": _("rank among all regions with a score (1 = highest)"),
                             "ranked_regions": _("number of regions with a score on this measure"),
                             "score": _("score 0–100")})


def ranking_view(dataset: Dataset, params: Mapping[str, Any], rows: RowFilter) -> DataView:
    return _ranked_view(dataset, params, rows, "ranking")


def map_view(dataset: Dataset, params: Mapping[str, Any], rows: RowFilter) -> DataView:
    return _ranked_view(dataset, params, rows, "map")


def region_view(dataset: Dataset, params: Mapping[str, Any], rows: RowFilter) -> DataView:
    rid = check_regions(dataset, rows.regions, 1, 1, "the region view")[0]
    name = region_names(dataset)[rid]
    wide = dataset.wide_scores
    avg = wide.mean()
    records = []
    for d in scoring.DIMENSIONS:
        rank = scoring.ranks(wide, d).get(rid)
        score = wide.at[rid, d]
        records.append({"region_id": rid, "name_en": name, "dimension": d, "label": scoring.dimension_label(d),
                        "score": score, "average_all_regions": avg[d],
                        "difference": score - avg[d] if pd.notna(score) else float("nan"),
                        "rank": rank if pd.notna(rank) else pd.NA, "ranked_regions": int(wide[d].notna().sum())})
    frame = pd.DataFrame(records)
    frame["rank"] = frame["rank"].astype("Int64")
    frame = round_scores(frame, ["score", "average_all_regions", "difference"])
    return DataView("region", {"profile": frame}, _("MIPEX-R profile of {region}").format(region=name),
                    f"mipexr-region-{rid.lower()}", _("region = {region}").format(region=rid),
                    columns={"score": _("score 0–100"), "average_all_regions": _("mean of all regions with a score"),
                             "difference": _("score minus the average, in points")})


def compare_view(dataset: Dataset, params: Mapping[str, Any], rows: RowFilter) -> DataView:
    from dashboard.figures import compare

    names = region_names(dataset)
    ids = check_regions(dataset, rows.regions, 2, MAX_COMPARE, "the comparison")
    frame = compare.compare_table(dataset.wide_scores, ids)
    frame = round_scores(frame, [c for c in frame.columns if c not in ("dimension", "label")])
    headers = {}
    for r in ids:
        headers[f"{r}_vs_average"] = _("{region} minus the average").format(region=r)
        if r != ids[0]:
            headers[f"{r}_vs_{ids[0]}"] = _("{region} minus {other}").format(region=r, other=ids[0])
    return DataView("compare", {"compare": frame},
                    _("MIPEX-R comparison: {regions}").format(regions=", ".join(names[r] for r in ids)),
                    "mipexr-compare-" + "-".join(ids).lower(), rows.describe(),
                    columns={**{r: _("{region}: score 0–100").format(region=names[r]) for r in ids},
                             "average": _("mean of all regions with a score")},
                    notes=[_("Columns '<id>_vs_average' and '<id>_vs_<first id>' are differences in points.")
                           if i18n.current() == i18n.DEFAULT else
                           _("The columns comparing two values are differences in points.")],
                    headers=headers)


def _explore_frame(dataset: Dataset, view) -> tuple[pd.DataFrame, dict[str, str]]:
    """The Explore page's table as a DataFrame (with ``region_id`` first) and its column headers."""
    keys = [c.id for c in view.columns]
    frame = view.table[["region_id", *keys]].reset_index(drop=True)
    if "rank" in frame.columns:
        frame["rank"] = frame["rank"].astype("Int64")
    return frame, {c.id: c.label for c in view.columns}


def explore_table_view(dataset: Dataset, params: Mapping[str, Any], rows: RowFilter) -> DataView:
    ev = explore_page_view(dataset, params)
    frame, labels = _explore_frame(dataset, ev)
    st = ev.state
    desc = [_("measure = {measure}").format(measure=st.measure), _("sort = {sort}").format(sort=st.sort)]
    if st.countries:
        desc.append(_("countries = {values}").format(values=", ".join(st.countries)))
    if st.axis != "all":
        desc.append(_("axis = {axis}").format(axis=st.axis))
    if st.areas:
        desc.append(_("policy areas = {values}").format(values=", ".join(st.areas)))
    if st.target != "all":
        desc.append(_("target group = {target}").format(target=st.target))
    return DataView("explore", {"explore": frame},
                    _("Explore and rank: {measure}").format(measure=explore_views.measure_title(st)),
                    "mipexr-explore" + explore_views.file_suffix(st),
                    "; ".join(desc), columns=labels, notes=[_plain(n) for n in ev.notes],
                    headers={k: _plain(v) for k, v in labels.items()})


def outcomes_view(dataset: Dataset, params: Mapping[str, Any], rows: RowFilter) -> DataView:
    frame = rows.keep(dataset, dataset.outcomes.copy()).reset_index(drop=True)
    frame.insert(1, "name_en", frame["region_id"].map(region_names(dataset)))
    return DataView("outcomes", {"outcomes": frame}, _("Regional context statistics (outcome indicators)"),
                    "mipexr-outcomes", rows.describe(),
                    scale=_("Values in the unit given per row (persons, % …); year and Eurostat table per row"),
                    notes=[_("'proxy' = the value is that of the enclosing NUTS unit in 'nuts_used'.")
                           if i18n.current() == i18n.DEFAULT else
                           _("Proxy: the value is that of the enclosing NUTS unit (column \"{column}\").").format(
                               column=column_header("nuts_used"))],
                    resources=("outcomes",))


def policy_outcomes_view(dataset: Dataset, params: Mapping[str, Any], rows: RowFilter) -> DataView:
    """The numbers of the /outcomes scatter: (x, y) per region, flags, each value's own source, and a summary
    sheet (r, n, averages, caveat). The page's parser reads ``x``, ``y``, ``mode``, ``region`` strictly."""
    from dashboard.views import outcomes as ov

    check_regions(dataset, rows.regions, 0, 1, "the outcomes table (one highlighted region)")
    asked = {k: v for k, v in params.items() if k not in REGION_KEYS}
    st, _errors = ov.parse_outcomes_query({**asked, "region": list(rows.regions)}, dataset, strict=True)
    view = ov.outcomes_view(dataset, st)
    frame = view.table.rename(columns={"name": "name_en", "x": st.x, "y": st.y, "value_source": "outcome_source"})
    frame = round_scores(frame, [st.x])
    summary = pd.DataFrame([
        {"item": _("Governance dimension (x)"), "value": view.x_label},
        {"item": _("Outcome (y)"), "value": f"{view.y_label} ({view.y_unit}; {view.direction})"},
        {"item": _("Pearson's r"), "value": "" if view.r is None else round(view.r, 4)},
        {"item": _("n (regions with both values)"), "value": view.n},
        {"item": _("Average of x over those regions"), "value": "" if view.x_mean is None else round(view.x_mean, 2)},
        {"item": _("Average of y over those regions"), "value": "" if view.y_mean is None else round(view.y_mean, 2)},
        {"item": _("In words"), "value": ov.r_text(view)},
        {"item": _("Caveat"), "value": view.caveat},
    ])
    stem = f"mipexr-policy-outcomes-{slug(st.x)}-{slug(st.y)}" + ("-gap" if st.mode == "gap" else "")
    filters = [f"x = {st.x}", f"y = {st.y}", _("mode = {mode}").format(mode=st.mode)]
    if st.region:
        filters.append(_("highlighted region = {region}").format(region=st.region))
    return DataView("policy-outcomes", {"policy-outcomes": frame, "summary": summary},
                    _("Policy and outcomes: {title}").format(title=view.title), stem, "; ".join(filters),
                    scale=_("{x}: score 0–100; {y}: {unit}").format(x=view.x_label, y=view.y_label, unit=view.y_unit),
                    columns={st.x: _("{dimension} (governance score 0–100)").format(dimension=view.x_label),
                             st.y: _("{outcome} ({unit}), latest year with a value").format(outcome=view.y_label,
                                                                                           unit=view.y_unit),
                             "year": _("year of the outcome value"),
                             "nuts_used": _("NUTS unit the outcome value is for"),
                             "proxy": _("the value is that of an enclosing unit"),
                             "national": _("the value is a national figure (published only for the whole country)"),
                             "illustrative": _("the outcome value is generated, not a Eurostat figure"),
                             "highlighted": _("the region highlighted on the chart"),
                             "outcome_source": _("where this outcome value comes from")},
                    notes=[ov.r_text(view), view.caveat,
                           _("The XLSX has a 'summary' sheet with r, n and the averages.")
                           if i18n.current() == i18n.DEFAULT else
                           _("The XLSX has a summary sheet with r, n and the averages.")],
                    sources={_("Source (governance scores)"): view.governance_source,
                             _("Source (outcomes)"): view.outcomes_source},
                    illustrative=view.illustrative,
                    headers={st.x: _plain(view.x_label), st.y: _plain(view.y_label)})


def answers_view(dataset: Dataset, params: Mapping[str, Any], rows: RowFilter) -> DataView:
    frame = rows.keep(dataset, dataset.answers.copy()).merge(dataset.framework[FRAMEWORK_COLUMNS],
                                                             on="indicator_id", how="left")
    frame.insert(1, "name_en", frame["region_id"].map(region_names(dataset)))
    return DataView("answers", {"answers": frame.reset_index(drop=True)}, _("MIPEX-R indicator answers"),
                    "mipexr-answers", rows.describe(),
                    scale=_("Answers 0–100 (three-option items: 0 = no, 50 = occasionally, 100 = systematically); "
                            "empty = not answered"), resources=("answers", "framework"))


def framework_view(dataset: Dataset, params: Mapping[str, Any], rows: RowFilter) -> DataView:
    return DataView("framework", {"framework": dataset.framework.copy()},
                    _("MIPEX-R questionnaire (governance indicators)"), "mipexr-framework", None,
                    scale=_("Each indicator is answered on 0–100"), resources=("framework",))


def full_view(dataset: Dataset, params: Mapping[str, Any], rows: RowFilter) -> DataView:
    """Every resource, all rows (the row filters do not apply)."""
    sheets = {
        "scores": round_scores(dataset.scores_table().reset_index(), list(scoring.DIMENSIONS)),
        "regions": dataset.regions.copy(),
        "answers": dataset.answers.merge(dataset.framework[FRAMEWORK_COLUMNS], on="indicator_id", how="left"),
        "outcomes": dataset.outcomes.copy(),
        "framework": dataset.framework.copy(),
    }
    return DataView("full", sheets, _("MIPEX-R Explorer: the full dataset"), "mipexr-full",
                    _("none (the full dataset)"),
                    columns={"group": _(GROUP_MEANING), **dimension_columns()},
                    notes=[_("The CSV holds the scores sheet; the XLSX holds every part of the dataset.")],
                    resources=("scores", "answers", "outcomes", "framework"))


View = Callable[[Dataset, Mapping[str, Any], RowFilter], DataView]
VIEWS: dict[str, View] = {
    "scores": scores_view,
    "ranking": ranking_view,
    "map": map_view,
    "region": region_view,
    "compare": compare_view,
    "explore": explore_table_view,
    "outcomes": outcomes_view,
    "policy-outcomes": policy_outcomes_view,
    "answers": answers_view,
    "framework": framework_view,
    "full": full_view,
}


def data_view(dataset: Dataset, view: str, params: Mapping[str, Any] | None = None) -> DataView:
    """The rows and columns a page shows, as DataFrames, filtered by ``params`` (URL query keys).

    Raises :class:`~dashboard.errors.UnknownOption` naming an unknown view, region, country, group, measure,
    axis or sort. The shared row filters are checked for every view (also where a view ignores them).
    """
    params = params or {}
    name = (view or "scores").strip().lower()
    if name not in VIEWS:
        raise UnknownOption(f"unknown view {name!r}; expected one of: {', '.join(VIEWS)}")
    choice = editions.from_params(dataset, params, strict=True)
    dataset = editions.shown(dataset, choice)
    dv = VIEWS[name](dataset, params, RowFilter.from_params(dataset, params))
    if choice.several and "scores" in dv.resources and name != "full" or choice.since is not None:
        dv.title = _("{title} (edition {edition})").format(title=dv.title, edition=choice.edition)
        dv.filters = "; ".join(filter(None, [dv.filters, _("edition = {edition}").format(edition=choice.edition)]))
    if choice.since is not None:
        _with_change(dataset, dv, choice.since)
    return dv


def _with_change(dataset: Dataset, dv: DataView, since: int) -> None:
    """Add the change since an earlier edition to the views that show it on screen (region, compare, map,
    ranking): the earlier score and the change in points; other views are unchanged."""
    then = dataset.with_edition(since).wide_scores
    change_col, then_col = f"change_since_{since}", f"score_{since}"
    meaning = _("score of edition {edition} minus the score of edition {since}, in points").format(
        edition=dataset.edition, since=since)
    frame = dv.table
    if dv.name in ("region", "map", "ranking"):
        if dv.name == "region":
            rid = frame["region_id"].iloc[0]
            frame[then_col] = [then.at[rid, d] if rid in then.index else float("nan") for d in frame["dimension"]]
        else:
            measure = frame["measure"].iloc[0] if len(frame) else "overall"
            frame[then_col] = frame["region_id"].map(then[measure])
        frame[change_col] = frame["score"] - frame[then_col]
        added = {then_col: _("score 0–100 in edition {since}").format(since=since), change_col: meaning}
    elif dv.name == "compare":
        from dashboard.views.compare import change_columns

        ids = [c for c in frame.columns if c in then.index]
        extra = change_columns(dataset, ids, since)
        frame = pd.concat([frame, extra], axis=1)
        added = {c: _("{region}: {meaning}").format(region=region_names(dataset)[c[:-len('_change')]],
                                                     meaning=meaning) for c in extra.columns}
    else:
        return
    round_scores(frame, list(added))
    dv.sheets[next(iter(dv.sheets))] = frame
    dv.filters = "; ".join(filter(None, [dv.filters, _("since = {since}").format(since=since)]))
    dv.columns = {**dv.columns, **added}
    if dv.name == "compare":
        headers = {c: _("{region}: change since {since} (points)").format(region=c[:-len("_change")], since=since)
                   for c in added}
    else:
        headers = {then_col: _("Score in edition {since}").format(since=since),
                   change_col: _("Change since {since} (points)").format(since=since)}
    dv.headers = {**dv.headers, **headers}


def link_params(dataset: Dataset, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """The view parameters of a data request in canonical form, for the file's "view" link
    (:func:`dashboard.export.links.view_link`): regions resolved to the dataset's ids, measure as a dimension
    key, countries upper-case, policy areas in display order, one value per one-value key (the first of a
    repeated key, as the pages read it). Lenient: a value no view could use is left out of the link (the
    view itself has already refused it); keys no page reads (``bust``, ``utm_…``) never get in."""
    params = params or {}
    regions, _unknown = parse_regions(many(params, REGION_KEYS), dataset.resolve_region)
    known_countries = set(dataset.regions["country"])
    countries = [c.upper() for c in many(params, COUNTRY_KEYS) if c.upper() in known_countries]
    areas = {area_key(a.lower()) for a in many(params, AREA_KEYS)}
    axis = first(params, ("axis",))
    target = first(params, ("target",))
    sort = (first(params, ("sort",)) or "").lower()
    mode = (first(params, ("mode",)) or "").lower()
    choice = editions.from_params(dataset, params, strict=False)
    return {
        **choice.params(),
        "regions": regions,
        "measure": measure_key(first(params, MEASURE_KEYS)),
        "countries": list(dict.fromkeys(countries)),
        "axis": axis if axis in scoring.AXES or axis == "all" else None,
        "areas": [a for a in scoring.AREAS if a in areas],
        "target": "all" if (target or "").lower() == "all" else target_key(target),
        "sort": sort if sort in fx.SORTS else None,
        "x": measure_key(first(params, ("x",))),
        "y": first(params, ("y",)),
        "mode": mode if mode in ("value", "gap") else None,
    }
