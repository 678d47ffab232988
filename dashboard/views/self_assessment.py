"""Self-assessment (pure): answer the questionnaire for a new region, scored live by the app's rule.

Nothing is stored on the server: the answers live in the browser's form controls and travel with each
callback.

* :func:`parse_options` – the framework's ``options`` text → (label, points) pairs.
* :func:`answers_frame` – control values → a long answers table (``region_id, indicator_id, value``) + notes.
* :func:`score_answers` – the same table scored with :func:`dashboard.scoring.compute_scores` (the app's rule).
* :func:`answers_csv` – the table in the ``answers.csv`` format, ready for ``python -m dashboard scores``.
* :func:`self_assessment_view` – summary numbers and radars against the average of all regions.
* :func:`with_self_assessment` – the dataset with the self-assessed region added (marked as a self-assessment),
  for the brief; :func:`peer_table` – its scores beside 1–3 chosen regions of the dataset.

Texts a person reads (notes, radar titles, the self-assessment mark and the region's shown name) come in the
language of the request (:mod:`dashboard.i18n`); the questionnaire's questions and answer options are English
in ``framework.csv`` and are translated where shown (:func:`option_label`, ``_(row["question"])``).

Also: :mod:`~dashboard.views.self_assessment_gains` (what would move the score most),
:mod:`~dashboard.views.self_assessment_file` (save and resume as a CSV/XLSX file),
:mod:`~dashboard.views.self_assessment_guide` (guidance per question, progress).
"""

from __future__ import annotations

import copy
import dataclasses
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n, scoring
from dashboard.data import Dataset
from dashboard.figures import profile
from dashboard.figures.common import AVERAGE_COLOR
from dashboard.i18n import N_, _
from dashboard.views.cache import BoundedCache

#: The scope of the self-assessment's image buttons (see components.image_buttons).
SA_SCOPE = "sa"
IMAGE_SOURCE = N_("Source: your answers, scored with the dashboard's rule; average of all regions: {source}. "
                   "Scale 0–100.")
NOT_ANSWERED = "na"
SELF_KEY = "__self__"  # row key of the self-assessed region in the combined score table
RADAR_AXES = ("area", "element", "phase")
REGION_ID_PATTERN = re.compile(r"^[A-Z]{2}[0-9A-Z]{1,3}$")  # as in the regions schema (NUTS-like code)
DEFAULT_NAME = N_("My region")  # shown through _(DEFAULT_NAME)
#: The self-assessed region's mark, on the page, in its files and in its brief.
SELF_ASSESSMENT_MARK = N_("Self-assessment: the scores of this region come from answers entered by the user of "
                           "MIPEX-R Explorer and scored with the dashboard's rule; they are not published MIPEX-R "
                           "results.")
SELF_SUFFIX = N_("{name} (self-assessment)")  # _(SELF_SUFFIX).format(name=…)
SELF_ID = "SELF"  # the self-assessed region's id when its code is empty, invalid or already a loaded region
MAX_PEERS = 3
THREE_OPTION_FALLBACK = "YES systematically/regularly=100|YES occasionally/ad hoc=50|NO=0"


def _digits(value: float) -> int:
    """Decimals needed to show ``value`` as the user typed it (at most 6), like ``{value:g}``."""
    text = f"{value:g}"
    return 0 if "." not in text or "e" in text else min(len(text.partition(".")[2]), 6)


def display_name(name: str | None) -> str:
    """The self-assessed region's name as shown: the user's, or “My region” in the current language."""
    return (name or "").strip() or _(DEFAULT_NAME)


def self_label(name: str | None) -> str:
    """“<name> (self-assessment)” in the current language."""
    return _(SELF_SUFFIX).format(name=display_name(name))


def option_label(label: str) -> str:
    """An answer option of the questionnaire (English in ``framework.csv``) in the current language."""
    return _(label)


def parse_options(options: str | None) -> list[tuple[str, float]]:
    """``"YES systematically/regularly=100|YES occasionally/ad hoc=50|NO=0"`` → [(label, 100.0), …]."""
    pairs = []
    for part in str(options or THREE_OPTION_FALLBACK).split("|"):
        label, sep, points = part.rpartition("=")
        if not sep:
            continue
        try:
            pairs.append((label.strip(), float(points)))
        except ValueError:
            continue
    return pairs or parse_options(THREE_OPTION_FALLBACK)


