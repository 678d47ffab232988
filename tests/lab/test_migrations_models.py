"""Migrations from an empty database, the models against them, and the SQLite settings."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text

from dashboard.lab import db, migrations
from dashboard.lab.models import Assessment, Base, Practice, PracticeArea

pytestmark = pytest.mark.timeout(60)

TABLES = {"lab_practice", "lab_practice_area", "lab_assessment", migrations.VERSION_TABLE}


def _schema_diff(url: str) -> list:
    with db.get_engine(url).connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"version_table": migrations.VERSION_TABLE})
        diff = compare_metadata(ctx, Base.metadata)
    return [d for d in diff if not (d[0] == "remove_table" and d[1].name == migrations.VERSION_TABLE)]


def test_upgrade_from_empty_sqlite_creates_schema_matching_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'nested' / 'dir' / 'lab.sqlite3'}"  # parent folders are created
    assert migrations.current_revision(url) is None
    migrations.upgrade(url)
    assert migrations.current_revision(url) == migrations.head_revision()
    assert migrations.is_up_to_date(url)
    assert TABLES <= set(inspect(db.get_engine(url)).get_table_names())
    assert _schema_diff(url) == []  # migrations and models describe the same schema


def test_upgrade_is_idempotent_and_downgrade_round_trips(sqlite_url):
    migrations.upgrade(sqlite_url)  # second time: no-op
    migrations.downgrade(sqlite_url, "base")
    names = set(inspect(db.get_engine(sqlite_url)).get_table_names())
    assert names.isdisjoint({"lab_practice", "lab_practice_area", "lab_assessment"})
    migrations.upgrade(sqlite_url)
    assert migrations.is_up_to_date(sqlite_url)


def test_default_url_is_sqlite_in_var_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MIPEXR_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("MIPEXR_DB_URL", raising=False)
    url = db.resolve_url()
    assert url.startswith("sqlite:///") and str(tmp_path / "var") in url
    migrations.upgrade()
    assert (tmp_path / "var" / "lab.sqlite3").is_file()
    db.dispose_engines()


def test_sqlite_runs_in_wal_mode_with_busy_timeout_and_foreign_keys(sqlite_url):
    with db.get_engine(sqlite_url).connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar().lower() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 10_000
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_model_round_trip_and_cascade(sqlite_url):
    with db.session_scope(sqlite_url, write=True) as s:
        p = Practice(title="T", region_id="ES51", country="ES", target_group="TCN", responsible_body="B",
                     description="D", provenance="P", status="pending")
        p.areas = [PracticeArea(area="health"), PracticeArea(area="education")]
        p.assessments = [Assessment(aspect="communication", inspiring="I", improvement="R")]
        s.add(p)
        s.flush()
        pid = p.id
    with db.session_scope(sqlite_url) as s:
        got = s.get(Practice, pid)
        assert [a.area for a in got.areas] == ["education", "health"]
        assert got.assessments[0].inspiring == "I"
        assert got.illustrative is False and got.created_at is not None
    with db.session_scope(sqlite_url, write=True) as s:
        s.delete(s.get(Practice, pid))
    with db.session_scope(sqlite_url) as s:
        assert s.scalars(select(PracticeArea)).all() == []
        assert s.scalars(select(Assessment)).all() == []


def test_check_constraints_refuse_unknown_status(sqlite_url):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        with db.session_scope(sqlite_url, write=True) as s:
            s.add(Practice(title="T", region_id="ES51", country="ES", target_group="TCN", responsible_body="B",
                           description="D", provenance="P", status="published"))
