"""The Integration Lab screens as plain values (no Dash): what ``/lab`` shows for a filter, and one practice.

The page layouts and the callbacks both build on these, so a link and a change of filter show the same
thing. The practices come from :mod:`dashboard.lab.repository`; a database failure becomes
:data:`dashboard.lab.db.UNAVAILABLE` on the view (the page then says so, the rest of the dashboard keeps
working; the details go to the log, never to the page). The map shows the dataset's (MIPEX-R) regions
and every other NUTS region with a matching practice (or chosen in the filter), at its label point from
the boundary files (:mod:`dashboard.lab.nuts`), else :data:`FALLBACK_LABEL_POINTS` for the 25.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.figures import lab_map
from dashboard.i18n import N_, _, ngettext
from dashboard.lab import db, nuts, repository
from dashboard.lab.repository import PracticeFilter, PracticeRecord
from dashboard.lab.vocab import Regions
from dashboard.views.cache import BoundedCache, frozen

log = logging.getLogger(__name__)

#: :data:`dashboard.lab.db.UNAVAILABLE`, marked here for the catalogs (views and pages show ``_(view.error)``).
UNAVAILABLE_MSGID = N_("The practices database is unavailable.")

#: GISCO NUTS 2021 label points (lon, lat) of the 25 MIPEX-R regions, used when the boundary files cannot
#: be read (source: GISCO NUTS_LB_2021_4326).
FALLBACK_LABEL_POINTS: dict[str, tuple[float, float]] = {
    "AT13": (16.393, 48.203), "AT34": (9.885, 47.237), "AT33": (10.764, 47.181),
    "BE2": (4.985, 51.101), "BE3": (4.825, 50.459),
    "DE80": (12.467, 53.714), "DE2": (11.421, 48.947), "DE30": (13.402, 52.501),
    "ITF3": (14.737, 41.039), "ITH5": (11.03, 44.522), "ITH4": (13.05, 46.166),
    "ITF4": (16.585, 41.004), "ITH3": (11.855, 45.661), "ITH2": (10.859, 46.131),
    "ITH1": (11.424, 46.705),
    "PT20": (-25.366, 37.785), "PT17": (-8.888, 38.622),
    "ES51": (1.508, 41.8), "ES62": (-1.491, 38.0), "ES22": (-1.651, 42.712),
    "ES21": (-2.586, 43.065), "ES52": (-0.54, 39.395), "ES64": (-2.951, 35.297),
    "SE224": (13.628, 55.962), "SE232": (12.993, 57.989),
}


# --------------------------------------------------------------------------------------------
# label points


def label_points(region_ids: Iterable[str]) -> dict[str, tuple[float, float]]:
    """Region id → (lon, lat): the unit's label point from the boundary files (:func:`dashboard.lab.nuts.units`:
    GISCO's label point, or a point inside a NUTS 2024 region), else the fallback table of the 25; a region
    in neither is left out."""
    try:
        found = nuts.units()
    except nuts.NutsUnavailable as exc:
        log.info("Integration Lab map uses its fallback label points: %s", str(exc)[:200])
        found = {}
    out: dict[str, tuple[float, float]] = {}
    for rid in region_ids:
        unit = found.get(rid)
        point = (unit.point if unit is not None else None) or FALLBACK_LABEL_POINTS.get(rid)
        if point is not None:
            out[rid] = point
    return out


def map_regions(regions: Regions, counts: dict[str, int], selected: Iterable[str] = ()) -> pd.DataFrame:
    """The regions the Lab map shows: the dataset's (``mipex`` True) and every other region with a practice
    counted or chosen in the filter. Columns ``region_id, name_en, name, country_name, mipex``: ``name`` and
    ``country_name`` as shown in the current language (local names where the language is the region's own)."""
    rows = [(r.region_id, r.name_en, r.shown_name, r.shown_country, True) for r in regions.by_id.values()]
    seen = set(regions.by_id)
    for rid in [*counts, *selected]:
        reg = regions.get(rid)
        if rid in seen or reg is None:
            continue
        seen.add(rid)
        rows.append((rid, reg.name_en, reg.shown_name, reg.shown_country, False))
    return pd.DataFrame(rows, columns=["region_id", "name_en", "name", "country_name", "mipex"])


#: The regions a dataset offers the Lab (its own and the other NUTS units of the boundary files), per dataset
#: fingerprint: language-free (names are chosen when shown), for the shared data only.
_REGIONS = BoundedCache(4)


def dataset_regions(dataset: Any, cache: bool = False) -> Regions:
    """:meth:`Regions.from_dataset` of ``dataset``, kept per fingerprint with ``cache``. Callers must not
    change it."""
    return _REGIONS.get(dataset.fingerprint, lambda: Regions.from_dataset(dataset), store=cache)


# --------------------------------------------------------------------------------------------
# /lab


def count_text(n: int, filters: PracticeFilter) -> str:
    """"2 practices match the filters" / "17 practices in the Integration Lab", in the current language."""
    if not filters.is_empty:
        return ngettext("{n} practice matches the filters", "{n} practices match the filters", n).format(n=n)
    return ngettext("{n} practice in the Integration Lab", "{n} practices in the Integration Lab", n).format(n=n)


def export_links(filters: PracticeFilter) -> tuple[str, str, str]:
    """(CSV href, JSON href, shareable /lab link) for the filters."""
    qs = filters.query_string()
    return f"/lab/export.csv{qs}", f"/lab/export.json{qs}", f"/lab{qs}"


def unavailable_reason(exc: BaseException | None = None) -> str:
    """What a visitor is told when the database cannot be read: :data:`dashboard.lab.db.UNAVAILABLE`, never
    the error itself (which may name the host, port, user or database; it is logged by the caller)."""
    return db.UNAVAILABLE


@dataclass(frozen=True, eq=False)
class LabView:
    """What /lab shows for ``filters``: the matching practices, their count per region and the map."""

    filters: PracticeFilter
    records: tuple[PracticeRecord, ...]
    counts: dict[str, int]
    figure: go.Figure
    error: str | None = None  # the plain "unavailable" sentence, in English (shown as ``_(error)``)
    region_ids: tuple[str, ...] = ()  # the regions the filter may offer: the dataset's and those with practices

    @property
    def count_text(self) -> str:
        return count_text(len(self.records), self.filters)

    @property
    def links(self) -> tuple[str, str, str]:
        """(CSV href, JSON href, shareable /lab link)."""
        return export_links(self.filters)

    @property
    def illustrative(self) -> bool:
        """Whether an illustrative practice is counted (the map image is then marked illustrative)."""
        return any(r.illustrative for r in self.records)

    @property
    def map_source(self) -> str:
        return _(lab_map.SOURCE).format(count=self.count_text,
                                        filters=self.filters.query_string().lstrip("?") or _("none"))


#: The Lab map per (dataset fingerprint, language, practices counted per region, regions chosen): made from
#: what the database answered to this very request, so a new practice (a new count) makes a new map on every
#: worker; the practices themselves are read afresh each time. Kept for the shared data only.
_MAPS = BoundedCache(64)


def lab_figure(dataset: Any, regions: Regions, counts: dict[str, int], selected: Iterable[str],
               cache: bool = False) -> go.Figure:
    """The Lab map of ``counts`` (region id → matching practices) with ``selected`` highlighted; with
    ``cache`` kept per (dataset fingerprint, language, counts, selection). Callers must not change it."""
    selected = tuple(selected)

    def build() -> go.Figure:
        shown = map_regions(regions, counts, selected)
        figure = lab_map.lab_map(shown, counts, label_points(shown["region_id"]), selected)
        return frozen(figure) if cache else figure  # kept: its JSON made once (views.cache.frozen)

    key = (dataset.fingerprint, i18n.current(), tuple(counts.items()), selected)
    return _MAPS.get(key, build, store=cache)


def lab_view(dataset: Any, filters: PracticeFilter, regions: Regions | None = None, cache: bool = False) -> LabView:
    """The /lab view of ``filters`` over ``regions`` (default: built from ``dataset``); ``cache``: the map may
    be kept (:func:`lab_figure`; the shared data only, the practices are always read afresh)."""
    regions = regions if regions is not None else Regions.from_dataset(dataset)
    try:
        records = tuple(repository.search_practices(filters))
        counts = repository.counts_by_region(filters)
        with_practices = repository.practice_regions()
        error = None
    except db.DB_ERRORS as exc:
        log.error("Integration Lab query failed (database %s)", db.redact(), exc_info=exc)
        records, counts, with_practices, error = (), {}, [], unavailable_reason(exc)
    figure = lab_figure(dataset, regions, counts, filters.regions, cache)
    offered = tuple(dict.fromkeys([*regions.by_id, *with_practices, *filters.regions]))
    return LabView(filters, records, counts, figure, error, tuple(r for r in offered if r in regions))


# --------------------------------------------------------------------------------------------
# /lab/<id>


@dataclass(frozen=True)
class PracticeView:
    """One published practice (``record``), or None when there is none with that id; ``error`` when the
    database could not be read."""

    practice_id: Any
    record: PracticeRecord | None
    error: str | None = None


def practice_view(practice_id: Any) -> PracticeView:
    try:
        return PracticeView(practice_id, repository.get_practice(practice_id))
    except repository.PracticeNotFound:
        return PracticeView(practice_id, None)
    except db.DB_ERRORS as exc:
        log.error("Integration Lab query failed (database %s)", db.redact(), exc_info=exc)
        return PracticeView(practice_id, None, unavailable_reason(exc))
