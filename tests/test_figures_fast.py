"""The figure builders that build plain dicts through ``figures.common.figure`` (no plotly validation at run time):
every output passes plotly's full validation (``common.validated``), and draws the same figure as the builders
did before, property by property through plotly (``tests/figures_legacy.py``).

"The same figure" is compared on the JSON the browser receives (``plotly.io.to_json``): the only difference
allowed there is none. On ``to_dict()`` the fast figures differ harmlessly in Python types only (lists where
plotly's validation makes tuples or read-only numpy arrays), so the ``to_dict`` comparison is made on
``validated(new)`` (with NaN read as None, as JSON sends it), for the builders whose inputs are plain lists
(profile, compare, Lab map, self-assessment).
"""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from dashboard import i18n
from dashboard.figures import change, common, lab_map, outcomes, profile
from dashboard.figures import compare as fc
from dashboard.views import lab as lab_views
from dashboard.views import outcomes as ov
from dashboard.views import self_assessment as sa
from tests import figures_legacy as legacy
from tests.test_self_assessment import _control_values

THREE = ["PT20", "ES51", "ITH5"]


def _json(fig: go.Figure):
    return json.loads(pio.to_json(fig, validate=False))


def _with_gap(wide: pd.DataFrame) -> pd.DataFrame:
    """The scores with missing values: a gap on a spoke, a whole region without scores on one axis."""
    w = wide.copy()
    w.loc["PT20", "area:housing"] = float("nan")
    w.loc["ES51", ["element:policy", "target:BIP", "phase:evaluation"]] = float("nan")
    return w


#: Builder calls, each given the module (the fast one or :mod:`tests.figures_legacy`), the scores, the scores with
#: gaps (:func:`_with_gap`), the source line and the region names.
CASES = {
    "radar_axis area, three regions": lambda m, w, g, src, names: m.radar_axis(w, THREE, "area", src, names=names),
    "radar_axis phase, one region": lambda m, w, g, src, names: m.radar_axis(w, ["PT20"], "phase", src,
                                                                             names=names),
    "radar_axis area, a gap, no average": lambda m, w, g, src, names: m.radar_axis(
        g, ["PT20"], "area", src, include_average=False, title="T", height=400),
    "radar, three subplots": lambda m, w, g, src, names: m.radar(w, "PT20", src, name="Azores"),
    "radar, two subplots, no average": lambda m, w, g, src, names: m.radar(g, "ES51", src, axes=("area", "phase"),
                                                                           include_average=False),
    "axis_bars element, two regions": lambda m, w, g, src, names: m.axis_bars(w, ["PT20", "ES51"], "element", src,
                                                                              names=names),
    "axis_bars element, a gap": lambda m, w, g, src, names: m.axis_bars(g, ["ES51", "PT20"], "element", src,
                                                                        title="T"),
    "target_bars, one region": lambda m, w, g, src, names: m.target_bars(w, ["PT20"], src, names=names),
    "target_bars, four regions, no average": lambda m, w, g, src, names: m.target_bars(
        g, THREE + ["PT17"], src, include_average=False, height=300),
    "axis_chart element (bars)": lambda m, w, g, src, names: m.axis_chart(w, THREE, "element", src, names=names,
                                                                          height=460),
    "axis_chart area (radar)": lambda m, w, g, src, names: m.axis_chart(w, THREE, "area", src, names=names,
                                                                        title="T", height=460),
    "mini_radar": lambda m, w, g, src, names: m.mini_radar(w, "PT20", src, name="Azores"),
    "mini_radar, a gap": lambda m, w, g, src, names: m.mini_radar(g, "PT20", src),
    "compare_bars areas": lambda m, w, g, src, names: m.compare_bars(w, THREE, src, names=names),
    "compare_bars governance, a gap": lambda m, w, g, src, names: m.compare_bars(
        g, ["ES51", "PT20"], src, dimensions=fc.BAR_GROUPS["governance"][1], names=names, title="T"),
}


