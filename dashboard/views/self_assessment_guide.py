"""Guidance for answering the self-assessment (pure): what the answer levels mean, what evidence to cite per
kind of question, and progress (answered n of 61, per section).

Where this comes from, honestly: the MIPEX-R self-assessment handbook (April 2022) is not available offline.
The guidance is derived from the answer options in the questionnaire (``framework.csv``: "YES
systematically/regularly" = 100, "YES occasionally/ad hoc" = 50, "NO" = 0; shares 0–100 %), from the project
slides' example question (staff training: "funding/providing internal and external training courses/seminars")
and from the review practice the slides name ("external experts, peer review, independent evaluation"). It is
generic on purpose: it says what kind of proof fits a question, not what a region must have.

* :func:`level_guidance` – what each answer level means for a question (by its options).
* :func:`evidence_guidance` – what to cite, by kind of question (the part of the id after the dot).
* :func:`question_guidance` – both, for one framework row, as a :class:`Guidance`.
* :func:`progress` – answered / total overall and per policy-area section, in questionnaire order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import scoring
from dashboard.i18n import N_, Labels, _
from dashboard.views.self_assessment import answer_vector, option_label, parse_options

SOURCE_NOTE = N_("Guidance written for this dashboard from the answer options and the project's example question; "
                  "the handbook's own definitions are not available here. When in doubt, answer the lower level and "
                  "note why.")

#: What each level of a three-option answer means (keyed by its points); N_-marked, shown through _().
LEVELS = {
    100.0: N_("A standing arrangement: it is written down (a plan, a legal or budget line, a mandate or a contract), "
               "it runs year after year or on a fixed schedule, and it covers the whole region and its services — not "
               "one project or one town."),
    50.0: N_("It has happened, but not as a standing arrangement: a one-off or pilot project, a call that was not "
              "renewed, something done in some services or places only, or that depends on one person or grant."),
    0.0: N_("It does not happen, or only at the national or municipal level without the region's part in it."),
}
PERCENT_LEVEL = N_("Count the region's services in this area (or use the list in the region's service catalogue), "
                    "then the share that give information and support in the main languages spoken by migrants "
                    "locally. Say which services you counted and which languages you took as the main ones.")

#: What to cite, by the kind of question (the part of ``indicator_id`` after the dot); answers in the current
#: language (``EVIDENCE.english(kind)`` gives the source text).
EVIDENCE = Labels({
    "strategy": N_("The adopted document (title, date, who adopted it) and the objectives it sets for this area; for "
                   "“systematically”, that it is in force and reviewed or renewed."),
    "measures": N_("The programmes or services (name, budget line or contract, years running); for “systematically”, "
                   "that they are funded every year, not by one-off grants."),
    "civil_society": N_("Agreements, calls or contracts with migrant organisations and NGOs that deliver measures, "
                        "and the years they ran."),
    "consultation": N_("The body or procedure through which migrants or their representatives are consulted (a "
                       "council, hearings, a standing forum), with dates and minutes of the meetings."),
    "evaluation": N_("Monitoring reports and evaluations of the measures, who made them, and where the findings are "
                     "published; for “systematically”, that this is done on a fixed cycle."),
    "data": N_("The statistics or registers the region keeps, the breakdown by nationality or residence status, and "
               "how often they are updated."),
    "languages_share": N_("The list of services counted, the languages offered in each, and the date of the count."),
    "staff_competences": N_("Training courses or seminars for officials and staff (internal or external), how often "
                            "they run and who can take part."),
    "coordination_body": N_("The body's founding act or mandate, its members (departments, municipalities) and how "
                            "often it meets."),
    "multilevel": N_("The coordination mechanism with the national government (agreement, working group), its "
                     "meetings and their records."),
    "external_evaluation": N_("The evaluations by independent evaluators (who, when, terms of reference) and their "
                              "reports."),
})
GENERIC_EVIDENCE = N_("Documents that show it is in place: an adopted text, a budget line or contract, and records "
                       "that it runs (reports, minutes, dates).")


@dataclass(frozen=True)
class Guidance:
    """What to read before answering one question: ``levels`` (answer label, meaning) and ``evidence``."""

    levels: tuple[tuple[str, str], ...]
    evidence: str


def kind_of(indicator_id: str) -> str:
    """``"health.civil_society"`` → ``"civil_society"``."""
    return str(indicator_id).rpartition(".")[2]


def level_guidance(row: Mapping) -> tuple[tuple[str, str], ...]:
    """(answer label, what it means) for each answer of a question; a share question gets how to count."""
    if (row.get("scale") or "three_option") == "percent":
        return ((_("Share in percent (0–100)"), _(PERCENT_LEVEL)),)
    return tuple((option_label(label), _(LEVELS[points]) if points in LEVELS
                  else _("Worth {points} points of 100.").format(points=f"{points:g}"))
                 for label, points in parse_options(row.get("options")))


def evidence_guidance(indicator_id: str) -> str:
    """What to cite for a question, by its kind; a generic line for a kind the guide does not know."""
    kind = kind_of(indicator_id)
    return EVIDENCE[kind] if kind in EVIDENCE else _(GENERIC_EVIDENCE)


def question_guidance(row: Mapping) -> Guidance:
    return Guidance(level_guidance(row), evidence_guidance(row["indicator_id"]))


@dataclass(frozen=True)
class Progress:
    """``answered`` of ``total`` questions; ``sections``: (area key, label, answered, total), questionnaire order."""

    answered: int
    total: int
    sections: tuple[tuple[str, str, int, int], ...]

    @property
    def percent(self) -> float:
        return 100.0 * self.answered / self.total if self.total else 0.0


def progress(values: Mapping[str, object], framework: pd.DataFrame) -> Progress:
    """How many questions have a valid answer, overall and per policy-area section (invalid values count as
    not answered, as in the score)."""
    points, _notes = answer_vector(values, framework)
    done = ~np.isnan(points)
    areas = framework["area"].to_numpy()
    sections = []
    for area in scoring.AREA_VALUES:
        mask = areas == area
        if mask.any():
            sections.append((area, scoring.LABELS[area], int(done[mask].sum()), int(mask.sum())))
    return Progress(int(done.sum()), len(framework), tuple(sections))
