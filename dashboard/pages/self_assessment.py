"""Self-assessment (`/self-assessment`): answer the MIPEX-R questionnaire for your own region, scored live, with
guidance per question, progress, what would move the score most, the scores beside chosen peer regions, and the
brief (PDF/HTML) marked as a self-assessment.

Nothing is stored on the server: the user saves the answers as a CSV/XLSX file and uploads it to resume.
"""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import i18n, ids, scoring, state
from dashboard.callbacks.self_assessment import (
    gains_children,
    peer_children,
    progress_children,
    summary_children,
)
from dashboard.components.graph import graph
from dashboard.components.image_buttons import image_buttons, image_download_area
from dashboard.i18n import _, ngettext
from dashboard.views.cache import BoundedCache, frozen
from dashboard.views.self_assessment import (
    DEFAULT_NAME,
    MAX_PEERS,
    NOT_ANSWERED,
    RADAR_AXES,
    SA_SCOPE,
    SELF_ASSESSMENT_MARK,
    option_label,
    parse_options,
    self_assessment_view,
)
from dashboard.views.self_assessment_file import MAX_BYTES
from dashboard.views.self_assessment_guide import (
    SOURCE_NOTE,
    progress,
    question_guidance,
)

dash.register_page(__name__, path="/self-assessment",
                   title=lambda **query: _("MIPEX-R Explorer — self-assessment"), name="Self-assessment")

REGION_CODES_LIST = "sa-region-codes"


def _tags(row) -> str:
    target = _("both groups") if row["target"] == "both" else row["target"]
    return " · ".join([row["indicator_id"], scoring.LABELS[row["element"]], scoring.LABELS[row["phase"]], target])


def _control(row):
    if (row.get("scale") or "three_option") == "percent":
        return html.Div([
            dbc.InputGroup([
                dbc.Input(id=ids.sa_answer(row["indicator_id"]), type="number", min=0, max=100, step="any",
                          placeholder=_("not answered"), debounce=True, style={"maxWidth": "10rem"}),
                dbc.InputGroupText("% (0–100)"),
            ], size="sm"),
            dbc.FormText(_("Leave empty if not answered.")),
        ])
    options = [{"label": f"{option_label(label)} ({points:g})", "value": f"{points:g}"}
               for label, points in parse_options(row["options"])]
    options.append({"label": _("Not answered"), "value": NOT_ANSWERED})
    return dbc.RadioItems(id=ids.sa_answer(row["indicator_id"]), options=options, value=NOT_ANSWERED)


def _guidance(row) -> html.Details:
    """The collapsible “How to answer” of a question: what each answer level means, what evidence to cite."""
    guide = question_guidance(row)
    return html.Details([
        html.Summary(_("How to answer this question"), className="small"),
        html.Dl([part for label, text in guide.levels
                 for part in (html.Dt(label, className="small"), html.Dd(text, className="small mb-1"))],
                className="mb-1"),
        html.P([html.Strong(_("Evidence to cite:") + " "), guide.evidence], className="small mb-0"),
    ], className="mx-sa-help mb-1")


