"""Alembic environment of the dataset store: the Lab's engine factory, its own version table, and only
its own tables (autogenerate never proposes to drop the Lab's). One transaction per upgrade, serialised
between processes (SQLite ``BEGIN IMMEDIATE``; PostgreSQL ``pg_advisory_xact_lock``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from dashboard.datasets.models import Base
from dashboard.lab import db as lab_db

config = context.config
target_metadata = Base.metadata
VERSION_TABLE = config.get_main_option("version_table") or "datasets_alembic_version"
#: Arbitrary 64-bit key of the advisory lock taken while migrating on PostgreSQL ("MIPEXRDS").
ADVISORY_LOCK_KEY = 0x4D49504558524453


def _url() -> str:
    return config.attributes.get("datasets_url") or config.get_main_option("sqlalchemy.url")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Only the dataset store's tables (and what belongs to them) are this environment's business."""
    if type_ == "table":
        return name in target_metadata.tables
    table = getattr(obj, "table", None)
    return table is None or table.name in target_metadata.tables


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      version_table=VERSION_TABLE, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = lab_db.make_engine(_url())
    try:
        with engine.connect() as conn:
            _run(conn.execution_options(sqlite_begin="IMMEDIATE"))
    finally:
        engine.dispose()


def _run(connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table=VERSION_TABLE,
        include_object=include_object,
        render_as_batch=sqlite,
        compare_type=True,
        transactional_ddl=True,  # SQLite too: the Lab's engine leaves BEGIN/COMMIT to SQLAlchemy
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
