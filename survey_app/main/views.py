"""Pages for everyone: front page, privacy summary, health check; and what every template may use."""
from flask import Blueprint, current_app, g, render_template
from flask_babel import get_locale
from sqlalchemy import text

from survey_app.extensions import db
from survey_app.i18n import LANGUAGE_NAMES

bp = Blueprint("main", __name__)


@bp.app_context_processor
def template_globals():
    organisation = g.get("organisation")
    min_group = organisation.min_group_size if organisation is not None else current_app.config["MIN_GROUP_SIZE"]
    return {"organisation": organisation, "language_names": LANGUAGE_NAMES, "min_group_size": min_group,
            "get_locale": get_locale}


@bp.app_template_filter("day")
def day(value) -> str:
    """A date as Norwegians write it (31.12.2026), not ISO."""
    return value.strftime("%d.%m.%Y") if value else ""


@bp.app_template_global("is_future")
def is_future(value) -> bool:
    from survey_app.models._time import today
    return bool(value) and value > today()


@bp.get("/")
def index():
    return render_template("main/index.html")


@bp.get("/personvern")
def privacy():
    return render_template("main/privacy.html")


@bp.get("/tilgjengelegheit")
def accessibility():
    return render_template("main/accessibility.html")


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico on every page whatever the page links to; answer with the icon
    instead of a 404 in every log."""
    return current_app.send_static_file("favicon.svg")


@bp.get("/healthz")
def health():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