def _is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() in ("", NOT_ANSWERED)) or (
        isinstance(raw, float) and math.isnan(raw))


def answer_value(raw, scale: str, indicator_id: str = "") -> tuple[float | None, str | None]:
    """One control value → points (None = not answered) and a note when the value had to be ignored."""
    if _is_blank(raw):
        return None, None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None, _("{indicator}: “{value}” is not a number; counted as not answered.").format(
            indicator=indicator_id, value=raw)
    if math.isnan(value):
        return None, None
    if scale == "percent":
        if not 0 <= value <= 100:
            return None, _("{indicator}: {value} is outside 0–100; counted as not answered.").format(
                indicator=indicator_id, value=i18n.number(value, _digits(value)))
        return value, None
    if value not in (0.0, 50.0, 100.0):
        return None, _("{indicator}: {value} is not one of the answers (0, 50 or 100); counted as not "
                       "answered.").format(indicator=indicator_id, value=i18n.number(value, _digits(value)))
    return value, None


def answer_vector(values: Mapping[str, object], framework: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Control values (indicator_id → raw value) → the answers' points in framework order (NaN: not answered)
    and the notes on values that had to be ignored. Unknown indicator ids in ``values`` are ignored."""
    notes = []
    points = np.full(len(framework), np.nan)
    for k, (ind, scale) in enumerate(zip(framework["indicator_id"], framework["scale"].fillna("three_option"))):
        value, note = answer_value(values.get(ind), scale, ind)
        if note:
            notes.append(note)
        if value is not None:
            points[k] = value
    return points, notes


def answers_frame(values: Mapping[str, object], framework: pd.DataFrame,
                  region_id: str) -> tuple[pd.DataFrame, list[str]]:
    """Control values (indicator_id → raw value) → long answers for every framework indicator, in framework order.

    Unknown indicator ids in ``values`` are ignored; missing or blank ones are "not answered" (NaN).
    """
    points, notes = answer_vector(values, framework)
    frame = pd.DataFrame({"region_id": np.full(len(points), region_id, dtype=object),
                          "indicator_id": framework["indicator_id"].to_numpy(dtype=object), "value": points},
                         columns=["region_id", "indicator_id", "value"])
    return frame, notes


def score_answers(values: Mapping[str, object], framework: pd.DataFrame, region_id: str = SELF_KEY,
                  rule: scoring.ScoringRule = scoring.DEFAULT_RULE,
                  scorer: scoring.Scorer | None = None) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """(answers table, long scores from :func:`scoring.compute_scores`, notes) for one self-assessed region
    (``scorer``: a :class:`scoring.Scorer` of ``framework`` and ``rule`` made before, the same scores)."""
    answers, notes = answers_frame(values, framework, region_id)
    scorer = scorer if scorer is not None else scoring.Scorer(framework, rule)
    return answers, scorer.scores(answers), notes


def answer_scores(values: Mapping[str, object], framework: pd.DataFrame,
                  scorer: scoring.Scorer) -> tuple[np.ndarray, pd.Series, list[str]]:
    """(points per question as :func:`answer_vector` gives them, the score per dimension — a Series indexed by
    :data:`scoring.DIMENSIONS` —, notes): :func:`score_answers` without the long tables, for the page's answer
    after answer (``scorer``: a :class:`scoring.Scorer` of ``framework`` and the dataset's rule)."""
    points, notes = answer_vector(values, framework)
    scores = pd.Series(scorer.matrix(points, framework["indicator_id"])[0], name="score",
                       index=pd.Index(list(scoring.DIMENSIONS), name="dimension"))
    return points, scores, notes


def answers_csv(answers: pd.DataFrame) -> str:
    """The ``answers.csv`` format: header ``region_id,indicator_id,value``; empty value = not answered."""
    out = answers[["region_id", "indicator_id", "value"]].copy()
    out["value"] = out["value"].map(lambda v: "" if pd.isna(v) else f"{float(v):g}")
    return out.to_csv(index=False, lineterminator="\n")


def clean_region_id(raw: str | None, dataset: Dataset) -> tuple[str, str | None]:
    """The user's region code (upper-cased, at most 12 characters) and a note when it is not a NUTS-style code.
    The code is optional: it names the saved file and the brief."""
    code = (raw or "").strip().upper()[:12]
    if not code:
        return "", None
    if not REGION_ID_PATTERN.match(code):
        return code, _("“{code}” is not a NUTS-style code (two letters and one to three letters or digits, e.g. "
                       "ES51); it is kept in your file but the brief will not show it.").format(code=code)
    return code, None


@dataclass
class SelfAssessmentView:
    name: str
    answered: int
    total: int
    scores: pd.Series  # dimension → score
    average: pd.Series  # dimension → all-region average
    radars: dict[str, go.Figure] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: per axis the radar's traces (the region's, then the average) when made without figures: what an answer
    #: changes in a radar
    radar_data: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def overall(self) -> float | None:
        value = self.scores.get("overall")
        return None if value is None or pd.isna(value) else float(value)

    @property
    def group(self) -> str | None:
        return scoring.group_of(self.overall)


#: What the page needs of the loaded data alone, per (dataset fingerprint, language): never the user's answers.
_SHARED = BoundedCache(16)


@dataclass(frozen=True)
class SharedParts:
    """The request-independent parts of the self-assessment: the all-region average per dimension, its
    dashed radar trace per axis (plain dicts, in the language it was made in) and the framework's
    :class:`scoring.Scorer`. Not to be mutated."""

    average: pd.Series
    average_traces: dict[str, dict]
    scorer: scoring.Scorer


def _average_trace(average: pd.Series, axis: str) -> dict:
    """The all-region average of one axis as a plain ``scatterpolar`` trace dict (dashed grey)."""
    keys = list(scoring.AXES[axis])
    theta = [scoring.dimension_label(k, short=True) for k in keys]
    r = [round(float(average[k]), 1) for k in keys]
    avg_name = _(profile.AVERAGE_NAME)
    return {"type": "scatterpolar", "r": r + r[:1], "theta": theta + theta[:1], "name": avg_name, "mode": "lines",
            "line": {"color": AVERAGE_COLOR, "dash": "dash", "width": 2},
            "hovertemplate": "%{theta}: %{r:.0f} /100<extra>" + avg_name + "</extra>"}


def shared_parts(dataset: Dataset, cache: bool = False) -> SharedParts:
    """:class:`SharedParts` of ``dataset`` in the current language; kept per (fingerprint, language) only with
    ``cache`` (the shared data: never a private workspace's)."""
    def build() -> SharedParts:
        average = dataset.wide_scores.mean()
        return SharedParts(average, {axis: _average_trace(average, axis) for axis in RADAR_AXES},
                           scoring.Scorer(dataset.framework, dataset.rule))

    return _SHARED.get((dataset.fingerprint, "shared", i18n.current()), build, store=cache)


def self_assessment_view(dataset: Dataset, values: Mapping[str, object], name: str | None,
                         cache: bool = False, figures: bool = True) -> SelfAssessmentView:
    """Scores of the answers so far, and one radar per axis against the average of all loaded regions
    (``radars``; with ``figures=False`` only their traces, in ``radar_data``: an answer changes the traces, not
    the charts' layout). ``cache``: keep the dataset's own parts (:func:`shared_parts`) for the
    next request; the answers and everything made from them are never kept."""
    name = display_name(name)
    shared = shared_parts(dataset, cache)
    points, mine, notes = answer_scores(values, dataset.framework, shared.scorer)
    own = mine.to_frame(SELF_KEY).T  # the radar draws this row alone (its average trace comes from shared)
    source = (_("Your answers, scored with the dashboard's rule.") + "<br>"
              + _("Average: {source}").format(source=dataset.source_line))
    view = SelfAssessmentView(name, int((~np.isnan(points)).sum()), len(points), mine, shared.average, notes=notes)
    for axis in RADAR_AXES:
        average = copy.deepcopy(shared.average_traces[axis])  # the figure may be changed later
        if not figures:
            view.radar_data[axis] = [*profile.radar_traces(own, [SELF_KEY], axis, False, names={SELF_KEY: name}),
                                     average]
            continue
        fig = profile.radar_axis(own, [SELF_KEY], axis, source, include_average=False,
                                 names={SELF_KEY: name}, height=440,
                                 title=_("{axis} (0–100)").format(axis=scoring.AXIS_LABELS[axis]))
        fig.add_trace(average)
        view.radars[axis] = fig
    return view


def self_region_id(region_id: str | None, dataset: Dataset) -> str:
    """The self-assessed region's id beside the loaded regions: its NUTS-style code when that is not a loaded
    region already, else :data:`SELF_ID`."""
    code, note = clean_region_id(region_id, dataset)
    return code if code and note is None and not dataset.has_region(code) and code != SELF_ID else SELF_ID


def with_self_assessment(dataset: Dataset, values: Mapping[str, object], name: str | None,
                         region_id: str | None = None) -> tuple[Dataset, str]:
    """(the dataset with the self-assessed region added, its id). The region is named “<name>
    (self-assessment)”, its answers are the user's and its scores are computed by the dataset's rule; every
    other table is the dataset's. Used for the brief (which then counts the region in averages and ranks:
    the brief says so)."""
    sid = self_region_id(region_id, dataset)
    name = display_name(name)
    code = sid if sid != SELF_ID else ""
    country = code[:2]
    known = dataset.regions.loc[dataset.regions["country"] == country, "country_name"]
    row = {"region_id": sid, "name_local": name, "name_en": _(SELF_SUFFIX).format(name=name), "country": country,
           "country_name": known.iloc[0] if len(known) else _("country not given"),
           "nuts_level": len(code) - 2 if code else pd.NA, "nuts2024_ids": sid, "partner_region": False,
           "aliases": ""}
    regions = pd.concat([dataset.regions, pd.DataFrame([row]).reindex(columns=dataset.regions.columns)],
                        ignore_index=True).astype(dataset.regions.dtypes.to_dict())
    answers, long, _notes = score_answers(values, dataset.framework, sid, dataset.rule)
    if "edition" in dataset.answers.columns:
        answers["edition"] = dataset.edition
    if "edition" in dataset.scores.columns:
        long["edition"] = dataset.edition
    answers = pd.concat([dataset.answers, answers.reindex(columns=dataset.answers.columns)], ignore_index=True)
    scores = pd.concat([dataset.scores, long.reindex(columns=dataset.scores.columns)], ignore_index=True)
    all_scores = (None if dataset.all_scores is None else
                  pd.concat([dataset.all_scores, long.reindex(columns=dataset.all_scores.columns)], ignore_index=True))
    return dataclasses.replace(dataset, regions=regions, answers=answers, scores=scores, all_scores=all_scores), sid


def check_peers(dataset: Dataset, peers) -> tuple[list[str], list[str]]:
    """The chosen peer regions (loaded ones, in order, no repeats, at most :data:`MAX_PEERS`) and notes."""
    chosen: list[str] = []
    notes = []
    for raw in peers or []:
        rid = dataset.resolve_region(str(raw))
        if rid is None:
            notes.append(_("“{value}” is not a loaded region; left out.").format(value=str(raw)[:40]))
        elif rid not in chosen:
            chosen.append(rid)
    if len(chosen) > MAX_PEERS:
        notes.append(_("At most {n} peer regions are compared; the first {n} are kept.").format(n=MAX_PEERS))
    return chosen[:MAX_PEERS], notes


def peer_table(dataset: Dataset, scores: pd.Series, peers: list[str], average: pd.Series | None = None) -> pd.DataFrame:
    """One row per dimension: its label, the self-assessed score, each peer's score and the average of all
    loaded regions (scores 0–100, NaN = no score). Columns: ``dimension, label, self, <peer ids…>, average``
    (``average``: the all-region mean per dimension made before, :attr:`SharedParts.average`)."""
    wide = dataset.wide_scores
    table = pd.DataFrame({"dimension": list(scoring.DIMENSIONS),
                          "label": [scoring.dimension_label(d) for d in scoring.DIMENSIONS],
                          "self": scores.reindex(list(scoring.DIMENSIONS)).to_numpy(dtype=float)})
    for rid in peers:
        table[rid] = wide.loc[rid, list(scoring.DIMENSIONS)].to_numpy(dtype=float)
    average = wide[list(scoring.DIMENSIONS)].mean() if average is None else average.reindex(list(scoring.DIMENSIONS))
    table["average"] = average.to_numpy(dtype=float)
    return table
