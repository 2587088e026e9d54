"""Interview mode: HR fills in the exit questionnaire together with the leaver, as the neutral party.

The response is marked with the channel ``interview`` and counts like any other. It carries no
link to who answered, unless HR ties it to the leaver (a confidential interview, chosen on this
page): then a ConfidentialLink lets the leaver later see or erase the answers.
"""
from __future__ import annotations

from flask import current_app, g, redirect, render_template, request, url_for
from sqlalchemy import select

from survey_app.access import organisation_page
from survey_app.extensions import db
from survey_app.hr.views import bp
from survey_app.models import Channel, Person, Unit
from survey_app.respond.views import _with_draft_cookie
from survey_app.services import audit
from survey_app.services.responding import start_open


@bp.route("/org/<org_slug>/intervju", methods=["GET", "POST"])
@organisation_page("hr")
def interview():
    questionnaire = current_app.extensions["questionnaires"].get("sluttsamtale")
    units = db.session.scalars(select(Unit).where(Unit.organisation_id == g.organisation.id,
                                                  Unit.parent_id.is_not(None)).order_by(Unit.name)).all()
    leavers = db.session.scalars(select(Person).where(
        Person.organisation_id == g.organisation.id, Person.kind == "leaver", Person.name.is_not(None),
        Person.identity_deleted_at.is_(None)).order_by(Person.end_date.desc(), Person.name)).all()
    if request.method == "POST":
        language = request.form.get("lang")
        language = language if language in questionnaire.languages else g.organisation.written_standard
        unit = next((u for u in units if str(u.id) == request.form.get("unit")), None)
        started = start_open(db.session, g.organisation, questionnaire, language, channel=Channel.interview)
        person = next((p for p in leavers if str(p.id) == request.form.get("person")), None)
        started.draft.unit_id = unit.id if unit else (person.unit_id if person else None)
        started.draft.person_id = person.id if person else None
        started.draft.page = 1
        db.session.commit()
        audit.record(db.session, "interview_start", user_id=g.user.id, organisation_id=g.organisation.id,
                     confidential=person is not None)
        return _with_draft_cookie(redirect(url_for("respond.page")), started.key)
    return render_template("hr/interview.html", units=units, leavers=leavers, questionnaire=questionnaire)
