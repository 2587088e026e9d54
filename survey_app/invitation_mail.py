"""The invitation e-mail, written in the organisation's own written standard."""
from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from survey_app.extensions import db
from survey_app.models import Invitation, Organisation, Person


def compose(invitation: Invitation, person: Person, link: str, reminder: bool) -> tuple[str, str, str]:
    organisation = db.session.get(Organisation, invitation.organisation_id)
    language = organisation.written_standard
    questionnaire = current_app.extensions["questionnaires"].get(invitation.questionnaire_key)
    with force_locale(language):
        title = questionnaire.title(language)
        subject = (_("Reminder: %(title)s", title=title) if reminder else title) + f" – {organisation.name}"
        body = render_template("email/invitation.txt", organisation=organisation, person=person, link=link,
                               title=title, reminder=reminder, kind=questionnaire.kind,
                               minutes=questionnaire.definition.get("estimated_minutes", 10),
                               expires=invitation.expires_at.strftime("%d.%m.%Y"))
    return subject, body, language
