"""Dataset versions and the published pointer: save, list, read, materialise, publish, roll back, reset.

Every function opens its own short transaction on the database at ``url`` (default: the Lab's URL
resolution, :func:`dashboard.lab.db.resolve_url`) and returns plain frozen records, never ORM objects.

Publishing is optimistic: :func:`published` gives ``(version_id, generation)``; pass that generation back as
``expected_generation`` and the change happens only if nobody changed the pointer meanwhile, else
:class:`~dashboard.datasets.errors.Conflict` (nothing is lost: the caller reloads and decides again). The
change itself is serialised (SQLite ``BEGIN IMMEDIATE``; PostgreSQL ``SELECT … FOR UPDATE``) and guarded by
``UPDATE … WHERE generation = <read>``. Every change is one :class:`AuditRecord`.

Rollback walks the audit as a stack: publish and reset push, rollback pops, so rolling back twice goes
two publications back (and a rollback of the first publication returns to the embedded data).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dashboard.datasets import db
from dashboard.datasets.errors import (
    Conflict,
    NothingToRollBack,
    PackageRefused,
    VersionNotFound,
)
from dashboard.datasets.models import (
    AuditEntry,
    DatasetFile,
    DatasetVersion,
    PublishedPointer,
    utcnow,
)
from dashboard.datasets.package import (
    FileInfo,
    Validator,
    check_files,
    package_folder,
    package_sha256,
    run_validator,
    write_package,
)
from dashboard.i18n import _

log = logging.getLogger(__name__)

MIN_EDITION, MAX_EDITION = 1900, 2100
MAX_SOURCE_CHARS = 500
MAX_NOTE_CHARS = 2000
MAX_BY_CHARS = 200
POINTER_ID = 1


class Published(NamedTuple):
    """What every worker should show: a version id (``None``: the embedded data) and the pointer's generation."""

    version_id: int | None
    generation: int


@dataclass(frozen=True)
class Publication:
    version_id: int | None
    generation: int
    published_at: dt.datetime | None
    published_by: str


@dataclass(frozen=True)
class VersionInfo:
    id: int
    created_at: dt.datetime
    created_by: str
    source: str
    editions: tuple[int, ...]
    note: str
    status: str
    total_bytes: int
    package_sha256: str
    files: tuple[FileInfo, ...]
    published: bool = False

    def public_dict(self) -> dict[str, Any]:
        """Metadata safe to show anyone: no file contents, no ``created_by`` (it may be an e-mail address)."""
        return {
            "id": self.id,
            "created_at": self.created_at.isoformat(),
            "source": self.source,
            "editions": list(self.editions),
            "note": self.note,
            "status": self.status,
            "published": self.published,
            "total_bytes": self.total_bytes,
            "sha256": self.package_sha256,
            "files": [{"name": f.name, "resource": f.resource, "bytes": f.size, "sha256": f.sha256}
                      for f in self.files],
        }


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: dt.datetime
    by: str
    action: str
    from_version_id: int | None
    to_version_id: int | None
    generation: int


# --------------------------------------------------------------------------------------------
# set-up


def prepare_database(url: str | None = None) -> str | None:
    """Upgrade the dataset tables to the newest schema; ``None`` when ready, else the reason (also logged)."""
    from dashboard.datasets import migrations

    try:
        migrations.upgrade(url)
        return None
    except Exception as exc:  # noqa: BLE001 - the dashboard keeps serving the embedded data without it
        log.exception("dataset store could not be prepared")
        return f"{type(exc).__name__}: {exc}".splitlines()[0][:300] + f" (database {db.redact(url)})"


# --------------------------------------------------------------------------------------------
# metadata checks


def normalise_editions(values: Iterable[Any] | None) -> tuple[int, ...]:
    """Sorted distinct edition years (``2021``, ``"2021"``); anything else is refused."""
    years: set[int] = set()
    for value in values or ():
        text = str(value).strip()
        if isinstance(value, bool) or not text.isdigit() or not MIN_EDITION <= int(text) <= MAX_EDITION:
            raise PackageRefused(_("edition {edition} is not a year between {lo} and {hi}").format(
                edition=repr(str(value)[:20]), lo=MIN_EDITION, hi=MAX_EDITION))
        years.add(int(text))
    return tuple(sorted(years))


def clean_text(value: Any, field: str, max_chars: int, *, required: bool = False) -> str:
    """``value`` as text without NUL characters (PostgreSQL refuses them), at most ``max_chars`` long."""
    text = "" if value is None else str(value).replace("\x00", "").strip()
    if required and not text:
        raise PackageRefused(_("{field} is required").format(field=field))
    if len(text) > max_chars:
        raise PackageRefused(_("{field} is longer than {max} characters").format(field=field, max=max_chars))
    return text


def version_id_of(value: Any) -> int:
    """A version id from an int or a digit string (CLI, URL), else :class:`VersionNotFound`."""
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or len(text) > 12:
        raise VersionNotFound(_("no dataset version {id} (ids are whole numbers; see 'datasets list')").format(
            id=repr(text[:20])))
    return int(text)


