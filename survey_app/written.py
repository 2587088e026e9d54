"""Text HR writes in the organisation's written standard, and its version in the other one.

A theme name or an action is written once in the organisation's own standard (nynorsk or bokmål)
and, where HR adds it, once in the other. A report in a standard HR did not write in prints the
organisation's text marked with the standard it is in, never a silent mix of the two."""
from __future__ import annotations

from flask_babel import gettext as _

WRITTEN_STANDARDS = ("nn", "nb")


def other_standard(standard: str) -> str:
    return "nb" if standard == "nn" else "nn"


def standard_name(language: str) -> str:
    return {"nn": _("nynorsk"), "nb": _("bokmål"), "en": _("English")}.get(language, language)


def in_language(text: str, translations: dict | None, written_in: str, wanted: str,
                part: str | None = None) -> tuple[str, str]:
    """``text`` (written in ``written_in``) in ``wanted`` where HR wrote it, and the language of
    what is returned. ``part`` picks one field of a translation with several ("title")."""
    if not text or wanted == written_in:
        return text, written_in
    found = (translations or {}).get(wanted)
    if isinstance(found, dict):
        found = found.get(part or "", "")
    if found:
        return found, wanted
    return text, written_in


def marked(text: str, translations: dict | None, written_in: str, wanted: str, part: str | None = None) -> str:
    """The text for a report in ``wanted``, with "(på nynorsk)" after it where it is in another standard."""
    found, language = in_language(text, translations, written_in, wanted, part)
    if not found or language == wanted:
        return found
    return _("%(text)s (in %(standard)s)", text=found, standard=standard_name(language))
