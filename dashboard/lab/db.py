"""Engine and sessions of the Integration Lab database.

The URL comes from :func:`dashboard.config.db_url` (``MIPEXR_DB_URL``; default a SQLite file in
:func:`dashboard.config.var_dir`). SQLite runs in WAL mode with a generous ``busy_timeout``, and
write sessions start with ``BEGIN IMMEDIATE`` so that concurrent writers queue for the write lock
instead of failing: every submission lands.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from dashboard import config

SQLITE_BUSY_TIMEOUT_MS = 30_000

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


#: Flask config key under which :func:`dashboard.routes.lab_api.init_app` pins the app's database URL.
APP_CONFIG_KEY = "MIPEXR_LAB_DB_URL"
#: Flask config key under which ``init_app`` records why the app's database could not be prepared (None: ready).
STARTUP_ERROR_KEY = "MIPEXR_LAB_STARTUP_ERROR"


def _app_config(key: str) -> str | None:
    """A value of the running app's config (inside one of its requests), else None."""
    try:
        from flask import current_app, has_app_context
    except ImportError:  # pragma: no cover - Flask comes with Dash
        return None
    return current_app.config.get(key) if has_app_context() else None


def resolve_url(url: str | None = None) -> str:
    """``url``, else the URL the running app was started with (inside its requests), else ``config.db_url()``.

    A running app keeps the database it migrated at start even if the environment changes later.
    """
    return url or _app_config(APP_CONFIG_KEY) or config.db_url()


def startup_error() -> str | None:
    """Inside a request of a running app: why its database could not be prepared at start (else None)."""
    return _app_config(STARTUP_ERROR_KEY)


def is_sqlite(url_or_engine: str | Engine) -> bool:
    url = url_or_engine.url if isinstance(url_or_engine, Engine) else make_url(url_or_engine)
    return url.get_backend_name() == "sqlite"


def make_engine(url: str | None = None, **kwargs) -> Engine:
    """A new engine for ``url`` (SQLite gets WAL, busy_timeout, foreign keys and explicit BEGIN)."""
    url = resolve_url(url)
    sa_url = make_url(url)
    if sa_url.get_backend_name() == "sqlite":
        db = sa_url.database
        if db and db != ":memory:" and not db.startswith("file:"):
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {}).setdefault("timeout", SQLITE_BUSY_TIMEOUT_MS / 1000)
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    if sa_url.get_backend_name() == "postgresql" and sa_url.drivername == "postgresql":
        sa_url = sa_url.set(drivername="postgresql+psycopg")  # psycopg 3 is the installed driver
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(sa_url, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised via every connection
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _on_begin)
        cur = dbapi_connection.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA foreign_keys = ON")
            if engine.url.database not in (None, "", ":memory:"):
                cur.execute("PRAGMA journal_mode = WAL")
                cur.execute("PRAGMA synchronous = NORMAL")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # pragma: no cover - exercised via every transaction
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def get_engine(url: str | None = None) -> Engine:
    """The shared engine for ``url`` (created once per URL per process)."""
    url = resolve_url(url)
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = make_engine(url)
            _engines[url] = engine
        return engine


def dispose_engines() -> None:
    """Close every shared engine (tests, and after forking)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


@contextmanager
def session_scope(url: str | None = None, *, write: bool = False) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on error.

    ``write=True`` takes SQLite's write lock up front (``BEGIN IMMEDIATE``), so a read-then-write
    transaction never fails with "database is locked" under concurrency; other databases ignore it.
    """
    engine = get_engine(url)
    bind = engine.execution_options(sqlite_begin="IMMEDIATE") if write and is_sqlite(engine) else engine
    factory = sessionmaker(bind=bind, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def redact(url: str | None = None) -> str:
    """The URL with any password hidden, for messages."""
    return make_url(resolve_url(url)).render_as_string(hide_password=True)
