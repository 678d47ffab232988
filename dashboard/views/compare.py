"""Compare 2–4 regions (pure): URL state → region selection → radars, bars and the table of differences.

:func:`parse_regions` (URL value → valid ids + notes), :func:`to_query`, :func:`region_options` (dropdown options
with the rest disabled once four are chosen), :func:`compare_view` (figures + table for a selection, and each
chart's text alternative: a summary sentence and, beside each axis chart, its values).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n, query, scoring
from dashboard.constants import MAX_COMPARE, MIN_COMPARE
from dashboard.data import Dataset
from dashboard.figures import compare as fc
from dashboard.figures import profile
from dashboard.i18n import N_, _
from dashboard.views.cache import BoundedCache, frozen
from dashboard.views.columns import Column
from dashboard.views.common import region_names
from dashboard.views.editions import change_label, change_wide

RADAR_AXES = ("element", "phase", "area")
DEFAULT_REGIONS = ("PT20", "PT17")  # Azores and Lisbon: the pair the published facts speak about
HINT_TEXT = N_("Choose at least {minimum} regions to compare (up to {maximum}).")
HINT = HINT_TEXT.format(minimum=MIN_COMPARE, maximum=MAX_COMPARE)  # the English note; shown through hint()


def hint() -> str:
    """The note shown while fewer than two regions are chosen, in the current language (:data:`HINT` in English)."""
    return _(HINT_TEXT).format(minimum=MIN_COMPARE, maximum=MAX_COMPARE)


def parse_regions(raw, dataset: Dataset, default: tuple[str, ...] = DEFAULT_REGIONS) -> tuple[list[str], list[str]]:
    """``"PT20,pt17,XX1"`` (or a list) → (known ids in the given order, no duplicates, at most four; notes).

    ``None`` (no ``regions`` in the URL) → ``default``. Unknown ids are dropped and named in a note; more than
    four are cut to the first four, with a note.
    """
    if raw is None:
        return [r for r in default if dataset.has_region(r)], []
    return query.parse_regions(raw, dataset.resolve_region, MAX_COMPARE, dataset.region_name)


def to_query(region_ids, editions: dict[str, str] | None = None) -> str:
    """``?regions=PT20,PT17`` (+ ``&edition=…&since=…`` when given)."""
    query = "?regions=" + ",".join(region_ids) if region_ids else "?regions="
    return query + "".join(f"&{k}={v}" for k, v in (editions or {}).items())


def region_options(dataset: Dataset, selected) -> list[dict]:
    """Dropdown options; once four regions are chosen, the others are disabled."""
    full = len(selected or []) >= MAX_COMPARE
    return [{**o, "disabled": full and o["value"] not in (selected or [])} for o in dataset.region_options()]


@dataclass
class CompareView:
    region_ids: list[str]
    notes: list[str] = field(default_factory=list)
    radars: dict[str, go.Figure] = field(default_factory=dict)
    bars: dict[str, go.Figure] = field(default_factory=dict)
    target: go.Figure | None = None
    #: text alternatives: chart key (an axis, "areas", "governance", "target") → summary sentence
    summaries: dict[str, str] = field(default_factory=dict)
    #: the values beside each axis chart (axis → DataFrame of :func:`dashboard.figures.profile.axis_table`)
    axis_tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    columns: list[Column] = field(default_factory=list)
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    edition_params: dict[str, str] = field(default_factory=dict)
    #: the earlier edition whose change the table shows (None: no change columns)
    since: int | None = None

    @property
    def ready(self) -> bool:
        return len(self.region_ids) >= MIN_COMPARE

    @property
    def search(self) -> str:
        return to_query(self.region_ids, self.edition_params)


def table_columns(dataset: Dataset, region_ids: list[str], since: int | None = None) -> list[Column]:
    """Grouped headers: scores, the average, differences from the average, differences from the first region,
    and (``since``) each region's change since that edition."""
    name = dataset.region_name
    scores, vs_avg = _("Score (0–100)"), _("Difference from the average (points)")
    cols = [Column("label", _("Dimension"))]
    cols += [Column(r, name(r), "score", scores) for r in region_ids]
    cols.append(Column(fc.AVERAGE_KEY, _(fc.AVERAGE_NAME), "score", scores))
    cols += [Column(f"{r}_vs_average", name(r), "difference", vs_avg) for r in region_ids]
    if region_ids:
        first = region_ids[0]
        vs_first = _("Difference from {region} (points)").format(region=name(first))
        cols += [Column(f"{r}_vs_{first}", name(r), "difference", vs_first) for r in region_ids[1:]]
    if since is not None:
        group = _("{change} (points)").format(change=change_label(since))
        cols += [Column(f"{r}_change", name(r), "difference", group) for r in region_ids]
    return cols


