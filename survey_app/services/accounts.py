"""Logins held on the server: authenticate, start, check and end sessions; who may do what where."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from survey_app.models import Membership, Organisation, Unit, User, UserSession
from survey_app.models._time import utcnow
from survey_app.services import totp

# Checked when the e-mail is unknown, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")
MIN_PASSWORD_LENGTH = 12

ROLE_ORDER = ("admin", "hr", "leader", "committee")


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = session.scalars(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user


def use_totp_code(session: Session, user: User, code: str) -> bool:
    """True if ``code`` is the user's current code and has not been used before."""
    step = totp.matching_step(user.totp_secret, code, user.totp_last_step) if user.totp_secret else None
    if step is None:
        return False
    user.totp_last_step = step
    session.commit()
    return True


def begin_totp(session: Session, user: User) -> None:
    user.totp_pending = totp.new_secret()
    session.commit()


def confirm_totp(session: Session, user: User, code: str) -> bool:
    """The first code from the app proves it holds the new secret; only then is it switched on."""
    step = totp.matching_step(user.totp_pending, code, None)
    if step is None:
        return False
    user.totp_secret, user.totp_pending, user.totp_last_step = user.totp_pending, None, step
    session.commit()
    return True


def stop_totp(session: Session, user: User) -> None:
    user.totp_secret = user.totp_pending = user.totp_last_step = None
    session.commit()


def start_session(session: Session, user: User) -> str:
    """A new random key per login (the session id is rotated); only its hash is stored."""
    key = secrets.token_urlsafe(32)
    session.add(UserSession(key_hash=_hash(key), user_id=user.id))
    session.commit()
    return key


def current_session(session: Session, key: str | None, idle: timedelta, absolute: timedelta,
                    now: datetime | None = None) -> UserSession | None:
    """The live session for ``key``, touched; expired, revoked or disabled sessions are deleted."""
    if not key:
        return None
    row = session.scalars(select(UserSession).where(UserSession.key_hash == _hash(key))).first()
    if row is None:
        return None
    now = now or utcnow()
    if now - row.last_seen_at > idle or now - row.created_at > absolute or not row.user.is_active:
        session.delete(row)
        session.commit()
        return None
    # Writing on every request would serialise SQLite writers; a minute's precision is plenty.
    if now - row.last_seen_at > timedelta(minutes=1):
        row.last_seen_at = now
        session.commit()
    return row


def end_session(session: Session, key: str | None) -> None:
    if key:
        session.execute(delete(UserSession).where(UserSession.key_hash == _hash(key)))
        session.commit()


def end_all_sessions(session: Session, user: User) -> None:
    session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    session.commit()


def password_problem(password: str, email: str = "") -> str | None:
    """Current guidance (NIST SP 800-63B, NSM): length, not composition rules; refuse the obvious."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "too_short"
    if len(password) > 256:
        return "too_long"
    lowered = password.lower()
    if email and email.split("@")[0].lower() in lowered:
        return "contains_email"
    if len(set(lowered)) < 4 or lowered in {"passord123456", "password1234", "123456789012", "kvifor123456"}:
        return "too_simple"
    return None


@dataclass(frozen=True)
class Access:
    """What one user may do in one organisation."""
    organisation: Organisation
    roles: frozenset[str]
    leader_units: frozenset[int]  # unit ids a leader may see (with the units under them)

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


def access_for(session: Session, user: User, organisation: Organisation) -> Access:
    rows = session.scalars(select(Membership).where(Membership.user_id == user.id,
                                                    Membership.organisation_id == organisation.id)).all()
    return Access(organisation=organisation, roles=frozenset(r.role for r in rows),
                  leader_units=frozenset(r.unit_id for r in rows if r.role == "leader" and r.unit_id))


def organisations_of(session: Session, user: User) -> list[tuple[Organisation, list[str]]]:
    rows = session.execute(select(Organisation, Membership.role).join(Membership)
                           .where(Membership.user_id == user.id).order_by(Organisation.name)).all()
    result: dict[int, tuple[Organisation, list[str]]] = {}
    for organisation, role in rows:
        result.setdefault(organisation.id, (organisation, []))[1].append(role)
    return [(o, sorted(r, key=ROLE_ORDER.index)) for o, r in result.values()]


def units_below(session: Session, organisation_id: int, roots: frozenset[int]) -> set[int]:
    units = session.execute(select(Unit.id, Unit.parent_id).where(Unit.organisation_id == organisation_id)).all()
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in units:
        children.setdefault(parent_id, []).append(unit_id)
    found, stack = set(), list(roots)
    while stack:
        unit_id = stack.pop()
        if unit_id not in found:
            found.add(unit_id)
            stack.extend(children.get(unit_id, []))
    return found
