"""Recording audit events. Callers pass ids and counts, never text a person wrote."""
from __future__ import annotations

from sqlalchemy.orm import Session

from survey_app.models.audit import AuditEvent

_ALLOWED_DETAIL_TYPES = (int, float, bool, type(None))


def record(session: Session, action: str, user_id: int | None = None, organisation_id: int | None = None,
           commit: bool = True, **detail) -> None:
    # Strings are refused except short codes, so answer text or a token cannot slip in by accident.
    for key, value in detail.items():
        if not isinstance(value, _ALLOWED_DETAIL_TYPES) and not (isinstance(value, str) and len(value) <= 40
                                                                  and value.replace("_", "").replace("-", "").isalnum()):
            raise ValueError(f"audit detail {key!r} must be an id, a number or a short code")
    session.add(AuditEvent(action=action, user_id=user_id, organisation_id=organisation_id, detail=detail))
    if commit:
        session.commit()
