"""Answers that are the same for every visitor of the shared data, kept per worker (a view of ``/`` is then
mostly a few cache look-ups instead of Dash rebuilding and re-serialising the same components).

What is kept, each under a key that holds everything the answer depends on:

- ``GET`` of an index page (Dash's HTML for any page address): the full URL, the language;
- ``GET /_dash-layout`` (the shell: menu, notice): the page address it is made for (``Referer``), the language;
- ``GET /_dash-dependencies``: the number of callbacks (the list only grows, on Dash's first request);
- ``POST /_dash-update-component`` of the Pages router rendering a page listed in ``pages`` (the app's
  :data:`dashboard.app.CACHED_PAGES`: pages whose layout depends on nothing but the data, the language and
  the page's query): the page path, the query string, the language.

Every key also holds the data: the shared dataset's :attr:`~dashboard.data.Dataset.fingerprint` and
:func:`dashboard.state.generation` (a new published version is a new key); a page render's key also holds
whether server-side export is available (the download links differ). A request with a private-workspace
cookie (:func:`state.workspace_id`) is never answered from, nor stored in, this cache: no visitor's data in
process-wide state. Nothing is kept in debug mode (hot reload changes assets and code under the same keys).
Compressed copies of a kept answer are made once per encoding, at the level Flask-Compress would use.

Only what the view itself returned is kept (``200``, body and headers, before any ``after_request`` hook): a
cached answer goes through the same hooks as a fresh one (compression, language cookie, ``Vary``, security
headers, the 404 status of an unknown page address). Bounded: :data:`ENTRIES` answers per worker (LRU)."""

from __future__ import annotations

import json
from typing import Any

import flask

from dashboard import i18n, state
from dashboard.serving import http as serving_http
from dashboard.views.cache import BoundedCache

ENTRIES = 256
ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."
_EXTENSION_KEY = "mipexr_responses"
_PENDING = "mipexr_response_key"


class ResponseCache:
    """The before/after-request pair of one app (see the module docstring)."""

    def __init__(self, app: Any, pages: tuple[str, ...], size: int = ENTRIES):
        self.app = app
        self.pages = frozenset(p.strip("/") for p in pages)
        self.cache = BoundedCache(size)
        prefix = app.config.requests_pathname_prefix or "/"
        self.prefix = prefix
        self.index_rules = {prefix, f"{prefix}<path:path>"}

    # -- keys ----------------------------------------------------------------------------------

    def key(self, request: flask.Request) -> tuple | None:
        """The cache key of this request, or None when its answer is not kept."""
        if self.app.server.debug or state.workspace_id() is not None:
            return None
        rule = request.url_rule.rule if request.url_rule is not None else None
        if request.method == "GET":
            if rule in self.index_rules:
                what = ("index", request.url)
            elif rule == f"{self.prefix}_dash-layout":
                what = ("layout", request.referrer)
            elif rule == f"{self.prefix}_dash-dependencies":
                return ("dependencies", len(getattr(self.app, "_callback_list", ())))
            else:
                return None
        elif request.method == "POST" and rule == f"{self.prefix}_dash-update-component":
            what = self._render_key(request)
            if what is None:
                return None
            # a page's download links depend on whether server-side export works (checked on disk each time)
            from dashboard.export.browser import browser_available

            what = (*what, browser_available())
        else:
            return None
        return (*what, i18n.current(), *data_key())

    def _render_key(self, request: flask.Request) -> tuple | None:
        if not self.pages or request.content_length is None or request.content_length > 65536:
            return None
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or body.get("output") != ROUTER_OUTPUT or body.get("state"):
            return None
        inputs = body.get("inputs")
        if not isinstance(inputs, list) or len(inputs) != 2:
            return None
        values = {(i.get("id"), i.get("property")): i.get("value") for i in inputs if isinstance(i, dict)}
        pathname = values.get(("_pages_location", "pathname"))
        search = values.get(("_pages_location", "search"))
        if not isinstance(pathname, str) or not isinstance(search, (str, type(None))):
            return None
        if self.app.strip_relative_path(pathname) not in self.pages:
            return None
        changed = body.get("changedPropIds")
        return ("render", pathname, search or "", json.dumps(changed, sort_keys=True))

    # -- hooks ---------------------------------------------------------------------------------

    def before(self) -> flask.Response | None:
        key = self.key(flask.request)
        if key is None:
            return None
        hit = self.cache.get(key, lambda: None, store=False)
        if hit is None:
            flask.g.setdefault(_PENDING, key)
            return None
        response = flask.Response(hit.body, status=200, headers=hit.headers)
        config = flask.current_app.config
        if response.mimetype in (config.get("COMPRESS_MIMETYPES") or ()) and \
                len(hit.body) >= config.get("COMPRESS_MIN_SIZE", 500):
            algorithm = serving_http.choose_encoding(flask.request.headers.get("Accept-Encoding", ""))
            if algorithm is not None:
                # the same encoding and level Flask-Compress would use, done once per entry and encoding;
                # Flask-Compress leaves an encoded answer alone (after adding Vary: Accept-Encoding)
                encoded = hit.encoded.get(algorithm)
                if encoded is None:
                    encoded = hit.encoded[algorithm] = serving_http.compress_bytes(hit.body, algorithm)
                response.set_data(encoded)
                response.headers["Content-Encoding"] = algorithm
        return response

    def after(self, response: flask.Response) -> flask.Response:
        key = flask.g.pop(_PENDING, None)
        if (key is not None and response.status_code == 200 and not response.direct_passthrough
                and not response.is_streamed and "Set-Cookie" not in response.headers
                and "Content-Encoding" not in response.headers):
            entry = Entry(list(response.headers.items()), response.get_data())
            self.cache.get(key, lambda: entry)
        return response


class Entry:
    """A kept answer: the view's headers and body, and that body encoded per algorithm (filled on use)."""

    __slots__ = ("headers", "body", "encoded")

    def __init__(self, headers: list[tuple[str, str]], body: bytes):
        self.headers, self.body = headers, body
        self.encoded: dict[str, bytes] = {}


def data_key() -> tuple:
    """What of the served data an answer depends on: the shared dataset (content and published generation)."""
    return state.current().fingerprint, state.generation()


def init_app(app: Any, pages: tuple[str, ...] = ()) -> ResponseCache:
    """Keep the request-independent answers of ``app`` (``pages``: page paths whose render is kept). Call it
    last in the app's set-up: its ``after_request`` hook must run first, on the answer as the view made it,
    and its ``before_request`` hook after the language and rate-limit hooks. Idempotent."""
    server = app.server
    existing = server.extensions.get(_EXTENSION_KEY)
    if existing is not None:
        return existing
    responses = ResponseCache(app, pages)
    server.before_request(responses.before)
    server.after_request(responses.after)
    server.extensions[_EXTENSION_KEY] = responses
    return responses
