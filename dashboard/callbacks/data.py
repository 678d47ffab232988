"""Data page: import real files (CSV/XLSX) part by part, reset, download the raw files.

Plain functions (tested directly):

* :func:`handle_upload` – one uploaded file (a ``dcc.Upload`` data URL) → ``(ok, message)``; refuses oversize
  files before decoding; otherwise hands the bytes to :func:`dashboard.state.import_file`, which validates the
  whole package in a temporary copy and keeps the last good data on any problem.
* :func:`reset_data` – back to the data the app started with.
* :func:`raw_files` / :func:`raw_file` – the current dataset's files (as stored) for download.
* :func:`dataset_summary` – the "currently loaded" block (title, illustrative or not, provenance, history).

Also here: the small client-side scroll that makes ``/methodology#data`` (the link in the illustrative notice)
land on the data-provenance section after the page has rendered.
"""

from __future__ import annotations

import base64
import binascii
import json
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html

from dashboard import data, ids, state
from dashboard.callbacks.registry import callback, clientside_callback
from dashboard.components.notice import illustrative_notice
from dashboard.constants import ILLUSTRATIVE_MARK
from dashboard.data import Dataset

RESOURCES: dict[str, tuple[str, str]] = {
    "answers": ("Indicator answers", "One row per region and indicator: the answer as points 0–100 "
                                     "(empty = not answered)."),
    "regions": ("Regions", "One row per region: NUTS 2021 code, names, country, NUTS level, NUTS 2024 code(s), "
                           "partner flag."),
    "framework": ("Questionnaire (framework)", "One row per indicator: question and its tags on the four axes, "
                                               "answer scale and options."),
    "outcomes": ("Context statistics", "One row per region and statistic: value, unit, year, Eurostat table, "
                                       "NUTS unit used, proxy flag, provenance."),
    "scores": ("Published scores (optional)", "One row per region and dimension: region_id, dimension, score "
                                              "(0–100). When loaded, these are shown instead of computed scores."),
}
ACCEPT = ".csv,.xlsx"
NOT_IMPORTED = "Not imported — the app keeps the previous data."


MB = 1024 * 1024
LIMIT_TEXT = f"{data.MAX_FILE_BYTES / MB:.0f} MB"


def too_large_message(filename: str, size: int) -> str:
    return f"{NOT_IMPORTED}\n{data.too_big(filename, size)}. A MIPEX-R file is normally well under 1 MB."


def decode_upload(contents: str) -> bytes:
    """``data:<mime>;base64,<payload>`` (what dcc.Upload gives) → bytes; ValueError if it is not that."""
    if not isinstance(contents, str) or "," not in contents:
        raise ValueError("the upload did not contain a file")
    header, payload = contents.split(",", 1)
    if ";base64" not in header:
        raise ValueError("the upload was not base64-encoded")
    try:
        return base64.b64decode(payload, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"the upload could not be decoded ({exc})") from None


def handle_upload(resource: str, filename: str | None, contents: str | None,
                  illustrative: bool = False) -> tuple[bool, str]:
    """Import one uploaded file as ``resource``. Returns (ok, message); on failure the current data are unchanged."""
    if resource not in RESOURCES:
        return False, f"{NOT_IMPORTED}\nUnknown dataset part {resource!r}."
    filename = Path(filename or "upload").name
    if not contents:
        return False, f"{NOT_IMPORTED}\n{filename}: no file content was received."
    payload = contents.split(",", 1)[-1]
    estimated = len(payload) * 3 // 4
    if estimated > data.MAX_FILE_BYTES + 3:  # refuse before decoding a huge payload
        return False, too_large_message(filename, estimated)
    try:
        content = decode_upload(contents)
    except ValueError as exc:
        return False, f"{NOT_IMPORTED}\n{filename}: {exc}."
    if len(content) > data.MAX_FILE_BYTES:
        return False, too_large_message(filename, len(content))
    return state.import_file(resource, filename, content, illustrative=bool(illustrative))


def reset_data() -> tuple[bool, str]:
    state.reset()
    dataset = state.current()
    return True, (f"Back to the data the app started with: {dataset.title} "
                  f"({len(dataset.regions)} regions, {len(dataset.framework)} indicators).")


