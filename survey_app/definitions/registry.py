"""The questionnaires an installation offers, loaded once from the questionnaire directory."""
from __future__ import annotations

from pathlib import Path

from survey_app.definitions.loader import DefinitionError, load_questionnaire
from survey_app.definitions.model import Questionnaire


class QuestionnaireRegistry:
    def __init__(self, questionnaires: dict[str, Questionnaire]):
        self._by_key = questionnaires

    @classmethod
    def from_directory(cls, directory: str | Path) -> "QuestionnaireRegistry":
        """Load every ``*.yaml``; one broken file stops start-up with all its problems listed."""
        found, problems = {}, []
        for path in sorted(Path(directory).glob("*.yaml")):
            try:
                q = load_questionnaire(path)
            except DefinitionError as exc:
                problems.extend(exc.problems)
                continue
            found[q.key] = q
        if problems:
            raise DefinitionError(problems)
        return cls(found)

    def get(self, key: str) -> Questionnaire | None:
        return self._by_key.get(key)

    def __iter__(self):
        return iter(self._by_key.values())

    def keys(self) -> list[str]:
        return list(self._by_key)


class BrokenRegistry:
    """Stands in when a definition file is invalid, so the problem surfaces wherever it is used."""

    def __init__(self, error: DefinitionError):
        self.error = error

    def __getattr__(self, name):
        raise self.error

    def __iter__(self):
        raise self.error
