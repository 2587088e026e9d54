"""Administration through the web pages: roles, settings, units, organisations, passwords, interviews."""
from __future__ import annotations

import re

from sqlalchemy import select

from survey_app.cli import create_host_admin
from survey_app.models import AuditEvent, Channel, Membership, Organisation, Response, Unit, User, UserSession
from tests.conftest import PASSWORD, csrf_from, login
from tests.respond.test_flow import ABOUT, NEXT, REASONS, STRATEGY


def test_admin_gives_and_removes_roles(client, session, org, make_user):
    admin = make_user("admin@testvik.no", {org: ["admin"]})
    login(client, "admin@testvik.no")
    unit = session.scalars(select(Unit).filter_by(code="HO-1")).one()
    page = client.post("/org/testvik/admin/brukarar", data={"email": "Ny.Leiar@testvik.no", "name": "Ny Leiar",
                                                            "role": "leader", "unit": str(unit.id)})
    html = page.get_data(as_text=True)
    password = re.search(r"Eingongspassord for den nye brukaren: ([0-9a-f-]+)", html).group(1)
    membership = session.scalars(select(Membership).filter_by(role="leader")).one()
    assert membership.unit_id == unit.id
    other = client.application.test_client()
    assert login(other, "ny.leiar@testvik.no", password).status_code == 302
    # A one-time password somebody else was told: every page asks for the user's own first.
    first = other.get("/org/testvik/resultat")
    assert first.status_code == 302 and first.headers["Location"].endswith("/konto/passord")
    assert "eingongspassord som nokon andre gav deg" in other.get("/konto/passord").get_data(as_text=True)
    choose_own_password(other, password)
    assert other.get("/org/testvik/resultat").status_code == 200
    # A leader without a unit is refused with a message.
    html = client.post("/org/testvik/admin/brukarar", data={"email": "x@testvik.no", "name": "X", "role": "leader"},
                       follow_redirects=True).get_data(as_text=True)
    assert "må få ei eining" in html
    client.post(f"/org/testvik/admin/brukarar/{membership.id}/fjern")
    session.expire_all()
    assert session.scalars(select(Membership).filter_by(role="leader")).first() is None
    assert other.get("/org/testvik/").status_code == 404  # the role is gone at once
    # The last administrator cannot remove themselves.
    own = session.scalars(select(Membership).filter_by(user_id=admin.id)).one()
    html = client.post(f"/org/testvik/admin/brukarar/{own.id}/fjern", follow_redirects=True).get_data(as_text=True)
    assert "siste administratoren" in html
    actions = session.scalars(select(AuditEvent.action)).all()
    assert actions.count("role_grant") == 1 and actions.count("role_revoke") == 1
    log = client.get("/org/testvik/admin/logg").get_data(as_text=True)
    assert "Gav ei rolle" in log and "role_grant" not in log and password not in log


def choose_own_password(client, current: str) -> None:
    page = client.get("/konto/passord").get_data(as_text=True)
    new = "eit heilt eige passord for meg"
    done = client.post("/konto/passord", data={"current": current, "new": new, "again": new,
                                                "csrf_token": csrf_from(page) if "csrf_token" in page else ""})
    assert done.status_code == 302


def test_settings_respect_the_floor(client, session, org, make_user):
    make_user("admin@testvik.no", {org: ["admin"]})
    login(client, "admin@testvik.no")
    client.post("/org/testvik/admin/innstillingar", data={"name": "Testvik", "written_standard": "nb",
                                                          "min_group_size": "2"})
    session.expire_all()
    assert session.get(Organisation, org.id).min_group_size == 5
    client.post("/org/testvik/admin/innstillingar", data={"name": "Testvik", "written_standard": "nb",
                                                          "min_group_size": "7"})
    session.expire_all()
    assert (session.get(Organisation, org.id).min_group_size, session.get(Organisation, org.id).written_standard) == (7, "nb")


def test_units_can_be_added_and_moved_but_not_in_a_circle(client, session, org, make_user):
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    client.post("/org/testvik/einingar", data={"code": "HO-2", "name": "Sjukeheimen", "parent": "HO"})
    unit = session.scalars(select(Unit).filter_by(code="HO-2")).one()
    assert unit.parent.code == "HO"
    sector = session.scalars(select(Unit).filter_by(code="HO")).one()
    html = client.post("/org/testvik/einingar", data={"unit_id": str(sector.id), "code": "HO", "name": "Helse",
                                                      "parent": "HO-2"}, follow_redirects=True).get_data(as_text=True)
    assert "kan ikkje plasserast under seg sjølv" in html
    session.expire_all()
    assert session.scalars(select(Unit).filter_by(code="HO")).one().parent is None


