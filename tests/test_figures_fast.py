"""The figure builders that build plain dicts through ``figures.common.figure`` (no plotly validation at run time):
every output, over gaps, ties, one to four regions and several languages, passes plotly's full validation
(``common.validated``), so a misspelt or misplaced property cannot reach the browser unnoticed.

When the builders were converted (December 2026) their browser JSON was compared, case by case, with the
previous builders' (property by property through plotly): identical. What each figure shows is tested in
``test_figures_profile.py``, ``test_figures_compare_explore.py`` and the other figure tests.
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


#: Builder calls, each given the builders' module, the scores, the scores with
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


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("case", list(CASES))
def test_profile_and_compare_builders_are_valid(dataset, names, case, lang):
    args = (dataset.wide_scores, _with_gap(dataset.wide_scores), dataset.source_line, names)
    with i18n.use(lang):
        new = CASES[case](fc if case.startswith("compare") else profile, *args)
    assert _json(common.validated(new)) == _json(new)


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
def test_outcome_scatter_is_valid(dataset, query, averages):
    new = _outcome_figures(dataset, outcomes, query, averages)
    assert _json(common.validated(new)) == _json(new)
    assert bool(new.layout.shapes) == averages


def _lab_points():
    points = dict(lab_views.FALLBACK_LABEL_POINTS)
    far = {**points, "PT20": (-60.0, 14.0), "ES64": (55.0, -21.0)}  # outside the view: named in a note
    return points, far


@pytest.mark.parametrize("case", ["counts", "nothing", "outside"])
def test_lab_map_is_valid(dataset, case):
    points, far = _lab_points()
    args = {"counts": (dataset.regions, {"SE224": 3, "PT20": 1}, points, ("SE224",)),
            "nothing": (dataset.regions, {}, points),
            "outside": (dataset.regions, {"PT20": 2, "ES64": 1, "SE224": 4}, far, ())}[case]
    new = lab_map.lab_map(*args)
    assert _json(common.validated(new)) == _json(new)
    assert bool(new.layout.annotations) == (case == "outside")


def _change_inputs(two_editions):
    return two_editions.scores_table(), two_editions.with_edition(2021).scores_table()


@pytest.mark.parametrize("measure", ["overall", "area:education"])
def test_change_map_is_valid(two_editions, measure):
    now, then = _change_inputs(two_editions)
    fig = go.Figure([
        go.Choropleth(locations=["FR"], z=[0]),
        go.Choropleth(locations=["ES51", "PT20"], z=[1, 2], customdata=[["ES51", "x"], ["PT20", "y"]],
                      coloraxis="coloraxis"),
        go.Scattergeo(lon=[0], lat=[0], customdata=["ITF3"], marker=dict(color=[3], coloraxis="coloraxis", size=9)),
    ], layout={"coloraxis": {"colorbar": {"len": 0.5, "title": {"text": "Score"}}}, "title": {"text": "Map"}})
    before = fig.to_dict()
    new = change.change_map(fig, now, then, measure, 2024, 2021)
    assert _json(common.validated(new)) == _json(new)
    assert new.layout.coloraxis.colorbar.len == 0.5, "the map's own colour bar settings are kept"
    assert new.data[2].marker.size == 9
    assert fig.to_dict() == before, "the input figure is untouched"


def test_change_map_of_the_real_map_is_valid(two_editions):
    from dashboard.views import map as map_view

    fig, message = map_view.build_map(two_editions, "overall")
    if fig is None:
        pytest.skip(message)
    now, then = _change_inputs(two_editions)
    new = change.change_map(fig, now, then, "overall", 2024, 2021)
    assert _json(common.validated(new)) == _json(new)


@pytest.mark.parametrize("answers", ["ES51", "none"])
def test_self_assessment_radars_are_valid(dataset, answers):
    values = _control_values(dataset, "ES51") if answers == "ES51" else {}
    view = sa.self_assessment_view(dataset, values, "Test region")
    for axis in sa.RADAR_AXES:
        new = view.radars[axis]
        assert _json(common.validated(new)) == _json(new)
        assert [t.name for t in new.data] == ["Test region", profile.AVERAGE_NAME]


def test_validation_refuses_an_unknown_property(dataset, names):
    """The check is not blind: one unknown property is refused, naming it."""
    fig = profile.radar_axis(dataset.wide_scores, THREE, "area", dataset.source_line, names=names)
    spec = fig.to_dict()
    spec["data"][1]["linecolour"] = "red"
    with pytest.raises(ValueError, match="linecolour"):
        common.validated(common.figure(spec["data"], spec["layout"]))
