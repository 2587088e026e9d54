"""The actions register (tiltak): what was decided in response to a cause or theme."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app.models import Action, AnalysisRun, Organisation, Theme
from survey_app.written import other_standard

FIELDS = ("title", "description", "responsible", "started_on", "due_on", "status")


def list_actions(session: Session, organisation: Organisation) -> list[Action]:
    return list(session.scalars(select(Action).where(Action.organisation_id == organisation.id)
                                .order_by(Action.started_on.desc(), Action.id.desc())))


def started_by(session: Session, organisation: Organisation, day) -> list[Action]:
    """Actions started on or before ``day``."""
    return list(session.scalars(select(Action).where(Action.organisation_id == organisation.id,
                                                     Action.started_on <= day)))


def theme_labels(session: Session, organisation: Organisation) -> list[str]:
    """Theme names from the newest analysis, the ones HR has reviewed."""
    # Actions name themes of "why are you leaving": the report follows them in that run.
    run = session.scalars(select(AnalysisRun).where(AnalysisRun.organisation_id == organisation.id,
                                                    AnalysisRun.question == "main_reason_text")
                          .order_by(AnalysisRun.created_at.desc(), AnalysisRun.id.desc())).first()
    if run is None:
        return []
    return sorted({label for label in session.scalars(select(Theme.label).where(Theme.run_id == run.id))})


def target_value(action: Action) -> str:
    if action.cause:
        return f"cause:{action.cause}"
    if action.theme_label:
        return f"theme:{action.theme_label}"
    return ""


def save(session: Session, organisation: Organisation, action: Action | None, data: dict) -> Action:
    """Create or update an action from validated form data; ``data["target"]`` is cause:x or theme:y."""
    if action is None:
        action = Action(organisation_id=organisation.id)
        session.add(action)
    for name in FIELDS:
        setattr(action, name, data[name])
    action.description = (data.get("description") or "").strip()
    kind, _sep, value = (data.get("target") or "").partition(":")
    action.cause = value if kind == "cause" else None
    action.theme_label = value[:200] if kind == "theme" else None
    other = other_standard(organisation.written_standard)
    title, description = (data.get("other_title") or "").strip(), (data.get("other_description") or "").strip()
    translations = {k: v for k, v in (action.translations or {}).items() if k != other}
    if title or description:
        translations[other] = {"title": title, "description": description}
    action.translations = translations
    session.commit()
    return action
