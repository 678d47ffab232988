"""What the visible data notice says (pure): it follows each resource shown, so published numbers say where
they come from, illustrative ones say they are illustrative, and a page mixing both says which is which.
Every text is in the current language (:mod:`dashboard.i18n`)."""

from __future__ import annotations

from dashboard.constants import ILLUSTRATIVE_TEXT
from dashboard.data import Dataset
from dashboard.i18n import N_, Labels, _

CONTEXT_ILLUSTRATIVE = N_("The context statistics (population, employment, education, poverty) are illustrative: "
                          "made by a documented generator, not Eurostat's figures.")


def notice(dataset: Dataset) -> tuple[str, str] | None:
    """``(heading, text)`` of the notice, or None when nothing shown is illustrative."""
    flags = dataset.resource_illustrative
    origin = dataset.scores_origin(_("the loaded files"))
    scores_ill = dataset.scores_illustrative
    context_ill = bool(flags.get("outcomes")) and not dataset.outcomes.empty
    if scores_ill and (context_ill or dataset.outcomes.empty):
        return _("Illustrative data.") + " ", _(ILLUSTRATIVE_TEXT)
    if scores_ill:
        return _("Illustrative scores.") + " ", _(
            "The governance scores are made by a documented generator, not the published MIPEX-R results; the "
            "context statistics are real ({source}).").format(
                source=_(dataset.sources.get("outcomes") or "") or _("see the Data page"))
    if context_ill:
        return _("Published scores, illustrative context statistics.") + " ", (
            _("The governance scores are the published MIPEX-R results ({origin}).").format(origin=origin)
            + " " + _(CONTEXT_ILLUSTRATIVE))
    if dataset.illustrative:  # another shown part (e.g. the questionnaire texts) is illustrative
        parts = ", ".join(RESOURCE_LABELS[n] if n in RESOURCE_LABELS else n
                          for n, f in flags.items() if f and n in dataset.resources)
        words = _("These parts are illustrative: {parts}. The scores: {origin}.")
        return _("Partly illustrative.") + " ", words.format(parts=parts, origin=origin)
    return None


#: How files and briefs name each resource they may show, in the order they list them (current language).
RESOURCE_LABELS = Labels({"scores": N_("Scores"), "outcomes": N_("Context statistics"),
                          "answers": N_("Indicator answers"), "framework": N_("Questionnaire")})
ILLUSTRATIVE_SCORES = N_("illustrative — made by a documented generator, not the published MIPEX-R results")
ILLUSTRATIVE_CONTEXT = N_("illustrative — made by a documented generator, not Eurostat's figures")
ILLUSTRATIVE_ANSWERS = N_("illustrative — made by a documented generator, not the experts' published answers")
ILLUSTRATIVE_FRAMEWORK = N_("illustrative — question texts written by the project in the style of MIPEX-R")


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
                text = (_("{what} (edition {edition})").format(what=_(ILLUSTRATIVE_SCORES), edition=dataset.edition)
                        if dataset.edition else _(ILLUSTRATIVE_SCORES))
            elif dataset.scores_published:
                text = _("published — {origin}").format(origin=dataset.scores_origin(_("the loaded files")))
            else:
                text = _("computed by the app's documented rule from {origin}").format(
                    origin=dataset.scores_origin(_("the loaded answers")))
        elif resource_illustrative(dataset, name):
            what = {"outcomes": ILLUSTRATIVE_CONTEXT, "answers": ILLUSTRATIVE_ANSWERS,
                    "framework": ILLUSTRATIVE_FRAMEWORK}[name]
            text = _(what)
        else:
            text = _("from {source}").format(source=_(dataset.sources.get(name) or "") or _("the loaded files"))
        marks.append((label, text))
    return marks


def any_illustrative(dataset: Dataset, resources=tuple(RESOURCE_LABELS)) -> bool:
    """Whether any of ``resources`` shown is illustrative."""
    return any(resource_illustrative(dataset, n) for n in resources if n in RESOURCE_LABELS and _shown(dataset, n))
