"""Report pages: HR previews and generates; HR, admins and the committee open finished reports."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from sqlalchemy import select

from survey_app.access import host_admin_page, organisation_page
from survey_app.extensions import db
from survey_app.i18n import LANGUAGE_NAMES
from survey_app.models._time import today
from survey_app.periods import previous_quarters, quarter_label
from survey_app.period_names import quarter_name
from survey_app.reports import content as report_content
from survey_app.models import Organisation, Region, Report
from survey_app.reports.forms import GenerateReportForm, RegionForm, ReportForm
from survey_app.reports.paper import Paper, PaperError
from survey_app.reports.render import render_html
from survey_app.reports import store as reports
from survey_app.services import audit, regions as regions_service

bp = Blueprint("reports", __name__)


def quarter_choices() -> list[tuple[str, str]]:
    from flask_babel import force_locale
    quarters = [quarter_label(d) for d in reversed(previous_quarters(today(), 8))]
    with force_locale(str(g.get("lang") or g.organisation.written_standard)):
        return [(q, quarter_name(q)) for q in quarters]


def fill_choices(form: ReportForm) -> ReportForm:
    form.period.choices = quarter_choices()
    form.language.choices = [(code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"]]
    if not form.period.data:
        form.period.data = form.period.choices[0][0]
    if not form.language.data:
        form.language.data = g.organisation.written_standard
    return form


def pdf_response(report, filename: str) -> Response:
    return Response(report.pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/org/<org_slug>/rapportar")
@organisation_page("hr", "admin", "committee")
def index():
    form = fill_choices(ReportForm(request.args if request.args else None))
    return render_template("reports/index.html", form=form, reports=reports.reports_for(db.session, g.organisation),
                           language_names=LANGUAGE_NAMES)


PAPER_FIELDS = ("meeting_date", "case_number", "archive_code", "case_officer", "journal_id")


def _paper(form: ReportForm, assessment: str | None = None) -> Paper:
    """The case fields from the form; where HR typed something the paper cannot hold (the form
    says what), the preview shows the report without the case fields."""
    try:
        return Paper(case_number=form.case_number.data or "", archive_code=form.archive_code.data or "",
                     case_officer=form.case_officer.data or "", journal_id=form.journal_id.data or "",
                     meeting_date=form.meeting_date.data, assessment=assessment)
    except PaperError:
        return Paper(meeting_date=form.meeting_date.data)


def _preview(form: ReportForm, generate_form: GenerateReportForm | None = None, status: int = 200):
    """The report as it will read, with the form that makes the PDF: the case fields and the
    assessment, a draft HR may rewrite."""
    content = report_content.prepare(db.session, g.organisation, form.period.data, form.language.data,
                                     current_app.extensions["questionnaires"], paper=_paper(form))
    # The preview shows the quotes HR cleared: a view of free text, so it is logged.
    audit.record(db.session, "report_preview", user_id=g.user.id, organisation_id=g.organisation.id,
                 period=form.period.data)
    if generate_form is None:
        data = {name: getattr(form, name).data for name in ("period", "language") + PAPER_FIELDS}
        data["assessment"] = "\n\n".join(content["paper"]["assessment"])
        generate_form = fill_choices(GenerateReportForm(data=data))
    return render_template("reports/preview.html", form=form, generate_form=generate_form, content=content,
                           body=Markup(render_html(content, preview=True))), status


@bp.get("/org/<org_slug>/rapportar/forehandsvising")
@organisation_page("hr")
def preview():
    form = fill_choices(ReportForm(request.args))
    if not form.validate():
        return render_template("reports/index.html", form=form, language_names=LANGUAGE_NAMES,
                               reports=reports.reports_for(db.session, g.organisation)), 400
    return _preview(form)


@bp.post("/org/<org_slug>/rapportar")
@organisation_page("hr")
def generate():
    form = fill_choices(GenerateReportForm())
    if not form.validate_on_submit():
        if form.period.data in dict(form.period.choices) and form.language.data in dict(form.language.choices):
            # Something HR typed (a case number, a too long assessment): the preview again, saying what.
            return _preview(form, form, 400)
        flash(_("The report could not be made: choose a quarter and a written standard."))
        return redirect(url_for("reports.index", org_slug=g.organisation.slug))
    report = reports.generate(db.session, g.organisation, form.period.data, form.language.data,
                              current_app.extensions["questionnaires"], user=g.user,
                              paper=_paper(form, form.assessment.data or None))
    flash(_("The report for %(quarter)s is ready (%(pages)s pages).", quarter=report.content["period_name"],
            pages=report.pages))
    return redirect(url_for("reports.detail", org_slug=g.organisation.slug, report_id=report.id))


def _report_or_404(report_id):
    from survey_app.access import MAX_ID
    if not 0 < report_id <= MAX_ID:
        abort(404)
    report = reports.find_for(db.session, g.organisation, report_id)
    if report is None:
        abort(404)
    return report


@bp.get("/org/<org_slug>/rapportar/<int:report_id>")
@organisation_page("hr", "admin", "committee")
def detail(report_id: int):
    report = _report_or_404(report_id)
    changed = reports.data_changed(db.session, report, current_app.extensions["questionnaires"])
    return render_template("reports/detail.html", report=report, changed=changed, language_names=LANGUAGE_NAMES)


@bp.get("/org/<org_slug>/rapportar/<int:report_id>.pdf")
@organisation_page("hr", "admin", "committee")
def download(report_id: int):
    report = _report_or_404(report_id)
    audit.record(db.session, "report_download", user_id=g.user.id, organisation_id=g.organisation.id,
                 report=report.id)
    owner = report.region.slug if report.region_id else g.organisation.slug
    return pdf_response(report, f"kvifor-{owner}-{report.period}-{report.language}-{report.id}.pdf")


# -- the host installation: regions and their regional reports ------------------------------------

@bp.route("/vert/regionar", methods=["GET", "POST"])
@host_admin_page
def regions():
    form = RegionForm()
    all_organisations = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    chosen = [o for o in all_organisations if str(o.id) in request.form.getlist("members")]
    member_error = None
    if form.is_submitted() and len(chosen) < 2:
        member_error = _("Choose at least two municipalities.")
    elif form.is_submitted() and (taken := regions_service.conflicts(db.session, chosen)):
        member_error = " ".join(
            _("%(organisation)s is already in the region %(region)s.", organisation=o.name, region=r.name)
            for o, r in taken) + " " + _("A municipality can be in one region only: two regions over the same "
                                         "municipalities could be subtracted from each other to reveal a small "
                                         "group.")
    if form.validate_on_submit() and not member_error:
        if db.session.scalars(select(Region).filter_by(slug=form.slug.data)).first() is not None:
            form.slug.errors.append(_("That short name is taken."))
        else:
            region = Region(slug=form.slug.data, name=form.name.data.strip(),
                            written_standard=form.written_standard.data, organisations=chosen)
            db.session.add(region)
            db.session.commit()
            audit.record(db.session, "region_create", user_id=g.user.id, region=region.id, members=len(chosen))
            flash(_("The region %(name)s is created.", name=region.name))
            return redirect(url_for("reports.regions"))
    report_form = GenerateReportForm()
    report_form.period.choices = _host_quarters()
    report_form.language.choices = [(code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"]]
    listed = db.session.scalars(select(Region).order_by(Region.name)).all()
    stored = {region.id: db.session.scalars(select(Report).where(Report.region_id == region.id)
                                            .order_by(Report.id.desc())).all() for region in listed}
    status = 400 if form.errors or member_error else 200
    return render_template("reports/regions.html", form=form, report_form=report_form, regions=listed,
                           stored=stored, organisations=all_organisations, chosen={o.id for o in chosen},
                           member_error=member_error, language_names=LANGUAGE_NAMES), status


def _host_quarters() -> list[tuple[str, str]]:
    return [(q, q) for q in (quarter_label(d) for d in reversed(previous_quarters(today(), 8)))]


@bp.post("/vert/regionar/<int:region_id>/rapport")
@host_admin_page
def region_generate(region_id: int):
    from survey_app.access import get_in_organisation
    region = get_in_organisation(Region, region_id)
    form = GenerateReportForm()
    form.period.choices = _host_quarters()
    form.language.choices = [(code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"]]
    if not form.validate_on_submit():
        flash(_("The report could not be made: choose a quarter and a written standard."))
        return redirect(url_for("reports.regions"))
    report = reports.generate_regional(db.session, region, form.period.data, form.language.data,
                                       current_app.extensions["questionnaires"], user=g.user,
                                       meeting_date=form.meeting_date.data)
    flash(_("The report for %(quarter)s is ready (%(pages)s pages).", quarter=report.content["period_name"],
            pages=report.pages))
    return redirect(url_for("reports.regions"))


@bp.get("/vert/rapportar/<int:report_id>.pdf")
@host_admin_page
def region_download(report_id: int):
    from survey_app.access import get_in_organisation
    report = get_in_organisation(Report, report_id, owner=lambda r: r.region_id is not None)
    audit.record(db.session, "report_download", user_id=g.user.id, report=report.id)
    return pdf_response(report, f"kvifor-{report.region.slug}-{report.period}-{report.language}-{report.id}.pdf")