def _question(number: int, row) -> html.Fieldset:
    return html.Fieldset([
        html.Legend(f"{number}. {_(row['question'])}", className="fs-6 fw-semibold mb-1"),
        html.Div(_tags(row), className="small text-muted mb-1"),
        _guidance(row),
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
        for _index, row in rows.iterrows():
            number += 1
            questions.append(_question(number, row))
        title = ngettext("{area} ({n} question)", "{area} ({n} questions)", len(rows)).format(
            area=scoring.LABELS[area], n=len(rows))
        items.append(dbc.AccordionItem(questions, title=title, item_id=area))
    first = items[0].item_id if items else None
    return dbc.Accordion(items, always_open=True, active_item=[first] if first else [], class_name="mb-3")


#: The page as first shown depends on the loaded data and the language only (no answers yet): one per
#: (dataset fingerprint, language), for the shared data only. Dash serialises it without changing it.
_LAYOUTS = BoundedCache(16)


def layout(**query):
    dataset = state.current()
    shared = state.shared_data()
    return _LAYOUTS.get((dataset.fingerprint, i18n.current()), lambda: frozen(page_layout(dataset, shared)),
                        store=shared)


def page_layout(dataset, cache: bool = False) -> html.Div:
    """The page for ``dataset`` in the current language, with no answer given yet (``cache``: the dataset's own
    parts may be kept, see :func:`dashboard.views.self_assessment.shared_parts`)."""
    view = self_assessment_view(dataset, {}, None, cache=cache)
    return html.Div([
        html.H1(_("Self-assessment"), className="h2"),
        html.P(_("Answer the questionnaire for your region and see its scores at once, against the average of all "
                 "loaded regions. Every score runs from 0 to 100. Each question has a “How to answer” note. Nothing "
                 "is stored on the server: save your answers as a file before you leave the page, and load that "
                 "file here to carry on later.")),
        html.P(_(SELF_ASSESSMENT_MARK), className="small text-muted"),
        _save_resume(),
        dbc.Row([
            dbc.Col([
                html.Div([
                    dbc.Row([
                        dbc.Col([dbc.Label(_("Region name"), html_for=ids.SA_NAME, className="fw-semibold mb-1"),
                                 dbc.Input(id=ids.SA_NAME, value="", placeholder=_(DEFAULT_NAME), debounce=True)],
                                md=7),
                        dbc.Col([dbc.Label(_("Region code (NUTS, optional)"), html_for=ids.SA_REGION_ID,
                                           className="fw-semibold mb-1"),
                                 dcc.Input(id=ids.SA_REGION_ID, value="", placeholder=_("e.g. {code}").format(
                                     code="ES51"), debounce=True,
                                           list=REGION_CODES_LIST, className="form-control"),
                                 html.Datalist([html.Option(value=o["value"], label=o["label"])
                                                for o in dataset.region_options()], id=REGION_CODES_LIST)], md=5),
                    ]),
                    html.Div([], id=ids.SA_NOTE, className="small text-muted mt-2", role="status"),
                ], className="mx-card"),
                html.Div(progress_children(progress({}, dataset.framework)), id=ids.SA_PROGRESS,
                         className="mx-card", role="status"),
                html.P(_(SOURCE_NOTE), className="small text-muted"),
                _questionnaire(dataset),
                _peers(dataset, view, cache),
            ], lg=7),
            dbc.Col(html.Div([
                html.Div(summary_children(view, dataset), id=ids.SA_SUMMARY, role="status"),
                html.Div(gains_children(dataset, {}, cache), id=ids.SA_GAINS, className="mb-2"),
                *[html.Div([graph(ids.sa_radar(a), view.radars[a]), image_buttons(SA_SCOPE, a)]) for a in RADAR_AXES],
                image_download_area(SA_SCOPE),
            ], className="mx-card", style={"position": "sticky", "top": "0.5rem", "maxHeight": "calc(100vh - 1rem)",
                                           "overflowY": "auto"}), lg=5),
        ]),
    ])


def _save_resume() -> html.Div:
    """Save the answers as CSV/XLSX, or load a saved file to resume (no server storage, no shell command)."""
    return html.Div([
        html.H2(_("Save and resume"), className="h6"),
        html.Div([
            dbc.Button(_("Save my answers (CSV)"), id=ids.SA_DOWNLOAD_BUTTON, color="primary", size="sm",
                       className="me-2 mb-1"),
            dbc.Button(_("Save my answers (Excel, XLSX)"), id=ids.SA_DOWNLOAD_XLSX_BUTTON, color="primary",
                       outline=True, size="sm", className="me-2 mb-1"),
            dcc.Download(id=ids.SA_DOWNLOAD),
        ]),
        html.Div([
            dcc.Upload(id=ids.SA_UPLOAD, max_size=MAX_BYTES, multiple=False, accept=".csv,.xlsx,.txt",
                       children=html.Div([_("Resume: drop a saved answers file here, or") + " ",
                                          html.U(_("choose a file"))]),
                       className="mx-upload small mt-1", className_active="mx-upload-active",
                       style={"border": "1px dashed #8a94a3", "borderRadius": ".375rem", "padding": ".5rem",
                              "textAlign": "center", "cursor": "pointer"}),
            # the browser drops a file over max_size without a word; assets/20-upload-limit.js says so here
            html.Div(className="mx-upload-too-big alert alert-warning small py-1 px-2 mt-1 mb-0", role="alert",
                     hidden=True),
        ], className="mx-upload-wrap", **{"data-limit": str(MAX_BYTES)}),
        html.Div(_("CSV or XLSX saved from this page, at most {size} KB. Loading it replaces the answers on the "
                   "page.").format(size=MAX_BYTES // 1024), className="small text-muted"),
        html.Div(id=ids.SA_UPLOAD_STATUS, role="status", className="mt-1"),
    ], className="mx-card mb-3 mx-no-print")


def _peers(dataset, view, cache: bool = False) -> html.Div:
    """Compare with 1–3 loaded regions, and the brief (PDF/HTML) marked as a self-assessment."""
    return html.Div([
        html.H2(_("Compare with other regions and make a brief"), className="h5"),
        dbc.Label(_("Peer regions (up to {n})").format(n=MAX_PEERS), html_for=ids.SA_PEERS,
                  className="fw-semibold mb-1"),
        dcc.Dropdown(id=ids.SA_PEERS, options=dataset.region_options(), value=[], multi=True,
                     placeholder=_("Choose 1–3 regions")),
        html.Div(peer_children(dataset, {}, None, [], cache), id=ids.SA_PEER_TABLE, className="mt-2",
                 role="status"),
        html.P(_("The brief is the same one-page brief as for the loaded regions (with the chosen peers: a "
                 "comparison brief), marked as a self-assessment."), className="small mt-2 mb-1"),
        dbc.Button(_("Brief (PDF)"), id=ids.SA_BRIEF_PDF, color="primary", size="sm", className="me-2"),
        dbc.Button(_("Brief (HTML)"), id=ids.SA_BRIEF_HTML, color="primary", outline=True, size="sm"),
        dcc.Loading(html.Div(id=ids.SA_BRIEF_STATUS, role="status", className="small mt-1"), type="dot"),
        dcc.Download(id=ids.SA_BRIEF_DOWNLOAD),
    ], className="mx-card mb-3")