def _descriptor(dataset: Dataset) -> dict:
    try:
        return json.loads((dataset.data_dir / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"resources": []}


def raw_files(dataset: Dataset) -> dict[str, Path]:
    """Resource name → its file in the current data folder (as stored, CSV or XLSX), plus ``datapackage``."""
    files = {}
    for res in _descriptor(dataset).get("resources", []):
        path = dataset.data_dir / res["path"]
        if path.exists():
            files[res["name"]] = path
    descriptor = dataset.data_dir / "datapackage.json"
    if descriptor.exists():
        files["datapackage"] = descriptor
    return files


def raw_file(dataset: Dataset, resource: str) -> tuple[str, bytes]:
    """(file name, bytes) of one raw file; KeyError for an unknown resource."""
    files = raw_files(dataset)
    if resource not in files:
        raise KeyError(f"no file for {resource!r}")
    return files[resource].name, files[resource].read_bytes()


def expected_columns(dataset: Dataset) -> dict[str, list[str]]:
    """Resource → the column names its schema expects (from the current data package)."""
    cols = {r["name"]: [f["name"] for f in r.get("schema", {}).get("fields", [])]
            for r in _descriptor(dataset).get("resources", [])}
    cols.setdefault("scores", [f["name"] for f in data.SCORES_SCHEMA["fields"]])
    return cols


def dataset_summary(dataset: Dataset, history: list[str] | None = None) -> list:
    """The "currently loaded" block."""
    history = state.history() if history is None else history
    files = raw_files(dataset)
    rows = []
    for name, flag in dataset.resource_illustrative.items():
        download = (dbc.Button(f"Download {files[name].name}", id=ids.data_download_button(name), size="sm",
                               color="secondary", outline=True) if name in files else "")
        rows.append(html.Tr([
            html.Td(RESOURCES.get(name, (name,))[0]), html.Td(html.Strong("ILLUSTRATIVE") if flag else "not illustrative"),
            html.Td(dataset.sources.get(name) or "—"), html.Td(download, className="mx-no-print"),
        ]))
    status = (ILLUSTRATIVE_MARK if dataset.illustrative
              else "not illustrative (no part shown is marked illustrative)")
    children = [
        html.H2("Currently loaded", className="h4"),
        html.P([html.Strong(dataset.title), html.Br(), "Status: ", html.Strong(status), html.Br(),
                f"{len(dataset.regions)} regions, {len(dataset.framework)} indicators; scores "
                + ("published (imported), not computed" if dataset.scores_published else "computed with the rule on "
                   "the Methodology page") + "."]),
        dbc.Table([html.Thead(html.Tr([html.Th("Part"), html.Th("Status"), html.Th("Source"), html.Th("Raw file")])),
                   html.Tbody(rows)], size="sm", striped=True, responsive=True),
    ]
    if "datapackage" in files:
        children.append(dbc.Button("Download datapackage.json (schemas, sources, licences)",
                                   id=ids.data_download_button("datapackage"), size="sm", color="secondary",
                                   outline=True, className="mb-2 mx-no-print"))
    children.append(html.H3("Import history (since the app started)", className="h6 mt-2"))
    children.append(html.Ol([html.Li(h) for h in history]) if history else
                    html.P("No file imported yet.", className="text-muted"))
    return children


def _alert(ok: bool, message: str) -> dbc.Alert:
    return dbc.Alert(message, color="info" if ok else "warning", className="mb-0", style={"whiteSpace": "pre-line"})


def _notice_props(dataset: Dataset) -> tuple[list, str]:
    notice = illustrative_notice(dataset, id=None)
    return getattr(notice, "children", None) or [], getattr(notice, "className", None) or ""


@callback(
    Output(ids.DATA_ALERT, "children"),
    Output(ids.DATA_SUMMARY, "children"),
    Output(ids.NOTICE, "children", allow_duplicate=True),
    Output(ids.NOTICE, "className", allow_duplicate=True),
    Output({"type": ids.DATA_UPLOAD_TYPE, "resource": ALL}, "contents"),
    Input({"type": ids.DATA_UPLOAD_TYPE, "resource": ALL}, "contents"),
    Input(ids.DATA_RESET, "n_clicks"),
    State({"type": ids.DATA_UPLOAD_TYPE, "resource": ALL}, "filename"),
    State(ids.DATA_IMPORT_ILLUSTRATIVE, "value"),
    prevent_initial_call=True,
)
def _import(contents, _reset_clicks, filenames, illustrative):
    trigger = ctx.triggered_id
    cleared = [None] * len(contents)
    if trigger == ids.DATA_RESET:
        ok, message = reset_data()
    elif isinstance(trigger, dict) and trigger.get("type") == ids.DATA_UPLOAD_TYPE:
        resource = trigger["resource"]
        index = next(i for i, item in enumerate(ctx.inputs_list[0]) if item["id"]["resource"] == resource)
        if not contents[index]:
            raise dash.exceptions.PreventUpdate
        ok, message = handle_upload(resource, filenames[index], contents[index], bool(illustrative))
    else:
        raise dash.exceptions.PreventUpdate
    dataset = state.current()
    notice_children, notice_class = _notice_props(dataset)
    return _alert(ok, message), dataset_summary(dataset), notice_children, notice_class, cleared


@callback(
    Output(ids.DATA_DOWNLOAD, "data"),
    Input({"type": ids.DATA_DOWNLOAD_BUTTON_TYPE, "resource": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
def _download(clicks):
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not ctx.triggered or not ctx.triggered[0].get("value"):
        raise dash.exceptions.PreventUpdate  # buttons (re)appearing after an import, not a click
    try:
        name, content = raw_file(state.current(), trigger["resource"])
    except KeyError:
        raise dash.exceptions.PreventUpdate from None
    return dcc.send_bytes(content, name)


clientside_callback(
    """function(id) {
        if (window.location.hash === '#' + id) {
            setTimeout(function () {
                var el = document.getElementById(id);
                if (el) { el.scrollIntoView(); }
            }, 100);
        }
        return window.dash_clientside.no_update;
    }""",
    Output(ids.METHODOLOGY_DATA, "title"),
    Input(ids.METHODOLOGY_DATA, "id"),
)
