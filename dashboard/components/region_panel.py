"""A region's information: the map's side panel, the clickable region list beside the map, and the
sections of the region profile page. Everything here builds layout from a ``Dataset``; the numbers
come from small pure helpers (:func:`region_position`) that tests call directly.
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import i18n, ids, scoring
from dashboard.components.chart_text import chart_figure, values_table, words_note
from dashboard.components.drilldown import drilldown_section, published_section
from dashboard.components.editions import editions_table
from dashboard.components.export_buttons import export_buttons
from dashboard.components.graph import graph
from dashboard.components.notice import source_line
from dashboard.components.outcomes import profile_section as outcomes_section
from dashboard.components.stats_table import stats_table
from dashboard.data import Dataset
from dashboard.figures import maps as map_figures
from dashboard.figures import profile as profile_figures
from dashboard.figures.maps import GROUP_NAMES, country_label, region_label
from dashboard.i18n import N_, Labels, _, ngettext
from dashboard.views.editions import EditionChoice, profile_editions

GROUP_TEXT = Labels({
    "advanced": N_("advanced (55 or more)"),
    "intermediate": N_("intermediate (45 to under 55)"),
    "lagging": N_("lagging (under 45)"),
})


# ---------------------------------------------------------------------------------------------
# Links (one place, so pages and tests agree)
# ---------------------------------------------------------------------------------------------

def profile_href(region_id: str) -> str:
    return f"/region/{region_id}"


def lab_href(region_id: str) -> str:
    return "/lab?" + urlencode({"region": region_id})


def compare_href(region_ids: list[str]) -> str:
    return "/compare?" + urlencode({"regions": ",".join(region_ids)}, safe=",")


def map_href(measure: str = "overall", region_id: str | None = None) -> str:
    params = {}
    if measure and measure != "overall":
        params["measure"] = measure
    if region_id:
        params["region"] = region_id
    return "/" + (("?" + urlencode(params, safe=":")) if params else "")


# ---------------------------------------------------------------------------------------------
# Pure helpers
# ---------------------------------------------------------------------------------------------

def region_position(scores_table: pd.DataFrame, region_id: str, dimension: str = "overall") -> dict:
    """Rank of a region overall and within its country on ``dimension`` (1 = highest score).

    Returns ``score`` (float or None), ``rank``/``of`` (among all regions with a score),
    ``country_rank``/``country_of`` (among the regions of the same country), ``country_name`` (in the current
    language).
    Ranks are None when the score is missing.
    """
    row = scores_table.loc[region_id]
    ranks = scoring.ranks(scores_table, dimension)
    same = scores_table[scores_table["country"] == row["country"]]
    c_ranks = scoring.ranks(same, dimension)
    score = row[dimension]
    missing = pd.isna(score)
    return {
        "score": None if missing else float(score),
        "rank": None if missing else int(ranks.loc[region_id]),
        "of": int(ranks.notna().sum()),
        "country_rank": None if missing else int(c_ranks.loc[region_id]),
        "country_of": int(c_ranks.notna().sum()),
        "country_name": country_label(scores_table, region_id),
    }


def sorted_regions(scores_table: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Regions by descending score on ``measure`` (missing last, then by name)."""
    table = scores_table.assign(_score=scores_table[measure], _name=scores_table["name_en"])
    table = table.sort_values(["_score", "_name"], ascending=[False, True], na_position="last")
    return table.drop(columns=["_score", "_name"])


def position_text(pos: dict) -> str:
    if pos["rank"] is None:
        return _("No rank: the score is missing.")
    return _("Rank {rank} of {total} regions; {country_rank} of {country_total} in {country}.").format(
        rank=pos["rank"], total=pos["of"], country_rank=pos["country_rank"], country_total=pos["country_of"],
        country=pos["country_name"])


# ---------------------------------------------------------------------------------------------
# Map: region list and side panel
# ---------------------------------------------------------------------------------------------

#: Classes of a region-list button (the list beside the map is drawn in the browser: ``callbacks.map.LIST_JS``).
LIST_ITEM_CLASS = "list-group-item list-group-item-action d-flex align-items-center"


def panel_measure_line(dataset: Dataset, region_id: str, measure: str) -> list:
    """The side panel's line on the measure shown (empty for the overall score, which the panel always shows)."""
    if measure == "overall" or not dataset.has_region(region_id):
        return []
    pos = region_position(dataset.scores_table(), region_id, measure)
    return [html.Strong(_("{measure}: {score}.").format(measure=scoring.dimension_label(measure),
                                                         score=map_figures.format_score(pos["score"])) + " "),
            position_text(pos)]


