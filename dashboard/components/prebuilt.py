"""A component tree kept between requests, with its JSON made once.

Dash writes a response by asking every component of a layout for its JSON (``to_plotly_json``, one call per
component, then plotly's encoder): for the Self-assessment page's ~3,000 components that is most of a page
render. :func:`prebuilt` makes that JSON once, when the tree is built and kept (per dataset fingerprint and
language, see :mod:`dashboard.views.cache`); Dash then writes the same JSON from plain dicts. The tree itself
stays as it was (tests and callers read it as usual); it must not be changed after this call."""

from __future__ import annotations

import json

from dash.development.base_component import Component
from plotly.io.json import to_json_plotly


def prebuilt(component: Component) -> Component:
    """``component``, answering Dash's ``to_plotly_json`` with its JSON made now (the very same JSON)."""
    plain = json.loads(to_json_plotly(component))
    component.to_plotly_json = lambda: plain  # type: ignore[method-assign]
    return component