def _plain(value):
    """``to_dict()`` output with NaN as None (NaN != NaN; JSON sends both as null)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return None if isinstance(value, float) and value != value else value


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("case", list(CASES))
def test_profile_and_compare_builders_are_valid_and_unchanged(dataset, names, case, lang):
    args = (dataset.wide_scores, _with_gap(dataset.wide_scores), dataset.source_line, names)
    with i18n.use(lang):
        new = CASES[case](fc if case.startswith("compare") else profile, *args)
        old = CASES[case](legacy, *args)
    assert _plain(common.validated(new).to_dict()) == _plain(old.to_dict())
    assert _json(new) == _json(old)


def _outcome_figures(dataset, module, query, averages=True):
    state, _ = ov.parse_outcomes_query(query, dataset)
    view = ov.outcomes_view(dataset, state)
    return module.scatter(view.table, x_label=view.x_label, y_label=view.y_label, y_unit=view.y_unit,
                          title=view.title, source_line=view.source_line, r_text=ov.r_text(view), caveat=view.caveat,
                          x_mean=view.x_mean if averages else None, y_mean=view.y_mean if averages else None)


@pytest.mark.parametrize("query, averages", [
    ("?x=phase:evaluation&y=neet_non_eu&region=SE224", True),  # proxies: open markers and the note
    ("?x=area:labour_market&y=unemployment_non_eu&region=pt20&mode=gap", True),
    ("?y=arope", False),  # no selected region, no average lines
])
def test_outcome_scatter_is_valid_and_unchanged(dataset, query, averages):
    new = _outcome_figures(dataset, outcomes, query, averages)
    old = _outcome_figures(dataset, legacy, query, averages)
    assert _json(common.validated(new)) == _json(old) == _json(new)
    assert bool(new.layout.shapes) == averages


def _lab_points():
    points = dict(lab_views.FALLBACK_LABEL_POINTS)
    far = {**points, "PT20": (-60.0, 14.0), "ES64": (55.0, -21.0)}  # outside the view: named in a note
    return points, far


@pytest.mark.parametrize("case", ["counts", "nothing", "outside"])
def test_lab_map_is_valid_and_unchanged(dataset, case):
    points, far = _lab_points()
    args = {"counts": (dataset.regions, {"SE224": 3, "PT20": 1}, points, ("SE224",)),
            "nothing": (dataset.regions, {}, points),
            "outside": (dataset.regions, {"PT20": 2, "ES64": 1, "SE224": 4}, far, ())}[case]
    new, old = lab_map.lab_map(*args), legacy.lab_map(*args)
    assert common.validated(new).to_dict() == old.to_dict()
    assert _json(new) == _json(old)
    assert bool(new.layout.annotations) == (case == "outside")


def _change_inputs(two_editions):
    return two_editions.scores_table(), two_editions.with_edition(2021).scores_table()


@pytest.mark.parametrize("measure", ["overall", "area:education"])
def test_change_map_is_valid_and_unchanged(two_editions, measure):
    now, then = _change_inputs(two_editions)
    fig = go.Figure([
        go.Choropleth(locations=["FR"], z=[0]),
        go.Choropleth(locations=["ES51", "PT20"], z=[1, 2], customdata=[["ES51", "x"], ["PT20", "y"]],
                      coloraxis="coloraxis"),
        go.Scattergeo(lon=[0], lat=[0], customdata=["ITF3"], marker=dict(color=[3], coloraxis="coloraxis", size=9)),
    ], layout={"coloraxis": {"colorbar": {"len": 0.5, "title": {"text": "Score"}}}, "title": {"text": "Map"}})
    before = fig.to_dict()
    new = change.change_map(fig, now, then, measure, 2024, 2021)
    old = legacy.change_map(fig, now, then, measure, 2024, 2021)
    assert _json(common.validated(new)) == _json(old) == _json(new)
    assert new.layout.coloraxis.colorbar.len == 0.5, "the map's own colour bar settings are kept"
    assert new.data[2].marker.size == 9
    assert fig.to_dict() == before, "the input figure is untouched"


def test_change_map_of_the_real_map_is_unchanged(two_editions):
    from dashboard.views import map as map_view

    fig, message = map_view.build_map(two_editions, "overall")
    if fig is None:
        pytest.skip(message)
    now, then = _change_inputs(two_editions)
    new = change.change_map(fig, now, then, "overall", 2024, 2021)
    assert _json(common.validated(new)) == _json(legacy.change_map(fig, now, then, "overall", 2024, 2021))


@pytest.mark.parametrize("answers", ["ES51", "none"])
def test_self_assessment_radars_are_valid_and_unchanged(dataset, answers):
    values = _control_values(dataset, "ES51") if answers == "ES51" else {}
    view = sa.self_assessment_view(dataset, values, "Test region")
    combined = pd.concat([dataset.wide_scores, view.scores.to_frame(sa.SELF_KEY).T])
    source = ("Your answers, scored with the dashboard's rule.<br>"
              + f"Average: {dataset.source_line}")
    for axis in sa.RADAR_AXES:
        old = legacy.radar_axis(combined, [sa.SELF_KEY], axis, source, include_average=False,
                                names={sa.SELF_KEY: "Test region"}, height=440,
                                title=f"{profile.scoring.AXIS_LABELS[axis]} (0–100)")
        old.add_trace(legacy._average_trace(view.average, axis))
        new = view.radars[axis]
        assert common.validated(new).to_dict() == old.to_dict()
        assert _json(new) == _json(old)


def test_the_tests_would_see_a_difference(dataset, names):
    """The comparison is not blind: one colour changed is a difference, one unknown property is refused."""
    fig = profile.radar_axis(dataset.wide_scores, THREE, "area", dataset.source_line, names=names)
    old = legacy.radar_axis(dataset.wide_scores, THREE, "area", dataset.source_line, names=names)
    fig.data[1].line.color = "#000000"
    assert _json(fig) != _json(old)
    spec = fig.to_dict()
    spec["data"][1]["linecolour"] = "red"
    with pytest.raises(ValueError, match="linecolour"):
        common.validated(common.figure(spec["data"], spec["layout"]))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_text_alternatives_say_what_they_said(dataset, names, lang):
    """axis_summary and bars_summary read plain values now: the same sentences, ties and gaps included."""
    wide = _with_gap(dataset.wide_scores)
    wide.loc["PT17", "area:housing"] = wide.loc["PT17", "area:education"] = 55.0  # a tie: the first one is named
    wide.loc["ITH5", list(profile.scoring.AXES["element"])] = float("nan")  # a region with no score on an axis
    groups = [["PT20", "ES51", "ITH5", "PT17"], ["ES51"], ["PT17", "PT20"]]
    with i18n.use(lang):
        for ids in groups:
            for axis in profile.scoring.AXES:
                assert profile.axis_summary(wide, ids, axis, names) == legacy.axis_summary(wide, ids, axis, names)
            for _title, dims in fc.BAR_GROUPS.values():
                assert fc.bars_summary(wide, ids, dims, names) == legacy.bars_summary(wide, ids, dims, names)
    assert "no score" in profile.axis_summary(wide, ["ITH5"], "element", names)
