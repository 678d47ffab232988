"""Dash components of the Integration Lab pages (the pages themselves stay thin).

Everything here is a plain function from records/values to components or figures, so it is
tested without a browser.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from dashboard import ids
from dashboard.components.image_buttons import image_buttons, image_download_area
from dashboard.lab import regions as lab_regions
from dashboard.lab.repository import PracticeFilter, PracticeRecord
from dashboard.lab.validation import FIELD_LABELS, TEXT_LIMITS
from dashboard.lab.vocab import (
    ASPECTS,
    CONTRIBUTION_MODES,
    ILLUSTRATIVE_NOTE,
    LANGUAGES,
    POLICY_AREAS,
    TARGET_GROUPS,
    area_label,
    target_label,
)

from dashboard.constants import MAP_CREDIT

TOPOJSON_URL = "/assets/topojson/"
LAB_SCOPE = "lab"  # the Lab map's image buttons (components.image_buttons)
MAP_TITLE = "Integration Lab: practices by region"
MAP_SOURCE = "Source: MIPEX-R Explorer Integration Lab, published practices. {count}; filters: {filters}."
NOT_DOCUMENTED = "Not documented in the sources available offline."
NOT_GIVEN = "Not given by the contributor."
ACCENT = "#2c4a6e"


def topojson_url() -> str:
    try:
        import dash

        return dash.get_relative_path(TOPOJSON_URL)
    except Exception:  # noqa: BLE001 - outside a running app
        return TOPOJSON_URL


def graph_config() -> dict[str, Any]:
    return {"topojsonURL": topojson_url(), "displaylogo": False, "scrollZoom": False,
            "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


# --------------------------------------------------------------------------------------------
# badges and small pieces


def kind_badge(rec: PracticeRecord) -> dbc.Badge:
    """"Illustrative" (invented example) or "Source-based" — every practice shows one."""
    if rec.illustrative:
        return dbc.Badge("Illustrative", color="warning", text_color="dark", className="me-1 lab-badge-illustrative",
                         title="Invented example written for this demo, not a documented practice")
    return dbc.Badge("Source-based", color="info", text_color="dark", className="me-1 lab-badge-source",
                     title="Restates, in our own words, facts from the source named on the practice")


def area_badges(rec: PracticeRecord) -> list:
    return [dbc.Badge(area_label(a), color="light", text_color="dark", className="me-1 border") for a in rec.policy_areas]


def provenance_note() -> dbc.Alert:
    return dbc.Alert(
        [html.Strong("About these practices. "), ILLUSTRATIVE_NOTE],
        color="light", className="small border", id="lab-provenance-note",
    )


def db_unavailable(reason: str) -> dbc.Alert:
    return dbc.Alert(
        [html.Strong("The Integration Lab database is unavailable. "), reason,
         " The rest of the dashboard keeps working."],
        color="danger", id=ids.LAB_STATUS,
    )


def _truncate(text: str, n: int = 240) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + " …"


# --------------------------------------------------------------------------------------------
# /lab


def practice_card(rec: PracticeRecord) -> html.Div:
    """One result in the list: title link, kind badge, region, years, areas, short description, source."""
    return html.Div(
        [
            html.Div([kind_badge(rec), *area_badges(rec)], className="mb-1"),
            html.H3(dcc.Link(rec.title, href=rec.path, className="text-decoration-none"), className="h6 mb-1"),
            html.P(
                [f"{rec.region_name} ({rec.country_name}) · {rec.years_label} · {target_label(rec.target_group)}"],
                className="small text-muted mb-1",
            ),
            html.P(_truncate(rec.description), className="mb-1"),
            html.P(["Source: ", _truncate(rec.provenance, 160)], className="mx-source mb-0"),
        ],
        className="mx-card lab-result",
        id=f"lab-result-{rec.id}",
    )


def results_list(records: list[PracticeRecord], filters: PracticeFilter) -> list:
    if not records:
        hint = " Try removing a filter or searching for fewer words." if not filters.is_empty else ""
        return [html.P("No practices match." + hint, className="text-muted", id="lab-no-results")]
    return [practice_card(r) for r in records]


def count_text(n: int, filters: PracticeFilter) -> str:
    noun = "practice" if n == 1 else "practices"
    return f"{n} {noun}" + (" match the filters" if not filters.is_empty else " in the Integration Lab")


def map_figure(counts: dict[str, int], selected: tuple[str, ...] = (), points: dict[str, tuple[float, float]] | None = None) -> go.Figure:
    """Points at each MIPEX-R region's label point, sized by its number of matching practices.

    Regions with no matching practice stay visible as small hollow markers, so the map always shows
    where the Lab can grow. Clicking a point filters the list to that region (``customdata``).
    """
    pts = points if points is not None else lab_regions.label_points()
    regs = lab_regions.regions()
    rows = [(rid, pts[rid]) for rid in regs if rid in pts]
    with_p = [(rid, xy) for rid, xy in rows if counts.get(rid, 0) > 0]
    without = [(rid, xy) for rid, xy in rows if counts.get(rid, 0) == 0]
    biggest = max(counts.values(), default=1) or 1

    def hover(rid: str) -> str:
        n = counts.get(rid, 0)
        return f"{regs[rid].name_en} ({regs[rid].country_name}): {n} practice{'s' if n != 1 else ''}"

    fig = go.Figure()
    fig.add_trace(go.Scattergeo(
        lon=[xy[0] for _, xy in without], lat=[xy[1] for _, xy in without],
        customdata=[rid for rid, _ in without], text=[hover(rid) for rid, _ in without],
        hoverinfo="text", mode="markers", name="No matching practice",
        marker={"size": 7, "color": "rgba(0,0,0,0)", "line": {"color": "#8a94a3", "width": 1.2}},
    ))
    fig.add_trace(go.Scattergeo(
        lon=[xy[0] for _, xy in with_p], lat=[xy[1] for _, xy in with_p],
        customdata=[rid for rid, _ in with_p], text=[hover(rid) for rid, _ in with_p],
        hoverinfo="text", mode="markers+text", name="Practices (size = number)",
        textposition="top center", textfont={"size": 11, "color": ACCENT},
        texttemplate=[str(counts[rid]) for rid, _ in with_p] if with_p else None,
        marker={
            "size": [10 + 18 * (counts[rid] / biggest) ** 0.5 for rid, _ in with_p],
            "color": [("#c9a227" if rid in selected else ACCENT) for rid, _ in with_p],
            "opacity": 0.85, "line": {"color": "white", "width": 1},
        },
    ))
    fig.update_geos(
        scope="europe", resolution=50, projection_type="mercator",
        lonaxis_range=[-29, 24], lataxis_range=[34, 61],
        showland=True, landcolor="#eef0f3", showcountries=True, countrycolor="#ffffff",
        showocean=True, oceancolor="#f7f8fa", showlakes=False, showframe=False, coastlinecolor="#c5cbd3",
    )
    fig.update_layout(
        height=420, margin={"l": 0, "r": 0, "t": 10, "b": 0}, showlegend=True,
        legend={"orientation": "h", "y": -0.02, "x": 0, "font": {"size": 11}},
        paper_bgcolor="rgba(0,0,0,0)", clickmode="event",
    )
    return fig


def _options(vocab: dict[str, str]) -> list[dict[str, str]]:
    return [{"label": label, "value": key} for key, label in vocab.items()]


def region_options() -> list[dict[str, str]]:
    return [{"label": f"{r.name_en} ({r.country_name})", "value": rid} for rid, r in
            sorted(lab_regions.regions().items(), key=lambda kv: (kv[1].country_name, kv[1].name_en))]


def filters_panel(f: PracticeFilter) -> html.Div:
    def block(label: str, component) -> html.Div:
        return html.Div([dbc.Label(label, html_for=component.id, className="small fw-semibold mb-1"), component],
                        className="mb-2")

    return html.Div(
        [
            block("Search the practices", dbc.Input(
                id=ids.LAB_SEARCH, type="search", value=f.text, debounce=400,
                placeholder="e.g. health, guide, Skåne", autoComplete="off",
            )),
            block("Region", dcc.Dropdown(id=ids.LAB_FILTER_REGION, options=region_options(), value=list(f.regions),
                                         multi=True, placeholder="All regions")),
            block("Country", dcc.Dropdown(id=ids.LAB_FILTER_COUNTRY,
                                          options=[{"label": n, "value": c} for c, n in lab_regions.countries().items()],
                                          value=list(f.countries), multi=True, placeholder="All countries")),
            block("Policy area", dcc.Dropdown(id=ids.LAB_FILTER_AREA, options=_options(POLICY_AREAS),
                                              value=list(f.policy_areas), multi=True, placeholder="All areas")),
            block("Target group", dcc.Dropdown(id=ids.LAB_FILTER_TARGET, options=_options(TARGET_GROUPS),
                                               value=list(f.target_groups), multi=True, placeholder="Any")),
            block("Inspiring on aspect", dcc.Dropdown(id=ids.LAB_FILTER_ASPECT, options=_options(ASPECTS),
                                                      value=list(f.aspects), multi=True, placeholder="Any aspect")),
            html.P("Within one filter any choice matches; across filters all must match. “TCN” and “BIP” "
                   "also find practices for both groups.", className="small text-muted"),
            dbc.Button("Clear filters", id=ids.LAB_CLEAR_FILTERS, color="secondary", outline=True, size="sm"),
        ],
        className="mx-card",
        role="search",
    )


def export_links(f: PracticeFilter) -> tuple[str, str, str]:
    """(CSV href, JSON href, shareable /lab link) for the current filters."""
    qs = f.query_string()
    return f"/lab/export.csv{qs}", f"/lab/export.json{qs}", f"/lab{qs}"


# --------------------------------------------------------------------------------------------
# /lab/<id>


def _text_or_note(text: str, rec: PracticeRecord) -> Any:
    if text:
        return html.P(text, style={"whiteSpace": "pre-wrap"})
    return html.P(NOT_DOCUMENTED if not rec.submitter_email and not rec.illustrative and rec.seed_key else NOT_GIVEN,
                  className="text-muted fst-italic")


def aspects_table(rec: PracticeRecord) -> dbc.Table:
    rows = []
    for key, label in ASPECTS.items():
        parts = rec.aspects.get(key, {})
        rows.append(html.Tr([
            html.Th(label, scope="row"),
            html.Td(parts.get("inspiring") or "—"),
            html.Td(parts.get("improvement") or "—"),
        ], id=f"lab-aspect-{key}"))
    return dbc.Table(
        [html.Caption("Assessment on the 7 aspects of the REGIN evaluation guidelines. “—” = not documented.",
                      className="small"),
         html.Thead(html.Tr([html.Th("Aspect", scope="col"), html.Th("Inspiring element", scope="col"),
                             html.Th("Room for improvement", scope="col")])),
         html.Tbody(rows)],
        bordered=False, hover=False, responsive=True, size="sm", className="bg-white", id=ids.LAB_PRACTICE_ASPECTS,
    )


def practice_detail(rec: PracticeRecord) -> html.Div:
    reg = lab_regions.region(rec.region_id)
    region_label = reg.label if reg else rec.region_id
    facts = [
        ("Region", [f"{region_label}, {rec.country_name} ({rec.region_id})"]),
        ("Years", [rec.years_label]),
        ("Policy areas", [", ".join(area_label(a) for a in rec.policy_areas) or "—"]),
        ("Target group", [target_label(rec.target_group)]),
        ("Responsible body", [rec.responsible_body]),
        ("How the region contributed", [CONTRIBUTION_MODES.get(rec.contribution_mode, rec.contribution_mode)]),
    ]
    if rec.submitter_organisation:
        facts.append(("Contributed by", [rec.submitter_organisation]))
    dl = html.Dl(sum(([html.Dt(k, className="col-sm-4"), html.Dd(v, className="col-sm-8")] for k, v in facts), []),
                 className="row mb-0")
    links = [html.Li(html.A(link, href=link, target="_blank", rel="noopener noreferrer nofollow")) for link in rec.links]
    return html.Div(
        [
            html.Nav(html.Ol([
                html.Li(dcc.Link("Integration Lab", href="/lab"), className="breadcrumb-item"),
                html.Li(dcc.Link(rec.region_name, href=f"/lab?region={rec.region_id}"), className="breadcrumb-item"),
                html.Li(f"Practice #{rec.id}", className="breadcrumb-item active", **{"aria-current": "page"}),
            ], className="breadcrumb"), **{"aria-label": "breadcrumb"}),
            html.Div(kind_badge(rec), className="mb-1"),
            html.H1(rec.title, className="h3"),
            dbc.Alert(
                "Illustrative practice: invented to show what a complete, assessed entry looks like. It is not a "
                "documented practice of this region.", color="warning", className="py-2 small",
            ) if rec.illustrative else None,
            html.Div([
                dcc.Link(f"MIPEX-R profile of {rec.region_name} →", href=f"/region/{rec.region_id}",
                         id=ids.LAB_PRACTICE_PROFILE_LINK, className="me-3"),
                dcc.Link(f"Other practices in {rec.region_name}", href=f"/lab?region={rec.region_id}", className="me-3"),
                html.A("This practice as JSON", href=f"/lab/api/practices/{rec.id}", className="small",
                       target="_blank", rel="noopener"),
            ], className="mb-3"),
            dbc.Row([
                dbc.Col([
                    html.Div(dl, className="mx-card"),
                    html.H2("Description", className="h5"), _text_or_note(rec.description, rec),
                    html.H2("What the regional authority contributed", className="h5"),
                    _text_or_note(rec.regional_contribution, rec),
                    html.H2("Lessons learnt", className="h5"), _text_or_note(rec.lessons_learnt, rec),
                    html.H2("Tips for transferability", className="h5"), _text_or_note(rec.transferability_tips, rec),
                ], lg=5),
                dbc.Col([
                    html.H2("Assessment", className="h5"),
                    aspects_table(rec),
                    html.H2("Links", className="h5") if links else None,
                    html.Ul(links) if links else None,
                    html.H2("Source and provenance", className="h5"),
                    html.P(rec.provenance, className="mx-source", id=ids.LAB_PRACTICE_PROVENANCE),
                ], lg=7),
            ]),
        ],
        id=ids.LAB_PRACTICE,
    )


def practice_missing(practice_id: Any) -> html.Div:
    return html.Div([
        html.H1("Practice not found", className="h3"),
        html.P(f"There is no published practice with id {str(practice_id)[:40]!r}. It may not exist, or it may "
               "be a submission still waiting for a moderator."),
        dcc.Link("← Back to the Integration Lab", href="/lab"),
    ], id=ids.LAB_PRACTICE)


# --------------------------------------------------------------------------------------------
# /lab/contribute


def feedback(field: str) -> html.Div:
    return html.Div(id=ids.lab_feedback(field), className="invalid-feedback d-block", role="alert")


def dom_id(component_id: Any) -> str:
    """The DOM id Dash renders for a (pattern-matching) component id, for ``<label for=…>``."""
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return str(component_id)


def _labelled(field: str, component, help_text: str | None = None, required: bool = False) -> html.Div:
    label = FIELD_LABELS[field] + (" *" if required else "")
    return html.Div([
        dbc.Label(label, html_for=dom_id(ids.lab_field(field)), className="fw-semibold mb-1"),
        html.Div(help_text, className="form-text mt-0 mb-1") if help_text else None,
        component,
        feedback(field),
    ], className="mb-3")


def _input(field: str, value: Any = None, **kw) -> dbc.Input:
    lo_hi = TEXT_LIMITS.get(field)
    if lo_hi:
        kw.setdefault("maxLength", lo_hi[1])
    return dbc.Input(id=ids.lab_field(field), value=value, **kw)


def _textarea(field: str, rows: int = 4, **kw) -> dbc.Textarea:
    lo_hi = TEXT_LIMITS.get(field)
    if lo_hi:
        kw.setdefault("maxLength", lo_hi[1])
    return dbc.Textarea(id=ids.lab_field(field), rows=rows, value="", **kw)


def contribution_form(region_id: str | None = None) -> html.Div:
    """The questionnaire. Every input's id is ``ids.lab_field(name)``; every field has an error slot."""
    regs = region_options()
    year_now = dt.date.today().year

    about = [
        _labelled("title", _input("title", "", placeholder="A short name for the practice"), required=True),
        dbc.Row([
            dbc.Col(_labelled("region_id", dbc.Select(id=ids.lab_field("region_id"), options=regs,
                                                      value=region_id, placeholder="Choose a region …"), required=True), md=6),
            dbc.Col(_labelled("year_start", _input("year_start", None, type="number", min=1990, max=year_now + 1,
                                                   step=1, placeholder=str(year_now - 2)), required=True), md=3),
            dbc.Col(_labelled("year_end", _input("year_end", None, type="number", min=1990, max=year_now + 10, step=1,
                                                 placeholder="ongoing"), "Leave empty if ongoing."), md=3),
        ]),
        _labelled("policy_areas", dbc.Checklist(id=ids.lab_field("policy_areas"), options=_options(POLICY_AREAS),
                                                value=[], inline=True), required=True),
        _labelled("target_group", dbc.RadioItems(id=ids.lab_field("target_group"), options=_options(TARGET_GROUPS),
                                                 value=None, inline=True), required=True),
        _labelled("responsible_body", _input("responsible_body", "", placeholder="Department, agency or directorate"),
                  required=True),
        _labelled("language", dbc.Select(id=ids.lab_field("language"), options=_options(LANGUAGES), value="en"),
                  "The questionnaire may be answered in any of these languages."),
    ]
    what = [
        _labelled("description", _textarea("description", 5), "What was done, for whom, and why (at least 30 characters).",
                  required=True),
        _labelled("regional_contribution", _textarea("regional_contribution", 3),
                  "Funding, staff, coordination, legislation … directly or through social actors.", required=True),
        _labelled("contribution_mode", dbc.RadioItems(id=ids.lab_field("contribution_mode"),
                                                      options=_options(CONTRIBUTION_MODES), value=None), required=True),
        _labelled("lessons_learnt", _textarea("lessons_learnt", 3),
                  "Concrete problems met and how they were solved.", required=True),
        _labelled("transferability_tips", _textarea("transferability_tips", 3),
                  "What another region should know before trying this.", required=True),
    ]
    aspect_rows = []
    for key, label in ASPECTS.items():
        aspect_rows.append(dbc.Row([
            dbc.Col(html.Div(label, className="fw-semibold pt-1"), md=2),
            dbc.Col([
                dbc.Textarea(id=ids.lab_field(f"aspect_{key}_inspiring"), rows=2, value="", maxLength=3000,
                             placeholder="Inspiring element", title=f"{label}: inspiring element"),
                feedback(f"aspect_{key}_inspiring"),
            ], md=5),
            dbc.Col([
                dbc.Textarea(id=ids.lab_field(f"aspect_{key}_improvement"), rows=2, value="", maxLength=3000,
                             placeholder="Room for improvement", title=f"{label}: room for improvement"),
                feedback(f"aspect_{key}_improvement"),
            ], md=5),
        ], className="mb-2"))
    sources = [
        _labelled("links", _textarea("links", 2, placeholder="https://…"), "Web pages about the practice, one per line."),
        _labelled("provenance", _textarea("provenance", 2),
                  "Where does this information come from? e.g. an evaluation report, the project website, "
                  "your own work on the practice.", required=True),
    ]
    you = [
        html.P("Your name and e-mail are only for the moderators and are never published or exported; "
               "your organisation is shown as the contributor.", className="small text-muted"),
        dbc.Row([
            dbc.Col(_labelled("submitter_name", _input("submitter_name", "", autoComplete="name")), md=4),
            dbc.Col(_labelled("submitter_email", _input("submitter_email", "", type="email", autoComplete="email")), md=4),
            dbc.Col(_labelled("submitter_organisation", _input("submitter_organisation", "",
                                                               autoComplete="organization")), md=4),
        ]),
        html.Div([
            dbc.Checkbox(id=ids.lab_field("consent"), value=False,
                         label="I confirm these answers may be published in the Integration Lab after moderation. *"),
            feedback("consent"),
        ], className="mb-3"),
    ]

    def section(title: str, children: list, extra=None) -> html.Fieldset:
        return html.Fieldset([html.Legend(title, className="h5"), extra, *children], className="mx-card")

    return html.Div([
        section("1. The practice", about),
        section("2. What happened", what),
        section("3. Assessment on the 7 aspects", aspect_rows, html.Div([
            html.P("For each aspect that applies, what is inspiring and what could be improved. Describe the "
                   "inspiring element of at least one aspect.", className="small text-muted mb-1"),
            feedback("aspects"),
        ])),
        section("4. Links and source", sources),
        section("5. About you", you),
        html.Div(id=ids.LAB_FORM_RESULT, **{"aria-live": "polite"}),
        dbc.Button("Submit the practice", id=ids.LAB_FORM_SUBMIT, color="primary", size="lg", className="mb-4"),
        html.P("* required. Submissions are stored as pending and shown only after a moderator approves them.",
               className="small text-muted"),
    ], id=ids.LAB_FORM)


