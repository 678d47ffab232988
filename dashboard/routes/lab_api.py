"""Flask routes of the Integration Lab, registered on a Dash app's server by :func:`init_app`.

- ``POST /lab/api/practices`` — a questionnaire submission (JSON object or form body) → ``201``
  ``{"id", "status": "pending", "message"}`` only once the row is committed and read back;
  ``422`` ``{"error", "errors": {field: problem}}``; ``400``/``413``/``415`` for an unreadable body;
  ``403`` for a browser post from another site (:func:`dashboard.lab.guard.origin_allowed`); ``429`` with
  ``Retry-After`` past the client's rate limit; ``503`` "the practices database is unavailable".
  A filled honeypot field gets a ``201`` that looks like the others, without an id, and nothing is stored.
  Every submission takes :func:`dashboard.lab.guard.receive`, like the Dash form's.
- ``GET /lab/export.csv`` and ``GET /lab/export.json`` — approved practices (same filter query
  keys as ``/lab``: ``region``, ``country``, ``area``, ``target``, ``aspect``, ``q``).
- ``GET /lab/api/practices/<id>`` — one approved practice as JSON.
- Moderation, only when ``MIPEXR_ADMIN_TOKEN`` is set (otherwise ``404``): ``GET /lab/api/pending`` and
  ``POST /lab/api/practices/<id>/approve|reject``, with the token checked by
  :func:`dashboard.routes.lab_admin.check_token` (wrong tokens are rate-limited); the moderation page
  itself is :mod:`dashboard.routes.lab_admin`.

Any database failure in these routes answers ``503`` with :data:`dashboard.lab.db.UNAVAILABLE` (details in
the log only). Messages meant for people (``error``, ``message``, ``labels``) are in the request's language
(``?lang=``, the page that sent it, ``Accept-Language``: :mod:`dashboard.i18n.web`); keys and codes are not.
:func:`init_app` also gives the app its rate-limit counter (flask-limiter, see
:mod:`dashboard.lab.guard`). Region names and the resolution of a typed region come from the dataset
the app serves.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy.exc import SQLAlchemyError

from dashboard import state
from dashboard.i18n import N_, _
from dashboard.lab import db, guard, migrations, repository, seed
from dashboard.lab.validation import FIELD_LABELS
from dashboard.lab.vocab import Regions
from dashboard.routes import lab_admin

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024
_EXTENSION_KEY = "mipexr_lab"

bp = Blueprint("mipexr_lab_api", __name__)


# --------------------------------------------------------------------------------------------
# set-up


def prepare_database(url: str | None = None, *, seed_missing: bool = True) -> str | None:
    """Upgrade the database to head (and add missing seed practices); return an error text or ``None``."""
    try:
        migrations.upgrade(url)
        if seed_missing:
            seed.seed(url, regions=Regions.from_dataset(state.current()))
        return None
    except Exception as exc:  # noqa: BLE001 - the dashboard keeps running without the Lab
        log.exception("Integration Lab database could not be prepared")
        return f"{type(exc).__name__}: {exc}".splitlines()[0][:300] + f" (database {db.redact(url)})"


def init_app(app: Any, *, seed_missing: bool = True) -> None:
    """Register the Lab's routes (these and the moderation page) on ``app.server`` (a Dash app) or on a
    Flask app, and migrate the database.

    The database URL (``MIPEXR_DB_URL`` or the default SQLite file, or a URL already set in the Flask
    config under ``MIPEXR_LAB_DB_URL``) is pinned in the app's config: its requests, pages and
    callbacks keep using it. Safe to call twice. A database that cannot be prepared is logged and
    recorded in the app's config (:func:`startup_error`); the rest of the dashboard keeps working.
    """
    server = getattr(app, "server", app)
    if server.extensions.get(_EXTENSION_KEY):
        return
    url = server.config.setdefault(db.APP_CONFIG_KEY, db.resolve_url())  # pinned for the app's lifetime
    server.config[db.STARTUP_ERROR_KEY] = prepare_database(url, seed_missing=seed_missing)
    install_throttle(server)
    server.register_blueprint(bp)
    server.register_blueprint(lab_admin.bp)
    server.extensions[_EXTENSION_KEY] = True


def install_throttle(server: Any) -> guard.Throttle:
    """Give a Flask app its Lab rate-limit counter: a flask-limiter ``Limiter`` (moving window, keyed by
    :func:`dashboard.lab.guard.request_client`) on ``MIPEXR_REDIS_URL`` or memory, wrapped in a
    :class:`~dashboard.lab.guard.Throttle` kept in ``server.extensions``, with :data:`guard.LIMITS` (a dict in
    the app's config under ``MIPEXR_LAB_RATE_LIMITS`` overrides some). Each app counts on its own (in
    memory) or shares Redis with every worker."""
    from flask_limiter import Limiter
    from limits.errors import ConfigurationError

    uri = guard.storage_uri()
    limiter = Limiter(key_func=guard.request_client, storage_uri=uri, strategy="moving-window",
                      key_prefix="mipexr-lab", headers_enabled=False)
    try:
        limiter.init_app(server)
    except ConfigurationError as exc:
        scheme = uri.split(":", 1)[0]
        raise ValueError(f"{guard.REDIS_URL_ENV} must be a redis:// (or rediss://) URL, not a {scheme!r} one "
                         f"({type(exc).__name__})") from None
    limits = {**guard.LIMITS, **(server.config.get(guard.LIMITS_CONFIG_KEY) or {})}
    throttle = guard.Throttle(limiter.limiter, storage_name="memory" if uri == "memory://" else "redis", limits=limits)
    server.extensions[guard.EXTENSION_KEY] = throttle
    return throttle


def startup_error(app: Any) -> str | None:
    """Why the app's Lab database could not be prepared at start (None when it is ready)."""
    return getattr(app, "server", app).config.get(db.STARTUP_ERROR_KEY)


