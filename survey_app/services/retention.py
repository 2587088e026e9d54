"""Deleting what is no longer needed. ``flask --app wsgi retention run`` calls ``run`` from cron; it
is idempotent (a second run the same day finds nothing) and reports what it did.

Defaults (per organisation, on the settings page): raw free text 365 days after the answer (the
scrubbed copy stays for analysis), identity data of invited people 30 days after their last
invitation closes. Everything else that only exists to get through a step is removed when
the step is over: import previews after a day, abandoned drafts after the draft lifetime,
expired logins and old rate-limit counts.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from survey_app.models import (
    Answer, ImportPreview, Invitation, Organisation, Person, RateLimitHit, Response, ResponseDraft, UserSession,
)
from survey_app.models._time import utcnow
from survey_app.models.invitation import OPEN_STATES


@dataclass
class RetentionReport:
    raw_texts_erased: int = 0
    identities_erased: int = 0
    previews_deleted: int = 0
    drafts_deleted: int = 0
    sessions_deleted: int = 0
    rate_limit_rows_deleted: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def run(session: Session, config: dict, now: datetime | None = None) -> RetentionReport:
    now = now or utcnow()
    report = RetentionReport()
    for organisation in session.scalars(select(Organisation)).all():
        cutoff = (now - timedelta(days=organisation.raw_text_days)).date()
        response_ids = select(Response.id).where(Response.organisation_id == organisation.id,
                                                 Response.submitted_on < cutoff)
        report.raw_texts_erased += session.execute(
            update(Answer).where(Answer.response_id.in_(response_ids), Answer.value_scrubbed.is_not(None),
                                 Answer.value_text.is_not(None)).values(value_text=None)).rowcount
        report.identities_erased += erase_identities(session, organisation, now)
    report.previews_deleted = session.execute(
        delete(ImportPreview).where(ImportPreview.created_at < now - timedelta(days=1))).rowcount
    # A draft nobody touched for the draft lifetime is abandoned; a draft of an expired invitation
    # can never be submitted.
    expired_invitations = select(Invitation.id).where(Invitation.expires_at <= now)
    report.drafts_deleted = session.execute(delete(ResponseDraft).where(
        (ResponseDraft.updated_at < now - timedelta(days=config["DRAFT_COOKIE_DAYS"]))
        | ResponseDraft.invitation_id.in_(expired_invitations))).rowcount
    idle = timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=config["SESSION_ABSOLUTE_HOURS"])
    report.sessions_deleted = session.execute(delete(UserSession).where(
        (UserSession.last_seen_at < now - idle) | (UserSession.created_at < now - absolute))).rowcount
    report.rate_limit_rows_deleted = session.execute(
        delete(RateLimitHit).where(RateLimitHit.window_start < now - timedelta(days=1))).rowcount
    session.commit()
    return report


def erase_identities(session: Session, organisation: Organisation, now: datetime) -> int:
    """Erase name, e-mail and phone of the organisation's people whose invitations all closed
    ``identity_days`` ago or more. What remains (unit, position, dates, age band) is counts."""
    erased = 0
    people = session.scalars(select(Person).where(Person.organisation_id == organisation.id,
                                                  Person.identity_deleted_at.is_(None))).all()
    for person in people:
        invitations = session.scalars(select(Invitation).where(Invitation.person_id == person.id)).all()
        if not invitations or any(i.status in OPEN_STATES and i.expires_at > now for i in invitations):
            continue
        if max(i.expires_at for i in invitations) + timedelta(days=organisation.identity_days) > now:
            continue
        person.name = person.email_work = person.email_private = person.mobile = None
        person.identity_deleted_at = now
        erased += 1
    session.flush()
    return erased


def delete_organisation(session: Session, organisation: Organisation) -> None:
    """Everything the organisation owns goes with it (foreign keys cascade), in one transaction."""
    session.delete(organisation)
    session.commit()
