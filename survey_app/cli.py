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
    if result.responses_created:
        # A first analysis, so HR sees themes at once; later runs come from the button or cron.
        from survey_app.models._time import today
        from survey_app.periods import previous_quarters, quarter_label
        from survey_app.services.analysis_runs import run_analysis

        period = quarter_label(previous_quarters(today(), 1)[0])
        run = run_analysis(db.session, result.organisation, period)
        demo_seed.review(db.session, current_app.extensions["questionnaires"], result.organisation, run)
        click.echo(f"Cause analysis {run.period}: {run.answer_count} answers, {len(run.themes)} themes")
        # "What could have made you stay?" is analysed the same way, for the report's chapter on it.
        stay = run_analysis(db.session, result.organisation, period, question="stay_text")
        demo_seed.review(db.session, current_app.extensions["questionnaires"], result.organisation, stay,
                         with_actions=False)
        click.echo(f"'What could have made you stay' {stay.period}: {stay.answer_count} answers, "
                   f"{len(stay.themes)} themes")
    click.echo(f"Organisation: {result.organisation.name} (slug '{result.organisation.slug}')")
    click.echo(f"Responses created: {result.responses_created}")
    click.echo(f"HR login: {result.hr_email} / password: {result.hr_password}")
    click.echo("  (the same login is also the organisation's administrator: users, units, settings, access log)")
    click.echo("Personal respondent links (each works once):")
    base = current_app.config.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    for key, token in result.links.items():
        click.echo(f"  {key:14} {base}/s/{token}")
    click.echo("Open (anonymous) links:")
    for key in result.links:
        click.echo(f"  {key:14} {base}/o/{result.organisation.slug}/{key}")


analysis_cli = AppGroup("analysis", help="Cause analysis of free-text answers.")


@analysis_cli.command("run")
@click.option("--org", "slug", required=True, help="The organisation's slug, e.g. demo.")
@click.option("--period", required=True, help="The quarter to report on, e.g. 2026Q3.")
@click.option("--questionnaire", default="sluttsamtale", show_default=True)
@click.option("--question", default="main_reason_text", show_default=True)
@click.option("--quarters", default=8, show_default=True, help="How many quarters up to PERIOD to include.")
@click.option("--seed", default=0, show_default=True)
def run_analysis_command(slug: str, period: str, questionnaire: str, question: str, quarters: int, seed: int) -> None:
    """Analyse causes and themes of the free text up to PERIOD and store the run for HR to review."""
    from sqlalchemy import select

    from survey_app.extensions import db
    from survey_app.models import Organisation
    from survey_app.periods import parse_quarter
    from survey_app.services.analysis_runs import run_analysis

    try:
        parse_quarter(period)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from None
    organisation = db.session.scalars(select(Organisation).filter_by(slug=slug)).first()
    if organisation is None:
        raise click.BadParameter(f"no organisation with slug {slug!r}", param_hint="--org")
    run = run_analysis(db.session, organisation, period, questionnaire, question, quarters, seed)
    mode = "trained on respondents' own main reasons" if run.trained else "cold start"
    click.echo(f"Run {run.id}: {run.answer_count} answers {run.first_period}-{run.period}, "
               f"{len(run.themes)} themes ({sum(t.is_new for t in run.themes)} new), {mode}, code {run.code_version}")
    for theme in run.themes:
        size = sum(1 for row in run.rows if row.theme_id == theme.id)
        click.echo(f"  {theme.number:>3} {size:>5}  {'NEW ' if theme.is_new else ''}{theme.label}")


invitations_cli = AppGroup("invitations", help="Sending invitations and reminders.")


