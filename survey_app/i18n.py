"""Which language a page is shown in.

Order: a language the view fixed for this request (the respondent's draft, or the one a staff
member chose), an explicit ``?lang=``, the written standard of the organisation whose page it is,
the browser's preference, the default.
"""
from __future__ import annotations

from flask import current_app, g, request
from sqlalchemy import select

LANGUAGE_NAMES = {"nn": "Nynorsk", "nb": "Bokmål", "en": "English"}


def supported() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def requested_language() -> str | None:
    lang = request.args.get("lang")
    return lang if lang in supported() else None


def select_locale() -> str:
    if g.get("lang") in supported():
        return g.lang
    explicit = requested_language()
    if explicit:
        return explicit
    organisation = g.get("organisation")
    if organisation is not None:
        return organisation.written_standard
    parts = request.path.split("/")
    slug = (request.view_args or {}).get("org_slug") or (parts[2] if len(parts) > 2 and parts[1] == "org" else None)
    if slug:  # a page of an organisation that refused or failed before it was loaded: its own standard
        from survey_app.extensions import db
        from survey_app.models import Organisation

        standard = db.session.scalar(select(Organisation.written_standard).where(Organisation.slug == slug))
        if standard:
            return standard
    # Browsers mostly say "no" or "nb" for Norwegian; either way nynorsk users set it explicitly.
    best = request.accept_languages.best_match(["nn", "nb", "no", "en"])
    if best == "no":
        best = "nb"
    return best or current_app.config["DEFAULT_LANGUAGE"]
