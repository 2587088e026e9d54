"""The fixed answer scales' labels, in every language, in one place: the questionnaire shows them to
respondents, and every table and report labels its rows with them, so "4" is never a bare number
to a reader and never called something else in one place than in another."""
from __future__ import annotations

AGREEMENT = {
    1: {"nn": "Heilt ueinig", "nb": "Helt uenig", "en": "Strongly disagree"},
    2: {"nn": "Litt ueinig", "nb": "Litt uenig", "en": "Disagree"},
    3: {"nn": "Verken einig eller ueinig", "nb": "Verken enig eller uenig", "en": "Neither agree nor disagree"},
    4: {"nn": "Litt einig", "nb": "Litt enig", "en": "Agree"},
    5: {"nn": "Heilt einig", "nb": "Helt enig", "en": "Strongly agree"},
}


def agreement(value: int, language: str) -> str:
    labels = AGREEMENT[int(value)]
    return labels.get(language, labels["nn"])
