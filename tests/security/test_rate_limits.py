"""Guessing is slowed down without locking the real person out: wrong passwords cost the guesser
growing delays per (account, client address); a far higher ceiling per account lets only a second
factor through; letter codes and personal links answer 429 after a while."""
from datetime import timedelta

from sqlalchemy import select

from survey_app.models import AuditEvent, User
from survey_app.models._time import utcnow
from survey_app.services import throttle, totp
from survey_app.services.limits import hit
from tests.conftest import PASSWORD

GUESSER, OFFICE = {"REMOTE_ADDR": "203.0.113.9"}, {"REMOTE_ADDR": "10.1.2.3"}


def login_from(client, address: dict, email: str, password: str = PASSWORD):
    return client.post("/logg-inn", data={"email": email, "password": password}, environ_base=address)


def test_delays_grow_per_address_and_a_success_ends_only_that_streak(session):
    policy = throttle.Policy(free_failures=3, base_seconds=2, max_seconds=60, account_ceiling=1000)
    now = utcnow()

    def wait(address, at=now):
        return throttle.wait_seconds(session, "s", "login", "kari", address, policy, at)

    waits = []
    for _ in range(8):
        throttle.record_failure(session, "s", "login", "kari", "a", policy, now)
        waits.append(wait("a"))
    assert waits == [0, 0, 2, 4, 8, 16, 32, 60]  # doubling from the third failure, then the cap
    assert wait("a", now + timedelta(seconds=61)) == 0 and wait("b") == 0  # another address waits not
    throttle.record_success(session, "s", "login", "kari", "a")
    assert wait("a") == 0
    throttle.record_failure(session, "s", "login", "kari", "a", policy, now)
    assert wait("a") == 0  # the streak started again
    assert wait("a", now + timedelta(hours=25)) == 0


def test_the_account_ceiling_counts_every_address_within_its_window(session):
    policy = throttle.Policy(free_failures=100, account_ceiling=3, account_window_minutes=60)
    now = utcnow()
    for address in ("a", "b", "c"):
        assert not throttle.over_ceiling(session, "s", "login", "kari", policy, now)
        throttle.record_failure(session, "s", "login", "kari", address, policy, now)
    assert throttle.over_ceiling(session, "s", "login", "kari", policy, now)
    assert not throttle.over_ceiling(session, "s", "login", "kari", policy, now + timedelta(minutes=61))
    assert not throttle.over_ceiling(session, "s", "login", "other", policy, now)


def test_a_guesser_cannot_lock_the_real_user_out(app, client, session, org, make_user):
    make_user("kari@testvik.no", {org: ["hr", "admin"]})
    free = app.config["LOGIN_THROTTLE"]["free_failures"]
    for _ in range(free):
        assert login_from(client, GUESSER, "kari@testvik.no", "wrong password!").status_code == 401
    held = login_from(client, GUESSER, "kari@testvik.no")  # even the right password waits, from there
    assert held.status_code == 429 and int(held.headers["Retry-After"]) >= 1
    assert "Vent litt før du prøver igjen" in held.get_data(as_text=True)
    # Kari at her own desk gets in at once.
    office = client.application.test_client()
    response = login_from(office, OFFICE, "kari@testvik.no")
    assert response.status_code == 302 and "/logg-inn" not in response.headers["Location"]
    # Her admin sees that someone was held back, without the address itself.
    log = office.get("/org/testvik/admin/logg", environ_base=OFFICE).get_data(as_text=True)
    # In words, in the reader's language (issue 17: not the code the event is stored under).
    assert "Innlogging halden tilbake etter for mange forsøk" in log and "login_throttled" not in log
    assert "ventetid" in log and "held back" not in log and "203.0.113.9" not in log
    assert "1 innloggingsforsøk" in log or "1 påloggingsforsøk" in log
    event = session.scalars(select(AuditEvent).filter_by(action="login_throttled")).one()
    assert event.detail["reason"] == "delay" and len(event.detail["source"]) == 8
    assert event.user_id == session.scalars(select(User.id).filter_by(email="kari@testvik.no")).one()


def test_past_the_account_ceiling_only_a_second_factor_gets_in(app, client, session, org, make_user):
    app.config["LOGIN_THROTTLE"] = {**app.config["LOGIN_THROTTLE"], "account_ceiling": 6}
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "login": (1000, 15)}
    make_user("kari@testvik.no", {org: ["hr"]})
    make_user("per@testvik.no", {org: ["hr"]})
    user = session.scalars(select(User).filter_by(email="per@testvik.no")).one()
    user.totp_secret = totp.new_secret()
    session.commit()
    for email in ("kari@testvik.no", "per@testvik.no"):
        for i in range(6):  # six addresses, one wrong password each: no delay, but the ceiling
            assert login_from(client, {"REMOTE_ADDR": f"198.51.100.{i}"}, email, "wrong!").status_code == 401
    assert login_from(client, OFFICE, "kari@testvik.no").status_code == 429
    assert login_from(client, OFFICE, "per@testvik.no", "still wrong").status_code == 429
    step = login_from(client, OFFICE, "per@testvik.no")
    assert step.status_code == 302 and "/logg-inn/kode" in step.headers["Location"]
    code = totp.code_at(user.totp_secret, totp.current_step())
    done = client.post("/logg-inn/kode", data={"code": code}, environ_base=OFFICE)
    assert done.status_code == 302 and "/logg-inn" not in done.headers["Location"]


def test_wrong_passwords_and_codes_inside_a_login_are_limited_too(app, client, session, org, make_user):
    make_user("kari@testvik.no", {org: ["hr"]})
    assert login_from(client, OFFICE, "kari@testvik.no").status_code == 302
    statuses = [client.post("/konto/passord", data={"current": "wrong!", "new": "x", "again": "x"},
                            environ_base=OFFICE).status_code for _ in range(15)]
    assert statuses[0] == 400 and 429 in statuses
    user = session.scalars(select(User).filter_by(email="kari@testvik.no")).one()
    user.totp_secret = totp.new_secret()
    session.commit()
    statuses = [client.post("/konto/tofaktor", data={"action": "stop", "code": "000000"},
                            environ_base=OFFICE).status_code for _ in range(15)]
    assert statuses[0] == 400 and 429 in statuses
    session.expire_all()
    assert session.get(User, user.id).totp_secret is not None


def test_letter_codes_and_links_are_limited_per_address(app, client, org):
    for _ in range(app.config["RATE_LIMITS"]["code"][0]):
        assert client.post("/kode", data={"code": "AAAA-BBBB-CCCC"}).status_code == 400
    assert client.post("/kode", data={"code": "AAAA-BBBB-CCCC"}).status_code == 429
    for _ in range(app.config["RATE_LIMITS"]["link"][0]):
        assert client.get("/s/guess").status_code == 404
    assert client.get("/s/guess").status_code == 429


def test_the_window_moves_on(session):
    now = utcnow()
    assert all(hit(session, "s", "t", "v", 2, timedelta(minutes=15), now) for _ in range(2))
    assert not hit(session, "s", "t", "v", 2, timedelta(minutes=15), now)
    assert hit(session, "s", "t", "v", 2, timedelta(minutes=15), now + timedelta(minutes=16))
