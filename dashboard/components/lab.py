"""Dash components of the Integration Lab pages: badges, result cards, filters, the map card, the practice
page, the contribution questionnaire and the messages after a submission.

Plain functions from records and values to components, tested without a browser. Region and country
names come from ``regions`` (:class:`dashboard.lab.vocab.Regions`, built from the app's dataset).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from dashboard import i18n, ids
from dashboard.components.image_buttons import image_buttons, image_download_area
from dashboard.constants import MAP_CREDIT
from dashboard.i18n import N_, _, ngettext
from dashboard.lab import db
from dashboard.lab.guard import Throttled
from dashboard.lab.repository import PracticeFilter, PracticeRecord
from dashboard.lab.validation import FIELD_LABELS, HONEYPOT_FIELD, TEXT_LIMITS
from dashboard.lab.vocab import (
    ASPECTS,
    CONTRIBUTION_MODES,
    ILLUSTRATIVE_NOTE,
    KIND_CONTRIBUTED,
    KIND_ILLUSTRATIVE,
    LANGUAGES,
    POLICY_AREAS,
    TARGET_GROUPS,
    Region,
    Regions,
    area_label,
    badge_text,
    language_name,
    target_label,
)
from dashboard.views.lab import LabView

TOPOJSON_URL = "/assets/topojson/"
LAB_SCOPE = "lab"  # the Lab map's image buttons (components.image_buttons)
NOT_DOCUMENTED = N_("Not documented in the sources available offline.")
NOT_GIVEN = N_("Not given by the contributor.")


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
    """Every practice shows one badge of its kind: "Illustrative" (invented example), "Source-based"
    (restates the REGIN project pages) or "Contributed by <organisation>" (sent through the form, approved
    by a moderator)."""
    text = badge_text(rec.kind, rec.submitter_organisation)
    if rec.kind == KIND_ILLUSTRATIVE:
        return dbc.Badge(text, color="warning", text_color="dark",
                         className="me-1 lab-badge-illustrative",
                         title=_("Invented example written for this demo, not a documented practice"))
    if rec.kind == KIND_CONTRIBUTED:
        return dbc.Badge(text, color="success", className="me-1 lab-badge-contributed",
                         title=_("Sent through this site's form by the organisation named; published after a "
                                 "moderator's check. The contributor's own account."))
    return dbc.Badge(text, color="info", text_color="dark", className="me-1 lab-badge-source",
                     title=_("Restates, in our own words, facts from the source named on the practice"))


def area_badges(rec: PracticeRecord) -> list:
    return [dbc.Badge(area_label(a), color="light", text_color="dark", className="me-1 border")
            for a in rec.policy_areas]


def provenance_note() -> dbc.Alert:
    return dbc.Alert(
        [html.Strong(_("About these practices.") + " "), _(ILLUSTRATIVE_NOTE)],
        color="light", className="small border", id="lab-provenance-note",
    )


def db_unavailable(_reason: str = "") -> dbc.Alert:
    """The plain notice when the practices database cannot be read (never the error: it is in the log)."""
    return dbc.Alert(
        [html.Strong(_(db.UNAVAILABLE) + " "), _("Please try again later; the rest of the dashboard keeps working.")],
        color="danger", id=ids.LAB_STATUS,
    )


def _truncate(text: str, n: int = 240) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + " …"


def _options(vocab: dict[str, str]) -> list[dict[str, str]]:
    """Dropdown/checklist options of a vocabulary, labels in the current language."""
    return [{"label": label, "value": key} for key, label in vocab.items()]


OTHER_REGIONS_HEADING = N_("— Other NUTS regions of the EU and EFTA —")


def _region_option(r: Region, name: str, country: str) -> dict[str, str]:
    if r.mipex:
        label = _("{region} ({country}) · {code} · MIPEX-R region")
    elif len(r.vintages) == 1:
        label = _("{region} ({country}) · {code} · NUTS {level}, NUTS {vintage} only")
    else:
        label = _("{region} ({country}) · {code} · NUTS {level}")
    vintage = r.vintages[0] if r.vintages else ""
    return {"label": label.format(region=name, country=country, code=r.region_id, level=r.level, vintage=vintage),
            "value": r.region_id}


def region_options(regions: Regions, only: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Options "Name (Country) · CODE · …" in the current language: the dataset's MIPEX-R regions first (by
    country, then name, marked "MIPEX-R region"), then a heading and the other EU/EFTA NUTS regions (by country,
    level, name). ``only`` keeps the MIPEX-R regions and just these others (the /lab filter: regions with
    practices). Region names are local where the language is the region's own; country names are Babel's."""
    country = {code: regions.shown_country(code) for code in regions.countries}  # one look-up per country
    from dashboard.data import fold

    def shown(r: Region) -> tuple[str, str]:
        return r.shown_name, country.get(r.country) or r.country_name

    mipex = sorted(regions.by_id.values(), key=lambda r: (fold(shown(r)[1]), fold(shown(r)[0])))
    keep = None if only is None else set(only)
    others = [r for r in regions.other_regions() if keep is None or r.region_id in keep]
    others.sort(key=lambda r: (fold(shown(r)[1]), r.level or 0, fold(shown(r)[0]), r.region_id))
    options: list[dict[str, Any]] = [_region_option(r, *shown(r)) for r in mipex]
    if others:
        options.append({"label": _(OTHER_REGIONS_HEADING), "value": "", "disabled": True})
        options.extend(_region_option(r, *shown(r)) for r in others)
    return options


