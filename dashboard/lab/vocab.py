"""Controlled vocabularies of the Integration Lab (keys stored in the database → plain-English labels),
and :class:`Regions`, the regions a practice may belong to, handed down by the caller from the app's dataset."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from dashboard import i18n
from dashboard.i18n import N_
from dashboard.scoring import AREAS, LABELS, TARGETS

log = logging.getLogger(__name__)

class Vocabulary(i18n.Labels, dict):
    """A controlled vocabulary: stored key → ``N_``-marked English label, answering in the current language
    (``POLICY_AREAS["health"]`` is "Hälsa" in a Swedish request; ``.english(key)`` gives the source text).

    An :class:`i18n.Labels` that is also a ``dict`` holding the English labels, so the tables still go into
    ``json.dumps`` (then in the current language, like everything else a request answers) and stay usable
    wherever a plain dict of labels was expected."""

    def __init__(self, source: Mapping[str, str] | None = None, /, **more: str):
        i18n.Labels.__init__(self, source, **more)
        dict.update(self, self._source)

    def get(self, key: Any, default: Any = None) -> Any:
        return self[key] if key in self._source else default

    def keys(self):
        return Mapping.keys(self)

    def items(self):
        return Mapping.items(self)

    def values(self):
        return Mapping.values(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    __hash__ = object.__hash__


#: Policy areas: the eight MIPEX-R areas (labels as the dashboard's) plus ``general`` for cross-cutting practices.
POLICY_AREAS = Vocabulary({**{a: LABELS.english(a) for a in AREAS}, "general": N_("General / cross-cutting")})

#: Target groups: third-country nationals, beneficiaries of international protection, or both.
TARGET_GROUPS = Vocabulary({**{t: LABELS.english(t) for t in TARGETS}, "both": N_("Both TCN and BIP")})

#: The 7 aspects of the REGIN evaluation guidelines, in their published order.
ASPECTS = Vocabulary({
    "communication": N_("Communication"),
    "inclusion": N_("Inclusion"),
    "innovation": N_("Innovation"),
    "multilevel_governance": N_("Multi-level governance"),
    "multistakeholder": N_("Multi-stakeholder approach"),
    "monitoring_evaluation": N_("Monitoring & evaluation"),
    "sustainability": N_("Sustainability"),
})

#: How the regional authority contributed: directly, through social actors, or both.
CONTRIBUTION_MODES = Vocabulary({
    "direct": N_("Directly (the regional authority itself)"),
    "social_actors": N_("Through social actors (NGOs, social partners, municipalities …)"),
    "both": N_("Both directly and through social actors"),
})

#: The languages the contribution questionnaire is offered in, each named in its own language (the app's
#: eight languages, :data:`dashboard.i18n.LANGUAGES`; the same in every language, as a language switch is).
LANGUAGES: dict[str, str] = dict(i18n.LANGUAGES)

STATUSES: tuple[str, ...] = ("pending", "approved", "rejected")

#: The three kinds of practice, each with its own badge (``PracticeRecord.kind``).
KIND_ILLUSTRATIVE = "illustrative"
KIND_SOURCE = "source-based"
KIND_CONTRIBUTED = "contributed"
KINDS: tuple[str, ...] = (KIND_SOURCE, KIND_CONTRIBUTED, KIND_ILLUSTRATIVE)

#: Badge texts (English source; :func:`badge_text` shows them in the current language).
ILLUSTRATIVE_BADGE = N_("Illustrative")
SOURCE_BADGE = N_("Source-based")
UNNAMED_CONTRIBUTOR = N_("a visitor")
CONTRIBUTED_BADGE = N_("Contributed by {organisation}")

#: The kinds of practice by their badge, in the current language (``"contributed"`` with "…" for the name).
KIND_LABELS = Vocabulary({KIND_SOURCE: SOURCE_BADGE, KIND_CONTRIBUTED: N_("Contributed by …"),
                          KIND_ILLUSTRATIVE: ILLUSTRATIVE_BADGE})


def contributed_badge(organisation: str) -> str:
    """``"Contributed by <organisation>"`` (``"Contributed by a visitor"`` when none was given), in English: the
    stored/exported form (:func:`badge_text` is what a page shows)."""
    return CONTRIBUTED_BADGE.format(organisation=(organisation or "").strip() or UNNAMED_CONTRIBUTOR)


def badge_text(kind: str, organisation: str = "") -> str:
    """The badge of a practice of ``kind`` in the current language ("Bidrag från …" in Swedish)."""
    if kind == KIND_CONTRIBUTED:
        return i18n.gettext(CONTRIBUTED_BADGE).format(
            organisation=(organisation or "").strip() or i18n.gettext(UNNAMED_CONTRIBUTOR))
    return i18n.gettext(ILLUSTRATIVE_BADGE if kind == KIND_ILLUSTRATIVE else SOURCE_BADGE)


ILLUSTRATIVE_NOTE = N_(
    "Practices marked “Illustrative” are invented examples written for this demo; they are not "
    "documented REGIN practices. Practices marked “Source-based” restate, in our own words, facts "
    "from the REGIN project pages (source given on each practice). Practices marked “Contributed by …” "
    "were sent through this site's form by the organisation named and published after a moderator's check; "
    "they are the contributor's own account."
)


def area_label(key: str) -> str:
    """A policy area's label in the current language (the key itself when unknown)."""
    return POLICY_AREAS.get(key, key)


