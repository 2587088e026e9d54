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
