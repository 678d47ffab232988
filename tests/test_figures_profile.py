"""figures.profile: radars (per axis, combined, mini) and the TCN vs BIP paired bars."""

from __future__ import annotations

import pytest

from dashboard import scoring
from dashboard.constants import ILLUSTRATIVE_MARK
from dashboard.figures import profile


def _source_text(fig) -> str:
    return " ".join(a.text.replace("<br>", " ") for a in fig.layout.annotations if a.name == "source")


def _open(trace) -> list:
    """A closed radar loop without its repeated first point."""
    return list(trace.r)[:-1]


@pytest.mark.parametrize("axis", ["element", "phase", "area"])
def test_radar_axis_spokes_scores_and_average(wide, names, dataset, axis):
    fig = profile.radar_axis(wide, ["PT20"], axis, dataset.source_line, names=names)
    keys = scoring.AXES[axis]
    assert len(keys) >= 3
    avg, region = fig.data
    assert avg.name == profile.AVERAGE_NAME and region.name == "Azores"
    assert all(t.type == "scatterpolar" for t in fig.data)
    assert len(set(region.theta)) == len(keys) >= 3
    assert region.theta[0] == region.theta[-1]  # closed loop
    assert _open(region) == pytest.approx(wide.loc["PT20", list(keys)].round(1).tolist())
    assert _open(avg) == pytest.approx(wide[list(keys)].mean().round(1).tolist())
    radial = fig.layout.polar.radialaxis
    assert tuple(radial.range) == (0, 100)
    assert not radial.title.text, "no rotated axis title on the spokes: the scale is in the chart's title"
    assert "0–100" in fig.layout.title.text
    assert ILLUSTRATIVE_MARK in _source_text(fig)


@pytest.mark.parametrize("axis", ["phase", "area"])
def test_radar_ticks_sit_between_spokes_without_100(wide, dataset, axis):
    """The 25/50/75 labels sit halfway between the top spoke and the next one, horizontal; no "100" label
    meets the top spoke's label (the outer ring is 100)."""
    fig = profile.radar_axis(wide, ["PT20"], axis, dataset.source_line)
    n = len(scoring.AXES[axis])
    radial = fig.layout.polar.radialaxis
    assert list(radial.tickvals) == [25, 50, 75] and 100 not in radial.tickvals and 0 not in radial.tickvals
    spoke_angles = {(90 - i * 360 / n) % 360 for i in range(n)}
    assert radial.angle % 360 not in spoke_angles
    assert radial.angle == pytest.approx(90 - 180 / n)  # halfway between the top spoke and the next
    assert radial.tickangle == pytest.approx(radial.angle)  # plotly: equal angles give horizontal labels


def test_single_region_radar_prints_its_values_outside_the_corners(wide, names, dataset):
    fig = profile.radar_axis(wide, ["PT20"], "area", dataset.source_line, names=names)
    region = fig.data[1]
    keys = scoring.AXES["area"]
    assert "text" in region.mode
    assert list(region.text)[:-1] == [f"{v:.0f}" for v in wide.loc["PT20", list(keys)]]
    assert region.textposition[0] == "top center"  # the top spoke's value above its corner
    several = profile.radar_axis(wide, ["PT20", "PT17"], "area", dataset.source_line, names=names)
    assert all("text" not in t.mode for t in several.data), "several regions: values in the table beside"


def test_spoke_text_positions_point_outwards():
    assert profile.spoke_text_positions(4) == ["top center", "middle right", "bottom center", "middle left"]
    eight = profile.spoke_text_positions(8)
    assert eight[0] == "top center" and eight[4] == "bottom center"
    assert eight == ["top center", "top right", "middle right", "bottom right", "bottom center", "bottom left",
                     "middle left", "top left"]


def test_axes_with_fewer_than_four_spokes_are_bars(wide, names, dataset):
    assert not profile.uses_radar("element") and not profile.uses_radar("target")
    assert profile.uses_radar("phase") and profile.uses_radar("area")
    fig = profile.axis_chart(wide, ["PT20"], "element", dataset.source_line, names=names)
    assert {t.type for t in fig.data} == {"bar"}, "the 3-spoke axis is not a bare triangle"
    keys = list(scoring.AXES["element"])
    region = fig.data[0]
    assert list(region.x) == pytest.approx(wide.loc["PT20", keys].round(1).tolist())
    assert list(region.text) == [f"{v:.0f}" for v in wide.loc["PT20", keys]]  # values printed
    assert "0–100" in fig.layout.title.text
    assert {t.type for t in profile.axis_chart(wide, ["PT20"], "area", dataset.source_line).data} == {"scatterpolar"}
    with pytest.raises(KeyError):
        profile.axis_chart(wide, ["PT20"], "nonsense", dataset.source_line)


def test_legend_rows_leave_room_for_the_top_spoke_label(wide, names, dataset):
    assert profile.legend_rows(["Average of all regions", "Azores"]) == 1
    assert profile.legend_rows(["Average of all regions", "Azores", "Lisbon Metropolitan Area", "Catalonia"]) == 3
    one = profile.radar_axis(wide, ["PT20"], "area", dataset.source_line, names=names)
    three = profile.radar_axis(wide, ["PT20", "PT17", "ES51"], "area", dataset.source_line, names=names)
    assert three.layout.margin.t - one.layout.margin.t == 2 * 30


