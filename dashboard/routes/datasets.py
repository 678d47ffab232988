"""Flask routes of the dataset store, registered on the Dash app's server by :func:`init_app`.

- ``GET /datasets`` — JSON: the published pointer and the saved versions' public metadata (no file contents,
  no ``created_by``), newest first (at most :data:`LIST_LIMIT`).
- ``POST /datasets/<id>/publish``, ``POST /datasets/rollback``, ``POST /datasets/reset`` — change what every
  visitor sees. They need the admin token (``MIPEXR_ADMIN_TOKEN``) as ``Authorization: Bearer <token>`` or a
  ``token`` form field: ``403`` without it, with a wrong one, or when the server has no token (the web is then
  read-only for the shared data; the CLI still publishes). Optional ``expected_generation`` (form, JSON or
  query) makes the change conditional: ``409`` if someone else published meanwhile. Optional ``by`` (a name
  for the audit). ``200`` JSON ``{"message", "version_id", "generation"}``; ``404`` unknown version.
- A database that cannot be reached answers ``503`` with a plain sentence; the details go to the log only.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy.exc import SQLAlchemyError

from dashboard import datasets
from dashboard.i18n import N_, _
from dashboard.lab import db as lab_db

log = logging.getLogger(__name__)

bp = Blueprint("mipexr_datasets", __name__)

MAX_BODY_BYTES = 64 * 1024
LIST_LIMIT = 200
MAX_BY_CHARS = 100
#: Flask config key: why the dataset tables could not be prepared at start (absent/None: ready).
STARTUP_ERROR_KEY = "MIPEXR_DATASETS_STARTUP_ERROR"
RETRY_PREPARE_SECONDS = 30.0
_EXTENSION_KEY = "mipexr_datasets"

#: Answers of a 503 (English; sent in the request's language).
UNAVAILABLE_TEXT = N_("The shared datasets are unavailable right now; nothing was changed. Please try again in a "
                      "moment.")
LIST_UNAVAILABLE_TEXT = N_("The list of datasets is unavailable right now. Please try again in a moment.")


def _json(payload: dict[str, Any], status: int = 200) -> Response:
    response = jsonify(payload)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def _error(message: str, status: int, **extra: Any) -> Response:
    return _json({"error": message, **extra}, status)


def _sentence(text: object) -> str:
    text = str(text).strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _ready() -> bool:
    """Whether the dataset tables are usable; a failed start-up preparation is retried every 30 s."""
    problem = current_app.config.get(STARTUP_ERROR_KEY)
    if not problem:
        return True
    state = current_app.extensions.setdefault(_EXTENSION_KEY, {})
    now = time.monotonic()
    if now - state.get("last_try", float("-inf")) < RETRY_PREPARE_SECONDS:
        return False
    state["last_try"] = now
    problem = datasets.prepare_database(lab_db.resolve_url())
    current_app.config[STARTUP_ERROR_KEY] = problem
    return problem is None


def _given_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return (request.form.get("token") or "").strip()


def _params() -> dict[str, Any]:
    body = request.get_json(silent=True) if request.is_json else None
    params: dict[str, Any] = dict(request.args.items())
    params.update(request.form.items())
    if isinstance(body, dict):
        params.update(body)
    return params


def _expected_generation(params: dict[str, Any]) -> int | None:
    raw = params.get("expected_generation")
    if raw is None or str(raw).strip() == "":
        return None
    text = str(raw).strip()
    if isinstance(raw, bool) or not text.isdigit() or len(text) > 18:
        raise ValueError(_("expected_generation must be a whole number (the generation you loaded)"))
    return int(text)


def _by(params: dict[str, Any]) -> str:
    name = " ".join(str(params.get("by") or "").replace("\x00", "").split())[:MAX_BY_CHARS]
    return f"web: {name}" if name else "web (admin token)"


def _change(action: str, version_id: str | None = None) -> Response:
    if (request.content_length or 0) > MAX_BODY_BYTES:
        return _error(_("The request is too large."), 413)
    try:
        datasets.require_admin(_given_token())
    except datasets.NotAuthorised as exc:
        return _error(_sentence(exc), 403)
    params = _params()
    try:
        expected = _expected_generation(params)
    except ValueError as exc:
        return _error(_sentence(exc), 400)
    if not _ready():
        return _error(_(UNAVAILABLE_TEXT), 503)
    by = _by(params)
    try:
        if action == "publish":
            result = datasets.publish(version_id, by=by, expected_generation=expected)
            message = _("Version {id} is now shown to everyone.").format(id=result.version_id)
        elif action == "rollback":
            result = datasets.rollback(by=by, expected_generation=expected)
            message = (_("Rolled back: the embedded data is now shown to everyone.") if result.version_id is None
                       else _("Rolled back: version {id} is now shown to everyone.").format(id=result.version_id))
        else:
            result = datasets.reset(by=by, expected_generation=expected)
            message = _("Reset: the embedded data is now shown to everyone.")
    except datasets.VersionNotFound as exc:
        return _error(_sentence(exc), 404)
    except datasets.Conflict as exc:
        return _error(_("Not changed: {reason}.").format(reason=exc), 409, generation=exc.actual)
    except datasets.NothingToRollBack as exc:
        return _error(_sentence(exc), 409)
    except (datasets.StoreUnavailable, SQLAlchemyError, OSError):
        log.exception("dataset %s failed: database problem", action)
        return _error(_(UNAVAILABLE_TEXT), 503)
    return _json({"message": message, "version_id": result.version_id, "generation": result.generation})


@bp.post("/datasets/<version_id>/publish")
def publish_version(version_id: str) -> Response:
    return _change("publish", version_id)


@bp.post("/datasets/rollback")
def rollback() -> Response:
    return _change("rollback")


@bp.post("/datasets/reset")
def reset() -> Response:
    return _change("reset")


@bp.get("/datasets")
def list_datasets() -> Response:
    if not _ready():
        return _error(_(LIST_UNAVAILABLE_TEXT), 503)
    try:
        pointer = datasets.publication()
        versions = datasets.list_versions(limit=LIST_LIMIT)
    except (datasets.StoreUnavailable, SQLAlchemyError, OSError):
        log.exception("listing datasets failed: database problem")
        return _error(_(LIST_UNAVAILABLE_TEXT), 503)
    return _json({
        "published": {
            "version_id": pointer.version_id,
            "generation": pointer.generation,
            "published_at": pointer.published_at.isoformat() if pointer.published_at else None,
        },
        "web_publishing": datasets.web_publishing_enabled(),
        "versions": [v.public_dict() for v in versions],
    })


def init_app(app: Any) -> None:
    """Register the routes on ``app.server`` (a Dash app) or a Flask app and upgrade the dataset tables.

    The database URL is pinned in the app's config exactly as the Integration Lab pins it (same key, so both
    use one database). A database that cannot be prepared is logged; the routes answer 503 and retry the
    preparation every 30 s, and the rest of the dashboard keeps working. Safe to call twice.
    """
    server = getattr(app, "server", app)
    if "mipexr_datasets" in server.blueprints:
        return
    url = server.config.setdefault(lab_db.APP_CONFIG_KEY, lab_db.resolve_url())
    server.config[STARTUP_ERROR_KEY] = datasets.prepare_database(url)
    server.register_blueprint(bp)


__all__ = ["bp", "init_app"]
