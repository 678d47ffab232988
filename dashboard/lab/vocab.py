"""Controlled vocabularies of the Integration Lab (keys stored in the database → plain-English labels),
and :class:`Regions`, the regions a practice may belong to, handed down by the caller from the app's dataset."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from dashboard.scoring import AREAS, LABELS, TARGETS

#: Policy areas: the eight MIPEX-R areas (labels as the dashboard's) plus ``general`` for cross-cutting practices.
POLICY_AREAS: dict[str, str] = {**{a: LABELS[a] for a in AREAS}, "general": "General / cross-cutting"}

#: Target groups: third-country nationals, beneficiaries of international protection, or both.
TARGET_GROUPS: dict[str, str] = {**{t: LABELS[t] for t in TARGETS}, "both": "Both TCN and BIP"}

#: The 7 aspects of the REGIN evaluation guidelines, in their published order.
ASPECTS: dict[str, str] = {
    "communication": "Communication",
    "inclusion": "Inclusion",
    "innovation": "Innovation",
    "multilevel_governance": "Multi-level governance",
    "multistakeholder": "Multi-stakeholder approach",
    "monitoring_evaluation": "Monitoring & evaluation",
    "sustainability": "Sustainability",
}

#: How the regional authority contributed: directly, through social actors, or both.
CONTRIBUTION_MODES: dict[str, str] = {
    "direct": "Directly (the regional authority itself)",
    "social_actors": "Through social actors (NGOs, social partners, municipalities …)",
    "both": "Both directly and through social actors",
}

#: The languages the original contribution questionnaire was offered in.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "it": "Italian",
    "el": "Greek",
    "pt": "Portuguese",
    "sv": "Swedish",
}

STATUSES: tuple[str, ...] = ("pending", "approved", "rejected")

ILLUSTRATIVE_BADGE = "Illustrative"
ILLUSTRATIVE_NOTE = (
    "Practices marked “Illustrative” are invented examples written for this demo; they are not "
    "documented REGIN practices. Practices marked “Source-based” restate, in our own words, facts "
    "from the REGIN project pages (source given on each practice)."
)


def area_label(key: str) -> str:
    return POLICY_AREAS.get(key, key)


def target_label(key: str) -> str:
    return TARGET_GROUPS.get(key, key)


def target_matches(filter_value: str) -> tuple[str, ...]:
    """Stored target-group values that a filter value selects (``TCN`` also selects ``both``)."""
    if filter_value == "TCN":
        return ("TCN", "both")
    if filter_value == "BIP":
        return ("BIP", "both")
    return (filter_value,)


# --------------------------------------------------------------------------------------------
# regions


@dataclass(frozen=True)
class Region:
    """One region a practice may belong to (plain values from the dataset's ``regions`` table)."""

    region_id: str
    name_en: str
    name_local: str
    country: str
    country_name: str

    @property
    def label(self) -> str:
        """``"Catalonia (Cataluña)"``; the English name alone when the local one is the same."""
        if self.name_local and self.name_local != self.name_en:
            return f"{self.name_en} ({self.name_local})"
        return self.name_en


def _text(value: Any) -> str:
    return "" if value is None or value != value else str(value).strip()  # None and NaN → ""


@dataclass(frozen=True, eq=False)
class Regions:
    """The regions a practice may belong to, as plain values handed down by the caller.

    The Lab never reads the regions file itself: callers build this from the app's one region registry,
    :meth:`from_dataset` (names and countries from ``dataset.regions``; a typed region — NUTS 2021 id, NUTS
    2024 code, English or local name — resolved by ``dataset.resolve_region``).
    """

    by_id: Mapping[str, Region]  # in the dataset's order
    resolver: Callable[[str], str | None]

    @classmethod
    def from_dataset(cls, dataset: Any) -> Regions:
        """From a :class:`dashboard.data.Dataset` (its ``regions`` table and ``resolve_region``)."""
        by_id = {}
        for row in dataset.regions.to_dict("records"):
            rid = _text(row.get("region_id"))
            by_id[rid] = Region(rid, _text(row.get("name_en")) or rid, _text(row.get("name_local")),
                                _text(row.get("country")), _text(row.get("country_name")))
        return cls(by_id, dataset.resolve_region)

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_id)

    def __contains__(self, region_id: object) -> bool:
        return region_id in self.by_id

    def __len__(self) -> int:
        return len(self.by_id)

    def get(self, region_id: str) -> Region | None:
        return self.by_id.get(region_id)

    def resolve(self, value: Any) -> str | None:
        """A region as typed → its id; None when it is not one of these regions."""
        if value is None or not str(value).strip():
            return None
        rid = self.resolver(str(value))
        return rid if rid in self.by_id else None

    def name(self, region_id: str) -> str:
        """English name (the id itself for a region no longer in the data)."""
        reg = self.by_id.get(region_id)
        return reg.name_en if reg else region_id

    def label(self, region_id: str) -> str:
        reg = self.by_id.get(region_id)
        return reg.label if reg else region_id

    def country_of(self, region_id: str) -> str:
        reg = self.by_id.get(region_id)
        return reg.country if reg else ""

    @cached_property
    def countries(self) -> dict[str, str]:
        """Country code → country name, sorted by name."""
        out: dict[str, str] = {}
        for reg in self.by_id.values():
            out.setdefault(reg.country, reg.country_name or reg.country)
        return dict(sorted(out.items(), key=lambda kv: kv[1]))

    def country_name(self, country: str) -> str:
        return self.countries.get(country, country)
