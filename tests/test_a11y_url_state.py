"""Accessibility and URL-state pieces as plain functions: export link names, the table sort key, the Lab's
address bar, the brief's dashboard link, the shell's status line (the browser halves: tests/e2e)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard import ids, query
from dashboard.components import export_buttons as eb
from dashboard.components.data_grid import data_grid
from dashboard.export import links
from dashboard.views.columns import Column


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    if children is None:
        return
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(child, "to_plotly_json"):
            yield from _walk(child)


def test_every_export_link_is_announced_starting_with_its_visible_text():
    row = eb.export_buttons("radar", {"regions": "PT20,ES51"}, page="/compare", brief=True, server_export=True)
    links_ = [c for c in _walk(row) if type(c).__name__ == "A"]
    assert len(links_) >= 10
    for link in links_:
        text = link.children if isinstance(link.children, str) else ""
        name = getattr(link, "aria-label", None) or link.to_plotly_json()["props"].get("aria-label")
        assert text and name.startswith(text + ": "), (text, name)  # WCAG 2.5.3 label in name
        assert len(name) > len(text) + 5  # and says what the file is


@pytest.mark.parametrize("raw,expected", [
    ("overall:desc", ("overall", "desc")),
    ("area:health:asc", ("area:health", "asc")),  # a column id with ":" in it
    (["overall:asc", "name:desc"], ("overall", "asc")),  # the first value of a repeated key
    ("overall:up", None), ("nonsense:asc", None), ("overall", None), ("", None), (None, None),
])
def test_table_sort_from_the_url(raw, expected):
    assert query.parse_table_sort(raw, ["name", "overall", "area:health"]) == expected


def test_the_grid_opens_sorted_by_the_given_column(dataset):
    import pandas as pd

    table = pd.DataFrame({"name": ["b", "a"], "overall": [1.0, 2.0]})
    cols = [Column("name", "Region", "text"), Column("overall", "Overall score", "score")]
    grid = [c for c in _walk(data_grid("g", table, cols, sort=("overall", "asc"))) if type(c).__name__ == "AgGrid"][0]
    sorts = {d["field"]: d.get("sort") for d in grid.columnDefs}
    assert sorts == {"name": None, "overall": "asc"}
    plain = [c for c in _walk(data_grid("g", table, cols)) if type(c).__name__ == "AgGrid"][0]
    assert all("sort" not in d for d in plain.columnDefs)


def test_page_only_keys_stay_out_of_export_links():
    spec = eb.make_spec("ranking", {"measure": "overall"}, view="explore", page="/explore")
    hrefs = eb.export_hrefs(spec, "?measure=overall&tsort=overall:asc&size=a4", "a4")
    assert all("tsort" not in h for h in hrefs.values())
    assert "size=a4" in hrefs["png"] and "size" not in parse_qs(urlsplit(hrefs["csv"]).query)


def test_lab_filters_write_the_address_bar(dataset):
    from dash import no_update

    from dashboard.callbacks.lab import address_bar, filter_from_inputs
    from dashboard.lab.vocab import Regions

    regions = Regions.from_dataset(dataset)
    f = filter_from_inputs(regions, "language", ["PT20"], None, ["education"])
    search = address_bar(f, "")
    assert parse_qs(search[1:]) == {"q": ["language"], "region": ["PT20"], "area": ["education"]}
    assert address_bar(f, search) is no_update  # already there: no new history entry
    assert address_bar(filter_from_inputs(regions), search) == ""  # cleared filters clear the address
    # and the page reads the same filters back from it
    from dashboard.lab.records import PracticeFilter

    assert PracticeFilter.from_query({k: v[0] for k, v in parse_qs(search[1:]).items()}, regions=regions) == f


def test_the_brief_links_back_to_all_its_regions(dataset):
    from dashboard.views.compare import parse_regions

    for chosen in (["PT20", "PT17"], ["PT20", "PT17", "ES51"], ["PT20", "PT17", "ES51", "ITH5"]):
        link = links.brief_link(chosen)
        parts = urlsplit(link)
        assert parts.path == "/compare"
        back, notes = parse_regions(parse_qs(parts.query)["regions"][0], dataset)
        assert back == chosen and not notes
    assert links.brief_link(["PT20"]) == "/region/PT20"


def test_the_shell_has_one_polite_status_line_for_downloads(tmp_path, monkeypatch):
    from dashboard import app as app_module

    monkeypatch.setenv("MIPEXR_VAR_DIR", str(tmp_path))
    app_module.create_app()
    shell = app_module.serve_layout()
    boxes = [c for c in _walk(shell) if getattr(c, "id", None) == ids.EXPORT_STATUS]
    assert len(boxes) == 1
    props = boxes[0].to_plotly_json()["props"]
    assert props["role"] == "status" and props["aria-live"] == "polite"
