"""Which language a page is shown in.

Order: a language the view fixed for this request (the respondent's draft), an explicit
``?lang=``, the organisation's written standard, the browser's preference, the default.
"""
from __future__ import annotations

from flask import current_app, g, request

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
    # Browsers mostly say "no" or "nb" for Norwegian; either way nynorsk users set it explicitly.
    best = request.accept_languages.best_match(["nn", "nb", "no", "en"])
    if best == "no":
        best = "nb"
    return best or current_app.config["DEFAULT_LANGUAGE"]
