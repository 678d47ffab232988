"""Refresh the outcome values from Eurostat's API, through the ``eurostat`` package (PyPI).

The ``eurostat`` package talks to Eurostat's SDMX 2.1 dissemination API: for a table it reads the dataflow
and its data structure (SDMX-ML), then asks ``data/<table>/<key>?startPeriod=&endPeriod=&format=TSV&
compressed=true`` — a gzipped TSV whose first column packs the dimension codes (``freq,unit,…,geo\\TIME_PERIOD``)
and whose other columns are years, each value followed by a space and its flags (``12.3 u``; ``:`` = not
available). One request per indicator, with the catalogue's ``eurostat_filters`` as the key and every NUTS
unit (``geo`` left open); the values are then mapped to the 25 regions by :mod:`dashboard.outcomes.nuts`.

:func:`refresh_outcomes` returns the new rows (``illustrative`` false, ``source`` the table, ``retrieved``
today, the provenance naming table, filters, year, retrieval date and any proxy/aggregation/flag);
:func:`write_package` writes a complete new data package folder (the old one is never touched) and
validates it before it appears. Without network the refresh stops before anything is written, with one
message (:class:`RefreshError`, exit 2 on the command line).

The API's address can be changed (a mirror, or a test server on loopback) with ``api_url`` or the
``MIPEXR_EUROSTAT_API`` environment variable; the package has no setting for it, so :func:`eurostat_api`
swaps its base addresses for the time of a refresh and puts them back afterwards.

The messages of :class:`RefreshError` (what the person running the refresh reads) are in the current language
(:mod:`dashboard.i18n`); the provenance written into the data package stays in English (it is data, read in
every language).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from dashboard.errors import UnknownOption, UserError
from dashboard.i18n import _
from dashboard.outcomes import nuts
from dashboard.outcomes.catalogue import WEIGHT_INDICATOR, parse_filters

EUROSTAT_API = "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/"
API_ENV = "MIPEXR_EUROSTAT_API"
DEFAULT_TIMEOUT = 60.0
YEARS_BACK = 8  # without --year, look at this many past years and take the latest well-covered one
VALUE_COLUMNS = ["region_id", "indicator", "year", "value", "nuts_used", "proxy", "national", "source", "retrieved",
                 "provenance", "illustrative"]
FLAG_WORDS = {"b": "break in time series", "c": "confidential", "d": "definition differs", "e": "estimated",
              "n": "not significant", "p": "provisional", "u": "low reliability", "z": "not applicable"}


class RefreshError(UserError, RuntimeError):
    """The refresh cannot run (no network, bad output folder, nothing fetched); nothing was written."""


@dataclass
class RefreshResult:
    rows: pd.DataFrame
    fetched: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    years: dict[str, int] = field(default_factory=dict)
    retrieved: str = ""


Fetcher = Callable[[str, dict, int | None, int | None], pd.DataFrame]


def api_url(explicit: str | None = None) -> str:
    """The SDMX 2.1 base address: ``explicit``, else ``MIPEXR_EUROSTAT_API``, else Eurostat's; ends with ``/``."""
    url = (explicit or os.environ.get(API_ENV) or EUROSTAT_API).strip()
    return url if url.endswith("/") else url + "/"


@contextlib.contextmanager
def eurostat_api(base_url: str, timeout: float = DEFAULT_TIMEOUT):
    """Point the ``eurostat`` package at ``base_url`` (every provider) with ``timeout``; restore on exit."""
    import importlib

    module = importlib.import_module("eurostat.eurostat")
    uri = module.__Uri__
    saved_urls, saved_async = dict(uri.BASE_URL), dict(uri.BASE_ASYNC_URL)
    saved_args = dict(module.get_requests_args())
    async_url = base_url.replace("/sdmx/2.1/", "/1.0/async/")
    try:
        for provider in uri.BASE_URL:
            uri.BASE_URL[provider] = base_url
            uri.BASE_ASYNC_URL[provider] = async_url
        module.set_requests_args(timeout=timeout)
        yield module
    finally:
        uri.BASE_URL.clear()
        uri.BASE_URL.update(saved_urls)
        uri.BASE_ASYNC_URL.clear()
        uri.BASE_ASYNC_URL.update(saved_async)
        module.__ra__.clear()
        module.__ra__.update(saved_args)


