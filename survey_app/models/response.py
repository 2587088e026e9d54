from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Enum, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import db
from survey_app.models._time import today, utcnow

if TYPE_CHECKING:  # the mapper resolves the name itself; this import is for readers and linters
    from survey_app.models.org import Organisation


class Channel(str, enum.Enum):
    invitation = "invitation"
    open_link = "open_link"
    interview = "interview"


_channel_type = Enum(Channel, native_enum=False, length=12, validate_strings=True)


class Response(db.Model):
    """A submitted questionnaire.

    Deliberately holds no invitation id, token, IP address, user agent or time of day: an
    anonymous response cannot be traced back to the person who was invited.
    """

    __tablename__ = "response"
    # Also ordered by id: the dashboard lists an organisation's newest free text by walking this
    # index backwards and stopping after a page, instead of sorting all of its answers.
    __table_args__ = (Index("ix_response_organisation_id_id", "organisation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_version.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(2))
    channel: Mapped[Channel] = mapped_column(_channel_type)
    submitted_on: Mapped[date] = mapped_column(default=today, index=True)

    answers: Mapped[list[Answer]] = relationship(back_populates="response", cascade="all, delete-orphan")


class ConfidentialLink(db.Model):
    """The one link from a confidential (not anonymous) response to the person who gave it.

    Only an exit interview that HR records with the leaver, and ties to them, makes one. It lives
    in a table of its own so that an anonymous response has no column that could hold a link; it
    is what lets the person see or erase their answers later. It goes with the person (erasure,
    or deletion of the organisation), which leaves the response as anonymous as any other.
    """

    __tablename__ = "confidential_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)

    response: Mapped[Response] = relationship()


class Answer(db.Model):
    """One value. A multi-choice question gives one row per chosen option, so counts are plain GROUP BYs."""

    __tablename__ = "answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(String(60), index=True)
    value_text: Mapped[str | None] = mapped_column(Text)
    # Free text with personal data replaced, made at submit: the only form of the text that is
    # analysed, shown, exported or printed. ``value_text`` (raw) is kept only as retention allows.
    value_scrubbed: Mapped[str | None] = mapped_column(Text)
    value_num: Mapped[float | None] = mapped_column(Float)

    response: Mapped[Response] = relationship(back_populates="answers")


class ResponseDraft(db.Model):
    """Answers in progress, saved on every page so a closed browser can resume.

    Found again through a secret key (kept in the respondent's cookie, stored here only as a
    hash) or through the invitation. Deleted in the same transaction that creates the Response.
    """

    __tablename__ = "response_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_version.id"))
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), unique=True
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    # Set only for a confidential interview: the submit turns it into a ConfidentialLink.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    channel: Mapped[Channel] = mapped_column(_channel_type)
    language: Mapped[str] = mapped_column(String(2))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    page: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # Every respondent page needs the organisation (its name, its language); load it with the draft.
    organisation: Mapped[Organisation] = relationship(lazy="joined", viewonly=True)
