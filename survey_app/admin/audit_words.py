"""The access log in words: what happened, in the reader's language, not the codes it is stored
under (``login_throttled``, ``view_free_text``). Codes stay as they are in the database, so
exports and scripts can rely on them."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

EVENTS = {
    "action_created": _l("Registered a measure"), "action_updated": _l("Changed a measure"),
    "analysis_run": _l("Ran the cause analysis"), "answer_move": _l("Moved an answer to another theme"),
    "export": _l("Downloaded a table"), "import": _l("Imported a file from the HR system"),
    "interview_start": _l("Started an exit interview"), "invitations_send": _l("Sent invitations"),
    "letters_print": _l("Printed letters"), "login": _l("Logged in"), "login_failed": _l("Failed login"),
    "login_throttled": _l("Login held back after too many attempts"), "logout": _l("Logged out"),
    "organisation_create": _l("Created an organisation"), "password_change": _l("Changed password"),
    "quote_mark": _l("Marked a quote"), "region_create": _l("Created a region"),
    "report_download": _l("Downloaded a report"), "report_generated": _l("Made a report"),
    "report_preview": _l("Previewed a report"), "retention_run": _l("Deleted what is no longer needed"),
    "role_grant": _l("Gave a role"), "role_revoke": _l("Took away a role"),
    "search_free_text": _l("Searched the free text"), "settings_change": _l("Changed the settings"),
    "subject_erase": _l("Erased a person's data"), "subject_export": _l("Gave a person their data"),
    "subject_search": _l("Searched for a person"), "subject_view": _l("Looked at a person's data"),
    "theme_merge": _l("Merged themes"), "theme_rename": _l("Renamed a theme"),
    "totp_off": _l("Turned off the second factor"), "totp_on": _l("Turned on the second factor"),
    "totp_reset": _l("Reset a second factor"), "view_free_text": _l("Read free text"),
}

DETAILS = {
    "answers": _l("answers"), "run": _l("analysis"), "run_id": _l("analysis"), "theme": _l("theme"),
    "themes": _l("themes"), "report": _l("report"), "person": _l("person no."), "responses": _l("responses"),
    "invitations": _l("invitations"), "anonymised": _l("made anonymous"), "table": _l("table"),
    "format": _l("format"), "period": _l("period"), "region": _l("region"), "role": _l("role"),
    "target": _l("user"), "sent": _l("sent"), "reminders": _l("reminders"), "letters": _l("letters"),
    "rows": _l("rows"), "kind": _l("kind"), "cause": _l("cause"), "questionnaire": _l("questionnaire"),
    "scope": _l("what"), "reason": _l("why"), "source": _l("sender"), "retry_after": _l("wait (s)"),
    "found": _l("found"), "people": _l("people"), "units": _l("units"), "language": _l("language"),
}
WORDS = {
    "login": _l("login"), "delay": _l("waiting time"), "ceiling": _l("too many from all addresses"),
    "password": _l("password"), "code": _l("code"), True: _l("yes"), False: _l("no"),
}


def event_name(action: str) -> str:
    return str(EVENTS.get(action, action))


def detail_text(detail: dict | None) -> str:
    """"answers: 12 · analysis: 3": empty values are left out, known words are translated."""
    parts = []
    for key, value in (detail or {}).items():
        if value is None or value == "":
            continue
        shown = WORDS.get(value, value) if isinstance(value, (str, bool)) else value
        parts.append(f"{DETAILS.get(key, key)}: {shown}")
    return " · ".join(str(part) for part in parts)
