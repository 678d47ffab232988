"""HTTP status of page addresses: Dash answers every path with its index page (200) and lets the page router
show "not found" in the browser; a path that is no page of the app gets 404 here, so links checkers, search
engines and monitoring see the truth. The page itself (``pages/not_found_404.py``) explains and links back."""

from __future__ import annotations

from flask import redirect, request


def is_page(path: str) -> bool:
    """Whether ``path`` is a registered Dash page (a fixed path or a path template such as ``/region/<id>``)."""
    from dash._pages import (
        _path_to_page,  # Dash's own matcher, so the status agrees with what the router shows
    )

    page, _ = _path_to_page(path.strip("/"))
    return bool(page) and page.get("module", "").split(".")[-1] != "not_found_404"


def init_app(app) -> None:
    prefix = app.config.requests_pathname_prefix or "/"

    @app.server.route(f"{prefix}favicon.ico")
    def _favicon():  # browsers ask for it on the server-rendered pages (brief, Lab admin): Dash's own icon
        return redirect(f"{prefix}_favicon.ico", code=301)
    index_endpoints = {prefix, f"{prefix}<path:path>"}

    @app.server.after_request
    def _not_found_status(response):
        if (request.method == "GET" and response.status_code == 200 and request.url_rule is not None
                and request.url_rule.rule in index_endpoints and not is_page(request.path[len(prefix) - 1:])):
            response.status_code = 404
        return response
