"""Default settings.

Layering, lowest first (see ``survey_app.create_app``):
1. ``DefaultConfig`` (or ``TestingConfig``),
2. ``instance/kvifor.cfg`` (a Python file, see ``config/kvifor.cfg.example``),
3. environment variables prefixed ``KVIFOR_`` (``KVIFOR_MIN_GROUP_SIZE=7``; values are parsed as JSON
   where possible), plus the conventional ``DATABASE_URL``,
4. overrides passed to ``create_app`` (tests).
"""
from datetime import timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


class DefaultConfig:
    # None means: use the SQLite file in the instance folder.
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    # Set on every PostgreSQL connection. Dashboards and reports count hundreds of thousands of
    # answer rows in one GROUP BY: JIT compilation costs more than it saves on such queries, and
    # the default 4 MB of sort memory sends them to disk (measured: 633 ms -> 264 ms at 1M responses).
    POSTGRES_SESSION_SETTINGS: dict = {"jit": "off", "work_mem": "32MB"}
    # Generated once into the instance folder when not configured, so sessions survive restarts.
    SECRET_KEY: str | None = None

    LANGUAGES = ("nn", "nb", "en")
    DEFAULT_LANGUAGE = "nn"
    BABEL_DEFAULT_LOCALE = "nn"
    BABEL_TRANSLATION_DIRECTORIES = str(REPO_ROOT / "survey_app" / "translations")

    QUESTIONNAIRE_DIR = str(REPO_ROOT / "questionnaires")

    # Free text is embedded (for the cause analysis) right after it is submitted, about 25 ms an
    # answer, so a quarter's analysis run finds its new answers ready instead of embedding
    # thousands at once. Off: the run embeds what is missing.
    EMBED_AT_SUBMIT = True

    # Privacy: the smallest group any figure may describe; organisations may raise it, never below 3.
    MIN_GROUP_SIZE = 5
    MIN_GROUP_SIZE_FLOOR = 3

    # Used in links printed by commands and sent by e-mail.
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"

    # Respondent flow.
    INVITATION_VALID_DAYS = 30
    DRAFT_COOKIE_DAYS = 30
    FREE_TEXT_MAX_LENGTH = 2000
    SHORT_TEXT_MAX_LENGTH = 200

    # Invitations: reminders after this many days without an answer, at most this many. How long
    # identity data and raw free text are kept is set per organisation (settings page).
    REMINDER_AFTER_DAYS = 7
    MAX_REMINDERS = 2
    ONBOARDING_AFTER_DAYS = (30, 182)

    # Outgoing e-mail (invitations). MAIL_SERVER None: mails are not sent, commands say so.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_STARTTLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_FROM = "kvifor@localhost"

    # Attempts per window (count, minutes) before HTTP 429: per address, and per e-mail at login.
    RATE_LIMITS = {"login": (20, 15), "second_factor": (10, 15), "code": (10, 15), "link": (60, 15)}
    # Wrong passwords and codes: growing delays per (account, client address), a far higher ceiling
    # per account (see survey_app/services/throttle.py). Keys: free_failures, base_seconds,
    # max_seconds, account_ceiling, account_window_minutes, forget_hours.
    LOGIN_THROTTLE = {"free_failures": 5, "base_seconds": 2, "max_seconds": 900, "account_ceiling": 100,
                      "account_window_minutes": 60, "forget_hours": 24}
    # Behind a reverse proxy, how many proxies to trust for the client address and scheme, e.g.
    # {"x_for": 1, "x_proto": 1, "x_host": 1}. None: use the connection's own address.
    PROXY_FIX: dict | None = None

    # "text" for people, "json" for a log collector (one object per line).
    LOG_FORMAT = "text"
    LOG_LEVEL = "INFO"

    # Staff logins: ended after this long without a request, and after this long in any case.
    SESSION_IDLE_MINUTES = 30
    SESSION_ABSOLUTE_HOURS = 10

    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    WTF_CSRF_TIME_LIMIT = None  # a respondent may take a long break on one page


class TestingConfig(DefaultConfig):
    TESTING = True
    SECRET_KEY = "testing-only-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
