"""Methodology (`/methodology`): the axes, the scoring rule as the code applies it, the indicator list, data
provenance (anchor ``#data``), the glossary of the words used on the pages with the Eurostat table of each context
statistic (anchor ``#glossary``, from :mod:`dashboard.glossary`) and attributions.

Everything that could drift from the code is read from it: the rule from ``Dataset.rule.describe()``, the group
thresholds from ``scoring.GROUP_THRESHOLDS``, the indicators from ``Dataset.framework``, the provenance from
``Dataset.sources`` / ``Dataset.resource_illustrative`` and the generator's own docstring.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import config, ids, scoring, state
from dashboard.components.data_grid import data_grid
from dashboard.constants import MAP_CREDIT
from dashboard.data import Dataset
from dashboard.glossary import GLOSSARY
from dashboard.views.columns import Column

dash.register_page(__name__, path="/methodology", title="MIPEX-R Explorer — methodology", name="Methodology")

AXIS_TEXT = {
    "element": "How the region governs integration: what it does (actions), with whom (actors and the relations "
               "between them) and with what means (resources).",
    "phase": "Where in the policy cycle an indicator sits: formulating policy, producing it (policy output), "
             "implementing it and evaluating it.",
    "target": "Whom the policy is for: third-country nationals (TCN) and beneficiaries of international protection "
              "(BIP). Indicators aimed at both groups count for each. With two values only, it is shown as paired "
              "bars, not as a radar.",
    "area": "Which field of integration policy the indicator belongs to. 'General' indicators (e.g. the region's "
            "overall strategy or staff training) belong to no single area.",
}

RESOURCE_TEXT = {
    "regions": "The regions (NUTS 2021 codes, mixed levels)",
    "framework": "The questionnaire (indicators and their tags)",
    "answers": "Indicator answers per region",
    "outcomes": "Context statistics per region",
    "scores": "Published dimension scores",
}

LIBRARIES = (
    ("Dash", "dash", "MIT"), ("Plotly", "plotly", "MIT"), ("Dash Bootstrap Components", "dash-bootstrap-components",
                                                           "Apache-2.0"),
    ("Bootstrap 5 (CSS)", None, "MIT"), ("pandas", "pandas", "BSD-3-Clause"), ("NumPy", "numpy", "BSD-3-Clause"),
    ("GeoPandas", "geopandas", "BSD-3-Clause"), ("Shapely", "shapely", "BSD-3-Clause"),
    ("Frictionless Framework", "frictionless", "MIT"), ("openpyxl", "openpyxl", "MIT"),
    ("Kaleido", "kaleido", "MIT"), ("Jinja2", "jinja2", "BSD-3-Clause"), ("pypdf", "pypdf", "BSD-3-Clause"),
    ("SQLAlchemy", "sqlalchemy", "MIT"), ("Alembic", "alembic", "MIT"), ("Waitress", "waitress", "ZPL-2.1"),
)


def generator_docstring(path: Path | None = None) -> str | None:
    """The docstring of ``data/generate_illustrative.py`` (what is published fact, what is invented), or None."""
    path = path or config.EMBEDDED_DATA_DIR / "generate_illustrative.py"
    try:
        return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    except (OSError, SyntaxError):
        return None


def _markdown(rst: str) -> str:
    """The generator's reST-ish docstring → Markdown (``code`` and :data:`x` roles)."""
    text = re.sub(r":\w+:`~?([^`]+)`", r"`\1`", rst)
    return text.replace("``", "`")


def _version(dist: str | None) -> str:
    if not dist:
        return ""
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return ""


def rule_lines(dataset: Dataset) -> list[str]:
    """The scoring rule in plain words, exactly as ``dataset.rule`` applies it."""
    return dataset.rule.describe()


def group_lines() -> list[str]:
    adv, mid = scoring.GROUP_THRESHOLDS["advanced"], scoring.GROUP_THRESHOLDS["intermediate"]
    return [
        f"Advanced: overall score {adv:g} or more.",
        f"Intermediate: overall score from {mid:g} up to (not including) {adv:g}.",
        f"Lagging: overall score below {mid:g}.",
    ]


def framework_table(dataset: Dataset) -> pd.DataFrame:
    fw = dataset.framework.copy()
    label = scoring.LABELS.get
    fw["element_label"] = fw["element"].map(label)
    fw["phase_label"] = fw["phase"].map(label)
    fw["target_label"] = fw["target"].map(lambda t: "Both (TCN and BIP)" if t == "both" else t)
    fw["area_label"] = fw["area"].map(label)
    fw["source"] = fw["illustrative"].map(lambda v: "illustrative (written by the project)" if v
                                          else "published MIPEX-R example")
    fw["options"] = fw["options"].fillna("").str.replace("|", "; ", regex=False)
    return fw


