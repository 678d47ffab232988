"""The Integration Lab's moderation page and the moderator-token check.

- ``GET /lab/admin`` — the token form; ``POST /lab/admin`` (``token``) — the pending submissions, each with
  approve and reject buttons; ``POST /lab/admin/<id>/approve|reject`` — the action, then the list again.
- Enabled only when ``MIPEXR_ADMIN_TOKEN`` is set: otherwise every moderation URL answers ``404``; a wrong
  token answers ``403``. The token is taken as ``Authorization: Bearer …``, ``X-Admin-Token`` or a ``token``
  form field and compared in constant time (:func:`hmac.compare_digest`).
- Every POST must come from the app's own pages (``Origin``/``Referer``, :mod:`dashboard.lab.guard`) and
  carry the form token of the browser's moderation session (cookie :data:`SESSION_COOKIE`, set by the
  page; token signed with the app's secret key): otherwise ``403`` and a page that says to reload.
- Wrong tokens are rate-limited per client (``admin-failure``: checked before the token is compared),
  every moderation request too (``moderation``): ``429`` with ``Retry-After`` and a readable page.
- A database failure answers ``503`` with "the practices database is unavailable" (details in the log).

The page is rendered from ``templates/lab_admin.html.j2`` with autoescaping on, in the request's language
(``dashboard.i18n``: the template calls ``_``/``ngettext``; sentences with a link or a command keep them as
``{placeholders}``, cut into pieces by :func:`pieces`). :func:`check_token` is also the check of the moderation
JSON routes (:mod:`dashboard.routes.lab_api`).
"""

from __future__ import annotations

import hmac
import logging
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, request
from sqlalchemy.exc import SQLAlchemyError

from dashboard import i18n, state
from dashboard.i18n import _
from dashboard.lab import db, guard, repository
from dashboard.lab.vocab import (
    ASPECTS,
    ILLUSTRATIVE_NOTE,
    Regions,
    area_label,
    target_label,
)

log = logging.getLogger(__name__)

ADMIN_TOKEN_ENV = "MIPEXR_ADMIN_TOKEN"
SESSION_COOKIE = "mipexr_lab_moderation"
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


def check_token() -> tuple[bool, guard.Throttled | None]:
    """(authorised?, refusal) of a moderation request. A client past its ``admin-failure`` limit is refused
    before its token is even compared; then the request counts against the ``moderation`` limit; a wrong
    token given counts against ``admin-failure``."""
    throttle = guard.current_throttle()
    client = guard.request_client()
    if throttle is not None:
        refused = throttle.test("admin-failure", client) or throttle.hit("moderation", client)
        if refused is not None:
            return False, refused
    if authorised():
        return True, None
    if given_token():
        log.warning("wrong moderator token from %s", client)
        if throttle is not None:
            refused = throttle.hit("admin-failure", client)
            if refused is not None:
                return False, refused
    return False, None


# --------------------------------------------------------------------------------------------
# the moderation session and its form token


def _session_id() -> str | None:
    value = request.cookies.get(SESSION_COOKIE, "")
    return value if 16 <= len(value) <= 64 else None


def _with_session(resp: Response, session_id: str) -> Response:
    if request.cookies.get(SESSION_COOKIE) != session_id:
        resp.set_cookie(SESSION_COOKIE, session_id, httponly=True, samesite="Strict", path="/lab/admin",
                        secure=request.is_secure)
    return resp


def form_refused() -> Response | None:
    """The answer to a moderation form post from another site or without a valid form token; None if fine."""
    if not guard.request_same_origin():
        log.warning("moderation form refused: cross-site post (Origin %r)", request.headers.get("Origin"))
        return render("login", 403, message=_("This form was not sent from this site's own moderation page."),
                      error=True)
    if not guard.csrf_valid(request.form.get("csrf_token"), _session_id()):
        return render("login", 403, message=_("This form has expired or was not sent from this site's moderation "
                                              "page. Please sign in again."), error=True)
    return None


# --------------------------------------------------------------------------------------------
# the page


@lru_cache(maxsize=1)
def _template():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    # translated at render time, in the request's language (the template is compiled once per process)
    env.globals.update(_=i18n.gettext, ngettext=i18n.ngettext, pieces=pieces)
    return env.get_template(TEMPLATE)


def pieces(text: str, **parts: str) -> list[tuple[str, str]]:
    """A translated sentence with ``{name}`` placeholders → ``[("text", …), ("name", value), …]``, so the
    template wraps each placeholder's value in its element (``<code>``, ``<a>``) and escapes every piece."""
    out: list[tuple[str, str]] = []
    for piece in re.split(r"(\{\w+\})", text):
        name = piece[1:-1] if piece.startswith("{") and piece.endswith("}") else None
        if name in parts:
            out.append((name, parts[name]))
        elif piece:
            out.append(("text", piece))
    return out


