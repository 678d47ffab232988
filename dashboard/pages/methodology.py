"""Methodology (`/methodology`): the axes, the scoring rule as the code applies it, the indicator list, data
provenance (anchor ``#data``), the glossary of the words used on the pages with the Eurostat table of each context
statistic (anchor ``#glossary``, from :mod:`dashboard.glossary`) and attributions.

Everything that could drift from the code is read from it: the rule from ``Dataset.rule.describe()``, the group
thresholds from ``scoring.GROUP_THRESHOLDS``, the indicators from ``Dataset.framework``, the provenance from
``Dataset.sources`` / ``Dataset.resource_illustrative`` and the generator's own docstring.

Every text is shown through ``_()`` in the request's language. The generator's docstring is translated block by
block (a paragraph or a list item, :func:`doc_blocks`): :data:`GENERATOR_DOC` marks its current blocks for the
catalogs (``tests/i18n/test_f2_method.py`` fails when the docstring changes and this copy does not), and a block
without a translation is shown in English. Sentences with a link keep the link as a ``{placeholder}`` inside one
message (:func:`linked`), so a translator sees and orders the whole sentence.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib.metadata
import re
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import config, i18n, ids, scoring, state
from dashboard.components.data_grid import data_grid
from dashboard.constants import MAP_CREDIT
from dashboard.data import Dataset
from dashboard.glossary import entries as glossary_entries
from dashboard.i18n import N_, _
from dashboard.views.cache import BoundedCache, frozen
from dashboard.views.columns import Column


def _title(**_ignored) -> str:
    return _("MIPEX-R Explorer — methodology")


dash.register_page(__name__, path="/methodology", title=_title, name="Methodology")

AXIS_TEXT = i18n.Labels({
    "element": N_("How the region governs integration: what it does (actions), with whom (actors and the relations "
               "between them) and with what means (resources)."),
    "phase": N_("Where in the policy cycle an indicator sits: formulating policy, producing it (policy output), "
             "implementing it and evaluating it."),
    "target": N_("Whom the policy is for: third-country nationals (TCN) and beneficiaries of international protection "
              "(BIP). Indicators aimed at both groups count for each. With two values only, it is shown as paired "
              "bars, not as a radar."),
    "area": N_("Which field of integration policy the indicator belongs to. 'General' indicators (e.g. the region's "
            "overall strategy or staff training) belong to no single area."),
})

RESOURCE_TEXT = i18n.Labels({
    "regions": N_("The regions (NUTS 2021 codes, mixed levels)"),
    "framework": N_("The questionnaire (indicators and their tags)"),
    "answers": N_("Indicator answers per region"),
    "outcomes": N_("Context statistics per region"),
    "scores": N_("Published dimension scores"),
    "outcome_indicators": N_("The catalogue of context statistics (labels, units, Eurostat tables)"),
})

#: The embedded data package's title and sources (``data/datapackage.json``), marked for the catalogs and shown
#: through ``_()``; a real package's own wording is shown as it is. A test compares them with the package.
PACKAGE_TEXTS = (
    N_("MIPEX-R Explorer embedded dataset (ILLUSTRATIVE)"),
    N_("MIPEX-R region list (domain.md); NUTS 2021/2024 codes from GISCO"),
    N_("Question texts written by the project in the style of the published MIPEX-R example (marked illustrative, "
       "except that example)"),
    N_("ILLUSTRATIVE: data/generate_illustrative.py (seed 20211201)"),
    N_("Eurostat database (table and dimension codes per indicator); EU 'Zaragoza' migrant integration indicators"),
    N_("ILLUSTRATIVE draws in plausible ranges (data/generate_illustrative.py) until refreshed from Eurostat "
       "(python -m dashboard refresh-outcomes); urban-rural typology derived from GISCO URBN_TYPE"),
)

#: Every line ``ScoringRule.describe()`` can give (marked here for the catalogs; shown through ``_()``).
RULE_TEXTS = (
    N_("A dimension's score is the mean of the answered (non-missing) indicators tagged with it, on 0–100."),
    N_("Indicators aimed at both target groups count for TCN and for BIP."),
    N_("'General' indicators count on the element, phase and target axes but in no policy area."),
    N_("'General' indicators count in no axis score and in no policy area."),
    N_("The overall score is the mean of the region's non-missing policy-area scores."),
    N_("The overall score is the mean of all the region's answered indicators."),
    N_("A dimension with no answered indicator is missing, never 0."),
)

#: The blocks of ``data/generate_illustrative.py``'s docstring (after :func:`_markdown` and :func:`doc_blocks`),
#: marked for the catalogs. A test compares them with the docstring, so an edit there shows up here.
GENERATOR_DOC = (
    N_("Generate the embedded ILLUSTRATIVE MIPEX-R dataset (framework, answers, outcomes)."),
    N_("The real per-region MIPEX-R score tables are not available offline. This generator makes a plausible "
       "stand-in, reproducibly (fixed seed), that keeps every published fact we have "
       "(see `../shared/reference/domain.md`):"),
    N_("Azores (PT20) overall score exactly 56 (under the project's default scoring rule);"),
    N_("Lisbon (PT17) and Azores both \"advanced\", Lisbon higher;"),
    N_("12 regions advanced, 4 intermediate, 9 lagging, with the thresholds of "
       "`dashboard.scoring.GROUP_THRESHOLDS` (advanced ≥ 55, intermediate 45–55, lagging < 45);"),
    N_("the shape of the published Azores profile (the REGIN slide \"Results – Website prototype\"): \"rather "
       "well-developed mechanisms for the inclusion of different actors\" (Azores' actors & relations score above "
       "its own overall score and above the average of all regions), \"limited financial resources\" (resources "
       "below its overall score and below the average) and \"could greatly benefit from improvements … in "
       "particular in the evaluation\" (evaluation its lowest phase, below the average); its policies are "
       "\"directed to the small-sized TCN population\" (TCN above BIP)."),
    N_("Everything else is invented: which region falls in which group (apart from Azores and Lisbon) is drawn "
       "at random from the seed, and so are all other scores. No other pattern is built in: every other region's "
       "effects per phase, element, area and target are drawn around zero, so nothing here is a finding about "
       "regions in general."),
    N_("How the answers are drawn, per region:"),
    N_("a target overall score inside the region's group band (bands keep ≥ 2 points from a threshold);"),
    N_("region effects drawn around zero: phase (± 4), governance element (± 5), policy area (± 10); the Azores "
       "add the shape above (`AZORES_SHAPE`);"),
    N_("a latent value per indicator = target + effects + noise (sd 18) + a region shift found by bisection so "
       "that the overall score meets the target; three-option items map latent < 33 → 0, < 67 → 50, else 100; "
       "percentage items take the latent clipped to 0–100 and rounded;"),
    N_("about 2 %% of three-option items are left unanswered (never a whole dimension);"),
    N_("Azores: one percentage item is then solved so that the overall score is exactly 56, and the draw is "
       "repeated until the published shape holds."),
    N_("Outcome values (`outcomes.csv`, long) are drawn for every indicator of the catalogue "
       "`outcome_indicators.csv` that `OUTCOME_DRAWS` knows, in plausible ranges around rough magnitudes (an "
       "indicator added to the catalogue without a draw simply has no illustrative values). Each value says which "
       "NUTS unit it stands for, as a refresh from Eurostat would: NUTS-3 regions (Skåne, Västra Götaland) take "
       "their NUTS-2 parent as a flagged proxy; national-only statistics take the country, flagged national. The "
       "urban–rural typology is derived from GISCO's NUTS-3 `URBN_TYPE` when the boundary files are found (most "
       "common type among the region's NUTS-3 units) and is then not illustrative."),
    N_("Run: `python data/generate_illustrative.py [--out DIR]` (default: this folder). Output is byte-identical "
       "for the same seed."),
)

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
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    for _attempt in range(3):  # CPython 3.11's spurious SystemError when another thread builds an AST (cpython#106905)
        try:
            return ast.get_docstring(ast.parse(text))
        except SyntaxError:
            return None
        except SystemError:
            continue
    return None


def _markdown(rst: str) -> str:
    """The generator's reST-ish docstring → Markdown (``code`` and :data:`x` roles)."""
    text = re.sub(r":\w+:`~?([^`]+)`", r"`\1`", rst)
    return text.replace("``", "`")


