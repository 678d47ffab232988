"""Who may write to the Integration Lab, and how often: rate limits per client, the same-origin check,
the moderators' form tokens, and the one path every submission takes (:func:`receive`).

Rate limits (per client address, :data:`LIMITS`)
    ``submit-attempt`` — every submission request, invalid ones and robots' included (a flood guard);
    ``submit`` — submissions actually stored (counted after validation, so a person correcting the form
    is not locked out); ``admin-failure`` — requests carrying a wrong moderator token (checked before
    the token is compared, so a locked-out client cannot keep guessing); ``moderation`` — every
    moderation request. Counted in a moving window by the ``limits`` strategy of the app's
    flask-limiter ``Limiter`` (memory per process by default; ``MIPEXR_REDIS_URL`` → Redis, shared by
    every worker and machine). If Redis fails, counting falls back to memory and says so in the log.

The client address (:func:`client_address`)
    ``request.remote_addr`` — never a header a client can set — unless ``MIPEXR_TRUSTED_PROXIES=N``
    (default 0) says N reverse proxies of ours stand in front: then the N-th address from the right of
    ``X-Forwarded-For`` (what the outermost trusted proxy saw), as werkzeug's ``ProxyFix(x_for=N)``
    reads it. When ProxyFix is already applied to the app, ``remote_addr`` is used as it is.

The same-origin check (:func:`origin_allowed`)
    A browser POST carries ``Origin`` (else ``Referer``); it must be the app's own origin:
    ``MIPEXR_PUBLIC_URL`` when set, else the request's own scheme and host (with trusted proxies,
    their ``X-Forwarded-Proto``/``-Host``). ``Origin: null`` and any other site are refused. A request
    with neither header is not a cross-site browser request (a script, ``curl``) and passes; the rate
    limits still apply.

Form tokens (:func:`csrf_token`)
    The moderation page's forms carry a token signed with :func:`secret_key` (itsdangerous) that binds
    them to the browser's moderation session cookie; valid :data:`CSRF_MAX_AGE_S`.

Secret key (:func:`secret_key`)
    ``MIPEXR_SECRET_KEY``, else a random key made once and kept in ``<var folder>/lab_secret_key``
    (mode 0600). Several machines must share ``MIPEXR_SECRET_KEY`` for their tokens to agree.

No Flask at import time; the helpers that read the current request import it when called.
"""

from __future__ import annotations

import hmac
import logging
import math
import os
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dashboard.i18n import _, ngettext
from dashboard.lab import db, repository
from dashboard.lab.records import PracticeRecord
from dashboard.lab.validation import SubmissionInvalid, honeypot_filled
from dashboard.lab.vocab import Regions

log = logging.getLogger(__name__)

TRUSTED_PROXIES_ENV = "MIPEXR_TRUSTED_PROXIES"
PUBLIC_URL_ENV = "MIPEXR_PUBLIC_URL"
SECRET_KEY_ENV = "MIPEXR_SECRET_KEY"
REDIS_URL_ENV = "MIPEXR_REDIS_URL"
SECRET_KEY_FILE = "lab_secret_key"

#: Rate limits per client address (``limits`` notation; several separated by ";").
LIMITS: dict[str, str] = {
    "submit-attempt": "20/minute",
    "submit": "5/minute;30/hour",
    "admin-failure": "10/minute;50/hour",
    "moderation": "60/minute",
}

#: Flask ``app.extensions`` key of the app's :class:`Throttle`.
EXTENSION_KEY = "mipexr_lab_throttle"
#: Flask config key: a dict overriding some of :data:`LIMITS` for one app (tests, an embedding app).
LIMITS_CONFIG_KEY = "MIPEXR_LAB_RATE_LIMITS"
CSRF_SALT = "mipexr-lab-admin-csrf"
CSRF_MAX_AGE_S = 8 * 3600


# --------------------------------------------------------------------------------------------
# rate limits


@dataclass(frozen=True)
class Throttled:
    """A refusal: which limit (``kind``) and how many seconds until the client may try again."""

    kind: str
    retry_after: int

    @property
    def wait(self) -> str:
        """``"about 40 seconds"`` / ``"about 12 minutes"``."""
        s = max(1, self.retry_after)
        if s < 90:
            return ngettext("about {n} second", "about {n} seconds", s).format(n=s)
        minutes = math.ceil(s / 60)
        return ngettext("about {n} minute", "about {n} minutes", minutes).format(n=minutes)

    @property
    def message(self) -> str:
        """The refusal in plain words, in the current language."""
        if self.kind in ("submit", "submit-attempt"):
            return _("Not stored: too many submissions from your address in a short time. Please wait {wait} "
                     "and try again.").format(wait=self.wait)
        if self.kind == "admin-failure":
            return _("Too many attempts with a wrong moderator token from your address. Please wait {wait}.").format(
                wait=self.wait)
        return _("Too many requests from your address. Please wait {wait} and try again.").format(wait=self.wait)


