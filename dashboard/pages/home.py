"""Map page (`/`): placeholder until the map lands."""

import dash
from dash import html

dash.register_page(__name__, path="/", title="MIPEX-R Explorer — map", name="Map")


def layout(**query):
    return html.Div([html.H1("MIPEX-R Explorer"), html.P("The map is being built.")])
