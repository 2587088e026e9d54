"""Generating, storing and checking quarterly reports.

A stored report is never changed: generating again makes a new row. What makes a report
reproducible is kept with it: the period, the analysis run it used, the content (every figure
after the privacy gate) with its hash, the PDF with its hash, and who generated it.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from analysis import code_version
from survey_app.models import AnalysisRun, Organisation, Region, Report, User, region_member
from survey_app.models._time import utcnow
from survey_app.reports import content as report_content, region as region_content
from survey_app.reports.context import latest_run
from survey_app.reports.paper import Paper
from survey_app.reports.render import content_hash, render_pdf
from survey_app.services import audit


def _normalised(content: dict) -> dict:
    """The content as it comes back from the database's JSON column."""
    return json.loads(json.dumps(content, ensure_ascii=False, default=str))


def _store(session: Session, content: dict, user: User | None, created_by: str, run: AnalysisRun | None,
           **owner) -> Report:
    content = _normalised(content)
    created_at = utcnow().replace(microsecond=0)
    pdf, pages = render_pdf(content, created_at)
    report = Report(period=content["period"], language=content["language"], created_at=created_at,
                    created_by_id=user.id if user else None, created_by=(user.email if user else created_by)[:254],
                    analysis_run_id=run.id if run else None, code_version=code_version(), content=content,
                    content_sha256=content_hash(content), pdf=pdf, pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                    pages=pages, **owner)
    session.add(report)
    session.flush()
    audit.record(session, "report_generated", user_id=user.id if user else None,
                 organisation_id=owner.get("organisation_id"), report=report.id, period=report.period,
                 region=owner.get("region_id"), commit=False)
    session.commit()
    return report


def generate(session: Session, organisation: Organisation, period: str, language: str, registry,
             user: User | None = None, created_by: str = "cli", meeting_date: date | None = None,
             paper: Paper | None = None) -> Report:
    """Prepare, render and store the quarterly report of one organisation."""
    run = latest_run(session, organisation, period)
    content = report_content.prepare(session, organisation, period, language, registry, run=run,
                                     paper=paper or Paper(meeting_date=meeting_date))
    return _store(session, content, user, created_by, run, organisation_id=organisation.id)


def generate_regional(session: Session, region: Region, period: str, language: str, registry,
                      user: User | None = None, created_by: str = "cli", meeting_date: date | None = None,
                      paper: Paper | None = None) -> Report:
    content = region_content.prepare(session, region, period, language, registry,
                                     paper=paper or Paper(meeting_date=meeting_date))
    return _store(session, content, user, created_by, None, region_id=region.id)


def fresh_content(session: Session, report: Report, registry) -> dict:
    """The report's content prepared again from today's database, with the same run and settings."""
    paper = Paper.from_content(report.content)
    if report.region_id is not None:
        content = region_content.prepare(session, report.region, report.period, report.language, registry,
                                         paper=paper)
    else:
        organisation = session.get(Organisation, report.organisation_id)
        run = session.get(AnalysisRun, report.analysis_run_id) if report.analysis_run_id else None
        content = report_content.prepare(session, organisation, report.period, report.language, registry, run=run,
                                         paper=paper)
    return _normalised(content)


def data_changed(session: Session, report: Report, registry) -> bool:
    """Whether a report generated now from the same period and run would show other figures."""
    return content_hash(fresh_content(session, report, registry)) != report.content_sha256


def rendering_matches(report: Report) -> bool:
    """Whether rendering the stored content again gives the stored PDF, byte for byte."""
    pdf, _pages = render_pdf(report.content, report.created_at)
    return hashlib.sha256(pdf).hexdigest() == report.pdf_sha256 and content_hash(report.content) == report.content_sha256


def regions_of(session: Session, organisation_id: int) -> list[int]:
    return list(session.scalars(select(region_member.c.region_id).where(
        region_member.c.organisation_id == organisation_id)))


def reports_for(session: Session, organisation: Organisation) -> list[Report]:
    """The organisation's own reports and the regional reports of regions it belongs to, newest first."""
    regions = regions_of(session, organisation.id)
    condition = Report.organisation_id == organisation.id
    if regions:
        condition = or_(condition, Report.region_id.in_(regions))
    return list(session.scalars(select(Report).where(condition).order_by(Report.created_at.desc(), Report.id.desc())))


def find_for(session: Session, organisation: Organisation, report_id) -> Report | None:
    report = session.get(Report, report_id)
    if report is None:
        return None
    if report.organisation_id == organisation.id:
        return report
    if report.region_id is not None and report.region_id in regions_of(session, organisation.id):
        return report
    return None
