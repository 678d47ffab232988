"""The Integration Lab's plain records: a practice as the rest of the app sees it (:class:`PracticeRecord`),
what a list shows (:class:`PracticeFilter`, read from and written to URL query keys), and
:class:`PracticeNotFound`. No database access here; :mod:`dashboard.lab.repository` fills them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from dashboard.lab.vocab import (
    ASPECTS,
    ILLUSTRATIVE_BADGE,
    KIND_CONTRIBUTED,
    KIND_ILLUSTRATIVE,
    KIND_SOURCE,
    POLICY_AREAS,
    SOURCE_BADGE,
    TARGET_GROUPS,
    Regions,
    contributed_badge,
)
from dashboard.query import one, parse_regions, split_values


class PracticeNotFound(LookupError):
    """No practice with that id (or not visible to the caller)."""

    def __init__(self, practice_id: Any):
        self.practice_id = practice_id
        super().__init__(f"no practice with id {practice_id!r}")


@dataclass(frozen=True)
class PracticeRecord:
    """One practice as the rest of the app sees it."""

    id: int
    title: str
    region_id: str
    country: str
    year_start: int | None
    year_end: int | None
    policy_areas: tuple[str, ...]
    target_group: str
    responsible_body: str
    description: str
    regional_contribution: str
    contribution_mode: str
    lessons_learnt: str
    transferability_tips: str
    aspects: dict[str, dict[str, str]]  # aspect key → {"inspiring": …, "improvement": …}, all 7 keys
    links: tuple[str, ...]
    provenance: str
    illustrative: bool
    language: str
    status: str
    review_note: str
    created_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    seed_key: str | None = None
    submitter_name: str = field(default="", repr=False)
    submitter_email: str = field(default="", repr=False)
    submitter_organisation: str = ""

    @property
    def years_label(self) -> str:
        if self.year_start is None and self.year_end is None:
            return "year not stated"
        if self.year_end is None:
            return f"since {self.year_start}"
        if self.year_start is None or self.year_start == self.year_end:
            return str(self.year_end)
        return f"{self.year_start}–{self.year_end}"

    @property
    def path(self) -> str:
        return f"/lab/{self.id}"

    @property
    def kind(self) -> str:
        """``"illustrative"`` (invented seed example), ``"source-based"`` (seed restating the REGIN pages) or
        ``"contributed"`` (sent through the form by a visitor; shown once a moderator approved it)."""
        if self.illustrative:
            return KIND_ILLUSTRATIVE
        return KIND_SOURCE if self.seed_key else KIND_CONTRIBUTED

    @property
    def badge(self) -> str:
        """The badge text of :attr:`kind`: "Illustrative", "Source-based" or "Contributed by <organisation>"."""
        if self.kind == KIND_CONTRIBUTED:
            return contributed_badge(self.submitter_organisation)
        return ILLUSTRATIVE_BADGE if self.kind == KIND_ILLUSTRATIVE else SOURCE_BADGE

    def aspects_with_inspiring(self) -> list[str]:
        return [k for k in ASPECTS if self.aspects.get(k, {}).get("inspiring")]

    def to_public_dict(self, regions: Regions) -> dict[str, Any]:
        """The practice as exported (no submitter name/e-mail); region and country names from ``regions``."""
        return {
            "id": self.id,
            "title": self.title,
            "region_id": self.region_id,
            "region_name": regions.name(self.region_id),
            "country": self.country,
            "country_name": regions.country_name(self.country),
            "year_start": self.year_start,
            "year_end": self.year_end,
            "policy_areas": list(self.policy_areas),
            "target_group": self.target_group,
            "responsible_body": self.responsible_body,
            "description": self.description,
            "regional_contribution": self.regional_contribution,
            "contribution_mode": self.contribution_mode,
            "lessons_learnt": self.lessons_learnt,
            "transferability_tips": self.transferability_tips,
            "aspects": {
                key: {
                    "label": label,
                    "inspiring": self.aspects.get(key, {}).get("inspiring", ""),
                    "improvement": self.aspects.get(key, {}).get("improvement", ""),
                }
                for key, label in ASPECTS.items()
            },
            "links": list(self.links),
            "provenance": self.provenance,
            "kind": self.kind,
            "badge": self.badge,
            "illustrative": self.illustrative,
            "contributed_by_organisation": self.submitter_organisation if self.kind == KIND_CONTRIBUTED else "",
            "language": self.language,
            "status": self.status,
            "created_at": _iso(self.created_at),
            "reviewed_at": _iso(self.reviewed_at),
            "path": self.path,
        }


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


@dataclass(frozen=True)
class PracticeFilter:
    """What the list shows: OR within one facet, AND across facets. Empty facet = no restriction.

    ``aspects`` keeps practices with an "inspiring element" on any of the chosen aspects; ``text``
    is a full-text search (every word must occur, accents and case ignored). ``status`` is
    ``approved`` for the public views (``"any"`` for moderators).
    """

    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    policy_areas: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    aspects: tuple[str, ...] = ()
    text: str = ""
    status: str = "approved"
    illustrative: bool | None = None

    QUERY_KEYS = {
        "regions": "region",
        "countries": "country",
        "policy_areas": "area",
        "target_groups": "target",
        "aspects": "aspect",
        "text": "q",
    }

    @classmethod
    def from_query(cls, query: Mapping[str, Any] | None, *, regions: Regions) -> PracticeFilter:
        """From URL query values (``region``, ``country``, ``area``, ``target``, ``aspect``, ``q``).

        Read with the app's one parser (:mod:`dashboard.query`): list values may be comma-separated or
        repeated, a repeated ``q`` takes its first value, a region may be typed as any code or name
        ``regions`` resolves. Unknown keys and unknown values are ignored, so a stale or hand-edited link
        still opens.
        """
        query = query or {}
        region_ids, _notes = parse_regions(query.get("region"), regions.resolve)
        countries = dict.fromkeys(v.upper() for v in split_values(query.get("country")))
        return cls(
            regions=tuple(region_ids),
            countries=tuple(c for c in countries if c in regions.countries),
            policy_areas=tuple(v for v in split_values(query.get("area")) if v in POLICY_AREAS),
            target_groups=tuple(v for v in split_values(query.get("target")) if v in TARGET_GROUPS),
            aspects=tuple(v for v in split_values(query.get("aspect")) if v in ASPECTS),
            text=(one(query.get("q")) or "")[:200],
        )

    def to_query(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for attr, key in self.QUERY_KEYS.items():
            value = getattr(self, attr)
            if isinstance(value, tuple):
                if value:
                    out[key] = ",".join(value)
            elif value and value.strip():
                out[key] = value.strip()
        return out

    def query_string(self) -> str:
        q = self.to_query()
        return ("?" + urlencode(q)) if q else ""

    @property
    def is_empty(self) -> bool:
        return not self.to_query()
