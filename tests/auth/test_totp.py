"""The optional second factor: codes by RFC 6238, set up with a confirmed code, asked for at login,
never accepted twice, and turned off with a code (or by the operator for a lost phone)."""
from __future__ import annotations

import base64
import re

from sqlalchemy import func, select

from survey_app.models import AuditEvent, User, UserSession
from survey_app.services import totp
from tests.conftest import login


def test_codes_match_the_rfc_6238_test_vectors():
    # RFC 6238, appendix B, SHA-1 with the 20-byte key "12345678901234567890" (8 digits there; the
    # last six of them here).
    secret = base64.b32encode(b"12345678901234567890").decode()
    for unix_time, expected in ((59, "94287082"), (1111111109, "07081804"), (1234567890, "89005924"),
                                (20000000000, "65353130")):
        assert totp.code_at(secret, unix_time // 30) == expected[-6:]


def test_a_code_is_accepted_a_step_early_or_late_and_only_once():
    secret = totp.new_secret()
    now = 1_800_000_000
    step = totp.current_step(now)
    assert totp.matching_step(secret, totp.code_at(secret, step), None, now) == step
    assert totp.matching_step(secret, totp.code_at(secret, step - 1), None, now) == step - 1
    assert totp.matching_step(secret, totp.code_at(secret, step + 2), None, now) is None
    assert totp.matching_step(secret, totp.code_at(secret, step), step, now) is None  # used already
    assert totp.matching_step(secret, "12 34", None, now) is None and totp.matching_step(secret, "abcdef", None, now) is None


def _current_code(session, email: str, pending: bool = False) -> str:
    session.expire_all()
    user = session.scalars(select(User).filter_by(email=email)).one()
    return totp.code_at(user.totp_pending if pending else user.totp_secret, totp.current_step())


def test_set_up_log_in_with_the_code_and_turn_it_off(client, session, org, make_user, monkeypatch):
    make_user("kari@testvik.no", {org: ["admin"]})
    login(client, "kari@testvik.no")
    page = client.post("/konto/tofaktor", data={"action": "start"}).get_data(as_text=True)
    shown = re.search(r'<p class="secret"><code>([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    assert "otpauth://totp/Kvifor:kari%40testvik.no?secret=" + shown in page.replace("&amp;", "&")

    wrong = client.post("/konto/tofaktor", data={"action": "confirm", "code": "000000"})
    assert wrong.status_code == 400 and 'aria-invalid="true"' in wrong.get_data(as_text=True)
    code = _current_code(session, "kari@testvik.no", pending=True)
    assert client.post("/konto/tofaktor", data={"action": "confirm", "code": code}).status_code == 302
    session.expire_all()
    assert session.scalars(select(User)).one().totp_secret == shown

    client.post("/logg-ut")
    step_one = login(client, "kari@testvik.no")
    assert step_one.status_code == 302 and "/logg-inn/kode" in step_one.headers["Location"]
    assert client.get("/org/testvik/").status_code == 302  # the password alone is not a login
    assert session.scalar(select(func.count()).select_from(UserSession)) == 0
    assert client.post("/logg-inn/kode", data={"code": "123456"}).status_code == 401
    # The code that confirmed the set-up was used: it does not log in again within its step.
    assert client.post("/logg-inn/kode", data={"code": code}).status_code == 401
    user = session.scalars(select(User)).one()
    fresh = totp.code_at(user.totp_secret, user.totp_last_step + 1)
    # The next step's code is accepted while the clock is still in the step before (drift).
    answer = client.post("/logg-inn/kode", data={"code": fresh})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/heim")
    assert client.get("/org/testvik/").status_code == 200

    assert client.post("/konto/tofaktor", data={"action": "stop", "code": fresh}).status_code == 400  # used
    started = totp.clock()
    monkeypatch.setattr(totp, "clock", lambda: started + 90)  # a minute and a half later
    later = _current_code(session, "kari@testvik.no")
    assert client.post("/konto/tofaktor", data={"action": "stop", "code": later}).status_code == 302
    session.expire_all()
    assert session.scalars(select(User)).one().totp_secret is None
    client.post("/logg-ut")
    assert login(client, "kari@testvik.no").headers["Location"].endswith("/heim")  # password alone again

    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions.count("totp_on") == 1 and actions.count("totp_off") == 1 and "login_failed" in actions
    assert not any(shown in str(event.detail) for event in session.scalars(select(AuditEvent)))


def test_the_code_step_needs_a_fresh_password_step(client, session, org, make_user):
    user = make_user("kari@testvik.no", {org: ["hr"]})
    user.totp_secret = totp.new_secret()
    session.commit()
    answer = client.post("/logg-inn/kode", data={"code": totp.code_at(user.totp_secret, totp.current_step())})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/logg-inn")
    with client.session_transaction() as cookie:
        cookie["login_pending"] = {"user": user.id, "at": 0}  # started long ago
    answer = client.post("/logg-inn/kode", data={"code": totp.code_at(user.totp_secret, totp.current_step())})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/logg-inn")
    assert session.scalar(select(func.count()).select_from(UserSession)) == 0


def test_the_operator_turns_it_off_for_a_lost_phone(app, session, org, make_user):
    user = make_user("kari@testvik.no", {org: ["hr"]})
    user.totp_secret = totp.new_secret()
    session.commit()
    result = app.test_cli_runner().invoke(args=["users", "reset-second-factor", "KARI@testvik.no"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert session.get(User, user.id).totp_secret is None
