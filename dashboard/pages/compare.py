"""Compare page (`/compare?regions=PT20,PT17,ES51`): 2–4 regions side by side with the all-region average."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import i18n, ids, state
from dashboard.callbacks.compare import TABLE_OPTIONS, TEXT_CHARTS, note_children, parts
from dashboard.components.chart_text import words_note
from dashboard.components.data_grid import data_grid
from dashboard.components.editions import edition_controls
from dashboard.components.export_buttons import export_buttons
from dashboard.components.graph import graph
from dashboard.components.notice import source_line
from dashboard.components.outcomes import compare_section
from dashboard.constants import MAX_COMPARE
from dashboard.export.browser import browser_available
from dashboard.i18n import N_, _
from dashboard.views.cache import BoundedCache, frozen
from dashboard.views.compare import (
    RADAR_AXES,
    compare_view,
    parse_regions,
    region_options,
)
from dashboard.views.editions import parse_editions, shown


def _title(**_ignored) -> str:
    return _("MIPEX-R Explorer — compare regions")


dash.register_page(__name__, path="/compare", title=_title, name="Compare")



def _images(chart: str, region_ids, graph_id: str, editions=None, **fixed) -> html.Div:
    """PNG · SVG · PDF of one chart (the data and brief links are in the row at the top)."""
    return export_buttons(chart, {"regions": region_ids, **(editions or {})}, fixed=fixed or None, page="/compare",
                          location=ids.COMPARE_URL, graph_id=graph_id, data=False, full_dataset=False,
                          label=_("Download:"))


#: Whole pages per (dataset fingerprint, regions, notes, edition choice, language, server-side export): shared
#: data only; the component trees are read-only once built.
PAGES = BoundedCache(64)


def layout(regions=None, edition=None, since=None, **query):
    full = state.current()
    choice = parse_editions(full, edition, since)
    dataset = shown(full, choice)
    region_ids, url_notes = parse_regions(regions, dataset)
    url_notes = url_notes + list(choice.notes)
    cache = state.shared_data()
    key = (full.fingerprint, tuple(region_ids), tuple(url_notes), choice.edition, choice.since, i18n.current(),
           browser_available())
    def build() -> html.Div:
        page = _page(dataset, choice, region_ids, url_notes, cache)
        return frozen(page) if cache else page  # kept: its JSON made once

    return PAGES.get(key, build, cache)


def _page(dataset, choice, region_ids, url_notes, cache: bool) -> html.Div:
    view = compare_view(dataset, region_ids, since=choice.since, edition_params=choice.params(), cache=cache)
    ed = choice.params()
    done = parts(dataset, view, cache) if view.ready else None
    texts = dict(zip([gid for _key, gid in TEXT_CHARTS], done.texts)) if done else {}

    def chart(graph_id: str, figure, images) -> html.Figure:
        """A chart with its export links and its text alternative (replaced by the callback on a change)."""
        return html.Figure([graph(graph_id, figure), images,
                            html.Figcaption(texts.get(graph_id, []), id=ids.chart_text(graph_id))],
                           className="mx-chart mb-2")

    return html.Div([
        dcc.Location(id=ids.COMPARE_URL, refresh=False),
        html.H1(_("Compare regions"), className="h2"),
        html.P(_("Choose two to four regions. Each is shown against the average of all {n} regions; every score "
                 "is on a 0–100 scale.").format(n=len(dataset.regions))),
        dbc.Alert(note_children(url_notes), color="info", className="py-2") if url_notes else None,
        html.Div([
            dbc.Label(_("Regions to compare (2–4)"), html_for=ids.COMPARE_REGIONS, className="fw-semibold mb-1"),
            dcc.Dropdown(id=ids.COMPARE_REGIONS, options=region_options(dataset, view.region_ids),
                         value=view.region_ids, multi=True, placeholder=_("Choose regions…")),
            dbc.FormText(_("Up to {n} regions; the link of this page keeps your choice.").format(n=MAX_COMPARE)),
        ], className="mb-2 mx-no-print", style={"maxWidth": "48rem"}),
        edition_controls(choice, ids.COMPARE_EDITION, ids.COMPARE_SINCE, no_change=N_("No change column"),
                         always=True),
        html.Div(note_children(view.notes), id=ids.COMPARE_NOTE, className="text-muted mb-2", role="status"),
        html.Div([
            export_buttons(None, {"regions": view.region_ids, **ed}, view="compare", page="/compare",
                           location=ids.COMPARE_URL, brief=True),
            words_note("TCN", "BIP", "Policy output"),
            dbc.Row([dbc.Col(chart(ids.compare_radar(a), view.radars.get(a),
                                   _images("radar", view.region_ids, ids.compare_radar(a), ed, axis=a)), lg=6)
                     for a in RADAR_AXES]
                    + [dbc.Col(chart(ids.COMPARE_TARGET, view.target,
                                     _images("target", view.region_ids, ids.COMPARE_TARGET, ed)), lg=6)],
                    className="g-2"),
            chart(ids.COMPARE_BARS_AREAS, view.bars.get("areas"),
                  _images("compare", view.region_ids, ids.COMPARE_BARS_AREAS, ed)),
            chart(ids.COMPARE_BARS_GOVERNANCE, view.bars.get("governance"),
                  _images("compare", view.region_ids, ids.COMPARE_BARS_GOVERNANCE, ed, axis="element")),
            html.H2(_("Scores and differences"), className="h4 mt-3"),
            data_grid(ids.COMPARE_TABLE, view.table, view.columns, **TABLE_OPTIONS,
                      caption=_("The same numbers as the charts, as a table. Differences are in points on the "
                                "0–100 scale: the region's score minus the reference.")),
            html.Div(source_line(dataset), id=ids.COMPARE_SOURCE),
            html.Div(done.outcomes if done else compare_section(dataset, view.region_ids), id=ids.COMPARE_OUTCOMES),
        ], id=ids.COMPARE_CONTENT, hidden=not view.ready),
    ])
