"""Integration Lab callbacks: thin ``dash.callback`` wrappers around plain, tested functions."""

from __future__ import annotations

import logging
from typing import Any

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy.exc import SQLAlchemyError

from dashboard import ids, state
from dashboard.callbacks.registry import callback
from dashboard.components.image_buttons import image_response, pressed
from dashboard.lab import repository, ui, web
from dashboard.lab.repository import PracticeFilter
from dashboard.lab.validation import SubmissionInvalid, describe_errors

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# plain functions


def filter_from_inputs(search=None, region=None, country=None, area=None, target=None, aspect=None) -> PracticeFilter:
    """The filter the /lab controls describe (unknown values are dropped)."""
    return PracticeFilter.from_query(
        {"q": search or "", "region": region or [], "country": country or [], "area": area or [],
         "target": target or [], "aspect": aspect or []}
    )


def _unavailable_reason(exc: Exception | None = None) -> str:
    reason = web.startup_error()
    if reason:
        return reason
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}" if exc else "unknown error"


def results_view(f: PracticeFilter) -> dict[str, Any]:
    """Everything the /lab page shows for a filter: results, count, map figure, export/share links, status."""
    csv_href, json_href, share_href = ui.export_links(f)
    try:
        records = repository.search_practices(f)
        counts = repository.counts_by_region(f)
        status = None
    except SQLAlchemyError as exc:
        log.exception("Integration Lab query failed")
        records, counts = [], {}
        status = ui.db_unavailable(_unavailable_reason(exc))
    results = ui.results_list(records, f) if status is None else [html.P("No practices can be shown right now.",
                                                                         className="text-muted")]
    return {
        "results": results,
        "count": ui.count_text(len(records), f),
        "figure": ui.map_figure(counts, f.regions),
        "csv": csv_href,
        "json": json_href,
        "share": share_href,
        "status": status,
    }


def practice_view(practice_id: Any):
    """The /lab/<id> page body: the practice, "not found", or a database notice."""
    try:
        rec = repository.get_practice(practice_id)
    except repository.PracticeNotFound:
        return ui.practice_missing(practice_id)
    except SQLAlchemyError as exc:
        log.exception("Integration Lab query failed")
        return ui.db_unavailable(_unavailable_reason(exc))
    return ui.practice_detail(rec)


def toggle_region(click_data: dict | None, current: list[str] | None) -> list[str]:
    """A click on the map adds that region to the region filter, or removes it if already chosen."""
    current = list(current or [])
    try:
        rid = click_data["points"][0]["customdata"]  # type: ignore[index]
    except (TypeError, KeyError, IndexError):
        return current
    if isinstance(rid, list):
        rid = rid[0] if rid else None
    if not rid:
        return current
    return [r for r in current if r != rid] if rid in current else current + [rid]


def submit_contribution(values: dict[str, Any]) -> tuple[Any, dict[str, str], bool]:
    """Store a questionnaire submission: (message component, field errors, stored?).

    Every outcome is explicit: stored as pending with its number, refused with each field's problem,
    or not stored because the database failed (with the reason).
    """
    try:
        rec = repository.create_submission(values)
    except SubmissionInvalid as exc:
        lines = describe_errors(exc.field_errors)
        msg = dbc.Alert(
            [html.Strong(f"Not stored yet: {len(lines)} field(s) need attention."),
             html.Ul([html.Li(line) for line in lines], className="mb-0 mt-1")],
            color="danger", id="lab-form-errors",
        )
        return msg, exc.field_errors, False
    except SQLAlchemyError as exc:
        log.exception("submission not stored")
        return dbc.Alert(
            [html.Strong("Not stored: "), f"the database could not save the submission ({type(exc).__name__}). "
             "Your answers are still in the form; please try again in a moment."],
            color="danger", id="lab-form-dberror",
        ), {}, False
    msg = dbc.Alert(
        [
            html.H2("Thank you — your practice is stored.", className="h5"),
            html.P(["Submission number ", html.Strong(f"#{rec.id}", id="lab-submission-id"),
                    f" “{rec.title}” is waiting for a moderator. It will be shown in the Integration Lab once "
                    "approved."]),
            html.A("Contribute another practice", href="/lab/contribute", className="me-3"),
            dcc.Link("Back to the Integration Lab", href="/lab"),
        ],
        color="success", id="lab-form-success",
    )
    return msg, {}, True


