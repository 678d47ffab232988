"""Behind a reverse proxy: trust its ``X-Forwarded-*`` headers only when told how many proxies there are.

``MIPEXR_TRUSTED_PROXIES=N`` (default 0) wraps the Flask app in :class:`werkzeug.middleware.proxy_fix.ProxyFix`
trusting the last ``N`` values of ``X-Forwarded-For``, ``-Proto``, ``-Host``, ``-Port`` and ``-Prefix`` (one
value per proxy in front of the app). With 0 — the app faces clients directly, or nobody said — those
headers are ignored, so a client cannot pose as another address (rate limits key on it) or another host.
Links in exported files never come from the request's host either way (:mod:`dashboard.export.links`).
"""

from __future__ import annotations

import os

from dashboard.errors import UserError

ENV = "MIPEXR_TRUSTED_PROXIES"
MAX_PROXIES = 5


class ProxySettingError(UserError):
    """``MIPEXR_TRUSTED_PROXIES`` is not a small whole number."""


def trusted_proxies() -> int:
    """The number of proxies to trust (0 when unset); ProxySettingError for anything but 0–5."""
    raw = (os.environ.get(ENV) or "0").strip()
    if not raw.isdigit() or int(raw) > MAX_PROXIES:
        raise ProxySettingError(f"{ENV} must be the number of reverse proxies in front of the app (0–{MAX_PROXIES}); "
                                f"got {raw[:20]!r}")
    return int(raw)


def init_app(app) -> None:
    """Wrap the Flask app of ``app`` (a Dash app or a Flask app) in ProxyFix when proxies are trusted."""
    n = trusted_proxies()
    server = getattr(app, "server", app)
    if n == 0 or getattr(server.wsgi_app, "_mipexr_proxies", None) is not None:
        return
    from werkzeug.middleware.proxy_fix import ProxyFix

    server.wsgi_app = ProxyFix(server.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n, x_prefix=n)
    server.wsgi_app._mipexr_proxies = n
