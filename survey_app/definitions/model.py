"""In-memory view of a validated questionnaire definition."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property

CHOICE_TYPES = frozenset({"single_choice", "multi_choice"})
TEXT_TYPES = frozenset({"text", "long_text"})
NUMERIC_TYPES = frozenset({"likert5", "scale0_10", "number"})
YES_NO_VALUES = ("yes", "no")


def content_version(definition: dict) -> str:
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Question:
    data: dict
    section: str

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def type(self) -> str:
        return self.data["type"]

    @property
    def required(self) -> bool:
        return bool(self.data.get("required", False))

    @property
    def choices(self) -> list[dict]:
        return self.data.get("choices", [])

    @property
    def choice_values(self) -> list[str]:
        if self.type == "yes_no":
            return list(YES_NO_VALUES)
        return [c["value"] for c in self.choices]

    @property
    def condition(self) -> dict | None:
        return self.data.get("visible_if")

    def text(self, lang: str) -> str:
        return self.data["text"][lang]

    def hint(self, lang: str) -> str | None:
        return self.data.get("hint", {}).get(lang)

    def choice_text(self, value: str, lang: str) -> str:
        for choice in self.choices:
            if choice["value"] == value:
                return choice["text"][lang]
        return value

    def is_visible(self, answers: dict) -> bool:
        return condition_holds(self.condition, answers)


def condition_holds(condition: dict | None, answers: dict) -> bool:
    """Evaluate a ``visible_if`` against answers given so far (missing answer = not shown)."""
    if condition is None:
        return True
    given = answers.get(condition["question"])
    op, value = condition["operator"], condition.get("value")
    answered = given not in (None, "", [])
    if op == "answered":
        return answered
    if op == "not_answered":
        return not answered
    if not answered:
        return False
    values = given if isinstance(given, list) else [given]
    if op == "equals":
        return value in values
    if op == "not_equals":
        return value not in values
    if op == "in":
        return any(v in value for v in values)
    if op == "not_in":
        return not any(v in value for v in values)
    number = values[0]
    if not isinstance(number, (int, float)):
        return False
    return number >= value if op == "gte" else number <= value


@dataclass(frozen=True)
class Section:
    data: dict
    questions: tuple[Question, ...]

    @property
    def name(self) -> str:
        return self.data["name"]

    def title(self, lang: str) -> str:
        return self.data["title"][lang]

    def intro(self, lang: str) -> str | None:
        return self.data.get("intro", {}).get(lang)


@dataclass(frozen=True)
class Questionnaire:
    definition: dict
    source: str = field(default="", compare=False)

    @property
    def key(self) -> str:
        return self.definition["id"]

    @property
    def kind(self) -> str:
        return self.definition["kind"]

    @property
    def languages(self) -> list[str]:
        return self.definition["languages"]

    @cached_property
    def version(self) -> str:
        return content_version(self.definition)

    def title(self, lang: str) -> str:
        return self.definition["title"][lang]

    def intro(self, lang: str) -> str | None:
        return self.definition.get("intro", {}).get(lang)

    @cached_property
    def sections(self) -> tuple[Section, ...]:
        return tuple(
            Section(s, tuple(Question(q, s["name"]) for q in s["questions"]))
            for s in self.definition["sections"]
        )

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    def question(self, name: str) -> Question:
        for q in self.questions:
            if q.name == name:
                return q
        raise KeyError(name)
