"""Flask routes of the Integration Lab, registered on a Dash app's server by :func:`init_app`.

- ``POST /lab/api/practices`` — a questionnaire submission (JSON object or form body) → ``201``
  ``{"id", "status": "pending", "message"}``; ``422`` ``{"error", "errors": {field: problem}}``;
  ``400``/``413``/``415`` for an unreadable body; ``503`` if the database could not store it.
  Nothing is lost silently: the answer always says whether the practice was stored.
- ``GET /lab/export.csv`` and ``GET /lab/export.json`` — approved practices (same filter query
  keys as ``/lab``: ``region``, ``country``, ``area``, ``target``, ``aspect``, ``q``).
- ``GET /lab/api/practices/<id>`` — one approved practice as JSON.
- Moderation, only when ``MIPEXR_ADMIN_TOKEN`` is set (otherwise ``404``): the page
  ``/lab/admin`` (token form → pending list with approve/reject buttons) and the JSON routes
  ``GET /lab/api/pending``, ``POST /lab/api/practices/<id>/approve|reject`` taking the token as
  ``Authorization: Bearer …``, ``X-Admin-Token`` or a ``token`` form field.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import time
from html import escape
from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from dashboard.lab import db, migrations, repository, seed
from dashboard.lab.validation import FIELD_LABELS, SubmissionInvalid
from dashboard.lab.vocab import ASPECTS, ILLUSTRATIVE_NOTE, area_label, target_label

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024
ADMIN_TOKEN_ENV = "MIPEXR_ADMIN_TOKEN"
_EXTENSION_KEY = "mipexr_lab"

#: Outcome of the start-up migration: ``None`` when the database is ready, else the reason.
STARTUP_ERROR: str | None = None

bp = Blueprint("mipexr_lab", __name__)


# --------------------------------------------------------------------------------------------
# set-up


def prepare_database(url: str | None = None, *, seed_missing: bool = True) -> str | None:
    """Upgrade the database to head (and add missing seed practices); return an error text or ``None``."""
    try:
        migrations.upgrade(url)
        if seed_missing:
            seed.seed(url)
        return None
    except Exception as exc:  # noqa: BLE001 - the dashboard keeps running without the Lab
        log.exception("Integration Lab database could not be prepared")
        return f"{type(exc).__name__}: {exc}".splitlines()[0][:300] + f" (database {db.redact(url)})"


def init_app(app: Any, *, seed_missing: bool = True) -> None:
    """Register the Lab's routes on ``app.server`` (a Dash app) or on a Flask app, and migrate the DB.

    The database URL (``MIPEXR_DB_URL`` or the default SQLite file, or a URL already set in the Flask
    config under ``MIPEXR_LAB_DB_URL``) is pinned in the app's config: its requests, pages and
    callbacks keep using it. Safe to call twice. A database that cannot be prepared is logged and reported by
    :func:`startup_error`; the rest of the dashboard keeps working.
    """
    global STARTUP_ERROR
    server = getattr(app, "server", app)
    if server.extensions.get(_EXTENSION_KEY):
        return
    url = server.config.setdefault(db.APP_CONFIG_KEY, db.resolve_url())  # pinned for the app's lifetime
    STARTUP_ERROR = prepare_database(url, seed_missing=seed_missing)
    server.register_blueprint(bp)
    server.extensions[_EXTENSION_KEY] = True


def startup_error() -> str | None:
    return STARTUP_ERROR


# --------------------------------------------------------------------------------------------
# helpers


def _json(payload: dict[str, Any], status: int, headers: dict[str, str] | None = None) -> Response:
    resp = jsonify(payload)
    resp.status_code = status
    resp.headers["Cache-Control"] = "no-store"
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


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
        return None, _json({"error": f"Not stored: the submission is larger than {MAX_BODY_BYTES // 1024} KB."}, 413)
    if mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if request.files:
            return None, _json({"error": "Not stored: file uploads are not accepted; give links instead."}, 415)
        return request.form.to_dict(flat=False), None
    if mimetype == "application/json" or mimetype.endswith("+json") or not mimetype:
        body = _read_body()
        if body is None:
            return None, _json({"error": f"Not stored: the submission is larger than {MAX_BODY_BYTES // 1024} KB."}, 413)
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


def _filters() -> repository.PracticeFilter:
    query = {key: request.args.getlist(key) for key in request.args}
    query["q"] = request.args.get("q", "")
    return repository.PracticeFilter.from_query(query)


def _admin_token() -> str:
    return os.environ.get(ADMIN_TOKEN_ENV, "").strip()


def _given_token() -> str:
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return (request.headers.get("X-Admin-Token") or request.form.get("token") or "").strip()


def _authorised() -> bool:
    expected = _admin_token()
    given = _given_token()
    return bool(expected) and bool(given) and hmac.compare_digest(given.encode(), expected.encode())


def _disabled() -> Response:
    return _json({"error": f"Moderation over the web is disabled: set {ADMIN_TOKEN_ENV} to enable it."}, 404)


# --------------------------------------------------------------------------------------------
# public routes


@bp.post("/lab/api/practices")
def submit_practice() -> Response:
    data, problem = _submission_payload()
    if problem is not None:
        return problem
    last_error: Exception | None = None
    for attempt in range(3):
        try:
            rec = repository.create_submission(data or {})
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
            return _json({"error": f"Not stored: the database refused it ({type(exc).__name__}). Please try again."}, 503)
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
    return _json(rec.to_public_dict(), 200)


@bp.get("/lab/export.csv")
def export_csv() -> Response:
    text = repository.export_csv(_filters())
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
    return Response(
        repository.export_json(_filters()).encode("utf-8"),
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
    if not _admin_token():
        return _disabled()
    if not _authorised():
        return _json({"error": "A valid moderator token is required."}, 403)
    return _json({"pending": [_moderator_dict(r) for r in repository.list_pending()]}, 200)


@bp.post("/lab/api/practices/<practice_id>/<action>")
def moderate_json(practice_id: str, action: str) -> Response:
    if not _admin_token():
        return _disabled()
    if not _authorised():
        return _json({"error": "A valid moderator token is required."}, 403)
    if action not in ("approve", "reject"):
        return _json({"error": f"Unknown action {action!r}; use approve or reject."}, 404)
    note = (request.form.get("note") or request.form.get("reason") or "") if request.form else ""
    if request.is_json:
        body = request.get_json(silent=True) or {}
        note = str(body.get("note") or body.get("reason") or "")
    try:
        rec = (repository.approve if action == "approve" else repository.reject)(practice_id, **(
            {"note": note} if action == "approve" else {"reason": note}))
    except repository.PracticeNotFound:
        return _json({"error": f"No practice with id {practice_id!r}."}, 404)
    return _json({"id": rec.id, "status": rec.status}, 200)


def _moderator_dict(rec: repository.PracticeRecord) -> dict[str, Any]:
    d = rec.to_public_dict()
    d.update(submitter_name=rec.submitter_name, submitter_email=rec.submitter_email)
    return d


# --------------------------------------------------------------------------------------------
# moderation page

_PAGE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:60rem;
padding:0 1rem;color:#212529;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin:0 0 .3rem}
.card{border:1px solid #ced4da;border-radius:.5rem;padding:1rem;margin:1rem 0}
.muted{color:#6c757d;font-size:.9rem}.msg{background:#e7f1ff;border:1px solid #9ec5fe;padding:.6rem 1rem;border-radius:.4rem}
.err{background:#f8d7da;border-color:#f1aeb5}
button{padding:.35rem .9rem;border-radius:.3rem;border:1px solid #0d6efd;background:#0d6efd;color:#fff;cursor:pointer}
button.reject{background:#fff;color:#842029;border-color:#842029}
input[type=text],input[type=password]{padding:.3rem .5rem;min-width:16rem}
dt{font-weight:600;margin-top:.4rem}dd{margin-left:0;white-space:pre-wrap}
form.inline{display:inline-block;margin-right:1rem}
"""


