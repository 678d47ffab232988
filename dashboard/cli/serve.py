"""``python -m dashboard serve``: serve the dashboard."""

from __future__ import annotations

import argparse


def add_parsers(sub) -> None:
    p = sub.add_parser("serve", help="serve the dashboard")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8050)
    p.add_argument("--debug", action="store_true", help="Dash dev server with hot reload and dev tools")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dashboard.app import create_app

    app = create_app(args.data_dir)
    print(f"MIPEX-R Explorer on http://{args.host}:{args.port}/", flush=True)
    if args.debug:
        app.run(host=args.host, port=args.port, debug=True)
    else:
        import waitress

        waitress.serve(app.server, host=args.host, port=args.port, threads=8, ident="mipexr")
    return 0
