from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from survey_app.definitions.model import Questionnaire
from survey_app.models import QuestionnaireVersion


def ensure_version(session: Session, questionnaire: Questionnaire) -> QuestionnaireVersion:
    """The stored row for this exact content; created on first use (two workers may race here)."""
    query = select(QuestionnaireVersion).filter_by(
        questionnaire_key=questionnaire.key, version=questionnaire.version
    )
    row = session.scalars(query).first()
    if row is not None:
        return row
    row = QuestionnaireVersion(
        questionnaire_key=questionnaire.key, kind=questionnaire.kind,
        version=questionnaire.version, definition=questionnaire.definition,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        row = session.scalars(query).one()
    return row



def questionnaire_for_version(session: Session, version_id: int, cache: dict[int, Questionnaire]) -> Questionnaire:
    """The exact definition a draft or response was started with; versions never change, so cache them."""
    cached = cache.get(version_id)
    if cached is None:
        row = session.get(QuestionnaireVersion, version_id)
        cached = cache[version_id] = Questionnaire(row.definition, source=f"version {row.version}")
    return cached
