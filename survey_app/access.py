"""Who may open a staff page: every organisation page goes through ``organisation_page``.

Pages live under ``/org/<org_slug>/``; the decorator loads the organisation, checks the
user's roles in it and puts both on ``g``. A user without a role there gets 404, not 403, so
nobody learns which organisations an installation serves.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, g, redirect, request, url_for
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Organisation
from survey_app.services.accounts import access_for



def _own_password_first():
    """A user still on a password somebody else was told chooses their own before anything else."""
    if g.user.must_change_password and request.endpoint not in ("admin.password",):
        return redirect(url_for("admin.password"))
    return None


def login_required(view):
    @wraps(view)
    def wrapper(**kwargs):
        if g.get("user") is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return _own_password_first() or view(**kwargs)
    wrapper.required_roles = ("logged_in",)
    return wrapper


def organisation_page(*roles: str):
    def decorator(view):
        @wraps(view)
        def wrapper(org_slug: str, **kwargs):
            if g.get("user") is None:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if (first := _own_password_first()) is not None:
                return first
            organisation = db.session.scalars(select(Organisation).filter_by(slug=org_slug)).first()
            if organisation is None:
                abort(404)
            access = access_for(db.session, g.user, organisation)
            if not access.has(*roles):
                abort(404)
            g.organisation, g.access = organisation, access
            return view(**kwargs)
        wrapper.required_roles = roles
        return wrapper
    return decorator


def host_admin_page(view):
    @wraps(view)
    def wrapper(**kwargs):
        if g.get("user") is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if not g.user.is_host_admin:
            abort(404)
        return _own_password_first() or view(**kwargs)
    wrapper.required_roles = ("host_admin",)
    return wrapper


MAX_ID = 2**63 - 1


def get_in_organisation(model, value, organisation_id: int | None = None, owner=None):
    """The row of ``model`` with id ``value`` that belongs to the organisation, or 404.

    Ids come from URLs and forms, so anything (text, a 30-digit number) must end in a 404, never
    in a database error.
    """
    try:
        key = int(value)
    except (TypeError, ValueError):
        abort(404)
    if not 0 < key <= MAX_ID:
        abort(404)
    row = db.session.get(model, key)
    if row is None:
        abort(404)
    if organisation_id is not None and getattr(row, "organisation_id", organisation_id) != organisation_id:
        abort(404)
    if owner is not None and not owner(row):
        abort(404)
    return row
