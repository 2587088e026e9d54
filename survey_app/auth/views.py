"""Log in and out. The browser's session cookie carries only a random key; the login itself lives
in the ``user_session`` table, so logging out or disabling a user ends it everywhere."""
from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from survey_app import limits
from survey_app.access import login_required
from survey_app.auth.forms import LoginForm
from survey_app.extensions import db
from survey_app.models import User
from survey_app.services import accounts, audit, totp

bp = Blueprint("auth", __name__)
SESSION_KEY = "staff_session"
PENDING_KEY = "login_pending"  # a user whose password was right and whose code is awaited
PENDING_SECONDS = 300


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
        email = form.email.data.strip().lower()
        account_id = db.session.scalar(select(User.id).where(User.email == email))
        guard = limits.Guard("login", email, account_id)
        guard.check_wait()
        user = accounts.authenticate(db.session, form.email.data, form.password.data)
        # Past the account's ceiling only a second factor still lets the right person in.
        if guard.over_ceiling() and (user is None or not user.totp_secret):
            if user is None:
                guard.failed()
            guard.refuse_ceiling()
        if user is None:
            guard.failed()
            audit.record(db.session, "login_failed", user_id=account_id)
            failed = True
        elif user.totp_secret:
            guard.succeeded()
            # The password was right; the login waits for the code, for a few minutes at most.
            accounts.end_session(db.session, session.get(SESSION_KEY))
            session.clear()
            session[PENDING_KEY] = {"user": user.id, "at": time.time()}
            return redirect(url_for("auth.second_factor", next=_safe_next(request.args.get("next"))))
        else:
            guard.succeeded()
            return _logged_in(user)
    status = 401 if failed else (400 if form.errors else 200)
    return render_template("auth/login.html", form=form, failed=failed), status


def _logged_in(user, second_factor: bool = False):
    accounts.end_session(db.session, session.get(SESSION_KEY))
    session.clear()  # a fresh session at login: nothing from before survives
    session[SESSION_KEY] = accounts.start_session(db.session, user)
    session.permanent = True
    audit.record(db.session, "login", user_id=user.id, second_factor=second_factor)
    return redirect(_safe_next(request.args.get("next")) or url_for("hr.home"))


@bp.route("/logg-inn/kode", methods=["GET", "POST"])
def second_factor():
    """The second step of a login with a second factor: the six digits from the authenticator app."""
    pending = session.get(PENDING_KEY) or {}
    user = db.session.get(User, pending["user"]) if isinstance(pending.get("user"), int) else None
    if user is None or not user.is_active or not user.totp_secret or \
            time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        flash(_("Log in again: the step with the code was not started, or it took too long."))
        return redirect(url_for("auth.login"))
    failed = False
    if request.method == "POST":
        limits.check("login")
        # Six digits are guessed far sooner than a password: a tight limit per account as well.
        limits.check("second_factor", str(user.id))
        guard = limits.Guard("totp", f"user:{user.id}", user.id)
        guard.check_wait()
        if accounts.use_totp_code(db.session, user, request.form.get("code", "")[:20]):
            guard.succeeded()
            return _logged_in(user, second_factor=True)
        guard.failed()
        audit.record(db.session, "login_failed", user_id=user.id, second_factor=True)
        failed = True
    return render_template("auth/second_factor.html", failed=failed), 401 if failed else 200


@bp.route("/konto/tofaktor", methods=["GET", "POST"])
@login_required
def totp_settings():
    """Turn the second factor on (a new secret, confirmed with a code from the app) or off."""
    user, problem = g.user, None
    if request.method == "POST":
        wrong_code = _("The code is not right. Check the clock on your phone and type the six digits again.")
        action = request.form.get("action")
        code = request.form.get("code", "")[:20]
        guard = limits.Guard("totp", f"user:{user.id}", user.id)
        if action in ("confirm", "stop"):
            guard.check_wait()
        if action == "start" and not user.totp_secret:
            accounts.begin_totp(db.session, user)
        elif action == "confirm" and user.totp_pending:
            if accounts.confirm_totp(db.session, user, code):
                guard.succeeded()
                audit.record(db.session, "totp_on", user_id=user.id)
                flash(_("The second factor is on. From now on you log in with a code from the app as well."))
                return redirect(url_for("auth.totp_settings"))
            guard.failed()
            problem = wrong_code
        elif action == "stop" and user.totp_secret:
            if accounts.use_totp_code(db.session, user, code):
                guard.succeeded()
                accounts.stop_totp(db.session, user)
                audit.record(db.session, "totp_off", user_id=user.id)
                flash(_("The second factor is off."))
                return redirect(url_for("auth.totp_settings"))
            guard.failed()
            problem = wrong_code
    secret = user.totp_pending if not user.totp_secret else None
    return render_template("auth/totp.html", user=user, problem=problem,
                           secret=totp.grouped(secret) if secret else None,
                           uri=totp.provisioning_uri(secret, user.email) if secret else None), 400 if problem else 200


@bp.post("/logg-ut")
def logout():
    user = g.get("user")
    accounts.end_session(db.session, session.get(SESSION_KEY))
    session.clear()
    if user is not None:
        audit.record(db.session, "logout", user_id=user.id)
    flash(_("You are logged out."))
    return redirect(url_for("auth.login"))
