"""Invitations: who is asked what and when, sending and reminding, letter codes, erasing identity.

``send_due`` is what ``flask --app wsgi invitations send`` runs from cron. It is safe to run twice:
each step changes the state it selected on (created -> sent, reminders counted), so a second run
finds nothing more to do.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import and_, or_, select, true
from sqlalchemy.orm import Session

from survey_app.models import Invitation, InvitationStatus, Organisation, Person, hash_token
from survey_app.models._time import utcnow
from survey_app.models.invitation import OPEN_STATES
from survey_app.periods import parse_quarter, quarter_label

LETTER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper


def link_token(secret: str, salt: str) -> str:
    digest = hmac.new(secret.encode(), f"invitation:{salt}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")  # 192 bits


def plan_for(person: Person, now: datetime, config: dict) -> list[tuple[str, datetime]]:
    """Which questionnaires a person gets, and from when."""
    if person.kind == "leaver":
        return [("sluttsamtale", now)]
    start = datetime.combine(person.start_date, time(8)) if person.start_date else now
    plan = [("rekruttering", now)]
    plan += [("onboarding", max(now, start + timedelta(days=days))) for days in config["ONBOARDING_AFTER_DAYS"]]
    return plan


def create_for(session: Session, people: list[Person], secret: str, config: dict,
               now: datetime | None = None) -> list[Invitation]:
    now = now or utcnow()
    created = []
    for person in people:
        for questionnaire_key, send_after in plan_for(person, now, config):
            salt = secrets.token_hex(16)
            invitation = Invitation(
                organisation_id=person.organisation_id, questionnaire_key=questionnaire_key, unit_id=person.unit_id,
                person_id=person.id, token_salt=salt, token_hash=hash_token(link_token(secret, salt)),
                send_after=send_after, expires_at=send_after + timedelta(days=config["INVITATION_VALID_DAYS"]))
            session.add(invitation)
            created.append(invitation)
    session.flush()
    return created


def recipient(person: Person | None) -> tuple[str | None, str | None]:
    """The private address first: the work address dies with the job."""
    if person is None or person.identity_deleted_at is not None:
        return None, None
    if person.email_private:
        return person.email_private, "private"
    if person.email_work:
        return person.email_work, "work"
    return None, None


@dataclass
class SendReport:
    sent: int = 0
    reminders: int = 0
    expired: int = 0
    without_email: int = 0
    failed: int = 0
    identities_erased: int = 0
    errors: list[str] = field(default_factory=list)


# (invitation, person, link, is_reminder) -> (subject, body, language)
Compose = Callable[[Invitation, Person, str, bool], tuple[str, str, str]]


def send_due(session: Session, mailer, compose: Compose, secret: str, base_url: str, config: dict,
             now: datetime | None = None, organisation_id: int | None = None) -> SendReport:
    """Expire what is past its date, send what is due, remind who has not answered."""
    now = now or utcnow()
    report = SendReport()
    scope = [Invitation.organisation_id == organisation_id] if organisation_id else []
    for invitation in session.scalars(select(Invitation).where(Invitation.status.in_(OPEN_STATES),
                                                               Invitation.expires_at <= now, *scope)):
        invitation.status = InvitationStatus.expired
        report.expired += 1
    session.commit()

    reminder_due = now - timedelta(days=config["REMINDER_AFTER_DAYS"])
    candidates = session.scalars(select(Invitation).where(
        Invitation.status.in_(OPEN_STATES), Invitation.expires_at > now, Invitation.person_id.is_not(None), *scope,
    ).order_by(Invitation.id)).all()
    for invitation in candidates:
        first = invitation.status is InvitationStatus.created and invitation.sent_at is None
        if first and (invitation.send_after or now) > now:
            continue
        if not first and not (invitation.sent_to in ("private", "work") and invitation.last_sent_at
                              and invitation.last_sent_at <= reminder_due
                              and invitation.reminders_sent < config["MAX_REMINDERS"]):
            continue
        person = session.get(Person, invitation.person_id)
        to, kind = recipient(person)
        if to is None:
            if first:
                report.without_email += 1
            continue
        link = f"{base_url.rstrip('/')}/s/{link_token(secret, invitation.token_salt)}"
        subject, body, language = compose(invitation, person, link, not first)
        try:
            mailer.send(to, subject, body, language)
        except Exception as error:  # one bad address must not stop the batch
            report.failed += 1
            report.errors.append(f"invitation {invitation.id}: {type(error).__name__}")
            if first:  # tried again next time, and meanwhile HR can print a letter instead
                invitation.sent_to = FAILED
                session.commit()
            continue
        if first:
            invitation.status = InvitationStatus.sent
            invitation.sent_at, invitation.sent_to = now, kind
            report.sent += 1
        else:
            invitation.reminders_sent += 1
            report.reminders += 1
        invitation.last_sent_at = now
        session.commit()  # per message: a crash halfway never re-sends what went out
    from survey_app.services.retention import erase_identities

    organisations = session.scalars(select(Organisation).where(
        Organisation.id == organisation_id) if organisation_id else select(Organisation)).all()
    report.identities_erased = sum(erase_identities(session, o, now) for o in organisations)
    session.commit()
    return report


def new_letter_code() -> str:
    raw = "".join(secrets.choice(LETTER_ALPHABET) for _ in range(12))  # 60 bits, and /kode is rate limited
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_letter_code(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{cleaned[:4]}-{cleaned[4:8]}-{cleaned[8:12]}" if len(cleaned) == 12 else ""


LETTER = "letter"
FAILED = "failed"  # sent_to while an e-mail could not be sent: a letter can reach the person instead


def letter_invitations(session: Session, organisation: Organisation, printed: bool = False,
                       now: datetime | None = None, email_works: bool = True) -> list[tuple[Invitation, Person]]:
    """Open invitations due now for people a letter must reach: those with no e-mail address, and
    those whose e-mail could not be sent; everyone, where e-mail is not set up on the server
    (``email_works``). ``printed`` picks the letters printed before (printing them again replaces
    their codes) instead of those never printed. The one definition of the letters waiting, for
    the button's count and for the printing."""
    now = now or utcnow()
    no_email = and_(Person.email_private.is_(None), Person.email_work.is_(None)) if email_works else true()
    return list(session.execute(select(Invitation, Person).join(Person, Invitation.person_id == Person.id).where(
        Invitation.organisation_id == organisation.id, Invitation.status.in_(OPEN_STATES),
        Invitation.expires_at > now, or_(Invitation.send_after.is_(None), Invitation.send_after <= now),
        Person.identity_deleted_at.is_(None), or_(no_email, Invitation.sent_to == FAILED),
        Invitation.sent_to == LETTER if printed else or_(Invitation.sent_to.is_(None), Invitation.sent_to == FAILED),
    ).order_by(Person.name, Invitation.id)).all())