# --------------------------------------------------------------------------------------------
# helpers


def _json(payload: dict[str, Any], status: int, headers: dict[str, str] | None = None) -> Response:
    resp = jsonify(payload)
    resp.status_code = status
    resp.headers["Cache-Control"] = "no-store"
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def _regions() -> Regions:
    return Regions.from_dataset(state.current())


def _too_large() -> Response:
    return _json({"error": _("Not stored: the submission is larger than {n} KB.").format(n=MAX_BODY_BYTES // 1024)},
                 413)


def _read_body() -> bytes | None:
    """The request body, or ``None`` when it is larger than :data:`MAX_BODY_BYTES`."""
    length = request.content_length
    if length is not None and length > MAX_BODY_BYTES:
        return None
    data = request.stream.read(MAX_BODY_BYTES + 1) if length is None else request.get_data(cache=True)
    return None if len(data) > MAX_BODY_BYTES else data


def _submission_payload() -> tuple[dict[str, Any] | None, Response | None]:
    mimetype = (request.mimetype or "").lower()
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return None, _too_large()
    if mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if request.files:
            return None, _json({"error": _("Not stored: file uploads are not accepted; give links instead.")}, 415)
        return request.form.to_dict(flat=False), None
    if mimetype == "application/json" or mimetype.endswith("+json") or not mimetype:
        body = _read_body()
        if body is None:
            return None, _too_large()
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:  # ValueError: also numbers too long to read
            return None, _json({"error": _("Not stored: the body is not valid UTF-8 JSON ({detail}).").format(
                detail=str(exc)[:200])}, 400)
        if not isinstance(data, dict):
            return None, _json({"error": _("Not stored: send one JSON object of questionnaire fields.")}, 400)
        return data, None
    return None, _json(
        {"error": _("Not stored: unsupported content type {type}; send JSON or a form.").format(type=repr(mimetype))},
        415
    )


def _filters(regions: Regions) -> repository.PracticeFilter:
    return repository.PracticeFilter.from_query(request.args.to_dict(flat=False), regions=regions)


def throttled_json(refused: guard.Throttled) -> Response:
    """``429`` with the plain reason and ``Retry-After``."""
    return _json({"error": refused.message}, 429, {"Retry-After": str(refused.retry_after)})


def cross_site_json() -> Response:
    return _json({"error": _("Not accepted: the request did not come from this site's own pages.")}, 403)


def unavailable_json(stored_nothing: bool = True) -> Response:
    text = (_("Not stored: {reason} Please try again in a moment.") if stored_nothing
            else _("{reason} Please try again in a moment."))
    return _json({"error": text.format(reason=_(db.UNAVAILABLE))}, 503, {"Retry-After": "30"})


@bp.errorhandler(db.DatabaseUnavailable)
@bp.errorhandler(SQLAlchemyError)
def _database_failed(exc: Exception) -> Response:
    """Any database failure in these routes: ``503`` and the plain sentence; the details go to the log."""
    log.error("Integration Lab database failed on %s %s", request.method, request.path, exc_info=exc)
    return unavailable_json(stored_nothing=request.path == "/lab/api/practices")


def _moderation_refused() -> Response | None:
    """The answer to a moderation request that may not proceed (disabled, cross-site, rate-limited, wrong
    token); None when it may."""
    if not lab_admin.admin_token():
        return _json({"error": _("Moderation over the web is disabled: set {setting} to enable it.").format(
            setting=lab_admin.ADMIN_TOKEN_ENV)}, 404)
    if request.method == "POST" and not guard.request_same_origin():
        return cross_site_json()
    ok, refused = lab_admin.check_token()
    if refused is not None:
        return throttled_json(refused)
    if not ok:
        return _json({"error": _("A valid moderator token is required.")}, 403)
    return None


# --------------------------------------------------------------------------------------------
# public routes


@bp.post("/lab/api/practices")
def submit_practice() -> Response:
    if not guard.request_same_origin():
        log.warning("submission refused: cross-site post (Origin %r, Referer %r)",
                    request.headers.get("Origin"), request.headers.get("Referer"))
        return cross_site_json()
    data, problem = _submission_payload()
    if problem is not None:
        return problem
    receipt = guard.receive(data or {}, regions=_regions(), throttle=guard.current_throttle(),
                            client=guard.request_client())
    if receipt.outcome == "throttled":
        return throttled_json(receipt.throttled)
    if receipt.outcome == "invalid":
        payload = receipt.invalid.as_dict()
        payload["labels"] = {k: FIELD_LABELS.get(k, k) for k in receipt.errors}
        return _json(payload, 422)
    if receipt.outcome == "unavailable":
        return unavailable_json()
    if receipt.outcome == "ignored":  # the honeypot: looks received, nothing stored
        return _json({"status": "pending", "message": _(_THANKS)}, 201)
    rec = receipt.record
    return _json({"id": rec.id, "status": rec.status, "message": _(_THANKS_NUMBERED).format(number=rec.id)},
                 201, {"Location": f"/lab/api/practices/{rec.id}"})


_THANKS = N_("Thank you. Your practice is stored and will be shown in the Integration Lab once a moderator "
             "has approved it.")
_THANKS_NUMBERED = N_("Thank you. Your practice is stored as submission #{number} and will be shown in the "
                      "Integration Lab once a moderator has approved it.")


@bp.get("/lab/api/practices/<practice_id>")
def practice_json(practice_id: str) -> Response:
    try:
        rec = repository.get_practice(practice_id)
    except repository.PracticeNotFound:
        return _json({"error": _("No published practice with id {id}.").format(id=repr(practice_id))}, 404)
    return _json(rec.to_public_dict(_regions()), 200)


@bp.get("/lab/export.csv")
def export_csv() -> Response:
    regions = _regions()
    text = repository.export_csv(_filters(regions), regions=regions)
    return Response(
        text.encode("utf-8-sig"),
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": 'attachment; filename="mipexr-integration-lab-practices.csv"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


@bp.get("/lab/export.json")
def export_json() -> Response:
    regions = _regions()
    return Response(
        repository.export_json(_filters(regions), regions=regions).encode("utf-8"),
        mimetype="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="mipexr-integration-lab-practices.json"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


# --------------------------------------------------------------------------------------------
# moderation (JSON)


@bp.get("/lab/api/pending")
def pending_json() -> Response:
    refused = _moderation_refused()
    if refused is not None:
        return refused
    regions = _regions()
    return _json({"pending": [_moderator_dict(r, regions) for r in repository.list_pending()]}, 200)


@bp.post("/lab/api/practices/<practice_id>/<action>")
def moderate_json(practice_id: str, action: str) -> Response:
    refused = _moderation_refused()
    if refused is not None:
        return refused
    if action not in ("approve", "reject"):
        return _json({"error": _("Unknown action {action}; use approve or reject.").format(action=repr(action))}, 404)
    note = (request.form.get("note") or request.form.get("reason") or "") if request.form else ""
    if request.is_json:
        body = request.get_json(silent=True)
        body = body if isinstance(body, dict) else {}
        note = str(body.get("note") or body.get("reason") or "")
    try:
        if action == "approve":
            rec = repository.approve(practice_id, note=note)
        else:
            rec = repository.reject(practice_id, reason=note)
    except repository.PracticeNotFound:
        return _json({"error": _("No practice with id {id}.").format(id=repr(practice_id))}, 404)
    return _json({"id": rec.id, "status": rec.status}, 200)


def _moderator_dict(rec: repository.PracticeRecord, regions: Regions) -> dict[str, Any]:
    d = rec.to_public_dict(regions)
    d.update(submitter_name=rec.submitter_name, submitter_email=rec.submitter_email)
    return d
