"""Builds the Dash app: ``create_app()``; ``server = app.server`` for WSGI servers.

Pages are discovered from ``dashboard/pages/`` (Dash Pages); callbacks are registered on each app by
``dashboard.callbacks``; everything is served locally (no CDN): Bootstrap CSS and plotly.js base-map
topojson come from ``assets/``.
"""

from __future__ import annotations

from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import Dash, dcc, html

from dashboard import callbacks, config, ids, security, state
from dashboard.components.language import language_switch
from dashboard.components.notice import illustrative_notice, workspace_notice
from dashboard.i18n import N_, _

NAV_LINKS = (
    (N_("Map"), "/"),
    (N_("Compare"), "/compare"),
    (N_("Explore & rank"), "/explore"),
    (N_("Policy & outcomes"), "/outcomes"),
    (N_("Integration Lab"), "/lab"),
    (N_("Self-assessment"), "/self-assessment"),
    (N_("Data"), "/data"),
    (N_("Methodology"), "/methodology"),
)

#: Pages whose render (the Pages router's answer) is kept per worker by :mod:`dashboard.serving.responses`:
#: their layout depends on nothing but the shared data, the language and the page's query string (no cookie,
#: no database read, no clock). A page added here needs that to stay true.
CACHED_PAGES = ("/",)


#: Dash's index page with the document language set (screen readers pick the voice from it).
INDEX_STRING = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


def _navbar() -> dbc.Navbar:
    links = [dbc.NavItem(dbc.NavLink(_(label), href=href, active="exact")) for label, href in NAV_LINKS]
    return dbc.Navbar(
        dbc.Container([
            dbc.NavbarBrand("MIPEX-R Explorer", href="/"),
            dbc.NavbarToggler([html.Span(className="navbar-toggler-icon"),
                               html.Span(_("Menu"), className="visually-hidden")], id=ids.NAV_TOGGLER),
            dbc.Collapse(dbc.Nav([*links, language_switch()], navbar=True, className="ms-auto"),
                         id=ids.NAV_COLLAPSE, navbar=True),
        ], fluid=True),
        color="white", dark=False, className="border-bottom mb-2", id=ids.NAV,
    )


def serve_layout() -> html.Div:
    """The shell, built per page load so the notice follows the data currently served."""
    dataset = state.current()
    return html.Div([
        dcc.Location(id=ids.URL, refresh="callback-nav"),
        html.A(_("Skip to the main content"), href=f"#{ids.MAIN}", className="visually-hidden-focusable mx-skip-link"),
        html.Header(_navbar()),
        html.Main(dbc.Container([
            workspace_notice() if state.in_workspace() else None,
            illustrative_notice(dataset),
            dash.page_container,
        ], fluid=True, className="mx-page", id=ids.PAGE_CONTAINER), id=ids.MAIN, tabIndex="-1"),
        # "Preparing your brief…" / "Downloaded …": written by assets/50-export-progress.js, read by screen readers
        html.Div(id=ids.EXPORT_STATUS, role="status", className="mx-export-status mx-no-print",
                 **{"aria-live": "polite", "aria-atomic": "true"}),
    ])


def create_app(data_dir: Path | str | None = None) -> Dash:
    """Build the app on the data in ``data_dir`` (default: ``MIPEXR_DATA_DIR`` or the embedded ``data/``)."""
    state.configure(data_dir)  # validates now: a bad data folder fails at start, with the file/row/column message
    app = Dash(
        # The package name (not __name__): Dash Pages then names page modules ``dashboard.pages.<x>``, the
        # same as a plain import, so importing a page module elsewhere (tests) never registers it twice.
        "dashboard",
        use_pages=True,
        pages_folder=str(Path(__file__).parent / "pages"),
        assets_folder=str(config.ASSETS_DIR),
        serve_locally=True,
        compress=True,
        suppress_callback_exceptions=True,
        title="MIPEX-R Explorer",
        update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.index_string = INDEX_STRING
    app.layout = serve_layout
    # Every callback on this app (not dash's process-wide list, which only the first app would get).
    callbacks.register_all(app)
    from dashboard.i18n import web as i18n_web

    i18n_web.init_app(app)  # first hook: every later hook and callback answers in the request's language
    # Flask routes: a failing import is an error at start, never a silently missing feature.
    from dashboard.routes import datasets as dataset_routes
    from dashboard.routes import export as export_routes
    from dashboard.routes import geo as geo_routes
    from dashboard.routes import lab_api, proxy
    from dashboard.routes import map_values as map_values_routes
    from dashboard.routes import pages as page_status
    from dashboard.serving import http as serving_http
    from dashboard.serving import responses

    proxy.init_app(app)
    dataset_routes.init_app(app)  # first: migrates the dataset tables, which the Lab's seeding reads through state
    lab_api.init_app(app)
    export_routes.init_app(app)
    geo_routes.init_app(app)
    map_values_routes.init_app(app)
    page_status.init_app(app)
    serving_http.init_app(app)  # brotli/gzip, cache headers, /healthz, /readyz
    security.init_app(app)
    # last: answers the same for every visitor of the shared data (index, shell, dependencies, the map page)
    # come from a per-worker cache, and still pass every hook above (compression, language, security headers)
    responses.init_app(app, CACHED_PAGES)
    state.current()  # the published version, if any, now that its tables exist
    return app


def __getattr__(name: str):
    """``dashboard.app.server`` / ``dashboard.app.app`` build the app on first access (for WSGI servers)."""
    if name in ("app", "server"):
        global app, server
        app = create_app()
        server = app.server
        return globals()[name]
    raise AttributeError(name)
