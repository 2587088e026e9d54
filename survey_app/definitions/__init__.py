"""Questionnaire definitions: YAML files validated against a schema, versioned by content."""
from survey_app.definitions.loader import DefinitionError, load_questionnaire
from survey_app.definitions.model import Question, Questionnaire, Section

__all__ = ["DefinitionError", "Question", "Questionnaire", "Section", "load_questionnaire"]
