"""What the export views share (pure): strict region and country checks bound to a dataset (through the one
parser, :mod:`dashboard.query`), region names, file-name slugs and the provenance and source lines that
every table and brief quotes."""

from __future__ import annotations

import re
from collections.abc import Iterable

from dashboard import i18n, query, scoring
from dashboard.data import Dataset
from dashboard.i18n import _


def check_regions(dataset: Dataset, region_ids: Iterable[str], minimum: int = 0, maximum: int | None = None,
                  what: str = "this export") -> list[str]:
    """Strict region ids through :func:`dashboard.query.check_regions` and the dataset's registry
    (:meth:`Dataset.resolve_region`); :class:`~dashboard.errors.UnknownOption` names a bad value or count."""
    return query.check_regions(region_ids, dataset.resolve_region, minimum, maximum, what, dataset.regions["region_id"])


def check_countries(dataset: Dataset, countries: Iterable[str]) -> list[str]:
    """Strict country codes (upper case) among the dataset's countries."""
    return query.check_countries(countries, dataset.regions["country"])


def region_names(dataset: Dataset) -> dict[str, str]:
    """region_id → the region's name in the current language (:func:`dashboard.i18n.region_name`)."""
    r = dataset.regions
    return {rid: i18n.region_name(rid, en, local, country)
            for rid, en, local, country in zip(r["region_id"], r["name_en"], r["name_local"], r["country"])}


def region_countries(dataset: Dataset) -> dict[str, str]:
    """region_id → country code."""
    return dict(zip(dataset.regions["region_id"], dataset.regions["country"]))


def slug(text: str) -> str:
    """``"area:health"`` → ``"area-health"`` (file-name safe, at most 60 characters, never empty)."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:60] or "export"


def one_line(exc: BaseException) -> str:
    """An exception's message on one line, at most 300 characters."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) < 300 else text[:297] + "…"


def provenance(dataset: Dataset) -> str:
    """Where the numbers come from: the data package, published or computed scores, illustrative parts (in the
    current language; the package's title and the parts' machine names as they are)."""
    if dataset.scores_published:
        text = _("Data package '{title}'; published scores.").format(title=dataset.title)
    else:
        text = _("Data package '{title}'; scores computed by the app's documented rule (see Methodology).").format(
            title=dataset.title)
    illus = [n for n, flag in dataset.resource_illustrative.items() if flag]
    if illus:
        text += " " + _("Illustrative parts: {parts}.").format(parts=", ".join(sorted(illus)))
    return text


def sources(dataset: Dataset) -> str:
    """The MIPEX-R source line (in the current language) and every resource's own source, joined by `` | ``."""
    parts = [_(scoring.SOURCE_LINE)]
    for name, src in dataset.sources.items():
        if src and src not in parts:
            parts.append(f"{name}: {src}")
    return " | ".join(parts)