def _page(body: str, status: int = 200) -> Response:
    html = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<meta name='robots' content='noindex'>"
        f"<title>Integration Lab — moderation</title><style>{_PAGE_CSS}</style></head><body>"
        "<p><a href='/lab'>← Integration Lab</a></p><h1>Integration Lab — moderation</h1>"
        f"{body}</body></html>"
    )
    resp = Response(html, status=status, mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp


def _login_form(message: str = "", error: bool = False) -> str:
    msg = f"<p class='msg{' err' if error else ''}' role='alert'>{escape(message)}</p>" if message else ""
    return (
        f"{msg}<form method='post' action='/lab/admin'>"
        "<label for='token'>Moderator token</label><br>"
        "<input type='password' id='token' name='token' autocomplete='current-password' required> "
        "<button type='submit' id='lab-admin-login'>Show pending submissions</button></form>"
    )


def _pending_html(token: str, message: str = "") -> str:
    pending = repository.list_pending()
    parts = [f"<p class='msg' role='status' id='lab-admin-message'>{escape(message)}</p>" if message else ""]
    parts.append(f"<p>{len(pending)} submission(s) waiting for approval. Approved practices appear on "
                 "<a href='/lab'>/lab</a> at once; rejected ones are kept but never shown.</p>")
    tok = escape(token)
    for rec in pending:
        fields = [
            ("Region", f"{rec.region_name} ({rec.region_id})"),
            ("Years", rec.years_label),
            ("Policy areas", ", ".join(area_label(a) for a in rec.policy_areas)),
            ("Target group", target_label(rec.target_group)),
            ("Responsible body", rec.responsible_body),
            ("Description", rec.description),
            ("What the region contributed", f"{rec.regional_contribution} ({rec.contribution_mode})"),
            ("Lessons learnt", rec.lessons_learnt),
            ("Tips for transferability", rec.transferability_tips),
        ]
        for key, label in ASPECTS.items():
            a = rec.aspects[key]
            if a["inspiring"] or a["improvement"]:
                fields.append((label, f"Inspiring: {a['inspiring'] or '—'}\nRoom for improvement: {a['improvement'] or '—'}"))
        fields += [
            ("Links", "\n".join(rec.links) or "—"),
            ("Provenance", rec.provenance),
            ("Submitted by", ", ".join(x for x in (rec.submitter_name, rec.submitter_organisation,
                                                  rec.submitter_email) if x) or "—"),
            ("Received", str(rec.created_at or "")),
        ]
        dl = "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(v))}</dd>" for k, v in fields)
        parts.append(
            f"<div class='card' id='pending-{rec.id}'><h2>#{rec.id} {escape(rec.title)}</h2><dl>{dl}</dl>"
            f"<form class='inline' method='post' action='/lab/admin/{rec.id}/approve'>"
            f"<input type='hidden' name='token' value='{tok}'>"
            f"<button type='submit' id='approve-{rec.id}'>Approve #{rec.id}</button></form>"
            f"<form class='inline' method='post' action='/lab/admin/{rec.id}/reject'>"
            f"<input type='hidden' name='token' value='{tok}'>"
            f"<input type='text' name='reason' placeholder='Reason (optional)' aria-label='Reason for rejecting #{rec.id}'> "
            f"<button type='submit' class='reject' id='reject-{rec.id}'>Reject #{rec.id}</button></form></div>"
        )
    parts.append(f"<p class='muted'>{escape(ILLUSTRATIVE_NOTE)}</p>")
    return "".join(parts)