# --------------------------------------------------------------------------------------------
# /lab


def practice_card(rec: PracticeRecord, regions: Regions) -> html.Div:
    """One result in the list: title link, kind badge, region, years, areas, short description, source."""
    where = _("{region} ({country}) · {years} · {target}").format(
        region=regions.shown_name(rec.region_id), country=regions.shown_country(rec.country),
        years=years_label(rec), target=target_label(rec.target_group))
    lang = _content_lang(rec)
    return html.Div(
        [
            html.Div([kind_badge(rec), *area_badges(rec)], className="mb-1"),
            html.H3(dcc.Link(rec.title, href=rec.path, className="text-decoration-none"), className="h6 mb-1",
                    lang=lang),
            html.P([where], className="small text-muted mb-1"),
            html.P(_truncate(rec.description), className="mb-1", lang=lang),
            html.P([_("Source:") + " ", html.Span(_truncate(rec.provenance, 160), lang=lang)],
                   className="mx-source mb-0"),
        ],
        className="mx-card lab-result",
        id=f"lab-result-{rec.id}",
    )


def results_list(view: LabView, regions: Regions) -> list:
    """The result cards of a view, "no practices match" (with a hint when filtered), or "cannot be shown"."""
    if view.error is not None:
        return [html.P(_("No practices can be shown right now."), className="text-muted")]
    if not view.records:
        text = (_("No practices match. Try removing a filter or searching for fewer words.")
                if not view.filters.is_empty else _("No practices match."))
        return [html.P(text, className="text-muted", id="lab-no-results")]
    return [practice_card(r, regions) for r in view.records]


def status(view: LabView) -> dbc.Alert | None:
    """The "database unavailable" notice of a view, or None."""
    return db_unavailable(view.error) if view.error is not None else None


