"""The same migrations, CRUD, filters and concurrency against a real PostgreSQL server on loopback.

The session fixture ``pg_server`` (conftest) makes a cluster with ``initdb`` and starts it with
``pg_ctl``; without the binaries (Debian's ``postgresql`` package) these tests skip with the reason.
"""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from dashboard.lab import db, migrations, seed
from dashboard.lab import repository as repo
from dashboard.lab.repository import PracticeFilter

from .helpers import (
    UNLIMITED,
    LiveServer,
    assert_all_landed,
    lab_flask_app,
    post_concurrently,
    valid_submission,
)
from .test_migrations_models import TABLES, _schema_diff

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(120)]


def test_migrations_from_empty_postgres(pg_url):
    assert db.make_engine(pg_url).dialect.name == "postgresql"
    assert migrations.current_revision(pg_url) is None
    migrations.upgrade(pg_url)
    assert migrations.is_up_to_date(pg_url)
    assert TABLES <= set(inspect(db.get_engine(pg_url)).get_table_names())
    assert _schema_diff(pg_url) == []
    migrations.downgrade(pg_url, "base")
    assert "lab_practice" not in inspect(db.get_engine(pg_url)).get_table_names()
    migrations.upgrade(pg_url)
    assert migrations.is_up_to_date(pg_url)


def test_crud_filters_and_export_on_postgres(pg_url, regions):
    migrations.upgrade(pg_url)
    assert seed.seed(pg_url, regions=regions) == 17 and seed.seed(pg_url, regions=regions) == 0
    rec = repo.create_submission(valid_submission(title="Mediación 100% intercultural",
                                                  description="Nul\x00 bytes are dropped; PostgreSQL refuses "
                                                              "them in text columns otherwise."),
                                 regions=regions, url=pg_url)
    assert rec.status == "pending" and "\x00" not in rec.description
    assert repo.search_practices(PracticeFilter.from_query({"q": "mediacion"}, regions=regions), url=pg_url) == []
    repo.approve(rec.id, url=pg_url)
    found = repo.search_practices(PracticeFilter.from_query({"q": "MEDIACIÓN 100%"}, regions=regions), url=pg_url)
    assert [r.id for r in found] == [rec.id]
    assert repo.count_practices(PracticeFilter.from_query({"q": "_"}, regions=regions), url=pg_url) == 0
    f = PracticeFilter.from_query({"country": "ES", "area": "language", "target": "TCN", "aspect": "communication"},
                                  regions=regions)
    assert [r.id for r in repo.search_practices(f, url=pg_url)] == [rec.id]
    skane = PracticeFilter.from_query({"region": "SE224"}, regions=regions)
    assert repo.counts_by_region(skane, url=pg_url) == {"SE224": 2}
    repo.reject(rec.id, reason="test", url=pg_url)
    assert rec.id not in {r.id for r in repo.search_practices(url=pg_url)}
    assert "Mediación" not in repo.export_csv(regions=regions, url=pg_url)
    assert len(repo.export_rows(regions=regions, url=pg_url)) == 17


def test_100_concurrent_posts_all_land_postgres(pg_url, monkeypatch):
    migrations.upgrade(pg_url)
    monkeypatch.setenv("MIPEXR_DB_URL", pg_url)
    with LiveServer(lab_flask_app(UNLIMITED)) as server:
        results = post_concurrently(server.url, 100)
    assert_all_landed(pg_url, results, 100)
