"""Growing delays after wrong passwords and codes, kept in the database for every app process.

A plain limit per account lets anyone lock a named HR adviser out by typing wrong passwords for
her address. So the delay belongs to the pair (account, client address): the guesser waits longer
and longer, while the adviser at her own desk is not touched. A ceiling per account, far higher,
stops a guesser who spreads over many addresses; past it only an account with a second factor
gets in (with the right password and then the right code).
"""
from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from survey_app.models._time import utcnow
from survey_app.models.limits import FailureStreak


@dataclass(frozen=True)
class Policy:
    free_failures: int = 5        # wrong attempts from one address before any delay
    base_seconds: float = 2.0     # the first delay; each further failure doubles it
    max_seconds: int = 900        # the delay never grows beyond this
    account_ceiling: int = 100    # failures per account, from all addresses together, per window
    account_window_minutes: int = 60
    forget_hours: int = 24        # a streak this old is forgotten

    @classmethod
    def from_config(cls, values: dict | None) -> Policy:
        return cls(**(values or {}))


def _key(secret: str, *parts: str) -> str:
    return hmac.new(secret.encode(), "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()


def source_tag(secret: str, address: str) -> str:
    """A short keyed tag of a client address, so the access log can tell one source from many
    without holding the address."""
    return _key(secret, "source", address)[:8]


def _streak(session: Session, key: str) -> FailureStreak | None:
    return session.scalars(select(FailureStreak).where(FailureStreak.key_hash == key)).first()


def _delay(policy: Policy, failures: int) -> float:
    if failures < policy.free_failures:
        return 0.0
    return min(policy.max_seconds, policy.base_seconds * 2 ** (failures - policy.free_failures))


def wait_seconds(session: Session, secret: str, scope: str, account: str, address: str, policy: Policy,
                 now: datetime | None = None) -> int:
    """How long this address must wait before its next try at this account (0: it may try now)."""
    now = now or utcnow()
    streak = _streak(session, _key(secret, scope, "pair", account, address))
    if streak is None or now - streak.last_at > timedelta(hours=policy.forget_hours):
        return 0
    remaining = (streak.last_at - now).total_seconds() + _delay(policy, streak.failures)
    return max(0, math.ceil(remaining))


def over_ceiling(session: Session, secret: str, scope: str, account: str, policy: Policy,
                 now: datetime | None = None) -> bool:
    """Whether the account as a whole has had too many failures in the current window."""
    now = now or utcnow()
    streak = _streak(session, _key(secret, scope, "account", account))
    return (streak is not None and now - streak.first_at <= timedelta(minutes=policy.account_window_minutes)
            and streak.failures >= policy.account_ceiling)


def _count(session: Session, key: str, now: datetime, alive) -> None:
    """One more failure for ``key``; a streak that is no longer ``alive`` starts again at 1."""
    updated = session.execute(update(FailureStreak).where(FailureStreak.key_hash == key, alive)
                              .values(failures=FailureStreak.failures + 1, last_at=now)).rowcount
    if updated:
        return
    restarted = session.execute(update(FailureStreak).where(FailureStreak.key_hash == key)
                                .values(failures=1, first_at=now, last_at=now)).rowcount
    if restarted:
        return
    try:
        with session.begin_nested():
            session.add(FailureStreak(key_hash=key, failures=1, first_at=now, last_at=now))
    except IntegrityError:  # another process started the streak a moment ago
        session.execute(update(FailureStreak).where(FailureStreak.key_hash == key)
                        .values(failures=FailureStreak.failures + 1, last_at=now))


def record_failure(session: Session, secret: str, scope: str, account: str, address: str, policy: Policy,
                   now: datetime | None = None) -> None:
    now = now or utcnow()
    forget = now - timedelta(hours=policy.forget_hours)
    # A pair's streak lives while failures keep coming; an account's counts within a fixed window.
    _count(session, _key(secret, scope, "pair", account, address), now, FailureStreak.last_at >= forget)
    _count(session, _key(secret, scope, "account", account), now,
           FailureStreak.first_at >= now - timedelta(minutes=policy.account_window_minutes))
    session.execute(delete(FailureStreak).where(FailureStreak.last_at < forget))
    session.commit()


def record_success(session: Session, secret: str, scope: str, account: str, address: str) -> None:
    """The right password or code from this address ends its streak (not the account's)."""
    session.execute(delete(FailureStreak).where(
        FailureStreak.key_hash == _key(secret, scope, "pair", account, address)))
    session.commit()
