"""Organisations, their units and their people's roles: what admins and the host admin manage."""
from __future__ import annotations

import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app.models import Membership, Organisation, Unit, User
from survey_app.services import unit_tree
from survey_app.services.accounts import ROLE_ORDER
from survey_app.validation import has_control_characters, is_email

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$")


class AdminError(Exception):
    """A change the rules do not allow; the code is translated by the view."""


def _check_name(name: str) -> None:
    if not name.strip():
        raise AdminError("name_required")
    if has_control_characters(name.strip()):
        raise AdminError("control_characters")


def one_time_password() -> str:
    # Four groups of four hex digits: 64 bits, easy to read out over the phone.
    return "-".join(secrets.token_hex(2) for _ in range(4))


def find_or_create_user(session: Session, email: str, name: str) -> tuple[User, str | None]:
    """The user with this e-mail, or a new one with a one-time password (returned, never stored)."""
    email = email.strip().lower()
    if not is_email(email):
        raise AdminError("bad_email")
    user = session.scalars(select(User).where(User.email == email)).first()
    if user is not None:
        return user, None
    _check_name(name)
    password = one_time_password()
    user = User(email=email, name=name.strip()[:200], must_change_password=True)
    user.set_password(password)
    session.add(user)
    session.flush()
    return user, password


def grant(session: Session, user: User, organisation: Organisation, role: str, unit: Unit | None = None) -> None:
    if role not in ROLE_ORDER:
        raise AdminError("bad_role")
    if role == "leader" and unit is None:
        raise AdminError("leader_needs_unit")
    if unit is not None and unit.organisation_id != organisation.id:
        raise AdminError("bad_unit")
    existing = session.scalars(select(Membership).filter_by(user_id=user.id, organisation_id=organisation.id,
                                                            role=role)).first()
    if existing is None:
        session.add(Membership(user_id=user.id, organisation_id=organisation.id, role=role,
                               unit_id=unit.id if role == "leader" and unit else None))
    elif role == "leader":
        existing.unit_id = unit.id
    session.flush()


def revoke(session: Session, membership: Membership, acting_user: User) -> None:
    if membership.role == "admin" and membership.user_id == acting_user.id:
        others = session.scalars(select(Membership).where(
            Membership.organisation_id == membership.organisation_id, Membership.role == "admin",
            Membership.user_id != acting_user.id)).first()
        if others is None:
            raise AdminError("last_admin")
    session.delete(membership)
    session.flush()


def create_organisation(session: Session, slug: str, name: str, written_standard: str) -> Organisation:
    slug = slug.strip().lower()
    if not SLUG.match(slug):
        raise AdminError("bad_slug")
    if session.scalars(select(Organisation).filter_by(slug=slug)).first() is not None:
        raise AdminError("slug_taken")
    _check_name(name)
    if written_standard not in ("nn", "nb"):
        raise AdminError("bad_standard")
    organisation = Organisation(slug=slug, name=name.strip()[:200], written_standard=written_standard)
    session.add(organisation)
    session.flush()
    return organisation


def update_settings(organisation: Organisation, name: str, written_standard: str, min_group_size: int,
                    floor: int, raw_text_days: int | None = None, identity_days: int | None = None) -> None:
    _check_name(name)
    if written_standard not in ("nn", "nb"):
        raise AdminError("bad_standard")
    if min_group_size < floor or min_group_size > 50:
        raise AdminError("bad_minimum")
    for days in (raw_text_days, identity_days):
        if days is not None and not 1 <= days <= 3650:
            raise AdminError("bad_days")
    organisation.name = name.strip()[:200]
    organisation.written_standard = written_standard
    organisation.min_group_size = min_group_size
    if raw_text_days is not None:
        organisation.raw_text_days = raw_text_days
    if identity_days is not None:
        organisation.identity_days = identity_days


def save_unit(session: Session, organisation: Organisation, code: str, name: str, parent_code: str | None,
              unit: Unit | None = None) -> Unit:
    code, name = code.strip(), name.strip()
    if not code or not re.match(r"^[\w.\-/]{1,40}$", code):
        raise AdminError("bad_code")
    _check_name(name)
    units = {u.code.lower(): u for u in session.scalars(select(Unit).where(Unit.organisation_id == organisation.id))}
    clash = units.get(code.lower())
    if clash is not None and clash is not unit:
        raise AdminError("code_taken")
    parent = units.get(parent_code.strip().lower()) if parent_code and parent_code.strip() else None
    if parent_code and parent_code.strip() and parent is None:
        raise AdminError("bad_unit")
    if unit is not None and unit_tree.would_loop(unit_tree.parent_map(session, organisation.id), unit.id,
                                                 parent.id if parent is not None else None):
        raise AdminError("cycle")
    if unit is None:
        unit = Unit(organisation_id=organisation.id, code=code, name=name)
        session.add(unit)
    unit.code, unit.name, unit.parent = code, name[:200], parent
    session.flush()
    return unit