def contribute_page(region: Any = None) -> html.Div:
    """The whole /lab/contribute page (``?region=ES51`` preselects the region)."""
    rid = lab_regions.resolve_region_id(region) if isinstance(region, str) else None
    return html.Div([
        dcc.Link("← Integration Lab", href="/lab"),
        html.H1("Contribute a practice", className="h3 mt-2"),
        html.P("Share a regional integration practice: what was done, what the regional authority contributed, "
               "the problems met and how they were solved. The moderators check every submission before it is "
               "shown; nothing you send is lost — you get either a submission number or the list of fields to fix."),
        dbc.Alert("Please do not enter personal data about the people the practice served.", color="light",
                  className="small border"),
        contribution_form(rid),
    ])


def lab_page(f: PracticeFilter, view: dict[str, Any]) -> html.Div:
    """The whole /lab page for filter ``f`` and its ``view`` (see ``callbacks.lab.results_view``)."""
    return html.Div([
        dbc.Row([
            dbc.Col([
                html.H1("Integration Lab", className="h3 mb-1"),
                html.P("A mutual-learning database of regional integration practices: what a region did, directly or "
                       "through social actors, the lessons learnt and tips for transferability, each assessed on "
                       "7 aspects.", className="mb-2"),
            ], lg=9),
            dbc.Col(dbc.Button("Contribute a practice", href="/lab/contribute", color="primary",
                               id=ids.LAB_CONTRIBUTE_LINK, className="mt-2"), lg=3, className="text-lg-end"),
        ]),
        view["status"],
        provenance_note(),
        dbc.Row([
            dbc.Col(filters_panel(f), lg=4),
            dbc.Col([
                html.Div([
                    dcc.Graph(id=ids.LAB_MAP, figure=view["figure"], config=graph_config(),
                              style={"height": "420px"}),
                    html.P(MAP_CREDIT, className="mx-credit mb-0", id=ids.LAB_MAP_CREDIT),
                    image_buttons(LAB_SCOPE, "map", label="Download map:"),
                    image_download_area(LAB_SCOPE),
                    html.P("Points sit at each MIPEX-R region's label point; size grows with the number of matching "
                           "practices; click one to filter by that region.", className="small text-muted mb-0"),
                ], className="mx-card"),
                html.Div([
                    html.Span(view["count"], id=ids.LAB_RESULT_COUNT, className="fw-semibold me-3",
                              **{"aria-live": "polite"}),
                    html.A("Download CSV", href=view["csv"], id=ids.LAB_EXPORT_CSV, className="me-3",
                           download="mipexr-integration-lab-practices.csv"),
                    html.A("Download JSON", href=view["json"], id=ids.LAB_EXPORT_JSON, className="me-3",
                           download="mipexr-integration-lab-practices.json"),
                    html.A("Link to this view", href=view["share"], id=ids.LAB_SHARE_LINK),
                ], className="mb-2 mx-no-print"),
                html.Div(view["results"], id=ids.LAB_RESULTS),
            ], lg=8),
        ]),
    ])
