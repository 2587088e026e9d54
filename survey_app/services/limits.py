"""A fixed-window rate limiter kept in the database, so several app processes share one count."""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from survey_app.models._time import utcnow
from survey_app.models.limits import RateLimitHit


_EPOCH = datetime(2000, 1, 1)


def hit(session: Session, secret: str, scope: str, value: str, limit: int, window: timedelta,
        now: datetime | None = None) -> bool:
    """Count one attempt; False when ``limit`` attempts were already made in this window."""
    now = now or utcnow()
    seconds = int(window.total_seconds())
    start = _EPOCH + timedelta(seconds=int((now - _EPOCH).total_seconds()) // seconds * seconds)
    key = hmac.new(secret.encode(), f"{scope}:{value}".encode(), hashlib.sha256).hexdigest()
    updated = session.execute(update(RateLimitHit).where(RateLimitHit.key_hash == key,
                                                          RateLimitHit.window_start == start)
                              .values(count=RateLimitHit.count + 1)).rowcount
    if not updated:
        try:
            with session.begin_nested():
                session.add(RateLimitHit(key_hash=key, window_start=start, count=1))
        except IntegrityError:  # another process created the row a moment ago
            session.execute(update(RateLimitHit).where(RateLimitHit.key_hash == key,
                                                       RateLimitHit.window_start == start)
                            .values(count=RateLimitHit.count + 1))
        session.execute(delete(RateLimitHit).where(RateLimitHit.window_start < start - window))
    count = session.scalar(select(RateLimitHit.count).where(RateLimitHit.key_hash == key,
                                                            RateLimitHit.window_start == start))
    session.commit()
    return count <= limit
