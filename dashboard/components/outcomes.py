"""Policy against outcomes: the page's controls, the words under the scatter, the table alternative, the
region profile's outcome section and the comparison page's outcome table. Rendering only; the numbers come from
:mod:`dashboard.views.outcomes`."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import i18n, ids
from dashboard.data import Dataset
from dashboard.i18n import N_, _
from dashboard.views import outcomes as ov

NO_REGION = ""




def _signed(value: float, digits: int = 1) -> str:
    """A difference with its sign, in the current language's notation ("+2,5" in French)."""
    return f"{value:+.{digits}f}"[0] + i18n.number(abs(value), digits)


def controls(dataset: Dataset, state: ov.OutcomesState) -> html.Div:
    """Selectors for the governance dimension, the outcome, value or gap, and the highlighted region."""
    gap_ok = ov.gap_available(dataset, state.y)
    return html.Div([
        dbc.Label(_("Governance dimension (across)"), html_for=ids.OUTCOMES_X, className="small mb-0"),
        dbc.Select(id=ids.OUTCOMES_X, options=ov.x_options(), value=state.x, size="sm", className="mb-2"),
        dbc.Label(_("Outcome (up)"), html_for=ids.OUTCOMES_Y, className="small mb-0"),
        dbc.Select(id=ids.OUTCOMES_Y, options=ov.y_options(dataset), value=state.y, size="sm", className="mb-2"),
        dbc.Label(_("Show"), html_for=ids.OUTCOMES_MODE, className="small mb-0"),
        dbc.RadioItems(id=ids.OUTCOMES_MODE, value=state.mode, className="mb-2 small",
                       options=mode_options(dataset, state.y, gap_ok)),
        dbc.Label(_("Highlight a region"), html_for=ids.OUTCOMES_REGION, className="small mb-0"),
        dbc.Select(id=ids.OUTCOMES_REGION, value=state.region or NO_REGION, size="sm",
                   options=[{"label": _("none"), "value": NO_REGION}, *dataset.region_options()]),
    ], className="mx-card mx-no-print")


def mode_options(dataset: Dataset, indicator: str, gap_ok: bool | None = None) -> list[dict]:
    if gap_ok is None:
        gap_ok = ov.gap_available(dataset, indicator)
    return [{"label": _("the value"), "value": "value"},
            {"label": _("the gap to nationals"), "value": "gap", "disabled": not gap_ok}]


def summary(view: ov.OutcomesView) -> list:
    """r with n, the two averages and the caveat, in words."""
    lines = [html.P(html.Strong(ov.r_text(view)), className="mb-1")]
    if view.x_mean is not None and view.y_mean is not None:
        lines.append(html.P(_("Averages of these {n} regions: {dimension} {x} /100; {outcome} {y} {unit} "
                              "({direction}).").format(
                                n=view.n, dimension=i18n.in_sentence(view.x_label), x=i18n.number(view.x_mean, 0),
                                outcome=i18n.in_sentence(view.y_label), y=i18n.number(view.y_mean, 1),
                                unit=view.y_unit, direction=view.direction),
                            className="mb-1 small"))
    lines.append(html.P(view.caveat, className="mb-0 small"))
    return lines


def outcomes_table(view: ov.OutcomesView) -> dbc.Table:
    """The table alternative to the scatter: every region with both numbers and the flags."""
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in (
        _("Region"), _("Country"), f"{view.x_label} (0–100)", f"{view.y_label} ({view.y_unit})", _("Year"),
        _("Unit used"), _("Notes"))]))
    body = []
    for rec in view.table.itertuples(index=False):
        notes = []
        if rec.national:
            notes.append(_("national figure"))
        elif rec.proxy:
            notes.append(_("enclosing unit (proxy)"))
        if rec.illustrative:
            notes.append(_("illustrative"))
        year = "" if str(rec.year) in ("<NA>", "nan", "None") else str(rec.year)
        body.append(html.Tr([
            html.Td(html.Strong(rec.name) if rec.highlighted else rec.name), html.Td(rec.country),
            html.Td(i18n.number(rec.x, 0)), html.Td(i18n.number(rec.y, 1)), html.Td(year), html.Td(rec.nuts_used or ""),
            html.Td(", ".join(notes)),
        ], className="table-active" if rec.highlighted else None))
    caption = html.Caption(_("The numbers of the chart: {title}").format(title=view.title))
    return dbc.Table([caption, head, html.Tbody(body)], size="sm", striped=True, responsive=True,
                     class_name="mx-outcomes-table")


