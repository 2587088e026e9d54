"""The second factor in a real browser, by keyboard where a person would type: set it up with the
key shown, log in with a code, turn it off; every page and error state checked with axe."""
from __future__ import annotations

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import User
from survey_app.services import totp
from tests.e2e.conftest import go, log_in


def _code(live, pending: bool = False, ahead: int = 0) -> str:
    with live["app"].app_context():
        user = db.session.scalars(select(User).filter_by(email=live["hr_email"])).one()
        secret = user.totp_pending if pending else user.totp_secret
        step = max(totp.current_step(), (user.totp_last_step or 0) + 1) + ahead
        db.session.remove()
    return totp.code_at(secret, step)


def _secret(live) -> str | None:
    with live["app"].app_context():
        secret = db.session.scalars(select(User.totp_secret).filter_by(email=live["hr_email"])).one()
        db.session.remove()
    return secret


def test_set_up_log_in_and_turn_off(live, page, axe, monkeypatch):
    log_in(page, live)
    page.goto(live["base"] + "/konto/tofaktor")
    axe.check(page, "second-factor-off")
    go(page, page.locator("main button[type=submit]"))
    axe.check(page, "second-factor-setup")
    page.fill("#code", "000000")
    go(page, page.locator("main button[type=submit]"))
    axe.check(page, "second-factor-setup-error")
    page.fill("#code", _code(live, pending=True))
    go(page, page.locator("main button[type=submit]"))
    assert _secret(live) is not None

    go(page, page.locator("form[action$='/logg-ut'] button"))
    log_in(page, live)
    assert "/logg-inn/kode" in page.url
    axe.check(page, "second-factor-login")
    page.fill("#code", "999999")
    go(page, page.locator("main button[type=submit]"))
    axe.check(page, "second-factor-login-error")
    page.fill("#code", _code(live))
    go(page, page.locator("main button[type=submit]"))
    assert "/org/demo" in page.url

    page.goto(live["base"] + "/konto/tofaktor")
    axe.check(page, "second-factor-on")
    started = totp.clock()  # the server runs in this process: a minute and a half later, a new code
    monkeypatch.setattr(totp, "clock", lambda: started + 90)
    page.fill("#code", _code(live))
    go(page, page.locator("main button[type=submit]"))
    assert _secret(live) is None
