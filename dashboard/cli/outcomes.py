"""``python -m dashboard refresh-outcomes`` (also ``outcomes refresh``): real outcome values from Eurostat.

Fetches every catalogued indicator (or those named with ``--indicator``) through the ``eurostat`` package,
maps them to the 25 regions (proxies, national figures and the Lisbon NUTS 2024 split documented in
``dashboard.outcomes.nuts``) and writes a NEW data package folder (``--out``) in which the refreshed values
are marked real with their table, year and retrieval date. The loaded dataset is never changed. Without
network: one message, exit 2, nothing written.
"""

from __future__ import annotations

import argparse
import datetime as dt


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, help="reference year (default: the latest year most regions have)")
    p.add_argument("--indicator", nargs="+", action="extend", metavar="ID",
                   help="indicator id(s) from outcome_indicators.csv (default: every indicator with a Eurostat table)")
    p.add_argument("--out", help="new folder for the refreshed data package (default: ./outcomes-refresh-<date>)")
    p.add_argument("--api-url", help="Eurostat SDMX 2.1 base address (default: MIPEXR_EUROSTAT_API or Eurostat's)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for each answer (default 60)")
    p.set_defaults(func=run_refresh)


def add_parsers(sub) -> None:
    help_text = "fetch real outcome values from Eurostat into a new data package"
    _arguments(sub.add_parser("refresh-outcomes", help=help_text, description=__doc__.splitlines()[0]))
    group = sub.add_parser("outcomes", help="the regional outcome dataset (refresh)")
    inner = group.add_subparsers(dest="outcomes_command", required=True)
    _arguments(inner.add_parser("refresh", help=help_text))


def run_refresh(args: argparse.Namespace) -> int:
    from pathlib import Path

    from dashboard import data
    from dashboard.outcomes import refresh

    if args.year is not None and not 1990 <= args.year <= 2100:
        raise refresh.RefreshError(f"--year {args.year} is not a year between 1990 and 2100")
    out = Path(args.out or f"outcomes-refresh-{dt.date.today().isoformat()}")
    refresh.check_out(out)
    dataset = data.load_dataset(args.data_dir)
    result = refresh.refresh_outcomes(dataset, indicators=args.indicator, year=args.year, base_url=args.api_url,
                                      timeout=args.timeout, log=lambda msg: print(msg, flush=True))
    path = refresh.write_package(dataset, result, out)
    missing = int(result.rows["value"].isna().sum())
    print(f"refreshed {len(result.fetched)} indicator(s), {len(result.rows) - missing} value(s) "
          f"({missing} not published) from Eurostat, retrieved {result.retrieved}")
    for problem in result.problems:
        print(f"warning: {problem}")
    print(f"wrote the data package to {path} (load it with --data-dir {path} or MIPEXR_DATA_DIR)")
    return 0
