"""Log in and out. The browser's session cookie carries only a random key; the login itself lives
in the ``user_session`` table, so logging out or disabling a user ends it everywhere."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from survey_app import limits
from survey_app.auth.forms import LoginForm
from survey_app.extensions import db
from survey_app.services import accounts, audit

bp = Blueprint("auth", __name__)
SESSION_KEY = "staff_session"


def load_logged_in_user() -> None:
    """Before every request: the user behind the session cookie, if the login is still alive."""
    g.user = None
    key = session.get(SESSION_KEY)
    if not key:
        return
    config = current_app.config
    row = accounts.current_session(db.session, key, idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
                                   absolute=timedelta(hours=config["SESSION_ABSOLUTE_HOURS"]))
    if row is None:
        session.pop(SESSION_KEY, None)
        flash(_("You were logged out because you had been inactive for a while. Log in again."))
        return
    g.user = row.user


def _safe_next(target: str | None) -> str | None:
    # Only paths on this site: an open redirect would let a phishing mail borrow our address.
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/logg-inn", methods=["GET", "POST"])
def login():
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        limits.check("login")
        limits.check("login_email", form.email.data.strip().lower())
        user = accounts.authenticate(db.session, form.email.data, form.password.data)
        if user is None:
            audit.record(db.session, "login_failed")
            failed = True
        else:
            old = session.get(SESSION_KEY)
            accounts.end_session(db.session, old)
            session.clear()  # a fresh session at login: nothing from before survives
            session[SESSION_KEY] = accounts.start_session(db.session, user)
            session.permanent = True
            audit.record(db.session, "login", user_id=user.id)
            return redirect(_safe_next(request.args.get("next")) or url_for("hr.home"))
    status = 401 if failed else (400 if form.errors else 200)
    return render_template("auth/login.html", form=form, failed=failed), status


@bp.post("/logg-ut")
def logout():
    user = g.get("user")
    accounts.end_session(db.session, session.get(SESSION_KEY))
    session.clear()
    if user is not None:
        audit.record(db.session, "logout", user_id=user.id)
    flash(_("You are logged out."))
    return redirect(url_for("auth.login"))
