"""Self-assessment callbacks: the answers → :func:`dashboard.views.self_assessment.self_assessment_view` →
summary, radars, progress, “what would move the score most” and notes; the answers saved as CSV/XLSX and
restored from such a file; the scores beside chosen peer regions; the brief (PDF/HTML) marked as a
self-assessment; radar images. Each callback's body is a plain function below (tests call them directly); the
logic is in :mod:`dashboard.views.self_assessment` and its ``_gains``, ``_file`` and ``_guide`` modules.
Every text is made in the language of the request (``dashboard.i18n``); import errors are worded here with the
row and column named in that language (:func:`error_text`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Input, Output, Patch, State, ctx, dcc, html

from dashboard import i18n, ids, scoring, state
from dashboard.callbacks.registry import callback
from dashboard.components.image_buttons import image_response, pressed
from dashboard.data import Dataset
from dashboard.errors import ExportError, InputError
from dashboard.i18n import _, ngettext
from dashboard.views.data import decode_upload
from dashboard.views.self_assessment import (
    IMAGE_SOURCE,
    NOT_ANSWERED,
    RADAR_AXES,
    SA_SCOPE,
    SELF_ASSESSMENT_MARK,
    SelfAssessmentView,
    answer_scores,
    check_peers,
    clean_region_id,
    display_name,
    peer_table,
    self_assessment_view,
    self_label,
    shared_parts,
    with_self_assessment,
)
from dashboard.views.self_assessment_file import (
    COLUMN_MEANINGS,
    read_saved,
    saved_table,
)
from dashboard.views.self_assessment_gains import gain_sentence, top_gain_rows
from dashboard.views.self_assessment_guide import Progress, progress

#: The score groups as the badge names them (see scoring.group_of), in the current language.
GROUP_NAMES = scoring.GROUP_LABELS


def summary_children(view: SelfAssessmentView, dataset: Dataset) -> list:
    avg = view.average.get("overall")
    overall = view.overall
    adv, mid = scoring.GROUP_THRESHOLDS["advanced"], scoring.GROUP_THRESHOLDS["intermediate"]
    score = html.Div([i18n.number(overall) if overall is not None else "–", html.Small(" /100")],
                     className="mx-score")
    rows = []
    for key in ("target:TCN", "target:BIP"):
        mine = view.scores.get(key)
        text = (_("{dimension}: not scored yet (average {average}/100)") if pd.isna(mine) else
                _("{dimension}: {score}/100 (average {average}/100)"))
        rows.append(html.Li(text.format(dimension=scoring.dimension_label(key), score=i18n.number(mine),
                                        average=i18n.number(view.average[key]))))
    regions = len(dataset.regions)
    average_line = (ngettext("Overall average of the {n} loaded region: no score.",
                             "Overall average of all {n} loaded regions: no score.", regions) if pd.isna(avg) else
                    ngettext("Overall average of the {n} loaded region: {score}/100.",
                             "Overall average of all {n} loaded regions: {score}/100.", regions))
    return [
        html.H2(_("{name}: overall score").format(name=view.name), className="h5"),
        score,
        html.Span(GROUP_NAMES[view.group] if view.group in GROUP_NAMES else _("no group yet"),
                  className="mx-group-badge"),
        html.P(ngettext("{answered} of {total} question answered.", "{answered} of {total} questions answered.",
                        view.total).format(answered=view.answered, total=view.total)
               + " " + average_line.format(n=regions, score=i18n.number(avg)), className="mt-2 mb-1"),
        html.P(ngettext("Scores use the {n} answered question only; unanswered ones are left out, not counted as 0, "
                        "so with few answers a score says little.",
                        "Scores use the {n} answered questions only; unanswered ones are left out, not counted as "
                        "0, so with few answers a score says little.", view.answered).format(n=view.answered),
               className="small mb-1")
        if 0 < view.answered < view.total else None,
        html.P(_("The overall score needs at least one answered question in a policy area.") if overall is None else
               _("Groups: advanced ≥ {advanced}, intermediate {intermediate}–{advanced}, lagging < {intermediate} "
                 "(see Methodology).").format(advanced=f"{adv:g}", intermediate=f"{mid:g}"),
               className="small text-muted"),
        html.Ul(rows, className="small"),
    ]


def progress_children(done: Progress) -> list:
    """Answered n of 61 (a progress bar), then n of m per section."""
    return [
        html.Div(ngettext("Progress: {answered} of {total} question answered",
                          "Progress: {answered} of {total} questions answered", done.total).format(
                     answered=done.answered, total=done.total), id=f"{ids.SA_PROGRESS}-label",
                 className="fw-semibold small"),
        html.Progress(value=str(done.answered), max=str(done.total), className="w-100 my-1",
                      **{"aria-labelledby": f"{ids.SA_PROGRESS}-label"}),
        html.Ul([html.Li(_("{section}: {answered} of {total}").format(section=label, answered=n, total=m),
                         className="list-inline-item me-3")
                 for _area, label, n, m in done.sections], className="list-inline small mb-0"),
    ]


def error_text(exc: InputError) -> str:
    """An import error in the current language, one problem per line: “file, row R, column 'C': rule”
    (:attr:`dashboard.errors.InputError.message` names the row and column in the language current now)."""
    return exc.message


def _numbers(framework: pd.DataFrame) -> dict[str, int]:
    return {ind: i for i, ind in enumerate(framework["indicator_id"], start=1)}


def gains_children(dataset: Dataset, values: Mapping[str, object], cache: bool = False) -> list:
    """“What would move the score most”: the overall score's three best single changes, then per dimension
    (folded), each in plain words with the points gained."""
    top = top_gain_rows(values, dataset.framework, dataset.rule, scorer=shared_parts(dataset, cache).scorer)
    numbers = _numbers(dataset.framework)
    intro = html.P(_("One answer changed to its highest level, the rest kept as they are: these would raise the "
                   "score most (computed with the same rule as the score above)."), className="small mb-1")
    if not top:
        return [html.H2(_("What would move the score most"), className="h6"), intro,
                html.P(_("Nothing: every answered question already has its highest answer and every open question "
                         "is counted out. Answer more questions to see where the score can grow."),
                       className="small")]

    def items(dim: str) -> html.Ul:
        return html.Ul([html.Li([gain_sentence(r, numbers[r["indicator_id"]]),
                                 html.Span(f" — {r['question']}", className="text-muted")])  # translated
                        for r in top[dim]], className="small mb-2")

    if "overall" in top:
        overall = [html.H3(scoring.dimension_label("overall"), className="h6 mt-2"), items("overall")]
    else:  # some dimension can still rise, the overall score cannot: it is at the top for the answers given
        overall = [html.P(_("No single answer raises the overall score: with the answers given it is as high as "
                            "it can be. See the policy areas and axes below."), className="small")]
    per_axis = []
    for axis, keys in scoring.AXES.items():
        parts = [html.Div([html.H4(scoring.dimension_label(k), className="small fw-semibold mb-0 mt-1"), items(k)])
                 for k in keys if k in top]
        if parts:
            per_axis.append(html.Details([html.Summary(scoring.AXIS_LABELS[axis]), *parts], className="mb-1"))
    return [html.H2(_("What would move the score most"), className="h6"), intro, *overall, *per_axis]


def update(dataset: Dataset, values: Mapping[str, object], name: str | None, region_id: str | None,
           cache: bool = False, whole: bool = True) -> tuple:
    """(summary, one radar per axis, notes, progress, gains) of the answers so far. ``cache``: keep what
    depends on the dataset alone for the next request (the shared data only; the answers are never kept).
    ``whole=False`` (an answer changed, not the name: the radars' layout stays): each radar is a ``dash.Patch``
    of its traces instead of a whole figure (a third of the work and of the bytes)."""
    view = self_assessment_view(dataset, values, name, cache=cache, figures=whole)
    _code, id_note = clean_region_id(region_id, dataset)
    notes = view.notes + ([id_note] if id_note else [])
    radars = [view.radars[a] for a in RADAR_AXES] if whole else [_data_patch(view.radar_data[a]) for a in RADAR_AXES]
    return (summary_children(view, dataset), *radars, [html.Div(n) for n in notes],
            progress_children(progress(values, dataset.framework)), gains_children(dataset, values, cache))


def _data_patch(traces: list[dict]) -> Patch:
    patch = Patch()
    patch["data"] = traces
    return patch


def _values_from_ctx(items: list[dict]) -> dict[str, object]:
    return {item["id"]["indicator"]: item.get("value") for item in items}


@callback(
    Output(ids.SA_SUMMARY, "children"),
    *[Output(ids.sa_radar(a), "figure") for a in RADAR_AXES],
    Output(ids.SA_NOTE, "children"),
    Output(ids.SA_PROGRESS, "children"),
    Output(ids.SA_GAINS, "children"),
    Input({"type": ids.SA_ANSWER_TYPE, "indicator": ALL}, "value"),
    Input(ids.SA_NAME, "value"),
    Input(ids.SA_REGION_ID, "value"),
    prevent_initial_call=True,
)
def _update(_values, name, region_id):
    whole = ctx.triggered_id == ids.SA_NAME  # the name is in the radars' legends (their layout fits it)
    return update(state.current(), _values_from_ctx(ctx.inputs_list[0]), name, region_id, cache=state.shared_data(),
                  whole=whole)


def _file_stem(name: str | None, region_id: str | None, dataset: Dataset) -> str:
    code, _note = clean_region_id(region_id, dataset)
    tail = re.sub(r"[^A-Za-z0-9_-]+", "-", code or (name or "").strip() or "my-region").strip("-").lower()
    return f"mipexr-self-assessment-{tail[:40] or 'my-region'}"


def answers_file(dataset: Dataset, values: Mapping[str, object], name: str | None, region_id: str | None,
                 fmt: str) -> tuple[bytes, str]:
    """(bytes, file name) of the answers as CSV or XLSX: one row per question (region name/code, id, question,
    answer, points), a header block / About sheet saying it is a self-assessment (and that the questions'
    wording is illustrative when it is), every text cell formula-guarded (:mod:`dashboard.export.tables`)."""
    from dashboard.export.tables import make_meta, table_to_csv, table_to_xlsx

    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown format {fmt!r}")
    label = display_name(name)
    code, _note = clean_region_id(region_id, dataset)
    table = saved_table(values, dataset.framework, label, code)
    meta = make_meta(dataset, _("Self-assessment answers: {name}").format(name=label),
                     scale=_("points per answer, 0–100"), columns=COLUMN_MEANINGS, resources=("framework",),
                     notes=[_(SELF_ASSESSMENT_MARK),
                            _("Upload this file on the Self-assessment page to resume: the answers are read back "
                              "from the indicator_id and points columns.")])
    meta.source_rows = {_("Answers"): _("your own answers (self-assessment), not MIPEX-R data"),
                        **dict(meta.marks)}
    if meta.illustrative:  # only the questionnaire's wording is illustrative here, never the user's answers
        meta.illustrative_override = _("only the questionnaire's wording (the answers are your own)")
    stem = _file_stem(name, region_id, dataset)
    if fmt == "csv":
        return table_to_csv(table, meta), f"{stem}.csv"
    return table_to_xlsx({"answers": table}, meta), f"{stem}.xlsx"


@callback(
    Output(ids.SA_DOWNLOAD, "data"),
    Input(ids.SA_DOWNLOAD_BUTTON, "n_clicks"),
    Input(ids.SA_DOWNLOAD_XLSX_BUTTON, "n_clicks"),
    State({"type": ids.SA_ANSWER_TYPE, "indicator": ALL}, "value"),
    State(ids.SA_NAME, "value"),
    State(ids.SA_REGION_ID, "value"),
    prevent_initial_call=True,
)
def _download(csv_clicks, xlsx_clicks, _values, name, region_id):
    fmt = {ids.SA_DOWNLOAD_BUTTON: "csv", ids.SA_DOWNLOAD_XLSX_BUTTON: "xlsx"}.get(ctx.triggered_id)
    if fmt is None or not (csv_clicks if fmt == "csv" else xlsx_clicks):
        raise dash.exceptions.PreventUpdate
    content, filename = answers_file(state.current(), _values_from_ctx(ctx.states_list[0]), name, region_id, fmt)
    return dcc.send_bytes(content, filename)


def restore(dataset: Dataset, contents: str | None, filename: str | None, order: list[str]) -> tuple:
    """(control values in ``order``, name, code, status) from an uploaded answers file; on a bad file every
    control keeps its value (``no_update``) and the status names the file, row and column."""
    name = filename or _("uploaded file")
    try:
        saved = read_saved(decode_upload(contents or "", name), name, dataset.framework)
    except InputError as exc:
        keep = [dash.no_update] * len(order)
        return (keep, dash.no_update, dash.no_update,
                dbc.Alert([html.Strong(_("The file was not loaded; your answers are unchanged.") + " "),
                           html.Pre(error_text(exc), className="mb-0 mx-pre-wrap")], color="warning",
                          className="small"))
    values = [saved.values.get(i, NOT_ANSWERED) for i in order]
    total = len(dataset.framework)
    lines = [ngettext("Loaded {file}: {answered} of {total} question answered.",
                      "Loaded {file}: {answered} of {total} questions answered.", total).format(
                 file=name, answered=saved.answered, total=total)] + saved.notes
    return (values, saved.name or dash.no_update, saved.region_id or dash.no_update,
            dbc.Alert([html.Div(line) for line in lines], color="success", className="small"))


@callback(
    Output({"type": ids.SA_ANSWER_TYPE, "indicator": ALL}, "value"),
    Output(ids.SA_NAME, "value"),
    Output(ids.SA_REGION_ID, "value"),
    Output(ids.SA_UPLOAD_STATUS, "children"),
    Input(ids.SA_UPLOAD, "contents"),
    State(ids.SA_UPLOAD, "filename"),
    prevent_initial_call=True,
)
def _upload(contents, filename):
    if not contents:
        raise dash.exceptions.PreventUpdate
    order = [o["id"]["indicator"] for o in ctx.outputs_list[0]]
    return restore(state.current(), contents, filename, order)




def peer_children(dataset: Dataset, values: Mapping[str, object], name: str | None, peers,
                  cache: bool = False) -> list:
    """The self-assessed scores beside 1–3 chosen regions and the average of all loaded regions (``cache``: as
    for :func:`update`)."""
    chosen, notes = check_peers(dataset, peers)
    shared = shared_parts(dataset, cache)
    _points, scores, _notes = answer_scores(values, dataset.framework, shared.scorer)
    table = peer_table(dataset, scores, chosen, shared.average)
    heads = [self_label(name)] + [dataset.region_name(r) for r in chosen] + [_("Average of all regions")]
    body = [html.Tr([html.Th(row["label"], scope="row")] + [html.Td(i18n.number(row[c]), className="text-end")
                                                            for c in ["self", *chosen, "average"]])
            for row in table.to_dict("records")]
    caption = " ".join([_("Scores 0–100; – = no score yet.")]
                       + ([] if chosen else [_("Choose up to three regions to compare.")]) + [dataset.source_line])
    return [*[html.Div(n, className="small text-muted") for n in notes],
            html.Div(dbc.Table([html.Caption(caption, className="small"),
                                html.Thead(html.Tr([html.Th(_("Dimension"), scope="col")]
                                                   + [html.Th(h, scope="col", className="text-end") for h in heads])),
                                html.Tbody(body)], size="sm", striped=True, className="mb-0"),
                     className="table-responsive", tabIndex=0, role="region",
                     **{"aria-label": _("Your scores beside the chosen regions")})]


@callback(
    Output(ids.SA_PEER_TABLE, "children"),
    Input(ids.SA_PEERS, "value"),
    Input({"type": ids.SA_ANSWER_TYPE, "indicator": ALL}, "value"),
    Input(ids.SA_NAME, "value"),
    prevent_initial_call=True,
)
def _peers(peers, _values, name):
    return peer_children(state.current(), _values_from_ctx(ctx.inputs_list[1]), name, peers, cache=state.shared_data())


def self_brief(dataset: Dataset, values: Mapping[str, object], name: str | None, region_id: str | None, peers,
               fmt: str, browser=None) -> tuple[bytes, str]:
    """The brief of the self-assessed region (alone: a regional brief; with 1–3 peers: a comparison brief) as
    PDF or HTML, the same as for the loaded regions, marked as a self-assessment at the top and in its name.
    Made on the bounded render pool (Chromium); raises ExportError without it."""
    from dashboard.export import pool
    from dashboard.export.brief import brief_html, brief_pdf

    chosen, _notes = check_peers(dataset, peers)
    combined, sid = with_self_assessment(dataset, values, name, region_id)
    n = len(combined.regions)
    mark = (_(SELF_ASSESSMENT_MARK) + " "
            + _("Averages and ranks in this brief count it among the {n} regions ({loaded} loaded regions and this "
                "one).").format(n=n, loaded=n - 1))
    ids_ = [sid, *chosen]
    if fmt == "pdf":
        content = pool.run(lambda: brief_pdf(combined, ids_, browser=browser, self_assessment=mark))
    elif fmt == "html":
        content = pool.run(lambda: brief_html(combined, ids_, charts="svg", browser=browser,
                                              self_assessment=mark)).encode("utf-8")
    else:
        raise ValueError(f"unknown format {fmt!r}")
    kind = "comparison" if chosen else "brief"
    stem = _file_stem(name, region_id, dataset).replace("self-assessment", f"self-assessment-{kind}")
    return content, f"{stem}.{fmt}"


@callback(
    Output(ids.SA_BRIEF_DOWNLOAD, "data"),
    Output(ids.SA_BRIEF_STATUS, "children"),
    Input(ids.SA_BRIEF_PDF, "n_clicks"),
    Input(ids.SA_BRIEF_HTML, "n_clicks"),
    State({"type": ids.SA_ANSWER_TYPE, "indicator": ALL}, "value"),
    State(ids.SA_NAME, "value"),
    State(ids.SA_REGION_ID, "value"),
    State(ids.SA_PEERS, "value"),
    prevent_initial_call=True,
)
def _brief(pdf_clicks, html_clicks, _values, name, region_id, peers):
    fmt = {ids.SA_BRIEF_PDF: "pdf", ids.SA_BRIEF_HTML: "html"}.get(ctx.triggered_id)
    if fmt is None or not (pdf_clicks if fmt == "pdf" else html_clicks):
        raise dash.exceptions.PreventUpdate
    return brief_download(state.current(), _values_from_ctx(ctx.states_list[0]), name, region_id, peers, fmt)


def brief_download(dataset: Dataset, values, name, region_id, peers, fmt: str, browser=None) -> tuple:
    """(download data, status) for the brief buttons; without Chromium: (no_update, why)."""
    try:
        content, filename = self_brief(dataset, values, name, region_id, peers, fmt, browser=browser)
    except ExportError as exc:
        return dash.no_update, str(exc)
    return dcc.send_bytes(content, filename), ""


def radar_image(dataset: Dataset, values: Mapping[str, object], name: str | None, axis: str, fmt: str):
    """(download data, status) of one self-assessment radar as PNG, SVG or PDF, as the page shows it."""
    view = self_assessment_view(dataset, values, name)
    return image_response(view.radars[axis], fmt, f"mipexr-self-assessment-{axis}", dataset,
                          source=_(IMAGE_SOURCE).format(source=_(scoring.SOURCE_LINE)))


@callback(
    Output(ids.image_download(SA_SCOPE), "data"),
    Output(ids.image_status(SA_SCOPE), "children"),
    Input({"type": ids.IMAGE_BUTTON_TYPE, "scope": SA_SCOPE, "key": ALL, "fmt": ALL}, "n_clicks"),
    State({"type": ids.SA_ANSWER_TYPE, "indicator": ALL}, "value"),
    State(ids.SA_NAME, "value"),
    prevent_initial_call=True,
)
def _image(clicks, _values, name):
    button = pressed(ctx.triggered_id, clicks)
    if button is None or button[0] not in RADAR_AXES:
        raise dash.exceptions.PreventUpdate
    return radar_image(state.current(), _values_from_ctx(ctx.states_list[0]), name, *button)
