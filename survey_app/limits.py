"""Rate limits for the doors a guesser would try: login, letter codes, personal links.

Exceeding a limit gives HTTP 429 with the friendly error page in the user's language.
"""
from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, request

from survey_app.extensions import db
from survey_app.services.limits import hit


def check(scope: str, value: str | None = None) -> None:
    limit, minutes = current_app.config["RATE_LIMITS"][scope]
    key = value if value is not None else (request.remote_addr or "unknown")
    if not hit(db.session, current_app.config["SECRET_KEY"], scope, key, limit, timedelta(minutes=minutes)):
        abort(429)