def panel_placeholder() -> html.Div:
    return html.Div([
        html.H2(_("Choose a region"), className="h5"),
        html.P(_("Click a region on the map or in the list to see its score, a summary chart and its context "
                 "statistics."), className="text-muted mb-0"),
    ])


def region_panel(dataset: Dataset, region_id: str, measure: str = "overall") -> html.Div:
    """Side panel of the map: name, overall score and group, the measure's score and rank, a mini
    radar of the policy areas with the average, the context statistics, and links."""
    table = dataset.scores_table()
    wide = dataset.wide_scores
    row = table.loc[region_id]
    overall = region_position(table, region_id, "overall")
    group = scoring.group_of(overall["score"])
    name = region_label(table, region_id)
    blocks: list = [
        html.H2(name, className="h4 mb-0"),
        html.Div([(_other_name(row, name) + " · ") if _other_name(row, name) else "", overall["country_name"],
                  f" · NUTS {region_id}"], className="text-muted small mb-2"),
        html.Div([
            html.Span([i18n.number(overall["score"]) if overall["score"] is not None else "–", html.Small(" /100")],
                      className="mx-score me-2"),
            html.Span(GROUP_NAMES[group] if group else _("no group"), className="mx-group-badge"),
        ], className="d-flex align-items-center gap-1"),
        html.P([_("Overall score") + ". ", position_text(overall)], className="small mb-2"),
    ]
    # its own element: a measure change updates this line only (callbacks.map), never the whole panel
    blocks.append(html.P(panel_measure_line(dataset, region_id, measure), id=ids.map_panel_measure(),
                         className="small mb-2"))
    if region_id in wide.index and wide.loc[region_id, list(scoring.AXES["area"])].notna().any():
        fig = profile_figures.mini_radar(wide, region_id, dataset.source_line, name=name)
        blocks.append(graph(ids.MAP_PANEL_RADAR, fig, config={"displayModeBar": False}, style={"height": "330px"}))
    blocks += [
        html.Div([
            dcc.Link(_("Open the full profile →"), href=profile_href(region_id), className="btn btn-primary btn-sm"),
            dcc.Link(_("Integration Lab practices →"), href=lab_href(region_id),
                     className="btn btn-outline-secondary btn-sm"),
        ], className="d-flex flex-wrap gap-2 my-2"),
        html.H3(_("Context statistics"), className="h6 mt-3"),
        stats_table(dataset, region_id, compact=True),
        source_line(dataset),
    ]
    return html.Div(blocks, className="mx-region-panel", **{"data-region": region_id})


def _other_name(row: pd.Series, shown: str) -> str:
    """The region's other name (its local name under an English one, or its English name under the local one);
    "" when there is only one."""
    for other in (row.get("name_local"), row.get("name_en")):
        if isinstance(other, str) and other and other != shown:
            return other
    return ""


# ---------------------------------------------------------------------------------------------
# Region profile page
# ---------------------------------------------------------------------------------------------

def region_not_found(dataset: Dataset, requested: str) -> html.Div:
    """Friendly not-found message listing every region as a link."""
    shown = requested if len(requested) <= 40 else requested[:37] + "…"
    links = [html.Li(dcc.Link(o["label"], href=profile_href(o["value"]))) for o in dataset.region_options()]
    return html.Div([
        html.H1(_("Region not found"), className="h3"),
        html.P(ngettext("There is no region with the code “{code}” in the loaded data. Choose one of the {n} "
                        "regions:",
                        "There is no region with the code “{code}” in the loaded data. Choose one of the {n} "
                        "regions:", len(links)).format(code=shown, n=len(links))),
        html.Ul(links, style={"columns": "3 16rem"}),
        dcc.Link(_("← Back to the map"), href="/"),
    ], id=ids.REGION_NOT_FOUND, className="mx-card")


def _points(diff: float) -> str:
    n = round(abs(diff))
    return ngettext("{n} point", "{n} points", n).format(n=n)