_ITEM = re.compile(r"^(\* |\d+\. )")


def doc_blocks(markdown: str) -> list[list[tuple[str, str]]]:
    """Markdown text → its paragraphs, each a list of ``(marker, text)``: one ``("", text)`` for a plain
    paragraph, one ``("* ", text)`` or ``("2. ", text)`` per list item; each text on one line (the unit a
    translator gets)."""
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", markdown.strip()):
        items: list[list[str]] = []
        for line in chunk.splitlines():
            line = line.strip()
            found = _ITEM.match(line)
            if found or not items:
                marker = found.group(1) if found else ""
                items.append([marker, line[len(marker):]])
            else:
                items[-1][1] += " " + line
        paragraphs.append([(marker, text) for marker, text in items])
    return paragraphs


def doc_msgid(text: str) -> str:
    """The message id of a docstring block: ``%`` doubled, as gettext's python-format checks expect ("2 %% of")."""
    return text.replace("%", "%%")


def _doc_text(text: str) -> str:
    return _(doc_msgid(text)).replace("%%", "%") if "%" in text else _(text)


def translated_markdown(markdown: str) -> str:
    """``markdown`` with each paragraph and list item translated (English where a block has no translation)."""
    return "\n\n".join("\n".join(marker + _doc_text(text) for marker, text in paragraph)
                       for paragraph in doc_blocks(markdown))


