"""Data (`/data`): what is shown and where it comes from; import the published tables as published, or replace
one part of the data package; keep them private or publish them for everyone (admin token); raw downloads."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import datasets, ids, state
from dashboard.callbacks.data import (
    ACCEPT,
    LIMIT_TEXT,
    RESOURCES,
    dataset_summary,
    versions_children,
)
from dashboard.constants import MAX_FILE_BYTES
from dashboard.views.data import expected_columns

dash.register_page(__name__, path="/data", title="MIPEX-R Explorer — data", name="Data")

UPLOAD_STYLE = {"border": "1px dashed #8a94a3", "borderRadius": ".375rem", "padding": ".75rem",
                "textAlign": "center", "cursor": "pointer", "background": "#fbfcfd"}


def _upload(id, multiple: bool = False, text: str = "Drop a CSV or XLSX file here, or ") -> html.Div:
    return html.Div([
        dcc.Upload(id=id, accept=ACCEPT, max_size=MAX_FILE_BYTES, multiple=multiple,
                   children=html.Div([text, html.U("choose files" if multiple else "choose a file")]),
                   className="mx-upload", className_active="mx-upload-active", style=UPLOAD_STYLE),
        # the browser drops a file over max_size without a word; assets/20-upload-limit.js says so here
        html.Div(className="mx-upload-too-big alert alert-warning small py-1 px-2 mt-1 mb-0", role="alert",
                 hidden=True),
    ], className="mb-2 mx-upload-wrap", **{"data-limit": str(MAX_FILE_BYTES)})


def _resource_upload(resource: str, columns: list[str]) -> html.Div:
    title, text = RESOURCES[resource]
    return html.Div([
        html.H4(title, className="h6 mb-1"),
        html.P(text, className="small mb-1"),
        html.P(["Columns: ", html.Code(", ".join(columns))], className="small text-muted mb-1") if columns else None,
        _upload(ids.data_upload(resource)),
    ], className="mb-2")


def layout(**query):
    dataset = state.current()
    private = state.in_workspace()
    columns = expected_columns(dataset)
    publishing = datasets.web_publishing_enabled()
    token_help = ("Publishing for everyone, rolling back and resetting need the administrator's token."
                  if publishing else "Publishing for everyone is switched off on this server (no administrator "
                  "token is set); the administrator publishes with the command line.")
    return html.Div([
        dcc.Store(id=ids.DATA_PENDING),
        dcc.Store(id=ids.DATA_GENERATION, data=state.generation()),
        html.H1("Data", className="h2"),
        html.P(["Which data the dashboard shows, where they come from, and how to load the real MIPEX-R tables. "
                "What is illustrative and how the scores are made: ", dcc.Link("Methodology", href="/methodology#data"),
                "."]),
        html.Div(id=ids.DATA_ALERT, role="status", **{"aria-live": "polite"}, className="mb-3"),
        dbc.Row([
            dbc.Col([
                html.Div(dataset_summary(dataset, private), id=ids.DATA_SUMMARY, className="mx-card"),
                html.Div([
                    html.H2("Your private workspace", className="h5"),
                    html.P("Files you load are first kept in a workspace that only this browser sees, on every page "
                           "and in every download; nobody else's view changes.", className="small"),
                    dbc.Button("Leave my workspace (show the shared data)", id=ids.DATA_LEAVE, color="secondary",
                               outline=True, size="sm", className="me-2 mb-1", disabled=not private),
                    dbc.Button("Publish my workspace for everyone", id=ids.DATA_PUBLISH_WORKSPACE, color="primary",
                               outline=True, size="sm", className="mb-1", disabled=not (private and publishing)),
                ], className="mx-card"),
                html.Div([
                    html.H2("Shared versions", className="h5"),
                    html.P("Every publication is kept; one is shown to everyone.", className="small"),
                    html.Div(versions_children(), id=ids.DATA_VERSIONS),
                    dbc.Button("Back to the previous version", id=ids.DATA_ROLLBACK, color="secondary", outline=True,
                               size="sm", className="me-2 mb-1", disabled=not publishing),
                    dbc.Button("Back to the app's own data", id=ids.DATA_RESET, color="secondary", outline=True,
                               size="sm", className="mb-1", disabled=not publishing),
                ], className="mx-card mx-no-print"),
            ], lg=6),
            dbc.Col(html.Div([
                html.H2("Load the published MIPEX-R tables", className="h4"),
                html.Ol([
                    html.Li("Drop the score tables as published (CSV or XLSX; one row per region and one column "
                            "per dimension, or one row per score). Regions by NUTS code or name; dimensions by the "
                            "names this dashboard shows."),
                    html.Li("Read the check: what was recognised, what was not, and the first changes."),
                    html.Li("Keep them in your private workspace, or publish them for everyone."),
                ], className="small"),
                dbc.Row([
                    dbc.Col([dbc.Label("Edition (year)", html_for=ids.DATA_EDITION, className="small mb-0"),
                             dbc.Input(id=ids.DATA_EDITION, type="number", min=1990, max=2100, step=1, value=2021,
                                       size="sm")], xs=4),
                    dbc.Col([dbc.Label("Source of the tables", html_for=ids.DATA_SOURCE, className="small mb-0"),
                             dbc.Input(id=ids.DATA_SOURCE, type="text", maxLength=300, size="sm",
                                       placeholder="e.g. MIPEX-R comparative report, March 2022")], xs=8),
                ], className="mb-2 g-2"),
                _upload(ids.DATA_TABLES_UPLOAD, multiple=True, text="Drop the score tables here, or "),
                html.Details([
                    html.Summary("Or replace one part of the data package (advanced)", className="small"),
                    html.P(f"Files in the package's own format, up to {LIMIT_TEXT}. Each is checked together with "
                           "the rest of the data.", className="small mt-2"),
                    dbc.Checkbox(id=ids.DATA_IMPORT_ILLUSTRATIVE, value=False,
                                 label="What I load is illustrative (made-up or test data), not real results"),
                    *[_resource_upload(r, columns.get(r, [])) for r in RESOURCES],
                ], className="mb-2"),
                html.Div(id=ids.DATA_PREVIEW, role="status", **{"aria-live": "polite"}, className="mb-2"),
                dbc.Button("Keep in my private workspace", id=ids.DATA_KEEP_PRIVATE, color="primary",
                           className="me-2 mb-2", disabled=True),
                dbc.Button("Publish for everyone", id=ids.DATA_PUBLISH, color="primary", outline=True,
                           className="mb-2", disabled=True),
                html.Div([
                    dbc.Label("Administrator token", html_for=ids.DATA_TOKEN, className="small mb-0"),
                    dbc.Input(id=ids.DATA_TOKEN, type="password", size="sm", autocomplete="off",
                              disabled=not publishing),
                    dbc.FormText(token_help),
                ], className="mt-1"),
            ], className="mx-card mx-no-print"), lg=6),
        ]),
        dcc.Download(id=ids.DATA_DOWNLOAD),
    ])