def filters_panel(f: PracticeFilter, regions: Regions, region_ids: Sequence[str] | None = None) -> html.Div:
    """The /lab filters; the region list offers the MIPEX-R regions and ``region_ids`` (those with practices)."""
    def block(label: str, component) -> html.Div:
        return html.Div([dbc.Label(label, html_for=component.id, className="small fw-semibold mb-1"), component],
                        className="mb-2")

    from dashboard.data import fold

    countries = sorted(({"label": regions.shown_country(code), "value": code} for code in regions.countries),
                       key=lambda o: fold(o["label"]))
    return html.Div(
        [
            block(_("Search the practices"), dbc.Input(
                id=ids.LAB_SEARCH, type="search", value=f.text, debounce=400,
                placeholder=_("e.g. health, guide, Skåne"), autoComplete="off",
            )),
            block(_("Region"), dcc.Dropdown(id=ids.LAB_FILTER_REGION,
                                            options=region_options(regions, [*(region_ids or ()), *f.regions]),
                                            value=list(f.regions), multi=True, placeholder=_("All regions"))),
            block(_("Country"), dcc.Dropdown(id=ids.LAB_FILTER_COUNTRY, options=countries,
                                             value=list(f.countries), multi=True, placeholder=_("All countries"))),
            block(_("Policy area"), dcc.Dropdown(id=ids.LAB_FILTER_AREA, options=_options(POLICY_AREAS),
                                                 value=list(f.policy_areas), multi=True, placeholder=_("All areas"))),
            block(_("Target group"), dcc.Dropdown(id=ids.LAB_FILTER_TARGET, options=_options(TARGET_GROUPS),
                                                  value=list(f.target_groups), multi=True, placeholder=_("Any"))),
            block(_("Inspiring on aspect"), dcc.Dropdown(id=ids.LAB_FILTER_ASPECT, options=_options(ASPECTS),
                                                         value=list(f.aspects), multi=True,
                                                         placeholder=_("Any aspect"))),
            html.P(_("Within one filter any choice matches; across filters all must match. “TCN” and “BIP” "
                     "also find practices for both groups."), className="small text-muted"),
            dbc.Button(_("Clear filters"), id=ids.LAB_CLEAR_FILTERS, color="secondary", outline=True, size="sm"),
        ],
        className="mx-card",
        role="search",
    )


def map_card(figure: go.Figure) -> html.Div:
    """The Lab map with its credit, its PNG/SVG/PDF buttons and how to read it."""
    return html.Div([
        dcc.Graph(id=ids.LAB_MAP, figure=figure, config=graph_config(), style={"height": "420px"}),
        html.P(_(MAP_CREDIT), className="mx-credit mb-0", id=ids.LAB_MAP_CREDIT),
        image_buttons(LAB_SCOPE, "map", label=_("Download map:")),
        image_download_area(LAB_SCOPE),
        html.P(_("Points sit at each region's label point: every MIPEX-R region, and any other European region "
                 "with a matching practice. Size grows with the number of matching practices; click a point to "
                 "filter by that region."), className="small text-muted mb-0"),
    ], className="mx-card")


def results_toolbar(view: LabView) -> html.Div:
    """The count of matching practices, the CSV/JSON downloads and the link to this view."""
    csv_href, json_href, share_href = view.links
    return html.Div([
        html.Span(view.count_text, id=ids.LAB_RESULT_COUNT, className="fw-semibold me-3", **{"aria-live": "polite"}),
        html.A(_("Download CSV"), href=csv_href, id=ids.LAB_EXPORT_CSV, className="me-3",
               download="mipexr-integration-lab-practices.csv"),
        html.A(_("Download JSON"), href=json_href, id=ids.LAB_EXPORT_JSON, className="me-3",
               download="mipexr-integration-lab-practices.json"),
        html.A(_("Link to this view"), href=share_href, id=ids.LAB_SHARE_LINK),
    ], className="mb-2 mx-no-print")


# --------------------------------------------------------------------------------------------
# /lab/<id>


def _content_lang(rec: PracticeRecord) -> str:
    """The language the practice's own texts are written in (an HTML ``lang``), English when unknown."""
    return rec.language if rec.language in LANGUAGES else i18n.DEFAULT


def years_label(rec: PracticeRecord) -> str:
    """"2019–2022", "since 2021" or "year not stated", in the current language (``rec.years_label`` is English)."""
    if rec.year_start is None and rec.year_end is None:
        return _("year not stated")
    if rec.year_end is None:
        return _("since {year}").format(year=rec.year_start)
    if rec.year_start is None or rec.year_start == rec.year_end:
        return str(rec.year_end)
    return f"{rec.year_start}–{rec.year_end}"


