"""Retention: what is past its time is deleted, a second run finds nothing, and deleting an
organisation leaves no row of it behind. The audit log never holds answers, passwords or tokens."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import inspect, select, text

from survey_app.cli import delete_organisation_command, retention_run
from survey_app.extensions import db
from survey_app.models import (
    Answer, ImportPreview, Invitation, Person, Response, ResponseDraft, UserSession, hash_token,
)
from survey_app.models._time import utcnow
from survey_app.services.questionnaires import ensure_version
from survey_app.services.responding import answer_rows, free_text_questions
from tests.conftest import PASSWORD, login


def add_answer(app, session, org, day, text_value):
    questionnaire = app.extensions["questionnaires"].get("sluttsamtale")
    version = ensure_version(session, questionnaire)
    response = Response(organisation_id=org.id, questionnaire_version_id=version.id, language="nn",
                        channel="invitation", submitted_on=day)
    response.answers = list(answer_rows({"main_reason_text": text_value}, free_text_questions(questionnaire)))
    session.add(response)
    session.commit()


def test_retention_run_deletes_what_is_due_and_is_idempotent(app, session, org, make_user):
    add_answer(app, session, org, date.today() - timedelta(days=400), "Eg skreiv til Kari, 41683920")
    add_answer(app, session, org, date.today() - timedelta(days=10), "Ny tekst")
    person = Person(organisation_id=org.id, kind="leaver", source_key="k", name="Kari Nordmann",
                    email_private="kari@example.no")
    session.add(person)
    session.flush()
    session.add(Invitation(organisation_id=org.id, questionnaire_key="sluttsamtale", person_id=person.id,
                           token_hash=hash_token("t"), expires_at=utcnow() - timedelta(days=40)))
    user = make_user("hr@testvik.no", {org: ["hr"]})
    session.add(ImportPreview(organisation_id=org.id, user_id=user.id, kind="leaver", filename="x.csv",
                              rows={"new": [{"name": "Kari"}]}, created_at=utcnow() - timedelta(days=2)))
    session.add(UserSession(key_hash="x" * 64, user_id=user.id, created_at=utcnow() - timedelta(days=2),
                            last_seen_at=utcnow() - timedelta(days=2)))
    session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(retention_run, [])
    assert result.exit_code == 0
    assert "raw texts erased 1" in result.output and "identities erased 1" in result.output
    assert "previews deleted 1" in result.output and "sessions deleted 1" in result.output
    session.expire_all()
    texts = {a.value_scrubbed: a.value_text for a in session.scalars(select(Answer))}
    assert texts == {"Eg skreiv til [namn], [telefon]": None, "Ny tekst": "Ny tekst"}
    assert session.get(Person, person.id).name is None
    again = runner.invoke(retention_run, [])
    assert "raw texts erased 0" in again.output and "identities erased 0" in again.output


def test_deleting_an_organisation_leaves_nothing(app, client, session, org, make_user):
    add_answer(app, session, org, date.today(), "Tekst")
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    version = ensure_version(session, app.extensions["questionnaires"].get("sluttsamtale"))
    session.add(ResponseDraft(key_hash="d" * 64, organisation_id=org.id, questionnaire_version_id=version.id,
                              channel="open_link", language="nn", answers={}, page=0))
    session.commit()
    result = app.test_cli_runner().invoke(delete_organisation_command, ["testvik", "--yes"])
    assert result.exit_code == 0
    with app.app_context():
        engine = db.engine
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            columns = [c["name"] for c in inspect(engine).get_columns(table)]
            if "organisation_id" in columns:
                assert connection.execute(text(f"SELECT COUNT(*) FROM {table} WHERE organisation_id IS NOT NULL")).scalar() == 0, table
        assert connection.execute(text("SELECT COUNT(*) FROM answer")).scalar() == 0


def test_audit_log_never_holds_answers_passwords_or_tokens(app, client, session, org, make_user):
    marker_text, marker_password = "MARKØR-SVAR-4242", "MARKØR-PASSORD-4242"
    add_answer(app, session, org, date.today(), marker_text)
    user = make_user("hr@testvik.no", {org: ["hr", "admin"]})
    user.set_password(marker_password + " lang nok")
    session.commit()
    login(client, "hr@testvik.no", "feil " + marker_password)
    login(client, "hr@testvik.no", marker_password + " lang nok")
    client.get("/org/testvik/resultat")
    client.get("/org/testvik/resultat/eksport.csv?table=main_reason")
    client.get("/s/MARKØR-TOKEN-4242")
    with app.app_context():
        engine = db.engine
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT action, detail FROM audit_event")).all()
    dump = " ".join(str(r) for r in rows)
    assert rows and "MARKØR" not in dump
    assert PASSWORD not in dump
