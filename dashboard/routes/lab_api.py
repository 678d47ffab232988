"""Flask routes of the Integration Lab, registered on a Dash app's server by :func:`init_app`.

- ``POST /lab/api/practices`` — a questionnaire submission (JSON object or form body) → ``201``
  ``{"id", "status": "pending", "message"}``; ``422`` ``{"error", "errors": {field: problem}}``;
  ``400``/``413``/``415`` for an unreadable body; ``503`` if the database could not store it.
  Nothing is lost silently: the answer always says whether the practice was stored.
- ``GET /lab/export.csv`` and ``GET /lab/export.json`` — approved practices (same filter query
  keys as ``/lab``: ``region``, ``country``, ``area``, ``target``, ``aspect``, ``q``).
- ``GET /lab/api/practices/<id>`` — one approved practice as JSON.
- Moderation, only when ``MIPEXR_ADMIN_TOKEN`` is set (otherwise ``404``): ``GET /lab/api/pending`` and
  ``POST /lab/api/practices/<id>/approve|reject``, with the token checked by
  :func:`dashboard.routes.lab_admin.authorised`; the moderation page itself is :mod:`dashboard.routes.lab_admin`.

Region names and the resolution of a typed region come from the dataset the app serves.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from dashboard import state
from dashboard.lab import db, migrations, repository, seed
from dashboard.lab.validation import FIELD_LABELS, SubmissionInvalid
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
    server.register_blueprint(bp)
    server.register_blueprint(lab_admin.bp)
    server.extensions[_EXTENSION_KEY] = True


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
    return _json({"error": f"Not stored: the submission is larger than {MAX_BODY_BYTES // 1024} KB."}, 413)


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
            return None, _json({"error": "Not stored: file uploads are not accepted; give links instead."}, 415)
        return request.form.to_dict(flat=False), None
    if mimetype == "application/json" or mimetype.endswith("+json") or not mimetype:
        body = _read_body()
        if body is None:
            return None, _too_large()
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return None, _json({"error": f"Not stored: the body is not valid UTF-8 JSON ({exc})."}, 400)
        if not isinstance(data, dict):
            return None, _json({"error": "Not stored: send one JSON object of questionnaire fields."}, 400)
        return data, None
    return None, _json(
        {"error": f"Not stored: unsupported content type {mimetype!r}; send JSON or a form."}, 415
    )


def _filters(regions: Regions) -> repository.PracticeFilter:
    return repository.PracticeFilter.from_query(request.args.to_dict(flat=False), regions=regions)


def _moderation_refused() -> Response | None:
    if not lab_admin.admin_token():
        return _json({"error": f"Moderation over the web is disabled: set {lab_admin.ADMIN_TOKEN_ENV} to enable it."},
                     404)
    if not lab_admin.authorised():
        return _json({"error": "A valid moderator token is required."}, 403)
    return None


# --------------------------------------------------------------------------------------------
# public routes


@bp.post("/lab/api/practices")
def submit_practice() -> Response:
    data, problem = _submission_payload()
    if problem is not None:
        return problem
    regions = _regions()
    last_error: Exception | None = None
    for attempt in range(3):
        try:
            rec = repository.create_submission(data or {}, regions=regions)
        except SubmissionInvalid as exc:
            payload = exc.as_dict()
            payload["labels"] = {k: FIELD_LABELS.get(k, k) for k in exc.field_errors}
            return _json(payload, 422)
        except OperationalError as exc:  # transient (locked, connection lost): nothing was committed
            last_error = exc
            time.sleep(0.2 * (attempt + 1))
            continue
        except SQLAlchemyError as exc:
            log.exception("submission not stored")
            return _json({"error": f"Not stored: the database refused it ({type(exc).__name__}). "
                                   "Please try again."}, 503)
        return _json(
            {
                "id": rec.id,
                "status": rec.status,
                "message": (
                    f"Thank you. Your practice is stored as submission #{rec.id} and will be shown in the "
                    "Integration Lab once a moderator has approved it."
                ),
            },
            201,
            {"Location": f"/lab/api/practices/{rec.id}"},
        )
    log.error("submission not stored after retries: %s", last_error)
    return _json({"error": "Not stored: the database is busy or unreachable. Please try again in a moment."}, 503)


@bp.get("/lab/api/practices/<practice_id>")
def practice_json(practice_id: str) -> Response:
    try:
        rec = repository.get_practice(practice_id)
    except repository.PracticeNotFound:
        return _json({"error": f"No published practice with id {practice_id!r}."}, 404)
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
        return _json({"error": f"Unknown action {action!r}; use approve or reject."}, 404)
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
        return _json({"error": f"No practice with id {practice_id!r}."}, 404)
    return _json({"id": rec.id, "status": rec.status}, 200)


def _moderator_dict(rec: repository.PracticeRecord, regions: Regions) -> dict[str, Any]:
    d = rec.to_public_dict(regions)
    d.update(submitter_name=rec.submitter_name, submitter_email=rec.submitter_email)
    return d