def _text_or_note(text: str, rec: PracticeRecord) -> Any:
    """A text of the practice, as its contributor wrote it (in its own language), or why there is none."""
    if text:
        return html.P(text, style={"whiteSpace": "pre-wrap"}, lang=_content_lang(rec))
    return html.P(_(NOT_DOCUMENTED if not rec.submitter_email and not rec.illustrative and rec.seed_key
                    else NOT_GIVEN), className="text-muted fst-italic")


def aspects_table(rec: PracticeRecord) -> dbc.Table:
    rows = []
    lang = _content_lang(rec)
    for key, label in ASPECTS.items():
        parts = rec.aspects.get(key, {})
        rows.append(html.Tr([
            html.Th(label, scope="row"),
            html.Td(parts.get("inspiring") or "—", lang=lang),
            html.Td(parts.get("improvement") or "—", lang=lang),
        ], id=f"lab-aspect-{key}"))
    return dbc.Table(
        [html.Caption(_("Assessment on the 7 aspects of the REGIN evaluation guidelines. “—” = not documented."),
                      className="small"),
         html.Thead(html.Tr([html.Th(_("Aspect"), scope="col"), html.Th(_("Inspiring element"), scope="col"),
                             html.Th(_("Room for improvement"), scope="col")])),
         html.Tbody(rows)],
        bordered=False, hover=False, responsive=True, size="sm", className="bg-white", id=ids.LAB_PRACTICE_ASPECTS,
    )


def practice_detail(rec: PracticeRecord, regions: Regions) -> html.Div:
    """The practice page: headings, facts and badges in the current language; the practice's own texts as
    their contributor wrote them, marked with their language (``lang``) and named in the facts."""
    name = regions.shown_name(rec.region_id)
    lang = _content_lang(rec)
    facts = [
        (_("Region"), [_("{region}, {country} ({code})").format(
            region=regions.label(rec.region_id) if name == regions.name(rec.region_id) else name,
            country=regions.shown_country(rec.country), code=rec.region_id)]),
        (_("Years"), [years_label(rec)]),
        (_("Policy areas"), [", ".join(area_label(a) for a in rec.policy_areas) or "—"]),
        (_("Target group"), [target_label(rec.target_group)]),
        (_("Responsible body"), [html.Span(rec.responsible_body, lang=lang)]),
        (_("How the region contributed"), [CONTRIBUTION_MODES.get(rec.contribution_mode, rec.contribution_mode)]),
        (_("Written in"), [html.Span(language_name(rec.language), lang=lang, id="lab-practice-language")]),
    ]
    if rec.submitter_organisation:
        facts.append((_("Contributed by"), [rec.submitter_organisation]))
    dl = html.Dl(sum(([html.Dt(k, className="col-sm-4"), html.Dd(v, className="col-sm-8")] for k, v in facts), []),
                 className="row mb-0")
    links = [html.Li(html.A(link, href=link, target="_blank", rel="noopener noreferrer nofollow"))
             for link in rec.links]
    return html.Div(
        [
            html.Nav(html.Ol([
                html.Li(dcc.Link(_("Integration Lab"), href="/lab"), className="breadcrumb-item"),
                html.Li(dcc.Link(name, href=f"/lab?region={rec.region_id}"), className="breadcrumb-item"),
                html.Li(_("Practice #{number}").format(number=rec.id), className="breadcrumb-item active",
                        **{"aria-current": "page"}),
            ], className="breadcrumb"), **{"aria-label": _("breadcrumb")}),
            html.Div(kind_badge(rec), className="mb-1"),
            html.H1(rec.title, className="h3", lang=lang),
            dbc.Alert(
                _("Illustrative practice: invented to show what a complete, assessed entry looks like. It is not a "
                  "documented practice of this region."), color="warning", className="py-2 small",
            ) if rec.illustrative else None,
            html.P(_("The practice is shown as its contributor wrote it, in {language}.").format(
                language=language_name(rec.language)), className="small text-muted", id="lab-practice-written-in")
            if lang != i18n.current() else None,
            html.Div([
                dcc.Link(_("MIPEX-R profile of {region} →").format(region=name), href=f"/region/{rec.region_id}",
                         id=ids.LAB_PRACTICE_PROFILE_LINK, className="me-3")
                if regions.is_mipex(rec.region_id) else None,  # other regions have no MIPEX-R profile
                dcc.Link(_("Other practices in {region}").format(region=name), href=f"/lab?region={rec.region_id}",
                         className="me-3"),
                html.A(_("This practice as JSON"), href=f"/lab/api/practices/{rec.id}", className="small",
                       target="_blank", rel="noopener"),
            ], className="mb-3"),
            dbc.Row([
                dbc.Col([
                    html.Div(dl, className="mx-card"),
                    html.H2(_("Description"), className="h5"), _text_or_note(rec.description, rec),
                    html.H2(_("What the regional authority contributed"), className="h5"),
                    _text_or_note(rec.regional_contribution, rec),
                    html.H2(_("Lessons learnt"), className="h5"), _text_or_note(rec.lessons_learnt, rec),
                    html.H2(_("Tips for transferability"), className="h5"),
                    _text_or_note(rec.transferability_tips, rec),
                ], lg=5),
                dbc.Col([
                    html.H2(_("Assessment"), className="h5"),
                    aspects_table(rec),
                    html.H2(_("Links"), className="h5") if links else None,
                    html.Ul(links) if links else None,
                    html.H2(_("Source and provenance"), className="h5"),
                    html.P(rec.provenance, className="mx-source", id=ids.LAB_PRACTICE_PROVENANCE, lang=lang),
                ], lg=7),
            ]),
        ],
        id=ids.LAB_PRACTICE,
    )


