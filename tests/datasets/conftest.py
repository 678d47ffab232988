"""Dataset-store fixtures: a migrated store on SQLite and (marked ``postgres``) on the real PostgreSQL server.

``store_url`` runs a test on both backends: the SQLite variant always, the PostgreSQL one as
``-m postgres`` (it skips, with the reason, when PostgreSQL cannot be started; see tests/pg_server.py).
"""

from __future__ import annotations

import pytest

from dashboard import config, data
from dashboard.datasets import db, migrations
from dashboard.datasets.package import read_package_dir


@pytest.fixture
def sqlite_store(tmp_path) -> str:
    """A fresh SQLite database with the dataset tables."""
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    migrations.upgrade(url)
    yield url
    db.dispose_engines()


@pytest.fixture
def pg_store(pg_server) -> str:
    """A fresh PostgreSQL database with the dataset tables."""
    url = pg_server.create_database("datasets")
    migrations.upgrade(url)
    yield url
    db.dispose_engines()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request) -> str:
    """The same test on SQLite and on PostgreSQL."""
    return request.getfixturevalue("sqlite_store" if request.param == "sqlite" else "pg_store")


@pytest.fixture(scope="session")
def package() -> dict[str, bytes]:
    """The embedded data package as ``{name: bytes}``."""
    return read_package_dir(config.EMBEDDED_DATA_DIR)


def validate(folder):
    """The app's own validation of a package folder."""
    return data.load_dataset(folder)


def variant(package: dict[str, bytes], tag: str) -> dict[str, bytes]:
    """The embedded package with a different descriptor description (another valid package, other checksum)."""
    import json

    desc = json.loads(package["datapackage.json"])
    desc["description"] = f"{desc.get('description', '')} [{tag}]"
    return {**package, "datapackage.json": json.dumps(desc).encode()}
