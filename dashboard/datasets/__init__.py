"""Datasets as versioned records in the database: saved, published to every worker, rolled back, private.

Domain only (no Dash, no Flask). The tables live in the Integration Lab's database (SQLite by default,
PostgreSQL by ``MIPEXR_DB_URL``) with their own Alembic history (:mod:`~dashboard.datasets.migrations`).

- :mod:`~dashboard.datasets.repository` — ``save_version``, ``list_versions``, ``get_version``, ``get_files``,
  ``materialise``, ``version_folder``, ``publish`` / ``rollback`` / ``reset`` (optimistic, audited),
  ``published``, ``publication``, ``audit_log``, ``prepare_database``
- :mod:`~dashboard.datasets.watcher` — ``Watcher``: the published generation, polled every few seconds
- :mod:`~dashboard.datasets.workspaces` — a visitor's private package under a random id, expiring
- :mod:`~dashboard.datasets.auth` — ``check_token`` / ``require_admin`` (``MIPEXR_ADMIN_TOKEN``)
- :mod:`~dashboard.datasets.package` — file checks, checksums, temp folders that are always removed
- :mod:`~dashboard.datasets.errors` — ``Conflict``, ``DatasetInvalid``, ``StoreUnavailable``… (``UserError``)

Every function takes an optional ``url`` (default: :func:`dashboard.lab.db.resolve_url`).
"""

from __future__ import annotations

from dashboard.datasets.auth import (
    admin_token,
    check_token,
    require_admin,
    web_publishing_enabled,
)
from dashboard.datasets.errors import (
    Conflict,
    DatasetError,
    DatasetInvalid,
    NotAuthorised,
    NothingToRollBack,
    PackageRefused,
    StoreFull,
    StoreUnavailable,
    VersionNotFound,
    WebPublishingDisabled,
    WorkspaceGone,
)
from dashboard.datasets.package import FileInfo, read_package_dir
from dashboard.datasets.repository import (
    AuditRecord,
    Publication,
    Published,
    VersionInfo,
    audit_log,
    get_files,
    get_version,
    list_versions,
    materialise,
    prepare_database,
    publication,
    publish,
    published,
    reset,
    rollback,
    save_version,
    version_folder,
)
from dashboard.datasets.watcher import Watcher
from dashboard.datasets.workspaces import (
    WorkspaceInfo,
    create_workspace,
    drop_workspace,
    purge_expired,
    workspace_files,
    workspace_folder,
    workspace_info,
)

__all__ = [
    "AuditRecord", "Conflict", "DatasetError", "DatasetInvalid", "FileInfo", "NotAuthorised", "NothingToRollBack",
    "PackageRefused", "Publication", "Published", "StoreFull", "StoreUnavailable", "VersionInfo", "VersionNotFound",
    "Watcher", "WebPublishingDisabled", "WorkspaceGone", "WorkspaceInfo", "admin_token", "audit_log", "check_token",
    "create_workspace", "drop_workspace", "get_files", "get_version", "list_versions", "materialise",
    "prepare_database", "publication", "publish", "published", "purge_expired", "read_package_dir", "require_admin",
    "reset", "rollback", "save_version", "version_folder", "web_publishing_enabled", "workspace_files",
    "workspace_folder", "workspace_info",
]