def linked(text: str, **parts) -> list:
    """A translated sentence with ``{name}`` placeholders → its pieces with each placeholder replaced by the
    component ``parts[name]`` (a link), so a sentence with a link stays one message."""
    pieces: list = []
    for piece in re.split(r"(\{\w+\})", text):
        name = piece[1:-1] if piece.startswith("{") and piece.endswith("}") else None
        if name in parts:
            pieces.append(parts[name])
        elif piece:
            pieces.append(piece)
    return pieces


def _points(value: float) -> str:
    """A threshold in the current language's notation (``55``; ``52,5`` in French)."""
    return i18n.number(value, 0 if float(value).is_integer() else 1)


def _version(dist: str | None) -> str:
    if not dist:
        return ""
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return ""


def rule_lines(dataset: Dataset) -> list[str]:
    """The scoring rule in plain words, exactly as ``dataset.rule`` applies it (in the current language)."""
    return [_(line) for line in dataset.rule.describe()]


def group_lines() -> list[str]:
    adv, mid = scoring.GROUP_THRESHOLDS["advanced"], scoring.GROUP_THRESHOLDS["intermediate"]
    return [
        _("Advanced: overall score {advanced} or more.").format(advanced=_points(adv)),
        _("Intermediate: overall score from {intermediate} up to (not including) {advanced}.").format(
            intermediate=_points(mid), advanced=_points(adv)),
        _("Lagging: overall score below {intermediate}.").format(intermediate=_points(mid)),
    ]


def _options(cell: str) -> str:
    """``"YES=100|NO=0"`` → ``"YES=100; NO=0"`` with each answer label in the current language."""
    parts = []
    for part in cell.split("|"):
        label, sep, points = part.rpartition("=")
        parts.append(f"{_(label.strip())}={points}" if sep and label.strip() else _(part.strip()))
    return "; ".join(p for p in parts if p)


