"""A confidential exit interview is tied to the leaver; the administrator can find the person,
give them their data as a file and erase it, with anonymous answers untouched and every step in
the access log by id only."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from survey_app.models import AuditEvent, ConfidentialLink, Invitation, Person, Response
from survey_app.models._time import utcnow
from survey_app.services import tallies
from tests.conftest import login
from tests.respond.test_flow import ABOUT, NEXT, REASONS, STRATEGY, post_page

NAME = "Kari Markørsen"
EMAIL = "kari.markorsen@example.no"


@pytest.fixture
def leaver(session, org) -> Person:
    person = Person(organisation_id=org.id, kind="leaver", source_key="k1", name=NAME, email_private=EMAIL,
                    mobile="41683920", end_date=date(2026, 11, 30))
    session.add(person)
    session.flush()
    session.add(Invitation(organisation_id=org.id, questionnaire_key="sluttsamtale", token_hash="h" * 64,
                           expires_at=utcnow(), person_id=person.id))
    session.commit()
    return person


@pytest.fixture
def admin_client(client, org, make_user):
    make_user("admin@testvik.no", {org: ["hr", "admin"]})
    login(client, "admin@testvik.no")
    return client


def _interview(client, person_id: str) -> str:
    """HR runs the exit interview; returns the text of the first questionnaire page."""
    assert client.post("/org/testvik/intervju", data={"person": person_id, "lang": "nn"}).status_code == 302
    first = client.get("/svar").get_data(as_text=True)
    for page, data in ((1, ABOUT), (2, REASONS), (3, NEXT)):
        assert post_page(client, page, data).status_code == 302
    assert post_page(client, 4, STRATEGY, "submit").status_code == 302
    return first


def test_a_confidential_interview_is_tied_to_the_leaver_and_says_so(admin_client, session, leaver):
    first_page = _interview(admin_client, str(leaver.id))
    _interview(admin_client, "")  # an anonymous one beside it

    assert "Konfidensielt intervju" in first_page
    links = session.scalars(select(ConfidentialLink)).all()
    assert [link.person_id for link in links] == [leaver.id]
    assert session.scalar(select(func.count()).select_from(Response)) == 2


def test_the_administrator_finds_the_person_and_gets_their_data_as_a_file(admin_client, session, leaver):
    _interview(admin_client, str(leaver.id))
    _interview(admin_client, "")

    found = admin_client.get("/org/testvik/admin/personvern/innsyn?q=markør").get_data(as_text=True)
    assert NAME in found
    assert "Skriv minst to teikn" in admin_client.get("/org/testvik/admin/personvern/innsyn?q=k").get_data(as_text=True)
    detail = admin_client.get(f"/org/testvik/admin/personvern/innsyn/{leaver.id}").get_data(as_text=True)
    assert NAME in detail and "Konfidensielle intervju" in detail

    export = admin_client.get(f"/org/testvik/admin/personvern/innsyn/{leaver.id}/eksport.json")
    assert export.status_code == 200 and "attachment" in export.headers["Content-Disposition"]
    data = json.loads(export.get_data(as_text=True))
    assert data["person"]["name"] == NAME and data["person"]["mobile"] == "41683920"
    assert len(data["invitations"]) == 1
    [response] = data["confidential_responses"]  # the anonymous interview is not there
    assert any(a["answer"] == "Arbeidstid, turnus eller for lita stilling" for a in response["answers"])
    assert any(a["answer"] == "Ja" for a in response["answers"])  # wanted_larger, a yes/no question
    assert any(a["answer"] == REASONS["main_reason_text"] for a in response["answers"])  # as written
    # Keys stay the same in every language; above them, the file in plain nynorsk sentences.
    assert data["summary"][0].startswith("Denne fila har det Testvik kommune tek vare på om deg i Kvifor")
    assert "Du vart invitert éin gong" in " ".join(data["summary"])


def test_erasing_takes_the_person_their_invitations_and_confidential_answers_only(admin_client, session, leaver):
    _interview(admin_client, str(leaver.id))
    _interview(admin_client, "")
    person_id = leaver.id
    url = f"/org/testvik/admin/personvern/innsyn/{person_id}/slett"

    unconfirmed = admin_client.post(url, data={})
    assert unconfirmed.status_code == 302 and "error=confirm" in unconfirmed.headers["Location"]
    assert session.get(Person, person_id) is not None

    assert admin_client.post(url, data={"confirm": "yes"}).status_code == 302
    session.expire_all()
    assert session.get(Person, person_id) is None
    assert session.scalar(select(func.count()).select_from(Invitation)) == 0
    assert session.scalar(select(func.count()).select_from(Response)) == 1  # the anonymous one stays
    assert session.scalar(select(func.count()).select_from(ConfidentialLink)) == 0
    assert tallies.compare(session.connection()) == {}  # the dashboards no longer count the erased answers
    assert admin_client.get(f"/org/testvik/admin/personvern/innsyn/{person_id}").status_code == 404


def test_an_interview_from_a_closed_quarter_is_made_anonymous_so_no_figure_moves(admin_client, session, leaver):
    """Figures of a closed quarter have been seen; a group of 6 that showed 5 the day after would
    give away exactly the erased answers. So the answers stay, tied to nobody, without the raw text."""
    _interview(admin_client, str(leaver.id))
    [link] = session.scalars(select(ConfidentialLink)).all()
    response = session.get(Response, link.response_id)
    response.submitted_on = date(2026, 8, 14)  # the interview was in 2026Q3, a closed quarter
    session.commit()
    tallies.rebuild(session.connection())
    session.commit()
    response_id, person_id = response.id, leaver.id
    texts = {a.question: a.value_text for a in response.answers if a.value_scrubbed is not None}
    assert texts and all(texts.values())
    before = tallies.compare(session.connection())

    page = admin_client.post(f"/org/testvik/admin/personvern/innsyn/{person_id}/slett", data={"confirm": "yes"},
                             follow_redirects=True).get_data(as_text=True)
    session.expire_all()
    assert "anonyme" in page
    assert session.get(Person, person_id) is None
    assert session.scalar(select(func.count()).select_from(ConfidentialLink)) == 0
    kept = session.get(Response, response_id)
    assert kept is not None and kept.submitted_on == date(2026, 8, 14)
    assert all(a.value_text is None for a in kept.answers if a.value_scrubbed is not None)
    assert any(a.question == "main_reason" and a.value_text for a in kept.answers)  # the choice counts on
    assert tallies.compare(session.connection()) == before == {}
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "subject_erase")).one()
    assert event.detail == {"person": person_id, "responses": 0, "invitations": 1, "anonymised": 1}


def test_every_step_is_logged_by_id_and_never_by_name(admin_client, session, leaver):
    _interview(admin_client, str(leaver.id))
    admin_client.get("/org/testvik/admin/personvern/innsyn?q=Kari")
    admin_client.get(f"/org/testvik/admin/personvern/innsyn/{leaver.id}/eksport.json")
    admin_client.post(f"/org/testvik/admin/personvern/innsyn/{leaver.id}/slett", data={"confirm": "yes"})

    events = session.scalars(select(AuditEvent).where(AuditEvent.action.like("subject_%"))).all()
    assert [e.action for e in events] == ["subject_search", "subject_export", "subject_erase"]
    assert events[-1].detail == {"person": leaver.id, "responses": 1, "invitations": 1, "anonymised": 0}
    logged = json.dumps([e.detail for e in events], ensure_ascii=False)
    assert "Kari" not in logged and "Markørsen" not in logged and "41683920" not in logged


def test_only_the_administrator_of_the_organisation_may(client, session, org, make_user, leaver):
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    assert client.get("/org/testvik/admin/personvern/innsyn?q=kari").status_code == 404
    assert client.get(f"/org/testvik/admin/personvern/innsyn/{leaver.id}/eksport.json").status_code == 404
    assert client.post(f"/org/testvik/admin/personvern/innsyn/{leaver.id}/slett",
                       data={"confirm": "yes"}).status_code == 404
    assert session.get(Person, leaver.id) is not None


def test_a_person_of_another_organisation_is_not_found(admin_client, session, leaver):
    from survey_app.models import Organisation
    other = Organisation(slug="nabovik", name="Nabovik kommune", written_standard="nb")
    session.add(other)
    session.flush()
    stranger = Person(organisation_id=other.id, kind="leaver", source_key="k9", name="Kari Annan")
    session.add(stranger)
    session.commit()

    assert "Kari Annan" not in admin_client.get("/org/testvik/admin/personvern/innsyn?q=kari").get_data(as_text=True)
    assert admin_client.get(f"/org/testvik/admin/personvern/innsyn/{stranger.id}").status_code == 404
    assert admin_client.post(f"/org/testvik/admin/personvern/innsyn/{stranger.id}/slett",
                             data={"confirm": "yes"}).status_code == 404


def test_dates_read_as_norwegian_dates_in_the_right_tense(admin_client, session, leaver):
    found = admin_client.get("/org/testvik/admin/personvern/innsyn?q=markør").get_data(as_text=True)
    assert "slutta 30.11.2026" in found and "2026-11-30" not in found  # already gone (today is later)
    from datetime import timedelta

    from survey_app.models._time import today
    leaver.end_date = today() + timedelta(days=20)
    session.commit()
    found = admin_client.get("/org/testvik/admin/personvern/innsyn?q=markør").get_data(as_text=True)
    assert f"sluttar {leaver.end_date.strftime('%d.%m.%Y')}" in found