class Throttle:
    """The Lab's rate limits on one ``limits`` strategy (flask-limiter's, see module doc), with an in-memory
    fallback used while the shared storage fails."""

    def __init__(self, strategy: Any, storage_name: str = "memory", limits: Mapping[str, str] | None = None):
        from limits import parse_many
        from limits.storage import MemoryStorage
        from limits.strategies import MovingWindowRateLimiter

        self.strategy = strategy
        self.storage_name = storage_name
        self.items = {kind: parse_many(spec) for kind, spec in (limits or LIMITS).items()}
        self._fallback = MovingWindowRateLimiter(MemoryStorage())
        self._warned_at = 0.0

    def _call(self, method: str, *args: Any) -> Any:
        try:
            return getattr(self.strategy, method)(*args)
        except Exception as exc:  # noqa: BLE001 - a failing Redis must not stop the Lab
            now = time.monotonic()
            if now - self._warned_at > 60:
                self._warned_at = now
                log.warning("rate-limit storage (%s) failed, counting in memory meanwhile: %s", self.storage_name,
                            str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__)
            return getattr(self._fallback, method)(*args)

    def _refusal(self, kind: str, item: Any, client: str) -> Throttled:
        reset, _remaining = self._call("get_window_stats", item, "mipexr-lab", kind, client)
        return Throttled(kind, max(1, math.ceil(reset - time.time())))

    def hit(self, kind: str, client: str) -> Throttled | None:
        """Count one request of ``kind`` for ``client``; the refusal when a limit is already reached."""
        for item in self.items[kind]:
            if not self._call("hit", item, "mipexr-lab", kind, client):
                return self._refusal(kind, item, client)
        return None

    def test(self, kind: str, client: str) -> Throttled | None:
        """Whether ``client`` is refused for ``kind`` right now (counts nothing)."""
        for item in self.items[kind]:
            if not self._call("test", item, "mipexr-lab", kind, client):
                return self._refusal(kind, item, client)
        return None


def storage_uri() -> str:
    """Where the counts live: ``MIPEXR_REDIS_URL`` when set, else this process's memory (``memory://``)."""
    return os.environ.get(REDIS_URL_ENV, "").strip() or "memory://"


def current_throttle() -> Throttle | None:
    """The running app's throttle (inside one of its requests), else None."""
    try:
        from flask import current_app, has_app_context
    except ImportError:  # pragma: no cover - Flask comes with Dash
        return None
    return current_app.extensions.get(EXTENSION_KEY) if has_app_context() else None


# --------------------------------------------------------------------------------------------
# the client and the origin


def trusted_proxies() -> int:
    """``MIPEXR_TRUSTED_PROXIES`` as a count of reverse proxies (0 when unset or not a whole number ≥ 0)."""
    raw = os.environ.get(TRUSTED_PROXIES_ENV, "").strip()
    if not raw:
        return 0
    try:
        n = int(raw)
    except ValueError:
        n = -1
    if n < 0:
        log.warning("%s=%r is not a whole number ≥ 0: no proxy is trusted", TRUSTED_PROXIES_ENV, raw)
        return 0
    return n


def forwarded(header: str | None, trusted: int) -> str | None:
    """The ``trusted``-th value from the right of a comma-separated ``X-Forwarded-*`` header (None when
    there are fewer values, or no proxy is trusted) — what ``ProxyFix`` reads."""
    if trusted <= 0 or not header:
        return None
    values = [v.strip() for v in header.split(",")]
    if len(values) < trusted:
        return None
    return values[-trusted] or None


def client_address(remote_addr: str | None, forwarded_for: str | None = None, trusted: int = 0) -> str:
    """The address the limits count by (see module doc); ``"unknown"`` when there is none."""
    return forwarded(forwarded_for, trusted) or remote_addr or "unknown"


def normalise_origin(value: str | None) -> str | None:
    """``scheme://host[:port]`` of a URL or origin (lower case, default port dropped); None if not http(s)."""
    if not value:
        return None
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in ("http", "https") or not host:
        return None
    host = f"[{host}]" if ":" in host else host
    if port is None or port == (80 if scheme == "http" else 443):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def origin_allowed(origin: str | None, referer: str | None, own: set[str]) -> bool:
    """Whether a POST's ``Origin`` (else ``Referer``) is one of the app's ``own`` origins; a request with
    neither header is not a browser's cross-site request and passes."""
    given = origin if origin is not None and origin.strip() else referer
    if given is None or not given.strip():
        return True
    found = normalise_origin(given)
    return found is not None and found in own


def _request():
    from flask import has_request_context, request

    return request if has_request_context() else None


def request_client() -> str:
    """The current request's client address (see :func:`client_address`); ``"unknown"`` outside a request."""
    req = _request()
    if req is None:
        return "unknown"
    if "werkzeug.proxy_fix.orig" in req.environ:  # ProxyFix already rewrote remote_addr
        return req.remote_addr or "unknown"
    return client_address(req.remote_addr, req.headers.get("X-Forwarded-For"), trusted_proxies())


