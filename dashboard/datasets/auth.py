"""Who may change the shared data (Flask-free, so the routes, the pages and the tests share it).

- The web: only a request carrying the admin token (``MIPEXR_ADMIN_TOKEN``), compared in constant time.
  Without that variable the web is read-only for the shared data (private workspaces still work).
- The command line may always publish: it runs on the server, with access to the database itself.
"""

from __future__ import annotations

import hmac
import os

from dashboard.datasets.errors import NotAuthorised, WebPublishingDisabled
from dashboard.i18n import _

ADMIN_TOKEN_ENV = "MIPEXR_ADMIN_TOKEN"


def admin_token() -> str | None:
    """The configured admin token, or ``None`` when unset or blank."""
    token = os.environ.get(ADMIN_TOKEN_ENV, "").strip()
    return token or None


def web_publishing_enabled() -> bool:
    return admin_token() is not None


def check_token(given: str | bytes | None, expected: str | bytes | None) -> bool:
    """Whether ``given`` equals ``expected`` (timing-safe); always ``False`` when either is missing or empty."""
    if not given or not expected:
        return False
    a = given.encode("utf-8", "surrogatepass") if isinstance(given, str) else bytes(given)
    b = expected.encode("utf-8", "surrogatepass") if isinstance(expected, str) else bytes(expected)
    return hmac.compare_digest(a, b)


def require_admin(given: str | bytes | None) -> None:
    """Raise :class:`WebPublishingDisabled` (no token configured) or :class:`NotAuthorised` (missing/wrong token)."""
    expected = admin_token()
    if expected is None:
        raise WebPublishingDisabled(
            _("publishing through the web is disabled: the server has no {variable}; use the command line").format(
                variable=ADMIN_TOKEN_ENV)
        )
    if not check_token(given, expected):
        raise NotAuthorised(_("a valid admin token is required to change the shared data"))
