"""Policy against outcomes: the selectors ⇄ the URL ⇄ scatter, words and table (thin: views → components)."""

from __future__ import annotations

import dash
from dash import Input, Output, State, html

from dashboard import i18n, ids, state
from dashboard.callbacks.registry import callback
from dashboard.components import outcomes as oc
from dashboard.data import Dataset
from dashboard.query import parse_search
from dashboard.views import outcomes as ov
from dashboard.views.cache import BoundedCache

#: (scatter, summary, table) per (dataset fingerprint, state, language), for the shared data only.
_RESULTS = BoundedCache(64)


def state_from_controls(dataset: Dataset, x, y, mode, region) -> tuple[ov.OutcomesState, list[str]]:
    """The controls' values → a valid state (through the same lenient parser as the URL)."""
    params = {"x": [x] if x else [], "y": [y] if y else [], "mode": [mode] if mode else [],
              "region": [region] if region else []}
    return ov.parse_outcomes_query(params, dataset)


def results(dataset: Dataset, st: ov.OutcomesState, notes: list[str], cache: bool = False) -> tuple:
    """(scatter, summary, table children) of ``st``. With ``cache`` (the shared data) and no note about the
    request's values, kept per (dataset fingerprint, state, language); callers must not change them."""
    def build() -> tuple:
        view = ov.outcomes_view(dataset, st, notes)
        return ov.outcomes_figure(view), oc.summary(view), [oc.outcomes_table(view), oc.sources(view)]

    return _RESULTS.get((dataset.fingerprint, st, tuple(notes), i18n.current()), build, store=cache and not notes)


def update(dataset: Dataset, x, y, mode, region, search, cache: bool = False):
    """Everything the page shows for the controls (tested as a plain function)."""
    st, notes = state_from_controls(dataset, x, y, mode, region)
    figure, summary, table = results(dataset, st, notes, cache)
    url_state, _unused = ov.parse_outcomes_query(parse_search(search), dataset)
    new_search = dash.no_update if url_state == st else "?" + ov.page_href(st).split("?", 1)[1]
    return (figure, summary, table, [html.Div(n) for n in notes], st.mode, oc.mode_options(dataset, st.y),
            new_search)


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
    return update(state.current(), x, y, mode, region, search, cache=state.shared_data())
