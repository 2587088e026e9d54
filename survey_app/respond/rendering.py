"""The markup of one question, reused between requests.

A question's HTML depends only on its definition, the language, the options chosen, its error
message and the text limits, and a questionnaire page is opened far more often than any of those
change, so each combination is rendered once per process. Typed text (and anything else that is
not one of the question's own options) is never part of a cache key: such a question is rendered
fresh every time, so nothing a respondent wrote stays in memory after the request.
"""
from __future__ import annotations

from flask import current_app, render_template
from markupsafe import Markup

from survey_app.definitions.answers import max_length
from survey_app.definitions.model import Question
from survey_app.respond.messages import likert_labels, yes_no_labels

CACHE_KEY = "question_html"
CACHE_LIMIT = 4096  # combinations per process; past it the cache starts over
SCALE_VALUES = frozenset(str(n) for n in range(11))


def _options(question: Question) -> frozenset[str]:
    if question.type in ("single_choice", "multi_choice", "yes_no"):
        return frozenset(question.choice_values)
    if question.type in ("likert5", "scale0_10"):
        return SCALE_VALUES
    return frozenset()  # typed answers: never cached once filled in


def question_html(version: str, question: Question, lang: str, chosen: list[str], error: str | None,
                  limits: dict[str, int]) -> Markup:
    """``lang`` must be the request's locale: labels such as "required" are translated into it."""
    def render() -> Markup:
        return Markup(render_template(
            "respond/_question.html", question=question, lang=lang, values={question.name: chosen},
            errors={question.name: error} if error else {}, limits=limits, max_length=max_length,
            likert=likert_labels(), yes_no=yes_no_labels()))

    if not set(chosen) <= _options(question):
        return render()
    cache = current_app.extensions.setdefault(CACHE_KEY, {})
    key = (version, question.name, lang, tuple(chosen), error, tuple(sorted(limits.items())))
    html = cache.get(key)
    if html is None:
        if len(cache) >= CACHE_LIMIT:
            cache.clear()
        html = cache[key] = render()
    return html
