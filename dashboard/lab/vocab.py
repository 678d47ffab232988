"""Controlled vocabularies of the Integration Lab (keys stored in the database → plain-English labels)."""

from __future__ import annotations

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


def aspect_label(key: str) -> str:
    return ASPECTS.get(key, key)


def target_matches(filter_value: str) -> tuple[str, ...]:
    """Stored target-group values that a filter value selects (``TCN`` also selects ``both``)."""
    if filter_value == "TCN":
        return ("TCN", "both")
    if filter_value == "BIP":
        return ("BIP", "both")
    return (filter_value,)
