"""Requests from the people the data is about: find a person, give them what is held about them
as a file, or erase it. For the organisation's administrator; every step is in the access log,
by person id, never by name."""
from __future__ import annotations

import json

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _, ngettext

from survey_app.access import organisation_page
from survey_app.admin.views import bp
from survey_app.extensions import db
from survey_app.services import audit, subject_requests


def _holdings_or_404(person_id: int) -> subject_requests.Holdings:
    found = subject_requests.holdings(db.session, g.organisation, person_id)
    if found is None:
        abort(404)
    return found


@bp.get("/org/<org_slug>/admin/personvern/innsyn")
@organisation_page("admin")
def subjects():
    query = request.args.get("q", "")[:200]
    people = subject_requests.find_people(db.session, g.organisation, query) if query else None
    if people is not None:
        audit.record(db.session, "subject_search", user_id=g.user.id, organisation_id=g.organisation.id,
                     found=len(people))
    return render_template("admin/subjects.html", query=query, people=people,
                           too_short=bool(query) and len(query.strip()) < 2)


@bp.get("/org/<org_slug>/admin/personvern/innsyn/<int:person_id>")
@organisation_page("admin")
def subject(person_id: int):
    found = _holdings_or_404(person_id)
    audit.record(db.session, "subject_view", user_id=g.user.id, organisation_id=g.organisation.id, person=person_id)
    return render_template("admin/subject.html", found=found, error=request.args.get("error"))


def _summary(data: dict) -> list[str]:
    """The file in plain sentences, in the reader's language, above keys that stay the same in
    every language (so that a program can read them too)."""
    person = data["person"]
    lines = [_("This file holds what %(organisation)s keeps about you in Kvifor, on %(day)s.",
               organisation=data["organisation"], day=data["exported_on"])]
    if person.get("name"):
        lines.append(_("About you: your name, contact details, unit, position and dates as imported from the HR system "
                       "(under “person”)."))
    else:
        lines.append(_("Your name and contact details have already been erased; what is left is under “person”."))
    lines.append(ngettext("You were invited once (under “invitations”).",
                          "You were invited %(num)d times (under “invitations”).", len(data["invitations"])))
    lines.append(ngettext("%(num)d confidential interview with your answers as you gave them (under "
                          "“confidential_responses”).",
                          "%(num)d confidential interviews with your answers as you gave them (under "
                          "“confidential_responses”).", len(data["confidential_responses"])))
    lines.append(_("Anonymous answers are linked to nobody, so they are not in this file and cannot be found for you."))
    return lines


@bp.get("/org/<org_slug>/admin/personvern/innsyn/<int:person_id>/eksport.json")
@organisation_page("admin")
def subject_export(person_id: int):
    found = _holdings_or_404(person_id)
    data = subject_requests.export(db.session, found, str(get_locale()))
    data["summary"] = _summary(data)
    audit.record(db.session, "subject_export", user_id=g.user.id, organisation_id=g.organisation.id,
                 person=person_id, responses=len(found.responses))
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="kvifor-{g.organisation.slug}-person-{person_id}.json"',
        "Cache-Control": "no-store"})


@bp.post("/org/<org_slug>/admin/personvern/innsyn/<int:person_id>/slett")
@organisation_page("admin")
def subject_erase(person_id: int):
    found = _holdings_or_404(person_id)
    if request.form.get("confirm") != "yes":
        return redirect(url_for("admin.subject", org_slug=g.organisation.slug, person_id=person_id,
                                error="confirm") + "#erase")
    erased = subject_requests.erase(db.session, found)
    audit.record(db.session, "subject_erase", user_id=g.user.id, organisation_id=g.organisation.id,
                 person=person_id, **erased.as_dict())
    flash(_("Erased: the person, %(invitations)d invitations and %(responses)d confidential responses.",
            invitations=erased.invitations, responses=erased.responses))
    if erased.anonymised:
        flash(_("%(count)d confidential responses from closed quarters are now anonymous: the link to the person "
                "and their own wording are gone, and the answers count only in figures already released.",
                count=erased.anonymised))
    return redirect(url_for("admin.subjects", org_slug=g.organisation.slug))
