"""``flask --app wsgi report ...`` and ``flask --app wsgi regions ...``."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Organisation, Region, Report
from survey_app.models._time import today
from survey_app.periods import parse_quarter, quarter_label
from survey_app.privacy.periods import is_released, last_closed_quarter
from survey_app.services import regions

report_cli = AppGroup("report", help="Quarterly learning reports (PDF/A) for the administrasjonsutval.")
regions_cli = AppGroup("regions", help="Regions: municipalities that compare themselves on a host installation.")


def _quarter(value: str | None) -> str:
    if not value:
        return last_closed_quarter(today())
    try:
        start, _end = parse_quarter(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--quarter") from None
    if not is_released(quarter_label(start), today()):
        raise click.BadParameter(f"{quarter_label(start)} has not ended yet; a report covers closed quarters only",
                                 param_hint="--quarter")
    return quarter_label(start)


def _language(value: str | None, default: str) -> str:
    if value and value not in current_app.config["LANGUAGES"]:
        raise click.BadParameter(f"{value!r} is not one of {', '.join(current_app.config['LANGUAGES'])}",
                                 param_hint="--lang")
    return value or default


def _write(report: Report, out: str | None) -> None:
    if out:
        Path(out).write_bytes(report.pdf)
    click.echo(f"report {report.id}: {report.period}, {report.language}, {report.pages} pages, "
               f"sha256 {report.pdf_sha256[:16]}…" + (f", written to {out}" if out else ""))


def paper_options(command):
    """The case fields of the paper, the same for the organisation's report and the regional one."""
    for option in reversed((
            click.option("--meeting-date", type=click.DateTime(formats=["%Y-%m-%d", "%d.%m.%Y"]),
                         help="The committee meeting, 2026-12-10 or 10.12.2026."),
            click.option("--case-number", default="", help="The case number in the committee's list, such as 017/26."),
            click.option("--archive-code", default="", help="The archive code printed as 'Arkiv:', such as 'FE-400'."),
            click.option("--case-officer", default="", help="The case officer (sakshandsamar)."),
            click.option("--journal-id", default="", help="The journal post ID from the archive system."))):
        command = option(command)
    return command


@report_cli.command("quarterly")
@click.option("--org", "org_slug", required=True, help="The organisation's slug.")
@click.option("--quarter", help="Such as 2026Q3; default: the last full quarter.")
@click.option("--lang", help="nn, nb or en; default: the organisation's written standard.")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), help="Also write the PDF to this file.")
@paper_options
@click.option("--assessment", "assessment_file", type=click.File(encoding="utf-8"),
              help="A file with the assessment (Vurdering) to print instead of the draft; blank lines part paragraphs.")
@click.option("--run-analysis", is_flag=True, help="Run the cause analysis first if the quarter has none yet.")
def quarterly(org_slug, quarter, lang, out, meeting_date, case_number, archive_code, case_officer, journal_id,
              assessment_file, run_analysis) -> None:
    """Generate, store and (with --out) write the quarterly report of one organisation."""
    from survey_app.reports.context import STAY_TEXT, WHY_TEXT, latest_run
    from survey_app.reports import store as reports

    organisation = db.session.scalars(select(Organisation).filter_by(slug=org_slug)).first()
    if organisation is None:
        raise click.BadParameter(f"no organisation with slug {org_slug!r}", param_hint="--org")
    period = _quarter(quarter)
    for question in (WHY_TEXT, STAY_TEXT):
        if latest_run(db.session, organisation, period, question) is None:
            if run_analysis:
                from survey_app.services.analysis_runs import run_analysis as analyse
                analyse(db.session, organisation, period, question=question)
            else:
                click.echo(f"note: no analysis of {question} for {period}; the report has no themes for it "
                           "(use --run-analysis)", err=True)
    paper = _paper(meeting_date, case_number, archive_code, case_officer, journal_id,
                   assessment_file.read() if assessment_file else None)
    report = reports.generate(db.session, organisation, period, _language(lang, organisation.written_standard),
                              current_app.extensions["questionnaires"], paper=paper)
    _write(report, out)


