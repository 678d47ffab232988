"""The map screen (pure): URL state, region clicks, the map figure on the loaded boundaries, and what a
measure or selection change sends (small, cached per dataset fingerprint and parameters).

State lives in the URL query (``/?measure=area:health&region=PT20``, with two or more editions also
``edition=2024`` and ``since=2021``: the change since an earlier edition): :func:`parse_map_query` reads it and
:func:`map_search` writes it back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd

from dashboard import geo, i18n, scoring
from dashboard.data import Dataset, fold
from dashboard.figures import change as change_figures
from dashboard.figures import maps as map_figures
from dashboard.i18n import _, ngettext
from dashboard.query import DEFAULT_MEASURE, parse_measure, parse_region
from dashboard.views.cache import BoundedCache
from dashboard.views.editions import EditionChoice, parse_editions, shown


@dataclass
class MapState:
    measure: str = DEFAULT_MEASURE
    region: str | None = None
    notes: list[str] = field(default_factory=list)
    editions: EditionChoice = field(default_factory=lambda: EditionChoice(None), compare=False)


def parse_map_query(dataset: Dataset, measure: str | None = None, region: str | None = None,
                    edition: str | None = None, since: str | None = None) -> MapState:
    """URL query values → a valid state plus plain-words notes for anything that had to fall back."""
    measure_key, note = parse_measure(measure)
    region_id, region_note = parse_region(region, dataset.resolve_region)
    choice = parse_editions(dataset, edition, since)
    notes = [n for n in (note, region_note, *choice.notes) if n]
    return MapState(measure_key, region_id, notes, choice)


def map_search(measure: str | None, region: str | None, editions: dict[str, str] | None = None) -> str:
    """The query string of a map view (``""`` for the default view); ``editions`` =
    :meth:`EditionChoice.params`."""
    params = {}
    if measure and measure != DEFAULT_MEASURE:
        params["measure"] = measure
    if region:
        params["region"] = region
    params.update(editions or {})
    return ("?" + urlencode(params, safe=":")) if params else ""


#: Regions named in a search's "did you mean" before "and N more".
SEARCH_SUGGESTIONS = 5


@dataclass(frozen=True)
class SearchResult:
    """What "Find my region" found: the region id (None when nothing or several matched) and plain words
    for the screen (empty when the box is empty)."""

    region: str | None
    message: str


def find_region(dataset: Dataset, text: str | None) -> SearchResult:
    """The region a visitor typed: a NUTS code (2021, or its 2024 successor), an English or local name, or the
    search box's own suggestion ``"Name (CODE)"`` — in any case and with or without accents
    (:meth:`Dataset.resolve_region`); failing an exact match, the one region whose name or code contains the
    text. Several matches name the first few; none says so. Input is cut at 100 characters."""
    text = (text or "").strip()[:100]
    if not text:
        return SearchResult(None, "")
    found = dataset.resolve_region(text)
    if found is None and text.endswith(")") and "(" in text:  # "Lisbon Metropolitan Area (PT17)"
        found = dataset.resolve_region(text[text.rindex("(") + 1:-1])
    if found is None:
        needle = fold(text)
        regions = dataset.regions
        hits = [rid for rid, en, local in zip(regions["region_id"], regions["name_en"], regions["name_local"])
                if needle in fold(str(rid)) or needle in fold(str(en)) or needle in fold(str(local or ""))]
        if len(hits) == 1:
            found = hits[0]
        elif hits:
            names = [f"{dataset.region_name(r)} ({r})" for r in hits]
            shown = ", ".join(names[:SEARCH_SUGGESTIONS])
            if len(names) > SEARCH_SUGGESTIONS:
                more = len(names) - SEARCH_SUGGESTIONS
                message = ngettext("{n} regions match “{text}”: {names} and {more} more. Type more of the name.",
                                   "{n} regions match “{text}”: {names} and {more} more. Type more of the name.",
                                   more)
            else:
                more = 0
                message = _("{n} regions match “{text}”: {names}. Type more of the name.")
            return SearchResult(None, message.format(n=len(hits), text=text, names=shown, more=more))
    if found is None:
        return SearchResult(None, _("No region matches “{text}”. Try a name (Lisbon, Vorarlberg) or a code "
                                    "(PT17).").format(text=text))
    return SearchResult(found, _("Showing {region} ({code}).").format(region=dataset.region_name(found), code=found))


def region_from_click(click_data: dict | None, dataset: Dataset) -> str | None:
    """The region id of a map click (choropleth ``location`` or marker ``customdata``); None otherwise."""
    if not click_data or not click_data.get("points"):
        return None
    point = click_data["points"][0]
    for key in ("location", "customdata"):
        value = point.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str) and dataset.has_region(value):
            return value
    return None


def build_map(dataset: Dataset, measure: str, selected: str | None = None, since: int | None = None):
    """The full map figure with its geometry embedded (exports): ``(figure, None)``, or ``(None, message)``
    when the boundary files are missing (the message says how to get them). ``dataset`` shows the chosen
    edition; ``since`` (an earlier edition) colours the change since it instead of the scores. The page uses
    :func:`page_figure`."""
    try:
        layers = geo.map_layers(dataset.regions)
    except geo.GeoDataMissing as exc:
        return None, str(exc)
    fig = map_figures.choropleth(dataset.scores_table(), measure, layers, dataset.source_line,
                                 selected=selected, credit=i18n.gettext(geo.CREDIT), height=640,
                                 per_trace=trace_ids(dataset, layers))
    return _with_change(fig, dataset, measure, since), None


def _with_change(fig, dataset: Dataset, measure: str, since: int | None):
    """``fig`` recoloured by the change since the edition ``since`` (unchanged when None)."""
    if since is None:
        return fig
    return change_figures.change_map(fig, dataset.scores_table(), dataset.with_edition(since).scores_table(),
                                     measure, dataset.edition, since)


# ---------------------------------------------------------------------------------------------
# What the page and its callbacks send (cached per dataset fingerprint and parameters)
# ---------------------------------------------------------------------------------------------

#: Page figures (plotly JSON with the geometry by URL), measure updates, trace membership.
FIGURES = BoundedCache(64)
UPDATES = BoundedCache(256)
TRACES = BoundedCache(16)


def trace_ids(dataset: Dataset, layers, cache: bool = True) -> dict[int, list[str]]:
    """:func:`dashboard.figures.maps.trace_region_ids` of the dataset on ``layers`` (cached)."""
    return TRACES.get((dataset.fingerprint, layers.key),
                      lambda: map_figures.trace_region_ids(dataset.scores_table(), layers.regions_geojson), cache)


def page_figure(dataset: Dataset, measure: str, selected: str | None = None, app_prefix: str = "/",
                cache: bool = True, since: int | None = None):
    """The map figure of the page as plotly JSON, its geometry named by URL (``/geo/<key>/…``, served once
    and cached by the browser), with no fixed height (the page sizes it per screen): ``(figure dict, None)``
    or ``(None, message)`` without boundary files.
    Cached per (dataset fingerprint, layers, measure, selection, URL prefix, ``since``, language); treat the dict as
    read-only. ``since`` (an earlier edition) shows the change since it (:func:`build_map`).
    ``cache=False`` (a visitor's private workspace: not shared data) builds without keeping anything."""
    try:
        layers = geo.map_layers(dataset.regions)
    except geo.GeoDataMissing as exc:
        return None, str(exc)

    def build() -> dict:
        fig = map_figures.choropleth(dataset.scores_table(), measure, layers, dataset.source_line,
                                     selected=selected, credit=i18n.gettext(geo.CREDIT), height=None,
                                     html_legend=True,
                                     geojson_urls=geo.geojson_urls(layers, app_prefix),
                                     per_trace=trace_ids(dataset, layers, cache))
        return json.loads(_with_change(fig, dataset, measure, since).to_json())

    key = (dataset.fingerprint, layers.key, measure, selected, app_prefix, since, i18n.current())
    return FIGURES.get(key, build, cache), None


@dataclass(frozen=True)
class MeasureUpdate:
    """What a measure change sends: per data trace its ``z`` (markers: colours) and hover texts; the layout's
    ``meta`` (the measure's name in the hover), the titles; the region list's new order (:func:`list_rows`);
    the colour axis fitted to the measure (:func:`dashboard.figures.maps.coloraxis_update`), the no-score
    trace's index and regions, and the insets' labels (annotation index → text: a lone region's score)."""

    traces: dict[int, dict]
    meta: list
    colorbar_title: str
    title: str
    rows: list
    coloraxis: dict = field(default_factory=dict)
    nodata: tuple[int, list] | None = None
    inset_labels: dict[int, str] = field(default_factory=dict)


def measure_update(dataset: Dataset, measure: str, cache: bool = True) -> MeasureUpdate:
    """The values a measure change patches into the page (no traces without boundary files: only the list
    changes); cached per (dataset fingerprint, measure, language) unless ``cache`` is false (see
    :func:`page_figure`)."""
    def build() -> MeasureUpdate:
        table = dataset.scores_table()
        try:
            layers = geo.map_layers(dataset.regions)
        except geo.GeoDataMissing:
            return MeasureUpdate({}, [], "", "", list_rows(table, measure))
        traces = {}
        per_trace = trace_ids(dataset, layers, cache)
        for trace, region_ids in per_trace.items():
            values = map_figures.measure_values(table, measure, region_ids)
            traces[trace] = {"z": values["z"], "hovertext": values["hovertext"]}
        main_ids = per_trace[map_figures.TRACE_REGIONS]
        axis = map_figures.coloraxis_update(measure, table[measure].reindex(main_ids).tolist())
        nodata = (map_figures.nodata_trace_index(per_trace), map_figures.nodata_ids(table, measure, main_ids))
        insets = [t for t in sorted(per_trace) if t >= map_figures.TRACE_INSET]  # annotation k = inset k's label
        labels = {k: map_figures.inset_label([map_figures.region_label(table, r) for r in per_trace[t]],
                                             traces[t]["hovertext"]) for k, t in enumerate(insets)}
        return MeasureUpdate(traces, map_figures.hover_meta(measure), map_figures.colorbar_title(measure),
                             map_figures.map_title(measure), list_rows(table, measure), axis, nodata, labels)

    return UPDATES.get((dataset.fingerprint, measure, i18n.current()), build, cache)


def selection_styles(dataset: Dataset, selected: str | None, cache: bool = True) -> dict[int, dict] | None:
    """Per data trace the outline of the selected region (borders; marker sizes and lines for small regions);
    None without boundary files."""
    try:
        layers = geo.map_layers(dataset.regions)
    except geo.GeoDataMissing:
        return None
    out = {}
    for trace, region_ids in trace_ids(dataset, layers, cache).items():
        if trace == map_figures.TRACE_SMALL:
            out[trace] = map_figures.marker_style(region_ids, selected)
        else:
            out[trace] = {"line": map_figures.border_style(region_ids, selected)}
    return out


# ---------------------------------------------------------------------------------------------
# Changes to the drawn figure, as patch operations (a dash.Patch on the server, dash_clientside.Patch in the browser)
# ---------------------------------------------------------------------------------------------

def measure_ops(update: MeasureUpdate) -> list[list]:
    """A measure change of the map figure as patch operations ``[verb, location, value]`` (verb ``"assign"`` or
    ``"merge"``, location a path of keys and indices into the figure; :func:`dashboard.callbacks.map.as_patch`
    and ``assets/32-map-values.js`` turn them into a Patch): per data trace its values (``z``; the small
    regions' marker colours) and hover texts, the no-score trace's regions, the insets' labels, the measure's
    name for the hover (``layout.meta``), the colour axis fitted to the measure (range, ticks, title) and the
    figure title. Never geometry or outlines; no operations without boundary files (no map)."""
    if not update.traces:
        return []
    ops: list[list] = []
    for trace, values in update.traces.items():
        if trace == map_figures.TRACE_SMALL:
            ops += [["assign", ["data", trace, "marker", "color"], values["z"]],
                    ["assign", ["data", trace, "hovertext"], values["hovertext"]]]
        else:  # one merge per trace (fewer, shorter operations than one per attribute)
            ops.append(["merge", ["data", trace], {"z": values["z"], "hovertext": values["hovertext"]}])
    if update.nodata is not None:
        trace, missing = update.nodata
        ops.append(["merge", ["data", trace], {"locations": missing, "z": [0] * len(missing)}])
    ops += [["assign", ["layout", "annotations", k, "text"], text] for k, text in update.inset_labels.items()]
    ops.append(["assign", ["layout", "meta"], update.meta])
    axis = update.coloraxis
    if axis:
        ops += [["merge", ["layout", "coloraxis"], {"cmin": axis["cmin"], "cmax": axis["cmax"]}],
                ["merge", ["layout", "coloraxis", "colorbar"], {"tickvals": axis["colorbar"]["tickvals"],
                                                               "ticktext": axis["colorbar"]["ticktext"]}]]
    ops += [["assign", ["layout", "coloraxis", "colorbar", "title", "text"], update.colorbar_title],
            ["assign", ["layout", "title", "text"], update.title]]
    return ops


def selection_ops(styles: dict[int, dict]) -> list[list]:
    """A selection change of the map figure as patch operations (see :func:`measure_ops`): the outlines, and the
    small regions' marker sizes and outlines (:func:`selection_styles`)."""
    ops: list[list] = []
    for trace, style in styles.items():
        if trace == map_figures.TRACE_SMALL:
            ops.append(["assign", ["data", trace, "marker", "size"], style["size"]])
        ops.append(["assign", ["data", trace, "marker", "line"], style["line"]])
    return ops


#: Up to this many regions the page fetches every measure's change at once (:func:`map_values`, a few KB per
#: measure at 25 regions) and recolours the map in the browser without asking the server; above it each change
#: asks the server for its own measure (at 1,500 regions the whole table would be megabytes).
VALUES_MAX_REGIONS = 100

#: Every measure's change, as served (JSON bytes), per (dataset fingerprint, language).
VALUES = BoundedCache(16)


#: Where :func:`map_values` is served: ``<prefix>map-values/<fingerprint>/<lang>.json``.
VALUES_PATH = "map-values/"


def values_dataset(dataset: Dataset) -> Dataset:
    """The dataset as the map shows it by default (its latest edition): what :func:`map_values` describes."""
    return shown(dataset, parse_editions(dataset))


def values_source(dataset: Dataset, app_prefix: str = "/", shared: bool = True) -> dict | None:
    """What the map page needs to recolour in the browser: ``{"url", "edition"}`` (where :func:`map_values` is
    served; the edition it is of, as the edition control names it) — or None, and the page asks the server per
    change: not the shared data (``shared`` false: a visitor's private workspace), more regions than
    :data:`VALUES_MAX_REGIONS`, or no boundary files (no map)."""
    if not shared or len(dataset.regions) > VALUES_MAX_REGIONS:
        return None
    choice = parse_editions(dataset)
    data = shown(dataset, choice)  # = values_dataset(dataset)
    if not measure_update(data, DEFAULT_MEASURE).traces:
        return None
    return {"url": f"{app_prefix}{VALUES_PATH}{data.fingerprint}/{i18n.current()}.json",
            "edition": str(choice.edition)}


def map_values(dataset: Dataset, cache: bool = True) -> bytes:
    """Every measure's change of the map as JSON bytes, ``{"measures": {measure: {"ops": measure_ops, "rows":
    list_rows}}}``, in the current language: served once per dataset version and language
    (:mod:`dashboard.routes.map_values`), so that the browser recolours the map and re-orders the list without a
    request. Cached per (dataset fingerprint, language)."""
    def build() -> bytes:
        out = {}
        for measure in scoring.DIMENSIONS:  # every measure the map can show
            update = measure_update(dataset, measure, cache)
            out[measure] = {"ops": measure_ops(update), "rows": update.rows}
        return json.dumps({"measures": out}, separators=(",", ":"), ensure_ascii=False).encode()

    return VALUES.get((dataset.fingerprint, i18n.current()), build, cache)


def list_meta(scores_table) -> dict:
    """The static part of the region list beside the map, in table order (sent once with the page, made per
    request): ``ids``, ``names`` and country ``countries`` names in the current language (local names in the
    region's own language), country ``codes``, and the ``words`` the browser writes into the list
    (``none``: a missing score; ``score``: a score, ``{score}`` replaced)."""
    ids = list(scores_table.index)
    return {"ids": ids, "names": [map_figures.region_label(scores_table, r) for r in ids],
            "codes": scores_table["country"].tolist(),
            "countries": [map_figures.country_label(scores_table, r) for r in ids],
            "words": {"none": _(map_figures.NO_DATA_LABEL), "score": _("{score} /100")}}


def list_rows(scores_table, measure: str) -> list[list]:
    """The region list's order for ``measure``: ``[table position, rank or None, rounded score or None]`` per
    region, best first (missing scores last, then by name) — a few bytes per region."""
    position = {rid: i for i, rid in enumerate(scores_table.index)}
    ranks = scoring.ranks(scores_table, measure)
    table = scores_table.assign(_score=scores_table[measure], _name=scores_table["name_en"])
    table = table.sort_values(["_score", "_name"], ascending=[False, True], na_position="last")
    rows = []
    for rid, score in zip(table.index, table["_score"].tolist()):
        rank = ranks.loc[rid]
        missing = score is None or pd.isna(score)
        rows.append([position[rid], None if missing else int(rank), None if missing else int(round(float(score)))])
    return rows
