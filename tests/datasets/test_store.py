"""Versions, publication and the audit, on SQLite and (``-m postgres``) on a real PostgreSQL server."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from dashboard import data
from dashboard.datasets import (
    Conflict,
    DatasetInvalid,
    NothingToRollBack,
    PackageRefused,
    VersionNotFound,
    audit_log,
    db,
    get_files,
    get_version,
    list_versions,
    materialise,
    migrations,
    publication,
    publish,
    published,
    reset,
    rollback,
    save_version,
    version_folder,
)
from dashboard.datasets.models import Base
from dashboard.datasets.package import temp_root

from .conftest import validate, variant

pytestmark = pytest.mark.timeout(120)

PROJECT = Path(__file__).resolve().parents[2]
TABLES = {"dataset_version", "dataset_file", "dataset_published", "dataset_audit", "dataset_workspace",
          "dataset_workspace_file"}


def _schema_diff(url: str) -> list:
    def only_ours(obj, name, type_, reflected, compare_to):
        if type_ == "table":
            return name in Base.metadata.tables
        return getattr(obj, "table", None) is None or obj.table.name in Base.metadata.tables

    with db.get_engine(url).connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"version_table": migrations.VERSION_TABLE,
                                                     "include_object": only_ours, "compare_type": True})
        return compare_metadata(ctx, Base.metadata)


def test_migrations_share_the_lab_database_with_their_own_history(store_url):
    from dashboard.lab import migrations as lab_migrations

    assert migrations.is_up_to_date(store_url)
    assert TABLES <= set(inspect(db.get_engine(store_url)).get_table_names())
    assert _schema_diff(store_url) == []  # the migration and the models describe the same schema
    lab_migrations.upgrade(store_url)  # the Lab's tables in the same database, with their own version table
    migrations.upgrade(store_url)  # idempotent
    migrations.downgrade(store_url, "base")
    names = set(inspect(db.get_engine(store_url)).get_table_names())
    assert names.isdisjoint(TABLES) and "lab_practice" in names  # the Lab's tables are untouched
    assert lab_migrations.is_up_to_date(store_url)
    migrations.upgrade(store_url)
    assert migrations.is_up_to_date(store_url) and published(url=store_url) == (None, 0)


def test_save_list_get_materialise_round_trip(store_url, package, tmp_path):
    info = save_version(package, validate=validate, created_by="ana@example.org", source="MIPEX-R 2021 tables",
                        editions=["2021", 2021], note="first import", url=store_url)
    assert info.id >= 1 and info.editions == (2021,) and info.status == "validated" and not info.published
    assert info.total_bytes == sum(len(b) for b in package.values())
    assert {f.name: f.sha256 for f in info.files} == {n: hashlib.sha256(b).hexdigest() for n, b in package.items()}
    assert {f.name: f.resource for f in info.files}["answers.csv"] == "answers"
    assert {f.name: f.resource for f in info.files}["datapackage.json"] == "datapackage"

    listed = list_versions(url=store_url)
    assert [v.id for v in listed] == [info.id] and listed[0] == info
    assert get_version(str(info.id), url=store_url) == info
    assert get_files(info.id, url=store_url) == package

    dest = materialise(info.id, tmp_path / "out" / "pkg", url=store_url)
    assert {p.name: p.read_bytes() for p in dest.iterdir()} == package
    assert [p.name for p in dest.parent.iterdir()] == ["pkg"]  # no temp folder beside it
    loaded = data.load_dataset(dest)
    assert len(loaded.regions) == 25
    with pytest.raises(PackageRefused, match="not empty"):
        materialise(info.id, dest, url=store_url)  # never writes over an existing package by accident
    (dest / "stale.txt").write_text("old")
    materialise(info.id, dest, replace=True, url=store_url)
    assert not (dest / "stale.txt").exists() and [p.name for p in dest.parent.iterdir()] == ["pkg"]

    with version_folder(info.id, url=store_url) as folder:
        assert data.load_dataset(folder).regions.equals(loaded.regions)
    assert not folder.exists()
    assert list(temp_root().iterdir()) == []
    for bad in ("0", "-1", "abc", "1" * 30, str(info.id + 1)):
        with pytest.raises(VersionNotFound):
            get_files(bad, url=store_url)


def test_bad_package_is_refused_and_leaves_no_temp_folder(store_url, package):
    lines = package["answers.csv"].split(b"\n")
    lines[1] = lines[1].rsplit(b",", 1)[0] + b",150"  # the first answer (row 2) out of range
    answers = b"\n".join(lines)
    assert answers != package["answers.csv"]
    with pytest.raises(DatasetInvalid, match=r"answers.csv, row 2, column 'value'"):
        save_version({**package, "answers.csv": answers}, validate=validate, created_by="x", url=store_url)

    def crashing(folder):
        raise KeyError("overall")

    with pytest.raises(DatasetInvalid, match="KeyError"):
        save_version(package, validate=crashing, created_by="x", url=store_url)
    for files in ({"../evil.csv": b"x", **package}, {"/etc/passwd": b"x", **package}, {"a\\b.csv": b"", **package},
                  {"answers.csv": b"x"}, {**package, "datapackage.json": b"{not json"}, {}):
        with pytest.raises(PackageRefused):
            save_version(files, validate=validate, created_by="x", url=store_url)
    with pytest.raises(PackageRefused, match="edition"):
        save_version(package, validate=validate, created_by="x", editions=["20x1"], url=store_url)
    assert list_versions(url=store_url) == []
    assert list(temp_root().iterdir()) == []  # validated in a temp folder that is always removed
    views = {name: memoryview(content) for name, content in package.items()}  # any bytes-like content
    saved = save_version(views, validate=validate, created_by="x", url=store_url)
    assert get_files(saved.id, url=store_url) == package
    assert list(temp_root().iterdir()) == []


def test_publish_rollback_reset_and_the_audit(store_url, package):
    a = save_version(package, validate=validate, created_by="a", url=store_url)
    b = save_version(variant(package, "b"), validate=validate, created_by="b", url=store_url)
    assert a.package_sha256 != b.package_sha256
    assert published(url=store_url) == (None, 0)
    assert publish(a.id, by="ana", url=store_url) == (a.id, 1)
    assert publish(b.id, by="ben", expected_generation=1, url=store_url) == (b.id, 2)
    assert publish(b.id, by="ben", url=store_url) == (b.id, 2)  # already shown: no change, no audit row
    assert [v.published for v in list_versions(url=store_url)] == [True, False]
    with pytest.raises(Conflict, match="someone else published meanwhile.*reload and retry"):
        publish(a.id, by="ana", expected_generation=1, url=store_url)
    with pytest.raises(VersionNotFound):
        publish(b.id + 10, by="ana", url=store_url)
    assert rollback(by="ops", url=store_url) == (a.id, 3)
    assert rollback(by="ops", url=store_url) == (None, 4)  # back before the first publication
    with pytest.raises(NothingToRollBack):
        rollback(by="ops", url=store_url)
    assert publish(b.id, by="ben", url=store_url) == (b.id, 5)
    assert reset(by="ops", url=store_url) == (None, 6)
    assert reset(by="ops", url=store_url) == (None, 6)
    assert rollback(by="ops", url=store_url) == (b.id, 7)  # a rollback undoes the reset
    p = publication(url=store_url)
    assert (p.version_id, p.generation, p.published_by) == (b.id, 7, "ops") and p.published_at.tzinfo is not None

    log = audit_log(url=store_url)
    assert [(r.action, r.from_version_id, r.to_version_id, r.generation, r.by) for r in reversed(log)] == [
        ("publish", None, a.id, 1, "ana"),
        ("publish", a.id, b.id, 2, "ben"),
        ("rollback", b.id, a.id, 3, "ops"),
        ("rollback", a.id, None, 4, "ops"),
        ("publish", None, b.id, 5, "ben"),
        ("reset", b.id, None, 6, "ops"),
        ("rollback", None, b.id, 7, "ops"),
    ]
    assert all(r.at.tzinfo is not None for r in log)
    with pytest.raises(PackageRefused):
        publish(a.id, by="", url=store_url)  # every change says who made it


def test_concurrent_publishes_on_the_same_generation_one_wins_the_other_is_told(store_url, package):
    versions = [save_version(variant(package, str(i)), validate=validate, created_by="x", url=store_url).id
                for i in range(3)]
    for _ in range(4):
        shown, seen = published(url=store_url)
        contenders = [v for v in versions if v != shown][:2]  # two imports, each of a version not shown yet
        barrier = threading.Barrier(2)
        results: dict[int, object] = {}

        def worker(i: int) -> None:
            barrier.wait()
            try:
                results[i] = publish(contenders[i], by=f"importer {i}", expected_generation=seen, url=store_url)
            except Conflict as exc:
                results[i] = exc

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        winners = [i for i, r in results.items() if not isinstance(r, Exception)]
        losers = [i for i, r in results.items() if isinstance(r, Conflict)]
        assert len(winners) == 1 and len(losers) == 1, results
        assert results[losers[0]].expected == seen and results[losers[0]].actual == seen + 1
        assert published(url=store_url) == (contenders[winners[0]], seen + 1)
        # nothing lost: the loser reloads and retries on the new generation
        assert publish(contenders[losers[0]], by="retry", expected_generation=seen + 1, url=store_url) == (
            contenders[losers[0]], seen + 2)
    assert len(audit_log(url=store_url)) == 8


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_concurrent_start_ups_migrate_once(backend, request, tmp_path):
    """Worker processes starting together on an empty database: every upgrade succeeds, the schema is made once."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_server").create_database("datasets")
    start_at = time.time() + 3  # after every interpreter has imported Alembic and SQLAlchemy
    code = ("import sys, time; from dashboard.datasets import migrations; "
            "time.sleep(max(0, float(sys.argv[2]) - time.time())); migrations.upgrade(sys.argv[1])")
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    procs = [subprocess.Popen([sys.executable, "-c", code, url, str(start_at)], cwd=PROJECT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for p in procs:
        out, err = p.communicate(timeout=90)
        assert p.returncode == 0, err[-2000:]
    assert migrations.is_up_to_date(url) and published(url=url) == (None, 0)
    assert _schema_diff(url) == []
    db.dispose_engines()


def test_temp_folders_left_by_a_killed_process_are_swept(sqlite_store, package):
    stale = temp_root() / "mipexr-dataset-killed"
    stale.mkdir()
    (stale / "answers.csv").write_bytes(b"x" * 1000)
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    recent = temp_root() / "mipexr-dataset-running"  # another process may be validating right now
    recent.mkdir()
    save_version(package, validate=validate, created_by="x", url=sqlite_store)
    assert sorted(p.name for p in temp_root().iterdir()) == ["mipexr-dataset-running"]


def test_the_domain_package_imports_neither_dash_nor_flask():
    code = ("import sys, dashboard.datasets, dashboard.datasets.migrations; "
            "print(sorted(m for m in ('dash', 'flask') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(PROJECT)}).stdout
    assert out.strip() == "[]"
