"""Run a built Dash app under gunicorn from Python (``python -m dashboard serve``).

The settings come from :mod:`dashboard.serving.gunicorn_conf` (the same module a plain
``gunicorn -c python:dashboard.serving.gunicorn_conf`` reads); the command line only overrides the
address and, when given, the worker count. The app is built by the caller before gunicorn starts, so a
bad data folder fails with its one-line message and nothing is forked.
"""

from __future__ import annotations

from gunicorn.app.base import Application

CONFIG = "python:dashboard.serving.gunicorn_conf"


class DashboardServer(Application):
    """A gunicorn application serving an already built WSGI callable (preloaded in the master)."""

    def __init__(self, wsgi_app, options: dict | None = None):
        self.wsgi_app = wsgi_app
        self.options = options or {}
        super().__init__(usage=None, prog="python -m dashboard serve")

    def init(self, parser, opts, args):  # pragma: no cover - unused: no gunicorn command line here
        return None

    def load_config(self) -> None:
        self.load_config_from_module_name_or_filename(CONFIG)
        for key, value in self.options.items():
            if value is not None:
                self.cfg.set(key, value)

    def load(self):
        return self.wsgi_app


def settings(options: dict | None = None) -> dict:
    """The effective gunicorn settings (``name → value``) with ``options`` applied, without serving."""
    server = DashboardServer(lambda environ, start_response: [], options)
    return {name: setting.value for name, setting in server.cfg.settings.items()}


def serve(wsgi_app, host: str, port: int, workers: int | None = None) -> None:
    """Serve ``wsgi_app`` on ``host:port`` until SIGTERM/SIGINT (graceful: requests in flight finish)."""
    from dashboard.serving.gunicorn_conf import bind_address

    DashboardServer(wsgi_app, {"bind": [bind_address(host, port)], "workers": workers}).run()