# --------------------------------------------------------------------------------------------
# callbacks

_FILTERS = (ids.LAB_SEARCH, ids.LAB_FILTER_REGION, ids.LAB_FILTER_COUNTRY, ids.LAB_FILTER_AREA,
            ids.LAB_FILTER_TARGET, ids.LAB_FILTER_ASPECT)


@callback(
    Output(ids.LAB_RESULTS, "children"),
    Output(ids.LAB_RESULT_COUNT, "children"),
    Output(ids.LAB_MAP, "figure"),
    Output(ids.LAB_EXPORT_CSV, "href"),
    Output(ids.LAB_EXPORT_JSON, "href"),
    Output(ids.LAB_SHARE_LINK, "href"),
    *[Input(i, "value") for i in _FILTERS],
    prevent_initial_call=True,
)
def _update_results(search, region, country, area, target, aspect):
    view = results_view(filter_from_inputs(search, region, country, area, target, aspect))
    return view["results"], view["count"], view["figure"], view["csv"], view["json"], view["share"]


@callback(
    *[Output(i, "value") for i in _FILTERS],
    Input(ids.LAB_MAP, "clickData"),
    Input(ids.LAB_CLEAR_FILTERS, "n_clicks"),
    State(ids.LAB_FILTER_REGION, "value"),
    prevent_initial_call=True,
)
def _map_click_or_clear(click_data, _clear_clicks, regions):
    if ctx.triggered_id == ids.LAB_CLEAR_FILTERS:
        return "", [], [], [], [], []
    return no_update, toggle_region(click_data, regions), no_update, no_update, no_update, no_update


@callback(
    Output(ids.LAB_FORM_RESULT, "children"),
    Output({"type": ids.LAB_FORM_FIELD, "field": ALL}, "class_name"),
    Output({"type": ids.LAB_FORM_FEEDBACK, "field": ALL}, "children"),
    Output(ids.LAB_FORM_SUBMIT, "style"),
    Input(ids.LAB_FORM_SUBMIT, "n_clicks"),
    State({"type": ids.LAB_FORM_FIELD, "field": ALL}, "value"),
    prevent_initial_call=True,
    running=[(Output(ids.LAB_FORM_SUBMIT, "disabled"), True, False)],
)
def _submit(n_clicks, field_values):
    if not n_clicks:
        return no_update, no_update, no_update, no_update
    field_ids = [item["id"]["field"] for item in ctx.states_list[0]]
    values = dict(zip(field_ids, field_values))
    message, errors, stored = submit_contribution(values)
    classes = ["is-invalid" if f in errors else "" for f in field_ids]
    feedback_ids = [item["id"]["field"] for item in ctx.outputs_list[2]]
    feedbacks = [errors.get(f, "") for f in feedback_ids]
    return message, classes, feedbacks, ({"display": "none"} if stored else {})


def map_image(f: PracticeFilter, fmt: str):
    """(download data, status) of the Lab map for a filter, marked illustrative when it counts an
    illustrative practice."""
    records = repository.search_practices(f)
    figure = ui.map_figure(repository.counts_by_region(f), f.regions)
    source = ui.MAP_SOURCE.format(count=ui.count_text(len(records), f),
                                  filters=f.query_string().lstrip("?") or "none")
    return image_response(figure, fmt, "mipexr-lab-map", state.current(), title=ui.MAP_TITLE, is_map=True,
                          source=source, illustrative=any(r.illustrative for r in records))


@callback(
    Output(ids.image_download(ui.LAB_SCOPE), "data"),
    Output(ids.image_status(ui.LAB_SCOPE), "children"),
    Input({"type": ids.IMAGE_BUTTON_TYPE, "scope": ui.LAB_SCOPE, "key": ALL, "fmt": ALL}, "n_clicks"),
    *[State(i, "value") for i in _FILTERS],
    prevent_initial_call=True,
)
def _map_image(clicks, *filters):
    button = pressed(ctx.triggered_id, clicks)
    if button is None:
        raise PreventUpdate
    return map_image(filter_from_inputs(*filters), button[1])
