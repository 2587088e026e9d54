"""Respondent-facing wording that depends on data: field errors and the fixed scale labels."""
from flask_babel import get_locale, gettext as _

from survey_app.definitions.answers import FieldError
from survey_app.definitions.scales import AGREEMENT, agreement


def error_message(error: FieldError) -> str:
    p = error.params
    messages = {
        "required": lambda: _("Please answer this question."),
        "invalid_choice": lambda: _("Choose one of the options."),
        "too_many": lambda: _("Choose at most %(max)d options.", max=p["max"]),
        "not_a_number": lambda: _("Write a number, for example 80."),
        "not_whole": lambda: _("Write a whole number."),
        "too_many_decimals": lambda: _("Write the number with at most %(decimals)d decimal, for example 80,5.",
                                       decimals=p["decimals"]),
        "too_small": lambda: _("The number must be at least %(min)s.", min=_fmt(p["min"])),
        "too_large": lambda: _("The number must be at most %(max)s.", max=_fmt(p["max"])),
        "too_long": lambda: _("The text is %(length)d characters; the limit is %(max)d. Please shorten it.",
                              length=p["length"], max=p["max"]),
        "not_a_date": lambda: _("Write a date as dd.mm.yyyy, for example 01.09.2026."),
    }
    return messages[error.code]()


def _fmt(number) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def likert_labels() -> list[tuple[int, str]]:
    language = str(get_locale())
    return [(value, agreement(value, language)) for value in AGREEMENT]


def yes_no_labels() -> list[tuple[str, str]]:
    return [("yes", _("Yes")), ("no", _("No"))]