def framework_table(dataset: Dataset) -> pd.DataFrame:
    fw = dataset.framework.copy()
    label = scoring.LABELS.get
    fw["question"] = fw["question"].map(lambda q: _(q) if isinstance(q, str) else q)
    fw["element_label"] = fw["element"].map(label)
    fw["phase_label"] = fw["phase"].map(label)
    fw["target_label"] = fw["target"].map(lambda t: _("Both (TCN and BIP)") if t == "both" else t)
    fw["area_label"] = fw["area"].map(label)
    fw["source"] = fw["illustrative"].map(lambda v: _("illustrative (written by the project)") if v
                                          else _("published MIPEX-R example"))
    fw["options"] = fw["options"].fillna("").map(_options)
    return fw


FRAMEWORK_COLUMNS = [
    Column("indicator_id", N_("Id")), Column("question", N_("Question")), Column("element_label", N_("Element")),
    Column("phase_label", N_("Phase")), Column("target_label", N_("Target")), Column("area_label", N_("Area")),
    Column("options", N_("Answer options (points)")), Column("source", N_("Question text")),
]


def framework_columns() -> list[Column]:
    """:data:`FRAMEWORK_COLUMNS` with their headers in the current language."""
    return [dataclasses.replace(c, label=_(c.label)) for c in FRAMEWORK_COLUMNS]


def provenance_rows(dataset: Dataset) -> list[dict]:
    rows = []
    for name, flag in dataset.resource_illustrative.items():
        rows.append({"resource": name, "what": RESOURCE_TEXT.get(name, name), "illustrative": bool(flag),
                     "status": _("ILLUSTRATIVE") if flag else _("not illustrative"),
                     "source": _(dataset.sources.get(name, "")) or "—"})
    return rows


def _axes_section() -> html.Section:
    items = []
    for axis in ("element", "phase", "target", "area"):
        dims = ", ".join(scoring.dimension_label(k) for k in scoring.AXES[axis])
        items.append(html.Li([html.Strong(_("{axis}:").format(axis=scoring.AXIS_LABELS[axis]) + " "), dims + ". ",
                              html.Span(AXIS_TEXT[axis], className="text-muted")]))
    items.append(html.Li([html.Strong(_("{axis}:").format(axis=scoring.LABELS["overall"]) + " "),
                          _("one number per region (see the rule below).")]))
    return html.Section([
        html.H2(_("The four axes"), className="h4"),
        html.P(_("Every indicator is tagged on four axes, so each can be read in four ways:")),
        html.Ul(items),
    ], className="mx-card")


def _rule_section(dataset: Dataset) -> html.Section:
    counts = dataset.wide_scores["overall"].map(scoring.group_of).value_counts()
    published = dataset.scores_published
    return html.Section([
        html.H2(_("How scores are computed"), className="h4"),
        html.P(_("Each indicator is a questionnaire item answered by regional experts. A three-option item scores "
                 "100 (yes, systematically or regularly), 50 (yes, occasionally or ad hoc) or 0 (no); a percentage "
                 "item scores its percentage (0–100). Unanswered items are left out, never counted as 0.")),
        html.P(_("The exact aggregation rule of MIPEX-R is not public here, so this is the rule this dashboard "
                 "applies (it is configurable in {file}):").format(file="dashboard/scoring.py")),
        html.Ol([html.Li(line) for line in rule_lines(dataset)], id=ids.METHODOLOGY_RULE),
        html.P(_("The scores shown come from the imported published scores, not from this rule.")
               if published else _("Every score on every page is computed with this rule from the answers."),
               className="fw-semibold"),
        html.H3(_("Groups"), className="h5 mt-3"),
        html.P(_("Press coverage of the 25-region results grouped regions as advanced, intermediate and lagging. "
                 "The published thresholds are not available here; these are the dashboard's:")),
        html.Ul([html.Li(line) for line in group_lines()]),
        html.P(_("With the data now loaded: {advanced} advanced, {intermediate} intermediate, {lagging} lagging.")
               .format(advanced=counts.get("advanced", 0), intermediate=counts.get("intermediate", 0),
                       lagging=counts.get("lagging", 0)), className="text-muted"),
    ], className="mx-card")