def check_reachable(base_url: str, table: str, timeout: float = 15.0) -> None:
    """One light request (the table's dataflow) before any work; :class:`RefreshError` when the API cannot be
    reached, so an offline refresh ends with one clear message and nothing written."""
    import requests

    url = f"{base_url}dataflow/ESTAT/{table}/latest"
    try:
        response = requests.get(url, timeout=timeout)
    except requests.RequestException as exc:
        reason = type(exc).__name__.replace("Error", " error").strip()
        raise RefreshError(
            _("cannot reach Eurostat's API at {url} ({reason}); check the network connection (or --api-url / {env}) "
              "and try again. Nothing was written.").format(url=base_url, reason=reason, env=API_ENV)) from None
    if response.status_code >= 500:
        raise RefreshError(_("Eurostat's API at {url} answered HTTP {status}; try again later. Nothing was "
                             "written.").format(url=base_url, status=response.status_code))


def _time_columns(frame: pd.DataFrame) -> dict[int, tuple[str, str | None]]:
    """``{year: (value column, flag column)}`` of a ``get_data_df(flags=True)`` frame (or without flags)."""
    out: dict[int, tuple[str, str | None]] = {}
    for column in frame.columns:
        text = str(column)
        head = text[:-6] if text.endswith("_value") else text
        if head.isdigit() and len(head) == 4 and (text.endswith("_value") or text == head):
            flag = f"{head}_flag" if f"{head}_flag" in frame.columns else None
            out[int(head)] = (text, flag)
    return out


def fetch_table(table: str, filters: dict, start: int | None, end: int | None) -> pd.DataFrame:
    """One Eurostat table, filtered to one series per NUTS unit, as long rows ``geo, year, value, flag``.

    ValueError (in plain words) when the table is unknown, returns no data or the filters leave several
    series per unit; ``requests`` connection errors pass through (the caller stops the refresh)."""
    import eurostat
    import requests

    pars: dict = dict(filters)
    if start:
        pars["startPeriod"] = int(start)
    if end:
        pars["endPeriod"] = int(end)
    captured = io.StringIO()
    try:
        with contextlib.redirect_stdout(captured):
            frame = eurostat.get_data_df(table, flags=True, filter_pars=pars)
    except requests.ConnectionError:
        raise
    except requests.Timeout:
        raise
    except Exception as exc:  # the package raises bare ValueError/NameError on an unknown table or empty answer
        said = " ".join(captured.getvalue().split())[:160]
        if "not found" in said.lower():
            raise ValueError(f"Eurostat has no table {table}") from None
        raise ValueError(f"Eurostat returned no usable data for {table} with {_filter_text(filters)}"
                         + (f" ({said})" if said else f" ({type(exc).__name__})")) from None
    if frame is None or frame.empty:
        raise ValueError(f"Eurostat returned no data for {table} with {_filter_text(filters)}")
    geo = next((c for c in frame.columns if str(c).lower().startswith("geo")), None)
    if geo is None:
        raise ValueError(f"the answer for {table} has no geo column")
    missing = [k for k in filters if k not in frame.columns]
    if missing:
        raise ValueError(f"{table} has no dimension {', '.join(missing)}: check the catalogue's filters")
    for key, code in filters.items():
        frame = frame[frame[key] == code]
    dims = list(frame.columns[: list(frame.columns).index(geo)])
    if frame[geo].duplicated().any():
        open_dims = [d for d in dims if frame[d].nunique() > 1]
        raise ValueError(f"the filters select several series per region in {table}; fix the dimension(s) "
                         f"{', '.join(open_dims) or '?'} in the catalogue")
    rows = []
    for rec in frame.to_dict("records"):
        for year, (value_col, flag_col) in _time_columns(frame).items():
            value = rec.get(value_col)
            flag = (rec.get(flag_col) or "") if flag_col else ""
            flag = "" if flag in (":", None) else str(flag).replace(":", "").strip()
            value = None if value is None or value != value else float(value)
            rows.append({"geo": rec[geo], "year": year, "value": value, "flag": flag})
    return pd.DataFrame(rows, columns=["geo", "year", "value", "flag"])


def _filter_text(filters: dict) -> str:
    return ";".join(f"{k}={v}" for k, v in filters.items()) or "no filters"


def _by_year(frame: pd.DataFrame) -> dict[int, dict[str, float | None]]:
    out: dict[int, dict[str, float | None]] = {}
    for rec in frame.to_dict("records"):
        out.setdefault(int(rec["year"]), {})[rec["geo"]] = rec["value"]
    return out