def render(mode: str, status: int = 200, *, message: str = "", error: bool = False,
           pending: list[dict[str, Any]] | None = None, token: str = "",
           headers: dict[str, str] | None = None) -> Response:
    """The moderation page in one of its modes: ``disabled``, ``login``, ``pending`` or ``unavailable``
    (a message only). Every form on it carries the moderation session's form token."""
    session_id = _session_id() or guard.new_session_id()
    html = _template().render(mode=mode, message=message, error=error, pending=pending or [], token=token,
                              token_env=ADMIN_TOKEN_ENV, note=_(ILLUSTRATIVE_NOTE), lang=i18n.current(),
                              csrf_token=guard.csrf_token(session_id))
    resp = Response(html, status=status, mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Frame-Options"] = "DENY"
    # same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on the form posts, which the
    # same-origin check must refuse
    resp.headers["Referrer-Policy"] = "same-origin"
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return _with_session(resp, session_id)


def throttled_page(refused: guard.Throttled) -> Response:
    return render("login", 429, message=_(refused.message), error=True,
                  headers={"Retry-After": str(refused.retry_after)})


@bp.errorhandler(db.DatabaseUnavailable)
@bp.errorhandler(SQLAlchemyError)
def _database_failed(exc: Exception) -> Response:
    """Any database failure on the moderation page: ``503`` and the plain sentence; details in the log."""
    log.error("Integration Lab database failed on %s %s", request.method, request.path, exc_info=exc)
    return render("unavailable", 503, message=_(db.UNAVAILABLE) + " " + _("Please try again in a moment."),
                  error=True, headers={"Retry-After": "30"})


def pending_fields(rec: repository.PracticeRecord, regions: Regions) -> list[tuple[str, str]]:
    """What a moderator reads of a submission: every answer, the contact and when it arrived."""
    fields = [
        (_("Region"), f"{regions.name(rec.region_id)} ({rec.region_id})"),
        (_("Years"), rec.years_label),
        (_("Policy areas"), ", ".join(_(area_label(a)) for a in rec.policy_areas)),
        (_("Target group"), _(target_label(rec.target_group))),
        (_("Responsible body"), rec.responsible_body),
        (_("Description"), rec.description),
        (_("What the region contributed"), f"{rec.regional_contribution} ({rec.contribution_mode})"),
        (_("Lessons learnt"), rec.lessons_learnt),
        (_("Tips for transferability"), rec.transferability_tips),
    ]
    for key, label in ASPECTS.items():
        a = rec.aspects[key]
        if a["inspiring"] or a["improvement"]:
            text = "\n".join([_("Inspiring: {text}").format(text=a["inspiring"] or "—"),
                              _("Room for improvement: {text}").format(text=a["improvement"] or "—")])
            fields.append((_(label), text))
    fields += [
        (_("Links"), "\n".join(rec.links) or "—"),
        (_("Provenance"), rec.provenance),
        (_("Submitted by"), ", ".join(x for x in (rec.submitter_name, rec.submitter_organisation,
                                                 rec.submitter_email) if x) or "—"),
        (_("Received"), str(rec.created_at or "")),
    ]
    return fields


def _pending_page(message: str = "", status: int = 200) -> Response:
    regions = Regions.from_dataset(state.current())
    items = [{"id": rec.id, "title": rec.title, "fields": pending_fields(rec, regions)}
             for rec in repository.list_pending()]
    return render("pending", status, message=message, pending=items, token=given_token())


def _refused() -> Response | None:
    """The answer to a moderation form post that may not proceed: disabled (404), cross-site or without a
    valid form token (403), rate-limited (429), wrong token (403); None when authorised."""
    if not admin_token():
        return render("disabled", 404)
    refused = form_refused()
    if refused is not None:
        return refused
    ok, limited = check_token()
    if limited is not None:
        return throttled_page(limited)
    if not ok:
        return render("login", 403, message=_("That token is not valid."), error=True)
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
        return _pending_page(_("Unknown action {action}.").format(action=repr(action)), 404)
    try:
        if action == "approve":
            rec = repository.approve(practice_id)
            message = _("Approved #{id} “{title}”: it is now shown on {address}.").format(
                id=rec.id, title=rec.title, address=f"/lab/{rec.id}")
        else:
            rec = repository.reject(practice_id, reason=request.form.get("reason", ""))
            message = _("Rejected #{id} “{title}”.").format(id=rec.id, title=rec.title)
    except repository.PracticeNotFound:
        return _pending_page(_("No practice with id {id}.").format(id=repr(practice_id)), 404)
    return _pending_page(message)
