"""The Integration Lab's moderation page and the moderator-token check.

- ``GET /lab/admin`` — the token form; ``POST /lab/admin`` (``token``) — the pending submissions, each with
  approve and reject buttons; ``POST /lab/admin/<id>/approve|reject`` — the action, then the list again.
- Enabled only when ``MIPEXR_ADMIN_TOKEN`` is set: otherwise every moderation URL answers ``404``; a wrong
  token answers ``403``. The token is taken as ``Authorization: Bearer …``, ``X-Admin-Token`` or a ``token``
  form field and compared in constant time (:func:`hmac.compare_digest`).

The page is rendered from ``templates/lab_admin.html.j2`` with autoescaping on. :func:`authorised` is also
the check of the moderation JSON routes (:mod:`dashboard.routes.lab_api`).
"""

from __future__ import annotations

import hmac
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, request

from dashboard import state
from dashboard.lab import repository
from dashboard.lab.vocab import ASPECTS, ILLUSTRATIVE_NOTE, Regions, area_label, target_label

ADMIN_TOKEN_ENV = "MIPEXR_ADMIN_TOKEN"
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE = "lab_admin.html.j2"

bp = Blueprint("mipexr_lab_admin", __name__)


# --------------------------------------------------------------------------------------------
# the token


def admin_token() -> str:
    """The configured moderator token ("" = moderation over the web is disabled)."""
    return os.environ.get(ADMIN_TOKEN_ENV, "").strip()


def given_token() -> str:
    """The token the request carries (Bearer header, ``X-Admin-Token`` header or ``token`` form field)."""
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return (request.headers.get("X-Admin-Token") or request.form.get("token") or "").strip()


def authorised() -> bool:
    """Whether the request carries the moderator token (timing-safe comparison)."""
    expected = admin_token()
    given = given_token()
    return bool(expected) and bool(given) and hmac.compare_digest(given.encode(), expected.encode())


# --------------------------------------------------------------------------------------------
# the page


@lru_cache(maxsize=1)
def _template():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    return env.get_template(TEMPLATE)


def render(mode: str, status: int = 200, *, message: str = "", error: bool = False,
           pending: list[dict[str, Any]] | None = None, token: str = "") -> Response:
    """The moderation page in one of its modes: ``disabled``, ``login`` or ``pending``."""
    html = _template().render(mode=mode, message=message, error=error, pending=pending or [], token=token,
                              token_env=ADMIN_TOKEN_ENV, note=ILLUSTRATIVE_NOTE)
    resp = Response(html, status=status, mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp


def pending_fields(rec: repository.PracticeRecord, regions: Regions) -> list[tuple[str, str]]:
    """What a moderator reads of a submission: every answer, the contact and when it arrived."""
    fields = [
        ("Region", f"{regions.name(rec.region_id)} ({rec.region_id})"),
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
            text = f"Inspiring: {a['inspiring'] or '—'}\nRoom for improvement: {a['improvement'] or '—'}"
            fields.append((label, text))
    fields += [
        ("Links", "\n".join(rec.links) or "—"),
        ("Provenance", rec.provenance),
        ("Submitted by", ", ".join(x for x in (rec.submitter_name, rec.submitter_organisation,
                                              rec.submitter_email) if x) or "—"),
        ("Received", str(rec.created_at or "")),
    ]
    return fields


def _pending_page(message: str = "", status: int = 200) -> Response:
    regions = Regions.from_dataset(state.current())
    items = [{"id": rec.id, "title": rec.title, "fields": pending_fields(rec, regions)}
             for rec in repository.list_pending()]
    return render("pending", status, message=message, pending=items, token=given_token())


def _refused() -> Response | None:
    """The answer when moderation is disabled (404) or the token is wrong (403); None when authorised."""
    if not admin_token():
        return render("disabled", 404)
    if not authorised():
        return render("login", 403, message="That token is not valid.", error=True)
    return None


@bp.route("/lab/admin", methods=["GET", "POST"])
def admin_page() -> Response:
    if not admin_token():
        return render("disabled", 404)
    if request.method == "GET":
        return render("login")
    return _refused() or _pending_page()


@bp.post("/lab/admin/<practice_id>/<action>")
def admin_action(practice_id: str, action: str) -> Response:
    refused = _refused()
    if refused is not None:
        return refused
    if action not in ("approve", "reject"):
        return _pending_page(f"Unknown action {action!r}.", 404)
    try:
        if action == "approve":
            rec = repository.approve(practice_id)
            message = f"Approved #{rec.id} “{rec.title}”: it is now shown on /lab/{rec.id}."
        else:
            rec = repository.reject(practice_id, reason=request.form.get("reason", ""))
            message = f"Rejected #{rec.id} “{rec.title}”."
    except repository.PracticeNotFound:
        return _pending_page(f"No practice with id {practice_id!r}.", 404)
    return _pending_page(message)
