"""Profile sections: the questions behind each dimension (drill-down) and a region's published description.

Each dimension is a native ``<details>`` element: keyboard- and screen-reader-accessible, opened without a
callback, printed closed. The numbers come from :mod:`dashboard.views.drilldown`.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard import i18n, ids, scoring
from dashboard.constants import ILLUSTRATIVE_MARK
from dashboard.data import Dataset
from dashboard.i18n import _
from dashboard.published import published_description
from dashboard.views.drilldown import DrillDown, drilldowns


def _summary(view: DrillDown) -> list:
    return [
        html.Strong(view.label), f": {i18n.number(view.score)} /100",
        html.Span(" " + _("(average of all regions {average}; {answered} of {total} questions answered)").format(
            average=i18n.number(view.average), answered=view.answered, total=len(view.rows)), className="text-muted"),
    ]


def drilldown_table(view: DrillDown) -> dbc.Table:
    """The questions of one dimension, weakest first."""
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in
                               (_("Question"), _("The region's answer"), _("Points (0–100)"),
                                _("Average of all regions"))]))
    body = html.Tbody([
        html.Tr([html.Td(rec.question), html.Td(rec.answer), html.Td(i18n.number(rec.points)),
                 html.Td(i18n.number(rec.average))])
        for rec in view.rows.itertuples(index=False)
    ])
    caption = html.Caption(_("{dimension}: the questions behind the score of {region}, weakest first").format(
        dimension=view.label, region=view.region_name))
    return dbc.Table([caption, head, body], size="sm", striped=True, responsive=True, class_name="mx-drilldown mb-2")


def drilldown_section(dataset: Dataset, region_id: str, cache: bool = False) -> html.Div:
    """Every policy area, governance element and policy-cycle phase, each opening to its questions
    (``cache``: see :func:`dashboard.views.drilldown.drilldown`)."""
    blocks: list = []
    for axis in ("area", "element", "phase"):
        views = drilldowns(dataset, region_id, axes=(axis,), cache=cache)
        blocks.append(html.H3(scoring.AXIS_LABELS[axis], className="h6 mt-3"))
        blocks += [
            html.Details([html.Summary(_summary(v)), drilldown_table(v)], className="mx-drilldown-item mb-1",
                         **{"data-dimension": v.dimension})
            for v in views
        ]
    note = _("Open a dimension to see the questions behind its score: the region's answer, the points it "
             "earned and the average points of all regions, weakest first.")
    source = _("Source: {source}. Scale 0–100.").format(source=_(scoring.SOURCE_LINE))
    return html.Div([
        html.H2(_("The questions behind each score"), className="h5"),
        html.P(note, className="small text-muted"),
        *blocks,
        html.P(source + (f" {_(ILLUSTRATIVE_MARK)}." if dataset.illustrative else ""),
               className="mx-source small mt-2"),
    ], id=ids.REGION_DRILLDOWN, className="mx-card")


def published_section(dataset: Dataset, region_id: str) -> html.Div | None:
    """The region's published description with its source, when one exists (the Azores), beside a note
    that the numbers on the page are generated when the dataset is illustrative."""
    text = published_description(region_id)
    if text is None:
        return None
    note = None
    if dataset.illustrative:
        note = html.P(_("This text is the published one (published overall score {score}). The other "
                        "numbers on this page come from the illustrative generator, which keeps this shape: "
                        "well-developed inclusion of actors, limited resources, weaker evaluation.").format(
                            score=i18n.number(text.overall, 0)),
                      className="small text-muted mb-0")
    return html.Div([
        html.H2(_("Published description"), className="h5"),
        html.Figure([
            # the published words are quoted as published (English), whatever the page's language
            html.Blockquote(html.P(text.text, className="mb-0"), className="blockquote fs-6", lang="en"),
            html.Figcaption([html.Span(text.title + ". "), html.Cite(text.source)], className="blockquote-footer mt-1",
                           lang="en"),
        ], className="mb-2"),
        note,
    ], id=ids.REGION_PUBLISHED, className="mx-card")
