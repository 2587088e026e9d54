"""Rate limits and growing delays for the doors a guesser would try: login, the second factor,
letter codes, personal links, and the password and code checks inside a login.

Exceeding a limit gives HTTP 429 with the friendly error page in the user's language and a
Retry-After header where the wait is known.
"""
from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, request
from werkzeug.exceptions import TooManyRequests

from survey_app.extensions import db
from survey_app.services import audit, throttle
from survey_app.services.limits import hit


def check(scope: str, value: str | None = None) -> None:
    limit, minutes = current_app.config["RATE_LIMITS"][scope]
    key = value if value is not None else _address()
    if not hit(db.session, current_app.config["SECRET_KEY"], scope, key, limit, timedelta(minutes=minutes)):
        abort(429)


def _address() -> str:
    return request.remote_addr or "unknown"


class Guard:
    """Growing delays for one account's secret (a password or a code) as tried from this client.

    ``scope`` names what is guessed ("login", "password", "totp"); ``account`` is what is guessed
    at (an e-mail before login, a user id after); ``user_id`` (when known) lets the admin see it.
    """

    def __init__(self, scope: str, account: str, user_id: int | None = None):
        self.scope, self.account, self.user_id = scope, account, user_id
        self.secret = current_app.config["SECRET_KEY"]
        self.policy = throttle.Policy.from_config(current_app.config.get("LOGIN_THROTTLE"))

    def _refuse(self, wait: int | None, reason: str):
        audit.record(db.session, "login_throttled", user_id=self.user_id, scope=self.scope, reason=reason,
                     source=throttle.source_tag(self.secret, _address()))
        raise TooManyRequests(retry_after=wait or None)

    def check_wait(self) -> None:
        """429 if this client must still wait after its last wrong attempts at this account."""
        wait = throttle.wait_seconds(db.session, self.secret, self.scope, self.account, _address(), self.policy)
        if wait:
            self._refuse(wait, "delay")

    def over_ceiling(self) -> bool:
        return throttle.over_ceiling(db.session, self.secret, self.scope, self.account, self.policy)

    def refuse_ceiling(self) -> None:
        self._refuse(self.policy.account_window_minutes * 60, "ceiling")

    def failed(self) -> None:
        throttle.record_failure(db.session, self.secret, self.scope, self.account, _address(), self.policy)

    def succeeded(self) -> None:
        throttle.record_success(db.session, self.secret, self.scope, self.account, _address())
