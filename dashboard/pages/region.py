"""Region profile page (`/region/<region_id>`): score, group, position, radars per axis, TCN vs BIP,
strengths and room for development, summary, similar regions, context statistics, links."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids, state
from dashboard.callbacks import region as region_logic
from dashboard.components.editions import edition_controls
from dashboard.components.export_buttons import export_buttons
from dashboard.i18n import N_, _
from dashboard.views.editions import parse_editions


def _title(region_id=None, **_ignored):
    try:
        dataset = state.current()
        rid = region_logic.normalise_region_id(region_id)
        if dataset.has_region(rid):
            return _("{region} — MIPEX-R Explorer").format(region=dataset.region_name(rid))
    except Exception:  # the title must never break the page
        pass
    return _("Region profile — MIPEX-R Explorer")


dash.register_page(__name__, path_template="/region/<region_id>", title=_title, name="Region profile")


def layout(region_id=None, edition=None, since=None, **_ignored):
    dataset = state.current()
    choice = parse_editions(dataset, edition, since)
    content, rid = region_logic.profile_layout(dataset, region_id, choice, cache=state.shared_data())
    selector = html.Div([
        dbc.Label(_("Another region"), html_for=ids.REGION_SELECT, className="small mb-0 me-2"),
        dbc.Select(id=ids.REGION_SELECT, options=dataset.region_options(), value=rid or "",
                   placeholder=_("Choose a region"), size="sm", style={"maxWidth": "22rem"}),
    ], className="d-flex align-items-center mb-2 mx-no-print")
    return html.Div([
        dcc.Location(id=ids.REGION_LOCATION, refresh="callback-nav"),
        html.Div([dcc.Link("← " + _("Map"), href="/", className="me-3"), selector],
                 className="d-flex align-items-center flex-wrap gap-2"),
        edition_controls(choice, ids.REGION_EDITION, ids.REGION_SINCE, no_change=N_("The edition before"))
        if rid else None,
        html.Div([dbc.Alert(n, color="info", className="py-2 mb-2") for n in choice.notes], role="status"),
        export_buttons(None, {"region": rid, **choice.params()}, fixed={"region": rid}, view="region",
                       page=f"/region/{rid}", location=ids.REGION_LOCATION, brief=True, key="profile") if rid else None,
        content,
    ])
