"""Admin pages. Role changes and new organisations are written to the audit log."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select

from survey_app import limits
from survey_app.admin import audit_words
from survey_app.access import get_in_organisation, host_admin_page, login_required, organisation_page
from survey_app.extensions import db
from survey_app.models import AuditEvent, Membership, Organisation, Unit, User
from survey_app.models._time import utcnow
from survey_app.services import accounts, audit, organisations, unit_tree
from survey_app.services.organisations import AdminError

bp = Blueprint("admin", __name__)
# Failed and held-back logins of the organisation's people (not their ordinary logins, which may
# be for another organisation they work for).
LOGIN_EVENTS = ("login_failed", "login_throttled")


def error_text(code: str) -> str:
    return {
        "bad_email": _("That is not an e-mail address."),
        "name_required": _("A name is needed."),
        "control_characters": _("A name cannot hold line breaks, tabs or other control characters."),
        "bad_role": _("Choose a role."),
        "leader_needs_unit": _("A leader must be given a unit."),
        "bad_unit": _("There is no such unit."),
        "last_admin": _("You are the last administrator; give someone else the role first."),
        "bad_slug": _("The short name may only have lower-case letters, digits and hyphens (3 to 60)."),
        "slug_taken": _("That short name is taken."),
        "bad_standard": _("Choose nynorsk or bokmål."),
        "bad_minimum": _("The smallest group must be between %(floor)d and 50.",
                         floor=current_app.config["MIN_GROUP_SIZE_FLOOR"]),
        "bad_code": _("The code may have letters, digits and - . / _ (up to 40)."),
        "code_taken": _("Another unit has that code."),
        "cycle": _("A unit cannot be placed under itself or under one of its own units."),
        "bad_days": _("The number of days must be between 1 and 3650."),
        "password_wrong": _("The current password is wrong."),
        "password_mismatch": _("The two new passwords are not the same."),
        "too_short": _("The password must have at least %(n)d characters.", n=accounts.MIN_PASSWORD_LENGTH),
        "too_long": _("The password is too long."),
        "contains_email": _("The password must not contain your e-mail address."),
        "too_simple": _("The password is too easy to guess."),
    }.get(code, _("That could not be done."))


@bp.route("/org/<org_slug>/admin/brukarar", methods=["GET", "POST"])
@organisation_page("admin")
def users():
    units = db.session.scalars(select(Unit).where(Unit.organisation_id == g.organisation.id).order_by(Unit.code)).all()
    new_password = None
    if request.method == "POST":
        unit = next((u for u in units if str(u.id) == request.form.get("unit")), None)
        try:
            user, new_password = organisations.find_or_create_user(db.session, request.form.get("email", ""),
                                                                   request.form.get("name", ""))
            organisations.grant(db.session, user, g.organisation, request.form.get("role", ""), unit)
            audit.record(db.session, "role_grant", user_id=g.user.id, organisation_id=g.organisation.id, commit=False,
                         target=user.id, role=request.form.get("role", ""))
            db.session.commit()
            flash(_("%(email)s now has the role %(role)s.", email=user.email,
                    role=current_app.jinja_env.filters["role_name"](request.form.get("role", ""))))
        except AdminError as error:
            db.session.rollback()
            flash(error_text(str(error)))
            new_password = None
    memberships = db.session.execute(select(Membership, User).join(User).where(
        Membership.organisation_id == g.organisation.id).order_by(User.name, Membership.role)).all()
    return render_template("admin/users.html", memberships=memberships, units=units, new_password=new_password,
                           roles=accounts.ROLE_ORDER)


@bp.post("/org/<org_slug>/admin/brukarar/<int:membership_id>/fjern")
@organisation_page("admin")
def revoke(membership_id: int):
    membership = get_in_organisation(Membership, membership_id, g.organisation.id)
    try:
        target, role = membership.user_id, membership.role
        organisations.revoke(db.session, membership, g.user)
        audit.record(db.session, "role_revoke", user_id=g.user.id, organisation_id=g.organisation.id, commit=False,
                     target=target, role=role)
        db.session.commit()
        flash(_("The role is removed."))
    except AdminError as error:
        db.session.rollback()
        flash(error_text(str(error)))
    return redirect(url_for("admin.users", org_slug=g.organisation.slug))


@bp.route("/org/<org_slug>/admin/innstillingar", methods=["GET", "POST"])
@organisation_page("admin")
def settings():
    if request.method == "POST":
        def number(field: str, default: int | None = -1) -> int | None:
            value = request.form.get(field, "")
            if value == "" and default is None:
                return None
            try:
                return int(value)
            except ValueError:
                return -1
        minimum = number("min_group_size")
        try:
            organisations.update_settings(g.organisation, request.form.get("name", ""),
                                          request.form.get("written_standard", ""), minimum,
                                          current_app.config["MIN_GROUP_SIZE_FLOOR"],
                                          number("raw_text_days", None), number("identity_days", None))
            audit.record(db.session, "settings_change", user_id=g.user.id, organisation_id=g.organisation.id,
                         commit=False, min_group_size=minimum)
            db.session.commit()
            flash(_("The settings are saved."))
            return redirect(url_for("admin.settings", org_slug=g.organisation.slug))
        except AdminError as error:
            db.session.rollback()
            flash(error_text(str(error)))
    return render_template("admin/settings.html", floor=current_app.config["MIN_GROUP_SIZE_FLOOR"])


@bp.get("/org/<org_slug>/admin/logg")
@organisation_page("admin")
def audit_log():
    # Logins belong to no organisation; an admin sees the failed ones of the organisation's own
    # people, so that someone guessing at a colleague's password shows.
    members = select(Membership.user_id).where(Membership.organisation_id == g.organisation.id)
    own = or_(AuditEvent.organisation_id == g.organisation.id,
              and_(AuditEvent.organisation_id.is_(None), AuditEvent.action.in_(LOGIN_EVENTS),
                   AuditEvent.user_id.in_(members)))
    events = db.session.execute(select(AuditEvent, User.email).outerjoin(User, AuditEvent.user_id == User.id)
                                .where(own).order_by(AuditEvent.id.desc()).limit(500)).all()
    since = utcnow() - timedelta(days=7)
    throttled = db.session.execute(select(func.count(), func.count(func.distinct(AuditEvent.user_id))).where(
        own, AuditEvent.action == "login_throttled", AuditEvent.at >= since)).one()
    return render_template("admin/audit.html", events=events, throttled=throttled[0], throttled_users=throttled[1],
                           event_name=audit_words.event_name, detail_text=audit_words.detail_text)


@bp.route("/org/<org_slug>/einingar", methods=["GET", "POST"])
@organisation_page("admin", "hr")
def units():
    if request.method == "POST":
        unit = None
        if request.form.get("unit_id"):
            unit = get_in_organisation(Unit, request.form["unit_id"], g.organisation.id)
        try:
            organisations.save_unit(db.session, g.organisation, request.form.get("code", ""),
                                    request.form.get("name", ""), request.form.get("parent"), unit)
            db.session.commit()
            flash(_("The unit is saved."))
            return redirect(url_for("admin.units", org_slug=g.organisation.slug))
        except AdminError as error:
            db.session.rollback()
            flash(error_text(str(error)))
    all_units = db.session.scalars(select(Unit).where(Unit.organisation_id == g.organisation.id)).all()
    sectors = sorted((u for u in all_units if u.parent_id is None), key=lambda u: u.name)
    # Units in a loop, and units under them, hang under no sector, so the tree would not show them:
    # list them to be mended.
    parent_of = {u.id: u.parent_id for u in all_units}
    looped = sorted((u for u in all_units if unit_tree.path_to_root(parent_of, u.id)[1]), key=lambda u: u.name)
    return render_template("admin/units.html", sectors=sectors, all_units=sorted(all_units, key=lambda u: u.code),
                           looped=looped)


@bp.route("/vert", methods=["GET", "POST"])
@host_admin_page
def host():
    new_password = None
    if request.method == "POST":
        try:
            organisation = organisations.create_organisation(db.session, request.form.get("slug", ""),
                                                             request.form.get("name", ""),
                                                             request.form.get("written_standard", ""))
            user, new_password = organisations.find_or_create_user(db.session, request.form.get("admin_email", ""),
                                                                   request.form.get("admin_name", ""))
            organisations.grant(db.session, user, organisation, "admin")
            audit.record(db.session, "organisation_create", user_id=g.user.id, organisation_id=organisation.id,
                         commit=False, admin=user.id)
            db.session.commit()
            flash(_("%(name)s is created, with %(email)s as administrator.", name=organisation.name, email=user.email))
        except AdminError as error:
            db.session.rollback()
            flash(error_text(str(error)))
            new_password = None
    organisations_list = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    return render_template("admin/host.html", organisations=organisations_list, new_password=new_password)


@bp.route("/konto/passord", methods=["GET", "POST"])
@login_required
def password():
    problem = None
    if request.method == "POST":
        current, new, again = (request.form.get(k, "") for k in ("current", "new", "again"))
        guard = limits.Guard("password", f"user:{g.user.id}", g.user.id)
        guard.check_wait()
        if not g.user.check_password(current):
            guard.failed()
            problem = "password_wrong"
        elif new != again:
            problem = "password_mismatch"
        else:
            problem = accounts.password_problem(new, g.user.email)
        if problem != "password_wrong":
            guard.succeeded()
        if problem is None:
            g.user.set_password(new)
            g.user.must_change_password = False
            db.session.commit()
            # Other logins (another browser, a stolen cookie) end; this one gets a new key.
            accounts.end_all_sessions(db.session, g.user)
            from survey_app.auth.views import SESSION_KEY
            session[SESSION_KEY] = accounts.start_session(db.session, g.user)
            audit.record(db.session, "password_change", user_id=g.user.id)
            flash(_("Your password is changed."))
            return redirect(url_for("hr.home"))
    return render_template("admin/password.html", problem=error_text(problem) if problem else None,
                           minimum=accounts.MIN_PASSWORD_LENGTH), 400 if problem else 200
