"""Staff login with server-side sessions: real HTTP, real database."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from survey_app.models import AuditEvent, UserSession
from survey_app.models._time import utcnow
from tests.conftest import PASSWORD, login


def test_login_page_is_translated_and_has_labels(client):
    page = client.get("/logg-inn?lang=nn").get_data(as_text=True)
    assert "Logg inn" in page and 'for="email"' in page and 'for="password"' in page


def test_login_and_logout(client, session, org, make_user):
    make_user("kari@testvik.no", {org: ["hr"]})
    response = login(client, "Kari@Testvik.no ")
    assert response.status_code == 302 and response.headers["Location"].endswith("/heim")
    # One organisation: straight to its overview.
    home = client.get("/heim")
    assert home.status_code == 302 and "/org/testvik/" in home.headers["Location"]
    assert client.get("/org/testvik/").status_code == 200
    assert session.scalar(select(func.count()).select_from(UserSession)) == 1
    client.post("/logg-ut")
    assert session.scalar(select(func.count()).select_from(UserSession)) == 0
    assert client.get("/org/testvik/").status_code == 302
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["login", "logout"]


def test_wrong_password_is_refused_and_logged(client, session, org, make_user):
    make_user("kari@testvik.no", {org: ["hr"]})
    response = login(client, "kari@testvik.no", "wrong password here")
    assert response.status_code == 401 and "passordet er feil" in response.get_data(as_text=True)
    assert login(client, "nobody@testvik.no").status_code == 401
    assert session.scalars(select(AuditEvent.action)).all() == ["login_failed", "login_failed"]
    stored = " ".join(str(e.detail) for e in session.scalars(select(AuditEvent)))
    assert "wrong password" not in stored and "nobody" not in stored


def test_old_cookie_is_rejected_after_logout(app, client, org, make_user):
    make_user("kari@testvik.no", {org: ["hr"]})
    login(client, "kari@testvik.no")
    cookie = client.get_cookie("session").value
    client.post("/logg-ut")
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    assert replay.get("/org/testvik/").status_code == 302


def test_session_id_is_rotated_at_login(client, org, make_user):
    make_user("kari@testvik.no", {org: ["hr"]})
    client.get("/logg-inn")
    before = client.get_cookie("session")
    login(client, "kari@testvik.no")
    after = client.get_cookie("session")
    assert after is not None and (before is None or before.value != after.value)


def test_disabled_user_is_logged_out_at_once(client, session, org, make_user):
    user = make_user("kari@testvik.no", {org: ["hr"]})
    login(client, "kari@testvik.no")
    user.is_active = False
    session.commit()
    assert client.get("/org/testvik/").status_code == 302
    assert login(client, "kari@testvik.no").status_code == 401


def test_idle_and_absolute_timeouts(app, client, session, org, make_user):
    make_user("kari@testvik.no", {org: ["hr"]})
    login(client, "kari@testvik.no")
    row = session.scalars(select(UserSession)).one()
    row.last_seen_at = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    session.commit()
    response = client.get("/org/testvik/")
    assert response.status_code == 302
    assert "ikkje hadde gjort noko" in client.get(response.headers["Location"]).get_data(as_text=True)

    login(client, "kari@testvik.no")
    row = session.scalars(select(UserSession)).one()
    row.created_at = utcnow() - timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"] + 1)
    session.commit()
    assert client.get("/org/testvik/").status_code == 302


def test_next_only_goes_to_this_site(client, org, make_user):
    make_user("kari@testvik.no", {org: ["hr"]})
    response = client.post("/logg-inn?next=//evil.example/x", data={"email": "kari@testvik.no", "password": PASSWORD})
    assert response.headers["Location"].endswith("/heim")
    client.post("/logg-ut")
    response = client.post("/logg-inn?next=/org/testvik/analyse", data={"email": "kari@testvik.no", "password": PASSWORD})
    assert response.headers["Location"].endswith("/org/testvik/analyse")


def test_empty_form_gets_field_errors_not_a_crash(client):
    response = client.post("/logg-inn", data={})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