FRAMEWORK_COLUMNS = [
    Column("indicator_id", "Id"), Column("question", "Question"), Column("element_label", "Element"),
    Column("phase_label", "Phase"), Column("target_label", "Target"), Column("area_label", "Area"),
    Column("options", "Answer options (points)"), Column("source", "Question text"),
]


def provenance_rows(dataset: Dataset) -> list[dict]:
    rows = []
    for name, flag in dataset.resource_illustrative.items():
        rows.append({"resource": name, "what": RESOURCE_TEXT.get(name, name),
                     "status": "ILLUSTRATIVE" if flag else "not illustrative",
                     "source": dataset.sources.get(name, "") or "—"})
    return rows


def _axes_section() -> html.Section:
    items = []
    for axis in ("element", "phase", "target", "area"):
        dims = ", ".join(scoring.dimension_label(k) for k in scoring.AXES[axis])
        items.append(html.Li([html.Strong(scoring.AXIS_LABELS[axis] + ": "), dims + ". ",
                              html.Span(AXIS_TEXT[axis], className="text-muted")]))
    items.append(html.Li([html.Strong("Overall score: "), "one number per region (see the rule below)."]))
    return html.Section([
        html.H2("The four axes", className="h4"),
        html.P("Every indicator is tagged on four axes, so each can be read in four ways:"),
        html.Ul(items),
    ], className="mx-card")


def _rule_section(dataset: Dataset) -> html.Section:
    counts = dataset.wide_scores["overall"].map(scoring.group_of).value_counts()
    published = dataset.scores_published
    return html.Section([
        html.H2("How scores are computed", className="h4"),
        html.P("Each indicator is a questionnaire item answered by regional experts. A three-option item scores "
               "100 (yes, systematically or regularly), 50 (yes, occasionally or ad hoc) or 0 (no); a percentage "
               "item scores its percentage (0–100). Unanswered items are left out, never counted as 0."),
        html.P("The exact aggregation rule of MIPEX-R is not public here, so this is the rule this dashboard "
               "applies (it is configurable in dashboard/scoring.py):"),
        html.Ol([html.Li(line) for line in rule_lines(dataset)], id=ids.METHODOLOGY_RULE),
        html.P("The scores shown come from the imported published scores, not from this rule."
               if published else "Every score on every page is computed with this rule from the answers.",
               className="fw-semibold"),
        html.H3("Groups", className="h5 mt-3"),
        html.P("Press coverage of the 25-region results grouped regions as advanced, intermediate and lagging. "
               "The published thresholds are not available here; these are the dashboard's:"),
        html.Ul([html.Li(line) for line in group_lines()]),
        html.P(f"With the data now loaded: {counts.get('advanced', 0)} advanced, {counts.get('intermediate', 0)} "
               f"intermediate, {counts.get('lagging', 0)} lagging.", className="text-muted"),
    ], className="mx-card")


def _framework_section(dataset: Dataset) -> html.Section:
    n_ill = int(dataset.framework["illustrative"].fillna(True).astype(bool).sum())
    return html.Section([
        html.H2(f"The indicators ({len(dataset.framework)})", className="h4"),
        html.P(f"{n_ill} of the {len(dataset.framework)} question texts are illustrative (written by the project in "
               "the style of the published example); the column “Question text” says which."
               if n_ill else "All question texts come from the loaded questionnaire."),
        data_grid(ids.METHODOLOGY_FRAMEWORK, framework_table(dataset), FRAMEWORK_COLUMNS, filterable=True,
                  page_size=15, wide_column="question"),
    ], className="mx-card")


def _data_section(dataset: Dataset) -> html.Section:
    doc = generator_docstring()
    children = [
        html.H2("Where the data come from", className="h4"),
        html.P([html.Strong("Loaded dataset: "), dataset.title, " — ",
                html.Strong("ILLUSTRATIVE" if dataset.illustrative else "not illustrative"), "."]),
        dbc.Table([
            html.Thead(html.Tr([html.Th("Part"), html.Th("What"), html.Th("Status"), html.Th("Source")])),
            html.Tbody([html.Tr([html.Td(html.Code(r["resource"])), html.Td(r["what"]),
                                 html.Td(html.Strong(r["status"]) if r["status"] == "ILLUSTRATIVE" else r["status"]),
                                 html.Td(r["source"])]) for r in provenance_rows(dataset)]),
        ], bordered=False, striped=True, size="sm", responsive=True),
        html.P(["The full MIPEX-R score tables are not available offline. The embedded data keep the few published "
                "facts and invent the rest, as the generator documents below. To show real results, load the real "
                "files on the ", dcc.Link("Data page", href="/data"),
                " or start the app with MIPEXR_DATA_DIR pointing at a data package with “illustrative”: false."]),
    ]
    if doc:
        children += [
            html.H3("How the illustrative data are made (from data/generate_illustrative.py)", className="h5 mt-3"),
            dcc.Markdown(_markdown(doc), className="mx-generator-doc small"),
        ]
    return html.Section(children, id=ids.METHODOLOGY_DATA, className="mx-card")


