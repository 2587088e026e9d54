from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.extensions import db


class RateLimitHit(db.Model):
    """Attempts per key per time window, shared by all app processes through the database.

    The key is a keyed hash of what is limited (an address, an e-mail), never the value itself, and
    rows older than their window are deleted as new ones are written.
    """

    __tablename__ = "rate_limit_hit"
    __table_args__ = (UniqueConstraint("key_hash", "window_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    window_start: Mapped[datetime] = mapped_column(index=True)
    count: Mapped[int] = mapped_column(default=0)


class FailureStreak(db.Model):
    """Wrong passwords or codes in a row for one key: an (account, client address) pair, or an account
    on its own. The streak sets how long the next attempt must wait; a success ends it.

    Like ``RateLimitHit``, the key is a keyed hash, never the e-mail or address itself.
    """

    __tablename__ = "failure_streak"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    failures: Mapped[int] = mapped_column(default=0)
    first_at: Mapped[datetime] = mapped_column()
    last_at: Mapped[datetime] = mapped_column(index=True)
