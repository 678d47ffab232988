"""Reusable controls: the measure selector (overall score or any dimension of the four axes).

A native ``<select>`` (``dbc.Select``): keyboard- and screen-reader-friendly, policy areas first
(right after the overall score), each axis under a disabled group heading. URL values are read by
:func:`dashboard.query.parse_measure`.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard import scoring
from dashboard.i18n import N_, _
from dashboard.query import DEFAULT_MEASURE

#: Axis order in the selector: policy areas are what most users look for, so they come first.
AXIS_ORDER = ("area", "element", "phase", "target")
_HEADING_PREFIX = "__heading__:"


def measure_options(include_overall: bool = True) -> list[dict]:
    """Options for every dimension key, grouped by axis under disabled headings (policy areas first)."""
    options: list[dict] = []
    if include_overall:
        options.append({"label": scoring.dimension_label("overall"), "value": "overall"})
    for axis in AXIS_ORDER:
        options.append({"label": f"── {scoring.AXIS_LABELS[axis]} ──", "value": _HEADING_PREFIX + axis,
                        "disabled": True})
        for key in scoring.AXES[axis]:
            options.append({"label": f"\u00a0\u00a0{scoring.dimension_label(key)}", "value": key})
    return options


def measure_values() -> list[str]:
    """The selectable values (dimension keys), in the selector's order."""
    return [o["value"] for o in measure_options() if not o.get("disabled")]


#: The selector's default label (translated where shown).
MEASURE_LABEL = N_("Policy area or dimension")


def measure_selector(id: str | dict, value: str = DEFAULT_MEASURE, label: str = MEASURE_LABEL,
                     include_overall: bool = True, class_name: str = "") -> html.Div:
    """Label + select of every dimension key; the select carries ``id`` and its ``value`` is the key.
    Options and ``label`` (an English message id, or text already translated) are in the current language."""
    select_id = id
    label_for = id if isinstance(id, str) else None
    return html.Div([
        dbc.Label(_(label), html_for=label_for, className="fw-semibold mb-1"),
        dbc.Select(id=select_id, options=measure_options(include_overall), value=value,
                   class_name="form-select-lg"),
    ], className=f"mx-measure-selector {class_name}".strip())
