"""Shared fixtures: one migrated database per test run (SQLite by default, PostgreSQL when
``KVIFOR_TEST_DATABASE_URL`` is set), emptied between tests; an app and a client per test."""
from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from config import TestingConfig
from survey_app import create_app
from survey_app.extensions import db
from survey_app.models import Invitation, Organisation, Unit, hash_token
from survey_app.models._time import utcnow

REPO = Path(__file__).resolve().parent.parent


def reset_postgres(url: str) -> None:
    """An empty public schema (tests and benchmarks start from a clean database)."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("KVIFOR_TEST_DATABASE_URL")
    if url:
        reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": url},
                     instance_path=str(tmp_path_factory.mktemp("instance")))
    with app.app_context():
        upgrade()  # the schema comes from the migrations, as in production
        db.engine.dispose()
    return url


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": database_url}, instance_path=str(tmp_path / "instance"))
    yield app
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def session(app):
    """A session of the test's own. Not ``db.session``: holding an app context open would make
    Flask reuse it, and its ``g``, for every request the test client sends."""
    with app.app_context():
        engine = db.engine
    with Session(engine) as own:
        yield own


@pytest.fixture
def org(session) -> Organisation:
    organisation = Organisation(slug="testvik", name="Testvik kommune", written_standard="nn")
    session.add(organisation)
    sector = Unit(code="HO", name="Helse og omsorg", organisation=organisation)
    session.add(Unit(code="HO-1", name="Heimetenesta", organisation=organisation, parent=sector))
    session.commit()
    return organisation


@pytest.fixture
def make_invitation(session, org):
    def make(questionnaire_key: str = "sluttsamtale", token: str | None = None, days: int = 30) -> str:
        token = token or f"tok-{questionnaire_key}-{os.urandom(8).hex()}"
        session.add(Invitation(organisation_id=org.id, questionnaire_key=questionnaire_key,
                               token_hash=hash_token(token), expires_at=utcnow() + timedelta(days=days)))
        session.commit()
        return token
    return make


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    return match.group(1) if match else ""


PASSWORD = "correct horse battery staple"


@pytest.fixture
def make_user(session):
    from survey_app.models import Membership, User

    def make(email: str, roles: dict | None = None, host_admin: bool = False, active: bool = True) -> User:
        user = User(email=email, name=email.split("@")[0].title(), is_host_admin=host_admin, is_active=active)
        user.set_password(PASSWORD)
        session.add(user)
        session.flush()
        for organisation, role_list in (roles or {}).items():
            for role in role_list:
                session.add(Membership(user_id=user.id, organisation_id=organisation.id, role=role))
        session.commit()
        return user
    return make


def login(client, email: str, password: str = PASSWORD):
    return client.post("/logg-inn", data={"email": email, "password": password})


@pytest.fixture
def smtp_sink():
    """A real SMTP server on loopback that keeps what it receives."""
    import socket

    from aiosmtpd.controller import Controller

    class Sink:
        def __init__(self):
            self.messages = []

        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            # Like a real server that knows its mailboxes: an address starting "avvist" does not exist.
            if address.startswith("avvist"):
                return "550 5.1.1 No such mailbox"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            import email
            from email import policy
            self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default)))
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    controller.stop()


@pytest.fixture
def mail_app(app, smtp_sink):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_sink.port, MAIL_FROM="hr@testvik.no",
                      PUBLIC_BASE_URL="http://kvifor.test")
    return app