@invitations_cli.command("send")
@click.option("--org", "slug", help="Only this organisation (default: all).")
def send_invitations_command(slug: str | None) -> None:
    """Send due invitations and reminders, expire old ones, erase identity data that is due.

    Safe to run from cron as often as you like: nothing is sent twice.
    """
    from sqlalchemy import select

    from survey_app.extensions import db
    from survey_app.invitation_mail import compose
    from survey_app.models import Organisation
    from survey_app.services.invitations import send_due
    from survey_app.services.mail import Mailer, MailNotConfigured

    config = current_app.config
    organisation_id = None
    if slug:
        organisation = db.session.scalars(select(Organisation).filter_by(slug=slug)).first()
        if organisation is None:
            raise click.BadParameter(f"no organisation with slug {slug!r}", param_hint="--org")
        organisation_id = organisation.id
    try:
        with Mailer(config) as mailer:
            report = send_due(db.session, mailer, compose, config["SECRET_KEY"], config["PUBLIC_BASE_URL"], config,
                              organisation_id=organisation_id)
    except MailNotConfigured:
        click.echo("MAIL_SERVER is not configured; set it in instance/kvifor.cfg or KVIFOR_MAIL_SERVER.", err=True)
        sys.exit(2)
    except OSError as error:
        click.echo(f"Could not connect to the mail server {config['MAIL_SERVER']}:{config['MAIL_PORT']}: {error}",
                   err=True)
        sys.exit(1)
    click.echo(f"sent {report.sent}, reminders {report.reminders}, expired {report.expired}, "
               f"without e-mail {report.without_email} (print letters in the app), failed {report.failed}, "
               f"identities erased {report.identities_erased}")
    for line in report.errors:
        click.echo(line, err=True)
    if report.failed:
        sys.exit(1)


users_cli = AppGroup("users", help="Staff accounts.")


@users_cli.command("create-host-admin")
@click.argument("email")
@click.option("--name", default="Vertsadministrator", show_default=True)
def create_host_admin(email: str, name: str) -> None:
    """Create (or promote) the host administrator, who creates organisations. Prints a one-time password."""
    from survey_app.extensions import db
    from survey_app.services.organisations import AdminError, find_or_create_user, one_time_password

    try:
        user, password = find_or_create_user(db.session, email, name)
    except AdminError as error:
        raise click.BadParameter(str(error), param_hint="EMAIL") from None
    if password is None:
        password = one_time_password()
        user.set_password(password)
    user.is_host_admin = True
    user.must_change_password = True
    db.session.commit()
    click.echo(f"Host administrator {user.email} / one-time password: {password}")
    click.echo("Log in at /logg-inn and choose your own password (asked for at once), then go to /vert to create "
               "organisations.")