def context_sources(dataset: Dataset) -> pd.DataFrame:
    """Each context statistic of the loaded data with its Eurostat table code and the NUTS units its values are
    for (the codes the profile's table shows on hover only): columns ``statistic``, ``table``, ``units``."""
    from dashboard.views.stats import ALL_INDICATORS, stats_rows

    rows = stats_rows(dataset.outcomes, None, ALL_INDICATORS)
    out: dict[str, dict] = {}
    for r in rows:
        entry = out.setdefault(r["label"], {"statistic": r["label"], "table": r["source"], "units": set()})
        entry["units"].add(r["nuts_used"] or r["region_id"])
    return pd.DataFrame([{**e, "units": f"{len(e['units'])} units"} for e in out.values()],
                        columns=["statistic", "table", "units"])


def _glossary_section(dataset: Dataset) -> html.Section:
    terms = [html.Div([html.Dt(term), html.Dd(text)]) for term, text in GLOSSARY.items()]
    sources = context_sources(dataset)
    return html.Section([
        html.H2("Words used on these pages", className="h4"),
        html.Dl(terms, className="mx-glossary"),
        html.H3("Context statistics: Eurostat tables", className="h5 mt-3"),
        html.P("The region profile names the source of each context statistic in plain words; the Eurostat table "
               "code is shown on hover there and listed here.", className="small text-muted"),
        dbc.Table([html.Thead(html.Tr([html.Th("Statistic", scope="col"), html.Th("Eurostat table", scope="col")])),
                   html.Tbody([html.Tr([html.Td(r.statistic), html.Td(html.Code(r.table))])
                               for r in sources.itertuples(index=False)])],
                  size="sm", striped=True, responsive=True, id=ids.METHODOLOGY_GLOSSARY_SOURCES),
    ], className="mx-card")


def _attributions_section() -> html.Section:
    libs = [html.Li(f"{name} {_version(dist)} ({licence})".replace("  ", " ")) for name, dist, licence in LIBRARIES]
    return html.Section([
        html.H2("Attributions", className="h4"),
        html.Ul([
            html.Li("MIPEX-R (Migrant Integration Policy Index for Regions): CIDOB (Barcelona Centre for International "
                    "Affairs) and Migration Policy Group (MPG), within the REGIN project (Feb 2020 – Feb 2022)."),
            html.Li("The REGIN project was funded by the European Union's Asylum, Migration and Integration Fund "
                    "(AMIF). This dashboard is not an official product of CIDOB, MPG, the REGIN project or the EU."),
            html.Li(["Administrative boundaries: Eurostat GISCO (NUTS 2021 and 2024). ", html.Strong(MAP_CREDIT), "."]),
            html.Li(["Context statistics, when real, come from Eurostat regional tables (listed under ",
                     html.A("Words used", href="#glossary"), ")."]),
            html.Li("Colours: Viridis on the map (its range fitted to the scores shown), Cividis (Nuñez, Anderton & "
                    "Renslow, 2018) on the heat map and the Okabe–Ito palette, all readable "
                    "with colour-vision deficiencies."),
        ]),
        html.H3("Software", className="h5"),
        html.Ul(libs, className="small"),
    ], className="mx-card")


def layout(**query):
    dataset = state.current()
    return html.Div([
        html.H1("Methodology", className="h2"),
        html.P("What MIPEX-R measures, how this dashboard computes the scores, which data are illustrative, and "
               "whom to credit. MIPEX-R scores regions' migrant-integration governance on governance indicators "
               f"answered by regional experts ({len(dataset.framework)} in the data now loaded); every score runs "
               "from 0 to 100."),
        html.Nav(html.Ul([html.Li(html.A(t, href=h)) for t, h in (
            ("The four axes", "#axes"), ("How scores are computed", "#rule"), ("The indicators", "#indicators"),
            ("Where the data come from", "#data"), ("Words used", "#glossary"),
            ("Attributions", "#attributions"))]), className="mb-2"),
        html.Div(_axes_section(), id="axes"),
        html.Div(_rule_section(dataset), id="rule"),
        html.Div(_framework_section(dataset), id="indicators"),
        _data_section(dataset),
        html.Div(_glossary_section(dataset), id="glossary"),
        html.Div(_attributions_section(), id="attributions"),
    ])
