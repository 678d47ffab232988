"""Integration Lab callbacks: thin wrappers (registered per app) around plain, tested functions.

Inputs → :mod:`dashboard.views.lab` → :mod:`dashboard.components.lab` → Outputs. Region names and the
resolution of a typed region come from the app's dataset (:class:`~dashboard.lab.vocab.Regions`).

The contribution form's submissions arrive here, through Dash's callback request (a JSON POST, which a
browser never sends cross-site without asking first); they take the same path as the API's
(:func:`dashboard.lab.guard.receive`: same-origin check, rate limits per client, honeypot, validation,
commit and read-back), so each outcome is the same, shown as an alert instead of a status code.
"""

from __future__ import annotations

import logging
from typing import Any

from dash import ALL, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids, state
from dashboard.callbacks.registry import callback
from dashboard.components import lab as lab_components
from dashboard.components.image_buttons import image_response, pressed
from dashboard.figures import lab_map
from dashboard.i18n import _
from dashboard.lab import guard
from dashboard.lab.repository import PracticeFilter
from dashboard.lab.validation import describe_errors
from dashboard.lab.vocab import Regions
from dashboard.views.lab import dataset_regions, lab_view

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# plain functions


def current_regions() -> Regions:
    """The regions of the dataset the app serves (kept per dataset for the shared data)."""
    return dataset_regions(state.current(), cache=state.shared_data())


def filter_from_inputs(regions: Regions, search=None, region=None, country=None, area=None, target=None,
                       aspect=None) -> PracticeFilter:
    """The filter the /lab controls describe (unknown values are dropped)."""
    return PracticeFilter.from_query(
        {"q": search or "", "region": region or [], "country": country or [], "area": area or [],
         "target": target or [], "aspect": aspect or []},
        regions=regions,
    )


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


def submit_contribution(values: dict[str, Any], regions: Regions) -> tuple[Any, dict[str, str], bool]:
    """Store a questionnaire submission: (message component, field errors, done?).

    Every outcome is explicit: stored as pending with its number (only once committed and read back),
    refused with each field's problem, refused as coming from another site, too many submissions from
    this address (when to try again), or not stored because the database failed (the plain sentence;
    details in the log). A filled honeypot looks received (done) and stores nothing. Inside a request the
    app's rate limits count by the client's address; outside one (a test of this function) nothing counts.
    """
    if not guard.request_same_origin():
        log.warning("form submission refused: cross-site request")
        return lab_components.submission_cross_site(), {}, False
    receipt = guard.receive(values, regions=regions, throttle=guard.current_throttle(), client=guard.request_client())
    if receipt.outcome == "invalid":
        return lab_components.submission_refused(describe_errors(receipt.errors)), receipt.errors, False
    if receipt.outcome == "throttled":
        return lab_components.submission_throttled(receipt.throttled), {}, False
    if receipt.outcome == "unavailable":
        return lab_components.submission_not_stored(), {}, False
    if receipt.outcome == "ignored":
        return lab_components.submission_received(), {}, True
    return lab_components.submission_stored(receipt.record), {}, True


def map_image(f: PracticeFilter, fmt: str):
    """(download data, status) of the Lab map for a filter, marked illustrative when it counts an
    illustrative practice; (no_update, why) when the database cannot be read."""
    dataset = state.current()
    view = lab_view(dataset, f)
    if view.error is not None:
        reason = _(view.error)
        return no_update, _("Not exported: {reason}").format(reason=reason[:1].lower() + reason[1:])
    return image_response(view.figure, fmt, "mipexr-lab-map", dataset, title=_(lab_map.TITLE), is_map=True,
                          source=view.map_source, illustrative=view.illustrative)


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
    Output(ids.LAB_URL, "search"),
    *[Input(i, "value") for i in _FILTERS],
    State(ids.LAB_URL, "search"),
    prevent_initial_call=True,
)
def _update_results(search, region, country, area, target, aspect, url_search):
    dataset = state.current()
    regions = dataset_regions(dataset, cache=state.shared_data())
    view = lab_view(dataset, filter_from_inputs(regions, search, region, country, area, target, aspect), regions,
                    cache=state.shared_data())
    return (lab_components.results_list(view, regions), view.count_text, view.figure, *view.links,
            address_bar(view.filters, url_search))


def address_bar(filters: PracticeFilter, current: str | None):
    """The /lab address bar's query for ``filters`` (what the share link holds), or no_update when the address
    already says so (a reload then shows the same filters: :func:`pages.lab.layout` reads them back)."""
    wanted = filters.query_string()
    return no_update if (current or "") == wanted else wanted


@callback(
    *[Output(i, "value") for i in _FILTERS],
    Input(ids.LAB_MAP, "clickData"),
    Input(ids.LAB_CLEAR_FILTERS, "n_clicks"),
    State(ids.LAB_FILTER_REGION, "value"),
    prevent_initial_call=True,
)
def _map_click_or_clear(click_data, _clear_clicks, chosen):
    if ctx.triggered_id == ids.LAB_CLEAR_FILTERS:
        return "", [], [], [], [], []
    return no_update, toggle_region(click_data, chosen), no_update, no_update, no_update, no_update


@callback(
    Output(ids.LAB_FORM_RESULT, "children"),
    Output({"type": ids.LAB_FORM_FIELD, "field": ALL}, "class_name"),
    Output({"type": ids.LAB_FORM_CHOICE, "field": ALL}, "className"),
    Output({"type": ids.LAB_FORM_FEEDBACK, "field": ALL}, "children"),
    Output(ids.LAB_FORM_SUBMIT, "style"),
    Input(ids.LAB_FORM_SUBMIT, "n_clicks"),
    State({"type": ids.LAB_FORM_FIELD, "field": ALL}, "value"),
    State({"type": ids.LAB_FORM_CHOICE, "field": ALL}, "value"),
    prevent_initial_call=True,
    running=[(Output(ids.LAB_FORM_SUBMIT, "disabled"), True, False)],
)
def _submit(n_clicks, field_values, choice_values):
    if not n_clicks:
        return no_update, no_update, no_update, no_update, no_update
    field_ids = [item["id"]["field"] for item in ctx.states_list[0]]
    choice_ids = [item["id"]["field"] for item in ctx.states_list[1]]
    values = {**dict(zip(field_ids, field_values)), **dict(zip(choice_ids, choice_values))}
    message, errors, done = submit_contribution(values, current_regions())
    classes = ["is-invalid" if f in errors else "" for f in field_ids]
    choice_classes = ["lab-choice is-invalid" if f in errors else "lab-choice" for f in choice_ids]
    feedback_ids = [item["id"]["field"] for item in ctx.outputs_list[3]]
    feedbacks = [errors.get(f, "") for f in feedback_ids]
    return message, classes, choice_classes, feedbacks, ({"display": "none"} if done else {})


@callback(
    Output(ids.image_download(lab_components.LAB_SCOPE), "data"),
    Output(ids.image_status(lab_components.LAB_SCOPE), "children"),
    Input({"type": ids.IMAGE_BUTTON_TYPE, "scope": lab_components.LAB_SCOPE, "key": ALL, "fmt": ALL}, "n_clicks"),
    *[State(i, "value") for i in _FILTERS],
    prevent_initial_call=True,
)
def _map_image(clicks, *filters):
    button = pressed(ctx.triggered_id, clicks)
    if button is None:
        raise PreventUpdate
    return map_image(filter_from_inputs(current_regions(), *filters), button[1])
