from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.extensions import db
from survey_app.models._time import utcnow


class Person(db.Model):
    """Someone imported from the HR system to be invited: a leaver or a new hire.

    Identity data lives here and only here, apart from every answer: a response has no link to
    an invitation, and an invitation is the only link to a person. Name, e-mail and phone are
    erased (``identity_deleted_at``) a set number of days after the person's invitations close;
    what remains (unit, position, dates, age band) is what counts are made of.
    """

    __tablename__ = "person"
    __table_args__ = (
        UniqueConstraint("organisation_id", "source_key"),
        CheckConstraint("kind IN ('leaver', 'new_hire')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    # A hash of who and when, so importing the same file twice creates nobody twice.
    source_key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(200))
    email_work: Mapped[str | None] = mapped_column(String(254))
    email_private: Mapped[str | None] = mapped_column(String(254))
    mobile: Mapped[str | None] = mapped_column(String(30))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    position_pct: Mapped[float | None] = mapped_column(Float)
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    age_band: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    identity_deleted_at: Mapped[datetime | None]


class Headcount(db.Model):
    """Employees in a unit in a quarter, imported from the HR system: the denominator of turnover."""

    __tablename__ = "headcount"
    __table_args__ = (UniqueConstraint("unit_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(6))
    headcount: Mapped[int]


class ImportPreview(db.Model):
    """An uploaded file, parsed and waiting for HR to confirm. Deleted at confirm or cancel, and
    by the retention job after a day, so identity data does not linger here."""

    __tablename__ = "import_preview"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(200))
    rows: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