def _framework_section(dataset: Dataset) -> html.Section:
    n_ill = int(dataset.framework["illustrative"].fillna(True).astype(bool).sum())
    n = len(dataset.framework)
    return html.Section([
        html.H2(_("The indicators ({n})").format(n=n), className="h4"),
        html.P(_("{illustrative} of the {n} question texts are illustrative (written by the project in the style "
                 "of the published example); the column “Question text” says which.").format(illustrative=n_ill, n=n)
               if n_ill else _("All question texts come from the loaded questionnaire.")),
        data_grid(ids.METHODOLOGY_FRAMEWORK, framework_table(dataset), framework_columns(), filterable=True,
                  page_size=15, wide_column="question"),
    ], className="mx-card")


def _data_section(dataset: Dataset) -> html.Section:
    doc = generator_docstring()
    children = [
        html.H2(_("Where the data come from"), className="h4"),
        html.P([html.Strong(_("Loaded dataset:") + " "), _(dataset.title), " — ",
                html.Strong(_("ILLUSTRATIVE") if dataset.illustrative else _("not illustrative")), "."]),
        dbc.Table([
            html.Thead(html.Tr([html.Th(_("Part")), html.Th(_("What")), html.Th(_("Status")), html.Th(_("Source"))])),
            html.Tbody([html.Tr([html.Td(html.Code(r["resource"])), html.Td(r["what"]),
                                 html.Td(html.Strong(r["status"]) if r["illustrative"] else r["status"]),
                                 html.Td(r["source"])]) for r in provenance_rows(dataset)]),
        ], bordered=False, striped=True, size="sm", responsive=True),
        html.P([_("The full MIPEX-R score tables are not available offline. The embedded data keep the few "
                  "published facts and invent the rest, as the generator documents below."), " ",
                *linked(_("To show real results, load the real files on the {data_page} or start the app with "
                          "{setting} pointing at a data package with “illustrative”: false."),
                        data_page=dcc.Link(_("Data page"), href="/data"), setting="MIPEXR_DATA_DIR")]),
    ]
    if doc:
        children += [
            html.H3(_("How the illustrative data are made (from {file})").format(
                file="data/generate_illustrative.py"), className="h5 mt-3"),
            dcc.Markdown(translated_markdown(_markdown(doc)), className="mx-generator-doc small"),
        ]
    return html.Section(children, id=ids.METHODOLOGY_DATA, className="mx-card")


def context_sources(dataset: Dataset) -> pd.DataFrame:
    """Each context statistic of the loaded data with its Eurostat table code and the NUTS units its values are
    for (the codes the profile's table shows on hover only): columns ``statistic``, ``table``, ``units``."""
    from dashboard.views.stats import ALL_INDICATORS, stats_rows

    rows = stats_rows(dataset.outcomes, None, ALL_INDICATORS)
    out: dict[str, dict] = {}
    for r in rows:
        label = _(r["label"])  # the catalogue's label in the current language (unchanged when already translated)
        entry = out.setdefault(label, {"statistic": label, "table": r["source"], "units": set()})
        entry["units"].add(r["nuts_used"] or r["region_id"])
    return pd.DataFrame([{**e, "units": f"{len(e['units'])} units"} for e in out.values()],
                        columns=["statistic", "table", "units"])


