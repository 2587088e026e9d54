"""The facts an organisation's privacy documentation is written from: its settings and what this
installation actually holds for it, read at the moment the document is made, so the data
protection officer reads figures, not promises."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey_app.models import ConfidentialLink, Membership, Organisation, Person, Response, User
from survey_app.models._time import today
from survey_app.privacy import comment_minimum
from survey_app.services.responding import FREE_TEXT_TYPES

ROLES = ("hr", "leader", "admin", "committee")


@dataclass
class QuestionnaireFacts:
    key: str
    title: str
    questions: int
    free_text: int


@dataclass
class PrivacyFacts:
    organisation: Organisation
    made_on: date
    language: str
    min_group_size: int
    comment_minimum: int
    raw_text_days: int
    identity_days: int
    draft_days: int
    session_idle_minutes: int
    session_absolute_hours: int
    questionnaires: list[QuestionnaireFacts]
    staff_by_role: dict[str, int]
    staff: int
    staff_with_second_factor: int
    responses: int
    confidential_responses: int
    people_with_identity: int
    organisations_on_installation: int
    not_collected: tuple[str, ...] = field(default=("ip", "browser", "time_of_day", "link"))


def facts(session: Session, organisation: Organisation, config, registry, language: str) -> PrivacyFacts:
    staff_rows = session.execute(
        select(Membership.role, User.id, User.totp_secret).join(User, User.id == Membership.user_id)
        .where(Membership.organisation_id == organisation.id, User.is_active.is_(True))).all()
    by_role = {role: len({user for r, user, _ in staff_rows if r == role}) for role in ROLES}
    staff = {user: secret for _, user, secret in staff_rows}
    questionnaires = [QuestionnaireFacts(q.key, q.title(language), len(q.questions),
                                         sum(1 for question in q.questions if question.type in FREE_TEXT_TYPES))
                      for q in registry]
    return PrivacyFacts(
        organisation=organisation, made_on=today(), language=language,
        min_group_size=organisation.min_group_size, comment_minimum=comment_minimum(organisation.min_group_size),
        raw_text_days=organisation.raw_text_days,
        identity_days=organisation.identity_days, draft_days=config["DRAFT_COOKIE_DAYS"],
        session_idle_minutes=config["SESSION_IDLE_MINUTES"], session_absolute_hours=config["SESSION_ABSOLUTE_HOURS"],
        questionnaires=questionnaires, staff_by_role=by_role, staff=len(staff),
        staff_with_second_factor=sum(1 for secret in staff.values() if secret),
        responses=session.scalar(select(func.count()).select_from(Response)
                                 .where(Response.organisation_id == organisation.id)) or 0,
        confidential_responses=session.scalar(
            select(func.count()).select_from(ConfidentialLink).join(Response, Response.id == ConfidentialLink.response_id)
            .where(Response.organisation_id == organisation.id)) or 0,
        people_with_identity=session.scalar(select(func.count()).select_from(Person).where(
            Person.organisation_id == organisation.id, Person.identity_deleted_at.is_(None))) or 0,
        organisations_on_installation=session.scalar(select(func.count()).select_from(Organisation)) or 0,
    )
