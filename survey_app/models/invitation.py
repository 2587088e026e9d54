from __future__ import annotations

import enum
import hashlib
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.extensions import db
from survey_app.models._time import utcnow


def hash_token(token: str) -> str:
    """Tokens carry >=128 random bits, so a plain SHA-256 is enough to make the stored value useless."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class InvitationStatus(str, enum.Enum):
    created = "created"
    sent = "sent"
    opened = "opened"
    used = "used"
    expired = "expired"


# An invitation still waiting for an answer (the link can be used, a reminder can be sent).
OPEN_STATES = (InvitationStatus.created, InvitationStatus.sent, InvitationStatus.opened)


class Invitation(db.Model):
    """A personal, single-use link to one questionnaire.

    The invitation records only *that* it was used, never which response it produced.
    """

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    questionnaire_key: Mapped[str] = mapped_column(String(60))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[InvitationStatus] = mapped_column(
        Enum(InvitationStatus, native_enum=False, length=10, validate_strings=True),
        default=InvitationStatus.created,
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    # Who it is for (identity data stays in ``person``) and when it may first be sent.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    send_after: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    sent_to: Mapped[str | None] = mapped_column(String(10))  # "private", "work" or "letter"
    reminders_sent: Mapped[int] = mapped_column(default=0)
    last_sent_at: Mapped[datetime | None]
    # The quarter the answer came in, never the day: follow-up counts answers per closed quarter,
    # fixed once the quarter has ended, and a day would help tie an answer to its sender.
    answered_quarter: Mapped[str | None] = mapped_column(String(6))
    # For people without e-mail: a short code typed in on /kode, stored as a hash like the token.
    letter_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The link is derived from this salt and the app's secret, so a reminder can carry the same
    # link without the link itself ever being stored.
    token_salt: Mapped[str | None] = mapped_column(String(32))

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.status is InvitationStatus.expired or (now or utcnow()) >= self.expires_at