def _flag_words(flag: str) -> str:
    words = [FLAG_WORDS.get(ch, ch) for ch in flag if ch.strip()]
    return f"; Eurostat flag {flag} ({', '.join(words)})" if words else ""


def selected_indicators(catalogue: pd.DataFrame, wanted: Iterable[str] | None) -> pd.DataFrame:
    """The catalogue rows to refresh: ``wanted`` (UnknownOption for an id that is not catalogued or has no
    Eurostat table), or every row with a table."""
    fetchable = catalogue[catalogue["eurostat_table"].astype(str).str.strip() != ""]
    wanted = list(dict.fromkeys(wanted or []))
    if not wanted:
        return fetchable.reset_index(drop=True)
    known = set(catalogue["id"])
    for indicator in wanted:
        if indicator not in known:
            raise UnknownOption(f"unknown outcome indicator {indicator!r}; catalogued: {', '.join(catalogue['id'])}")
        if indicator not in set(fetchable["id"]):
            raise UnknownOption(f"outcome indicator {indicator!r} does not come from a Eurostat table")
    return fetchable[fetchable["id"].isin(wanted)].reset_index(drop=True)


def refresh_outcomes(dataset, indicators: Iterable[str] | None = None, year: int | None = None,
                     base_url: str | None = None, today: dt.date | None = None, fetch: Fetcher | None = None,
                     timeout: float = DEFAULT_TIMEOUT, log: Callable[[str], None] | None = None) -> RefreshResult:
    """Fetch, map and label the outcome values (nothing is written here). See the module docstring."""
    today = today or dt.date.today()
    retrieved = today.isoformat()
    chosen = selected_indicators(dataset.outcome_indicators, indicators)
    if chosen.empty:
        raise RefreshError(_("the catalogue has no indicator with a Eurostat table; nothing to refresh"))
    base = api_url(base_url)
    start, end = (year, year) if year else (today.year - YEARS_BACK, None)
    regions = dataset.regions.to_dict("records")
    log = log or (lambda _msg: None)
    result = RefreshResult(rows=pd.DataFrame(columns=VALUE_COLUMNS), retrieved=retrieved)
    rows: list[dict] = []
    context = contextlib.nullcontext() if fetch else eurostat_api(base, timeout)
    fetch = fetch or fetch_table
    import requests

    with context:
        if fetch is fetch_table:
            check_reachable(base, str(chosen.iloc[0]["eurostat_table"]), timeout=min(timeout, 15.0))
        weights_by_year = None
        needs_weights = (chosen["aggregate"] == "population_weighted_mean").any()
        cat = dataset.outcome_indicators
        weight_row = cat[cat["id"] == WEIGHT_INDICATOR]
        try:
            if needs_weights and len(weight_row) and weight_row.iloc[0]["eurostat_table"]:
                w = weight_row.iloc[0]
                try:
                    weights_by_year = _by_year(fetch(w["eurostat_table"], parse_filters(w["eurostat_filters"]),
                                                     (year or today.year - YEARS_BACK) - 3, None))
                except ValueError as exc:
                    result.problems.append(f"population weights: {exc}; regions split in NUTS 2024 get no rate")
            for ind in chosen.to_dict("records"):
                table = ind["eurostat_table"]
                filters = parse_filters(ind["eurostat_filters"])
                log(f"fetching {ind['id']} ({table})")
                try:
                    frame = fetch(table, filters, start, end)
                except ValueError as exc:
                    result.problems.append(f"{ind['id']}: {exc}")
                    continue
                by_year = _by_year(frame)
                flags = {(r["geo"], int(r["year"])): r["flag"] for r in frame.to_dict("records") if r["flag"]}
                chosen_year = year if year else nuts.choose_year(by_year, regions, ind, weights_by_year)
                if chosen_year is None or chosen_year not in by_year:
                    result.problems.append(f"{ind['id']}: {table} has no value for these regions"
                                           + (f" in {year}" if year else ""))
                    continue
                values = by_year[chosen_year]
                for region in regions:
                    found = nuts.resolve(region, ind, values, chosen_year, weights_by_year)
                    flag = "" if "+" in found.nuts_used else flags.get((found.nuts_used, chosen_year), "")
                    provenance = (f"Eurostat {table} ({_filter_text(filters)}), {chosen_year}, retrieved {retrieved} "
                                  "through the eurostat package")
                    provenance += f"; {found.note}" if found.note else ""
                    provenance += _flag_words(flag)
                    rows.append({
                        "region_id": region["region_id"], "indicator": ind["id"], "year": chosen_year,
                        "value": found.value, "nuts_used": found.nuts_used, "proxy": found.proxy,
                        "national": found.national, "source": f"Eurostat {table}", "retrieved": retrieved,
                        "provenance": provenance, "illustrative": False,
                    })
                result.fetched.append(ind["id"])
                result.years[ind["id"]] = chosen_year
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise RefreshError(_("lost the connection to Eurostat's API at {url} ({reason}); nothing was "
                                 "written.").format(url=base, reason=type(exc).__name__)) from None
    if not result.fetched:
        raise RefreshError(_("no indicator could be refreshed: {problems}. Nothing was written.").format(
            problems="; ".join(result.problems)))
    result.rows = pd.DataFrame(rows, columns=VALUE_COLUMNS)
    return result


