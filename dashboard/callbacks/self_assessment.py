"""Self-assessment: answer the questionnaire for a new region, scored live; download the answers as CSV.

Nothing is stored on the server: the answers live in the browser's form controls and travel with each
callback. Plain functions (no Dash needed, tested directly):

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

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import ALL, Input, Output, State, ctx, dcc, html

from dashboard import ids, scoring, state
from dashboard.callbacks.registry import callback
from dashboard.components.image_buttons import image_response, pressed
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


def summary_children(view: SelfAssessmentView, dataset: Dataset) -> list:
    avg = view.average.get("overall")
    overall = view.overall
    adv, mid = scoring.GROUP_THRESHOLDS["advanced"], scoring.GROUP_THRESHOLDS["intermediate"]
    score = (html.Div([f"{overall:.0f}", html.Small(" /100")], className="mx-score") if overall is not None
             else html.Div(["–", html.Small(" /100")], className="mx-score"))
    rows = []
    for key in ("target:TCN", "target:BIP"):
        mine = view.scores.get(key)
        rows.append(html.Li(f"{scoring.dimension_label(key)}: "
                            + ("not scored yet" if pd.isna(mine) else f"{mine:.0f}/100")
                            + f" (average {view.average[key]:.0f}/100)"))
    return [
        html.H2(f"{view.name}: overall score", className="h5"),
        score,
        html.Span(view.group or "no group yet", className="mx-group-badge"),
        html.P(f"{view.answered} of {view.total} questions answered. Overall average of all "
               f"{len(dataset.regions)} loaded regions: " + ("no score" if pd.isna(avg) else f"{avg:.0f}/100") + ".",
               className="mt-2 mb-1"),
        html.P(f"Scores use the {view.answered} answered questions only; unanswered ones are left out, not counted "
               "as 0, so with few answers a score says little.", className="small mb-1")
        if 0 < view.answered < view.total else None,
        html.P("The overall score needs at least one answered question in a policy area." if overall is None else
               f"Groups: advanced ≥ {adv:g}, intermediate {mid:g}–{adv:g}, lagging < {mid:g} (see Methodology).",
               className="small text-muted"),
        html.Ul(rows, className="small"),
    ]


def _values_from_ctx(items: list[dict]) -> dict[str, object]:
    return {item["id"]["indicator"]: item.get("value") for item in items}


@callback(
    Output(ids.SA_SUMMARY, "children"),
    *[Output(ids.sa_radar(a), "figure") for a in RADAR_AXES],
    Output(ids.SA_NOTE, "children"),
    Input({"type": ids.SA_ANSWER_TYPE, "indicator": ALL}, "value"),
    Input(ids.SA_NAME, "value"),
    Input(ids.SA_REGION_ID, "value"),
    prevent_initial_call=True,
)
def _update(_values, name, region_id):
    dataset = state.current()
    values = _values_from_ctx(ctx.inputs_list[0])
    view = self_assessment_view(dataset, values, name)
    _, id_note = clean_region_id(region_id, dataset)
    notes = view.notes + ([id_note] if id_note else [])
    return (summary_children(view, dataset), *[view.radars[a] for a in RADAR_AXES],
            [html.Div(n) for n in notes])


@callback(
    Output(ids.SA_DOWNLOAD, "data"),
    Input(ids.SA_DOWNLOAD_BUTTON, "n_clicks"),
    State({"type": ids.SA_ANSWER_TYPE, "indicator": ALL}, "value"),
    State(ids.SA_REGION_ID, "value"),
    prevent_initial_call=True,
)
def _download(n_clicks, _values, region_id):
    if not n_clicks:
        raise dash.exceptions.PreventUpdate
    dataset = state.current()
    code, _ = clean_region_id(region_id, dataset)
    code = code or "XX0"
    answers, _ = answers_frame(_values_from_ctx(ctx.states_list[0]), dataset.framework, code)
    return dcc.send_string(answers_csv(answers), f"answers_{re.sub(r'[^A-Za-z0-9_-]', '_', code)}.csv")


def radar_image(dataset: Dataset, values: Mapping[str, object], name: str | None, axis: str, fmt: str):
    """(download data, status) of one self-assessment radar as PNG, SVG or PDF, as the page shows it."""
    view = self_assessment_view(dataset, values, name)
    return image_response(view.radars[axis], fmt, f"mipexr-self-assessment-{axis}", dataset,
                          source=IMAGE_SOURCE.format(source=scoring.SOURCE_LINE))


@callback(
    Output(ids.image_download(SA_SCOPE), "data"),
    Output(ids.image_status(SA_SCOPE), "children"),
    Input({"type": ids.IMAGE_BUTTON_TYPE, "scope": SA_SCOPE, "key": ALL, "fmt": ALL}, "n_clicks"),
    State({"type": ids.SA_ANSWER_TYPE, "indicator": ALL}, "value"),
    State(ids.SA_NAME, "value"),
    prevent_initial_call=True,
)
def _image(clicks, _values, name):
    button = pressed(ctx.triggered_id, clicks)
    if button is None or button[0] not in RADAR_AXES:
        raise dash.exceptions.PreventUpdate
    return radar_image(state.current(), _values_from_ctx(ctx.states_list[0]), name, *button)