# --------------------------------------------------------------------------------------------
# versions


def save_version(files: Mapping[str, bytes], *, validate: Validator, created_by: str, source: str = "",
                 editions: Iterable[Any] | None = (), note: str = "", url: str | None = None) -> VersionInfo:
    """Validate a package and store it as a new (unpublished) version; its :class:`VersionInfo`.

    ``files``: the package folder's files, ``datapackage.json`` included (``{relative name: bytes}``).
    ``validate(folder)`` runs on the package unpacked in a temp folder that is removed afterwards, whether it
    passed or not; it raises (e.g. :class:`~dashboard.errors.InputError`) to refuse the package, which is then
    not stored (:class:`~dashboard.datasets.errors.DatasetInvalid` with its message).
    """
    infos = check_files(files)
    created_by = clean_text(created_by, "created_by", MAX_BY_CHARS, required=True)
    source = clean_text(source, "source", MAX_SOURCE_CHARS)
    note = clean_text(note, "note", MAX_NOTE_CHARS)
    years = normalise_editions(editions)
    run_validator(files, validate)  # outside any transaction: validation may take seconds
    with db.session_scope(url, write=True) as session:
        version = DatasetVersion(created_at=utcnow(), created_by=created_by, source=source, editions=list(years),
                                 note=note, status="validated", total_bytes=sum(i.size for i in infos),
                                 package_sha256=package_sha256(infos))
        version.files = [DatasetFile(name=i.name, resource=i.resource, size=i.size, sha256=i.sha256,
                                     content=bytes(files[i.name])) for i in infos]
        session.add(version)
        session.flush()
        return _info(version, tuple(infos), published=False)


def _info(v: DatasetVersion, files: tuple[FileInfo, ...], published: bool) -> VersionInfo:
    return VersionInfo(id=v.id, created_at=v.created_at, created_by=v.created_by, source=v.source,
                       editions=tuple(v.editions or ()), note=v.note, status=v.status, total_bytes=v.total_bytes,
                       package_sha256=v.package_sha256, files=files, published=published)


def _file_infos(session: Session, version_ids: list[int]) -> dict[int, list[FileInfo]]:
    out: dict[int, list[FileInfo]] = {vid: [] for vid in version_ids}
    if not version_ids:
        return out
    rows = session.execute(
        select(DatasetFile.version_id, DatasetFile.name, DatasetFile.resource, DatasetFile.size, DatasetFile.sha256)
        .where(DatasetFile.version_id.in_(version_ids))
        .order_by(DatasetFile.version_id, DatasetFile.name)
    )
    for vid, name, resource, size, sha in rows:
        out[vid].append(FileInfo(name, resource, size, sha))
    return out


def list_versions(*, limit: int | None = None, url: str | None = None) -> list[VersionInfo]:
    """Saved versions, newest first (file metadata, never contents), the published one flagged."""
    with db.session_scope(url) as session:
        stmt = select(DatasetVersion).order_by(DatasetVersion.id.desc())
        if limit is not None:
            stmt = stmt.limit(max(0, int(limit)))
        versions = list(session.scalars(stmt))
        files = _file_infos(session, [v.id for v in versions])
        current = _read_pointer(session).version_id
        return [_info(v, tuple(files[v.id]), v.id == current) for v in versions]


def get_version(version_id: Any, *, url: str | None = None) -> VersionInfo:
    vid = version_id_of(version_id)
    with db.session_scope(url) as session:
        version = session.get(DatasetVersion, vid)
        if version is None:
            raise VersionNotFound(_("no dataset version {id}").format(id=vid))
        files = _file_infos(session, [vid])
        return _info(version, tuple(files[vid]), _read_pointer(session).version_id == vid)


def get_files(version_id: Any, *, url: str | None = None) -> dict[str, bytes]:
    """The package of a version: ``{relative name: bytes}``, ``datapackage.json`` included."""
    vid = version_id_of(version_id)
    with db.session_scope(url) as session:
        if session.get(DatasetVersion, vid) is None:
            raise VersionNotFound(_("no dataset version {id}").format(id=vid))
        rows = session.execute(select(DatasetFile.name, DatasetFile.content).where(DatasetFile.version_id == vid))
        return {name: bytes(content) for name, content in rows}


def materialise(version_id: Any, dest_dir: Path | str, *, replace: bool = False, url: str | None = None) -> Path:
    """Write a version's package to ``dest_dir`` all or nothing (see :func:`.package.write_package`)."""
    return write_package(get_files(version_id, url=url), dest_dir, replace=replace)


@contextmanager
def version_folder(version_id: Any, *, url: str | None = None) -> Iterator[Path]:
    """A version's package in a temp folder for the block (e.g. ``data.load_dataset(folder)``), removed after."""
    with package_folder(get_files(version_id, url=url)) as folder:
        yield folder


# --------------------------------------------------------------------------------------------
# the published pointer


