"""The edition controls (which edition is shown, the change since which earlier edition) and the profile's
table of scores per edition. Rendered only when the data have two or more editions
(:attr:`dashboard.views.editions.EditionChoice.several`); the values come from the URL
(:func:`dashboard.views.editions.parse_editions`).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard import i18n
from dashboard.i18n import N_, _
from dashboard.query import NO_SINCE
from dashboard.views.editions import EditionChoice, change_label

SINCE_HELP = N_("The change is the score of the edition shown minus the score of the earlier edition, in points "
                "on the 0–100 scale.")


def edition_controls(choice: EditionChoice, edition_id: str, since_id: str, *,
                     no_change: str | None = None, always: bool = False) -> html.Div | None:
    """Two labelled native selects: "Edition shown" and "Change since" (``none`` = ``no_change``, translated
    here: pass the English words, default "No change shown"); None with
    fewer than two editions (nothing new on the page), or the same selects hidden when ``always`` (a page
    whose callback takes them as inputs)."""
    if not choice.several and not always:
        return None
    editions = [{"label": str(e), "value": str(e)} for e in reversed(choice.editions)]
    since = [{"label": _(no_change or N_("No change shown")), "value": NO_SINCE}] + [
        {"label": str(e), "value": str(e)} for e in reversed(choice.editions) if e != choice.edition]
    return html.Div([
        html.Div([
            dbc.Label(_("Edition shown"), html_for=edition_id, className="small fw-semibold mb-0"),
            dbc.Select(id=edition_id, options=editions, value=str(choice.edition), size="sm"),
        ], className="me-3"),
        html.Div([
            dbc.Label(html.Span(_("Change since"), title=_(SINCE_HELP)), html_for=since_id,
                      className="small fw-semibold mb-0"),
            dbc.Select(id=since_id, options=since, value=str(choice.since or NO_SINCE), size="sm"),
        ]),
    ], className=("d-flex flex-wrap align-items-end gap-2 mb-2 mx-no-print mx-edition-controls" if choice.several
                  else "d-none"))  # not `hidden`: Bootstrap's d-flex is !important and would show it again


def _fmt(value, signed: bool = False) -> str:
    if value is None or pd.isna(value):
        return "–"
    text = i18n.number(value, 0)
    return ("+" + text if signed and not text.startswith(("-", "−")) else text)


def editions_table(table: pd.DataFrame, editions: tuple[int, ...], shown: int | None, reference: int | None,
                   id: str | None = None) -> html.Table:
    """Scores per edition (one column each; the shown one in bold) and the change from ``reference``."""
    head = [html.Th(_("Dimension"), scope="col")] + [
        html.Th(html.Strong(str(e)) if e == shown else str(e), scope="col", className="text-end")
        for e in editions]
    if "change" in table.columns and reference is not None:
        head.append(html.Th(_("{change} (points)").format(change=change_label(reference)), scope="col",
                            className="text-end",
                            title=_("score {shown} minus score {reference}").format(shown=shown, reference=reference)))
    rows = []
    for rec in table.to_dict("records"):
        cells = [html.Th(rec["label"], scope="row", className="fw-normal")]
        cells += [html.Td(_fmt(rec[str(e)]), className="text-end" + (" fw-semibold" if e == shown else ""))
                  for e in editions]
        if "change" in table.columns and reference is not None:
            cells.append(html.Td(_fmt(rec["change"], signed=True), className="text-end"))
        rows.append(html.Tr(cells))
    caption = (_("Scores 0–100 in each edition; the change is the score of {shown} minus the score of "
                 "{reference}, in points.").format(shown=shown, reference=reference) if reference is not None
               else _("Scores 0–100 in each edition."))
    kwargs = {"id": id} if id else {}
    return html.Table([html.Caption(caption), html.Thead(html.Tr(head)), html.Tbody(rows)],
                      className="table table-sm mx-editions-table", **kwargs)