def _sw_table(frame: pd.DataFrame, kind: str, id: str) -> html.Div:
    if frame.empty:
        text = (_("No dimension is above the average of all regions.") if kind == "strength"
                else _("No dimension is below the average of all regions."))
        return html.Div(html.P(text, className="text-muted"), id=id)
    items = []
    for rec in frame.itertuples(index=False):
        diff = rec.difference
        rel = (_("({points} above the average of {average})") if diff > 0
               else _("({points} below the average of {average})"))
        items.append(html.Li([
            html.Strong(rec.label), ": " + _("{score} /100").format(score=i18n.number(rec.score)) + " ",
            html.Span(rel.format(points=_points(diff), average=i18n.number(rec.average)), className="text-muted"),
        ]))
    return html.Div(html.Ul(items, className="mb-0"), id=id)


def editions_section(dataset: Dataset, region_id: str, choice: EditionChoice) -> html.Div | None:
    """The region's scores in every edition with the change (None with fewer than two editions)."""
    if not choice.several:
        return None
    table, reference = profile_editions(dataset, region_id, choice.edition, choice.since)
    return html.Div([
        html.H2(_("Scores by edition"), className="h5"),
        html.P(_("Edition {edition} is shown on this page. Choose another edition or the earlier edition "
                 "to compare with above.").format(edition=choice.edition), className="small text-muted"),
        html.Div(editions_table(table, choice.editions, choice.edition, reference, id=ids.REGION_EDITIONS),
                 className="table-responsive"),
        source_line(dataset),
    ], className="mx-card")


