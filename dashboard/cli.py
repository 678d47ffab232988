"""Command line: ``python -m dashboard <command>`` (also installed as ``mipexr``).

Commands: ``serve``, ``scores``, ``fetch-geo`` (plus ``export``, ``brief`` and ``lab`` when those
features are installed). Bad input prints one clear message naming file, row and column to
stderr and exits with status 2; no partial output file is ever written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from dashboard.errors import InputError

EXIT_BAD_INPUT = 2


def atomic_write(path: Path, write) -> None:
    """Call ``write(tmp_path)`` then move the result onto ``path``; nothing is left behind on failure."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _cmd_serve(args: argparse.Namespace) -> int:
    from dashboard.app import create_app

    app = create_app(args.data_dir)
    print(f"MIPEX-R Explorer on http://{args.host}:{args.port}/", flush=True)
    if args.debug:
        app.run(host=args.host, port=args.port, debug=True)
    else:
        import waitress

        waitress.serve(app.server, host=args.host, port=args.port, threads=8, ident="mipexr")
    return 0


def _cmd_scores(args: argparse.Namespace) -> int:
    from dashboard import data, scoring

    base = data.load_dataset(args.data_dir)
    framework = data.read_framework_file(args.framework) if args.framework else base.framework
    answers = data.read_answers_file(args.answers, framework, base.regions)
    scores = scoring.compute_scores(answers, framework)
    scores["score"] = scores["score"].round(4)
    atomic_write(Path(args.out), lambda tmp: scores.to_csv(tmp, index=False, lineterminator="\n"))
    print(f"wrote {len(scores)} scores for {scores['region_id'].nunique()} region(s) to {args.out}")
    return 0


def _cmd_fetch_geo(args: argparse.Namespace) -> int:
    from dashboard import geo

    kwargs = {"dest": Path(args.dest) if args.dest else None}
    if args.base_url:
        kwargs["base_url"] = args.base_url
    paths = geo.fetch_geo(**kwargs)
    for p in paths:
        print(f"saved {p}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="MIPEX-R Explorer")
    parser.add_argument("--data-dir", help="data package folder (default: MIPEXR_DATA_DIR or the embedded data/)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="serve the dashboard")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8050)
    p.add_argument("--debug", action="store_true", help="Dash dev server with hot reload and dev tools")
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("scores", help="compute dimension scores from an answers file (CSV or XLSX)")
    p.add_argument("--answers", required=True, help="long answers file: region_id,indicator_id,value")
    p.add_argument("--framework", help="questionnaire file (default: the loaded dataset's)")
    p.add_argument("--out", required=True, help="output CSV: region_id,dimension,score")
    p.set_defaults(func=_cmd_scores)

    p = sub.add_parser("fetch-geo", help="download GISCO's NUTS boundaries into geo/ (needs internet)")
    p.add_argument("--dest", help="target folder (default: the project's geo/)")
    p.add_argument("--base-url", help=argparse.SUPPRESS)
    p.set_defaults(func=_cmd_fetch_geo)

    from dashboard import export_cli
    from dashboard.lab import cli as lab_cli

    export_cli.add_subparsers(sub)
    lab_cli.add_subparsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a clear one-line message instead of a traceback
        name = type(exc).__name__
        if name in ("GeoDataMissing", "ExportError", "UnknownOption"):
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        raise
