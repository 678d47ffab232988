"""The Integration Lab screens as plain values (no Dash): what ``/lab`` shows for a filter, and one practice.

The page layouts and the callbacks both build on these, so a link and a change of filter show the same
thing. The practices come from :mod:`dashboard.lab.repository`; a database failure becomes a reason
on the view (the page then says the Lab is unavailable and the rest of the dashboard keeps working).
The map's label points come from the boundary files' GISCO label points, else :data:`FALLBACK_LABEL_POINTS`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import plotly.graph_objects as go
from sqlalchemy.exc import SQLAlchemyError

from dashboard.errors import GeoDataMissing
from dashboard.figures import lab_map
from dashboard.lab import db, repository
from dashboard.lab.repository import PracticeFilter, PracticeRecord

log = logging.getLogger(__name__)

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


@lru_cache(maxsize=4)
def _file_points(path: str, _mtime_ns: int, _size: int) -> dict[str, tuple[float, float]]:
    """NUTS id → (lon, lat) of every point in a GISCO label-point GeoJSON file."""
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    out: dict[str, tuple[float, float]] = {}
    for feature in doc.get("features") or []:
        geometry = feature.get("geometry") or {}
        rid = (feature.get("properties") or {}).get("NUTS_ID") or feature.get("id")
        if rid and geometry.get("type") == "Point":
            lon, lat = geometry["coordinates"][:2]
            out.setdefault(str(rid), (float(lon), float(lat)))
    return out


def label_points(region_ids: Iterable[str]) -> dict[str, tuple[float, float]]:
    """Region id → (lon, lat): the GISCO label point from the boundary folder (:func:`dashboard.geo.resolve_geo_dir`,
    file :data:`dashboard.geo.LABEL_POINTS_FILE`), else the fallback table; a region in neither is left out."""
    from dashboard import geo  # geopandas is only needed once a map is drawn

    try:
        path = geo.resolve_geo_dir() / geo.LABEL_POINTS_FILE
        stat = path.stat()
        found = _file_points(str(path), stat.st_mtime_ns, stat.st_size)
    except (GeoDataMissing, OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        log.info("Integration Lab map uses its fallback label points: %s", str(exc).splitlines()[0][:200])
        found = {}
    out: dict[str, tuple[float, float]] = {}
    for rid in region_ids:
        point = found.get(rid) or FALLBACK_LABEL_POINTS.get(rid)
        if point is not None:
            out[rid] = point
    return out


# --------------------------------------------------------------------------------------------
# /lab


def count_text(n: int, filters: PracticeFilter) -> str:
    noun = "practice" if n == 1 else "practices"
    return f"{n} {noun}" + (" match the filters" if not filters.is_empty else " in the Integration Lab")


def export_links(filters: PracticeFilter) -> tuple[str, str, str]:
    """(CSV href, JSON href, shareable /lab link) for the filters."""
    qs = filters.query_string()
    return f"/lab/export.csv{qs}", f"/lab/export.json{qs}", f"/lab{qs}"


def unavailable_reason(exc: Exception | None = None) -> str:
    """Why the database cannot be read: the app's start-up problem if it had one, else the error itself."""
    reason = db.startup_error()
    if reason:
        return reason
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}" if exc else "unknown error"


@dataclass(frozen=True, eq=False)
class LabView:
    """What /lab shows for ``filters``: the matching practices, their count per region and the map."""

    filters: PracticeFilter
    records: tuple[PracticeRecord, ...]
    counts: dict[str, int]
    figure: go.Figure
    error: str | None = None  # why the database could not be read (then records and counts are empty)

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
        return lab_map.SOURCE.format(count=self.count_text, filters=self.filters.query_string().lstrip("?") or "none")


def lab_view(dataset: Any, filters: PracticeFilter) -> LabView:
    """The /lab view of ``filters`` over the dataset's regions (``dataset.regions``)."""
    try:
        records = tuple(repository.search_practices(filters))
        counts = repository.counts_by_region(filters)
        error = None
    except SQLAlchemyError as exc:
        log.exception("Integration Lab query failed")
        records, counts, error = (), {}, unavailable_reason(exc)
    points = label_points(dataset.regions["region_id"])
    figure = lab_map.lab_map(dataset.regions, counts, points, filters.regions)
    return LabView(filters, records, counts, figure, error)


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
    except SQLAlchemyError as exc:
        log.exception("Integration Lab query failed")
        return PracticeView(practice_id, None, unavailable_reason(exc))
