"""Initial Integration Lab schema: practices, their policy areas and their 7-aspect assessment.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lab_practice",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("region_id", sa.String(length=10), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("year_start", sa.Integer(), nullable=True),
        sa.Column("year_end", sa.Integer(), nullable=True),
        sa.Column("target_group", sa.String(length=4), nullable=False),
        sa.Column("responsible_body", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("regional_contribution", sa.Text(), nullable=False),
        sa.Column("contribution_mode", sa.String(length=20), nullable=False),
        sa.Column("lessons_learnt", sa.Text(), nullable=False),
        sa.Column("transferability_tips", sa.Text(), nullable=False),
        sa.Column("links", sa.Text(), nullable=False),
        sa.Column("provenance", sa.Text(), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("review_note", sa.Text(), nullable=False),
        sa.Column("submitter_name", sa.String(length=200), nullable=False),
        sa.Column("submitter_email", sa.String(length=254), nullable=False),
        sa.Column("submitter_organisation", sa.String(length=300), nullable=False),
        sa.Column("seed_key", sa.String(length=80), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "contribution_mode IN ('direct', 'social_actors', 'both')",
            name=op.f("ck_lab_practice_contribution_mode"),
        ),
        sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')", name=op.f("ck_lab_practice_status")),
        sa.CheckConstraint("target_group IN ('TCN', 'BIP', 'both')", name=op.f("ck_lab_practice_target_group")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lab_practice")),
        sa.UniqueConstraint("seed_key", name=op.f("uq_lab_practice_seed_key")),
    )
    op.create_index(op.f("ix_lab_practice_country"), "lab_practice", ["country"], unique=False)
    op.create_index(op.f("ix_lab_practice_region_id"), "lab_practice", ["region_id"], unique=False)
    op.create_index(op.f("ix_lab_practice_status"), "lab_practice", ["status"], unique=False)

    op.create_table(
        "lab_assessment",
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("aspect", sa.String(length=30), nullable=False),
        sa.Column("inspiring", sa.Text(), nullable=False),
        sa.Column("improvement", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["lab_practice.id"],
            name=op.f("fk_lab_assessment_practice_id_lab_practice"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("practice_id", "aspect", name=op.f("pk_lab_assessment")),
    )
    op.create_table(
        "lab_practice_area",
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["lab_practice.id"],
            name=op.f("fk_lab_practice_area_practice_id_lab_practice"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("practice_id", "area", name=op.f("pk_lab_practice_area")),
    )
    op.create_index(op.f("ix_lab_practice_area_area"), "lab_practice_area", ["area"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_lab_practice_area_area"), table_name="lab_practice_area")
    op.drop_table("lab_practice_area")
    op.drop_table("lab_assessment")
    op.drop_index(op.f("ix_lab_practice_status"), table_name="lab_practice")
    op.drop_index(op.f("ix_lab_practice_region_id"), table_name="lab_practice")
    op.drop_index(op.f("ix_lab_practice_country"), table_name="lab_practice")
    op.drop_table("lab_practice")