@users_cli.command("reset-second-factor")
@click.argument("email")
def reset_second_factor(email: str) -> None:
    """Turn a user's second factor off (a lost phone); they log in with the password and set it up again."""
    from sqlalchemy import select

    from survey_app.extensions import db
    from survey_app.models import User
    from survey_app.services import accounts, audit

    user = db.session.scalars(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise click.BadParameter("no user with that e-mail address", param_hint="EMAIL")
    accounts.stop_totp(db.session, user)
    accounts.end_all_sessions(db.session, user)
    audit.record(db.session, "totp_reset", user_id=user.id)
    click.echo(f"The second factor of {user.email} is off, and their logins have ended.")


retention_cli = AppGroup("retention", help="Deleting what is no longer needed.")


@retention_cli.command("run")
def retention_run() -> None:
    """Erase raw free text and identity data that are past their time, and clean up leftovers.

    Idempotent and safe for cron; prints what it did.
    """
    from survey_app.extensions import db
    from survey_app.services import audit
    from survey_app.services.retention import run

    report = run(db.session, current_app.config)
    audit.record(db.session, "retention_run", **report.as_dict())
    click.echo(", ".join(f"{key.replace('_', ' ')} {value}" for key, value in report.as_dict().items()))


organisations_cli = AppGroup("organisations", help="Organisations on this installation.")


@organisations_cli.command("delete")
@click.argument("slug")
@click.option("--yes", is_flag=True, help="Confirm: every response, person, user role and report of it goes.")
def delete_organisation_command(slug: str, yes: bool) -> None:
    """Delete an organisation and all of its data."""
    from sqlalchemy import select

    from survey_app.extensions import db
    from survey_app.models import Organisation
    from survey_app.services.retention import delete_organisation

    organisation = db.session.scalars(select(Organisation).filter_by(slug=slug)).first()
    if organisation is None:
        raise click.BadParameter(f"no organisation with slug {slug!r}", param_hint="SLUG")
    if not yes:
        click.echo(f"This deletes {organisation.name} and all of its data. Run again with --yes to do it.", err=True)
        sys.exit(1)
    delete_organisation(db.session, organisation)
    click.echo(f"Deleted {slug}.")


tallies_cli = AppGroup("tallies", help="The answer counts dashboards read, kept at submit time.")


def _organisation_ids(slug: str | None) -> list[int] | None:
    from sqlalchemy import select

    from survey_app.extensions import db
    from survey_app.models import Organisation

    if slug is None:
        return None
    organisation = db.session.scalars(select(Organisation).filter_by(slug=slug)).first()
    if organisation is None:
        raise click.BadParameter(f"no organisation with slug {slug!r}", param_hint="--org")
    return [organisation.id]


@tallies_cli.command("check")
@click.option("--org", "slug", help="Only this organisation (default: all).")
def check_tallies(slug: str | None) -> None:
    """Count the answers afresh and compare with the stored tallies; exit 1 if they differ."""
    from survey_app.extensions import db
    from survey_app.services import tallies

    differences = tallies.compare(db.session.connection(), _organisation_ids(slug))
    if not differences:
        click.echo("The tallies agree with the answers.")
        return
    for key, (found, counted) in sorted(differences.items())[:20]:
        click.echo(f"{key}: stored {found}, counted {counted}", err=True)
    click.echo(f"{len(differences)} tally rows differ; `flask --app wsgi tallies rebuild` counts them afresh.",
               err=True)
    sys.exit(1)


@tallies_cli.command("rebuild")
@click.option("--org", "slug", help="Only this organisation (default: all).")
def rebuild_tallies(slug: str | None) -> None:
    """Replace the tallies with a fresh count from the answers (after a bulk load or a restore)."""
    from survey_app.extensions import db
    from survey_app.services import tallies

    rows = tallies.rebuild(db.session.connection(), _organisation_ids(slug))
    db.session.commit()
    click.echo(f"Tallies rebuilt: {rows} rows.")


units_cli = AppGroup("units", help="The unit tree of each organisation.")


@units_cli.command("check")
@click.option("--org", "slug", help="Only this organisation (default: all).")
@click.option("--repair", is_flag=True, help="Mend each loop by making its first unit a sector.")
def check_units(slug: str | None, repair: bool) -> None:
    """Find units that lie in a loop (A under B under A); exit 1 if there are any and --repair is not given."""
    from survey_app.extensions import db
    from survey_app.services import unit_tree

    ids = _organisation_ids(slug)
    found = unit_tree.find_loops(db.session, ids[0] if ids else None)
    if not found:
        click.echo("The unit trees have no loops.")
        return
    for cycle in found:
        names = " -> ".join(f"{u.code}" for u in cycle + cycle[:1])
        click.echo(f"{cycle[0].organisation.slug}: a loop {names}", err=True)
        if repair:
            unit = unit_tree.break_loop(db.session, cycle)
            click.echo(f"{unit.organisation.slug}: {unit.code} is now a sector; move it where it belongs on the "
                       "units page.")
    if repair:
        db.session.commit()
        return
    click.echo(f"{len(found)} loop(s); `flask --app wsgi units check --repair` mends them.", err=True)
    sys.exit(1)


def register_commands(app: Flask) -> None:
    from survey_app.reports.cli import regions_cli, report_cli

    app.cli.add_command(report_cli)
    app.cli.add_command(regions_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(organisations_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(invitations_cli)
    app.cli.add_command(questionnaires_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(analysis_cli)
    app.cli.add_command(tallies_cli)
    app.cli.add_command(units_cli)
