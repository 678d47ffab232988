"""The "view in the dashboard" links that exported files quote (pure; no request, no Host header).

A CSV header block, an XLSX About sheet, an image footer and a brief name the dashboard view they came
from. That link is built here from the **parsed, validated** parameters, never from the request:

* the base is ``MIPEXR_PUBLIC_URL`` (e.g. ``https://mipexr.example.org`` or ``https://example.org/mipexr``)
  when set, otherwise nothing: the link is a path relative to the site (``/explore?measure=overall``).
  The ``Host`` header of a request is never copied into a file (a forged Host would otherwise end up as a
  link in a brief that is mailed around);
* the path is the page the export was asked from (``page=/explore``), checked to be a plain site path;
* the query holds only the keys that page reads, with canonical values in a fixed order
  (:data:`PAGE_KEYS`), so an unknown key (``&bust=1``), key order, repeated keys or the case of a region
  id never change the link — and so never change the file or split the export cache.

Briefs link to their regions: one region → ``/region/PT20``, 2–4 → ``/compare?regions=PT20,ES51``.

Language: a link quoted by a file made in a language other than English ends in ``lang=xx`` (the current
language), so the reader lands on the view in the file's language; English links are unchanged.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode, urlsplit

from dashboard import i18n
from dashboard.errors import UserError

PUBLIC_URL_ENV = "MIPEXR_PUBLIC_URL"
MAX_PAGE = 200
#: A site path: starts with one "/", then URL-safe path characters only (no "//", no backslash, no query).
_PAGE_RE = re.compile(r"^/(?!/)[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$")

#: The query keys each page reads, in the order a link writes them, and whether a key holds one value or a
#: list. ``region`` on the map page is one region; ``regions`` on the compare page is a list.
_EDITION_KEYS = (("edition", "edition", False), ("since", "since", False))
PAGE_KEYS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    # (key in the page's URL, key of the canonical parameters, list?)
    "/": (("measure", "measure", False), ("region", "regions", False), *_EDITION_KEYS),
    "/compare": (("regions", "regions", True), *_EDITION_KEYS),
    "/explore": (("measure", "measure", False), ("country", "countries", True), ("axis", "axis", False),
                 ("area", "areas", True), ("target", "target", False), ("sort", "sort", False)),
    "/outcomes": (("x", "x", False), ("y", "y", False), ("mode", "mode", False), ("region", "regions", False)),
}


class ConfigError(UserError):
    """A setting in the environment that cannot be used (the app refuses to start with it)."""


def public_url() -> str:
    """``MIPEXR_PUBLIC_URL`` without a trailing ``/`` (``""`` when unset).

    Raises :class:`ConfigError` for anything but an ``http(s)://host[:port][/path]`` address (no user name,
    query or fragment), so a typo fails at start rather than in every exported file."""
    raw = (os.environ.get(PUBLIC_URL_ENV) or "").strip()
    if not raw:
        return ""
    parts = urlsplit(raw)
    if (parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password
            or parts.query or parts.fragment or "\\" in raw or any(c.isspace() for c in raw)):
        raise ConfigError(f"{PUBLIC_URL_ENV} must be an address such as https://mipexr.example.org "
                          f"(http or https, no user name, query or fragment); got {raw[:80]!r}")
    return raw.rstrip("/")


def safe_page(page: Any) -> str | None:
    """``page`` when it is a plain path on this site (``/explore``, ``/region/PT20``), else None.

    Refuses ``//host`` (a link to another site), schemes, backslashes, queries, fragments and anything
    over :data:`MAX_PAGE` characters."""
    if not isinstance(page, str) or len(page) > MAX_PAGE or not _PAGE_RE.match(page) or "//" in page:
        return None
    return page


def page_query(page: str, params: Mapping[str, Any]) -> dict[str, str]:
    """The query of a link to ``page``: the keys the page reads (:data:`PAGE_KEYS`), from the canonical
    ``params`` (``regions``, ``measure``, ``countries``, ``axis``, ``areas``, ``target``, ``sort``, ``x``, ``y``,
    ``mode``; a list
    is joined by commas). Empty values and keys the page does not read are left out."""
    out: dict[str, str] = {}
    keys = PAGE_KEYS.get(page) or (_EDITION_KEYS if page.startswith("/region/") else ())
    for url_key, key, is_list in keys:
        value = params.get(key)
        if value is None or value == "" or (isinstance(value, (list, tuple)) and not value):
            continue
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value) if is_list else str(value[0])
        out[url_key] = str(value)
    return out


def view_link(page: Any, params: Mapping[str, Any] | None = None) -> str | None:
    """The link an exported file quotes for the view on ``page`` (None when ``page`` is missing or unsafe):
    ``MIPEXR_PUBLIC_URL`` (or nothing) + the page + its canonical query."""
    page = safe_page(page)
    if page is None:
        return None
    query = page_query(page, params or {})
    if i18n.current() != i18n.DEFAULT:
        query["lang"] = i18n.current()
    tail = "?" + urlencode(query, safe=":,") if query else ""
    return public_url() + page + tail


def brief_link(region_ids: Sequence[str], editions: Mapping[str, Any] | None = None) -> str:
    """The dashboard view of a brief's regions: ``/region/<id>`` for one, ``/compare?regions=…`` for 2–4
    (``editions``: the ``edition``/``since`` of the brief)."""
    ids = list(region_ids)
    editions = dict(editions or {})
    if len(ids) == 1:
        return view_link(f"/region/{ids[0]}", editions) or f"{public_url()}/region/{ids[0]}"
    return view_link("/compare", {"regions": ids, **editions}) or f"{public_url()}/compare"
