"""figures.common.figure: unvalidated, fast construction that matches what plotly's validated path builds."""

import plotly.graph_objects as go
import pytest

from dashboard.figures import common


def test_figure_matches_the_validated_path():
    fast = common.figure([{"type": "bar", "x": [1, 2], "y": [3, 4]}],
                         common.title_and_source("Title", "Source: test. ILLUSTRATIVE DATA", "© credit", height=300))
    slow = common.base_layout(go.Figure(go.Bar(x=[1, 2], y=[3, 4])), "Title", "Source: test. ILLUSTRATIVE DATA",
                              "© credit", height=300)
    assert common.validated(fast).to_dict() == slow.to_dict()


def test_validated_names_an_unknown_property():
    fig = common.figure([{"type": "bar", "x": [1], "colour": "red"}], {})
    with pytest.raises(ValueError, match="colour"):
        common.validated(fig)


def test_layout_may_name_its_own_template():
    fig = common.figure([], {"template": {"layout": {"font": {"size": 9}}}})
    assert fig.layout.template.layout.font.size == 9
