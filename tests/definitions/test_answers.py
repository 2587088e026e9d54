"""Every question type and condition operator, without HTTP or a database."""
from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from survey_app.definitions.answers import (
    FieldError, first_incomplete_section, parse_page, parse_value, visible_answers,
)
from survey_app.definitions.model import Question, Questionnaire, condition_holds

CHOICES = [{"value": "a", "text": {"nn": "A"}}, {"value": "b", "text": {"nn": "B"}}, {"value": "c", "text": {"nn": "C"}}]


def q(qtype: str, **extra) -> Question:
    return Question({"name": "x", "type": qtype, "text": {"nn": "?"}, **extra}, section="s")


def parse(question: Question, *values: str):
    return parse_value(question, MultiDict([("x", v) for v in values]))


@pytest.mark.parametrize("question, given, expected", [
    (q("single_choice", choices=CHOICES), ["b"], "b"),
    (q("multi_choice", choices=CHOICES), ["c", "a", "a"], ["a", "c"]),
    (q("likert5"), ["5"], 5),
    (q("scale0_10"), ["0"], 0),
    (q("text"), ["  hei  "], "hei"),
    (q("long_text"), ["linje 1\r\nlinje 2"], "linje 1\nlinje 2"),
    (q("number", integer=True, min=1, max=100), ["80 %"], 80),
    (q("number"), ["12,5"], 12.5),
    (q("number", decimals=1, min=1, max=100), ["80,5"], 80.5),   # shift-work position sizes
    (q("number", decimals=1, min=1, max=100), ["75.5 %"], 75.5),
    (q("number", decimals=1, min=1, max=100), ["100"], 100),
    (q("date"), ["2026-09-01"], "2026-09-01"),
    (q("date"), ["01.09.2026"], "2026-09-01"),
    (q("yes_no"), ["yes"], "yes"),
])
def test_valid_values_are_typed(question, given, expected):
    assert parse(question, *given) == (expected, None)


@pytest.mark.parametrize("question, given, code", [
    (q("single_choice", choices=CHOICES), ["z"], "invalid_choice"),
    (q("multi_choice", choices=CHOICES), ["a", "z"], "invalid_choice"),
    (q("multi_choice", choices=CHOICES, max_choices=1), ["a", "b"], "too_many"),
    (q("likert5"), ["6"], "invalid_choice"),
    (q("likert5"), ["-1"], "invalid_choice"),
    (q("scale0_10"), ["11"], "invalid_choice"),
    (q("text", max_length=5), ["sekstegn"], "too_long"),
    (q("number"), ["åtti"], "not_a_number"),
    (q("number", integer=True), ["80.5"], "not_whole"),
    (q("number", decimals=1), ["80,55"], "too_many_decimals"),
    (q("number", min=1), ["0"], "too_small"),
    (q("number", max=100), ["101"], "too_large"),
    (q("date"), ["31.02.2026"], "not_a_date"),
    (q("date"), ["i går"], "not_a_date"),
    (q("yes_no"), ["kanskje"], "invalid_choice"),
])
def test_invalid_values_give_an_error_code(question, given, code):
    value, error = parse(question, *given)
    assert value is None and error.code == code


@pytest.mark.parametrize("qtype", ["single_choice", "multi_choice", "likert5", "scale0_10", "text", "long_text",
                                   "number", "date", "yes_no"])
def test_empty_is_no_answer_not_an_error(qtype):
    question = q(qtype, choices=CHOICES) if "choice" in qtype else q(qtype)
    assert parse(question) == (None, None)
    assert parse(question, "") == (None, None)


def test_long_text_limit_comes_from_configuration():
    value, error = parse_value(q("long_text"), MultiDict([("x", "y" * 11)]), limits={"long_text": 10})
    assert error == FieldError("too_long", {"max": 10, "length": 11})


@pytest.mark.parametrize("condition, answers, expected", [
    ({"question": "p", "operator": "equals", "value": "yes"}, {"p": "yes"}, True),
    ({"question": "p", "operator": "equals", "value": "yes"}, {"p": "no"}, False),
    ({"question": "p", "operator": "equals", "value": "yes"}, {}, False),
    ({"question": "p", "operator": "not_equals", "value": "yes"}, {"p": "no"}, True),
    ({"question": "p", "operator": "in", "value": ["a", "b"]}, {"p": ["c", "b"]}, True),
    ({"question": "p", "operator": "not_in", "value": ["a", "b"]}, {"p": "c"}, True),
    ({"question": "p", "operator": "answered"}, {"p": "x"}, True),
    ({"question": "p", "operator": "answered"}, {"p": []}, False),
    ({"question": "p", "operator": "not_answered"}, {}, True),
    ({"question": "p", "operator": "gte", "value": 7}, {"p": 7}, True),
    ({"question": "p", "operator": "lte", "value": 3}, {"p": 7}, False),
])
def test_condition_operators(condition, answers, expected):
    assert condition_holds(condition, answers) is expected


MINI = Questionnaire({
    "id": "mini", "kind": "onboarding", "languages": ["nn"], "title": {"nn": "T"},
    "sections": [
        {"name": "one", "title": {"nn": "1"}, "questions": [
            {"name": "moved", "type": "yes_no", "required": True, "text": {"nn": "?"}},
            {"name": "stay", "type": "yes_no", "required": True, "text": {"nn": "?"},
             "visible_if": {"question": "moved", "operator": "equals", "value": "yes"}},
        ]},
        {"name": "two", "title": {"nn": "2"}, "questions": [
            {"name": "comment", "type": "long_text", "text": {"nn": "?"}},
        ]},
    ],
})


def test_hidden_required_question_is_not_required_and_its_value_is_dropped():
    result = parse_page(MINI, MINI.sections[0], MultiDict({"moved": "no", "stay": "yes"}), {})
    assert result.ok and result.values == {"moved": "no"}


def test_visible_required_question_is_required():
    result = parse_page(MINI, MINI.sections[0], MultiDict({"moved": "yes"}), {})
    assert result.errors == {"stay": FieldError("required")}


def test_back_does_not_enforce_required():
    result = parse_page(MINI, MINI.sections[0], MultiDict({}), {}, enforce_required=False)
    assert result.ok and result.values == {}


def test_visible_answers_and_first_incomplete_section():
    assert visible_answers(MINI, {"moved": "no", "stay": "yes", "comment": "x"}) == {"moved": "no", "comment": "x"}
    assert first_incomplete_section(MINI, {"moved": "yes"}) == 0
    assert first_incomplete_section(MINI, {"moved": "no"}) is None


def test_the_position_questions_take_one_decimal_and_say_so_when_given_two(app):
    from survey_app.respond.messages import error_message

    for key in ("sluttsamtale", "onboarding"):
        position = app.extensions["questionnaires"].get(key).question("position_now")
        assert parse_value(position, MultiDict([("position_now", "80,5")])) == (80.5, None)
        _value, error = parse_value(position, MultiDict([("position_now", "80,55")]))
        with app.test_request_context("/?lang=nn"):
            from flask_babel import force_locale
            with force_locale("nn"):
                assert error_message(error) == "Skriv talet med høgst 1 desimal, til dømes 80,5."
