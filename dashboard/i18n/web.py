"""Per-request language for the web app: resolved before each request, reset after it.

Order: ``?lang=`` on the request → ``lang=`` in the page URL named by ``Referer`` (Dash's layout and
callback requests, downloads started from a page) → the ``mipexr_lang`` cookie of the last language chosen
in the address → ``Accept-Language`` → English. Nothing is stored on the server: the URL is the state (a
shared link opens in the same language; two tabs in two languages keep theirs), and the cookie only bridges
a request whose page address has no ``lang=`` yet.
"""

from __future__ import annotations

import functools
from urllib.parse import parse_qs, urlsplit

import flask
import werkzeug.datastructures
import werkzeug.http
from dash import Dash

from dashboard import i18n

_TOKEN = "mipexr_lang_token"
COOKIE = "mipexr_lang"


def from_url(url: str | None) -> str | None:
    """The ``lang`` of a URL's query string, when it is one we offer."""
    if not url:
        return None
    try:
        values = parse_qs(urlsplit(url[:4096]).query).get("lang")
    except ValueError:
        return None
    return i18n.normalise(values[-1]) if values else None


def resolve(request: flask.Request) -> str:
    """The language a request is answered in (see the module docstring for the order)."""
    explicit = i18n.normalise(request.args.get("lang"))
    if explicit:
        return explicit
    referred = from_url(request.headers.get("Referer"))
    if referred:
        return referred
    remembered = i18n.normalise(request.cookies.get(COOKIE))
    if remembered:
        return remembered
    return from_accept_language(request.headers.get("Accept-Language", ""))


@functools.lru_cache(maxsize=256)
def from_accept_language(header: str) -> str:
    """The best language of ours for an ``Accept-Language`` header (English when none fits); browsers send a
    handful of distinct headers, so the parsed answer is kept per header (bounded)."""
    accepted = werkzeug.http.parse_accept_header(header, werkzeug.datastructures.LanguageAccept)
    return accepted.best_match(list(i18n.LANGUAGES)) or i18n.DEFAULT


def init_app(app: Dash) -> None:
    """Register the hooks, and set ``<html lang>`` of the index page to the language served."""
    server = app.server

    @server.before_request
    def _set_language() -> None:
        flask.g.setdefault(_TOKEN, i18n.set_current(resolve(flask.request)))

    @server.teardown_request
    def _reset_language(_exc: BaseException | None = None) -> None:
        token = flask.g.pop(_TOKEN, None)
        if token is not None:
            try:
                i18n.reset(token)
            except ValueError:  # set in another context (a streamed response): nothing to undo here
                pass

    @server.after_request
    def _remember_language(response: flask.Response) -> flask.Response:
        explicit = i18n.normalise(flask.request.args.get("lang"))
        if explicit and response.mimetype == "text/html":
            response.set_cookie(COOKIE, explicit, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                                secure=flask.request.is_secure)
        if response.mimetype == "text/html" or flask.request.path.startswith("/_dash-layout"):
            response.vary.add("Accept-Language")
            response.vary.add("Cookie")
        return response

    original = app.interpolate_index

    def interpolate_index(**kwargs):
        html = original(**kwargs)
        return html.replace('<html lang="en">', f'<html lang="{i18n.current()}">', 1)

    app.interpolate_index = interpolate_index