def sources(view: ov.OutcomesView) -> html.Div:
    return html.Div([html.P(view.governance_source, className="mx-source mb-0"),
                     html.P(view.outcomes_source, className="mx-source")])


def profile_section(dataset: Dataset, region_id: str, cache: bool = False) -> html.Div | None:
    """The region profile's outcomes for non-EU citizens, each linked to the page that sets it against policy
    (``cache``: keep the per-dataset tables, :func:`dashboard.views.outcomes.section_tables`)."""
    rows = ov.region_outcomes(dataset, region_id, cache)
    if rows.empty:
        return None
    body = []
    for rec in rows.itertuples(index=False):
        flags = []
        if rec.national:
            flags.append(_("national figure"))
        elif rec.proxy:
            flags.append(_("enclosing unit"))
        if rec.illustrative:
            flags.append(_("illustrative"))
        body.append(html.Tr([
            html.Td(rec.label), html.Td(f"{i18n.number(rec.value, 1)} {rec.unit}"),
            html.Td(i18n.number(rec.average, 1)),
            html.Td("–" if rec.gap is None else _signed(rec.gap)), html.Td(", ".join(flags)),
            html.Td(dcc.Link(_("against policy →"), href=rec.href)),
        ]))
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in (
        _("Outcome (non-EU citizens)"), _("Value"), _("Average of all regions"), _("Gap to nationals (points)"),
        _("Notes"), "")]))
    return html.Div([
        html.H2(_("Outcomes for non-EU citizens"), className="h5"),
        html.P(_("How non-EU citizens fare in the region, beside the average of all regions and the gap to the "
                 "region's nationals. Open a row to set it against a governance score; an association across "
                 "regions is not a cause."), className="small text-muted"),
        dbc.Table([html.Caption(_("Outcome indicators (Eurostat tables; see each value's source in the context "
                                  "statistics)")), head, html.Tbody(body)],
                  size="sm", striped=True, responsive=True, class_name="mx-outcomes-profile"),
        dcc.Link(_("Set any governance score against any outcome →"),
                 href=ov.page_href(ov.OutcomesState(region=region_id)), className="btn btn-outline-primary btn-sm"),
    ], id=ids.REGION_OUTCOMES, className="mx-card")


COMPARE_CAVEAT = N_("Outcomes depend on much more than regional policy (the economy, who migrates where, national "
                    "rules): a difference here need not come from a difference in policy.")


def compare_section(dataset: Dataset, region_ids, cache: bool = False) -> list:
    """The comparison page's outcomes: the chosen regions' values for non-EU citizens beside the average of all
    regions, with each value's notes, the caveat, the source line and a link to set them against policy
    (``cache``: keep the per-dataset tables, :func:`dashboard.views.outcomes.section_tables`)."""
    if len(region_ids or []) < 2:
        return []
    co = ov.compare_outcomes(dataset, list(region_ids), cache)
    if co.table.empty:
        return [html.P(_("No outcome values for these regions."), className="small text-muted")]
    head = html.Thead(html.Tr([html.Th(_("Outcome (non-EU citizens)"), scope="col")]
                              + [html.Th(co.names[r], scope="col") for r in co.region_ids]
                              + [html.Th(_("Average of all regions"), scope="col")]))
    body = []
    for rec in co.table.to_dict("records"):
        cells = [html.Th([rec["label"], html.Span(f" ({rec['unit']})", className="text-muted")], scope="row")]
        for rid in co.region_ids:
            flags = rec[f"{rid}_flags"]
            value = i18n.number(rec[rid], 1)
            cells.append(html.Td([value, html.Div(flags, className="small text-muted") if flags else None]))
        cells.append(html.Td(i18n.number(rec["average"], 1)))
        body.append(html.Tr(cells))
    return [
        html.H2(_("Outcomes for non-EU citizens"), className="h4 mt-3"),
        html.P(_("How non-EU citizens fare in each region (Eurostat indicators, latest year), beside the average of "
                 "all regions.") + " " + _(COMPARE_CAVEAT), className="small"),
        dbc.Table([html.Caption(_("Outcome values of the chosen regions and the average of all regions")),
                   head, html.Tbody(body)], size="sm", striped=True, responsive=True,
                  class_name="mx-outcomes-compare"),
        html.P(co.source, className="mx-source"),
        dcc.Link(_("Set a governance score against an outcome →"), href=co.href,
                 className="btn btn-outline-primary btn-sm mb-2"),
    ]