def _read_pointer(session: Session, *, lock: bool = False) -> PublishedPointer:
    stmt = select(PublishedPointer).where(PublishedPointer.id == POINTER_ID)
    if lock:
        stmt = stmt.with_for_update()
    pointer = session.scalars(stmt).one_or_none()
    if pointer is None:  # the migration inserts it; recreate it if someone deleted it by hand
        pointer = PublishedPointer(id=POINTER_ID, version_id=None, published_at=None, published_by="", generation=0)
        if lock:
            session.add(pointer)
            session.flush()
    return pointer


def published(*, url: str | None = None) -> Published:
    """The published version id (``None``: the embedded data) and the generation: one cheap query."""
    with db.session_scope(url) as session:
        row = session.execute(
            select(PublishedPointer.version_id, PublishedPointer.generation).where(PublishedPointer.id == POINTER_ID)
        ).one_or_none()
        return Published(row[0], int(row[1])) if row else Published(None, 0)


def publication(*, url: str | None = None) -> Publication:
    """The pointer in full: version, generation, when and by whom it was last changed."""
    with db.session_scope(url) as session:
        p = _read_pointer(session)
        return Publication(p.version_id, int(p.generation or 0), p.published_at, p.published_by or "")


def _change(session: Session, pointer: PublishedPointer, to_version: int | None, *, action: str, by: str,
            expected_generation: int | None) -> Published:
    current = int(pointer.generation or 0)
    if expected_generation is not None and int(expected_generation) != current:
        raise Conflict(int(expected_generation), current)
    if to_version == pointer.version_id and action != "rollback":
        return Published(pointer.version_id, current)  # already shown: nothing changes, nothing to audit
    from_version = pointer.version_id
    now = utcnow()
    result = session.execute(
        update(PublishedPointer)
        .where(PublishedPointer.id == POINTER_ID, PublishedPointer.generation == current)
        .values(version_id=to_version, generation=current + 1, published_at=now, published_by=by)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # pragma: no cover - the row lock makes this unreachable; kept as the last guard
        raise Conflict(current, current + 1)
    session.add(AuditEntry(at=now, by=by, action=action, from_version_id=from_version, to_version_id=to_version,
                           generation=current + 1))
    session.flush()
    log.info("dataset %s by %s: version %s -> %s (generation %d)", action, by, from_version, to_version, current + 1)
    return Published(to_version, current + 1)


def publish(version_id: Any, *, by: str, expected_generation: int | None = None,
            url: str | None = None) -> Published:
    """Show ``version_id`` to everyone. With ``expected_generation``: only if the pointer has not moved since
    (else :class:`~dashboard.datasets.errors.Conflict`). Publishing the version already shown changes nothing."""
    vid = version_id_of(version_id)
    by = clean_text(by, "by", MAX_BY_CHARS, required=True)
    with db.session_scope(url, write=True) as session:
        pointer = _read_pointer(session, lock=True)
        if session.get(DatasetVersion, vid) is None:
            raise VersionNotFound(_("no dataset version {id}").format(id=vid))
        return _change(session, pointer, vid, action="publish", by=by, expected_generation=expected_generation)


def _history_stack(session: Session) -> list[int | None]:
    stack: list[int | None] = [None]
    rows = session.execute(select(AuditEntry.action, AuditEntry.to_version_id).order_by(AuditEntry.id))
    for action, to_version in rows:
        if action == "rollback":
            if len(stack) > 1:
                stack.pop()
        else:
            stack.append(to_version)
    return stack


def rollback(*, by: str, expected_generation: int | None = None, url: str | None = None) -> Published:
    """Show again what was shown before the last publish or reset (the embedded data before the first)."""
    by = clean_text(by, "by", MAX_BY_CHARS, required=True)
    with db.session_scope(url, write=True) as session:
        pointer = _read_pointer(session, lock=True)
        stack = _history_stack(session)
        if len(stack) < 2:
            if expected_generation is not None and int(expected_generation) != int(pointer.generation or 0):
                raise Conflict(int(expected_generation), int(pointer.generation or 0))
            raise NothingToRollBack(_("nothing to roll back: no earlier publication is recorded"))
        return _change(session, pointer, stack[-2], action="rollback", by=by,
                       expected_generation=expected_generation)


def reset(*, by: str, expected_generation: int | None = None, url: str | None = None) -> Published:
    """Show the embedded data again (pointer to none). Versions are kept; a rollback undoes the reset."""
    by = clean_text(by, "by", MAX_BY_CHARS, required=True)
    with db.session_scope(url, write=True) as session:
        pointer = _read_pointer(session, lock=True)
        return _change(session, pointer, None, action="reset", by=by, expected_generation=expected_generation)


def audit_log(*, limit: int = 100, url: str | None = None) -> list[AuditRecord]:
    """The latest changes of the published pointer, newest first."""
    with db.session_scope(url) as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(max(0, int(limit))))
        return [AuditRecord(r.id, r.at, r.by, r.action, r.from_version_id, r.to_version_id, int(r.generation))
                for r in rows]
