"""``flask --app wsgi <group> <command>``: questionnaires, demo."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from survey_app.definitions.loader import DefinitionError, load_questionnaire

questionnaires_cli = AppGroup("questionnaires", help="Check and list questionnaire definitions.")
demo_cli = AppGroup("demo", help="Demo data for trying Kvifor out.")


@questionnaires_cli.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def check_questionnaires(files: tuple[str, ...]) -> None:
    """Validate FILES (default: every questionnaire in use). Exit status 1 if any is wrong."""
    paths = [Path(f) for f in files] or sorted(Path(current_app.config["QUESTIONNAIRE_DIR"]).glob("*.yaml"))
    failed = 0
    for path in paths:
        try:
            q = load_questionnaire(path)
        except DefinitionError as exc:
            failed += 1
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            continue
        click.echo(f"{path}: ok ({q.key}, version {q.version}, {len(q.questions)} questions)")
    if failed:
        click.echo(f"{failed} of {len(paths)} file(s) have problems", err=True)
        sys.exit(1)


@questionnaires_cli.command("list")
def list_questionnaires() -> None:
    """Show the questionnaires this installation offers and their current versions."""
    for q in current_app.extensions["questionnaires"]:
        click.echo(f"{q.key:14} {q.kind:12} {q.version}  {q.title('nn')}")


@demo_cli.command("seed")
@click.option("--responses", default=500, show_default=True, help="How many responses to generate.")
@click.option("--seed", default=2026, show_default=True, help="Random seed, for a reproducible demo.")
@click.option("--reset", is_flag=True, help="Delete the demo organisation and all its data first.")
def seed_demo(responses: int, seed: int, reset: bool) -> None:
    """Create "Demo kommune" with units, an HR account, responses and one link per questionnaire."""
    from survey_app.demo import seed as demo_seed
    from survey_app.extensions import db

    result = demo_seed.run(db.session, current_app.extensions["questionnaires"], responses=responses, seed=seed, reset=reset)
    click.echo(f"Organisation: {result.organisation.name} (slug '{result.organisation.slug}')")
    click.echo(f"Responses created: {result.responses_created}")
    click.echo(f"HR login: {result.hr_email} / password: {result.hr_password}")
    click.echo("Personal respondent links (each works once):")
    base = current_app.config.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    for key, token in result.links.items():
        click.echo(f"  {key:14} {base}/s/{token}")
    click.echo("Open (anonymous) links:")
    for key in result.links:
        click.echo(f"  {key:14} {base}/o/{result.organisation.slug}/{key}")


def register_commands(app: Flask) -> None:
    app.cli.add_command(questionnaires_cli)
    app.cli.add_command(demo_cli)
