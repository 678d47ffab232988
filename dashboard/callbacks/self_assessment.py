"""Self-assessment callbacks: the answers → :func:`dashboard.views.self_assessment.self_assessment_view` →
summary, radars and notes; answers as CSV; radar images. The pure logic is in :mod:`dashboard.views.self_assessment`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import dash
import pandas as pd
from dash import ALL, Input, Output, State, ctx, dcc, html

from dashboard import ids, scoring, state
from dashboard.callbacks.registry import callback
from dashboard.components.image_buttons import image_response, pressed
from dashboard.data import Dataset
from dashboard.views.self_assessment import (
    IMAGE_SOURCE,
    RADAR_AXES,
    SA_SCOPE,
    SelfAssessmentView,
    answers_csv,
    answers_frame,
    clean_region_id,
    self_assessment_view,
)


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