def test_host_admin_creates_an_organisation_and_its_admin(app, client, session, org):
    result = app.test_cli_runner().invoke(create_host_admin, ["vert@region.no"])
    password = re.search(r"one-time password: (\S+)", result.output).group(1)
    login(client, "vert@region.no", password)
    assert client.get("/vert").headers["Location"].endswith("/konto/passord")
    choose_own_password(client, password)
    html = client.post("/vert", data={"slug": "alver", "name": "Alver kommune", "written_standard": "nn",
                                      "admin_email": "admin@alver.kommune.no", "admin_name": "Admin Alver"}
                       ).get_data(as_text=True)
    assert "Alver kommune" in html and "Eingongspassord" in html
    alver = session.scalars(select(Organisation).filter_by(slug="alver")).one()
    assert session.scalars(select(Membership).filter_by(organisation_id=alver.id, role="admin")).one()
    # The host administrator sees no organisation's pages.
    assert client.get("/org/alver/").status_code == 404 and client.get("/org/testvik/resultat").status_code == 404
    # And nobody else sees the host page.
    other = client.application.test_client()
    login(other, "admin@alver.kommune.no", re.search(r"brukaren: ([0-9a-f-]+)", html).group(1))
    assert other.get("/vert").status_code == 404


def test_password_change_follows_the_rules_and_ends_other_logins(client, session, org, make_user):
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    other = client.application.test_client()
    login(other, "hr@testvik.no")
    assert session.query(UserSession).count() == 2
    short = client.post("/konto/passord", data={"current": PASSWORD, "new": "kort", "again": "kort"})
    assert short.status_code == 400 and "minst 12 teikn" in short.get_data(as_text=True)
    ok = client.post("/konto/passord", data={"current": PASSWORD, "new": "tre lange ord her", "again": "tre lange ord her"})
    assert ok.status_code == 302
    assert other.get("/org/testvik/").status_code == 302  # the other browser is logged out
    assert client.get("/org/testvik/").status_code == 200
    assert login(client.application.test_client(), "hr@testvik.no", "tre lange ord her").status_code == 302


def test_interview_mode_stores_an_interview_response(client, session, org, make_user):
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    unit = session.scalars(select(Unit).filter_by(code="HO-1")).one()
    assert client.post("/org/testvik/intervju", data={"unit": str(unit.id), "lang": "nb"}).status_code == 302
    for page, data, action in [(1, ABOUT, "next"), (2, REASONS, "next"), (3, NEXT, "next"), (4, STRATEGY, "submit")]:
        response = client.post("/svar", data={**data, "page": str(page), "action": action})
    assert "/takk/" in response.headers["Location"]
    stored = session.scalars(select(Response)).one()
    assert stored.channel is Channel.interview and stored.unit_id == unit.id and stored.language == "nb"
    assert session.scalars(select(User).filter_by(email="hr@testvik.no")).one()


def test_names_with_line_breaks_and_two_addresses_in_one_are_refused(app, client, session, org, make_user):
    make_user("admin@testvik.no", {org: ["admin"]}, host_admin=True)
    login(client, "admin@testvik.no")
    html = client.post("/vert", data={"slug": "alver", "name": "Alver\r\nBcc: x@evil.example",
                                      "written_standard": "nn", "admin_email": "a@alver.no", "admin_name": "A"},
                       follow_redirects=True).get_data(as_text=True)
    assert "linjeskift" in html and session.scalars(select(Organisation).filter_by(slug="alver")).first() is None
    html = client.post("/org/testvik/admin/innstillingar", data={"name": "Testvik\nkommune", "written_standard": "nn",
                                                                  "min_group_size": "5"},
                       follow_redirects=True).get_data(as_text=True)
    assert "linjeskift" in html
    session.expire_all()
    assert session.get(Organisation, org.id).name == "Testvik kommune"
    html = client.post("/org/testvik/admin/brukarar", data={"email": "kari@example.test,bob.no", "name": "Kari",
                                                             "role": "hr"}, follow_redirects=True).get_data(as_text=True)
    assert "ikkje ei e-postadresse" in html
    assert session.scalars(select(User).where(User.email.like("kari%"))).first() is None
    client.post("/org/testvik/einingar", data={"code": "HO-9", "name": "Ny\teining", "parent": "HO"})
    assert session.scalars(select(Unit).filter_by(code="HO-9")).first() is None