def own_origins() -> set[str]:
    """The app's origin for the current request: ``MIPEXR_PUBLIC_URL``'s, else the request's scheme and host."""
    public = normalise_origin(os.environ.get(PUBLIC_URL_ENV, ""))
    if public:
        return {public}
    req = _request()
    if req is None:
        return set()
    scheme, host = req.scheme, req.host
    n = trusted_proxies()
    if n and "werkzeug.proxy_fix.orig" not in req.environ:
        scheme = forwarded(req.headers.get("X-Forwarded-Proto"), n) or scheme
        host = forwarded(req.headers.get("X-Forwarded-Host"), n) or host
    found = normalise_origin(f"{scheme}://{host}")
    return {found} if found else set()


def request_same_origin() -> bool:
    """Whether the current request passes the same-origin check (True outside a request)."""
    req = _request()
    if req is None:
        return True
    return origin_allowed(req.headers.get("Origin"), req.headers.get("Referer"), own_origins())


# --------------------------------------------------------------------------------------------
# secret key and form tokens


def _key_file(var: Path) -> Path:
    return var / SECRET_KEY_FILE


def secret_key() -> str:
    """``MIPEXR_SECRET_KEY``, else the key kept in the var folder (made on first use, mode 0600)."""
    env = os.environ.get(SECRET_KEY_ENV, "").strip()
    if env:
        return env
    from dashboard import config

    path = _key_file(config.var_dir())
    try:
        text = path.read_text(encoding="utf-8").strip()
        if text:
            return text
    except FileNotFoundError:
        pass
    # Write to a private temporary file, then link it into place: a concurrent worker either wins the
    # link or reads the winner's complete key.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(secrets.token_urlsafe(48))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text(encoding="utf-8").strip()


def _serializer():
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(secret_key(), salt=CSRF_SALT)


def new_session_id() -> str:
    return secrets.token_urlsafe(24)


def csrf_token(session_id: str) -> str:
    """The form token of a moderation session (signed, timestamped)."""
    return _serializer().dumps(session_id)


def csrf_valid(token: str | None, session_id: str | None, max_age: int = CSRF_MAX_AGE_S) -> bool:
    """Whether ``token`` was made for ``session_id`` by this app's key less than ``max_age`` seconds ago."""
    from itsdangerous import BadData

    if not token or not session_id or len(token) > 500:
        return False
    try:
        value = _serializer().loads(token, max_age=max_age)
    except BadData:
        return False
    return isinstance(value, str) and hmac.compare_digest(value.encode(), session_id.encode())


# --------------------------------------------------------------------------------------------
# receiving a submission


@dataclass(frozen=True)
class Receipt:
    """What became of a submission. ``outcome``: ``stored`` (``record`` read back after the commit),
    ``ignored`` (the honeypot was filled: answered as if received, nothing stored), ``invalid``
    (``errors``: field → problem), ``throttled`` (``throttled``: the refusal) or ``unavailable``
    (the database failed: nothing confirmed; details only in the log)."""

    outcome: str
    record: PracticeRecord | None = None
    errors: dict[str, str] = field(default_factory=dict)
    throttled: Throttled | None = None
    invalid: SubmissionInvalid | None = None


def receive(data: Any, *, regions: Regions, throttle: Throttle | None, client: str,
            url: str | None = None) -> Receipt:
    """The one path of every submission (API and form): flood limit, honeypot, validation, the limit on
    stored submissions, then the commit and read-back (:func:`repository.store_submission`).

    ``throttle`` None counts nothing (a caller outside a running app, e.g. a test of the plain function)."""
    if throttle is not None:
        refused = throttle.hit("submit-attempt", client)
        if refused is not None:
            log.warning("submission refused: %s limit reached by %s", refused.kind, client)
            return Receipt("throttled", throttled=refused)
    if honeypot_filled(data):
        log.warning("submission from %s ignored: the hidden honeypot field was filled", client)
        return Receipt("ignored")
    try:
        values = repository.prepare_submission(data if isinstance(data, Mapping) else {}, regions=regions)
    except SubmissionInvalid as exc:
        return Receipt("invalid", errors=exc.field_errors, invalid=exc)
    if throttle is not None:
        refused = throttle.hit("submit", client)
        if refused is not None:
            log.warning("submission refused: %s limit reached by %s", refused.kind, client)
            return Receipt("throttled", throttled=refused)
    try:
        rec = repository.store_submission(values, regions=regions, url=url)
    except db.DB_ERRORS:
        log.exception("submission not stored (database %s)", db.redact(url))
        return Receipt("unavailable")
    log.info("submission #%s stored (pending) from %s", rec.id, client)
    return Receipt("stored", record=rec)
