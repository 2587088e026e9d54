"""Anonymity by construction: after a whole anonymous run (invitation, answers, submit), nothing in
the schema or the logs links an answer to a person, a link, an address or a moment."""
from __future__ import annotations

import logging
import re

from sqlalchemy import inspect, select

from survey_app.models import ConfidentialLink, Response, hash_token
from tests.respond.test_flow import answer_sluttsamtale

IDENTIFYING = re.compile(r"(^|_)(ip|addr|address|agent|user_agent|token|invitation|person|user|email|name|session)"
                         r"($|_)|_at$|time")
# Tables that hold answers, and what an answer may be linked to.
ANSWER_TABLES = ("response", "answer", "analysed_answer", "answer_tally")


def test_answer_tables_have_no_column_that_could_identify(session):
    inspector = inspect(session.get_bind())
    for table in ANSWER_TABLES:
        columns = inspector.get_columns(table)
        suspicious = [c["name"] for c in columns if IDENTIFYING.search(c["name"])]
        assert suspicious == [], (table, suspicious)
        for key in inspector.get_foreign_keys(table):
            assert key["referred_table"] in {"organisation", "unit", "questionnaire_version", "response", "answer",
                                             "analysis_run", "theme"}, (table, key)
        kinds = {c["name"]: type(c["type"]).__name__ for c in columns}
        assert not any(kind in ("DATETIME", "DateTime", "TIMESTAMP") for kind in kinds.values()), (table, kinds)


def test_only_a_confidential_link_can_tie_a_response_to_a_person(session):
    """Tables that point both at an answer (or response) and at a person or invitation: the one
    table a confidential interview writes, and nothing an anonymous response could use."""
    inspector = inspect(session.get_bind())
    linking = []
    for table in inspector.get_table_names():
        referred = {key["referred_table"] for key in inspector.get_foreign_keys(table)}
        if referred & {"response", "answer"} and referred & {"person", "invitation", "user_account"}:
            linking.append(table)
    assert linking == ["confidential_link"]


def test_no_table_keeps_addresses_or_user_agents(session):
    inspector = inspect(session.get_bind())
    for table in inspector.get_table_names():
        names = [c["name"] for c in inspector.get_columns(table)]
        assert not [n for n in names if re.search(r"(^|_)(ip|remote_addr|user_agent|agent)($|_)", n)], (table, names)


def test_a_whole_run_leaves_no_link_between_answer_and_person_in_the_logs(app, client, session, make_invitation,
                                                                          caplog):
    caplog.set_level(logging.DEBUG)
    token = make_invitation()
    response = answer_sluttsamtale(client, token)
    assert response.status_code == 302
    stored = session.scalars(select(Response)).one()
    assert type(stored.submitted_on).__name__ == "date"
    assert session.scalars(select(ConfidentialLink)).all() == []
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert token not in logged and hash_token(token) not in logged
    for cookie in client._cookies.values():
        assert cookie.value not in logged
