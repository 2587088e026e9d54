"""Load a questionnaire file and tell its author exactly what is wrong with it.

Two passes: the JSON schema (``questionnaires/schema.json``) checks shape and spelling, then
rules a schema cannot express: every declared language in every text, names unique,
conditions only on earlier questions and with values those questions can take.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator

from survey_app.definitions.model import CHOICE_TYPES, NUMERIC_TYPES, YES_NO_VALUES, Questionnaire
from survey_app.definitions.yaml_lines import YamlProblem, line_for, load_with_lines

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "questionnaires" / "schema.json"
REQUIRED_LANGUAGES = ("nn", "nb")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class DefinitionError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def load_questionnaire(path: str | Path) -> Questionnaire:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DefinitionError([Problem(str(path), 1, "the file is not UTF-8 text")]) from None
    except OSError as exc:
        raise DefinitionError([Problem(str(path), 1, f"cannot read the file ({exc.strerror})")]) from None
    return parse_questionnaire(text, str(path), expected_id=path.stem)


def parse_questionnaire(text: str, filename: str, expected_id: str | None = None) -> Questionnaire:
    try:
        data, lines = load_with_lines(text)
    except YamlProblem as exc:
        raise DefinitionError([Problem(filename, exc.line, exc.message)]) from None
    if not isinstance(data, dict):
        raise DefinitionError([Problem(filename, 1, "the file must be a mapping with id, kind, languages, title and sections")])

    problems = []
    for err in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path, message = _describe(err)
        problems.append(Problem(filename, line_for(lines, path), message))
    if not problems:
        problems = [Problem(filename, line_for(lines, p), m) for p, m in _semantic_problems(data, expected_id)]
    if problems:
        raise DefinitionError(sorted(problems, key=lambda p: p.line))
    return Questionnaire(data, source=filename)


def _where(path) -> str:
    parts = []
    for item in path:
        parts.append(f"[{item}]" if isinstance(item, int) else (f".{item}" if parts else item))
    return "".join(parts) or "top level"


def _describe(err) -> tuple[tuple, str]:
    """A message a questionnaire author understands, and the path whose line to report."""
    path = tuple(err.absolute_path)
    if err.validator == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        return path + (extra[0],), _message(err, _where(path))
    return path, _message(err, _where(path))


def _message(err, where: str) -> str:
    v = err.validator
    if v == "required":
        missing = [k for k in err.validator_value if k not in err.instance]
        return f"{where}: missing required field '{missing[0]}'"
    if v == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        return f"{where}: unknown field '{extra[0]}'"
    if v == "enum":
        options = ", ".join(map(str, err.validator_value))
        return f"{where}: {err.instance!r} is not allowed here (choose one of: {options})"
    if v == "propertyNames":
        return f"{where}: {err.message.split(' is not')[0]} is not a language (use nn, nb or en)"
    if v == "pattern":
        return f"{where}: {err.instance!r} may only use a-z, 0-9 and _"
    if v == "type":
        return f"{where}: expected {err.validator_value}, found {type(err.instance).__name__} {err.instance!r}"
    if v in ("minItems", "minProperties"):
        return f"{where}: needs at least {err.validator_value} item(s)"
    if v == "minLength":
        return f"{where}: must not be empty"
    return f"{where}: {err.message}"


def _text_maps(node, path):
    """Yield (path, map) for every language map in the definition."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("title", "intro", "text", "hint", "low", "high") and isinstance(value, dict):
                yield path + (key,), value
            else:
                yield from _text_maps(value, path + (key,))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _text_maps(item, path + (i,))


def _semantic_problems(data: dict, expected_id: str | None):
    languages = data["languages"]
    if expected_id is not None and data["id"] != expected_id:
        yield ("id",), f"id '{data['id']}' must match the file name '{expected_id}'"
    for lang in REQUIRED_LANGUAGES:
        if lang not in languages:
            yield ("languages",), f"languages must include '{lang}' (respondents choose their written standard)"
    for path, texts in _text_maps(data, ()):
        for lang in languages:
            if lang not in texts:
                yield path, f"{_where(path)}: text in '{lang}' is missing"
        for lang in texts:
            if lang not in languages:
                yield path + (lang,), f"{_where(path)}: language '{lang}' is not declared in languages"

    seen_sections: set[str] = set()
    earlier: dict[str, dict] = {}
    for si, section in enumerate(data["sections"]):
        if section["name"] in seen_sections:
            yield ("sections", si, "name"), f"section name '{section['name']}' is used twice"
        seen_sections.add(section["name"])
        for qi, question in enumerate(section["questions"]):
            qpath = ("sections", si, "questions", qi)
            yield from _question_problems(question, qpath, earlier)
            earlier[question["name"]] = question


def _question_problems(q: dict, qpath: tuple, earlier: dict[str, dict]):
    name, qtype = q["name"], q["type"]
    if name in earlier:
        yield qpath + ("name",), f"question name '{name}' is used twice"
    if qtype in CHOICE_TYPES and "choices" not in q:
        yield qpath, f"question '{name}' is {qtype} and needs choices"
    if qtype not in CHOICE_TYPES and "choices" in q:
        yield qpath + ("choices",), f"question '{name}' is {qtype} and cannot have choices"
    values = [c["value"] for c in q.get("choices", [])]
    for value in {v for v in values if values.count(v) > 1}:
        yield qpath + ("choices",), f"question '{name}': choice value '{value}' is used twice"
    for field, allowed in (("max_choices", {"multi_choice"}), ("anchors", {"scale0_10"}),
                           ("max_length", {"text", "long_text"}), ("min", {"number"}),
                           ("max", {"number"}), ("integer", {"number"}), ("dimension", {"likert5"})):
        if field in q and qtype not in allowed:
            yield qpath + (field,), f"question '{name}': '{field}' only applies to {', '.join(sorted(allowed))}"
    if "min" in q and "max" in q and q["min"] > q["max"]:
        yield qpath + ("min",), f"question '{name}': min is larger than max"
    condition = q.get("visible_if")
    if condition:
        yield from _condition_problems(name, condition, qpath + ("visible_if",), earlier)


def _condition_problems(name: str, cond: dict, cpath: tuple, earlier: dict[str, dict]):
    target_name, op = cond["question"], cond["operator"]
    target = earlier.get(target_name)
    if target is None:
        yield cpath + ("question",), (
            f"question '{name}': visible_if refers to '{target_name}', which is not an earlier question"
        )
        return
    has_value = "value" in cond
    if op in ("answered", "not_answered"):
        if has_value:
            yield cpath + ("value",), f"question '{name}': operator '{op}' takes no value"
        return
    if not has_value:
        yield cpath, f"question '{name}': operator '{op}' needs a value"
        return
    value, ttype = cond["value"], target["type"]
    if op in ("gte", "lte"):
        if ttype not in NUMERIC_TYPES or not isinstance(value, (int, float)) or isinstance(value, bool):
            yield cpath + ("value",), f"question '{name}': '{op}' needs a number and a numeric question"
        return
    if op in ("in", "not_in") and not isinstance(value, list):
        yield cpath + ("value",), f"question '{name}': operator '{op}' needs a list of values"
        return
    wanted = value if isinstance(value, list) else [value]
    allowed = [c["value"] for c in target.get("choices", [])] if ttype != "yes_no" else list(YES_NO_VALUES)
    if ttype in CHOICE_TYPES or ttype == "yes_no":
        for item in wanted:
            if item not in allowed:
                yield cpath + ("value",), (
                    f"question '{name}': '{item}' is not a choice of '{target_name}' ({', '.join(allowed)})"
                )
