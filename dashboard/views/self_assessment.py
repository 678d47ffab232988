"""Self-assessment (pure): answer the questionnaire for a new region, scored live by the app's rule.

Nothing is stored on the server: the answers live in the browser's form controls and travel with each
callback.

* :func:`parse_options` – the framework's ``options`` text → (label, points) pairs.
* :func:`answers_frame` – control values → a long answers table (``region_id, indicator_id, value``) + notes.
* :func:`score_answers` – the same table scored with :func:`dashboard.scoring.compute_scores` (the app's rule).
* :func:`answers_csv` – the table in the ``answers.csv`` format, ready for ``python -m dashboard scores``.
* :func:`self_assessment_view` – summary numbers and radars against the average of all regions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard import scoring
from dashboard.data import Dataset
from dashboard.figures import profile
from dashboard.figures.common import AVERAGE_COLOR

#: The scope of the self-assessment's image buttons (see components.image_buttons).
SA_SCOPE = "sa"
IMAGE_SOURCE = ("Source: your answers, scored with the dashboard's rule; average of all regions: {source}. "
                "Scale 0–100.")
NOT_ANSWERED = "na"
SELF_KEY = "__self__"  # row key of the self-assessed region in the combined score table
RADAR_AXES = ("area", "element", "phase")
REGION_ID_PATTERN = re.compile(r"^[A-Z]{2}[0-9A-Z]{1,3}$")  # as in the regions schema (NUTS-like code)
DEFAULT_NAME = "My region"
THREE_OPTION_FALLBACK = "YES systematically/regularly=100|YES occasionally/ad hoc=50|NO=0"


def parse_options(options: str | None) -> list[tuple[str, float]]:
    """``"YES systematically/regularly=100|YES occasionally/ad hoc=50|NO=0"`` → [(label, 100.0), …]."""
    pairs = []
    for part in str(options or THREE_OPTION_FALLBACK).split("|"):
        label, sep, points = part.rpartition("=")
        if not sep:
            continue
        try:
            pairs.append((label.strip(), float(points)))
        except ValueError:
            continue
    return pairs or parse_options(THREE_OPTION_FALLBACK)


def _is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() in ("", NOT_ANSWERED)) or (
        isinstance(raw, float) and math.isnan(raw))


def answer_value(raw, scale: str, indicator_id: str = "") -> tuple[float | None, str | None]:
    """One control value → points (None = not answered) and a note when the value had to be ignored."""
    if _is_blank(raw):
        return None, None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None, f"{indicator_id}: “{raw}” is not a number; counted as not answered."
    if math.isnan(value):
        return None, None
    if scale == "percent":
        if not 0 <= value <= 100:
            return None, f"{indicator_id}: {value:g} is outside 0–100; counted as not answered."
        return value, None
    if value not in (0.0, 50.0, 100.0):
        return None, f"{indicator_id}: {value:g} is not one of the answers (0, 50 or 100); counted as not answered."
    return value, None


def answers_frame(values: Mapping[str, object], framework: pd.DataFrame, region_id: str) -> tuple[pd.DataFrame, list[str]]:
    """Control values (indicator_id → raw value) → long answers for every framework indicator, in framework order.

    Unknown indicator ids in ``values`` are ignored; missing or blank ones are "not answered" (NaN).
    """
    notes = []
    rows = []
    for ind, scale in zip(framework["indicator_id"], framework["scale"].fillna("three_option")):
        value, note = answer_value(values.get(ind), scale, ind)
        if note:
            notes.append(note)
        rows.append({"region_id": region_id, "indicator_id": ind, "value": math.nan if value is None else value})
    frame = pd.DataFrame(rows, columns=["region_id", "indicator_id", "value"])
    frame["value"] = frame["value"].astype(float)
    return frame, notes


def score_answers(values: Mapping[str, object], framework: pd.DataFrame, region_id: str = SELF_KEY,
                  rule: scoring.ScoringRule = scoring.DEFAULT_RULE) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """(answers table, long scores from :func:`scoring.compute_scores`, notes) for one self-assessed region."""
    answers, notes = answers_frame(values, framework, region_id)
    return answers, scoring.compute_scores(answers, framework, rule), notes


def answers_csv(answers: pd.DataFrame) -> str:
    """The ``answers.csv`` format: header ``region_id,indicator_id,value``; empty value = not answered."""
    out = answers[["region_id", "indicator_id", "value"]].copy()
    out["value"] = out["value"].map(lambda v: "" if pd.isna(v) else f"{float(v):g}")
    return out.to_csv(index=False, lineterminator="\n")


def clean_region_id(raw: str | None, dataset: Dataset) -> tuple[str, str | None]:
    """The user's region code (upper-cased) and a note on how ``python -m dashboard scores`` will take it."""
    code = (raw or "").strip().upper()
    if not code:
        return "", ("Give a region code (e.g. ES51) to download the answers; the code must be one of the loaded "
                    "regions, or be added to regions.csv, for the command “python -m dashboard scores” to accept "
                    "the file.")
    if not REGION_ID_PATTERN.match(code):
        return code, (f"“{code}” is not a NUTS-style code (two letters and one to three letters or digits, e.g. "
                      "ES51); the command “python -m dashboard scores” will refuse it.")
    if not dataset.has_region(code):
        return code, (f"{code} is not among the loaded regions: add it to regions.csv before scoring the file with "
                      "the command “python -m dashboard scores”.")
    return code, None


@dataclass
class SelfAssessmentView:
    name: str
    answered: int
    total: int
    scores: pd.Series  # dimension → score
    average: pd.Series  # dimension → all-region average
    radars: dict[str, go.Figure] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def overall(self) -> float | None:
        value = self.scores.get("overall")
        return None if value is None or pd.isna(value) else float(value)

    @property
    def group(self) -> str | None:
        return scoring.group_of(self.overall)


def _average_trace(average: pd.Series, axis: str) -> go.Scatterpolar:
    keys = list(scoring.AXES[axis])
    theta = [scoring.dimension_label(k, short=True) for k in keys]
    r = [round(float(average[k]), 1) for k in keys]
    return go.Scatterpolar(
        r=r + r[:1], theta=theta + theta[:1], name=profile.AVERAGE_NAME, mode="lines",
        line=dict(color=AVERAGE_COLOR, dash="dash", width=2),
        hovertemplate="%{theta}: %{r:.0f} /100<extra>" + profile.AVERAGE_NAME + "</extra>",
    )


def self_assessment_view(dataset: Dataset, values: Mapping[str, object], name: str | None) -> SelfAssessmentView:
    """Scores of the answers so far, and one radar per axis against the average of all loaded regions."""
    name = (name or "").strip() or DEFAULT_NAME
    answers, long, notes = score_answers(values, dataset.framework, SELF_KEY, dataset.rule)
    mine = long.set_index("dimension")["score"].reindex(list(scoring.DIMENSIONS))
    average = dataset.wide_scores.mean()
    combined = pd.concat([dataset.wide_scores, mine.to_frame(SELF_KEY).T])
    source = f"Your answers, scored with the dashboard's rule.<br>Average: {dataset.source_line}"
    view = SelfAssessmentView(name, int(answers["value"].notna().sum()), len(answers), mine, average, notes=notes)
    for axis in RADAR_AXES:
        fig = profile.radar_axis(combined, [SELF_KEY], axis, source, include_average=False,
                                 names={SELF_KEY: name}, title=f"{scoring.AXIS_LABELS[axis]} (0–100)", height=440)
        fig.add_trace(_average_trace(average, axis))
        view.radars[axis] = fig
    return view
