"""``python -m dashboard serve``: serve the dashboard.

Production mode (the default, and what ``./run.sh`` runs): gunicorn with several worker processes,
the app preloaded once, compression and health routes (settings: :mod:`dashboard.serving.gunicorn_conf`).
``--dev``: one process, Dash's debug server with hot reload and dev tools (``--debug`` is the old name).
"""

from __future__ import annotations

import argparse
import os


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 < value < 65536:
        raise argparse.ArgumentTypeError(f"port must be 1–65535, not {value}")
    return value


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("at least 1 worker")
    return value


def add_parsers(sub) -> None:
    p = sub.add_parser("serve", help="serve the dashboard (production: gunicorn; --dev: Dash debug server)")
    p.add_argument("--host", default=None, help="address to bind (default: HOST or 127.0.0.1)")
    p.add_argument("--port", type=_port, default=None, help="port (default: PORT or 8050)")
    p.add_argument("--workers", type=_workers, default=None,
                   help="gunicorn worker processes (default: MIPEXR_WORKERS or from the cores and memory)")
    p.add_argument("--dev", "--debug", dest="dev", action="store_true",
                   help="one process: Dash's debug server with hot reload and dev tools")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dashboard.errors import UserError

    if not args.dev:
        # Read first: the settings module takes MIPEXR_EXPORT_PREWARM out of the environment before the
        # app is built (the export browser then starts in each worker, not in the master before the fork).
        try:
            from dashboard.serving import gunicorn_conf  # noqa: F401
        except ValueError as exc:  # a malformed MIPEXR_* / PORT setting
            raise UserError(str(exc)) from None
    from dashboard.app import create_app

    host = args.host or os.environ.get("HOST") or "127.0.0.1"
    try:
        port = args.port or _port(os.environ.get("PORT") or "8050")
    except argparse.ArgumentTypeError as exc:
        raise UserError(f"PORT: {exc}") from None
    app = create_app(args.data_dir)
    if args.dev:
        print(f"MIPEX-R Explorer (development server) on http://{host}:{port}/", flush=True)
        app.run(host=host, port=port, debug=True)
        return 0
    from dashboard.serving import runner

    print(f"MIPEX-R Explorer on http://{host}:{port}/ (gunicorn)", flush=True)
    runner.serve(app.server, host, port, workers=args.workers)
    return 0