def test_profile_score_table_is_the_profiles_text_alternative(wide):
    table = profile.score_table(wide, "PT20")
    assert list(table.columns) == ["group", "dimension", "score", "average", "difference"]
    assert len(table) == len(scoring.DIMENSIONS)
    assert table["dimension"].tolist() == [scoring.dimension_label(d) for d in scoring.DIMENSIONS]
    health = table[table["dimension"] == "Health"].iloc[0]
    assert health["group"] == "Policy areas"
    assert health["score"] == pytest.approx(round(wide.at["PT20", "area:health"], 1))
    assert health["average"] == pytest.approx(round(wide["area:health"].mean(), 1))
    assert health["difference"] == pytest.approx(round(wide.at["PT20", "area:health"] - wide["area:health"].mean(), 1))
    assert table.iloc[0]["group"] == "Overall"


def test_axis_table_and_summary_state_the_chart_numbers(wide, names):
    table = profile.axis_table(wide, ["PT20", "PT17"], "element", names)
    assert list(table.columns) == ["Dimension", "Azores", "Lisbon Metropolitan Area", profile.AVERAGE_NAME]
    assert table["Azores"].tolist() == wide.loc["PT20", list(scoring.AXES["element"])].round(0).tolist()
    text = profile.axis_summary(wide, ["PT20"], "area", names)
    row = wide.loc["PT20", list(scoring.AXES["area"])]
    assert text.startswith("Policy areas, scores from 0 to 100.")
    assert f"highest {scoring.dimension_label(row.idxmax())} ({row.max():.0f})" in text
    assert f"lowest {scoring.dimension_label(row.idxmin())} ({row.min():.0f})" in text


def test_radar_axis_takes_up_to_four_regions(wide, names, dataset):
    ids = ["PT20", "PT17", "ES51", "SE224"]
    fig = profile.radar_axis(wide, ids, "area", dataset.source_line, names=names)
    assert [t.name for t in fig.data] == [profile.AVERAGE_NAME] + [names[r] for r in ids]
    assert len({t.line.color for t in fig.data}) == 5
    no_avg = profile.radar_axis(wide, ids[:2], "area", dataset.source_line, include_average=False)
    assert [t.name for t in no_avg.data] == ids[:2]  # default names are the ids
    with pytest.raises(ValueError):
        profile.radar_axis(wide, ids + ["ITF3"], "area", dataset.source_line)
    with pytest.raises(KeyError):
        profile.radar_axis(wide, ["XX99"], "area", dataset.source_line)


def test_radar_refuses_two_spoke_axis(wide, dataset):
    with pytest.raises(ValueError, match="three or more"):
        profile.radar_axis(wide, ["PT20"], "target", dataset.source_line)


def test_combined_radar_has_three_polar_subplots(wide, dataset):
    fig = profile.radar(wide, "PT20", dataset.source_line, name="Azores")
    subplots = {t.subplot for t in fig.data}
    assert subplots == {"polar", "polar2", "polar3"}
    for sp in subplots:
        assert tuple(fig.layout[sp].radialaxis.range) == (0, 100)
        traces = [t for t in fig.data if t.subplot == sp]
        assert [t.name for t in traces] == [profile.AVERAGE_NAME, "Azores"]
        assert len(set(traces[1].theta)) >= 3
    assert "Azores" in fig.layout.title.text
    assert ILLUSTRATIVE_MARK in _source_text(fig)


def test_target_bars_pair_tcn_and_bip_with_average(wide, names, dataset):
    fig = profile.target_bars(wide, ["PT20", "PT17"], dataset.source_line, names=names)
    assert [t.type for t in fig.data] == ["bar"] * 3
    assert [t.name for t in fig.data] == ["Azores", "Lisbon Metropolitan Area", profile.AVERAGE_NAME]
    assert fig.layout.barmode == "group"
    keys = ["target:TCN", "target:BIP"]
    assert list(fig.data[0].x) == pytest.approx(wide.loc["PT20", keys].round(1).tolist())
    assert list(fig.data[2].x) == pytest.approx(wide[keys].mean().round(1).tolist())
    assert "TCN" in fig.data[0].y[0] and "BIP" in fig.data[0].y[1]
    assert tuple(fig.layout.xaxis.range) == (0, 100)
    assert fig.layout.xaxis.title.text == "score (0–100)"
    assert [list(t.text) for t in fig.data][0] == [f"{v:.0f}" for v in wide.loc["PT20", keys]]
    assert ILLUSTRATIVE_MARK in _source_text(fig)


def test_mini_radar(wide, dataset):
    fig = profile.mini_radar(wide, "ES64", dataset.source_line, name="Melilla")
    assert [t.name for t in fig.data] == [profile.AVERAGE_NAME, "Melilla"]
    assert len(set(fig.data[1].theta)) == len(scoring.AXES["area"])
    assert tuple(fig.layout.polar.radialaxis.range) == (0, 100)
    assert fig.layout.title.text
    assert ILLUSTRATIVE_MARK in _source_text(fig)


def test_missing_scores_are_gaps_not_zeros(wide, dataset):
    w = wide.copy()
    w.loc["PT20", "area:housing"] = float("nan")
    fig = profile.radar_axis(w, ["PT20"], "area", dataset.source_line)
    i = list(scoring.AXES["area"]).index("area:housing")
    assert fig.data[1].r[i] is None


def test_wrap_text_keeps_the_illustrative_mark_whole(dataset):
    for width in (40, 60, 90, 200):
        wrapped = profile.wrap_text(dataset.source_line, width)
        assert any(ILLUSTRATIVE_MARK in line for line in wrapped.split("<br>"))
        assert wrapped.replace("<br>", " ") == dataset.source_line
