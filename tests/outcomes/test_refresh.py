"""refresh-outcomes against recorded Eurostat API responses served on loopback, and offline."""

from __future__ import annotations

import datetime as dt
import hashlib
import socket

import pytest

from dashboard import cli, config, data
from dashboard.components import stats_table
from dashboard.outcomes import nuts
from dashboard.views import outcomes as ov

from .eurostat_server import FIXTURES, EurostatServer

INDICATORS = ["population", "unemployment_non_eu", "unemployment_nationals", "arope_non_eu", "neet_non_eu"]


def _fixture_value(table: str, key: str, year: int) -> float | None:
    """Read one cell of a fixture TSV by hand (independently of the package and of the app)."""
    lines = (FIXTURES / f"{table}.tsv").read_bytes().decode("utf-8").split("\r\n")
    years = [int(c.strip()) for c in lines[0].split("\t")[1:]]
    for line in lines[1:]:
        cells = line.split("\t")
        if cells[0] == key:
            text = cells[1 + years.index(year)].split(" ")[0]
            return None if text == ":" else float(text)
    raise KeyError(key)


def _tree_hash(folder) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def no_proxy(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    """One refresh through the command line against the loopback server (shared by the checks below)."""
    import os

    proxies = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")
    saved = {k: os.environ.pop(k) for k in proxies if k in os.environ}
    os.environ["NO_PROXY"] = "127.0.0.1,localhost"
    out = tmp_path_factory.mktemp("refresh") / "package"
    before = _tree_hash(config.EMBEDDED_DATA_DIR)
    import contextlib
    import io

    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        with EurostatServer() as server, contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = cli.main(["refresh-outcomes", "--indicator", *INDICATORS, "--out", str(out),
                             "--api-url", server.url, "--timeout", "10"])
            requests = list(server.requests)
    finally:
        os.environ.update(saved)
    return {"code": code, "out": out, "stdout": stdout.getvalue(), "stderr": stderr.getvalue(),
            "requests": requests, "before": before, "dataset": data.load_dataset(out) if code == 0 else None}


def _row(dataset, region_id, indicator):
    rows = dataset.outcomes[(dataset.outcomes["region_id"] == region_id) & (dataset.outcomes["indicator"] == indicator)]
    assert len(rows) == 1, (region_id, indicator, len(rows))
    return rows.iloc[0]


def test_refresh_writes_a_new_package_and_changes_nothing_else(refreshed):
    assert refreshed["code"] == 0, refreshed["stderr"]
    assert (refreshed["out"] / "datapackage.json").exists()
    assert _tree_hash(config.EMBEDDED_DATA_DIR) == refreshed["before"]
    assert "refreshed 4 indicator(s)" in refreshed["stdout"]
    assert "warning: neet_non_eu: Eurostat has no table edat_lfse_38" in refreshed["stdout"]
    # one data request per table, filtered by the catalogue's codes, every NUTS unit (geo open)
    data_requests = [r for r in refreshed["requests"] if "/data/" in r]
    assert any("/data/lfst_r_lfur2gan/.PC.T.Y15-74.NEU27_2020_FOR.?" in r for r in data_requests)
    assert any("/data/ilc_peps05n/.T.NEU27_2020_FOR.Y_GE18.PC.?" in r for r in data_requests)


def test_values_are_real_and_correctly_mapped(refreshed):
    ds = refreshed["dataset"]
    today = dt.date.today().isoformat()
    u = "lfst_r_lfur2gan"
    key = "A,PC,T,Y15-74,NEU27_2020_FOR,{}"
    # a region published under its own code
    row = _row(ds, "AT13", "unemployment_non_eu")
    assert row["value"] == _fixture_value(u, key.format("AT13"), 2023) and row["year"] == 2023
    assert not row["illustrative"] and row["source"] == f"Eurostat {u}" and row["retrieved"] == today
    assert f"Eurostat {u}" in row["provenance"] and "2023" in row["provenance"] and today in row["provenance"]
    # NUTS-3 region: the enclosing NUTS-2 unit, flagged proxy
    row = _row(ds, "SE224", "unemployment_non_eu")
    assert row["value"] == _fixture_value(u, key.format("SE22"), 2023)
    assert row["proxy"] and row["nuts_used"] == "SE22" and not row["national"]
    # Lisbon: PT1A + PT1B (NUTS 2024), population-weighted mean with the population table's 2023 values
    pop = {c: _fixture_value("demo_r_pjanaggr3", f"A,NR,T,TOTAL,{c}", 2023) for c in ("PT1A", "PT1B")}
    rate = {c: _fixture_value(u, key.format(c), 2023) for c in ("PT1A", "PT1B")}
    expected = (rate["PT1A"] * pop["PT1A"] + rate["PT1B"] * pop["PT1B"]) / (pop["PT1A"] + pop["PT1B"])
    row = _row(ds, "PT17", "unemployment_non_eu")
    assert row["value"] == pytest.approx(expected) and row["nuts_used"] == "PT1A+PT1B" and not row["proxy"]
    assert "population-weighted mean of PT1A+PT1B" in row["provenance"]
    row = _row(ds, "PT17", "population")
    assert row["value"] == pop["PT1A"] + pop["PT1B"] and "sum of PT1A+PT1B" in row["provenance"]
    # the NUTS 3 population table gives Skåne its own value (no proxy)
    row = _row(ds, "SE224", "population")
    assert row["value"] == _fixture_value("demo_r_pjanaggr3", "A,NR,T,TOTAL,SE224", 2023) and not row["proxy"]
    # a NUTS-1 region the table does not publish: no value, and the provenance says so
    row = _row(ds, "DE2", "unemployment_non_eu")
    assert row["value"] != row["value"] and "does not publish" in row["provenance"] and "DE2" in row["provenance"]
    row = _row(ds, "BE2", "unemployment_non_eu")
    assert row["value"] == _fixture_value(u, key.format("BE2"), 2023)
    # confidential value and flags
    assert _row(ds, "ES64", "unemployment_non_eu")["value"] != _row(ds, "ES64", "unemployment_non_eu")["value"]
    assert "low reliability" in _row(ds, "ITH2", "unemployment_non_eu")["provenance"]
    # national-only statistic: the country's value, flagged national
    row = _row(ds, "PT20", "arope_non_eu")
    assert row["value"] == _fixture_value("ilc_peps05n", "A,T,NEU27_2020_FOR,Y_GE18,PC,PT", 2023)
    assert row["national"] and row["proxy"] and row["nuts_used"] == "PT"
    assert "provisional" in _row(ds, "SE224", "arope_non_eu")["provenance"]
    # not refreshed: still illustrative
    assert _row(ds, "PT20", "neet_non_eu")["illustrative"]


def test_refreshed_values_are_labelled_real_where_they_show(refreshed):
    ds = refreshed["dataset"]
    rows = {r["indicator"]: r for r in stats_table.stats_rows(ds.outcomes, "PT17")}
    assert rows["unemployment_non_eu"]["illustrative"] is False and rows["neet_non_eu"]["illustrative"] is True
    state, _ = ov.parse_outcomes_query("?x=area:labour_market&y=unemployment_non_eu&region=PT17", ds)
    view = ov.outcomes_view(ds, state)
    assert "Outcomes: Eurostat lfst_r_lfur2gan, 2023, retrieved" in view.outcomes_source
    assert "ILLUSTRATIVE" not in view.outcomes_source and "proxy" in view.outcomes_source
    assert view.n == 23  # DE2 and ES64 have no value
    assert not view.table.set_index("region_id").loc["PT17", "illustrative"]
    assert ds.resource_illustrative["outcomes"] is True  # other indicators are still illustrative


def test_year_option_and_flags(tmp_path, no_proxy):
    out = tmp_path / "y2022"
    with EurostatServer() as server:
        assert cli.main(["refresh-outcomes", "--year", "2022", "--indicator", "unemployment_non_eu", "--out",
                         str(out), "--api-url", server.url, "--timeout", "10"]) == 0
        assert any("startPeriod=2022&endPeriod=2022" in r for r in server.requests)
    ds = data.load_dataset(out)
    row = _row(ds, "SE232", "unemployment_non_eu")
    assert row["year"] == 2022 and row["nuts_used"] == "SE23"
    assert "break in time series" in _row(ds, "SE224", "unemployment_non_eu")["provenance"]
    # population is not refreshed in this run, but its values are still fetched to weight Lisbon's parts
    assert _row(ds, "PT17", "unemployment_non_eu")["nuts_used"] == "PT1A+PT1B"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_offline_refresh_fails_cleanly(tmp_path, capsys, no_proxy):
    out = tmp_path / "never"
    before = _tree_hash(config.EMBEDDED_DATA_DIR)
    url = f"http://127.0.0.1:{_closed_port()}/eurostat/api/dissemination/sdmx/2.1/"
    code = cli.main(["refresh-outcomes", "--out", str(out), "--api-url", url, "--timeout", "5"])
    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot reach Eurostat's API")
    assert "Nothing was written" in lines[0]
    assert not out.exists() and not list(tmp_path.iterdir())
    assert _tree_hash(config.EMBEDDED_DATA_DIR) == before


def test_bad_requests_are_refused_before_any_network(tmp_path, capsys):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("keep")
    assert cli.main(["refresh-outcomes", "--out", str(tmp_path / "full"), "--api-url", "http://127.0.0.1:9/"]) == 2
    assert "not an empty folder" in capsys.readouterr().err
    assert cli.main(["outcomes", "refresh", "--indicator", "made_up", "--out", str(tmp_path / "n"),
                     "--api-url", f"http://127.0.0.1:{_closed_port()}/"]) == 2
    assert "unknown outcome indicator 'made_up'" in capsys.readouterr().err
    assert cli.main(["refresh-outcomes", "--indicator", "urban_rural_type", "--out", str(tmp_path / "n")]) == 2
    assert "does not come from a Eurostat table" in capsys.readouterr().err
    assert (tmp_path / "full" / "x.txt").read_text() == "keep" and not (tmp_path / "n").exists()


# --------------------------------------------------------------------------------------------
# The NUTS mapping on its own (pure)
# --------------------------------------------------------------------------------------------

LISBON = {"region_id": "PT17", "nuts_level": 2, "nuts2024_ids": "PT1A;PT1B"}
SKANE = {"region_id": "SE224", "nuts_level": 3, "nuts2024_ids": "SE224"}
BAYERN = {"region_id": "DE2", "nuts_level": 1, "nuts2024_ids": "DE2"}
RATE = {"id": "r", "eurostat_table": "t", "nuts_level": 2, "aggregate": "population_weighted_mean"}
COUNT = {"id": "c", "eurostat_table": "t", "nuts_level": 3, "aggregate": "sum"}
NATIONAL = {"id": "n", "eurostat_table": "t", "nuts_level": 0, "aggregate": "none"}


def test_nuts_resolve_rules():
    values = {"PT1A": 10.0, "PT1B": 20.0, "SE22": 7.0, "PT": 5.0, "DE21": 3.0}
    weights = {2021: {"PT1A": 300.0, "PT1B": 100.0}}
    found = nuts.resolve(LISBON, RATE, values, 2023, weights)
    assert found.value == pytest.approx((10 * 300 + 20 * 100) / 400) and found.nuts_used == "PT1A+PT1B"
    assert "weights: population 2021" in found.note
    assert nuts.resolve(LISBON, COUNT, values, 2023).value == 30.0
    assert nuts.resolve(LISBON, RATE, values, 2023, None).value is None  # no weights: no guess
    assert nuts.resolve(LISBON, RATE, {"PT17": 12.0, **values}, 2023, weights).value == 12.0  # own code first
    found = nuts.resolve(SKANE, RATE, values, 2023)
    assert (found.value, found.nuts_used, found.proxy) == (7.0, "SE22", True)
    found = nuts.resolve(BAYERN, RATE, values, 2023)
    assert found.value is None and "does not publish" in found.note  # NUTS-2 parts are not combined
    found = nuts.resolve(LISBON, NATIONAL, values, 2023)
    assert (found.value, found.nuts_used, found.national) == (5.0, "PT", True)


def test_choose_year_prefers_the_latest_well_covered_year():
    regions = [{"region_id": f"AT{i}", "nuts_level": 2, "nuts2024_ids": f"AT{i}"} for i in range(10)]
    by_year = {2021: {f"AT{i}": 1.0 for i in range(10)}, 2022: {f"AT{i}": 1.0 for i in range(9)},
               2023: {"AT0": 1.0}}
    assert nuts.choose_year(by_year, regions, RATE) == 2022
    assert nuts.choose_year({2023: {"AT0": 1.0}, 2022: {"AT1": 2.0}}, regions, RATE) == 2023
    assert nuts.choose_year({}, regions, RATE) is None
