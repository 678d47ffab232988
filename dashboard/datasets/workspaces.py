"""Private workspaces: a visitor's own package, kept in the database and found only by its random id.

The id (``secrets.token_urlsafe(32)``, 256 bits) is the only key: there is no listing by anything else, and
every read goes through it, so one browser session never sees another's files. The files live in the
database so whichever worker answers can serve them. A workspace expires ``MIPEXR_WORKSPACE_HOURS`` (default
24) after its last use; expired ones are invisible at once and deleted lazily (:func:`purge_expired` runs on
every :func:`create_workspace`, and ``python -m dashboard datasets purge-workspaces`` runs it by hand).

Bounded cost: one workspace holds at most ``MIPEXR_WORKSPACE_MAX_BYTES`` (default 40 MB), all of them together
at most ``MIPEXR_WORKSPACES_MAX_TOTAL_BYTES`` (default 1 GB); past that a new one is refused until others expire.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, select, update

from dashboard.constants import MAX_FILE_BYTES, MB
from dashboard.datasets import db
from dashboard.datasets.errors import StoreFull, WorkspaceGone
from dashboard.datasets.models import Workspace, WorkspaceFile, utcnow
from dashboard.datasets.package import (
    Validator,
    check_files,
    package_folder,
    package_sha256,
    run_validator,
)
from dashboard.i18n import _

log = logging.getLogger(__name__)

DEFAULT_HOURS = 24.0
DEFAULT_MAX_BYTES = 2 * MAX_FILE_BYTES
DEFAULT_MAX_TOTAL_BYTES = 1024 * MB
#: ``last_used`` (and the expiry) is written at most this often per workspace, not on every read.
TOUCH_EVERY = dt.timedelta(minutes=5)
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _env_number(name: str, default: float, minimum: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        log.warning("%s=%r is not a number; using %s", name, raw, default)
        return default
    return max(minimum, value)


def lifetime() -> dt.timedelta:
    return dt.timedelta(hours=_env_number("MIPEXR_WORKSPACE_HOURS", DEFAULT_HOURS, 0.0))


def max_bytes() -> int:
    return int(_env_number("MIPEXR_WORKSPACE_MAX_BYTES", DEFAULT_MAX_BYTES, 1))


def max_total_bytes() -> int:
    return int(_env_number("MIPEXR_WORKSPACES_MAX_TOTAL_BYTES", DEFAULT_MAX_TOTAL_BYTES, 1))


@dataclass(frozen=True)
class WorkspaceInfo:
    id: str
    created_at: dt.datetime
    last_used: dt.datetime
    expires_at: dt.datetime
    total_bytes: int
    package_sha256: str  # changes only if the files change: a cache key together with ``id``


def _well_formed(workspace_id: object) -> bool:
    return isinstance(workspace_id, str) and bool(_ID_RE.match(workspace_id))


def _gone() -> WorkspaceGone:
    return WorkspaceGone(_("this private workspace has expired or does not exist; load your files again"))


def create_workspace(files: Mapping[str, bytes], *, validate: Validator, url: str | None = None) -> str:
    """Validate a visitor's package (temp folder always removed) and keep it privately; the new workspace id."""
    limit = max_bytes()
    infos = check_files(files, max_bytes=limit)
    total = sum(i.size for i in infos)
    run_validator(files, validate)
    purge_expired(url=url)
    now = utcnow()
    workspace_id = secrets.token_urlsafe(32)
    with db.session_scope(url, write=True) as session:
        held = session.scalar(select(func.coalesce(func.sum(Workspace.total_bytes), 0))
                              .where(Workspace.expires_at > now))
        if int(held or 0) + total > max_total_bytes():
            raise StoreFull(_("the server holds too many private workspaces right now; please try again later"))
        ws = Workspace(id=workspace_id, created_at=now, last_used=now, expires_at=now + lifetime(),
                       total_bytes=total, package_sha256=package_sha256(infos))
        ws.files = [WorkspaceFile(name=i.name, resource=i.resource, size=i.size, sha256=i.sha256,
                                  content=bytes(files[i.name])) for i in infos]
        session.add(ws)
    return workspace_id


def _live(session, workspace_id: str, now: dt.datetime) -> Workspace | None:
    ws = session.get(Workspace, workspace_id)
    if ws is None or ws.expires_at <= now:
        return None
    return ws


def _touch(ws: Workspace, now: dt.datetime, url: str | None) -> None:
    """Record the use (a separate short write, and only every :data:`TOUCH_EVERY`): the expiry slides."""
    if now - ws.last_used < TOUCH_EVERY:
        return
    with db.session_scope(url, write=True) as session:
        session.execute(update(Workspace).where(Workspace.id == ws.id, Workspace.expires_at > now)
                        .values(last_used=now, expires_at=now + lifetime()))


def workspace_info(workspace_id: object, *, url: str | None = None) -> WorkspaceInfo | None:
    """The workspace's metadata (and it counts as used), or ``None`` if it does not exist or has expired."""
    if not _well_formed(workspace_id):
        return None
    now = utcnow()
    with db.session_scope(url) as session:
        ws = _live(session, workspace_id, now)
        if ws is None:
            return None
    _touch(ws, now, url)
    return WorkspaceInfo(ws.id, ws.created_at, ws.last_used, ws.expires_at, int(ws.total_bytes), ws.package_sha256)


def workspace_files(workspace_id: object, *, url: str | None = None) -> dict[str, bytes]:
    """The workspace's package ``{name: bytes}``; :class:`WorkspaceGone` if it does not exist or expired."""
    if not _well_formed(workspace_id):
        raise _gone()
    now = utcnow()
    with db.session_scope(url) as session:
        ws = _live(session, workspace_id, now)
        if ws is None:
            raise _gone()
        rows = session.execute(select(WorkspaceFile.name, WorkspaceFile.content)
                               .where(WorkspaceFile.workspace_id == workspace_id))
        files = {name: bytes(content) for name, content in rows}
    _touch(ws, now, url)
    return files


@contextmanager
def workspace_folder(workspace_id: object, *, url: str | None = None) -> Iterator[Path]:
    """The workspace's package in a temp folder for the block (e.g. to load it), removed afterwards."""
    with package_folder(workspace_files(workspace_id, url=url)) as folder:
        yield folder


def drop_workspace(workspace_id: object, *, url: str | None = None) -> bool:
    """Delete the workspace and its files; whether there was one."""
    if not _well_formed(workspace_id):
        return False
    with db.session_scope(url, write=True) as session:
        session.execute(delete(WorkspaceFile).where(WorkspaceFile.workspace_id == workspace_id))
        return session.execute(delete(Workspace).where(Workspace.id == workspace_id)).rowcount > 0


def purge_expired(*, url: str | None = None, now: dt.datetime | None = None) -> int:
    """Delete every expired workspace with its files; how many."""
    now = now or utcnow()
    with db.session_scope(url, write=True) as session:
        expired = select(Workspace.id).where(Workspace.expires_at <= now)
        session.execute(delete(WorkspaceFile).where(WorkspaceFile.workspace_id.in_(expired)))
        count = session.execute(delete(Workspace).where(Workspace.expires_at <= now)).rowcount
    if count:
        log.info("purged %d expired private workspace(s)", count)
    return int(count or 0)
