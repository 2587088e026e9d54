"""The questionnaire format: shipped files pass, broken files fail with file:line and a reason."""
from __future__ import annotations

from pathlib import Path

import pytest

from survey_app.cli import check_questionnaires
from survey_app.definitions.loader import DefinitionError, load_questionnaire, parse_questionnaire
from survey_app.definitions.model import content_version

REPO = Path(__file__).resolve().parents[2]
SHIPPED = sorted((REPO / "questionnaires").glob("*.yaml"))

MINI = """\
id: mini
kind: offboarding
languages: [nn, nb]
title: {nn: Tittel, nb: Tittel}
sections:
  - name: first
    title: {nn: Første, nb: Første}
    questions:
      - name: reason
        type: single_choice
        required: true
        text: {nn: "Kvifor?", nb: "Hvorfor?"}
        choices:
          - {value: lonn, text: {nn: Løn, nb: Lønn}}
          - {value: anna, text: {nn: Anna, nb: Annet}}
      - name: detail
        type: long_text
        text: {nn: Fortel meir, nb: Fortell mer}
        visible_if: {question: reason, operator: equals, value: anna}
"""


def edit(line_no: int, new: str | None, text: str = MINI) -> str:
    """Replace (or with None delete) a 1-based line of the mini questionnaire."""
    lines = text.splitlines()
    if new is None:
        del lines[line_no - 1]
    else:
        lines[line_no - 1] = new
    return "\n".join(lines) + "\n"


MISTAKES = {
    "yaml syntax": (edit(10, "        type: [single_choice"), 11, "not valid YAML"),
    "missing id": (edit(1, None), 1, "missing required field 'id'"),
    "unknown kind": (edit(2, "kind: exit"), 2, "'exit' is not allowed"),
    "unknown type": (edit(10, "        type: singel_choice"), 10, "'singel_choice' is not allowed"),
    "bad name": (edit(9, "      - name: Reason-1"), 9, "may only use a-z"),
    "missing nynorsk": (edit(12, '        text: {nb: "Hvorfor?"}'), 12, "text in 'nn' is missing"),
    "undeclared language": (edit(18, "        text: {nn: Fortel meir, nb: Fortell mer, en: Tell more}"), 18,
                            "language 'en' is not declared"),
    "condition on unknown question": (edit(19, "        visible_if: {question: reasn, operator: equals, value: anna}"),
                                      19, "not an earlier question"),
    "condition on later question": (
        edit(11, "        visible_if: {question: detail, operator: answered}"), 11, "not an earlier question"),
    "condition value not a choice": (
        edit(19, "        visible_if: {question: reason, operator: equals, value: pension}"), 19, "'pension' is not a choice"),
    "duplicate question name": (edit(16, "      - name: reason"), 16, "'reason' is used twice"),
    "choices missing": (edit(17, "        type: multi_choice"), 16, "needs choices"),
    "duplicate key": (edit(11, "        type: text"), 11, "'type' appears twice"),
    "misspelt field": (edit(11, "        requierd: true"), 11, "unknown field 'requierd'"),
    "id differs from file name": (edit(1, "id: other"), 1, "must match the file name"),
    "operator without value": (edit(19, "        visible_if: {question: reason, operator: equals}"), 19, "needs a value"),
    "wrong value type": (edit(11, "        required: sometimes"), 11, "expected boolean"),
    "empty file": ("", 1, "empty"),
}


def test_the_four_shipped_questionnaires_are_valid():
    keys = {load_questionnaire(path).key for path in SHIPPED}
    assert keys == {"sluttsamtale", "onboarding", "laerling", "rekruttering"}


def test_mini_questionnaire_is_valid(tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(MINI, encoding="utf-8")
    assert load_questionnaire(path).key == "mini"


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_a_mistake_is_reported_with_its_line(tmp_path, name):
    text, line, fragment = MISTAKES[name]
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_questionnaire(path)
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith(f"{path}:{line}: ") and fragment in m for m in messages), messages


def test_not_utf8_is_reported(tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_bytes(MINI.replace("Løn", "L\xf8n").encode("latin-1"))
    with pytest.raises(DefinitionError, match="not UTF-8"):
        load_questionnaire(path)


def test_check_command_passes_on_the_shipped_files(app):
    result = app.test_cli_runner().invoke(check_questionnaires, [])
    assert result.exit_code == 0, result.output
    assert result.output.count(": ok (") == 4


def test_check_command_fails_on_a_broken_copy_with_line_numbers(app, tmp_path):
    broken = tmp_path / "sluttsamtale.yaml"
    text = (REPO / "questionnaires" / "sluttsamtale.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    target = next(i for i, line in enumerate(lines) if line.strip() == "type: scale0_10")
    lines[target] = lines[target].replace("scale0_10", "scale_0_10")
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(check_questionnaires, [str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:{target + 1}: " in result.output
    assert "'scale_0_10' is not allowed" in result.output


def test_version_follows_content_only():
    first = {"id": "a", "sections": [{"name": "x"}]}
    same = {"sections": [{"name": "x"}], "id": "a"}
    changed = {"id": "a", "sections": [{"name": "y"}]}
    assert content_version(first) == content_version(same)
    assert content_version(first) != content_version(changed)


def test_sluttsamtale_carries_the_cause_codes_and_the_four_pillars():
    q = load_questionnaire(REPO / "questionnaires" / "sluttsamtale.yaml")
    codes = q.question("main_reason").choice_values
    assert codes == ["lonn", "arbeidstid", "leiing", "arbeidsmiljo", "belastning", "utvikling", "flytting",
                     "pensjon", "helse", "utdanning", "omstilling", "mottak", "anna"]
    assert q.question("other_reasons").choice_values == codes
    dimensions = {question.data.get("dimension") for question in q.questions} - {None}
    assert dimensions == {"leiing", "medarbeidarskap", "kompetanse", "endringskraft"}


def test_every_question_type_is_used_by_the_shipped_questionnaires():
    types = {question.type for path in SHIPPED for question in load_questionnaire(path).questions}
    assert types == {"single_choice", "multi_choice", "likert5", "scale0_10", "text", "long_text",
                     "number", "date", "yes_no"}


def test_a_control_character_is_reported_with_its_line():
    # Found by tests/security/test_fuzz_parsers.py: the YAML reader refused the text before parsing,
    # and the error escaped as an exception of its own.
    with pytest.raises(DefinitionError) as caught:
        parse_questionnaire("id: onboarding\nkind: onboarding\ntitle: \x1f\n", "q.yaml")
    assert [(p.line, "0x001f" in p.message) for p in caught.value.problems] == [(3, True)]
