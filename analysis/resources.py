"""Word lists and lexicons shipped with the library (package data; nothing is downloaded)."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml


def _lines(name: str) -> list[str]:
    text = resources.files("analysis").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=None)
def word_set(name: str) -> frozenset[str]:
    """A file of whitespace-separated words (comments start with #)."""
    return frozenset(word.lower() for line in _lines(name) for word in line.split())


@lru_cache(maxsize=None)
def line_set(name: str) -> frozenset[str]:
    """A file of one entry a line, entries may contain spaces."""
    return frozenset(line.lower() for line in _lines(name))


@lru_cache(maxsize=None)
def pairs(name: str) -> dict[str, str]:
    result = {}
    for line in _lines(name):
        left, right = line.split(None, 1)
        result[left.lower()] = right.strip().lower()
    return result


@lru_cache(maxsize=None)
def yaml_data(name: str):
    return yaml.safe_load(resources.files("analysis").joinpath("data", name).read_text(encoding="utf-8"))


def stopwords(language: str) -> frozenset[str]:
    return word_set(f"stopwords_{language}.txt")


@lru_cache(maxsize=None)
def all_stopwords() -> frozenset[str]:
    """Bokmål, nynorsk and English together: answers mix them, and so do the stems they share."""
    return stopwords("nb") | stopwords("nn") | stopwords("en")
