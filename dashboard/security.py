"""HTTP security headers on every response (a small, tested ``after_request``; see README "Security").

* ``Content-Security-Policy``: scripts only from the app itself, plus Dash's own inline scripts by their
  SHA-256 hashes (``app.csp_hashes()``: the renderer start-up and the clientside callbacks) and, for the few
  server-rendered pages with an inline script of their own (the printable brief), a per-response nonce
  (:func:`nonce`). No CDN, no ``eval``. Styles allow ``'unsafe-inline'``: plotly.js and the data grid set inline
  styles (the usual, accepted exception; no script can be injected through it). ``frame-ancestors 'none'`` and
  ``X-Frame-Options: DENY``: no page (the Data page with its controls included) can be framed by another site.
* ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: strict-origin-when-cross-origin``,
  ``Cross-Origin-Opener-Policy: same-origin``, and a ``Permissions-Policy`` that turns off what the app never uses.

``MIPEXR_CSP_REPORT_ONLY=1`` sends the policy as ``Content-Security-Policy-Report-Only`` (to try a change).
"""

from __future__ import annotations

import os
import secrets

from flask import g

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def nonce() -> str:
    """This response's CSP nonce (made on first use; put it on an inline ``<script nonce="…">``)."""
    value = g.get("_mipexr_csp_nonce")
    if value is None:
        value = g._mipexr_csp_nonce = secrets.token_urlsafe(18)
    return value


def policy(script_hashes: list[str], script_nonce: str | None = None) -> str:
    """The CSP header value."""
    scripts = ["'self'", *script_hashes] + ([f"'nonce-{script_nonce}'"] if script_nonce else [])
    directives = {
        "default-src": ["'self'"],
        "script-src": scripts,
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def init_app(app) -> None:
    """Add the headers to every response of ``app``.

    Dash turns clientside callbacks into inline scripts when it sets itself up on the first request, so the
    hashes are taken then (and again if that set ever grows), not at start."""
    cache: dict[int, list[str]] = {}

    def hashes() -> list[str]:
        count = len(getattr(app, "_inline_scripts", ()))
        if count not in cache:
            cache.clear()
            cache[count] = list(app.csp_hashes())
        return cache[count]

    header = "Content-Security-Policy-Report-Only" if os.environ.get("MIPEXR_CSP_REPORT_ONLY") == "1" \
        else "Content-Security-Policy"

    policies: dict[tuple, str] = {}

    @app.server.after_request
    def _security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        script_nonce = g.get("_mipexr_csp_nonce")
        if script_nonce:
            response.headers[header] = policy(hashes(), script_nonce)
        else:  # the same for every response without a nonce: made once per set of hashes
            known = hashes()
            key = tuple(known)
            if key not in policies:
                policies.clear()
                policies[key] = policy(known)
            response.headers[header] = policies[key]
        return response