def region_profile(dataset: Dataset, region_id: str, choice: EditionChoice | None = None,
                   cache: bool = False) -> html.Div:
    """The full profile of one (known) region; ``dataset`` shows the chosen edition (``choice``: every
    edition and the change, when there are several). ``cache``: keep the per-dataset tables the sections
    read (shared data only)."""
    table = dataset.scores_table()
    wide = dataset.wide_scores
    row = table.loc[region_id]
    name = region_label(table, region_id)
    names = {r: region_label(table, r) for r in table.index}
    pos = region_position(table, region_id, "overall")
    group = scoring.group_of(pos["score"])
    src = dataset.source_line
    meta = dataset.region(region_id)

    header = html.Div([
        dbc.Row([
            dbc.Col([
                html.H1(name, className="h2 mb-0"),
                html.Div([
                    (_other_name(row, name) + " · ") if _other_name(row, name) else "", pos["country_name"],
                    " · " + _("NUTS {code} (level {level})").format(code=region_id, level=meta.get("nuts_level")),
                    (" · " + _("REGIN partner region")) if meta.get("partner_region") else "",
                ], className="text-muted"),
            ], md=7),
            dbc.Col([
                html.Div([
                    html.Span([i18n.number(pos["score"]) if pos["score"] is not None else "–", html.Small(" /100")],
                              className="mx-score me-2"),
                    html.Span(GROUP_TEXT[group] if group in GROUP_TEXT else _("no group"),
                              className="mx-group-badge"),
                ], className="d-flex align-items-center flex-wrap gap-1"),
                html.Div(_("Overall score (0–100)"), className="small text-muted"),
                html.P(position_text(pos), className="mb-0"),
            ], md=5),
        ]),
    ], id=ids.REGION_HEADER, className="mx-card")

    summary = html.Div([
        html.H2(_("In short"), className="h5"),
        html.P(scoring.summary_sentence(name, wide, region_id), id=ids.REGION_SUMMARY, className="fs-6 fw-normal"),
        source_line(dataset),
    ], className="mx-card")

    edition_params = choice.params() if choice is not None else {}

    def chart_exports(chart: str, graph_id: str, **fixed) -> html.Div:
        # image links only: the page's top row already offers the data and the brief; the region is in the
        # page's path, not its query: fixed, so the links keep it when the query changes (e.g. size=a4)
        return export_buttons(chart, {"region": region_id, **edition_params}, fixed={"region": region_id, **fixed},
                              page=profile_href(region_id), location=ids.REGION_LOCATION, graph_id=graph_id, data=False,
                              full_dataset=False, label=_("Download:"))

    def axis_block(axis: str) -> html.Figure:
        """One axis: a radar (4+ spokes) or bars (fewer), its summary sentence and its values as a table."""
        gid = ids.region_radar(axis)
        fig = profile_figures.axis_chart(wide, [region_id], axis, src, names=names, height=440)
        table = profile_figures.axis_table(wide, [region_id], axis, names)
        return chart_figure(graph(gid, fig), profile_figures.axis_summary(wide, [region_id], axis, names),
                            values_table(table, _("{axis}: scores (0–100)").format(axis=scoring.AXIS_LABELS[axis])),
                            text_id=ids.chart_text(gid), extra=chart_exports("radar", gid, axis=axis))

    radars = dbc.Row([dbc.Col(axis_block(axis), lg=4, md=6) for axis in profile_figures.PROFILE_RADAR_AXES],
                     className="g-2")

    bars = html.Div([
        chart_figure(graph(ids.REGION_TARGET_BARS, profile_figures.target_bars(wide, [region_id], src, names=names)),
                     profile_figures.axis_summary(wide, [region_id], "target", names),
                     text_id=ids.chart_text(ids.REGION_TARGET_BARS),
                     extra=chart_exports("target", ids.REGION_TARGET_BARS)),
    ])

    scores = profile_figures.score_table(wide, region_id)
    score_block = html.Div([
        html.H3(_("All scores as a table"), className="h6 mt-3"),
        values_table(scores[["group", "dimension", "score", "average", "difference"]],
                     _("Scores of {region} (0–100) beside the average of all {n} regions (difference in "
                       "points), by part of the index").format(region=name, n=len(wide)),
                     headers=[_("Dimension"), _("Score"), _("Average"), _("Difference")],
                     id=ids.REGION_SCORE_TABLE, signed=("difference",), group="group"),
    ])

    strengths, weaknesses = scoring.strengths_weaknesses(wide, region_id)
    sw = dbc.Row([
        dbc.Col([html.H3(_("Strengths"), className="h6"),
                 html.P(_("Dimensions most above the average of all regions."), className="small text-muted"),
                 _sw_table(strengths, "strength", ids.REGION_STRENGTHS)], md=6),
        dbc.Col([html.H3(_("Room for development"), className="h6"),
                 html.P(_("Dimensions most below the average of all regions."), className="small text-muted"),
                 _sw_table(weaknesses, "weakness", ids.REGION_WEAKNESSES)], md=6),
    ])

    similar = scoring.similar_regions(wide, region_id)
    sim_items = [
        html.Li([
            dcc.Link(f"{names[r]} ({country_label(table, r)})", href=profile_href(r)),
            " — " + _("overall {score}").format(score=map_figures.format_score(table.loc[r, "overall"])) + " · ",
            dcc.Link(_("compare"), href=compare_href([region_id, r]), className="small"),
        ]) for r in similar["region_id"]
    ]
    similar_block = html.Div([
        html.H2(_("Regions with a similar profile"), className="h5"),
        html.P(_("Closest by the distance between all dimension scores (not only the overall score)."),
               className="small text-muted"),
        html.Ul(sim_items, id=ids.REGION_SIMILAR),
        dcc.Link(_("Compare {region} with these regions →").format(region=name),
                 href=compare_href([region_id, *similar["region_id"].tolist()][:4]),
                 className="btn btn-outline-primary btn-sm") if sim_items else None,
    ], className="mx-card")

    links = html.Div([
        dcc.Link(_("Integration Lab practices of {region} →").format(region=name), href=lab_href(region_id),
                 className="btn btn-primary btn-sm"),
        dcc.Link(_("Show on the map"), href=map_href("overall", region_id),
                 className="btn btn-outline-secondary btn-sm"),
    ], className="d-flex flex-wrap gap-2 mb-3")

    return html.Div([
        header,
        links,
        summary,
        published_section(dataset, region_id),
        editions_section(dataset, region_id, choice) if choice is not None else None,
        html.Div([html.H2(_("Governance profile"), className="h5"),
                  html.P(_("Each chart shows one part of the index; the dashed grey line (or the hatched grey bar) "
                           "is the average of all regions. Scores run from 0 to 100. A part with only three "
                           "dimensions is drawn as bars: a radar of three points is a triangle that says little."),
                         className="small text-muted"),
                  words_note("Elements", "Policy cycle", "Policy output"),
                  radars, score_block], className="mx-card"),
        html.Div([html.H2(_("Target population"), className="h5"), words_note("TCN", "BIP"), bars],
                 className="mx-card"),
        html.Div([html.H2(_("Strengths and room for development"), className="h5"), sw, source_line(dataset)],
                 className="mx-card"),
        drilldown_section(dataset, region_id, cache=cache),
        similar_block,
        outcomes_section(dataset, region_id, cache=cache),
        html.Div([html.H2(_("Context statistics"), className="h5"),
                  stats_table(dataset, region_id, compact=False, id=ids.REGION_STATS)], className="mx-card"),
    ], className="mx-region-profile", **{"data-region": region_id})