def practice_missing(practice_id: Any) -> html.Div:
    return html.Div([
        html.H1(_("Practice not found"), className="h3"),
        html.P(_("There is no published practice with id {id}. It may not exist, or it may be a submission still "
                 "waiting for a moderator.").format(id=repr(str(practice_id)[:40]))),
        dcc.Link(_("← Back to the Integration Lab"), href="/lab"),
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
        dbc.Label(label, html_for=dom_id(component.id), className="fw-semibold mb-1"),
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


def _aspect_rows() -> list:
    rows = []
    for key, label in ASPECTS.items():
        inspiring, improvement = FIELD_LABELS[f"aspect_{key}_inspiring"], FIELD_LABELS[f"aspect_{key}_improvement"]
        rows.append(dbc.Row([
            dbc.Col(html.Div(label, className="fw-semibold pt-1"), md=2),
            dbc.Col([
                dbc.Textarea(id=ids.lab_field(f"aspect_{key}_inspiring"), rows=2, value="", maxLength=3000,
                             placeholder=_("Inspiring element"), title=inspiring),
                feedback(f"aspect_{key}_inspiring"),
            ], md=5),
            dbc.Col([
                dbc.Textarea(id=ids.lab_field(f"aspect_{key}_improvement"), rows=2, value="", maxLength=3000,
                             placeholder=_("Room for improvement"), title=improvement),
                feedback(f"aspect_{key}_improvement"),
            ], md=5),
        ], className="mb-2"))
    return rows


#: How to fill in the questionnaire (shown above it, in the current language).
GUIDELINES: tuple[str, ...] = (
    N_("Describe one practice: a policy, programme, service or project that a regional authority ran or "
       "supported, directly or through social actors."),
    N_("Answer in any of the eight languages and say which under “Language of the answers”. The practice is "
       "published in the language you write it in."),
    N_("Write for a colleague in another region: plain words and concrete facts (who, what, when, for whom, with "
       "which resources), and what you learnt."),
    N_("In the assessment, fill in the aspects that apply and leave the others empty; describe the inspiring "
       "element of at least one aspect."),
    N_("Say where the information comes from, and give links to public pages instead of attaching files."),
    N_("Do not enter personal data about the people the practice served."),
    N_("A moderator checks every submission; only approved practices are shown, with your organisation named as "
       "the contributor."),
)

#: The words of the questionnaire explained (term, definition), in questionnaire order; the 7 aspects follow.
GLOSSARY: tuple[tuple[str, str], ...] = (
    (N_("Third-country nationals (TCN)"),
     N_("People living in the EU who are not citizens of an EU country, Iceland, Liechtenstein, Norway or "
        "Switzerland.")),
    (N_("Beneficiaries of international protection (BIP)"),
     N_("People granted refugee status or subsidiary protection.")),
    (N_("NUTS region"),
     N_("A region of the EU's common classification of territorial units (NUTS). Levels 1 to 3 go from large "
        "regions to provinces or counties; each has a code, such as ES51 for Catalonia.")),
    (N_("MIPEX-R region"),
     N_("One of the 25 regions whose governance of migrant integration MIPEX-R measures.")),
    (N_("Regional authority"),
     N_("The region's government or administration: a regional ministry, department or agency.")),
    (N_("Social actors"),
     N_("Organisations outside the regional administration that carry out the practice with its support: NGOs, "
        "social partners, municipalities, migrant associations.")),
    (N_("Responsible body"),
     N_("The department, agency or directorate in charge of the practice.")),
    (N_("Lessons learnt"),
     N_("Problems met while carrying out the practice, and how they were solved.")),
    (N_("Transferability"),
     N_("Whether and how the practice could work in another region.")),
    (N_("Inspiring element"),
     N_("What other regions could learn from, or copy, on an aspect.")),
    (N_("Room for improvement"),
     N_("What did not work well, or could be done better, on an aspect.")),
)

#: What each of the 7 aspects asks about (the glossary's second part).
ASPECT_DEFINITIONS = i18n.Labels({
    "communication": N_("How the practice is made known to the people it serves and to the public."),
    "inclusion": N_("How it reaches and involves migrants themselves, including those hardest to reach."),
    "innovation": N_("What is new compared with what was done before or elsewhere."),
    "multilevel_governance": N_("How the local, regional, national and European levels work together on it."),
    "multistakeholder": N_("How NGOs, social partners, migrant associations and other actors take part."),
    "monitoring_evaluation": N_("How its results are followed and assessed."),
    "sustainability": N_("Whether it can last beyond its first funding and staff."),
})


def guidelines() -> html.Details:
    """How to fill in the form: a short list, open by default (a native ``<details>``, keyboard-accessible)."""
    return html.Details([
        html.Summary(_("How to fill in this form"), className="fw-semibold"),
        html.Ul([html.Li(_(text)) for text in GUIDELINES], className="mb-0 mt-2"),
    ], open=True, className="mx-card", id="lab-guidelines")


def glossary() -> html.Details:
    """The words of the questionnaire and the 7 aspects explained (a native ``<details>``, closed by default)."""
    terms = [html.Div([html.Dt(_(term)), html.Dd(_(text))]) for term, text in GLOSSARY]
    aspects = [html.Div([html.Dt(label), html.Dd(ASPECT_DEFINITIONS[key])]) for key, label in ASPECTS.items()]
    return html.Details([
        html.Summary(_("Words used in this form"), className="fw-semibold"),
        html.Dl(terms, className="mx-glossary mt-2"),
        html.H3(_("The 7 aspects of the assessment"), className="h6"),
        html.Dl(aspects, className="mx-glossary mb-0"),
    ], className="mx-card", id="lab-glossary")


def contribution_form(regions: Regions, region_id: str | None = None, language: str | None = None) -> html.Div:
    """The questionnaire, in the current language. Every input's id is ``ids.lab_field(name)``; every field has
    an error slot. "Language of the answers" starts at ``language`` (default: the page's language)."""
    year_now = dt.date.today().year
    language = language if language in LANGUAGES else i18n.current()

    about = [
        _labelled("title", _input("title", "", placeholder=_("A short name for the practice")), required=True),
        dbc.Row([
            dbc.Col(_labelled("region_id", dcc.Dropdown(id=ids.lab_choice("region_id"), options=region_options(regions),
                                                        value=region_id, searchable=True, clearable=True,
                                                        placeholder=_("Type a name or NUTS code …"), maxHeight=320,
                                                        search_order="index", className="lab-choice"),
                              _(regions.note) if regions.note else
                              _("Any NUTS region (level 1–3) of the EU or EFTA; the MIPEX-R regions come first."),
                              required=True), md=6),
            dbc.Col(_labelled("year_start", _input("year_start", None, type="number", min=1990, max=year_now + 1,
                                                   step=1, placeholder=str(year_now - 2)), required=True), md=3),
            dbc.Col(_labelled("year_end", _input("year_end", None, type="number", min=1990, max=year_now + 10, step=1,
                                                 placeholder=_("ongoing")), _("Leave empty if ongoing.")), md=3),
        ]),
        _labelled("policy_areas", dbc.Checklist(id=ids.lab_field("policy_areas"), options=_options(POLICY_AREAS),
                                                value=[], inline=True), required=True),
        _labelled("target_group", dbc.RadioItems(id=ids.lab_field("target_group"), options=_options(TARGET_GROUPS),
                                                 value=None, inline=True), required=True),
        _labelled("responsible_body", _input("responsible_body", "",
                                             placeholder=_("Department, agency or directorate")), required=True),
        _labelled("language", dbc.Select(id=ids.lab_field("language"), options=_options(LANGUAGES), value=language),
                  _("The questionnaire may be answered in any of these languages.")),
    ]
    what = [
        _labelled("description", _textarea("description", 5),
                  _("What was done, for whom, and why (at least 30 characters)."), required=True),
        _labelled("regional_contribution", _textarea("regional_contribution", 3),
                  _("Funding, staff, coordination, legislation … directly or through social actors."), required=True),
        _labelled("contribution_mode", dbc.RadioItems(id=ids.lab_field("contribution_mode"),
                                                      options=_options(CONTRIBUTION_MODES), value=None), required=True),
        _labelled("lessons_learnt", _textarea("lessons_learnt", 3),
                  _("Concrete problems met and how they were solved."), required=True),
        _labelled("transferability_tips", _textarea("transferability_tips", 3),
                  _("What another region should know before trying this."), required=True),
    ]
    sources = [
        _labelled("links", _textarea("links", 2, placeholder="https://…"),
                  _("Web pages about the practice, one per line.")),
        _labelled("provenance", _textarea("provenance", 2),
                  _("Where does this information come from? e.g. an evaluation report, the project website, "
                    "your own work on the practice."), required=True),
    ]
    you = [
        html.P(_("Your name and e-mail are only for the moderators and are never published or exported; "
                 "your organisation is shown as the contributor."), className="small text-muted"),
        dbc.Row([
            dbc.Col(_labelled("submitter_name", _input("submitter_name", "", autoComplete="name")), md=4),
            dbc.Col(_labelled("submitter_email", _input("submitter_email", "", type="email",
                                                        autoComplete="email")), md=4),
            dbc.Col(_labelled("submitter_organisation", _input("submitter_organisation", "",
                                                               autoComplete="organization")), md=4),
        ]),
        html.Div([
            dbc.Checkbox(id=ids.lab_field("consent"), value=False,
                         label=_("I confirm these answers may be published in the Integration Lab after "
                                 "moderation.") + " *"),
            feedback("consent"),
        ], className="mb-3"),
    ]

    def section(title: str, children: list, extra=None) -> html.Fieldset:
        return html.Fieldset([html.Legend(title, className="h5"), extra, *children], className="mx-card")

    return html.Div([
        guidelines(),
        glossary(),
        section(_("1. The practice"), about),
        section(_("2. What happened"), what),
        section(_("3. Assessment on the 7 aspects"), _aspect_rows(), html.Div([
            html.P(_("For each aspect that applies, what is inspiring and what could be improved. Describe the "
                     "inspiring element of at least one aspect."), className="small text-muted mb-1"),
            feedback("aspects"),
        ])),
        section(_("4. Links and source"), sources),
        section(_("5. About you"), you),
        honeypot(),
        html.Div(id=ids.LAB_FORM_RESULT, **{"aria-live": "polite"}),
        dbc.Button(_("Submit the practice"), id=ids.LAB_FORM_SUBMIT, color="primary", size="lg", className="mb-4"),
        html.P(_("* required. Submissions are stored as pending and shown only after a moderator approves them."),
               className="small text-muted"),
    ], id=ids.LAB_FORM)


#: Moves the honeypot out of sight without ``display: none`` (which some robots skip).
OFF_SCREEN = {"position": "absolute", "left": "-10000px", "top": "auto", "width": "1px", "height": "1px",
              "overflow": "hidden"}


def honeypot() -> html.Div:
    """A field people never see: off screen, hidden from screen readers (``aria-hidden``), out of the tab
    order (``tabIndex=-1``), labelled "leave this field empty" in case anything reads it. Robots that fill
    every field fill it; such a submission is answered as received and not stored."""
    return html.Div([
        dbc.Label(_("Leave this field empty"), html_for=dom_id(ids.lab_field(HONEYPOT_FIELD))),
        dbc.Input(id=ids.lab_field(HONEYPOT_FIELD), value="", type="text", tabIndex="-1", autoComplete="off"),
    ], style=OFF_SCREEN, className="lab-hp", **{"aria-hidden": "true"})


# --------------------------------------------------------------------------------------------
# after a submission


def submission_refused(lines: list[str]) -> dbc.Alert:
    """The form's answers were not stored: one line per field to fix."""
    return dbc.Alert(
        [html.Strong(ngettext("Not stored yet: {n} field needs attention.",
                              "Not stored yet: {n} fields need attention.", len(lines)).format(n=len(lines))),
         html.Ul([html.Li(line) for line in lines], className="mb-0 mt-1")],
        color="danger", id="lab-form-errors",
    )


def submission_not_stored(_detail: str = "") -> dbc.Alert:
    """The database failed: nothing was confirmed stored; the answers are still in the form."""
    return dbc.Alert(
        [html.Strong(_("Not stored:") + " "), _("the practices database is unavailable. Your answers are still in "
                                                 "the form; please try again in a moment.")],
        color="danger", id="lab-form-dberror",
    )


def submission_throttled(refused: Throttled) -> dbc.Alert:
    """Too many submissions from this address: when to try again; the answers are still in the form."""
    return dbc.Alert([refused.message, " ", _("Your answers are still in the form.")], color="warning",
                     id="lab-form-throttled")


def submission_cross_site() -> dbc.Alert:
    return dbc.Alert(_("Not stored: the form was not sent from this site's own page. Please reload the page and "
                       "try again."), color="danger", id="lab-form-cross-site")


def submission_received() -> dbc.Alert:
    """What a robot that filled the honeypot sees: thanks, and nothing else (nothing was stored)."""
    return dbc.Alert([html.H2(_("Thank you — your practice was received."), className="h5"),
                      html.P(_("It will be shown in the Integration Lab once a moderator has approved it."))],
                     color="success", id="lab-form-success")


def submission_stored(rec: PracticeRecord) -> dbc.Alert:
    """Stored as pending, with its submission number."""
    return dbc.Alert(
        [
            html.H2(_("Thank you — your practice is stored."), className="h5"),
            html.P([_("Submission number:") + " ", html.Strong(f"#{rec.id}", id="lab-submission-id")]),
            html.P(_("“{title}” is waiting for a moderator. It will be shown in the Integration Lab once "
                     "approved.").format(title=rec.title)),
            html.A(_("Contribute another practice"), href="/lab/contribute", className="me-3"),
            dcc.Link(_("Back to the Integration Lab"), href="/lab"),
        ],
        color="success", id="lab-form-success",
    )
