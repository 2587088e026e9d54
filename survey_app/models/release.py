from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.extensions import db
from survey_app.models._time import today


class ReleasedGroup(db.Model):
    """A group of respondents (or of people) a staff member has been shown.

    What was shown once stays out there (a saved export, a screenshot), so every later release of
    the same family counts it as shown: the results pages of next quarter can then never be
    subtracted from this quarter's. ``scope`` is "" for the whole organisation (HR, reports) and a
    fingerprint of the units for a leader (``ReaderScope``).
    """

    __tablename__ = "released_group"
    __table_args__ = (UniqueConstraint("organisation_id", "family", "scope", "key", name="uq_released_group"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    family: Mapped[str] = mapped_column(String(80))
    scope: Mapped[str] = mapped_column(String(64), default="")
    key: Mapped[str] = mapped_column(String(300))  # the group's key as JSON
    first_shown: Mapped[date] = mapped_column(default=today)


class ReaderScope(db.Model):
    """The units behind a leader's scope fingerprint. A leader's units change (a second unit, a new
    team below theirs); what an earlier scope was shown is laid over the same respondents in every
    later release for a leader, so it is kept which respondents that scope covered."""

    __tablename__ = "reader_scope"
    __table_args__ = (UniqueConstraint("organisation_id", "scope", name="uq_reader_scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(64))
    units: Mapped[list] = mapped_column(JSON, default=list)
