"""``python -m dashboard fetch-geo``: GISCO's NUTS boundaries into the project's ``geo/``."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parsers(sub) -> None:
    p = sub.add_parser("fetch-geo", help="download GISCO's NUTS boundaries into geo/ (needs internet)")
    p.add_argument("--dest", help="target folder (default: the project's geo/)")
    p.add_argument("--base-url", help=argparse.SUPPRESS)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dashboard import geo

    kwargs = {"dest": Path(args.dest) if args.dest else None}
    if args.base_url:
        kwargs["base_url"] = args.base_url
    for path in geo.fetch_geo(**kwargs):
        print(f"saved {path}")
    return 0
