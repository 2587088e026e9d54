"""Turn submitted form fields into typed answers, and check them against the questionnaire.

Plain functions over a ``Questionnaire`` and a form mapping (``getlist`` like Werkzeug's
MultiDict): no Flask, no database. Errors are codes with parameters; the view translates them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from survey_app.definitions.model import Question, Questionnaire, Section

DEFAULT_MAX_LENGTH = {"text": 200, "long_text": 2000}
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


@dataclass(frozen=True)
class FieldError:
    code: str  # required | invalid_choice | too_many | not_a_number | not_whole | too_many_decimals | too_small | too_large | too_long | not_a_date
    params: dict = field(default_factory=dict)


@dataclass
class PageResult:
    values: dict  # typed answers for this page, only visible questions, only given values
    errors: dict[str, FieldError]

    @property
    def ok(self) -> bool:
        return not self.errors


def max_length(question: Question, limits: dict[str, int] | None = None) -> int:
    limits = {**DEFAULT_MAX_LENGTH, **(limits or {})}
    return min(question.data.get("max_length", limits[question.type]), limits[question.type])


def parse_page(questionnaire: Questionnaire, section: Section, form, previous: dict,
               limits: dict[str, int] | None = None, enforce_required: bool = True) -> PageResult:
    """Parse one section's fields. Conditions are evaluated on earlier answers plus this page's."""
    known = {k: v for k, v in previous.items() if k not in {q.name for q in section.questions}}
    values: dict = {}
    errors: dict[str, FieldError] = {}
    for question in section.questions:
        if not question.is_visible({**known, **values}):
            continue
        value, error = parse_value(question, form, limits)
        if error is None and value is None and question.required and enforce_required:
            error = FieldError("required")
        if error is not None:
            errors[question.name] = error
        elif value is not None:
            values[question.name] = value
    return PageResult(values, errors)


def parse_value(question: Question, form, limits: dict[str, int] | None = None):
    """Return ``(value, None)`` or ``(None, FieldError)``; an empty field is ``(None, None)``."""
    name, qtype = question.name, question.type
    if qtype == "multi_choice":
        chosen = [v for v in form.getlist(name) if v != ""]
        if not chosen:
            return None, None
        if any(v not in question.choice_values for v in chosen):
            return None, FieldError("invalid_choice")
        limit = question.data.get("max_choices")
        if limit and len(set(chosen)) > limit:
            return None, FieldError("too_many", {"max": limit})
        # Keep the questionnaire's order and drop repeats, whatever order the browser sent.
        return [v for v in question.choice_values if v in chosen], None

    raw = (form.getlist(name) or [""])[0]
    raw = raw.strip() if isinstance(raw, str) else ""
    if raw == "":
        return None, None
    if qtype in ("single_choice", "yes_no"):
        return (raw, None) if raw in question.choice_values else (None, FieldError("invalid_choice"))
    if qtype in ("likert5", "scale0_10"):
        low, high = (1, 5) if qtype == "likert5" else (0, 10)
        if raw.isdigit() and low <= int(raw) <= high:
            return int(raw), None
        return None, FieldError("invalid_choice")
    if qtype == "number":
        return _parse_number(question, raw)
    if qtype in ("text", "long_text"):
        text = raw.replace("\r\n", "\n").replace("\r", "\n")
        limit = max_length(question, limits)
        if len(text) > limit:
            return None, FieldError("too_long", {"max": limit, "length": len(text)})
        return text, None
    if qtype == "date":
        return _parse_date(raw)
    raise ValueError(f"unknown question type {qtype}")  # the schema makes this unreachable


def _parse_number(question: Question, raw: str):
    cleaned = raw.replace("\u00a0", "").replace(" ", "").rstrip("%")
    if not _NUMBER.match(cleaned):
        return None, FieldError("not_a_number")
    number = float(cleaned.replace(",", "."))
    if question.data.get("integer"):
        if not number.is_integer():
            return None, FieldError("not_whole")
        number = int(number)
    elif "decimals" in question.data:
        places = question.data["decimals"]
        if round(number, places) != number:
            return None, FieldError("too_many_decimals", {"decimals": places})
        number = int(number) if number.is_integer() else number
    if "min" in question.data and number < question.data["min"]:
        return None, FieldError("too_small", {"min": question.data["min"]})
    if "max" in question.data and number > question.data["max"]:
        return None, FieldError("too_large", {"max": question.data["max"]})
    return number, None


def _parse_date(raw: str):
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"):
        try:
            parsed = datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
        if date(1900, 1, 1) <= parsed <= date(2100, 12, 31):
            return parsed.isoformat(), None
    return None, FieldError("not_a_date")


def visible_answers(questionnaire: Questionnaire, answers: dict) -> dict:
    """Drop answers to questions whose condition no longer holds (the respondent went back and changed an earlier answer)."""
    kept: dict = {}
    for question in questionnaire.questions:
        if question.name in answers and question.is_visible(kept):
            kept[question.name] = answers[question.name]
    return kept


def first_incomplete_section(questionnaire: Questionnaire, answers: dict) -> int | None:
    """Index of the first section with a visible required question left unanswered, if any."""
    kept = visible_answers(questionnaire, answers)
    for index, section in enumerate(questionnaire.sections):
        for question in section.questions:
            if question.required and question.is_visible(kept) and question.name not in kept:
                return index
    return None