# --------------------------------------------------------------------------------------------
# Writing the new data package
# --------------------------------------------------------------------------------------------

def check_out(out: Path) -> Path:
    """The output folder must be new (or empty) and its parent writable; RefreshError otherwise."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise RefreshError(_("{folder} already exists and is not an empty folder; choose a new folder for the "
                             "refreshed data package").format(folder=out))
    parent = out.resolve().parent
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise RefreshError(_("cannot write into {folder}").format(folder=parent))
    return out


def _csv_value(value) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def merged_values(dataset, result: RefreshResult) -> pd.DataFrame:
    """The dataset's values with every refreshed indicator replaced by its new rows."""
    old = dataset.outcomes[~dataset.outcomes["indicator"].isin(result.fetched)]
    old = old.reindex(columns=VALUE_COLUMNS)
    merged = pd.concat([old, result.rows], ignore_index=True) if len(old) else result.rows.copy()
    order = {rid: i for i, rid in enumerate(dataset.regions["region_id"])}
    ind_order = {i: n for n, i in enumerate(dataset.outcome_indicators["id"])}
    merged = merged.assign(_r=merged["region_id"].map(order), _i=merged["indicator"].map(ind_order))
    return merged.sort_values(["_r", "_i", "year"], kind="mergesort").drop(columns=["_r", "_i"]).reset_index(drop=True)


def write_package(dataset, result: RefreshResult, out: Path | str) -> Path:
    """Copy the dataset's package to the new folder ``out`` with the refreshed outcomes; validated before it
    appears (a failure leaves nothing behind)."""
    from dashboard import data

    out = check_out(Path(out))
    desc = json.loads((dataset.data_dir / "datapackage.json").read_text(encoding="utf-8"))
    tmp = Path(tempfile.mkdtemp(prefix=".outcomes-refresh-", dir=out.resolve().parent))
    try:
        for res in desc["resources"]:
            if res["name"] != "outcomes":
                shutil.copy2(dataset.data_dir / res["path"], tmp / Path(res["path"]).name)
                res["path"] = Path(res["path"]).name
        values = merged_values(dataset, result)
        lines = [",".join(VALUE_COLUMNS)]
        for rec in values.to_dict("records"):
            lines.append(",".join(_quote(_csv_value(rec[c])) for c in VALUE_COLUMNS))
        (tmp / "outcomes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        entry = next(r for r in desc["resources"] if r["name"] == "outcomes")
        entry.update(path="outcomes.csv", format="csv", encoding="utf-8")
        entry["illustrative"] = bool(values["illustrative"].astype(bool).any())
        tables = sorted({s.replace("Eurostat ", "") for s in result.rows["source"].dropna()})
        entry["sources"] = [{"title": f"Eurostat ({', '.join(tables)}), retrieved {result.retrieved} through the "
                                      "eurostat package (python -m dashboard refresh-outcomes)"}]
        if entry["illustrative"]:
            entry["sources"].append({"title": "ILLUSTRATIVE draws for the indicators not refreshed "
                                              "(data/generate_illustrative.py)"})
        entry["description"] = (f"Refreshed {len(result.fetched)} indicator(s) from Eurostat on {result.retrieved}: "
                                + ", ".join(f"{i} ({result.years[i]})" for i in result.fetched))
        (tmp / "datapackage.json").write_text(json.dumps(desc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        data.load_dataset(tmp, dataset.rule)  # the new package must load before it appears
        if out.exists():
            out.rmdir()
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _quote(text: str) -> str:
    if any(ch in text for ch in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text
