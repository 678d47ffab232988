"""Data (`/data`): what is shown and where it comes from; import the published tables as published, or replace
one part of the data package; keep them private or publish them for everyone (admin token); raw downloads.

Every text is made in the visitor's language when the layout is built (:func:`dashboard.i18n.gettext`)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import datasets, i18n, ids, state
from dashboard.callbacks.data import (
    ACCEPT,
    RESOURCES,
    dataset_summary,
    limit_text,
    resource_texts,
    versions_children,
)
from dashboard.constants import MAX_FILE_BYTES
from dashboard.i18n import _
from dashboard.views.cache import BoundedCache, frozen
from dashboard.views.data import expected_columns


def title() -> str:
    """The page title in the visitor's language."""
    return _("MIPEX-R Explorer — data")


dash.register_page(__name__, path="/data", title=title, name="Data")

UPLOAD_STYLE = {"border": "1px dashed #8a94a3", "borderRadius": ".375rem", "padding": ".75rem",
                "textAlign": "center", "cursor": "pointer", "background": "#fbfcfd"}


def _upload(id, multiple: bool = False, text: str | None = None) -> html.Div:
    """A drop zone; ``text`` is the translated lead-in before the "choose" link."""
    text = text if text is not None else _("Drop a CSV or XLSX file here, or")
    choose = _("choose files") if multiple else _("choose a file")
    return html.Div([
        dcc.Upload(id=id, accept=ACCEPT, max_size=MAX_FILE_BYTES, multiple=multiple,
                   children=html.Div([text, " ", html.U(choose)]),
                   className="mx-upload", className_active="mx-upload-active", style=UPLOAD_STYLE),
        # the browser drops a file over max_size without a word; assets/20-upload-limit.js says so here
        html.Div(className="mx-upload-too-big alert alert-warning small py-1 px-2 mt-1 mb-0", role="alert",
                 hidden=True),
    ], className="mb-2 mx-upload-wrap", **{
        "data-limit": str(MAX_FILE_BYTES),
        # the words assets/20-upload-limit.js shows, in the visitor's language ({file}, {size}, {limit} filled there)
        "data-too-big-lead": _("Not imported — the app keeps the previous data."),
        "data-too-big": _("{file}: the file is {size} MB; the limit is {limit} MB."),
        "data-decimal": i18n.separators()[0],
    })


def _resource_upload(resource: str, columns: list[str]) -> html.Div:
    title_, text = resource_texts(resource)
    return html.Div([
        html.H4(title_, className="h6 mb-1"),
        html.P(text, className="small mb-1"),
        html.P([_("Columns:"), " ", html.Code(", ".join(columns))], className="small text-muted mb-1")
        if columns else None,
        _upload(ids.data_upload(resource)),
    ], className="mb-2")


def layout(**query):
    dataset = state.current()
    private = state.in_workspace()
    publishing = datasets.web_publishing_enabled()
    token_help = (_("Publishing for everyone, rolling back and resetting need the administrator's token.")
                  if publishing else _("Publishing for everyone is switched off on this server (no administrator "
                                       "token is set); the administrator publishes with the command line."))
    return html.Div([
        dcc.Store(id=ids.DATA_PENDING),
        dcc.Store(id=ids.DATA_GENERATION, data=state.generation()),
        html.H1(_("Data"), className="h2"),
        html.P([_("Which data the dashboard shows, where they come from, and how to load the real MIPEX-R tables."),
                " ", _("What is illustrative and how the scores are made:"), " ",
                dcc.Link(_("Methodology"), href="/methodology#data"), "."]),
        html.Div(id=ids.DATA_ALERT, role="status", **{"aria-live": "polite"}, className="mb-3"),
        dbc.Row([
            dbc.Col([
                html.Div(dataset_summary(dataset, private), id=ids.DATA_SUMMARY, className="mx-card"),
                html.Div([
                    html.H2(_("Your private workspace"), className="h5"),
                    html.P(_("Files you load are first kept in a workspace that only this browser sees, on every "
                             "page and in every download; nobody else's view changes."), className="small"),
                    dbc.Button(_("Leave my workspace (show the shared data)"), id=ids.DATA_LEAVE,
                               color="secondary", outline=True, size="sm", className="me-2 mb-1",
                               disabled=not private),
                    dbc.Button(_("Publish my workspace for everyone"), id=ids.DATA_PUBLISH_WORKSPACE,
                               color="primary", outline=True, size="sm", className="mb-1",
                               disabled=not (private and publishing)),
                ], className="mx-card"),
                html.Div([
                    html.H2(_("Shared versions"), className="h5"),
                    html.P(_("Every publication is kept; one is shown to everyone."), className="small"),
                    html.Div(versions_children(), id=ids.DATA_VERSIONS),
                    dbc.Button(_("Back to the previous version"), id=ids.DATA_ROLLBACK, color="secondary",
                               outline=True, size="sm", className="me-2 mb-1", disabled=not publishing),
                    dbc.Button(_("Back to the app's own data"), id=ids.DATA_RESET, color="secondary", outline=True,
                               size="sm", className="mb-1", disabled=not publishing),
                ], className="mx-card mx-no-print"),
            ], lg=6),
            dbc.Col(_load_card(dataset, publishing, token_help,
                               cache=not private and state.shared_data()), lg=6),
        ]),
        dcc.Download(id=ids.DATA_DOWNLOAD),
    ])


