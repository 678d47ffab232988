"""Data (`/data`): what is loaded, importing real files part by part (CSV or XLSX), reset, raw downloads."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import data, ids, state
from dashboard.callbacks.data import ACCEPT, LIMIT_TEXT, RESOURCES, dataset_summary, expected_columns

dash.register_page(__name__, path="/data", title="MIPEX-R Explorer — data", name="Data")

MAX_MB = LIMIT_TEXT


def _upload(resource: str, columns: list[str]) -> html.Div:
    title, text = RESOURCES[resource]
    return html.Div([
        html.H3(title, className="h6 mb-1"),
        html.P(text, className="small mb-1"),
        html.P(["Columns: ", html.Code(", ".join(columns))], className="small text-muted mb-1") if columns else None,
        dcc.Upload(
            id=ids.data_upload(resource), accept=ACCEPT, max_size=data.MAX_FILE_BYTES, multiple=False,
            children=html.Div(["Drop a CSV or XLSX file here, or ", html.U("choose a file")]),
            className="mx-upload", className_active="mx-upload-active",
            style={"border": "1px dashed #8a94a3", "borderRadius": ".375rem", "padding": ".75rem",
                   "textAlign": "center", "cursor": "pointer", "background": "#fbfcfd"},
        ),
        # the browser drops a file over max_size without a word; assets/20-upload-limit.js says so here
        html.Div(className="mx-upload-too-big alert alert-warning small py-1 px-2 mt-1 mb-0", role="alert",
                 hidden=True),
    ], className="mb-3 mx-upload-wrap", **{"data-limit": str(data.MAX_FILE_BYTES)})


def layout(**query):
    dataset = state.current()
    columns = expected_columns(dataset)
    return html.Div([
        html.H1("Data", className="h2"),
        html.P(["This page shows which data the dashboard serves, lets you load the real MIPEX-R files in place of "
                "the illustrative ones, and gives the raw files. Where the data come from and what is illustrative: ",
                dcc.Link("Methodology", href="/methodology#data"), "."]),
        dbc.Row([
            dbc.Col(html.Div(dataset_summary(dataset), id=ids.DATA_SUMMARY, className="mx-card"), lg=6),
            dbc.Col(html.Div([
                html.H2("Import files", className="h4"),
                html.P(["Each file is checked together with the rest of the data (column types, 0–100 ranges, "
                        "known region and indicator codes). On any problem the message names the file, row and "
                        "column, and ", html.Strong("nothing changes"), ": the app keeps the data it had. "
                        f"Files up to {MAX_MB}; the browser does not send a larger file at all. "
                        "After an import, every page shows the new data when it is next opened."],
                       className="small"),
                html.Div(id=ids.DATA_ALERT, role="status", **{"aria-live": "polite"}, className="mb-3"),
                dbc.Checkbox(id=ids.DATA_IMPORT_ILLUSTRATIVE, value=False,
                             label="What I import is illustrative (made-up or test data), not real results"),
                html.Hr(),
                *[_upload(r, columns.get(r, [])) for r in RESOURCES],
                html.P([html.Strong("Reset. "), "Go back to the data the app started with (the embedded data unless "
                        "the app was started with MIPEXR_DATA_DIR)."], className="small mb-1"),
                dbc.Button("Reset to the original data", id=ids.DATA_RESET, color="secondary", outline=True,
                           size="sm"),
            ], className="mx-card mx-no-print"), lg=6),
        ]),
        dcc.Download(id=ids.DATA_DOWNLOAD),
    ])
