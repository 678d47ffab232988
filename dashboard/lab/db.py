"""Engine and sessions of the Integration Lab database.

The URL comes from :func:`dashboard.config.db_url` (``MIPEXR_DB_URL``; default a SQLite file in
:func:`dashboard.config.var_dir`). SQLite runs in WAL mode with a generous ``busy_timeout`` and
``synchronous = FULL`` (a commit is on disk when it returns), and write sessions start with
``BEGIN IMMEDIATE`` so that concurrent writers queue for the write lock instead of failing.

A SQLite file is created when its engine is made (at start, or by ``lab upgrade``); after that the
connections open it with ``mode=rw`` (never creating an empty file in its place), and each time a
connection is taken from the pool the file on disk is checked to be the one the connection opened: a
database file deleted or replaced while the app runs is noticed at the next statement (the old
connections are dropped and the operation fails with an ``OperationalError``), so nothing is written to
a deleted file and reported as stored. PostgreSQL connections give up after
:data:`PG_CONNECT_TIMEOUT_S` unless the URL says otherwise.

What a visitor sees of any database failure is :data:`UNAVAILABLE` and nothing more (no host, port,
user, database name or driver message); the details go to the log.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from dashboard import config

SQLITE_BUSY_TIMEOUT_MS = 30_000
PG_CONNECT_TIMEOUT_S = 5

#: The only thing a visitor is told when the database fails (details go to the log).
UNAVAILABLE = "The practices database is unavailable."


class DatabaseUnavailable(RuntimeError):
    """The database did not confirm an operation (e.g. a stored row could not be read back)."""


#: Everything a database operation may raise when the database fails, for ``except`` clauses.
DB_ERRORS: tuple[type[BaseException], ...] = (SQLAlchemyError, DatabaseUnavailable)

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
        path = sqlite_file(sa_url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                import sqlite3

                sqlite3.connect(path).close()  # the file is created here, once, and never by a later connection
        kwargs.setdefault("connect_args", {}).setdefault("timeout", SQLITE_BUSY_TIMEOUT_MS / 1000)
        kwargs.setdefault("hide_parameters", True)  # submitters' names and e-mails stay out of the log
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine, path)
        return engine
    if sa_url.get_backend_name() == "postgresql" and sa_url.drivername == "postgresql":
        sa_url = sa_url.set(drivername="postgresql+psycopg")  # psycopg 3 is the installed driver
    if sa_url.get_backend_name() == "postgresql" and "connect_timeout" not in sa_url.query:
        kwargs.setdefault("connect_args", {}).setdefault("connect_timeout", PG_CONNECT_TIMEOUT_S)
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("hide_parameters", True)
    return create_engine(sa_url, **kwargs)


def sqlite_file(url: Any) -> Path | None:
    """The absolute path of a file-based SQLite URL given as a plain path (None for memory or ``file:`` URIs)."""
    sa_url = make_url(url) if isinstance(url, str) else url
    db = sa_url.database
    if sa_url.get_backend_name() != "sqlite" or not db or db == ":memory:" or db.startswith("file:") \
            or sa_url.query.get("uri"):
        return None
    return Path(os.path.abspath(db))


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _configure_sqlite(engine: Engine, path: Path | None) -> None:
    if path is not None:
        from urllib.parse import quote

        uri = f"file:{quote(str(path))}?mode=rw"

        @event.listens_for(engine, "do_connect")
        def _open_existing(_dialect, _record, cargs, cparams):  # pragma: no cover - every new connection
            cargs[:] = [uri]  # open the file only if it is still there (no empty stand-in)
            cparams["uri"] = True

        @event.listens_for(engine, "checkout")
        def _same_file(_dbapi_connection, record, _proxy):  # pragma: no cover - every checkout
            opened = record.info.get("mipexr_file_id")
            if opened is not None and _file_id(path) != opened:
                raise DisconnectionError(f"the database file {path.name} was deleted or replaced")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, record):  # pragma: no cover - exercised via every connection
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _on_begin)
        cur = dbapi_connection.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA foreign_keys = ON")
            if engine.url.database not in (None, "", ":memory:"):
                cur.execute("PRAGMA journal_mode = WAL")
                cur.execute("PRAGMA synchronous = FULL")
        finally:
            cur.close()
        if path is not None:
            opened = _file_id(path)
            if opened is None:  # the file went away between opening and now: never use this connection
                import sqlite3

                dbapi_connection.close()
                raise sqlite3.OperationalError(f"the database file {path.name} disappeared while being opened")
            record.info["mipexr_file_id"] = opened

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
    """The URL with any password hidden, for the log and the command line (never for a web page: it still
    names the host, port, user and database)."""
    try:
        return make_url(resolve_url(url)).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only used in messages
        return "(an unreadable database URL)"