def _paper(meeting_date, case_number, archive_code, case_officer, journal_id, assessment=None):
    from survey_app.reports.paper import Paper, PaperError
    try:
        return Paper(case_number=case_number, archive_code=archive_code, case_officer=case_officer,
                     journal_id=journal_id, meeting_date=meeting_date.date() if meeting_date else None,
                     assessment=assessment)
    except PaperError as error:
        hint = "--assessment" if error.field == "assessment" else "--" + error.field.replace("_", "-")
        raise click.BadParameter(str(error), param_hint=hint) from None


@report_cli.command("region")
@click.option("--region", "region_slug", required=True, help="The region's slug.")
@click.option("--quarter", help="Such as 2026Q3; default: the last full quarter.")
@click.option("--lang", help="nn, nb or en; default: the region's written standard.")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), help="Also write the PDF to this file.")
@paper_options
def region_report(region_slug, quarter, lang, out, meeting_date, case_number, archive_code, case_officer,
                  journal_id) -> None:
    """Generate and store the regional edition across a region's municipalities."""
    from survey_app.reports import store as reports

    region = db.session.scalars(select(Region).filter_by(slug=region_slug)).first()
    if region is None:
        raise click.BadParameter(f"no region with slug {region_slug!r}", param_hint="--region")
    paper = _paper(meeting_date, case_number, archive_code, case_officer, journal_id)
    report = reports.generate_regional(db.session, region, _quarter(quarter), _language(lang, region.written_standard),
                                       current_app.extensions["questionnaires"], paper=paper)
    _write(report, out)


@report_cli.command("verify")
@click.argument("report_id", type=int)
def verify(report_id: int) -> None:
    """Check a stored report: does its content render to the same PDF, and has the data changed since?"""
    from survey_app.reports import store as reports

    report = db.session.get(Report, report_id)
    if report is None:
        raise click.BadParameter(f"no report {report_id}", param_hint="REPORT_ID")
    same_pdf = reports.rendering_matches(report)
    changed = reports.data_changed(db.session, report, current_app.extensions["questionnaires"])
    click.echo(f"report {report.id}: rendering {'matches' if same_pdf else 'DIFFERS'}; "
               f"data {'has changed since it was generated' if changed else 'unchanged'}")
    if not same_pdf:
        sys.exit(1)


@report_cli.command("list")
@click.option("--org", "org_slug", help="Only this organisation's reports.")
def list_reports(org_slug) -> None:
    statement = select(Report).order_by(Report.id)
    if org_slug:
        statement = statement.join(Organisation, Report.organisation_id == Organisation.id).where(
            Organisation.slug == org_slug)
    for report in db.session.scalars(statement):
        owner = report.region.name if report.region_id else db.session.get(Organisation, report.organisation_id).name
        click.echo(f"{report.id:5} {report.period} {report.language} {report.pages:3}p "
                   f"{report.created_at:%Y-%m-%d %H:%M} {owner} ({report.created_by})")


@regions_cli.command("create")
@click.argument("slug")
@click.argument("name")
@click.option("--members", required=True, help="Organisation slugs, comma-separated.")
@click.option("--written-standard", type=click.Choice(["nn", "nb"]), default="nb", show_default=True)
def create_region(slug, name, members, written_standard) -> None:
    """Create a region (or replace its members) for the regional report."""
    wanted = [m.strip() for m in members.split(",") if m.strip()]
    organisations = list(db.session.scalars(select(Organisation).where(Organisation.slug.in_(wanted))))
    missing = sorted(set(wanted) - {o.slug for o in organisations})
    if missing:
        raise click.BadParameter(f"no organisation with slug {', '.join(missing)}", param_hint="--members")
    region = db.session.scalars(select(Region).filter_by(slug=slug)).first() or Region(slug=slug)
    try:
        regions.set_members(db.session, region, organisations)
    except regions.RegionConflict as error:
        raise click.BadParameter(f"{error}; a municipality can be in one region only, or two regions could be "
                                 "subtracted from each other", param_hint="--members") from None
    region.name, region.written_standard = name, written_standard
    db.session.add(region)
    db.session.commit()
    click.echo(f"region {slug}: {', '.join(o.name for o in organisations)}")

