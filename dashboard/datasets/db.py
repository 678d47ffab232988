"""Engines and sessions of the dataset store: the Integration Lab's database, per process.

The URL and the engine settings are the Lab's own: :func:`dashboard.lab.db.resolve_url` (``url``, else the
URL a running app pinned at start, else ``MIPEXR_DB_URL``, else SQLite in ``MIPEXR_VAR_DIR``) and
:func:`dashboard.lab.db.make_engine` (SQLite in WAL mode with ``busy_timeout``, foreign keys and explicit
``BEGIN``; the psycopg 3 driver for PostgreSQL). Only the engine *cache* is this module's: it is keyed by
process id, so a forked worker never reuses a connection of its parent (the inherited pools are
dropped with ``dispose(close=False)``, which leaves the parent's connections alone).

Database failures (unreachable server, missing tables, a locked file past the timeout) leave
:func:`session_scope` as :class:`~dashboard.datasets.errors.StoreUnavailable`, with the cause chained
and logged; the message names the database with its password hidden.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from dashboard.datasets.errors import StoreUnavailable
from dashboard.i18n import _
from dashboard.lab.db import is_sqlite, make_engine, redact, resolve_url

__all__ = ["dispose_engines", "get_engine", "resolve_url", "session_scope", "redact"]

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 5

_engines: dict[str, Engine] = {}
_pid = os.getpid()
_lock = threading.Lock()


def _forget_inherited() -> None:
    """In a forked child: drop the parent's pools without closing its connections (they are the parent's)."""
    global _lock, _pid
    _lock = threading.Lock()  # a lock held by another parent thread at fork time would never be released
    for engine in _engines.values():
        engine.dispose(close=False)
    _engines.clear()
    _pid = os.getpid()


os.register_at_fork(after_in_child=_forget_inherited)


def get_engine(url: str | None = None) -> Engine:
    """This process's engine for ``url`` (created once per URL per process)."""
    url = resolve_url(url)
    with _lock:
        if _pid != os.getpid():  # pragma: no cover - forked without the at-fork hook (e.g. os.fork in C code)
            _forget_inherited()
        engine = _engines.get(url)
        if engine is None:
            engine = make_engine(url, **_engine_options(url))
            _engines[url] = engine
        return engine


def _engine_options(url: str) -> dict:
    """PostgreSQL: give up connecting after a few seconds (a request answers 503 instead of hanging)."""
    sa_url = make_url(url)
    if sa_url.get_backend_name() == "postgresql" and "connect_timeout" not in sa_url.query:
        return {"connect_args": {"connect_timeout": CONNECT_TIMEOUT_SECONDS}}
    return {}


def dispose_engines() -> None:
    """Close this process's engines (tests, shutdown)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


#: Errors that mean "the database cannot be used right now", as opposed to a bug in a query.
UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError, sa_exc.ProgrammingError)


@contextmanager
def session_scope(url: str | None = None, *, write: bool = False) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on error.

    ``write=True`` takes SQLite's write lock up front (``BEGIN IMMEDIATE``) so a read-then-write transaction
    queues instead of failing; on PostgreSQL the writers lock the rows they read (``FOR UPDATE``).
    """
    try:
        engine = get_engine(url)
        bind = engine.execution_options(sqlite_begin="IMMEDIATE") if write and is_sqlite(engine) else engine
    except (sa_exc.ArgumentError, ImportError) as exc:
        raise StoreUnavailable(_("the dataset database URL is not usable ({reason})").format(
            reason=type(exc).__name__)) from exc
    except OSError as exc:  # the SQLite file's folder cannot be made
        raise StoreUnavailable(_("the dataset database cannot be opened ({reason})").format(
            reason=exc.strerror or exc)) from exc
    session = Session(bind=bind, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except UNAVAILABLE as exc:
        _quiet_rollback(session)
        log.warning("dataset store unavailable (%s): %s", redact(url), exc)
        cause = getattr(exc, "orig", None) or exc
        raise StoreUnavailable(
            _("the dataset store is unavailable (database {database}: {reason})").format(
                database=redact(url), reason=type(cause).__name__)
        ) from exc
    except BaseException:
        _quiet_rollback(session)
        raise
    finally:
        session.close()


def _quiet_rollback(session: Session) -> None:
    try:
        session.rollback()
    except Exception:  # noqa: BLE001 - the connection may be gone; the original error is what matters
        log.debug("rollback failed", exc_info=True)
