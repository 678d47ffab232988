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


#: How files and briefs name each resource they may show, in the order they list them.
RESOURCE_LABELS = {"scores": "Scores", "outcomes": "Context statistics", "answers": "Indicator answers",
                   "framework": "Questionnaire"}
ILLUSTRATIVE_SCORES = "illustrative — made by a documented generator, not the published MIPEX-R results"
ILLUSTRATIVE_CONTEXT = "illustrative — made by a documented generator, not Eurostat's figures"
ILLUSTRATIVE_ANSWERS = "illustrative — made by a documented generator, not the experts' published answers"
ILLUSTRATIVE_FRAMEWORK = "illustrative — question texts written by the project in the style of MIPEX-R"


def resource_illustrative(dataset: Dataset, resource: str) -> bool:
    """Whether what a file or page shows of ``resource`` is illustrative (``scores``: the scores shown, whether
    published or computed from the answers)."""
    if resource == "scores":
        return dataset.scores_illustrative
    return bool(dataset.resource_illustrative.get(resource, False))


def _shown(dataset: Dataset, resource: str) -> bool:
    if resource == "scores":
        return True
    frame = getattr(dataset, resource, None)
    return frame is not None and not frame.empty


def resource_marks(dataset: Dataset, resources=tuple(RESOURCE_LABELS)) -> list[tuple[str, str]]:
    """``(label, what it is)`` for each of ``resources`` the dataset holds (empty ones left out), in the order
    of :data:`RESOURCE_LABELS`: published scores name their source and edition
    (:meth:`Dataset.scores_origin`), illustrative parts say they are illustrative. Files and briefs print
    these lines, so a file mixing published scores and illustrative context statistics says which is which."""
    marks: list[tuple[str, str]] = []
    for name in RESOURCE_LABELS:
        if name not in resources or not _shown(dataset, name):
            continue
        label = RESOURCE_LABELS[name]
        if name == "scores":
            if dataset.scores_illustrative:
                edition = f" (edition {dataset.edition})" if dataset.edition else ""
                text = ILLUSTRATIVE_SCORES + edition
            elif dataset.scores_published:
                text = f"published — {dataset.scores_origin('the loaded files')}"
            else:
                text = f"computed by the app's documented rule from {dataset.scores_origin('the loaded answers')}"
        elif resource_illustrative(dataset, name):
            text = {"outcomes": ILLUSTRATIVE_CONTEXT, "answers": ILLUSTRATIVE_ANSWERS,
                    "framework": ILLUSTRATIVE_FRAMEWORK}[name]
        else:
            text = f"from {dataset.sources.get(name) or 'the loaded files'}"
        marks.append((label, text))
    return marks


def any_illustrative(dataset: Dataset, resources=tuple(RESOURCE_LABELS)) -> bool:
    """Whether any of ``resources`` shown is illustrative."""
    return any(resource_illustrative(dataset, n) for n in resources if n in RESOURCE_LABELS and _shown(dataset, n))
