"""Dataset store: versions with their files, the published pointer (one row), its audit, private workspaces.

Revision ID: ds0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ds0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dataset_version",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("editions", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total_bytes", sa.BigInteger(), nullable=False),
        sa.Column("package_sha256", sa.String(length=64), nullable=False),
        sa.CheckConstraint("status IN ('validated')", name=op.f("ck_dataset_version_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dataset_version")),
    )
    op.create_index(op.f("ix_dataset_version_package_sha256"), "dataset_version", ["package_sha256"], unique=False)
    op.create_table(
        "dataset_file",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=1000), nullable=False),
        sa.Column("resource", sa.String(length=200), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["dataset_version.id"],
                                name=op.f("fk_dataset_file_version_id_dataset_version"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("version_id", "name", name=op.f("pk_dataset_file")),
    )
    pointer = op.create_table(
        "dataset_published",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.String(length=200), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_dataset_published_single_row")),
        sa.ForeignKeyConstraint(["version_id"], ["dataset_version.id"],
                                name=op.f("fk_dataset_published_version_id_dataset_version"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dataset_published")),
    )
    op.bulk_insert(pointer, [{"id": 1, "version_id": None, "published_at": None, "published_by": "",
                              "generation": 0}])
    op.create_table(
        "dataset_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("from_version_id", sa.Integer(), nullable=True),
        sa.Column("to_version_id", sa.Integer(), nullable=True),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("action IN ('publish', 'rollback', 'reset')", name=op.f("ck_dataset_audit_action")),
        sa.ForeignKeyConstraint(["from_version_id"], ["dataset_version.id"],
                                name=op.f("fk_dataset_audit_from_version_id_dataset_version"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["to_version_id"], ["dataset_version.id"],
                                name=op.f("fk_dataset_audit_to_version_id_dataset_version"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dataset_audit")),
    )
    op.create_table(
        "dataset_workspace",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("total_bytes", sa.BigInteger(), nullable=False),
        sa.Column("package_sha256", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dataset_workspace")),
    )
    op.create_index(op.f("ix_dataset_workspace_expires_at"), "dataset_workspace", ["expires_at"], unique=False)
    op.create_table(
        "dataset_workspace_file",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=1000), nullable=False),
        sa.Column("resource", sa.String(length=200), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["dataset_workspace.id"],
                                name=op.f("fk_dataset_workspace_file_workspace_id_dataset_workspace"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("workspace_id", "name", name=op.f("pk_dataset_workspace_file")),
    )


def downgrade() -> None:
    op.drop_table("dataset_workspace_file")
    op.drop_index(op.f("ix_dataset_workspace_expires_at"), table_name="dataset_workspace")
    op.drop_table("dataset_workspace")
    op.drop_table("dataset_audit")
    op.drop_table("dataset_published")
    op.drop_table("dataset_file")
    op.drop_index(op.f("ix_dataset_version_package_sha256"), table_name="dataset_version")
    op.drop_table("dataset_version")
