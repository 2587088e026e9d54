"""Requests from the people the data is about (GDPR articles 15 and 17): what Kvifor holds about
one person, as a file they can be given, and erasing it.

What can be found is what is tied to a person: the person as imported from the HR system, their
invitations, and the responses of confidential interviews tied to them. An anonymous response has
no link to anyone, so it can be neither found nor erased for a person (GDPR article 11); the
export says so, in the person's terms.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from survey_app.definitions.model import Questionnaire
from survey_app.models import Answer, ConfidentialLink, Invitation, Organisation, Person, Response, Unit
from survey_app.models._time import today
from survey_app.periods import parse_quarter, quarter_label
from survey_app.services.questionnaires import questionnaire_for_version

SEARCH_LIMIT = 50
YES_NO = {"yes": {"nn": "Ja", "en": "Yes"}, "no": {"nn": "Nei", "en": "No"}}  # the same in nynorsk and bokmål


@dataclass
class Holdings:
    """Everything tied to one person in one organisation."""
    person: Person
    invitations: list[Invitation] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)


def find_people(session: Session, organisation: Organisation, query: str) -> list[Person]:
    """People whose name, e-mail or mobile number holds ``query`` (case-insensitive)."""
    query = query.strip()
    if len(query) < 2:
        return []
    pattern = f"%{query.lower()}%"
    columns = (Person.name, Person.email_work, Person.email_private, Person.mobile)
    return list(session.scalars(
        select(Person).where(Person.organisation_id == organisation.id,
                             or_(*(func.lower(column).like(pattern) for column in columns)))
        .order_by(Person.name, Person.id).limit(SEARCH_LIMIT)))


def holdings(session: Session, organisation: Organisation, person_id: int) -> Holdings | None:
    person = session.get(Person, person_id)
    if person is None or person.organisation_id != organisation.id:
        return None
    invitations = session.scalars(select(Invitation).where(Invitation.person_id == person.id)
                                  .order_by(Invitation.created_at)).all()
    responses = session.scalars(select(Response).join(ConfidentialLink, ConfidentialLink.response_id == Response.id)
                                .where(ConfidentialLink.person_id == person.id).order_by(Response.id)).all()
    return Holdings(person, list(invitations), list(responses))


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def export(session: Session, found: Holdings, language: str) -> dict:
    """The person's data as a plain structure (written out as JSON). Answers are given as the person
    wrote them while that text is kept, else as stored after personal data was removed."""
    person = found.person
    unit = session.get(Unit, person.unit_id) if person.unit_id else None
    versions: dict[int, Questionnaire] = {}
    responses = []
    for response in found.responses:
        questionnaire = questionnaire_for_version(session, response.questionnaire_version_id, versions)
        questions = {q.name: q for q in questionnaire.questions}
        responses.append({
            "questionnaire": questionnaire.title(language), "submitted_on": _iso(response.submitted_on),
            "channel": response.channel.value, "language": response.language,
            "answers": [_answer(questions.get(a.question), a, language)
                        for a in sorted(response.answers, key=lambda a: a.id)],
        })
    return {
        "organisation": session.get(Organisation, person.organisation_id).name,
        "exported_on": _iso(today()),
        "person": {
            "kind": person.kind, "name": person.name, "email_work": person.email_work,
            "email_private": person.email_private, "mobile": person.mobile, "unit": unit.name if unit else None,
            "position_pct": person.position_pct, "start_date": _iso(person.start_date),
            "end_date": _iso(person.end_date), "age_band": person.age_band,
            "imported_at": _iso(person.created_at), "identity_erased_at": _iso(person.identity_deleted_at),
        },
        "invitations": [{
            "questionnaire": invitation.questionnaire_key, "created_at": _iso(invitation.created_at),
            "sent_at": _iso(invitation.sent_at), "sent_to": invitation.sent_to,
            "reminders_sent": invitation.reminders_sent, "status": invitation.status.value,
            "expires_at": _iso(invitation.expires_at),
        } for invitation in found.invitations],
        "confidential_responses": responses,
        "anonymous_responses": "not linked to any person, so they cannot be found or told apart",
    }


def _answer(question, answer, language: str) -> dict:
    value = answer.value_text if answer.value_text is not None else answer.value_scrubbed
    if question is None:
        return {"question": answer.question, "answer": value if value is not None else answer.value_num}
    if question.type in ("single_choice", "multi_choice") and value is not None:
        value = question.choice_text(value, language)
    elif question.type == "yes_no" and value in YES_NO:
        value = YES_NO[value]["en" if language == "en" else "nn"]
    return {"question": question.text(language), "answer": value if value is not None else answer.value_num}


@dataclass
class Erased:
    responses: int
    invitations: int
    anonymised: int = 0

    def as_dict(self) -> dict:
        return {"responses": self.responses, "invitations": self.invitations, "anonymised": self.anonymised}


def erase(session: Session, found: Holdings) -> Erased:
    """Delete the person and their invitations (and any draft begun from them), in one transaction.

    A confidential response from the running quarter is deleted with every answer: no figure has
    shown it yet. One from a closed quarter has been counted in figures staff have seen, and the
    figures of a closed quarter must never move: a group of 6 that shows 5 the next day would give
    away exactly the erased answers to everyone who saw both. Such a response is made anonymous
    instead (GDPR recital 26): the link to the person goes, and so does the raw text of their free
    text (the scrubbed copy stays, as for every answer past the raw-text period), so that nothing
    left can be tied to them."""
    running = parse_quarter(quarter_label(today()))[0]
    deleted = anonymised = 0
    for response in found.responses:
        if response.submitted_on >= running:
            session.delete(response)
            deleted += 1
        else:
            session.execute(update(Answer).where(Answer.response_id == response.id, Answer.value_scrubbed.is_not(None),
                                                 Answer.value_text.is_not(None)).values(value_text=None))
            anonymised += 1
    session.flush()
    session.execute(delete(ConfidentialLink).where(ConfidentialLink.person_id == found.person.id))
    invitations = session.execute(delete(Invitation).where(Invitation.person_id == found.person.id)).rowcount
    session.delete(found.person)
    session.commit()
    return Erased(responses=deleted, invitations=invitations, anonymised=anonymised)
