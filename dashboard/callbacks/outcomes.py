"""Policy against outcomes: the selectors ⇄ the URL ⇄ scatter, words and table (thin: views → components)."""

from __future__ import annotations

import dash
from dash import Input, Output, State, html

from dashboard import ids, state
from dashboard.callbacks.registry import callback
from dashboard.components import outcomes as oc
from dashboard.data import Dataset
from dashboard.query import parse_search
from dashboard.views import outcomes as ov


def state_from_controls(dataset: Dataset, x, y, mode, region) -> tuple[ov.OutcomesState, list[str]]:
    """The controls' values → a valid state (through the same lenient parser as the URL)."""
    params = {"x": [x] if x else [], "y": [y] if y else [], "mode": [mode] if mode else [],
              "region": [region] if region else []}
    return ov.parse_outcomes_query(params, dataset)


def update(dataset: Dataset, x, y, mode, region, search):
    """Everything the page shows for the controls (tested as a plain function)."""
    st, notes = state_from_controls(dataset, x, y, mode, region)
    view = ov.outcomes_view(dataset, st, notes)
    url_state, _unused = ov.parse_outcomes_query(parse_search(search), dataset)
    new_search = dash.no_update if url_state == st else "?" + ov.page_href(st).split("?", 1)[1]
    return (ov.outcomes_figure(view), oc.summary(view), [oc.outcomes_table(view), oc.sources(view)],
            [html.Div(n) for n in notes], st.mode, oc.mode_options(dataset, st.y), new_search)


@callback(
    Output(ids.OUTCOMES_GRAPH, "figure"),
    Output(ids.OUTCOMES_SUMMARY, "children"),
    Output(ids.OUTCOMES_TABLE, "children"),
    Output(ids.OUTCOMES_NOTE, "children"),
    Output(ids.OUTCOMES_MODE, "value"),
    Output(ids.OUTCOMES_MODE, "options"),
    Output(ids.OUTCOMES_URL, "search"),
    Input(ids.OUTCOMES_X, "value"),
    Input(ids.OUTCOMES_Y, "value"),
    Input(ids.OUTCOMES_MODE, "value"),
    Input(ids.OUTCOMES_REGION, "value"),
    State(ids.OUTCOMES_URL, "search"),
    prevent_initial_call=True,
)
def _update(x, y, mode, region, search):
    return update(state.current(), x, y, mode, region, search)
