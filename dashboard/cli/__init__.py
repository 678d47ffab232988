"""Command line: ``python -m dashboard <command>`` (also installed as ``mipexr``).

Each command lives in its own module of this package (``serve``, ``data``, ``geo``, ``export``, ``lab``)
with an ``add_parsers(sub)`` function that only declares arguments; the heavy libraries (Dash, plotly,
kaleido, SQLAlchemy, geopandas) are imported inside the command that needs them, so ``--help`` and
argument errors answer at once.

Errors: any :class:`dashboard.errors.UserError` (bad input file, unknown option, missing boundaries, an
unwritable output) prints one line ``error: …`` to stderr and exits with status 2; an ``OSError`` from the
file system is reported the same way. No partial output file is ever written (:mod:`dashboard.cli.files`).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from dashboard.errors import UserError

EXIT_BAD_INPUT = 2
#: The modules that declare commands, in the order ``--help`` lists them.
COMMAND_MODULES = ("serve", "data", "imports", "datasets", "geo", "export", "outcomes", "lab")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="MIPEX-R Explorer")
    parser.add_argument("--data-dir", help="data package folder (default: MIPEXR_DATA_DIR or the embedded data/)")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:  # a file-system problem the command did not foresee: one line, not a traceback
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        print(f"error: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
