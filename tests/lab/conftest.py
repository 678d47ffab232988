"""Integration Lab fixtures: migrated SQLite databases and fresh databases on the real PostgreSQL server.

PostgreSQL: the session fixture ``pg_server`` (tests/pg_server.py, loaded by tests/conftest.py) makes a
throw-away cluster with ``initdb`` and starts it with ``pg_ctl`` on a free loopback port; tests using it skip,
with the reason, when the binaries are missing or the server cannot start.
"""

from __future__ import annotations

import pytest

from dashboard.lab import db, migrations


@pytest.fixture(scope="session")
def regions(dataset):
    """The embedded dataset's regions, as the Lab receives them (:class:`dashboard.lab.vocab.Regions`)."""
    from dashboard.lab.vocab import Regions

    return Regions.from_dataset(dataset)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A fresh, migrated (empty) SQLite database."""
    url = f"sqlite:///{tmp_path / 'lab.sqlite3'}"
    migrations.upgrade(url)
    yield url
    db.dispose_engines()


@pytest.fixture
def seeded_url(sqlite_url, regions) -> str:
    from dashboard.lab import seed

    seed.seed(sqlite_url, regions=regions)
    return sqlite_url


@pytest.fixture
def env_db(sqlite_url, monkeypatch) -> str:
    """The migrated SQLite database, also set as ``MIPEXR_DB_URL`` (for web routes and callbacks)."""
    monkeypatch.setenv("MIPEXR_DB_URL", sqlite_url)
    return sqlite_url


# --------------------------------------------------------------------------------------------
# PostgreSQL (the server itself: ``pg_server`` in tests/pg_server.py, shared with tests/datasets)


@pytest.fixture
def pg_url(pg_server) -> str:
    """A fresh, empty database on the session's PostgreSQL server (not migrated)."""
    url = pg_server.create_database()
    yield url
    db.dispose_engines()
