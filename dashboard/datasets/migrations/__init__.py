"""Alembic migrations of the dataset store, run programmatically (their own environment and version table).

The tables live in the Integration Lab's database (same URL) but have their own history:
``datasets_alembic_version``, so the two schemas are upgraded and downgraded independently.
``upgrade(url)`` brings any database (an empty one included) to the newest schema; the app runs it on
start (:func:`dashboard.datasets.prepare_database`) and every ``python -m dashboard datasets …`` command
runs it first. Concurrent start-ups are safe: the whole upgrade is one transaction holding SQLite's
write lock (``BEGIN IMMEDIATE``) or a PostgreSQL advisory lock, so the second process finds the schema done.
"""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from dashboard.datasets import db

MIGRATIONS_DIR = Path(__file__).resolve().parent
VERSION_TABLE = "datasets_alembic_version"
#: Alembic's ``context`` is process-global: one migration at a time per process (processes are serialised
#: by the database lock taken in env.py).
_lock = threading.Lock()


def alembic_config(url: str | None = None) -> Config:
    url = db.resolve_url(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("version_table", VERSION_TABLE)
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # configparser: '%' must be escaped
    cfg.attributes["datasets_url"] = url
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Upgrade the database at ``url`` (default: the Lab's URL resolution) to ``revision``."""
    with _lock:
        command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    with _lock:
        command.downgrade(alembic_config(url), revision)


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()  # type: ignore[return-value]


def current_revision(url: str | None = None) -> str | None:
    """The revision the database is at (``None`` for a database without the dataset tables)."""
    with db.get_engine(url).connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        return ctx.get_current_revision()


def is_up_to_date(url: str | None = None) -> bool:
    return current_revision(url) == head_revision()