def issue_letter_codes(session: Session, organisation: Organisation, now: datetime | None = None,
                       again: bool = False, email_works: bool = True) -> list[tuple[Invitation, Person, str]]:
    """Codes for the letters waiting (``letter_invitations``), or, with ``again``, new codes for
    the letters printed before: a new code replaces the old one, so only the last letter works."""
    now = now or utcnow()
    letters = []
    for invitation, person in letter_invitations(session, organisation, printed=again, now=now,
                                                 email_works=email_works):
        code = new_letter_code()
        invitation.letter_code_hash = hash_token(normalise_letter_code(code))
        invitation.sent_to = LETTER
        if invitation.status is InvitationStatus.created:
            invitation.status, invitation.sent_at = InvitationStatus.sent, now
        letters.append((invitation, person, code))
    session.commit()
    return letters


def find_by_letter_code(session: Session, code: str) -> Invitation | None:
    normal = normalise_letter_code(code)
    if not normal:
        return None
    return session.scalars(select(Invitation).where(Invitation.letter_code_hash == hash_token(normal))).first()


def follow_up_counts(session: Session, organisation_ids: list[int], quarters: list[str],
                     questionnaire_key: str | None = None, unit_ids: frozenset | None = None) -> dict:
    """Invitations first sent in each quarter, and how many of them were answered within that same
    quarter: {(organisation_id, unit_id, questionnaire_key, quarter): [invited, answered]}.

    Counting an answer only in the quarter of its invitation keeps a closed quarter's figures fixed:
    a late answer never makes an old count move for someone to notice. This is the one definition
    of a response rate; pages, the report and the regional edition read it from here.
    """
    if not quarters:
        return {}
    start, end = parse_quarter(quarters[0])[0], parse_quarter(quarters[-1])[1]
    wanted = set(quarters)
    conditions = [Invitation.organisation_id.in_(organisation_ids or [-1]), Invitation.sent_at.is_not(None),
                  Invitation.sent_at >= datetime.combine(start, time.min),
                  Invitation.sent_at < datetime.combine(end + timedelta(days=1), time.min)]
    if questionnaire_key is not None:
        conditions.append(Invitation.questionnaire_key == questionnaire_key)
    if unit_ids is not None:
        conditions.append(Invitation.unit_id.in_(unit_ids or {-1}))
    counts: dict = {}
    for organisation_id, unit_id, key, sent_at, answered in session.execute(
            select(Invitation.organisation_id, Invitation.unit_id, Invitation.questionnaire_key, Invitation.sent_at,
                   Invitation.answered_quarter).where(*conditions)):
        quarter = quarter_label(sent_at.date())
        if quarter not in wanted:
            continue
        row = counts.setdefault((organisation_id, unit_id, key, quarter), [0, 0])
        row[0] += 1
        row[1] += answered == quarter
    return counts