def change_columns(dataset: Dataset, region_ids: list[str], since: int) -> pd.DataFrame:
    """``<id>_change`` per region, one row per dimension (display order): the score of the edition shown minus
    the score of ``since``, in points."""
    change = change_wide(dataset, dataset.edition, since)
    dims = list(scoring.DIMENSIONS)
    return pd.DataFrame({f"{r}_change": [change.at[r, d] for d in dims] for r in region_ids})


#: The charts, texts and table of a selection per (dataset fingerprint, regions, ``since``, language): shared data
#: only (``cache=True``); the figures and tables in it are shared by every request: never change them.
VIEWS = BoundedCache(64)


def compare_view(dataset: Dataset, region_ids, notes: list[str] | None = None, since: int | None = None,
                 edition_params: dict[str, str] | None = None, cache: bool = False) -> CompareView:
    """Figures and table for the selection (cut to four, unknown ids dropped); only the hint when fewer than two.

    ``dataset`` shows the chosen edition; ``since`` (another edition) adds each region's change columns;
    ``edition_params`` are the URL keys of the choice (kept in :attr:`CompareView.search`). ``cache`` (shared
    data only) keeps the charts and table of the selection (:data:`VIEWS`) for the next request: the returned
    view's figures, tables and dicts are then shared, read-only."""
    ids_in, extra = parse_regions(list(region_ids or []), dataset)
    view = CompareView(ids_in, list(notes or []) + extra, edition_params=dict(edition_params or {}), since=since)
    if not view.ready:
        view.notes.append(hint())
        return view
    def build() -> CompareView:
        charts = _charts(dataset, ids_in, since)
        if cache:  # kept: each figure's JSON made once (views.cache.frozen)
            frozen([*charts.radars.values(), *charts.bars.values(), charts.target])
        return charts

    built = VIEWS.get((dataset.fingerprint, tuple(ids_in), since, i18n.current()), build, cache)
    return replace(built, region_ids=ids_in, notes=view.notes, edition_params=view.edition_params)


def _charts(dataset: Dataset, ids_in: list[str], since: int | None) -> CompareView:
    """:func:`compare_view`'s charts, texts and table of a valid selection (no notes, no URL keys)."""
    view = CompareView(list(ids_in), since=since)
    wide = dataset.wide_scores
    names = region_names(dataset)
    src = dataset.source_line
    for axis in RADAR_AXES:  # a radar with four or more spokes, else bars (never a bare triangle)
        view.radars[axis] = profile.axis_chart(wide, ids_in, axis, src, names=names,
                                               title=f"{scoring.AXIS_LABELS[axis]} (0–100)", height=460)
        view.summaries[axis] = profile.axis_summary(wide, ids_in, axis, names)
        view.axis_tables[axis] = profile.axis_table(wide, ids_in, axis, names)
    for key, (title, dims) in fc.BAR_GROUPS.items():
        view.bars[key] = fc.compare_bars(wide, ids_in, src, dimensions=dims, names=names, title=f"{_(title)} (0–100)")
        view.summaries[key] = fc.bars_summary(wide, ids_in, dims, names)
    view.target = profile.target_bars(wide, ids_in, src, names=names,
                                      title=_("Target population: TCN and BIP (0–100)"))
    view.summaries["target"] = profile.axis_summary(wide, ids_in, "target", names)
    view.axis_tables["target"] = profile.axis_table(wide, ids_in, "target", names)
    view.columns = table_columns(dataset, ids_in, since)
    table = fc.compare_table(wide, ids_in)
    if since is not None:
        table = pd.concat([table, change_columns(dataset, ids_in, since)], axis=1)
    view.table = table.round(1)
    return view
