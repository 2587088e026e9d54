"""The application factory and the layering of configuration."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from config import DefaultConfig, TestingConfig
from survey_app import create_app
from survey_app.database import normalise_database_url
from survey_app.extensions import db


def test_testing_config_is_used(app):
    assert app.testing and app.config["MIN_GROUP_SIZE"] == 5


def test_blueprints_are_registered(app):
    assert {"main", "respond"} <= set(app.blueprints)


def test_layers_default_instance_environment_overrides(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "kvifor.cfg").write_text("MIN_GROUP_SIZE = 6\nINVITATION_VALID_DAYS = 14\nFREE_TEXT_MAX_LENGTH = 1500\n")
    monkeypatch.setenv("KVIFOR_INVITATION_VALID_DAYS", "21")
    monkeypatch.setenv("KVIFOR_FREE_TEXT_MAX_LENGTH", "1800")
    app = create_app(DefaultConfig, {"FREE_TEXT_MAX_LENGTH": 1000, "SQLALCHEMY_DATABASE_URI": "sqlite://"},
                     instance_path=str(instance))
    assert app.config["MIN_GROUP_SIZE"] == 6            # instance file beats the default
    assert app.config["INVITATION_VALID_DAYS"] == 21     # environment beats the instance file, parsed as JSON
    assert app.config["FREE_TEXT_MAX_LENGTH"] == 1000    # explicit overrides beat everything
    assert app.config["SHORT_TEXT_MAX_LENGTH"] == 200    # untouched default


def test_database_url_environment_switches_database(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://kvifor:pw@db.example/kvifor")
    app = create_app(DefaultConfig, instance_path=str(tmp_path / "i"))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://kvifor:pw@db.example/kvifor"


def test_embedded_default_is_sqlite_in_the_instance_folder_with_wal_and_foreign_keys(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("KVIFOR_SQLALCHEMY_DATABASE_URI", raising=False)
    instance = tmp_path / "inst"
    app = create_app(DefaultConfig, instance_path=str(instance))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'kvifor.sqlite3'}"
    with app.app_context():
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        db.engine.dispose()


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("KVIFOR_SECRET_KEY", raising=False)
    instance = str(tmp_path / "inst")
    first = create_app(DefaultConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://"}, instance_path=instance)
    second = create_app(DefaultConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://"}, instance_path=instance)
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]


def test_normalise_database_url():
    assert normalise_database_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_health_endpoint(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_unknown_page_is_a_friendly_404_in_norwegian(client):
    response = client.get("/finst-ikkje", headers={"Accept-Language": "nn"})
    assert response.status_code == 404 and "Fann ikkje sida" in response.get_data(as_text=True)


def test_unexpected_errors_give_a_friendly_500_and_no_traceback(database_url, tmp_path):
    class Production(TestingConfig):
        TESTING = False

    app = create_app(Production, {"SQLALCHEMY_DATABASE_URI": database_url}, instance_path=str(tmp_path / "p"))

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom", headers={"Accept-Language": "nb"})
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and "Noe gikk galt" in body and "secret internals" not in body
    with app.app_context():
        db.engine.dispose()


def test_broken_questionnaire_directory_does_not_stop_commands(tmp_path):
    (tmp_path / "bad.yaml").write_text("id: bad\n")
    app = create_app(TestingConfig, {"QUESTIONNAIRE_DIR": str(tmp_path)}, instance_path=str(tmp_path / "i"))
    result = app.test_cli_runner().invoke(args=["questionnaires", "check", str(tmp_path / "bad.yaml")])
    assert result.exit_code == 1 and "bad.yaml:1: " in result.output


def test_make_run_serves_links_on_the_address_it_serves():
    """Letters print "Gå til …/kode": with ``make run PORT=5077`` that must be port 5077, not 5000."""
    import shutil
    import subprocess
    from pathlib import Path

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    plan = subprocess.run(["make", "-n", "run", "PORT=5077"], cwd=Path(__file__).resolve().parents[1],
                          capture_output=True, text=True, check=True).stdout
    serve = [line for line in plan.splitlines() if " run --host" in line]
    assert serve and all("KVIFOR_PUBLIC_BASE_URL=http://127.0.0.1:5077" in line for line in serve)


def test_the_icon_every_browser_asks_for_is_there(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert 'rel="icon"' in client.get("/").get_data(as_text=True)


def test_a_refused_page_answers_in_the_organisations_language_not_the_browsers(client, org, make_user):
    make_user("leiar@testvik.no", {org: ["leader"]})
    from tests.conftest import login

    login(client, "leiar@testvik.no")
    refused = client.get("/org/testvik/analyse", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert refused.status_code in (403, 404)
    assert '<html lang="nn">' in refused.get_data(as_text=True)
    missing = client.get("/org/testvik/finst-ikkje", headers={"Accept-Language": "en"})
    assert missing.status_code == 404 and '<html lang="nn">' in missing.get_data(as_text=True)
    client.get("/org/testvik/?lang=nb")  # chosen once, kept on every page, error pages too
    assert '<html lang="nb">' in client.get("/finst-ikkje", headers={"Accept-Language": "en"}).get_data(as_text=True)
