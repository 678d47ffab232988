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
    assert radial.title.text == "score (0–100)"
    assert fig.layout.title.text
    assert ILLUSTRATIVE_MARK in _source_text(fig)


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
