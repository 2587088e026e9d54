from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, LargeBinary, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import db
from survey_app.models._time import utcnow

region_member = Table(
    "region_member", db.metadata,
    Column("region_id", ForeignKey("region.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
    # One region per municipality: two regions over the same members could be subtracted from each
    # other to give a small member's hidden figures (migration 0015).
    UniqueConstraint("organisation_id", name="uq_region_member_organisation"),
)


class Region(db.Model):
    """Municipalities that share a host installation and compare themselves (e.g. Salten)."""

    __tablename__ = "region"
    __table_args__ = (CheckConstraint("written_standard IN ('nn', 'nb')", name="region_written_standard"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    written_standard: Mapped[str] = mapped_column(String(2), default="nb")

    organisations = relationship("Organisation", secondary=region_member, order_by="Organisation.name")


class Report(db.Model):
    """A generated quarterly report, kept exactly as it was sent.

    ``content`` is every figure and text the PDF shows, after the privacy gate; ``pdf`` is the
    file. Both are written once: a new version is a new row. Re-rendering ``content`` gives the
    same bytes (``content_sha256`` and ``pdf_sha256`` let anyone check), and preparing the content
    again from the database tells whether the data has changed since.
    """

    __tablename__ = "report"
    __table_args__ = (
        CheckConstraint("(organisation_id IS NULL) <> (region_id IS NULL)", name="report_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(6))
    language: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_by: Mapped[str] = mapped_column(String(254))  # kept when the account is gone
    analysis_run_id: Mapped[int | None] = mapped_column(ForeignKey("analysis_run.id", ondelete="SET NULL"))
    code_version: Mapped[str] = mapped_column(String(40))
    content: Mapped[dict] = mapped_column(JSON)
    content_sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int]

    region: Mapped[Region | None] = relationship()


ACTION_STATUSES = ("planned", "started", "done", "stopped")


class Action(db.Model):
    """A measure (tiltak) decided in response to a cause or a theme: the learning loop's last step."""

    __tablename__ = "action"
    __table_args__ = (CheckConstraint("status IN ('planned', 'started', 'done', 'stopped')", name="action_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    responsible: Mapped[str] = mapped_column(String(200))
    # What it targets: a cause code from the exit questionnaire, or a theme label from the analysis.
    cause: Mapped[str | None] = mapped_column(String(40))
    theme_label: Mapped[str | None] = mapped_column(String(200))
    started_on: Mapped[date]
    due_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(10), default="planned")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Title and description in the organisation's other written standard, {"nb": {"title": ..., "description": ...}}.
    translations: Mapped[dict | None] = mapped_column(JSON, default=dict)
