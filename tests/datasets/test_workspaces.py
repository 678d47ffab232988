"""Private workspaces: found only by their random id, never by another; expiring; bounded in size."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from dashboard.datasets import (
    DatasetInvalid,
    PackageRefused,
    StoreFull,
    WorkspaceGone,
    create_workspace,
    db,
    drop_workspace,
    list_versions,
    published,
    purge_expired,
    workspace_files,
    workspace_folder,
    workspace_info,
)
from dashboard.datasets.models import Workspace, WorkspaceFile
from dashboard.datasets.package import temp_root

from .conftest import validate, variant

pytestmark = pytest.mark.timeout(120)


def _count(url, model) -> int:
    with db.session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_workspaces_are_private_to_their_id(store_url, package):
    mine = variant(package, "mine")
    yours = variant(package, "yours")
    a = create_workspace(mine, validate=validate, url=store_url)
    b = create_workspace(yours, validate=validate, url=store_url)
    assert a != b and len(a) >= 40 and len(b) >= 40
    assert workspace_files(a, url=store_url) == mine
    assert workspace_files(b, url=store_url) == yours
    info = workspace_info(a, url=store_url)
    assert info.id == a and info.total_bytes == sum(map(len, mine.values())) and info.expires_at > info.created_at
    assert workspace_info(b, url=store_url).package_sha256 != info.package_sha256
    for other in (a[:-1] + ("x" if a[-1] != "x" else "y"), a.upper(), "", None, 123, "../" + a, a + "%", "x" * 500):
        assert workspace_info(other, url=store_url) is None
        with pytest.raises(WorkspaceGone):
            workspace_files(other, url=store_url)
    with workspace_folder(b, url=store_url) as folder:
        assert (folder / "datapackage.json").read_bytes() == yours["datapackage.json"]
    assert not folder.exists() and list(temp_root().iterdir()) == []
    # a workspace never changes the shared data
    assert published(url=store_url) == (None, 0) and list_versions(url=store_url) == []
    assert drop_workspace(a, url=store_url) is True and drop_workspace(a, url=store_url) is False
    with pytest.raises(WorkspaceGone):
        workspace_files(a, url=store_url)
    assert workspace_files(b, url=store_url) == yours
    assert _count(store_url, WorkspaceFile) == len(yours)


def test_expired_workspaces_are_invisible_then_purged(store_url, package, monkeypatch):
    old = create_workspace(package, validate=validate, url=store_url)
    monkeypatch.setenv("MIPEXR_WORKSPACE_HOURS", "0")  # the next one expires at once
    gone = create_workspace(package, validate=validate, url=store_url)
    assert workspace_info(gone, url=store_url) is None  # invisible before any purge
    with pytest.raises(WorkspaceGone, match="expired"):
        workspace_files(gone, url=store_url)
    assert _count(store_url, Workspace) == 2
    assert purge_expired(url=store_url) == 1
    assert _count(store_url, Workspace) == 1 and _count(store_url, WorkspaceFile) == len(package)
    monkeypatch.delenv("MIPEXR_WORKSPACE_HOURS")
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=25)
    assert purge_expired(url=store_url, now=later) == 1  # 24 h after its last use
    assert _count(store_url, Workspace) == 0 and _count(store_url, WorkspaceFile) == 0
    with pytest.raises(WorkspaceGone):
        workspace_files(old, url=store_url)


def test_creating_a_workspace_purges_expired_ones_lazily(sqlite_store, package, monkeypatch):
    monkeypatch.setenv("MIPEXR_WORKSPACE_HOURS", "0")
    create_workspace(package, validate=validate, url=sqlite_store)
    monkeypatch.delenv("MIPEXR_WORKSPACE_HOURS")
    create_workspace(package, validate=validate, url=sqlite_store)
    assert _count(sqlite_store, Workspace) == 1


def test_workspace_size_caps_and_validation(sqlite_store, package, monkeypatch):
    size = sum(map(len, package.values()))
    monkeypatch.setenv("MIPEXR_WORKSPACE_MAX_BYTES", str(size - 1))
    with pytest.raises(PackageRefused, match="more than"):
        create_workspace(package, validate=validate, url=sqlite_store)
    monkeypatch.delenv("MIPEXR_WORKSPACE_MAX_BYTES")
    monkeypatch.setenv("MIPEXR_WORKSPACES_MAX_TOTAL_BYTES", str(int(size * 1.5)))
    create_workspace(package, validate=validate, url=sqlite_store)
    with pytest.raises(StoreFull, match="try again later"):
        create_workspace(package, validate=validate, url=sqlite_store)
    monkeypatch.delenv("MIPEXR_WORKSPACES_MAX_TOTAL_BYTES")
    broken = {**package, "regions.csv": b"region_id\n"}
    with pytest.raises(DatasetInvalid):
        create_workspace(broken, validate=validate, url=sqlite_store)
    assert _count(sqlite_store, Workspace) == 1
    assert list(temp_root().iterdir()) == []