def _glossary_section(dataset: Dataset) -> html.Section:
    terms = [html.Div([html.Dt(term), html.Dd(text)]) for term, text in glossary_entries()]
    sources = context_sources(dataset)
    return html.Section([
        html.H2(_("Words used on these pages"), className="h4"),
        html.Dl(terms, className="mx-glossary"),
        html.H3(_("Context statistics: Eurostat tables"), className="h5 mt-3"),
        html.P(_("The region profile names the source of each context statistic in plain words; the Eurostat table "
                 "code is shown on hover there and listed here."), className="small text-muted"),
        dbc.Table([html.Thead(html.Tr([html.Th(_("Statistic"), scope="col"),
                                       html.Th(_("Eurostat table"), scope="col")])),
                   html.Tbody([html.Tr([html.Td(r.statistic), html.Td(html.Code(r.table))])
                               for r in sources.itertuples(index=False)])],
                  size="sm", striped=True, responsive=True, id=ids.METHODOLOGY_GLOSSARY_SOURCES),
    ], className="mx-card")


def _attributions_section() -> html.Section:
    libs = [html.Li(f"{name} {_version(dist)} ({licence})".replace("  ", " ")) for name, dist, licence in LIBRARIES]
    return html.Section([
        html.H2(_("Attributions"), className="h4"),
        html.Ul([
            html.Li(_("MIPEX-R (Migrant Integration Policy Index for Regions): CIDOB (Barcelona Centre for "
                      "International Affairs) and Migration Policy Group (MPG), within the REGIN project "
                      "(Feb 2020 – Feb 2022).")),
            html.Li(_("The REGIN project was funded by the European Union's Asylum, Migration and Integration Fund "
                      "(AMIF). This dashboard is not an official product of CIDOB, MPG, the REGIN project or the EU.")),
            html.Li([_("Administrative boundaries: Eurostat GISCO (NUTS 2021 and 2024)."), " ",
                     html.Strong(_(MAP_CREDIT)), "."]),
            html.Li(linked(_("Context statistics, when real, come from Eurostat regional tables (listed under "
                             "{glossary})."), glossary=html.A(_("Words used"), href="#glossary"))),
            html.Li(_("Colours: Viridis on the map (its range fitted to the scores shown), Cividis (Nuñez, Anderton & "
                      "Renslow, 2018) on the heat map and the Okabe–Ito palette, all readable "
                      "with colour-vision deficiencies.")),
        ]),
        html.H3(_("Software"), className="h5"),
        html.Ul(libs, className="small"),
    ], className="mx-card")


#: The page depends on the loaded data and the language only: one per (dataset fingerprint, language), for
#: the shared data only (a private workspace's is made each time). Dash serialises it without changing it.
_LAYOUTS = BoundedCache(16)


def layout(**_query):
    dataset = state.current()
    return _LAYOUTS.get((dataset.fingerprint, i18n.current()), lambda: frozen(page_layout(dataset)),
                        store=state.shared_data())


def page_layout(dataset: Dataset) -> html.Div:
    """The Methodology page for ``dataset`` in the current language."""
    return html.Div([
        html.H1(_("Methodology"), className="h2"),
        html.P(_("What MIPEX-R measures, how this dashboard computes the scores, which data are illustrative, and "
                 "whom to credit. MIPEX-R scores regions' migrant-integration governance on governance indicators "
                 "answered by regional experts ({n} in the data now loaded); every score runs "
                 "from 0 to 100.").format(n=len(dataset.framework))),
        html.Nav(html.Ul([html.Li(html.A(_(t), href=h)) for t, h in (
            (N_("The four axes"), "#axes"), (N_("How scores are computed"), "#rule"),
            (N_("The indicators"), "#indicators"), (N_("Where the data come from"), "#data"),
            (N_("Words used"), "#glossary"), (N_("Attributions"), "#attributions"))]), className="mb-2"),
        html.Div(_axes_section(), id="axes"),
        html.Div(_rule_section(dataset), id="rule"),
        html.Div(_framework_section(dataset), id="indicators"),
        _data_section(dataset),
        html.Div(_glossary_section(dataset), id="glossary"),
        html.Div(_attributions_section(), id="attributions"),
    ])
