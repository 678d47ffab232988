"""Data page: check uploads (published score tables, or one part of the package), then keep them in a private
workspace (only this browser) or publish them for everyone (admin token); leave the workspace; roll back or
reset the shared data (admin token); download the raw files.

Every action calls the pure functions of :mod:`dashboard.views.data`; on any problem the page says what and
where (file, row, column) and nothing changes: every visitor keeps the data they had. The workspace id travels
in an HttpOnly cookie (:data:`dashboard.state.WORKSPACE_COOKIE`), so every page, callback and export of this
browser — on any worker — shows the workspace, and no other visitor does.

Also here: the small client-side scroll that makes ``/methodology#data`` (the link in the illustrative notice)
land on the data-provenance section after the page has rendered.
"""

from __future__ import annotations

from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html

from dashboard import data, i18n, ids, state
from dashboard.callbacks.registry import callback, clientside_callback
from dashboard.components.notice import illustrative_notice
from dashboard.constants import ILLUSTRATIVE_MARK, MAX_FILE_BYTES, MB
from dashboard.data import Dataset
from dashboard.errors import UserError
from dashboard.i18n import N_, _
from dashboard.views import data as dv

#: The parts of the data package a visitor may replace: (title, what the file holds), English, N_-marked; shown
#: through :func:`resource_texts` in the visitor's language.
RESOURCES: dict[str, tuple[str, str]] = {
    "answers": (N_("Indicator answers"), N_("One row per region and indicator: the answer as points 0–100 "
                                            "(empty = not answered).")),
    "regions": (N_("Regions"), N_("One row per region: NUTS 2021 code, names, country, NUTS level, NUTS 2024 "
                                  "code(s), partner flag.")),
    "framework": (N_("Questionnaire (framework)"), N_("One row per indicator: question and its tags on the four "
                                                      "axes (answer scale and options may be left out).")),
    "outcomes": (N_("Context statistics"), N_("One row per region, statistic and year: value, NUTS unit used, "
                                              "proxy flag, source, provenance.")),
    "scores": (N_("Published scores"), N_("One row per region and dimension: region_id, dimension, score "
                                          "(0–100), optionally edition. Shown instead of computed scores.")),
}
#: Parts of a package that are not uploaded here but listed in the "Shown now" table.
OTHER_PARTS = {"outcome_indicators": N_("Context statistics catalogue")}
ACCEPT = ".csv,.xlsx"
COOKIE_MAX_AGE = 24 * 3600


def limit_text() -> str:
    """The upload size limit ("10 MB"), with the current language's digits."""
    return _("{size} MB").format(size=i18n.number(MAX_FILE_BYTES / MB))


def resource_texts(resource: str) -> tuple[str, str]:
    """(title, description) of a replaceable part, in the current language."""
    title, text = RESOURCES[resource]
    return _(title), _(text)


def part_name(resource: str) -> str:
    """A package part's name as the page shows it (any resource name, known or not)."""
    if resource in RESOURCES:
        return _(RESOURCES[resource][0])
    if resource in OTHER_PARTS:
        return _(OTHER_PARTS[resource])
    return resource.replace("_", " ").capitalize()


def too_large_message(filename: str, size: int) -> str:
    return "{}\n{}. {}".format(_(dv.NOT_CHANGED), data.too_big(filename, size),
                               _("A MIPEX-R file is normally well under 1 MB."))


