"""Alembic migrations of the Integration Lab, run programmatically.

``upgrade(url)`` brings any database (an empty one included) to the newest schema; the app calls
it on start and ``python -m dashboard lab upgrade`` runs it by hand. The version table is
``lab_alembic_version`` so the Lab can share a database with other tools.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from dashboard.lab import db

MIGRATIONS_DIR = Path(__file__).resolve().parent
VERSION_TABLE = "lab_alembic_version"


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("version_table", VERSION_TABLE)
    # configparser treats '%' specially: escape it (passwords may contain it)
    cfg.set_main_option("sqlalchemy.url", db.resolve_url(url).replace("%", "%%"))
    cfg.attributes["lab_url"] = db.resolve_url(url)
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Upgrade the database at ``url`` (default :func:`dashboard.config.db_url`) to ``revision``."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()  # type: ignore[return-value]


def current_revision(url: str | None = None) -> str | None:
    """The revision the database is at (``None`` for an empty database)."""
    engine = db.get_engine(url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        return ctx.get_current_revision()


def is_up_to_date(url: str | None = None) -> bool:
    return current_revision(url) == head_revision()
