"""SQLAlchemy 2 typed declarative models of the Integration Lab.

One ``lab_practice`` row per practice, with its policy areas (``lab_practice_area``) and its
7-aspect assessment (``lab_assessment``: one row per aspect with an "inspiring element" and a
"room for improvement" text). Submissions start as ``pending`` and are shown only once ``approved``.
The schema is created and changed only by the Alembic migrations in ``dashboard/lab/migrations``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Practice(Base):
    __tablename__ = "lab_practice"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status"),
        CheckConstraint("target_group IN ('TCN', 'BIP', 'both')", name="target_group"),
        CheckConstraint("contribution_mode IN ('direct', 'social_actors', 'both')", name="contribution_mode"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200))
    region_id: Mapped[str] = mapped_column(String(10), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    year_start: Mapped[int | None] = mapped_column(Integer)
    year_end: Mapped[int | None] = mapped_column(Integer)
    target_group: Mapped[str] = mapped_column(String(4))
    responsible_body: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    regional_contribution: Mapped[str] = mapped_column(Text, default="")
    contribution_mode: Mapped[str] = mapped_column(String(20), default="direct")
    lessons_learnt: Mapped[str] = mapped_column(Text, default="")
    transferability_tips: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[str] = mapped_column(Text, default="")  # one http(s) URL per line
    provenance: Mapped[str] = mapped_column(Text)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(2), default="en")
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    review_note: Mapped[str] = mapped_column(Text, default="")
    submitter_name: Mapped[str] = mapped_column(String(200), default="")  # never exported
    submitter_email: Mapped[str] = mapped_column(String(254), default="")  # never exported
    submitter_organisation: Mapped[str] = mapped_column(String(300), default="")
    seed_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    search_text: Mapped[str] = mapped_column(Text, default="")  # folded text for full-text search
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    areas: Mapped[list[PracticeArea]] = relationship(
        back_populates="practice", cascade="all, delete-orphan", order_by="PracticeArea.area", lazy="selectin"
    )
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="practice", cascade="all, delete-orphan", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"Practice(id={self.id!r}, title={self.title!r}, region_id={self.region_id!r}, status={self.status!r})"


class PracticeArea(Base):
    __tablename__ = "lab_practice_area"

    practice_id: Mapped[int] = mapped_column(
        ForeignKey("lab_practice.id", ondelete="CASCADE"), primary_key=True
    )
    area: Mapped[str] = mapped_column(String(30), primary_key=True, index=True)

    practice: Mapped[Practice] = relationship(back_populates="areas")


class Assessment(Base):
    __tablename__ = "lab_assessment"

    practice_id: Mapped[int] = mapped_column(
        ForeignKey("lab_practice.id", ondelete="CASCADE"), primary_key=True
    )
    aspect: Mapped[str] = mapped_column(String(30), primary_key=True)
    inspiring: Mapped[str] = mapped_column(Text, default="")
    improvement: Mapped[str] = mapped_column(Text, default="")

    practice: Mapped[Practice] = relationship(back_populates="assessments")
