"""The respondent's journey: start from a link, save page by page, submit exactly once."""
from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from analysis.scrub import scrub

from survey_app.definitions.answers import visible_answers
from survey_app.definitions.model import Questionnaire
from survey_app.models import (
    Answer, Channel, ConfidentialLink, Invitation, InvitationStatus, Organisation, Response, ResponseDraft, hash_token,
)
from survey_app.models._time import today, utcnow
from survey_app.periods import quarter_label
from survey_app.services.questionnaires import ensure_version


class LinkState(str, enum.Enum):
    ok = "ok"
    unknown = "unknown"
    used = "used"
    expired = "expired"


@dataclass
class Started:
    state: LinkState
    draft: ResponseDraft | None = None
    key: str | None = None  # the secret the respondent's browser keeps; only its hash is stored
    organisation: Organisation | None = None


def new_secret() -> str:
    return secrets.token_urlsafe(24)  # 192 bits


def start_from_invitation(session: Session, token: str, registry, now: datetime | None = None) -> Started:
    invitation = session.scalars(select(Invitation).filter_by(token_hash=hash_token(token))).first()
    return start_invitation(session, invitation, registry, now)


def start_invitation(session: Session, invitation: Invitation | None, registry,
                     now: datetime | None = None) -> Started:
    """Open (or resume) the draft of an invitation found by its link or its letter code."""
    now = now or utcnow()
    if invitation is None:
        return Started(LinkState.unknown)
    organisation = session.get(Organisation, invitation.organisation_id)
    if invitation.status is InvitationStatus.used:
        return Started(LinkState.used, organisation=organisation)
    if invitation.is_expired(now):
        if invitation.status is not InvitationStatus.expired:
            invitation.status = InvitationStatus.expired
            session.execute(delete(ResponseDraft).filter_by(invitation_id=invitation.id))
            session.commit()
        return Started(LinkState.expired, organisation=organisation)
    questionnaire = registry.get(invitation.questionnaire_key)
    if questionnaire is None:
        return Started(LinkState.unknown)

    key = new_secret()
    draft = session.scalars(select(ResponseDraft).filter_by(invitation_id=invitation.id)).first()
    if draft is None:
        draft = ResponseDraft(
            organisation_id=invitation.organisation_id,
            questionnaire_version_id=ensure_version(session, questionnaire).id,
            invitation_id=invitation.id, unit_id=invitation.unit_id, channel=Channel.invitation,
            language=organisation.written_standard, answers={}, page=0,
        )
        session.add(draft)
    # A new key on every visit: the link opened on a second device takes over the draft.
    draft.key_hash = hash_token(key)
    if invitation.status in (InvitationStatus.created, InvitationStatus.sent):
        invitation.status = InvitationStatus.opened
    session.commit()
    return Started(LinkState.ok, draft, key, organisation)


def start_open(session: Session, organisation: Organisation, questionnaire: Questionnaire,
               language: str, channel: Channel = Channel.open_link) -> Started:
    key = new_secret()
    draft = ResponseDraft(
        key_hash=hash_token(key), organisation_id=organisation.id,
        questionnaire_version_id=ensure_version(session, questionnaire).id,
        channel=channel, language=language, answers={}, page=0,
    )
    session.add(draft)
    session.commit()
    return Started(LinkState.ok, draft, key, organisation)


# Built once: every respondent request looks its draft up, and the statement never changes.
_DRAFT_BY_KEY = select(ResponseDraft).where(ResponseDraft.key_hash == bindparam("key_hash"))


def find_draft(session: Session, key: str | None) -> ResponseDraft | None:
    if not key:
        return None
    return session.scalars(_DRAFT_BY_KEY, {"key_hash": hash_token(key)}).first()


def save_answers(session: Session, draft: ResponseDraft, values: dict, page_names: list[str], page: int) -> None:
    """Replace this page's answers (a cleared field removes its old value) and move the page pointer."""
    answers = {k: v for k, v in (draft.answers or {}).items() if k not in page_names}
    answers.update(values)
    draft.answers = answers  # a new dict, so the JSON column is marked changed
    draft.page = page
    session.commit()


def submit(session: Session, draft_id: int, questionnaire: Questionnaire) -> Response | None:
    """Turn the draft into a Response and return it; None when another request already did.

    Deleting the draft is the gate: of two concurrent submits only one deletes the row
    (PostgreSQL locks it, SQLite serialises writers), and only that one inserts the response.
    """
    draft = session.get(ResponseDraft, draft_id)
    if draft is None:
        return None
    snapshot = dict(
        organisation_id=draft.organisation_id, questionnaire_version_id=draft.questionnaire_version_id,
        unit_id=draft.unit_id, language=draft.language, channel=draft.channel,
    )
    answers = visible_answers(questionnaire, draft.answers or {})
    invitation_id, person_id = draft.invitation_id, draft.person_id
    deleted = session.execute(delete(ResponseDraft).where(ResponseDraft.id == draft_id)).rowcount
    if deleted != 1:
        session.rollback()
        return None
    if invitation_id is not None:
        used = session.execute(
            update(Invitation)
            .where(Invitation.id == invitation_id, Invitation.status != InvitationStatus.used)
            .values(status=InvitationStatus.used, answered_quarter=quarter_label(today()))
        ).rowcount
        if used != 1:
            session.rollback()
            return None
    response = Response(submitted_on=today(), **snapshot)
    response.answers = list(answer_rows(answers, free_text_questions(questionnaire)))
    session.add(response)
    if person_id is not None:  # a confidential interview, tied to the leaver on purpose
        session.add(ConfidentialLink(response=response, person_id=person_id))
    session.commit()
    return response


FREE_TEXT_TYPES = ("text", "long_text")


def free_text_questions(questionnaire: Questionnaire) -> frozenset[str]:
    return frozenset(q.name for q in questionnaire.questions if q.type in FREE_TEXT_TYPES)


def answer_rows(answers: dict, free_text: frozenset[str] = frozenset()):
    """Answer rows for a response; free text gets its scrubbed copy here, before anyone reads it."""
    for question, value in answers.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, bool):
                item = "yes" if item else "no"
            if isinstance(item, (int, float)):
                yield Answer(question=question, value_num=float(item))
            elif question in free_text:
                yield Answer(question=question, value_text=str(item), value_scrubbed=scrub(str(item)))
            else:
                yield Answer(question=question, value_text=str(item))
