"""The schema comes only from Alembic migrations, and they match the models."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from config import TestingConfig
from survey_app import create_app
from survey_app.extensions import db


def test_upgrade_from_empty_and_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": url}, instance_path=str(tmp_path / "i"))
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_migrations_match_the_models(app):
    """The test database was migrated from empty (SQLite or PostgreSQL); autogenerate finds nothing to add."""
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_the_embeddings_migration_backfills_the_free_text_already_stored(tmp_path):
    """Answers stored before 0020 get their embeddings in the upgrade, under the model's id."""
    from sqlalchemy import select

    from analysis.embed import default_embedder, text_key
    from survey_app.models import AnswerEmbedding, Organisation, Response
    from survey_app.services.questionnaires import ensure_version
    from survey_app.services.responding import answer_rows, free_text_questions

    url = f"sqlite:///{tmp_path / 'backfill.sqlite3'}"
    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": url}, instance_path=str(tmp_path / "i"))
    with app.app_context():
        upgrade()
        session = db.session
        organisation = Organisation(slug="fjordvik", name="Fjordvik kommune", written_standard="nn")
        session.add(organisation)
        session.flush()
        questionnaire = app.extensions["questionnaires"].get("sluttsamtale")
        response = Response(organisation_id=organisation.id, questionnaire_version_id=ensure_version(
            session, questionnaire).id, language="nn", channel="invitation")
        response.answers = list(answer_rows({"main_reason": "lonn", "main_reason_text": "Løna er for låg."},
                                            free_text_questions(questionnaire)))
        session.add(response)
        session.commit()
        downgrade(revision="0019")
        upgrade()
        rows = session.scalars(select(AnswerEmbedding)).all()
        assert len(rows) == 1 and rows[0].model_id == default_embedder().model_id
        assert rows[0].text_hash == text_key("Løna er for låg.")  # nothing in it to scrub
        assert len(rows[0].vector) == 4 * default_embedder().dim
        session.remove()
        db.engine.dispose()
