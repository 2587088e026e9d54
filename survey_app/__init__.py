"""Kvifor: the Flask application factory.

``create_app`` reads as the list of steps that make the app: configuration, database,
extensions, questionnaire definitions, blueprints, commands, error pages.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from config import DefaultConfig


def create_app(config_object: Any = DefaultConfig, overrides: dict | None = None,
               instance_path: str | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    configure_settings(app, config_object, overrides)
    configure_logs(app)
    configure_database(app)
    configure_extensions(app)
    configure_definitions(app)
    configure_blueprints(app)
    configure_commands(app)
    configure_error_pages(app)
    configure_security(app)
    return app


def configure_settings(app: Flask, config_object: Any, overrides: dict | None) -> None:
    app.config.from_object(config_object)
    app.config.from_pyfile("kvifor.cfg", silent=True)
    app.config.from_prefixed_env("KVIFOR")
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if overrides:
        app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app)


def _instance_secret(app: Flask) -> str:
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def configure_database(app: Flask) -> None:
    from survey_app.database import normalise_database_url, sqlite_default_url

    uri = app.config.get("SQLALCHEMY_DATABASE_URI") or sqlite_default_url(app.instance_path)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(uri)
    if uri.startswith(("postgres://", "postgresql")) and app.config.get("POSTGRES_SESSION_SETTINGS"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("options", " ".join(
            f"-c {name}={value}" for name, value in app.config["POSTGRES_SESSION_SETTINGS"].items()))
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "connect_args": connect_args}


def configure_extensions(app: Flask) -> None:
    from survey_app import models  # noqa: F401  (registers the tables on the metadata)
    from survey_app.database import install_sqlite_pragmas
    from survey_app.extensions import babel, csrf, db, migrate
    from survey_app.i18n import select_locale
    from survey_app.services import tallies

    db.init_app(app)
    tallies.install()
    with app.app_context():
        install_sqlite_pragmas(db.engine)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)


def configure_definitions(app: Flask) -> None:
    from survey_app.definitions.loader import DefinitionError
    from survey_app.definitions.registry import BrokenRegistry, QuestionnaireRegistry

    try:
        registry = QuestionnaireRegistry.from_directory(app.config["QUESTIONNAIRE_DIR"])
    except DefinitionError as exc:
        # Keep commands such as `questionnaires check` usable; respondent pages will refuse to run.
        app.logger.error("questionnaire definitions have problems:\n%s", exc)
        registry = BrokenRegistry(exc)
    app.extensions["questionnaires"] = registry


def configure_blueprints(app: Flask) -> None:
    from survey_app.admin import privacy, subjects  # noqa: F401  (their routes join the admin blueprint)
    from survey_app.admin.views import bp as admin_bp
    from survey_app.auth.views import bp as auth_bp
    from survey_app.auth.views import load_logged_in_user
    from survey_app.hr import actions, comments, dashboard, imports, interview, invitations  # noqa: F401  (their routes join the HR blueprint)
    from survey_app.hr.views import bp as hr_bp
    from survey_app.main.views import bp as main_bp
    from survey_app.reports.views import bp as reports_bp
    from survey_app.respond.views import bp as respond_bp

    app.before_request(load_logged_in_user)
    app.register_blueprint(main_bp)
    app.register_blueprint(respond_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(hr_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(reports_bp)


def configure_commands(app: Flask) -> None:
    from survey_app.cli import register_commands

    register_commands(app)


def configure_error_pages(app: Flask) -> None:
    from survey_app.main.errors import register_error_handlers

    register_error_handlers(app)


def configure_security(app: Flask) -> None:
    from survey_app.security import install_input_guard, install_security_headers

    install_security_headers(app)
    install_input_guard(app)
    if app.config.get("PROXY_FIX"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, **app.config["PROXY_FIX"])


def configure_logs(app: Flask) -> None:
    from survey_app.logs import configure_logging

    configure_logging(app)
