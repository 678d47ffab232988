"""The language switch in the menu: eight links, each opening the page shown in that language.

Each link is a full page load of the current address with ``lang=`` replaced, so everything (menu,
notice, page) is made again in the new language and the address can be shared as it is.
``assets/05-language.js`` rewrites the link at click time (the page may have changed its address since
the menu was made) and keeps ``lang=`` in the address across in-app navigation.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

import dash_bootstrap_components as dbc
import flask
from dash import html

from dashboard import i18n, ids
from dashboard.i18n import _


def language_href(lang: str, url: str | None) -> str:
    """``url`` (path and query of the page) with ``lang=`` set to ``lang``."""
    parts = urlsplit(url or "/")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    query.append(("lang", lang))
    return f"{parts.path or '/'}?{urlencode(query)}"


def _page_url() -> str:
    """The page this menu is made for: the request itself, or the page named by a layout request's Referer."""
    if not flask.has_request_context():
        return "/"
    request = flask.request
    if request.path.startswith("/_dash") and request.referrer:
        parts = urlsplit(request.referrer)
        return f"{parts.path}?{parts.query}" if parts.query else parts.path
    return request.full_path.rstrip("?")


def language_switch() -> dbc.DropdownMenu:
    """A menu entry named in the current language's own name; the items in their own names and languages."""
    url = _page_url()
    here = i18n.current()
    items = [
        dbc.DropdownMenuItem(
            html.Span(name, lang=code), href=language_href(code, url), external_link=True, active=code == here,
            class_name="mx-lang-link", id=ids.lang_link(code),
        )
        for code, name in i18n.LANGUAGES.items()
    ]
    label = html.Span([html.Span(_("Language") + ": ", className="visually-hidden"), i18n.LANGUAGES[here]])
    return dbc.DropdownMenu(items, label=label, nav=True, in_navbar=True, align_end=True, id=ids.LANG_MENU,
                            toggle_class_name="mx-lang-toggle")