@bp.route("/lab/admin", methods=["GET", "POST"])
def admin_page() -> Response:
    if not _admin_token():
        return _page(f"<p class='msg err'>Moderation over the web is disabled. Set {ADMIN_TOKEN_ENV} on the server "
                     "to enable it, or use <code>python -m dashboard lab list --pending</code> and "
                     "<code>lab approve ID</code>.</p>", 404)
    if request.method == "GET":
        return _page(_login_form())
    if not _authorised():
        return _page(_login_form("That token is not valid.", error=True), 403)
    return _page(_pending_html(_given_token()))


@bp.post("/lab/admin/<practice_id>/<action>")
def admin_action(practice_id: str, action: str) -> Response:
    if not _admin_token():
        return _page("<p class='msg err'>Moderation over the web is disabled.</p>", 404)
    if not _authorised():
        return _page(_login_form("That token is not valid.", error=True), 403)
    if action not in ("approve", "reject"):
        return _page(_pending_html(_given_token(), f"Unknown action {action!r}."), 404)
    try:
        if action == "approve":
            rec = repository.approve(practice_id)
            message = f"Approved #{rec.id} “{rec.title}”: it is now shown on /lab/{rec.id}."
        else:
            rec = repository.reject(practice_id, reason=request.form.get("reason", ""))
            message = f"Rejected #{rec.id} “{rec.title}”."
    except repository.PracticeNotFound:
        return _page(_pending_html(_given_token(), f"No practice with id {practice_id!r}."), 404)
    return _page(_pending_html(_given_token(), message))
