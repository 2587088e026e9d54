"""HR imports: upload, preview (what will happen, and every problem by row and column), confirm."""
from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from survey_app.access import get_in_organisation, organisation_page
from survey_app.extensions import db
from survey_app.hr.invitations import send_now
from survey_app.hr.views import bp
from survey_app.models import ImportPreview
from survey_app.services import audit, imports, invitations
from survey_app.services.tables import TableError, read_table

KINDS = {
    "leaver": _l("Leavers (exit questionnaire)"),
    "new_hire": _l("New hires (hiring and onboarding questionnaires)"),
    "units": _l("Units and sectors"),
    "headcount": _l("Headcount per unit and quarter"),
}
COLUMN_NAMES = {
    "name": _l("name"), "email_work": _l("work e-mail"), "email_private": _l("private e-mail"),
    "mobile": _l("mobile"), "unit_code": _l("unit code"), "position_pct": _l("position percentage"),
    "start_date": _l("start date"), "end_date": _l("end date"), "age_band": _l("age band"), "code": _l("code"),
    "parent": _l("parent"), "sector": _l("sector"), "period": _l("quarter"), "headcount": _l("headcount"),
}


def problem_text(code: str, value: str = "") -> str:
    texts = {
        "required": _("This must be filled in."),
        "too_long": _("Too long."),
        "control_characters": _("Holds a line break, a tab or another control character."),
        "bad_email": _("“%(value)s” is not an e-mail address.", value=value),
        "bad_phone": _("“%(value)s” is not a phone number.", value=value),
        "unknown_unit": _("There is no unit with the code “%(value)s”. Import the units first.", value=value),
        "bad_percent": _("“%(value)s” is not a percentage between 1 and 100.", value=value),
        "bad_date": _("“%(value)s” is not a date (use 31.12.2026 or 2026-12-31).", value=value),
        "bad_age": _("“%(value)s” is not an age or an age band.", value=value),
        "duplicate_row": _("The same person or code appears twice in the file."),
        "bad_code": _("“%(value)s” is not a valid code (letters, digits, - . / _).", value=value),
        "own_parent": _("A unit cannot be its own parent."),
        "cycle": _("The units form a circle through “%(value)s”.", value=value),
        "bad_period": _("“%(value)s” is not a quarter (use 2026Q3 or a date).", value=value),
        "bad_count": _("“%(value)s” is not a whole number of employees.", value=value),
    }
    return texts.get(code, code)


def table_error_text(error: TableError) -> str:
    return {
        "empty_file": _("The file is empty."),
        "no_rows": _("The file has a header row but no data."),
        "bad_encoding": _("The file is not UTF-8 or Windows-1252 text. Save it as CSV (UTF-8) or XLSX."),
        "not_a_table": _("The file could not be read as CSV or XLSX."),
        "old_excel": _("Old Excel files (.xls) are not supported. Save the file as XLSX or CSV."),
        "file_too_large": _("The file is too large once unpacked."),
        "too_many_rows": _("The file has more than %(limit)d rows.", limit=error.params.get("limit", 0)),
        "too_many_columns": _("The sheet has more than %(limit)d columns. Save only the columns of the export and "
                              "try again.", limit=error.params.get("limit", 0)),
        "missing_columns": _("Columns are missing: %(columns)s.", columns=", ".join(
            str(COLUMN_NAMES.get(c.strip(), c)) for c in error.params.get("columns", "").split(","))),
    }.get(error.code, error.code)


@bp.route("/org/<org_slug>/import", methods=["GET", "POST"])
@organisation_page("hr")
def import_upload():
    error = None
    kind = request.form.get("kind", request.args.get("kind", "leaver"))
    if kind not in KINDS:
        kind = "leaver"
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            error = _("Choose a file to import.")
        else:
            try:
                table = read_table(upload.filename, upload.read())
                if kind in ("leaver", "new_hire"):
                    preview = imports.preview_people(db.session, g.organisation, table, kind)
                elif kind == "units":
                    preview = imports.preview_units(db.session, g.organisation, table)
                else:
                    preview = imports.preview_headcount(db.session, g.organisation, table)
            except TableError as problem:
                error = table_error_text(problem)
            else:
                stored = ImportPreview(organisation_id=g.organisation.id, user_id=g.user.id, kind=kind,
                                       filename=upload.filename[:200], rows=preview.as_dict())
                db.session.add(stored)
                db.session.commit()
                return redirect(url_for("hr.import_preview", org_slug=g.organisation.slug, preview_id=stored.id))
    return render_template("hr/import_upload.html", kinds=KINDS, kind=kind, error=error), 400 if error else 200


def _preview_or_404(preview_id: int) -> ImportPreview:
    return get_in_organisation(ImportPreview, preview_id, g.organisation.id,
                               owner=lambda preview: preview.user_id == g.user.id)


@bp.get("/org/<org_slug>/import/<int:preview_id>")
@organisation_page("hr")
def import_preview(preview_id: int):
    preview = _preview_or_404(preview_id)
    data = preview.rows
    problems = [dict(p, text=problem_text(p["code"], p.get("value", "")),
                     column_name=COLUMN_NAMES.get(p["column"], p["column"])) for p in data["problems"]]
    return render_template("hr/import_preview.html", preview=preview, new=data["new"], existing=data["existing"],
                           problems=problems, kind_name=KINDS[preview.kind])


@bp.post("/org/<org_slug>/import/<int:preview_id>/bekreft")
@organisation_page("hr")
def import_confirm(preview_id: int):
    preview = _preview_or_404(preview_id)
    data = preview.rows
    if data["problems"]:
        abort(400)
    kind, rows = preview.kind, data["new"]
    # One transaction: every row and its invitations, or nothing.
    try:
        if kind in ("leaver", "new_hire"):
            people = imports.apply_people(db.session, g.organisation, kind, rows)
            invitations.create_for(db.session, people, current_app.config["SECRET_KEY"], current_app.config)
            count = len(people)
        elif kind == "units":
            count = imports.apply_units(db.session, g.organisation, rows)
        else:
            count = imports.apply_headcount(db.session, g.organisation, rows)
        db.session.delete(preview)
        audit.record(db.session, "import", user_id=g.user.id, organisation_id=g.organisation.id, commit=False,
                     kind=kind, rows=count)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    flash(_("Imported %(n)d rows.", n=count))
    if kind in ("leaver", "new_hire"):
        # Leavers are asked at once, while they are still at work and the link reaches them.
        send_now()
        return redirect(url_for("hr.invitations_page", org_slug=g.organisation.slug))
    return redirect(url_for("hr.import_upload", org_slug=g.organisation.slug))


@bp.post("/org/<org_slug>/import/<int:preview_id>/avbryt")
@organisation_page("hr")
def import_cancel(preview_id: int):
    preview = _preview_or_404(preview_id)
    db.session.delete(preview)
    db.session.commit()
    flash(_("The import was cancelled; nothing was saved."))
    return redirect(url_for("hr.import_upload", org_slug=g.organisation.slug))