#: The "Load the published tables" card per (dataset fingerprint, language, publishing switch): the same for
#: every visitor of the shared data (a private workspace's is made each time).
_LOAD_CARDS = BoundedCache(16)


def _load_card(dataset, publishing: bool, token_help: str, cache: bool = False) -> html.Div:
    def build() -> html.Div:
        columns = expected_columns(dataset)
        return html.Div([
            html.H2(_("Load the published MIPEX-R tables"), className="h4"),
            html.Ol([
                html.Li(_("Drop the score tables as published (CSV or XLSX; one row per region and one column "
                          "per dimension, or one row per score). Regions by NUTS code or name; dimensions by "
                          "the names this dashboard shows.")),
                html.Li(_("Read the check: what was recognised, what was not, and the first changes.")),
                html.Li(_("Keep them in your private workspace, or publish them for everyone.")),
            ], className="small"),
            dbc.Row([
                dbc.Col([dbc.Label(_("Edition (year)"), html_for=ids.DATA_EDITION, className="small mb-0"),
                         dbc.Input(id=ids.DATA_EDITION, type="number", min=1990, max=2100, step=1, value=2021,
                                   size="sm")], xs=4),
                dbc.Col([dbc.Label(_("Source of the tables"), html_for=ids.DATA_SOURCE, className="small mb-0"),
                         dbc.Input(id=ids.DATA_SOURCE, type="text", maxLength=300, size="sm",
                                   placeholder=_("e.g. MIPEX-R comparative report, March 2022"))], xs=8),
            ], className="mb-2 g-2"),
            _upload(ids.DATA_TABLES_UPLOAD, multiple=True, text=_("Drop the score tables here, or")),
            html.Details([
                html.Summary(_("Or replace one part of the data package (advanced)"), className="small"),
                html.P(_("Files in the package's own format, up to {limit}. Each is checked together with the "
                         "rest of the data.").format(limit=limit_text()), className="small mt-2"),
                dbc.Checkbox(id=ids.DATA_IMPORT_ILLUSTRATIVE, value=False,
                             label=_("What I load is illustrative (made-up or test data), not real results")),
                *[_resource_upload(r, columns.get(r, [])) for r in RESOURCES],
            ], className="mb-2"),
            html.Div(id=ids.DATA_PREVIEW, role="status", **{"aria-live": "polite"}, className="mb-2"),
            dbc.Button(_("Keep in my private workspace"), id=ids.DATA_KEEP_PRIVATE, color="primary",
                       className="me-2 mb-2", disabled=True),
            dbc.Button(_("Publish for everyone"), id=ids.DATA_PUBLISH, color="primary", outline=True,
                       className="mb-2", disabled=True),
            html.Div([
                dbc.Label(_("Administrator token"), html_for=ids.DATA_TOKEN, className="small mb-0"),
                dbc.Input(id=ids.DATA_TOKEN, type="password", size="sm", autocomplete="off",
                          disabled=not publishing),
                dbc.FormText(token_help),
            ], className="mt-1"),
        ], className="mx-card mx-no-print")

    return _LOAD_CARDS.get((dataset.fingerprint, i18n.current(), publishing), lambda: frozen(build()), store=cache)