def target_label(key: str) -> str:
    """A target group's label in the current language (the key itself when unknown)."""
    return TARGET_GROUPS.get(key, key)


def language_name(code: str) -> str:
    """A language named in its own language ("Svenska"), or the code when it is not one we offer."""
    return LANGUAGES.get(code, code)


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
    """One region a practice may belong to: one of the dataset's (MIPEX-R) regions, or another NUTS unit
    of the EU/EFTA (``mipex=False``, with its NUTS ``level`` and the ``vintages`` it exists in)."""

    region_id: str
    name_en: str
    name_local: str
    country: str
    country_name: str
    mipex: bool = True
    level: int | None = None
    vintages: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        """``"Catalonia (Cataluña)"``; the English name alone when the local one is the same."""
        if self.name_local and self.name_local != self.name_en:
            return f"{self.name_en} ({self.name_local})"
        return self.name_en

    @property
    def shown_name(self) -> str:
        """The name a page shows: the local one when the current language is the region's own
        (:func:`dashboard.i18n.region_name`), else the English one."""
        return i18n.region_name(self.region_id, self.name_en, self.name_local or None, self.country)

    @property
    def shown_country(self) -> str:
        """The country's name in the current language (Babel's), else the dataset's."""
        return i18n.country_name(self.country, self.country_name) if self.country else self.country_name


def _text(value: Any) -> str:
    return "" if value is None or value != value else str(value).strip()  # None and NaN → ""


#: Shown where regions are chosen when only the dataset's regions can be offered.
NO_BOUNDARIES_NOTE = N_(
    "Only the MIPEX-R regions can be chosen right now: the boundary files that list the other NUTS regions "
    "of the EU and EFTA were not found on the server."
)


@dataclass(frozen=True)
class _Units:
    """The other NUTS units as regions (shared, read-only): by code, and folded name → codes."""

    by_id: Mapping[str, Region]
    by_name: Mapping[str, tuple[str, ...]]


_units_cache: dict[int, tuple[Mapping[str, Any], _Units]] = {}  # derived from the boundary files only


def _as_regions(table: Mapping[str, Any]) -> _Units:
    from dashboard.data import fold
    from dashboard.lab.nuts import EU_EFTA

    by_id: dict[str, Region] = {}
    by_name: dict[str, list[str]] = {}
    for code, unit in table.items():
        by_id[code] = Region(code, unit.name, unit.name_local, unit.country, EU_EFTA.get(unit.country, unit.country),
                             mipex=False, level=unit.level, vintages=unit.vintages)
        for name in {fold(unit.name), fold(unit.name_local)}:
            by_name.setdefault(name, []).append(code)
    return _Units(by_id, {k: tuple(v) for k, v in by_name.items()})


def nuts_units() -> tuple[_Units | None, str]:
    """The other NUTS units of the EU/EFTA from the boundary files (:func:`dashboard.lab.nuts.units`, read
    once per file version), or (None, why not)."""
    from dashboard.lab import nuts

    try:
        table = nuts.units()
    except nuts.NutsUnavailable as exc:
        return None, str(exc)
    hit = _units_cache.get(id(table))
    if hit is None or hit[0] is not table:
        hit = (table, _as_regions(table))
        _units_cache.clear()
        _units_cache[id(table)] = hit
    return hit[1], ""


