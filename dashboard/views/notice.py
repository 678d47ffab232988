"""What the visible data notice says (pure): it follows each resource shown, so published numbers say where
they come from, illustrative ones say they are illustrative, and a page mixing both says which is which."""

from __future__ import annotations

from dashboard.constants import ILLUSTRATIVE_TEXT
from dashboard.data import Dataset

CONTEXT_ILLUSTRATIVE = ("The context statistics (population, employment, education, poverty) are illustrative: "
                        "made by a documented generator, not Eurostat's figures.")


def notice(dataset: Dataset) -> tuple[str, str] | None:
    """``(heading, text)`` of the notice, or None when nothing shown is illustrative."""
    flags = dataset.resource_illustrative
    origin = dataset.scores_origin("the loaded files")
    scores_ill = dataset.scores_illustrative
    context_ill = bool(flags.get("outcomes")) and not dataset.outcomes.empty
    if scores_ill and (context_ill or dataset.outcomes.empty):
        return "Illustrative data. ", ILLUSTRATIVE_TEXT
    if scores_ill:
        return "Illustrative scores. ", ("The governance scores are made by a documented generator, not the "
                                         "published MIPEX-R results; the context statistics are real "
                                         f"({dataset.sources.get('outcomes') or 'see the Data page'}).")
    if context_ill:
        return "Published scores, illustrative context statistics. ", (
            f"The governance scores are the published MIPEX-R results ({origin}). "
            + CONTEXT_ILLUSTRATIVE)
    if dataset.illustrative:  # another shown part (e.g. the questionnaire texts) is illustrative
        parts = ", ".join(n for n, f in flags.items() if f and n in dataset.resources)
        return "Partly illustrative. ", f"These parts are illustrative: {parts}. The scores: {origin}."
    return None