def _edition(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def check_upload(dataset: Dataset, pending: dict | None, tables: list | None, table_names: list | None,
                 resource_contents: list | None, resource_ids: list | None, resource_names: list | None,
                 edition=None, source: str | None = None, illustrative: bool = False) -> dv.Checked:
    """The pending upload (``pending``: ``{"kind": "tables"}`` or ``{"kind": "resource", "resource": …}``)
    checked into a package; :class:`UserError` (file, row, column) when it cannot be."""
    if not pending:
        raise UserError(_("Choose a file first."))
    if pending.get("kind") == "tables":
        uploads = [(Path(name or "table.csv").name, dv.decode_upload(content, Path(name or "table.csv").name))
                   for content, name in zip(tables or [], table_names or []) if content]
        if not uploads:
            raise UserError(_("Choose one or more score tables first."))
        return dv.package_from_tables(dataset, uploads, _edition(edition), source)
    resource = pending.get("resource")
    index = next((i for i, rid in enumerate(resource_ids or []) if rid.get("resource") == resource), None)
    if resource not in RESOURCES or index is None or not (resource_contents or [None])[index]:
        raise UserError(_("Choose a file first."))
    name = Path(resource_names[index] or "upload.csv").name
    content = dv.decode_upload(resource_contents[index], name)
    return dv.package_from_resource(dataset, resource, name, content, bool(illustrative))


def preview_children(checked: dv.Checked | None, error: str | None = None) -> list:
    if error:
        return [dbc.Alert([html.Strong(_("Not recognised.")), " ", error, html.Br(), _(dv.NOT_CHANGED)],
                          color="warning", className="mb-0", style={"whiteSpace": "pre-line"})]
    if checked is None:
        return []
    color = "success" if checked.ok else "warning"
    return [dbc.Alert([html.Strong(_("Check: ready to use.") if checked.ok else
                                   _("Check: not everything was recognised.")),
                       html.Pre("\n".join(checked.lines), className="mb-0 mt-1 small",
                                style={"whiteSpace": "pre-wrap"})],
                      color=color, className="mb-0")]


def _alert(ok: bool, message: str) -> dbc.Alert:
    return dbc.Alert(message, color="success" if ok else "warning", className="mb-0", style={"whiteSpace": "pre-line"})


def dataset_summary(dataset: Dataset, private: bool = False) -> list:
    """The "shown now" block: where the data come from, which parts are illustrative, raw files."""
    files = dv.raw_files(dataset)
    pub = state.published()
    if private:
        origin = _("your private workspace (only this browser sees it)")
    elif pub is not None and pub.version_id is not None:
        origin = _("shared version {id}, published for everyone").format(id=pub.version_id)
    else:
        origin = _("the app's data folder (nothing has been published)")
    rows = []
    for name, flag in dataset.resource_illustrative.items():
        download = (dbc.Button(_("Download {file}").format(file=dv.raw_name(dataset, name, files[name])),
                               id=ids.data_download_button(name), size="sm",
                               color="secondary", outline=True) if name in files else "")
        rows.append(html.Tr([
            html.Td(part_name(name)),
            html.Td(html.Strong(_("ILLUSTRATIVE")) if flag else _("real (not illustrative)")),
            html.Td(_(dataset.sources.get(name) or "") or "—"), html.Td(download, className="mx-no-print"),
        ]))
    status = _(ILLUSTRATIVE_MARK) if dataset.illustrative else _("no part shown is marked illustrative")
    editions = ", ".join(str(e) for e in dataset.editions) or "—"
    counts = (_("{regions} regions, {indicators} indicators, edition(s) {editions}; scores published (imported), "
                "not computed.") if dataset.scores_published else
              _("{regions} regions, {indicators} indicators, edition(s) {editions}; scores computed with the rule on "
                "the Methodology page."))
    children = [
        html.H2(_("Shown now"), className="h4"),
        html.P([html.Strong(dataset.title), html.Br(), _("From:"), " ", html.Strong(origin), html.Br(),
                _("Status:"), " ", html.Strong(status), html.Br(),
                counts.format(regions=len(dataset.regions), indicators=len(dataset.framework), editions=editions)]),
        dbc.Table([html.Thead(html.Tr([html.Th(_("Part")), html.Th(_("Status")), html.Th(_("Source")),
                                       html.Th(_("Raw file"))])),
                   html.Tbody(rows)], size="sm", striped=True, responsive=True),
    ]
    if "datapackage" in files:
        children.append(dbc.Button(_("Download datapackage.json (schemas, sources, licences)"),
                                   id=ids.data_download_button("datapackage"), size="sm", color="secondary",
                                   outline=True, className="mb-2 mx-no-print"))
    return children


def versions_children() -> list:
    items = dv.versions()
    if not items:
        return [html.P(_("No shared version yet: everyone sees the app's own data."), className="small text-muted")]
    rows = [html.Tr([html.Td(v.id), html.Td(str(v.created_at)[:16]), html.Td(v.source or "—"),
                     html.Td(", ".join(map(str, v.editions)) or "—"),
                     html.Td(html.Strong(_("shown to everyone")) if getattr(v, "published", False) else "")])
            for v in items]
    return [dbc.Table([html.Thead(html.Tr([html.Th(_("Version")), html.Th(_("Saved (UTC)")), html.Th(_("Source")),
                                           html.Th(_("Edition(s)")), html.Th(html.Span(_("Shown"),
                                                                                        className="visually-hidden"))])),
                       html.Tbody(rows)], size="sm", striped=True, responsive=True)]


def _notice_props(dataset: Dataset) -> tuple[list, str]:
    notice = illustrative_notice(dataset, id=None)
    return getattr(notice, "children", None) or [], getattr(notice, "className", None) or ""


def _set_cookie(ws_id: str | None) -> None:
    from flask import request

    response = ctx.response
    if ws_id:
        response.set_cookie(state.WORKSPACE_COOKIE, ws_id, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax",
                            secure=request.is_secure, path="/")
    else:
        response.delete_cookie(state.WORKSPACE_COOKIE, path="/")


def act(action: str, checked_fn, token: str | None, generation: int | None) -> tuple[bool, str, str | None | bool]:
    """Carry out an action of the page. Returns (ok, message, workspace change): the new workspace id to set,
    ``False`` to clear it, ``None`` to leave the cookie alone. Nothing changes on any problem."""
    from dashboard import datasets

    not_changed = _(dv.NOT_CHANGED)
    not_recognised = not_changed + "\n" + _("Not everything in the files was recognised (see the check).")
    try:
        if action == ids.DATA_KEEP_PRIVATE:
            checked = checked_fn()
            if not checked.ok:
                return False, not_recognised, None
            ws_id = dv.keep_private(checked)
            return True, _("Loaded into your private workspace: every page of this browser now shows these data; "
                           "nobody else sees them. They are kept for 24 hours after your last visit."), ws_id
        if action == ids.DATA_PUBLISH:
            checked = checked_fn()
            if not checked.ok:
                return False, not_recognised, None
            pub = dv.publish_for_everyone(checked, token, generation)
            return True, _("Published for everyone as shared version {id}: every worker shows it within a few "
                           "seconds.").format(id=pub.version_id), None
        if action == ids.DATA_PUBLISH_WORKSPACE:
            ws_id = state.workspace_id()
            if not ws_id:
                return False, not_changed + "\n" + _("You have no private workspace to publish."), None
            pub = dv.publish_for_everyone(dv.workspace_package(ws_id), token, generation)
            return True, _("Your workspace is now shared version {id}, shown to everyone.").format(
                id=pub.version_id), False
        if action == ids.DATA_LEAVE:
            ws_id = state.workspace_id()
            if ws_id:
                datasets.drop_workspace(ws_id)
            return True, _("You left your private workspace: this browser shows the shared data again."), False
        if action in (ids.DATA_ROLLBACK, ids.DATA_RESET):
            pub = dv.shared_change("rollback" if action == ids.DATA_ROLLBACK else "reset", token, generation)
            if pub.version_id is None:
                return True, _("Everyone now sees the app's own data."), None
            return True, _("Everyone now sees shared version {id}.").format(id=pub.version_id), None
    except UserError as exc:
        return False, f"{not_changed}\n{exc}", None
    return False, not_changed, None


@callback(
    Output(ids.DATA_PREVIEW, "children"),
    Output(ids.DATA_PENDING, "data"),
    Output(ids.DATA_KEEP_PRIVATE, "disabled"),
    Output(ids.DATA_PUBLISH, "disabled"),
    Input(ids.DATA_TABLES_UPLOAD, "contents"),
    Input({"type": ids.DATA_UPLOAD_TYPE, "resource": ALL}, "contents"),
    Input(ids.DATA_EDITION, "value"),
    State(ids.DATA_TABLES_UPLOAD, "filename"),
    State({"type": ids.DATA_UPLOAD_TYPE, "resource": ALL}, "filename"),
    State(ids.DATA_SOURCE, "value"),
    State(ids.DATA_IMPORT_ILLUSTRATIVE, "value"),
    State(ids.DATA_PENDING, "data"),
    prevent_initial_call=True,
)
def _check(tables, contents, edition, table_names, names, source, illustrative, pending):
    trigger = ctx.triggered_id
    if isinstance(trigger, dict) and trigger.get("type") == ids.DATA_UPLOAD_TYPE:
        pending = {"kind": "resource", "resource": trigger["resource"]}
    elif trigger == ids.DATA_TABLES_UPLOAD:
        pending = {"kind": "tables"}
    if not pending:
        raise dash.exceptions.PreventUpdate
    resource_ids = [item["id"] for item in ctx.inputs_list[1]]
    try:
        checked = check_upload(state.current(), pending, tables, table_names, contents, resource_ids, names,
                               edition, source, bool(illustrative))
    except UserError as exc:
        return preview_children(None, str(exc)), pending, True, True
    return preview_children(checked), pending, not checked.ok, not checked.ok


@callback(
    Output(ids.DATA_ALERT, "children"),
    Output(ids.DATA_SUMMARY, "children"),
    Output(ids.DATA_VERSIONS, "children"),
    Output(ids.NOTICE, "children", allow_duplicate=True),
    Output(ids.NOTICE, "className", allow_duplicate=True),
    Output(ids.DATA_GENERATION, "data"),
    Input(ids.DATA_KEEP_PRIVATE, "n_clicks"),
    Input(ids.DATA_PUBLISH, "n_clicks"),
    Input(ids.DATA_PUBLISH_WORKSPACE, "n_clicks"),
    Input(ids.DATA_LEAVE, "n_clicks"),
    Input(ids.DATA_ROLLBACK, "n_clicks"),
    Input(ids.DATA_RESET, "n_clicks"),
    State(ids.DATA_PENDING, "data"),
    State(ids.DATA_TABLES_UPLOAD, "contents"),
    State(ids.DATA_TABLES_UPLOAD, "filename"),
    State({"type": ids.DATA_UPLOAD_TYPE, "resource": ALL}, "contents"),
    State({"type": ids.DATA_UPLOAD_TYPE, "resource": ALL}, "filename"),
    State(ids.DATA_EDITION, "value"),
    State(ids.DATA_SOURCE, "value"),
    State(ids.DATA_IMPORT_ILLUSTRATIVE, "value"),
    State(ids.DATA_TOKEN, "value"),
    State(ids.DATA_GENERATION, "data"),
    prevent_initial_call=True,
)
def _act(_private, _publish, _publish_ws, _leave, _rollback, _reset, pending, tables, table_names, contents,
         names, edition, source, illustrative, token, generation):
    if not ctx.triggered or not ctx.triggered[0].get("value"):
        raise dash.exceptions.PreventUpdate
    resource_ids = [item["id"] for item in ctx.states_list[3]]

    def checked():
        return check_upload(state.current(), pending, tables, table_names, contents, resource_ids, names, edition,
                            source, bool(illustrative))

    ok, message, ws_change = act(ctx.triggered_id, checked, token, generation)
    if isinstance(ws_change, str):
        _set_cookie(ws_change)
        dataset, private = state.workspace(ws_change) or state.shared(), True
    elif ws_change is False:
        _set_cookie(None)
        dataset, private = state.shared(), False
    else:
        dataset, private = state.current(), state.in_workspace()
    if ctx.triggered_id in (ids.DATA_PUBLISH, ids.DATA_PUBLISH_WORKSPACE, ids.DATA_ROLLBACK, ids.DATA_RESET) and ok:
        state.refresh()
        dataset = state.current() if ws_change is None else dataset
    notice_children, notice_class = _notice_props(dataset)
    return (_alert(ok, message), dataset_summary(dataset, private), versions_children(), notice_children,
            notice_class, state.generation())


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
        name, content = dv.raw_file(state.current(), trigger["resource"])
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