@dataclass(frozen=True, eq=False)
class Regions:
    """The regions a practice may belong to, as plain values handed down by the caller.

    ``by_id`` holds the dataset's regions (the MIPEX-R regions, in the dataset's order); ``others`` every
    other NUTS 2021/2024 unit (levels 1–3) of the EU and EFTA from the boundary files
    (:mod:`dashboard.lab.nuts`), or nothing (then ``note`` says why). The Lab never reads the regions file
    itself: :meth:`from_dataset` builds this from the app's one region registry (names and countries from
    ``dataset.regions``; a typed region — NUTS 2021 id, NUTS 2024 code, English or local name — resolved by
    ``dataset.resolve_region`` first, then among the other units by code or unambiguous name).
    """

    by_id: Mapping[str, Region]  # the dataset's regions, in its order
    resolver: Callable[[str], str | None]
    others: Mapping[str, Region] = field(default_factory=dict)
    other_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    note: str = ""

    @classmethod
    def from_dataset(cls, dataset: Any, *, nuts: bool = True) -> Regions:
        """From a :class:`dashboard.data.Dataset` (its ``regions`` table and ``resolve_region``), plus the
        other EU/EFTA NUTS units of the boundary files (``nuts=False``: the dataset's regions only)."""
        by_id = {}
        for row in dataset.regions.to_dict("records"):
            rid = _text(row.get("region_id"))
            by_id[rid] = Region(rid, _text(row.get("name_en")) or rid, _text(row.get("name_local")),
                                _text(row.get("country")), _text(row.get("country_name")), mipex=True,
                                level=_level(row.get("nuts_level")))
        if not nuts:
            return cls(by_id, dataset.resolve_region)
        units, why = nuts_units()
        if units is None:
            log.info("Integration Lab regions: the dataset's only (%s)", why)
            return cls(by_id, dataset.resolve_region, note=NO_BOUNDARIES_NOTE)
        return cls(by_id, dataset.resolve_region, units.by_id, units.by_name)

    def _other(self, region_id: Any) -> Region | None:
        """An other NUTS unit, unless the dataset's registry claims its code (PT1A is part of Lisbon, PT17)."""
        reg = self.others.get(region_id) if isinstance(region_id, str) else None
        if reg is None or region_id in self.by_id or self.resolver(region_id) is not None:
            return None
        return reg

    def __iter__(self) -> Iterator[str]:
        """The dataset's regions first, then the other units."""
        yield from self.by_id
        for rid in self.others:
            if self._other(rid) is not None:
                yield rid

    def __contains__(self, region_id: object) -> bool:
        return region_id in self.by_id or self._other(region_id) is not None

    def __len__(self) -> int:
        return sum(1 for _rid in self)

    def get(self, region_id: str) -> Region | None:
        return self.by_id.get(region_id) or self._other(region_id)

    def is_mipex(self, region_id: str) -> bool:
        """Whether this is one of the dataset's (MIPEX-R) regions."""
        return region_id in self.by_id

    def other_regions(self) -> list[Region]:
        """The other units one may choose (those the dataset's registry does not claim)."""
        return [reg for rid, reg in self.others.items() if self._other(rid) is not None]

    def candidates(self, value: Any) -> tuple[str, ...]:
        """Every region a typed value may mean (several when a name is shared, e.g. "Berlin": DE3, DE30, DE300)."""
        if value is None or not str(value).strip():
            return ()
        text = str(value).strip()
        rid = self.resolver(text)
        if rid in self.by_id:
            return (rid,)
        code = text.upper()
        if self._other(code) is not None:
            return (code,)
        from dashboard.data import fold

        found = [c for c in self.other_names.get(fold(text), ()) if self._other(c) is not None]
        return tuple(sorted(found, key=lambda c: (len(c), c)))  # coarsest level first

    def resolve(self, value: Any) -> str | None:
        """A region as typed → its id; None when it is none of these regions or a name several share."""
        found = self.candidates(value)
        return found[0] if len(found) == 1 else None

    def name(self, region_id: str) -> str:
        """English name (the id itself for a region no longer known)."""
        reg = self.get(region_id)
        return reg.name_en if reg else region_id

    def label(self, region_id: str) -> str:
        reg = self.get(region_id)
        return reg.label if reg else region_id

    def shown_name(self, region_id: str) -> str:
        """The name a page shows in the current language (:attr:`Region.shown_name`; the id when unknown)."""
        reg = self.get(region_id)
        return reg.shown_name if reg else region_id

    def shown_country(self, country: str) -> str:
        """A country's name in the current language (Babel's), else the one the regions carry."""
        return i18n.country_name(country, self.countries.get(country, country)) if country else country

    def country_of(self, region_id: str) -> str:
        reg = self.get(region_id)
        return reg.country if reg else ""

    @cached_property
    def countries(self) -> dict[str, str]:
        """Country code → country name (the dataset's and those of the other units), sorted by name."""
        out: dict[str, str] = {}
        for reg in self.by_id.values():
            out.setdefault(reg.country, reg.country_name or reg.country)
        for reg in self.others.values():
            out.setdefault(reg.country, reg.country_name or reg.country)
        return dict(sorted(out.items(), key=lambda kv: kv[1]))

    def country_name(self, country: str) -> str:
        return self.countries.get(country, country)


def _level(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
