"""Filter controls of the Explore page: country, axis, policy area, target group and sort order.

Each function returns a labelled control carrying the given ``id``; the allowed values live in the
``*_CHOICES`` tables of :mod:`dashboard.views.explore` (``i18n.Labels``: the labels answer in the language of
the request), so that URL parsing and the controls agree. Call these at render time, never at import.
"""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.data import Dataset
from dashboard.figures.explore import SORTS
from dashboard.i18n import _
from dashboard.views.explore import (
    ALL,
    AREA_CHOICES,
    AXIS_CHOICES,
    TARGET_CHOICES,
    country_choices,
)


def _labelled(label: str, control, html_for: str | None = None, help_text: str | None = None) -> html.Div:
    children = [dbc.Label(label, html_for=html_for, className="fw-semibold mb-1"), control]
    if help_text:
        children.append(dbc.FormText(help_text))
    return html.Div(children, className="mb-2")


def country_filter(id: str, dataset: Dataset, value: Sequence[str] = ()) -> html.Div:
    options = [{"label": f"{name} ({code})", "value": code} for code, name in country_choices(dataset).items()]
    return _labelled(_("Country"), dcc.Dropdown(id=id, options=options, value=list(value), multi=True,
                                                placeholder=_("All countries"), clearable=True),
                     help_text=_("Empty = all countries."))


def axis_filter(id: str, value: str = ALL) -> html.Div:
    options = [{"label": label, "value": key} for key, label in AXIS_CHOICES.items()]
    return _labelled(_("Columns of the heat-map and table"), dbc.Select(id=id, options=options, value=value),
                     html_for=id)


def area_filter(id: str, value: Sequence[str] = (), disabled: bool = False) -> html.Div:
    options = [{"label": label, "value": key} for key, label in AREA_CHOICES.items()]
    return _labelled(_("Policy area"), dcc.Dropdown(id=id, options=options, value=list(value), multi=True,
                                                    placeholder=_("All policy areas"), disabled=disabled),
                     help_text=_("Scores are recomputed from the indicators of the chosen areas."))


def target_filter(id: str, value: str = ALL, disabled: bool = False) -> html.Div:
    options = [{"label": label, "value": key, "disabled": disabled} for key, label in TARGET_CHOICES.items()]
    return _labelled(_("Target group"), dbc.RadioItems(id=id, options=options, value=value),
                     help_text=_("One group: only indicators aimed at it (or at both groups) count."))


def sort_control(id: str, value: str = "desc") -> html.Div:
    options = [{"label": label, "value": key} for key, label in SORTS.items()]
    return _labelled(_("Order of the ranking"), dbc.Select(id=id, options=options, value=value), html_for=id)
