"""SQLAlchemy 2 models of the dataset store (schema made only by ``dashboard/datasets/migrations``).

- ``dataset_version``: one row per saved data package (who, when, source text, editions, note, status,
  total size and a checksum over its files); ``dataset_file``: its files, bytes included, so every
  machine that reaches the database can serve it.
- ``dataset_published``: ONE row (``id = 1``) pointing at the published version (``NULL``: the embedded
  data) with a ``generation`` that grows by one on every change; workers poll it.
- ``dataset_audit``: every change of the pointer (publish, rollback, reset): who, when, from, to.
- ``dataset_workspace`` / ``dataset_workspace_file``: a visitor's private package, found only by its
  random id, expiring ``expires_at`` (sliding), deleted with its files.

Times are stored in UTC (:class:`UTCDateTime`: aware datetimes out, on SQLite and PostgreSQL alike).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from dashboard.lab.models import (
    NAMING_CONVENTION,  # one naming convention for the one database
)

STATUSES = ("validated",)
ACTIONS = ("publish", "rollback", "reset")
POINTER_ID = 1


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend (SQLite keeps no zone: stored naive UTC, read back aware)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        value = value.astimezone(dt.timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class DatasetVersion(Base):
    __tablename__ = "dataset_version"
    __table_args__ = (CheckConstraint("status IN ('validated')", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text, default="")
    editions: Mapped[list] = mapped_column(JSON, default=list)  # sorted list of years
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="validated")
    total_bytes: Mapped[int] = mapped_column(BigInteger)
    package_sha256: Mapped[str] = mapped_column(String(64), index=True)

    files: Mapped[list[DatasetFile]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="DatasetFile.name"
    )


class DatasetFile(Base):
    __tablename__ = "dataset_file"

    version_id: Mapped[int] = mapped_column(ForeignKey("dataset_version.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(1000), primary_key=True)  # relative path inside the package
    resource: Mapped[str] = mapped_column(String(200), default="")  # descriptor resource name ("" if none)
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)

    version: Mapped[DatasetVersion] = relationship(back_populates="files")


class PublishedPointer(Base):
    __tablename__ = "dataset_published"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("dataset_version.id", ondelete="RESTRICT"))
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    published_by: Mapped[str] = mapped_column(String(200), default="")
    generation: Mapped[int] = mapped_column(BigInteger, default=0)


class AuditEntry(Base):
    __tablename__ = "dataset_audit"
    __table_args__ = (CheckConstraint("action IN ('publish', 'rollback', 'reset')", name="action"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    by: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(10))
    from_version_id: Mapped[int | None] = mapped_column(ForeignKey("dataset_version.id", ondelete="RESTRICT"))
    to_version_id: Mapped[int | None] = mapped_column(ForeignKey("dataset_version.id", ondelete="RESTRICT"))
    generation: Mapped[int] = mapped_column(BigInteger)  # the pointer's generation after the change


class Workspace(Base):
    __tablename__ = "dataset_workspace"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # secrets.token_urlsafe(32)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    total_bytes: Mapped[int] = mapped_column(BigInteger)
    package_sha256: Mapped[str] = mapped_column(String(64))

    files: Mapped[list[WorkspaceFile]] = relationship(
        back_populates="workspace", cascade="all, delete-orphan", passive_deletes=True
    )


class WorkspaceFile(Base):
    __tablename__ = "dataset_workspace_file"

    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("dataset_workspace.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(1000), primary_key=True)
    resource: Mapped[str] = mapped_column(String(200), default="")
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)

    workspace: Mapped[Workspace] = relationship(back_populates="files")
