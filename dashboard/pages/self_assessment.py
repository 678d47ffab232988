"""Self-assessment (`/self-assessment`): answer the MIPEX-R questionnaire for your own region, scored live.

Nothing is stored on the server; the answers can be downloaded in the answers.csv format.
"""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids, scoring, state
from dashboard.callbacks.self_assessment import summary_children
from dashboard.components.graph import graph
from dashboard.components.image_buttons import image_buttons, image_download_area
from dashboard.views.self_assessment import (
    DEFAULT_NAME,
    NOT_ANSWERED,
    RADAR_AXES,
    SA_SCOPE,
    clean_region_id,
    parse_options,
    self_assessment_view,
)

dash.register_page(__name__, path="/self-assessment", title="MIPEX-R Explorer — self-assessment",
                   name="Self-assessment")

REGION_CODES_LIST = "sa-region-codes"


def _tags(row) -> str:
    target = "both groups" if row["target"] == "both" else row["target"]
    return (f"{row['indicator_id']} · {scoring.LABELS[row['element']]} · {scoring.LABELS[row['phase']]} · "
            f"{target}")


def _control(row):
    if (row.get("scale") or "three_option") == "percent":
        return html.Div([
            dbc.InputGroup([
                dbc.Input(id=ids.sa_answer(row["indicator_id"]), type="number", min=0, max=100, step="any",
                          placeholder="not answered", debounce=True, style={"maxWidth": "10rem"}),
                dbc.InputGroupText("% (0–100)"),
            ], size="sm"),
            dbc.FormText("Leave empty if not answered."),
        ])
    options = [{"label": f"{label} ({points:g})", "value": f"{points:g}"} for label, points in parse_options(row["options"])]
    options.append({"label": "Not answered", "value": NOT_ANSWERED})
    return dbc.RadioItems(id=ids.sa_answer(row["indicator_id"]), options=options, value=NOT_ANSWERED)


def _question(number: int, row) -> html.Fieldset:
    return html.Fieldset([
        html.Legend(f"{number}. {row['question']}", className="fs-6 fw-semibold mb-1"),
        html.Div(_tags(row), className="small text-muted mb-1"),
        _control(row),
    ], className="mb-3")


def _questionnaire(dataset) -> dbc.Accordion:
    fw = dataset.framework.reset_index(drop=True)
    items = []
    number = 0
    for area in scoring.AREA_VALUES:
        rows = fw[fw["area"] == area]
        if rows.empty:
            continue
        questions = []
        for _, row in rows.iterrows():
            number += 1
            questions.append(_question(number, row))
        items.append(dbc.AccordionItem(questions, title=f"{scoring.LABELS[area]} ({len(rows)} questions)",
                                       item_id=area))
    first = items[0].item_id if items else None
    return dbc.Accordion(items, always_open=True, active_item=[first] if first else [], class_name="mb-3")


def layout(**query):
    dataset = state.current()
    view = self_assessment_view(dataset, {}, DEFAULT_NAME)
    _, id_note = clean_region_id("", dataset)
    return html.Div([
        html.H1("Self-assessment", className="h2"),
        html.P(["Answer the questionnaire for your region and see its scores at once, against the average of all "
                "loaded regions. Every score runs from 0 to 100. Nothing is stored on the server: download your "
                "answers before you leave the page. The downloaded file has the answers.csv format, so it can be "
                "scored with ", html.Code("python -m dashboard scores --answers FILE --out scores.csv"), "."]),
        dbc.Row([
            dbc.Col([
                html.Div([
                    dbc.Row([
                        dbc.Col([dbc.Label("Region name", html_for=ids.SA_NAME, className="fw-semibold mb-1"),
                                 dbc.Input(id=ids.SA_NAME, value="", placeholder=DEFAULT_NAME, debounce=True)], md=7),
                        dbc.Col([dbc.Label("Region code (NUTS)", html_for=ids.SA_REGION_ID, className="fw-semibold mb-1"),
                                 dcc.Input(id=ids.SA_REGION_ID, value="", placeholder="e.g. ES51", debounce=True,
                                           list=REGION_CODES_LIST, className="form-control"),
                                 html.Datalist([html.Option(value=o["value"], label=o["label"])
                                                for o in dataset.region_options()], id=REGION_CODES_LIST)], md=5),
                    ]),
                    html.Div([html.Div(id_note)] if id_note else [], id=ids.SA_NOTE, className="small text-muted mt-2",
                             role="status"),
                ], className="mx-card"),
                _questionnaire(dataset),
            ], lg=7),
            dbc.Col(html.Div([
                html.Div(summary_children(view, dataset), id=ids.SA_SUMMARY, role="status"),
                dbc.Button("Download my answers (CSV)", id=ids.SA_DOWNLOAD_BUTTON, color="primary", size="sm",
                           className="my-2 mx-no-print"),
                dcc.Download(id=ids.SA_DOWNLOAD),
                *[html.Div([graph(ids.sa_radar(a), view.radars[a]), image_buttons(SA_SCOPE, a)]) for a in RADAR_AXES],
                image_download_area(SA_SCOPE),
            ], className="mx-card", style={"position": "sticky", "top": "0.5rem", "maxHeight": "calc(100vh - 1rem)",
                                           "overflowY": "auto"}), lg=5),
        ]),
    ])
